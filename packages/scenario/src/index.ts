export {
  APPLY_DEFAULTS,
  type ApplyOptions,
  type ApplyResult,
  apply,
  hiddenBaselineIds,
  referencedIds,
  validateChanges,
} from './apply';
export { type BuildingSetDiff, DIFF_FIELDS, type DiffField, diff } from './diff';
export {
  type EvaluateOptions,
  evaluateScenario,
  type ScenarioIndicators,
  type StudyArea,
  studyArea,
} from './evaluate';
export {
  bboxFootprint,
  footprintAreaM2,
  footprintBBox,
  footprintCentre,
  footprintFromGeoJson,
  footprintToGeoJson,
  intersectionAreaM2,
  type LocalFrame,
  localFrame,
  MAX_FOOTPRINT_VERTICES,
  rotateFootprint,
  translateFootprint,
} from './footprint';
export {
  INDICATOR_DEFAULTS,
  type IndicatorDelta,
  type IndicatorOptions,
  type Indicators,
  indicatorDelta,
  indicators,
  storeysForFloorArea,
} from './indicators';
export {
  blocksCentre,
  type GeoBlock,
  type LocalBlock,
  type MassingChangeOptions,
  massingChanges,
  massingId,
  moveBlocks,
  placeLocalBlocks,
  placeLocalRing,
} from './massing';
export { INDICATOR_RATIOS, type IndicatorRatios, type Ratio, ratioList } from './ratios';
export {
  createScenario,
  type FootprintInput,
  isScenarioDraft,
  type LonLat,
  type ModifyInput,
  type NewBuildingInput,
  range,
  ScenarioDraft,
  type ScenarioSpec,
  type SweepValue,
  toFootprintGeoJson,
  type Variant,
} from './sdk';
export type {
  AddBuildingChange,
  AttributeValue,
  Change,
  ChangeIssue,
  ChangeOp,
  DemolishChange,
  FootprintGeoJson,
  ModifyBuildingChange,
  ScenarioBuilding,
  SetAttributeChange,
} from './types';
export {
  ATTRIBUTE_KEY,
  CHANGE_OPS,
  checkChangeShape,
  describeIssue,
  LIMITS,
  NEW_BUILDING_ID,
  OVERRIDE_ATTRIBUTES,
  ScenarioValidationError,
} from './validate';

export {
  AGE_BANDS,
  type AgeBand,
  ageBandOf,
  BENCHMARK_BY_TAG,
  BENCHMARKS,
  type BenchmarkCategory,
  benchmarkCategory,
  CAPACITY_CLASSES,
  type CapacityClass,
  constructionYear,
  FABRIC_BY_AGE,
  type FabricDefaults,
  type Schedule,
  UNKNOWN_USE_FALLBACK,
  USE_PROFILES,
  type UseProfile,
} from './archetype';
export {
  type Assumption,
  type BuildingDescription,
  type BuildingOverrides,
  describeBuilding,
  type EnergyBuilding,
  ISO13790,
  SOLAR_DEFAULTS,
  thermalModel,
} from './building';
export {
  CALIBRATION_DEFAULTS,
  type CalibratedParameter,
  type CalibrationOptions,
  type CalibrationResult,
  calibrate,
  calibrateToRecord,
  checkRecord,
  type MeasuredModel,
  type MeasuredRecord,
  measuredModel,
  RECORD_CALIBRATED_PARAMETERS,
} from './calibration';
export { type AnnualDemand, annualDemand, type DemandFigure, type MeteredAnnual } from './demand';
export {
  buildHorizon,
  COMFORT_TOLERANCE_C,
  FLEXIBILITY_DEFAULTS,
  type FlexibilityOptions,
  type FlexibilityResult,
  type Horizon,
  type HorizonClock,
  horizonClock,
  peakShift,
  resolveFlexibilityOptions,
  type ScheduleTrace,
  scheduleProblem,
  settledMassC,
} from './flexibility';
export { footprintMetrics } from './geometry';
export {
  type AssetHeadroom,
  type Assignment,
  assignBuildings,
  distanceToAssetM,
  GRID_DEFAULTS,
  type GridAsset,
  type GridAssetKind,
  type GridBuilding,
  type GridFile,
  gridHeadroom,
  parseGridGeoJson,
} from './grid';
export {
  type CarbonIntensityOptions,
  type CarbonIntensitySeries,
  carbonIntensityCsvImporter,
} from './importers/carbon-intensity';
export type { SeriesImporter } from './importers/text';
export { type ThermalRecordCsv, thermalRecordCsvImporter } from './importers/thermal-record';
export {
  epwImporter,
  stationCsvImporter,
  type WeatherSeries,
  weatherImporterFor,
  weatherImporters,
  weatherOnYear,
} from './importers/weather';
export { coolingForm, optimiseSchedule, type ScheduleProblem, type ScheduleSolution } from './optimiser';
export {
  councilOwnership,
  normaliseOrgName,
  type Ownership,
  type OwnershipBasis,
} from './ownership';
export {
  type BuildingFlexibility,
  buildingFlexibility,
  DAY_DEFAULTS,
  type DayConditions,
  dayConditions,
  type PortfolioResult,
  type PortfolioRow,
  portfolioFlexibility,
} from './portfolio';
export {
  type AffineStep,
  affineStep,
  heatTransferCoefficient,
  injectedGainsW,
  type Rc5r1c,
  type StepInputs,
  type SteppedModel,
  type StepResult,
  stepLossesW,
  steppedModel,
  timeConstantS,
} from './rc-model';
export {
  assertCompleteSeries,
  londonClock,
  londonMidnightMs,
  type RegularSeries,
  type SeriesSource,
  sampleSeries,
  seriesGaps,
} from './series';
export {
  checkThermalInputs,
  type HeatingControl,
  heatingGainCPerW,
  type SimulationResult,
  simulate,
  type ThermalInputs,
} from './simulate';

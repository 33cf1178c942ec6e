export { type BaselineInventory, carbonBaseline, type InventoryLine, type SectorInventory } from './baseline';
export { compareTrajectories, comparisonCsv, type TrajectoryComparison, trajectoryCsv } from './compare';
export { csvField, parseCsv, toCsv } from './csv';
export {
  type ActivityUnit,
  DESNZ_2023_PROVENANCE,
  DESNZ_2023_SELECTION,
  type DerivedFactor,
  deriveDesnzFactors,
  type FactorComponent,
  type FactorSelection,
  type FactorTable,
  type FactorTableProvenance,
} from './desnz';
export {
  type Development,
  type DevelopmentImpact,
  developmentImpact,
  type EmbodiedBuilding,
  type EmbodiedLevel,
  type EmbodiedOptions,
  type EmbodiedResult,
  embodiedByYear,
  embodiedCarbon,
  type NewBuilding,
  RIBA_2030_EMBODIED,
} from './embodied';
export {
  type ActivityAmount,
  applyFactor,
  DESNZ_2023,
  type EmissionFactor,
  emissionFactors,
  FACTOR_DEFAULTS,
  type FactorOptions,
  type FactorSet,
  toTableUnit,
} from './factors';
export {
  assumedBuildingEnergy,
  benchmarkKwhPerM2,
  FLOOR_AREA_DEFAULTS,
  FLOOR_AREA_ENERGY,
  type FloorAreaOptions,
  type FloorAreaResult,
  type StockBuilding,
} from './floor-area';
export {
  DEFAULT_GRID_PATH,
  DESNZ_2023_GRID_GENERATION,
  GRID_PATHS,
  type GridPath,
  gridGenerationAt,
  type MeasuredGridIntensity,
  meanGridIntensity,
  validateGridPath,
  YEAR_MAX,
  YEAR_MIN,
} from './grid';
export {
  applyElectricitySaving,
  applyHeatPumps,
  applyRetrofit,
  applySolar,
  type BuildingEnergyState,
  electricityDemandKwh,
  HEAT_PUMP_KEEPS,
  LEVER_DEFAULTS,
  LEVER_NAMES,
  type LeverSet,
  pathValues,
  stateEmissionsKg,
  validateLeverSet,
  type YearPath,
} from './levers';
export {
  type BuildingStock,
  compileStock,
  concatStocks,
  HEATING_EFFICIENCY_DEFAULTS,
  initialState,
} from './stock';
export {
  assessBudget,
  assessTargets,
  type BudgetAssessment,
  type CarbonBudget,
  councilNetZero,
  type Target,
  type TargetAssessment,
  UK_TARGETS,
} from './targets';
export {
  type AreaInput,
  CARBON_MODEL_VERSION,
  type EnteredEmission,
  TRAJECTORY_DEFAULTS,
  type Trajectory,
  type TrajectoryOptions,
  type TransportBaseline,
  trajectory,
  trajectoryReference,
} from './trajectory';
export {
  CAR_TRIP_KM,
  CAR_VEHICLE_KM_PER_HOME,
  CENSUS_2021_PERSONS_PER_HOUSEHOLD,
  type HomeTrips,
  homeCarTravel,
  NTS_2023,
} from './trips';
export {
  BASES,
  type Basis,
  type BuildingAnnualEnergy,
  type BuildingSector,
  FUELS,
  type Fuel,
  type Quantity,
  SECTORS,
  type Sector,
  type Series,
  weakestBasis,
} from './types';

export * from './areas';
export * from './auth';
export * from './calibrations';
export {
  CARBON_RESULTS_KEPT,
  type CarbonAreaInputs,
  carbonStockBuildings,
  carbonStockVersion,
  deleteLeverSet,
  getCarbonAreaInputs,
  getCarbonResult,
  getLeverSet,
  type LeverSetRecord,
  listLeverSets,
  saveCarbonAreaInputs,
  saveCarbonResult,
  saveLeverSet,
} from './carbon';
export * from './consultations';
export { type Db, execScript, type OpenDbOptions, openDb, openDbFromEnv } from './db';
export { type EnergyStockQuery, type EnergyStockRow, energyStockBuildings } from './energy';
export {
  clearFifteenScores,
  FIFTEEN_SCORES_KEPT,
  type FifteenScoreKey,
  fifteenScoreInputs,
  getFifteenScore,
  type StoredFifteenScore,
  saveFifteenScore,
} from './fifteen';
export {
  buildingReferencePoints,
  type GridAssetRecord,
  type GridNetworkSummary,
  getGridNetwork,
  importGridNetwork,
  listGridNetworks,
  ownershipCandidates,
  setCouncilOwnership,
} from './grid';
export * from './i18n';
export * from './jobProgress';
export { migrate, migrationFiles } from './migrate';
export * from './pois';
export * from './privacy';
export * from './rateLimits';
export {
  type BuildingGeoJsonFeature,
  type BuildingRecord,
  buildingsForTiling,
  buildingsInBbox,
  countBuildings,
  type DatasetSummary,
  dataExtent,
  getBuilding,
  getDataset,
  type ImportCounts,
  importFeatures,
  listDatasets,
  type MapFeatureRow,
  mapFeaturesInBbox,
  setTileset,
  type TilingBuilding,
} from './repositories';
export * from './scenarios';
export * from './sensors';
export * from './stories';
export { openTestDb, TEST_DB_CACHE_ENV, type TestDbSeed } from './testing';
export * from './tileRuns';
export * from './transport';
export * from './uprns';

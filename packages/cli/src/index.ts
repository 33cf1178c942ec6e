export {
  type AreaArgs,
  addAreaFromArgs,
  areaOption,
  BOUNDARIES_FILE,
  ensureSampleArea,
  type ParsedAreaArgs,
  parseAreaArgs,
  SAMPLE_AREA,
} from './areas';
export { ostn15GridPath, type PlacetwinPaths, repoRoot, resolvePaths } from './config';
export { importCouncilAssetsFile, importGridFile } from './grid';
export {
  type GroundShadows,
  type GroundShadowsRequest,
  groundShadows,
  MAX_SHADOW_REACH_M,
} from './groundShadows';
export { ensureSampleTransport, SAMPLE_GTFS_FEEDS } from './gtfs';
export {
  cancelJob,
  derivedJobId,
  enqueueImport,
  enqueueSunHours,
  enqueueTiling,
  failOnceOnBadInput,
  getJob,
  type ImportJob,
  type ImportJobOutput,
  isBadInput,
  JobCancelledError,
  type JobRow,
  jobsSchema,
  type ListJobsOptions,
  lastAttempt,
  listJobs,
  openQueue,
  openQueueOnDb,
  QUEUES,
  queueAdmin,
  RETRY_LIMIT,
  retryJob,
  runImportJob,
  runSunHoursJob,
  type SunHoursJob,
  startWorker,
  type WorkerContext,
  waitForRun,
  watchJob,
} from './jobs';
export { main, program } from './main';
export {
  ensureScenarioOverlay,
  OVERLAY_GRACE_MS,
  removeScenarioOverlay,
  scenarioOverlayDir,
  tileScenarioOverlay,
} from './overlay';
export {
  datasetNameFromFile,
  ensureSampleData,
  type ImportFileOptions,
  type ImportSummary,
  importFile,
  loadOstn15,
  type Progress,
  SAMPLE_DATASET,
  SAMPLE_FILE,
  type TileSummary,
  tileDataset,
} from './pipeline';
export { ensureSamplePois, importPoisPath, readOsmPois, SAMPLE_POIS } from './pois';
export {
  type RunScenarioOptions,
  registerRunCommand,
  runScenarioScript,
  type ScenarioRunReport,
  type ScenarioRunResult,
  type VariantReport,
} from './run';
export { BNG_EXTENT, checkInGreatBritain, shadeCasters } from './solarObstacles';
export {
  computeSunHours,
  defaultSunHoursDate,
  type GeoJsonPolygon,
  loadSunHoursJob,
  planSunHours,
  readAreaFile,
  SHADE_MARGIN_M,
  SUN_HOURS_LIMITS,
  type SunHoursJobInput,
  type SunHoursPlan,
  type SunHoursReport,
  type SunHoursRequest,
  sunHoursKey,
  sunHoursReport,
  sunHoursToDir,
} from './sunHours';
export { sunHoursInBands } from './sunHoursBands';
export {
  checkFormat,
  type LegendEntry,
  SUN_HOURS_CSV_HEADER,
  SUN_HOURS_FORMATS,
  SUN_HOURS_LEGEND,
  type SunHoursFormat,
  type SunHoursImage,
  sunHoursCsv,
  sunHoursGeoJson,
  sunHoursPng,
  UNDER_BUILDING_COLOUR,
} from './sunHoursOutputs';
export {
  SUN_HOURS_PAIR_CSV_HEADER,
  sunHoursPairCsv,
  sunHoursPairGeoJson,
} from './sunHoursPairOutputs';
export {
  loadScenarioSunHoursJobs,
  type ScenarioRef,
  type ScenarioSunHoursJobs,
  type SunHoursComparisonReport,
  sunHoursComparisonReport,
  sunHoursScenarioToDir,
} from './sunHoursScenario';
export {
  contentName,
  FsTileStore,
  IMMUTABLE_CACHE,
  pruneStore,
  S3TileStore,
  SHORT_CACHE,
  type TileStore,
  type TileStoreConfig,
  tileStoreConfig,
} from './tile-store';
export { importUprnFile, type UprnImportSummary, unmatchedUprnCsv } from './uprn';

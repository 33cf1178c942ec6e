export { ostn15GridPath, type PlacetwinPaths, repoRoot, resolvePaths } from './config';
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
export {
  type RunScenarioOptions,
  registerRunCommand,
  runScenarioScript,
  type ScenarioRunReport,
  type ScenarioRunResult,
  type VariantReport,
} from './run';

export { type PlacetwinPaths, ostn15GridPath, repoRoot, resolvePaths } from './config';
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
export { main, program } from './main';

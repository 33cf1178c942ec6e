export { type AppOptions, buildApp, DEFAULT_RATE_LIMIT_PER_MINUTE } from './app';
export { type BasemapSource, BasemapTiles } from './basemap/basemap-tiles';
export { type BasemapFeature, renderTileSvg } from './basemap/render-svg';
export { loadConfig, type ServerConfig } from './config';
export { PROBLEM_BASE, type Problem, toProblem } from './plugins/app/problems';

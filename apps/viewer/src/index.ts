/**
 * The viewer's pure, browser-free pieces, for tests, the benchmark and anything that writes or reads share links.
 * The app itself starts from main.tsx.
 */
export {
  buildingStyleJson,
  COLOUR_SCHEMES,
  type ColourScheme,
  type LegendEntry,
} from './state/colourSchemes';
export { describeHeight, describeOsmId } from './state/describe';
export { fromUkLocal, toUkLocal, ukOffsetMinutes, ukZoneLabel } from './state/ukTime';
export {
  type CameraView,
  type ColourBy,
  decodeViewState,
  encodeViewState,
  homeView,
  type LayerVisibility,
  type ViewState,
} from './state/viewState';
export type { FrameStats, PlacetwinTestHooks, StoryTestState } from './testHooks';

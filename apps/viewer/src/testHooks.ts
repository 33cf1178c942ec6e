/**
 * `window.__placetwin`: a small, read-mostly handle for the end-to-end test and the benchmark to ask the page what
 * Cesium knows (what is loaded, what is under a pixel). It drives nothing the UI cannot (cameraTo is the Home
 * button's move with a given pose) and changes no behaviour.
 *
 * Screen coordinates are CSS pixels relative to the top-left of the Cesium canvas.
 */
import type { CameraView, ViewState } from './state/viewState';

export interface FrameStats {
  /** Milliseconds from navigation start to the first frame rendered with every visible building layer and the
   * globe fully loaded for the view (the first of a stable run, see sceneLoaded); null until that happens. */
  firstCompleteFrameMs: number | null;
  /** Frames rendered since the page loaded. */
  frames: number;
  /** Frames per second over the last `windowFrames` frames (or fewer, at start). */
  fps: number;
  meanFrameMs: number;
  /** Slowest frame in the window. */
  maxFrameMs: number;
  windowFrames: number;
}

export interface PlacetwinTestHooks {
  /** Resolves once the viewer exists, the dataset list has been read and the camera is at its start view (building
   * layers may still be loading). */
  ready: Promise<void>;
  /** The same, as a flag (for polling). */
  isReady: boolean;
  /** `tiles` (3D Tiles, the normal path) or `geojson` (`?mode=geojson`, the benchmark's comparison path). */
  mode: 'tiles' | 'geojson';
  /** Every visible building layer is loaded for the current view: each tileset is ready, its root content is
   * loaded and it reports all tiles loaded (in geojson mode: the data source is loaded and its geometry built),
   * and has been for the last 4 rendered frames (right after a camera jump Cesium's load queues are briefly empty). */
  tilesetsLoaded(): boolean;
  /** tilesetsLoaded() and the globe's terrain and imagery tiles for the current view are loaded too (for as long). */
  sceneLoaded(): boolean;
  /** The building id under a canvas pixel, or null. */
  pickAt(x: number, y: number): string | null;
  /** Where a geographic point appears on the canvas, or null when it is off screen or behind the globe. */
  worldToScreen(lon: number, lat: number, heightM: number): { x: number; y: number } | null;
  /** Moves the camera (no flight) and resolves after the scene has rendered from there. */
  cameraTo(view: CameraView): Promise<void>;
  /** A copy of the current view state. */
  state(): ViewState;
  frameStats(): FrameStats;
}

declare global {
  interface Window {
    __placetwin?: PlacetwinTestHooks;
  }
}

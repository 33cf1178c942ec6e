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
  /** The sun shown in the Sun panel (scene time, over the camera), or null before the camera is placed. */
  sun(): {
    azimuthDeg: number;
    elevationDeg: number;
    apparentElevationDeg: number;
    lon: number;
    lat: number;
  } | null;
  /** The sun-hours area: its corners as [lon, lat] (an open ring), and whether it is being drawn or closed. */
  area(): { points: [number, number][]; mode: 'idle' | 'drawing' | 'closed' };
  /** Sets a closed sun-hours area, as drawing it would (the pasted-GeoJSON path does the same from the UI). */
  drawArea(points: [number, number][]): void;
  /** The ground point under a canvas pixel (where a click would put a corner), or null off the globe. */
  groundAt(x: number, y: number): [number, number] | null;
  /** The sun-hours analysis on show: its job id, status and progress, and whether its image is draped and drawn. */
  sunHours(): {
    id: string | null;
    status: string;
    progress: number;
    overlayLoaded: boolean;
    sentence: string | null;
    /** With a scenario: ratio, verdict, shares and which grid is draped (its image URL). */
    comparison?: {
      scenarioId: number;
      ratio: number | null;
      meetsGuidance: boolean | null;
      shareBefore: number;
      shareAfter: number;
      side: 'before' | 'after';
      overlayUrl: string | null;
    } | null;
  };
  /** The transport layer as drawn (set while the layer exists): the feed, its routes and stops, the vehicles of the
   * last frame and the scene time they are for, the isochrone bands on the map. */
  transport?: () => TransportTestState;
  /** The scenario editor (set while the scene exists): the open scenario, its overlay and whether the overlay of the
   * current version has been drawn, the footprint being drawn, the compare swipe and the message shown. */
  scenario?: () => ScenarioTestState;
  /** The sensor layer (set while the scene exists): on or off, live or replaying (and the instant replayed), the
   * event stream, each sensor's point as drawn (its value, colour class and the colour the primitive has), the
   * alerts listed and the chart open. */
  sensors?: () => SensorsTestState;
  /** The story editor and presentation (set while the app exists). */
  story?: () => StoryTestState;
  /** The council area's boundary line (set while it is drawn): its area, rings and vertices, whether the ground
   * primitive is in the scene and built (ready) and shown. */
  boundary?: () => {
    areaId: string;
    rings: number;
    vertices: number;
    inScene: boolean;
    ready: boolean;
    show: boolean;
  };
}

export interface SensorsTestState {
  enabled: boolean;
  mode: 'live' | 'replay';
  stream: 'off' | 'connecting' | 'open' | 'reconnecting';
  /** Live readings received over the stream since the layer was turned on. */
  liveReadings: number;
  /** ISO instant the shown values are for while replaying; null live. */
  replayAt: string | null;
  points: {
    sensorId: string;
    lon: number;
    lat: number;
    value: number | null;
    time: string | null;
    cls: string | null;
    /** The point primitive's colour (#rrggbb). */
    colour: string | null;
    drawn: boolean;
  }[];
  alerts: number;
  selected: string | null;
  chart: {
    sensorId: string;
    range: string;
    bucket: string | null;
    points: number;
    compareId: string | null;
    comparePoints: number;
  } | null;
}

export interface StoryTestState {
  id: number | null;
  version: number | null;
  status: 'draft' | 'published' | null;
  /** The slides as edited, in order. */
  slideTitles: string[];
  /** Edited since the last save. */
  dirty: boolean;
  /** The slide on screen while presenting, or null. */
  presenting: number | null;
  /** Presenting in full screen (else in the whole window). */
  fullscreen: boolean;
  /** Slides rendered so far while making the report. */
  exporting: { done: number; total: number } | null;
  message: string | null;
  /** Presentation quality (0 full; see playbackQuality.ts), whether the user restored it (no automatic change then),
   * and the median frame time (ms) of the last decision, null before one. */
  quality?: { level: number; pinned: boolean; medianMs: number | null };
  /** The slides' sun-hours requests (null for a slide without one), as they would be saved. */
  slideSunHours?: ({ areaName: string; date: string; scenario: number | null } | null)[];
}

export interface ScenarioTestState {
  id: number | null;
  version: number | null;
  /** Active changes. */
  changes: number;
  tilesetUrl: string | null;
  hiddenBuildingIds: string[];
  overlayDrawn: boolean;
  mode: 'idle' | 'drawing' | 'closed';
  points: [number, number][];
  compare: boolean;
  split: number;
  message: string | null;
  /** Compare: one view with a swipe, or side by side; the other side (`baseline` or a scenario id). */
  layout?: 'swipe' | 'split';
  against?: 'baseline' | number;
  /** The server's comparison shown in the panel (names of both sides, floor area b − a). */
  comparison?: { a: string; b: string; gfaDeltaM2: number } | null;
  /** Side by side: the left view loaded, the distance between the linked cameras, which view drives. */
  splitView?: {
    leftLoaded: boolean;
    leftLayers: number;
    mainLayers: number;
    cameraGapM: number;
    driver: 'left' | 'right';
  } | null;
  /** Swipe against another scenario: its overlay's tiles have loaded. */
  otherOverlayLoaded?: boolean;
  /** The height the drawn footprint is previewed at (m), null when flat. */
  previewHeightM?: number | null;
  /** The height the extruded preview has been drawn at (its geometry built and rendered), null when none. */
  previewDrawnM?: number | null;
  /** The building being moved (its footprint dragged on the map), and the drag in progress (ground points). */
  moving?: { id: string; drag: { from: [number, number]; to: [number, number] } | null } | null;
  /** The building whose footprint is being reshaped (its footprint as shown, GeoJSON), and the handle being
   * dragged (a corner, or a new corner on the edge that starts at `index`). */
  editing?: {
    id: string;
    footprint: { type: string; coordinates: unknown };
    drag: { kind: 'corner' | 'new corner'; index: number } | null;
  } | null;
  /** The turn being dragged with the turn handle, degrees clockwise; null when none. */
  turningDeg?: number | null;
}

export interface TransportTestState {
  feed: string | null;
  routes: number;
  stops: number;
  vehicles: { runId: string; routeId: string; lon: number; lat: number; bearingDeg: number }[];
  vehiclesAtMs: number | null;
  /** Whether the vehicles drawn are live GTFS-Realtime positions (else the timetable's). */
  vehiclesLive: boolean;
  isochroneBands: number[];
  /** 15-minute score map cells drawn on the ground (0 when none), and the score of the point picked (or null). */
  scoreCellsDrawn: number;
  pointScore: number | null;
}

/** What the app provides for the sun hooks (see PlacetwinTestHooks). */
export type SolarTestHooks = Pick<PlacetwinTestHooks, 'sun' | 'area' | 'drawArea' | 'sunHours'>;

declare global {
  interface Window {
    __placetwin?: PlacetwinTestHooks;
  }
}

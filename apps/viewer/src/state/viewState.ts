/**
 * The viewer's one serialisable state ("the scene is state"): components render it, the scene follows it, and it
 * round-trips through the URL fragment so that a copied link opens the same view.
 *
 * URL format (the fragment, so the server never sees it), e.g.
 *   #cam=-0.72610,52.66940,650.0,20.0,-35.0&t=2025-06-21T11:00:00Z&shadows=1&colour=use&hide=basemap&sel=rutland:w123
 * - `cam`    lon (°), lat (°), height above the ellipsoid (m), heading (° clockwise from north), pitch (°, negative
 *            looks down). Absent: the camera starts on the datasets' extent ("home").
 * - `t`      the scene time, an ISO 8601 instant in UTC (the UI shows it in UK local time).
 * - `shadows` `1` when sun shadows are on.
 * - `colour` `none` | `height` | `use` | `heightSource` | `heatDemand` | `energyDemand` | `carbon` (absent: `height`).
 * - `hide`   comma-separated layers switched off: `basemap` and/or `buildings:<dataset>`.
 * - `sel`    the selected building's id (`<dataset>:<sourceId>`).
 * - `panel`  the analysis panel open below the scene: `flexibility` | `portfolio` | `carbon`.
 * - `scn`, `cmp`, `vs` the open scenario, compare layout (`swipe` | `split`) and the other side (absent: the
 *            baseline); see scenarioLink.ts.
 * Parsing is forgiving: a value that does not make sense falls back to its default, never an error.
 */
import { decodeScenarioLink, encodeScenarioLink, type ScenarioLink } from './scenarioLink';

export type ColourBy = 'none' | 'height' | 'use' | 'heightSource' | 'heatDemand' | 'energyDemand' | 'carbon';
export const COLOUR_BY_VALUES: readonly ColourBy[] = [
  'none',
  'height',
  'use',
  'heightSource',
  'heatDemand',
  'energyDemand',
  'carbon',
];

/** The analysis panels that open below the scene (energy flexibility, a portfolio, carbon what-if). */
export type AnalysisPanel = 'flexibility' | 'portfolio' | 'carbon';
export const ANALYSIS_PANELS: readonly AnalysisPanel[] = ['flexibility', 'portfolio', 'carbon'];

/** A camera pose in geographic terms (WGS84). */
export interface CameraView {
  lon: number;
  lat: number;
  /** Above the WGS84 ellipsoid. */
  heightM: number;
  /** Clockwise from north. */
  headingDeg: number;
  /** 0 looks at the horizon, −90 straight down. */
  pitchDeg: number;
}

export interface LayerVisibility {
  basemap: boolean;
  /** By dataset name; a dataset not listed is shown. */
  buildings: Record<string, boolean>;
}

export interface ViewState {
  /** null until the camera is placed (a link without `cam` starts on the datasets' extent). */
  camera: CameraView | null;
  /** ISO 8601 instant, UTC. */
  time: string;
  shadows: boolean;
  colourBy: ColourBy;
  layers: LayerVisibility;
  /** Building id `<dataset>:<sourceId>`. */
  selected: string | null;
  /** The analysis panel open below the scene; absent when none is. */
  panel?: AnalysisPanel;
  /** The GTFS feed shown and the stop whose departures are open; absent when no feed is. */
  transport?: TransportView;
  /** The open scenario (and compare); absent: the baseline. */
  scenario?: ScenarioLink;
}

export interface TransportView {
  feed: string;
  stop?: string;
}

const FEED_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const STOP_ID = /^[^\s'"\\]{1,200}$/;

export const DEFAULT_COLOUR_BY: ColourBy = 'height';

export function defaultViewState(time: Date): ViewState {
  return {
    camera: null,
    time: isoInstant(time),
    shadows: false,
    colourBy: DEFAULT_COLOUR_BY,
    layers: { basemap: true, buildings: {} },
    selected: null,
  };
}

/** `2025-06-21T11:00:00Z`: whole seconds, so links stay short and stable. */
export const isoInstant = (t: Date): string => `${t.toISOString().slice(0, 19)}Z`;

export const isDatasetVisible = (layers: LayerVisibility, dataset: string): boolean =>
  layers.buildings[dataset] ?? true;

const round = (x: number, digits: number): string => x.toFixed(digits);

/** The fragment (without `#`) that encodes a view. */
export function encodeViewState(view: ViewState): string {
  const params = new URLSearchParams();
  const c = view.camera;
  if (c) {
    params.set(
      'cam',
      [
        round(c.lon, 6),
        round(c.lat, 6),
        round(c.heightM, 1),
        round(Number(c.headingDeg.toFixed(1)) % 360, 1),
        round(c.pitchDeg, 1),
      ].join(','),
    );
  }
  params.set('t', view.time);
  if (view.shadows) params.set('shadows', '1');
  if (view.colourBy !== DEFAULT_COLOUR_BY) params.set('colour', view.colourBy);
  const hidden = [
    ...(view.layers.basemap ? [] : ['basemap']),
    ...Object.entries(view.layers.buildings)
      .filter(([, visible]) => !visible)
      .map(([name]) => `buildings:${name}`)
      .sort(),
  ];
  if (hidden.length) params.set('hide', hidden.join(','));
  if (view.selected) params.set('sel', view.selected);
  if (view.panel) params.set('panel', view.panel);
  if (view.transport) {
    params.set('feed', view.transport.feed);
    if (view.transport.stop) params.set('stop', view.transport.stop);
  }
  for (const [k, v] of encodeScenarioLink(view.scenario)) params.set(k, v);
  // URLSearchParams escapes ',' and ':' which are legal in a fragment; keeping them makes links readable.
  return params.toString().replaceAll('%2C', ',').replaceAll('%3A', ':');
}

const inRange = (x: number, lo: number, hi: number): boolean => Number.isFinite(x) && x >= lo && x <= hi;

function parseCamera(text: string | null): CameraView | null {
  if (!text) return null;
  const n = text.split(',').map(Number);
  if (n.length !== 5) return null;
  const [lon, lat, heightM, headingDeg, pitchDeg] = n;
  if (!inRange(lon, -180, 180) || !inRange(lat, -90, 90) || !inRange(heightM, -500, 5e7)) return null;
  if (!Number.isFinite(headingDeg) || !inRange(pitchDeg, -90, 90)) return null;
  return { lon, lat, heightM, headingDeg: ((headingDeg % 360) + 360) % 360, pitchDeg };
}

function parseTime(text: string | null): string | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : isoInstant(new Date(ms));
}

/**
 * The view a fragment (with or without `#`) describes. A link carries the whole view, so what it leaves out takes
 * its default (`encodeViewState` omits defaults); a missing or malformed camera or time takes `fallbackTime` and
 * the home camera.
 */
export function decodeViewState(fragment: string, fallbackTime: Date): ViewState {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const defaults = defaultViewState(fallbackTime);
  const colour = params.get('colour');
  const hidden = new Set((params.get('hide') ?? '').split(',').filter(Boolean));
  const buildings: Record<string, boolean> = {};
  for (const h of hidden) if (h.startsWith('buildings:')) buildings[h.slice('buildings:'.length)] = false;
  const selected = params.get('sel');
  const panel = ANALYSIS_PANELS.find((p) => p === params.get('panel'));
  const feed = params.get('feed');
  const stop = params.get('stop');
  const transport =
    feed && FEED_NAME.test(feed) ? { feed, ...(stop && STOP_ID.test(stop) ? { stop } : {}) } : null;
  const scenario = decodeScenarioLink(params);
  return {
    camera: parseCamera(params.get('cam')),
    time: parseTime(params.get('t')) ?? defaults.time,
    shadows: params.get('shadows') === '1',
    colourBy: COLOUR_BY_VALUES.find((c) => c === colour) ?? defaults.colourBy,
    layers: { basemap: !hidden.has('basemap'), buildings },
    selected: selected && BUILDING_ID.test(selected) ? selected : null,
    ...(panel ? { panel } : {}),
    ...(transport ? { transport } : {}),
    ...(scenario ? { scenario } : {}),
  };
}

/**
 * `<dataset>:<sourceId>`; the dataset is a slug, the source id an OSM/CityJSON/CityGML identifier. Or a scenario's
 * added building, `new/<name>`.
 */
const BUILDING_ID = /^(?:[a-z0-9][a-z0-9-]*:[^\s'"\\]{1,200}|new\/[A-Za-z0-9_.-]{1,100})$/;

/** Poses closer than this (degrees, metres) are the same view: avoids URL churn from floating-point jitter. */
export function sameView(a: CameraView | null, b: CameraView | null): boolean {
  if (!a || !b) return a === b;
  return (
    Math.abs(a.lon - b.lon) < 1e-6 &&
    Math.abs(a.lat - b.lat) < 1e-6 &&
    Math.abs(a.heightM - b.heightM) < 0.05 &&
    Math.abs(((a.headingDeg - b.headingDeg + 540) % 360) - 180) < 0.05 &&
    Math.abs(a.pitchDeg - b.pitchDeg) < 0.05
  );
}

const EARTH_RADIUS_M = 6_371_008.8;

export interface FramingOptions {
  /** How steeply the camera looks down (default −45°). */
  pitchDeg?: number;
  /** The camera's vertical field of view (Cesium's default 60°). */
  fovDeg?: number;
}

/**
 * A camera pose that shows a circle on the ground (centre, radius) from the south, looking down at `pitchDeg` at its
 * centre. Spherical-earth arithmetic: metre-level error at city scale, which a framing does not notice.
 */
export function viewOfCircle(
  lon: number,
  lat: number,
  radiusM: number,
  { pitchDeg = -45, fovDeg = 60 }: FramingOptions = {},
): CameraView {
  const rad = Math.PI / 180;
  const rangeM = Math.max(radiusM, 150) / Math.tan((fovDeg / 2) * rad);
  const pitch = pitchDeg * rad;
  const backM = rangeM * Math.cos(pitch);
  return {
    lon,
    lat: lat - backM / EARTH_RADIUS_M / rad,
    heightM: rangeM * Math.sin(-pitch),
    headingDeg: 0,
    pitchDeg,
  };
}

/** A camera pose that shows a whole bbox (its circumscribed circle), from the south. */
export function homeView(
  bbox: readonly [number, number, number, number],
  options: FramingOptions = {},
): CameraView {
  const [w, s, e, n] = bbox;
  const lat = (s + n) / 2;
  const rad = Math.PI / 180;
  const halfWidthM = ((e - w) / 2) * rad * EARTH_RADIUS_M * Math.cos(lat * rad);
  const halfHeightM = ((n - s) / 2) * rad * EARTH_RADIUS_M;
  return viewOfCircle((w + e) / 2, lat, Math.hypot(halfWidthM, halfHeightM), options);
}

/**
 * Where points (building positions) are densest: the cell of a `cellM` grid holding the most, refined to the mean of
 * the points in it and its eight neighbours. Null for no points. A county's densest square kilometre is its town
 * centre, which makes a better first view than the whole county.
 */
export function densestPoint(
  points: readonly { lon: number; lat: number }[],
  cellM = 1000,
): { lon: number; lat: number } | null {
  if (points.length === 0) return null;
  const rad = Math.PI / 180;
  const lat0 = points[0].lat;
  const cellLat = cellM / (EARTH_RADIUS_M * rad);
  const cellLon = cellLat / Math.cos(lat0 * rad);
  const key = (i: number, j: number) => `${i},${j}`;
  const cellOf = (p: { lon: number; lat: number }) => [
    Math.floor(p.lon / cellLon),
    Math.floor(p.lat / cellLat),
  ];
  const counts = new Map<string, number>();
  let best = { i: 0, j: 0, n: 0 };
  for (const p of points) {
    const [i, j] = cellOf(p);
    const n = (counts.get(key(i, j)) ?? 0) + 1;
    counts.set(key(i, j), n);
    if (n > best.n) best = { i, j, n };
  }
  const near = points.filter((p) => {
    const [i, j] = cellOf(p);
    return Math.abs(i - best.i) <= 1 && Math.abs(j - best.j) <= 1;
  });
  return {
    lon: near.reduce((a, p) => a + p.lon, 0) / near.length,
    lat: near.reduce((a, p) => a + p.lat, 0) / near.length,
  };
}

/** The union of bboxes (west, south, east, north), or null for none. */
export function unionBbox(
  boxes: readonly (readonly [number, number, number, number])[],
): [number, number, number, number] | null {
  if (boxes.length === 0) return null;
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

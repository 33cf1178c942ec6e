/**
 * The 15-minute city score in the viewer: the server's answers checked at the edge, the colour of a score, and the
 * cell size for a map of the view (fine for a town, coarser for a county, never more cells than the server allows).
 */

export interface ServiceReach {
  id: string;
  label: string;
  minutes: number | null;
  count: number;
}

/** `/api/transport/fifteen-minute`: the score of one point. */
export interface PointScore {
  origin: [number, number];
  time: string;
  limitMinutes: number;
  mode: 'walk' | 'walk+transit';
  feed: string | null;
  covered: boolean;
  score: number | null;
  reachable: number;
  total: number;
  services: ServiceReach[];
}

export interface ScoreCell {
  /** West, south, east, north. */
  bbox: [number, number, number, number];
  score: number;
  reachable: number;
  mode: 'walk' | 'walk+transit';
}

/** `/api/transport/fifteen-minute/map`: scored cells over an area. */
export interface ScoreMap {
  time: string;
  limitMinutes: number;
  cellM: number;
  services: { id: string; label: string }[];
  feeds: string[];
  uncoveredCells: number;
  cells: ScoreCell[];
}

const fail = (what: string): never => {
  throw new Error(`unexpected answer from the Placetwin server: ${what}`);
};
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const str = (x: unknown, what: string): string => (typeof x === 'string' ? x : fail(what));
const num = (x: unknown, what: string): number => (typeof x === 'number' ? x : fail(what));
const mode = (x: unknown): 'walk' | 'walk+transit' =>
  x === 'walk' || x === 'walk+transit' ? x : fail('mode');

export function parsePointScore(body: unknown): PointScore {
  if (!isObject(body) || !Array.isArray(body.origin) || !Array.isArray(body.services)) return fail('score');
  return {
    origin: [num(body.origin[0], 'origin lon'), num(body.origin[1], 'origin lat')],
    time: str(body.time, 'time'),
    limitMinutes: num(body.limitMinutes, 'limit'),
    mode: mode(body.mode),
    feed: body.feed === null ? null : str(body.feed, 'feed'),
    covered: body.covered === true,
    score: body.score === null ? null : num(body.score, 'score'),
    reachable: num(body.reachable, 'reachable'),
    total: num(body.total, 'total'),
    services: body.services.map((s) => {
      if (!isObject(s)) return fail('service');
      return {
        id: str(s.id, 'service id'),
        label: str(s.label, 'service label'),
        minutes: s.minutes === null ? null : num(s.minutes, 'service minutes'),
        count: num(s.count, 'service count'),
      };
    }),
  };
}

export function parseScoreMap(body: unknown): ScoreMap {
  if (!isObject(body) || !Array.isArray(body.features) || !Array.isArray(body.services))
    return fail('score map');
  return {
    time: str(body.time, 'time'),
    limitMinutes: num(body.limitMinutes, 'limit'),
    cellM: num(body.cellM, 'cell size'),
    services: body.services.map((s) =>
      isObject(s) ? { id: str(s.id, 'service id'), label: str(s.label, 'service label') } : fail('service'),
    ),
    feeds: Array.isArray(body.feeds) ? body.feeds.map((f) => str(f, 'feed')) : [],
    uncoveredCells: num(body.uncoveredCells, 'uncovered cells'),
    cells: body.features.map((f) => {
      if (!isObject(f) || !isObject(f.geometry) || !isObject(f.properties)) return fail('cell');
      const ring = Array.isArray(f.geometry.coordinates) ? f.geometry.coordinates[0] : null;
      if (!Array.isArray(ring) || ring.length < 4) return fail('cell ring');
      const xs = ring.map((p: unknown) => (Array.isArray(p) ? num(p[0], 'lon') : fail('position')));
      const ys = ring.map((p: unknown) => (Array.isArray(p) ? num(p[1], 'lat') : fail('position')));
      return {
        bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
        score: num(f.properties.score, 'cell score'),
        reachable: num(f.properties.reachable, 'cell reachable'),
        mode: mode(f.properties.mode),
      };
    }),
  };
}

/** Colours from none to all services within reach (ColorBrewer RdYlGn, 8 classes). */
export const SCORE_COLOURS: readonly string[] = [
  '#d73027',
  '#f46d43',
  '#fdae61',
  '#fee08b',
  '#d9ef8b',
  '#a6d96a',
  '#66bd63',
  '#1a9850',
];

/** The colour of `reachable` of `total` services. */
export function scoreColour(reachable: number, total: number): string {
  if (total <= 0) return SCORE_COLOURS[0];
  const k = Math.round((Math.max(0, Math.min(reachable, total)) / total) * (SCORE_COLOURS.length - 1));
  return SCORE_COLOURS[k];
}

/** Cell sizes tried for a map of the view, finest first, metres. */
export const SCORE_CELL_SIZES_M = [250, 500, 1000, 2000] as const;
/** Cells the viewer asks for at most (the server allows more; this keeps a map quick on a small machine). */
export const MAX_VIEW_CELLS = 4000;

const M_PER_DEG = 111_194.9266;

/** The finest cell size whose grid over the bbox stays within MAX_VIEW_CELLS, or null when even 2 km is too fine. */
export function cellSizeFor(bbox: [number, number, number, number]): number | null {
  const [w, s, e, n] = bbox;
  const widthM = (e - w) * M_PER_DEG * Math.cos((((s + n) / 2) * Math.PI) / 180);
  const heightM = (n - s) * M_PER_DEG;
  for (const cell of SCORE_CELL_SIZES_M)
    if (Math.ceil(widthM / cell) * Math.ceil(heightM / cell) <= MAX_VIEW_CELLS) return cell;
  return null;
}

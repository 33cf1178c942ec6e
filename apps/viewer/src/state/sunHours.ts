/**
 * The sun-hours tool's pure pieces: an area from clicked points or pasted GeoJSON, the request body, and the
 * server's answer checked at the edge (see apps/server `POST /api/solar/sun-hours`).
 */

/** [longitude, latitude], degrees. */
export type LonLat = [number, number];

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Ground distance between two points, metres (spherical: ample for "are these two clicks the same point"). */
export function distanceM(a: LonLat, b: LonLat): number {
  const x = (b[0] - a[0]) * RAD * Math.cos(((a[1] + b[1]) / 2) * RAD);
  const y = (b[1] - a[1]) * RAD;
  return Math.hypot(x, y) * EARTH_RADIUS_M;
}

/** Points this close are one (a double-click adds the same point twice). */
export const SAME_POINT_M = 0.5;

/** Drops consecutive repeats (and a last point equal to the first): the vertices of an open ring. */
export function distinctVertices(points: readonly LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  for (const p of points) if (!out.length || distanceM(out[out.length - 1], p) > SAME_POINT_M) out.push(p);
  while (out.length > 1 && distanceM(out[out.length - 1], out[0]) <= SAME_POINT_M) out.pop();
  return out;
}

/** Area of an open ring of lon/lat points, m² (local equirectangular plane: fine for a garden or a park). */
export function ringAreaM2(points: readonly LonLat[]): number {
  if (points.length < 3) return 0;
  const lat0 = points[0][1] * RAD;
  const xy = points.map(([lon, lat]) => [
    lon * RAD * Math.cos(lat0) * EARTH_RADIUS_M,
    lat * RAD * EARTH_RADIUS_M,
  ]);
  let twice = 0;
  for (let i = 0, j = xy.length - 1; i < xy.length; j = i++)
    twice += xy[j][0] * xy[i][1] - xy[i][0] * xy[j][1];
  return Math.abs(twice) / 2;
}

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: LonLat[][];
}

/** The GeoJSON Polygon of an open ring: closed, counter-clockwise (RFC 7946). */
export function polygonOf(points: readonly LonLat[]): GeoJsonPolygon {
  const ring = distinctVertices(points);
  let twice = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++)
    twice += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  const ccw = twice < 0 ? [...ring].reverse() : ring;
  return { type: 'Polygon', coordinates: [[...ccw, ccw[0]]] };
}

/**
 * Reads pasted GeoJSON: a Polygon, a Feature with one, or a FeatureCollection with one polygon feature (the first
 * polygon of a MultiPolygon too). Returns the outer ring as open points, or a sentence saying what is wrong.
 */
export function areaFromGeoJson(text: string): LonLat[] | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'That is not JSON: paste a GeoJSON Polygon, for example from geojson.io or a GIS.';
  }
  const obj = doc as {
    type?: string;
    geometry?: unknown;
    features?: { geometry?: unknown }[];
    coordinates?: unknown;
  };
  const geometry = (
    obj?.type === 'FeatureCollection'
      ? obj.features?.find((f) =>
          ['Polygon', 'MultiPolygon'].includes((f?.geometry as { type?: string })?.type ?? ''),
        )?.geometry
      : obj?.type === 'Feature'
        ? obj.geometry
        : obj
  ) as { type?: string; coordinates?: unknown } | undefined;
  const rings =
    geometry?.type === 'Polygon'
      ? (geometry.coordinates as unknown[])
      : geometry?.type === 'MultiPolygon'
        ? ((geometry.coordinates as unknown[][])?.[0] ?? [])
        : null;
  if (!rings) return 'No Polygon found: paste a GeoJSON Polygon, a Feature with one, or a FeatureCollection.';
  const outer = rings[0];
  if (!Array.isArray(outer)) return 'The polygon has no outer ring.';
  const points: LonLat[] = [];
  for (const p of outer) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number')
      return 'A position is not [longitude, latitude].';
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
      return `(${p[0]}, ${p[1]}) is not a longitude/latitude: the GeoJSON must be in WGS84 degrees.`;
    points.push([p[0], p[1]]);
  }
  const ring = distinctVertices(points);
  return ring.length >= 3 ? ring : 'The polygon needs at least 3 distinct corners.';
}

export interface SunHoursRequestBody {
  dataset: string;
  area: GeoJsonPolygon;
  date: string;
  cellSizeM: number;
  stepMinutes: number;
  areaName: string;
  /** Also run with this scenario applied, and compare (before/after, BRE 209 0.8 ratio test). */
  scenario?: number;
}

/** The next 21 March on or after a day (`YYYY-MM-DD`): BRE 209's date. */
export function nextTwentyFirstOfMarch(today: string): string {
  const year = Number(today.slice(0, 4));
  return today <= `${year}-03-21` ? `${year}-03-21` : `${year + 1}-03-21`;
}

export interface LegendEntry {
  fromHours: number;
  toHours: number | null;
  colour: string;
  label: string;
}

export interface SunHoursResult {
  id: string;
  date: string;
  cellSizeM: number;
  stepMinutes: number;
  /** WGS84 extent of the grid (and of the draped image). */
  bbox: [number, number, number, number];
  summary: {
    areaM2: number;
    shareAtLeast2h: number;
    meanHours: number;
    daylightHours: number;
    cells: number;
  };
  bre209: { meetsGuidance: boolean; meetsTwoHourTest: boolean; share: number } | null;
  sentence: string;
  legend: LegendEntry[];
  sunrise: string | null;
  sunset: string | null;
  buildings: number;
  /** With a scenario: the baseline's summary (this result is the one after). */
  before: { id: string; summary: SunHoursResult['summary'] } | null;
  comparison: SunHoursComparison | null;
}

/** Before/after a scenario, as the server compares them. */
export interface SunHoursComparison {
  scenario: { id: number; name: string; status: string; version: number };
  baselineId: string;
  scenarioResultId: string;
  shareBefore: number;
  shareAfter: number;
  /** Area with ≥ 2 h after ÷ before; null when none had 2 h before. */
  ratio: number | null;
  cells: { lostTwoHours: number; builtOn: number; gainedTwoHours: number; lessSun: number; moreSun: number };
  /** BRE 209's pair test on 21 March, else null. */
  bre209: { meetsGuidance: boolean; meetsTwoHourTest: boolean; meetsRatioTest: boolean | null } | null;
  sentence: string;
}

export interface SunHoursJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  error: { type: string; detail: string } | null;
  /** With a scenario, png/overlayPng are after and beforePng/beforeOverlayPng the baseline. */
  links: {
    self: string;
    geojson: string;
    csv: string;
    png: string;
    overlayPng: string;
    beforePng?: string;
    beforeOverlayPng?: string;
  };
  result: SunHoursResult | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN);

function parseComparison(c: unknown): SunHoursComparison | null {
  if (!isObj(c) || !isObj(c.scenario) || !isObj(c.cells)) return null;
  const ratio = c.ratio === null ? null : num(c.ratio);
  if (Number.isNaN(ratio)) return null;
  return {
    scenario: c.scenario as SunHoursComparison['scenario'],
    baselineId: String(c.baselineId),
    scenarioResultId: String(c.scenarioResultId),
    shareBefore: num(c.shareBefore),
    shareAfter: num(c.shareAfter),
    ratio,
    cells: c.cells as SunHoursComparison['cells'],
    bre209: isObj(c.bre209) ? (c.bre209 as SunHoursComparison['bre209']) : null,
    sentence: String(c.sentence ?? ''),
  };
}

/** The server's job (and result, when done), checked: throws with a plain reason when it is not understood. */
export function parseSunHoursJob(body: unknown): SunHoursJob {
  if (!isObj(body) || typeof body.id !== 'string' || !isObj(body.links))
    throw new Error('The sun-hours answer was not understood.');
  const status = ['queued', 'running', 'done', 'failed'].includes(String(body.status))
    ? (body.status as SunHoursJob['status'])
    : 'failed';
  const links = body.links as SunHoursJob['links'];
  let result: SunHoursResult | null = null;
  if (isObj(body.result)) {
    const r = body.result;
    const bbox = Array.isArray(r.bbox) ? r.bbox.map(num) : [];
    const s = isObj(r.summary) ? r.summary : {};
    if (bbox.length !== 4 || bbox.some(Number.isNaN) || !Array.isArray(r.legend))
      throw new Error('The sun-hours result has no extent or legend.');
    result = {
      id: String(r.id),
      date: String(r.date),
      cellSizeM: num(r.cellSizeM),
      stepMinutes: num(r.stepMinutes),
      bbox: bbox as SunHoursResult['bbox'],
      summary: {
        areaM2: num(s.areaM2),
        shareAtLeast2h: num(s.shareAtLeast2h),
        meanHours: num(s.meanHours),
        daylightHours: num(s.daylightHours),
        cells: num(s.cells),
      },
      bre209: isObj(r.bre209) ? (r.bre209 as SunHoursResult['bre209']) : null,
      sentence: String(r.sentence ?? ''),
      legend: (r.legend as LegendEntry[]).filter((e) => isObj(e) && typeof e.colour === 'string'),
      sunrise: typeof r.sunrise === 'string' ? r.sunrise : null,
      sunset: typeof r.sunset === 'string' ? r.sunset : null,
      buildings: num(r.buildings),
      before:
        isObj(r.before) && isObj(r.before.summary)
          ? { id: String(r.before.id), summary: r.before.summary as SunHoursResult['summary'] }
          : null,
      comparison: parseComparison(r.comparison),
    };
  }
  return {
    id: body.id,
    status,
    progress: Math.min(1, Math.max(0, num(body.progress) || 0)),
    error: isObj(body.error) ? (body.error as SunHoursJob['error']) : null,
    links,
    result,
  };
}

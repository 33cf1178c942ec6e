import { DataError, toBng } from '@placetwin/geo';

/**
 * Geometry in a local metric CRS (British National Grid EPSG:27700, or an ENU plane), x east, y north, metres.
 * Same layout as the geo package's types: a ring is a Float64Array [x, y, x, y, ...] (closing vertex optional),
 * a polygon is its outer ring then its holes.
 */
export type RingM = Float64Array;
export type PolygonM = RingM[];
export type MultiPolygonM = PolygonM[];

/** A building or other prism that casts shadows: its footprint extruded from minHeightM to heightM above ground. */
export interface Obstacle {
  id: string;
  footprint: MultiPolygonM;
  /** Top of the prism above ground, metres. */
  heightM: number;
  /** Bottom of the prism above ground (an elevated part or canopy), metres; default 0. */
  minHeightM?: number;
}

/** GeoJSON-like polygons in the same metric CRS as the inputs. */
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: [number, number][][][];
}

/** An obstacle after checking: rings as flat arrays without a closing vertex, outer rings counter-clockwise. */
export interface CheckedObstacle {
  id: string;
  polygons: Float64Array[][];
  minHeightM: number;
  heightM: number;
  /** Bounding box of the footprint: minX, minY, maxX, maxY. */
  bbox: [number, number, number, number];
}

function signedArea(ring: Float64Array): number {
  let a = 0;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++)
    a += ring[2 * j] * ring[2 * i + 1] - ring[2 * i] * ring[2 * j + 1];
  return a / 2;
}

function reversed(ring: Float64Array): Float64Array {
  const n = ring.length / 2;
  const out = new Float64Array(ring.length);
  for (let i = 0; i < n; i++) {
    out[2 * i] = ring[2 * (n - 1 - i)];
    out[2 * i + 1] = ring[2 * (n - 1 - i) + 1];
  }
  return out;
}

/**
 * Normalises a ring: drops a repeated closing vertex and orients it (outer counter-clockwise, holes clockwise),
 * so that for every edge p→q the outward normal of the solid is (dy, −dx).
 */
function normaliseRing(ring: RingM, outer: boolean, fail: (reason: string) => never): Float64Array {
  if (!(ring instanceof Float64Array) || ring.length % 2 !== 0)
    fail('a ring is not a Float64Array of x, y pairs');
  let n = ring.length / 2;
  if (n > 1 && ring[0] === ring[2 * n - 2] && ring[1] === ring[2 * n - 1]) n--;
  if (n < 3) fail('a ring has fewer than 3 distinct vertices');
  const flat = ring.subarray(0, 2 * n);
  for (const v of flat) if (!Number.isFinite(v)) fail('a ring has a non-finite coordinate');
  const area = signedArea(flat);
  if (area === 0) fail('a ring has zero area');
  return area > 0 === outer ? flat : reversed(flat);
}

/** Checks obstacles once (DataError naming the obstacle on bad input) and prepares them for the shadow code. */
export function checkObstacles(
  obstacles: readonly Obstacle[],
  source: string | null = null,
): CheckedObstacle[] {
  return obstacles.map((o) => {
    const fail = (reason: string): never => {
      throw new DataError('invalid-obstacle', reason, { file: source, featureId: o.id });
    };
    const minHeightM = o.minHeightM ?? 0;
    if (!Number.isFinite(o.heightM) || o.heightM <= 0) fail(`heightM ${o.heightM} is not a positive number`);
    if (!Number.isFinite(minHeightM) || minHeightM < 0 || minHeightM >= o.heightM)
      fail(`minHeightM ${minHeightM} is not in 0…heightM (${o.heightM})`);
    if (!Array.isArray(o.footprint) || o.footprint.length === 0) fail('the footprint has no polygons');
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    const polygons = o.footprint.map((poly) => {
      if (poly.length === 0) fail('a footprint polygon has no rings');
      return poly.map((ring, i) => {
        const r = normaliseRing(ring, i === 0, fail);
        for (let k = 0; k < r.length; k += 2) {
          bbox[0] = Math.min(bbox[0], r[k]);
          bbox[1] = Math.min(bbox[1], r[k + 1]);
          bbox[2] = Math.max(bbox[2], r[k]);
          bbox[3] = Math.max(bbox[3], r[k + 1]);
        }
        return r;
      });
    });
    return { id: o.id, polygons, minHeightM, heightM: o.heightM, bbox };
  });
}

/**
 * Azimuth of British National Grid north, degrees clockwise from true north, at a WGS84 point: the grid
 * convergence. Subtract it from a true azimuth to get a grid bearing. +1.0° at Oakham, −2.7° at Penzance,
 * +2.6° at Norwich, −3.7° at Stornoway; leaving it out turns every shadow by that much.
 */
export function bngGridNorthDeg(lonDeg: number, latDeg: number): number {
  const [e0, n0] = toBng(lonDeg, latDeg);
  const [e1, n1] = toBng(lonDeg, latDeg + 0.001);
  // The grid bearing of true north is −(convergence).
  return -Math.atan2(e1 - e0, n1 - n0) / (Math.PI / 180);
}

/** Unit vector (east, north) in the metric frame pointing from a point towards the Sun's azimuth. */
export function towardsSun(azimuthDeg: number, gridNorthDeg: number): [number, number] {
  const a = ((azimuthDeg - gridNorthDeg) * Math.PI) / 180;
  return [Math.sin(a), Math.cos(a)];
}

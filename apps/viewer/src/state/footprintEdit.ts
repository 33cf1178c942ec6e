/**
 * Reshaping a building's footprint on the map, the pure part: its corners and edge midpoints as handles, a corner
 * dragged, inserted or deleted, the handle nearest the pointer, and turning the footprint about its centroid by a
 * drag around it. Rings may come closed (GeoJSON, first = last) or open; each keeps its form. Distances and turns
 * are taken in a plane tangent to the WGS84 ellipsoid at the footprint (the same frame packages/scenario turns
 * footprints in), so a turn previewed here is the turn the server applies.
 */
import type { Change, FootprintJson } from './scenario';
import type { LonLat } from './sunHours';

/** Which corner: polygon, ring (0 the outer ring, then holes) and index in the ring without its closing repeat. */
export interface VertexRef {
  polygon: number;
  ring: number;
  index: number;
}
export interface Handle extends VertexRef {
  at: LonLat;
}

const polygonsOf = (f: FootprintJson): LonLat[][][] =>
  f.type === 'Polygon' ? [f.coordinates] : f.coordinates;
const rebuilt = (f: FootprintJson, polygons: LonLat[][][]): FootprintJson =>
  f.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygons[0] }
    : { type: 'MultiPolygon', coordinates: polygons };

const isClosed = (r: readonly LonLat[]) =>
  r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
/** A ring's distinct corners (without the closing repeat). */
export const openRing = (r: readonly LonLat[]): LonLat[] => (isClosed(r) ? r.slice(0, -1) : [...r]);

/** Replaces one ring, given as open corners, keeping the ring closed if it was. */
function withRing(f: FootprintJson, ref: VertexRef, corners: LonLat[]): FootprintJson {
  const polygons = polygonsOf(f).map((p, i) =>
    i !== ref.polygon
      ? p
      : p.map((r, j) => (j !== ref.ring ? r : isClosed(r) ? [...corners, corners[0]] : corners)),
  );
  return rebuilt(f, polygons);
}

const ringAt = (f: FootprintJson, ref: VertexRef): LonLat[] => {
  const r = polygonsOf(f)[ref.polygon]?.[ref.ring];
  if (!r) throw new Error(`no ring ${ref.ring} in polygon ${ref.polygon}`);
  return openRing(r);
};

/** Every corner of every ring, as drag handles. */
export function vertexHandles(f: FootprintJson): Handle[] {
  return polygonsOf(f).flatMap((p, polygon) =>
    p.flatMap((r, ring) => openRing(r).map((at, index) => ({ polygon, ring, index, at }))),
  );
}

/** The middle of every edge: `index` is the corner the edge starts at (a new corner goes in after it). */
export function midpointHandles(f: FootprintJson): Handle[] {
  return polygonsOf(f).flatMap((p, polygon) =>
    p.flatMap((r, ring) => {
      const c = openRing(r);
      return c.map((a, index) => {
        const b = c[(index + 1) % c.length];
        return { polygon, ring, index, at: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] as LonLat };
      });
    }),
  );
}

/** The footprint with one corner moved to `to`. */
export function withVertexMoved(f: FootprintJson, ref: VertexRef, to: LonLat): FootprintJson {
  const corners = ringAt(f, ref);
  corners[ref.index] = [to[0], to[1]];
  return withRing(f, ref, corners);
}

/** The footprint with a new corner at `at` on the edge that starts at corner `ref.index`. */
export function withVertexInserted(f: FootprintJson, ref: VertexRef, at: LonLat): FootprintJson {
  const corners = ringAt(f, ref);
  corners.splice(ref.index + 1, 0, [at[0], at[1]]);
  return withRing(f, ref, corners);
}

/** The footprint without one corner, or the sentence saying why not (a ring keeps at least three). */
export function withVertexDeleted(f: FootprintJson, ref: VertexRef): FootprintJson | string {
  const corners = ringAt(f, ref);
  if (corners.length <= 3) return 'A footprint needs at least 3 corners: this one cannot be removed.';
  corners.splice(ref.index, 1);
  return withRing(f, ref, corners);
}

/** The handle nearest a screen point within `maxPx` (screen positions given in the handles' order), or -1. */
export function nearestHandle(
  screen: readonly ({ x: number; y: number } | null | undefined)[],
  at: { x: number; y: number },
  maxPx: number,
): number {
  let best = -1;
  let bestD = maxPx;
  screen.forEach((p, i) => {
    if (!p) return;
    const d = Math.hypot(p.x - at.x, p.y - at.y);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

/** Whether two edges of one ring cross (not counting neighbours sharing a corner): the outline is drawn red then. */
export function ringSelfIntersects(ring: readonly LonLat[]): boolean {
  const c = openRing(ring);
  const n = c.length;
  const cross = (o: LonLat, a: LonLat, b: LonLat) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      const [a, b, p, q] = [c[i], c[(i + 1) % n], c[j], c[(j + 1) % n]];
      const d1 = cross(p, q, a);
      const d2 = cross(p, q, b);
      const d3 = cross(a, b, p);
      const d4 = cross(a, b, q);
      if (d1 * d2 < 0 && d3 * d4 < 0) return true;
    }
  return false;
}

// ---- Turning ----

const WGS84_A = 6_378_137;
const WGS84_F = 1 / 298.257223563;

/** Metres per degree east and north at a latitude (packages/scenario's localFrame: radii of curvature there). */
export function metresPerDegree(lat: number): { lon: number; lat: number } {
  const e2 = WGS84_F * (2 - WGS84_F);
  const phi = (lat * Math.PI) / 180;
  const w = 1 - e2 * Math.sin(phi) ** 2;
  const perDeg = Math.PI / 180;
  return {
    lon: (WGS84_A / Math.sqrt(w)) * Math.cos(phi) * perDeg,
    lat: ((WGS84_A * (1 - e2)) / w ** 1.5) * perDeg,
  };
}

/** The area centroid of a footprint's outer rings less their holes (the mean of its corners if it has no area). */
export function footprintCentroid(f: FootprintJson): LonLat {
  const polygons = polygonsOf(f);
  const all = polygons.flatMap((p) => openRing(p[0]));
  const [lon0, lat0] = [
    all.reduce((a, p) => a + p[0], 0) / all.length,
    all.reduce((a, p) => a + p[1], 0) / all.length,
  ];
  const m = metresPerDegree(lat0);
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (const p of polygons)
    p.forEach((r, k) => {
      const c = openRing(r).map(([x, y]) => [(x - lon0) * m.lon, (y - lat0) * m.lat]);
      let a = 0;
      let sx = 0;
      let sy = 0;
      for (let i = 0, j = c.length - 1; i < c.length; j = i++) {
        const t = c[j][0] * c[i][1] - c[i][0] * c[j][1];
        a += t;
        sx += (c[j][0] + c[i][0]) * t;
        sy += (c[j][1] + c[i][1]) * t;
      }
      // Outer rings add, holes take away, whatever their winding.
      const sign = (k === 0 ? 1 : -1) * Math.sign(a);
      area += (sign * a) / 2;
      cx += (sign * sx) / 6;
      cy += (sign * sy) / 6;
    });
  if (!(Math.abs(area) > 1e-9)) return [lon0, lat0];
  return [lon0 + cx / area / m.lon, lat0 + cy / area / m.lat];
}

/** The compass bearing (degrees clockwise from north, 0–360) from `centre` to `p`. */
export function bearingDeg(centre: LonLat, p: LonLat): number {
  const m = metresPerDegree(centre[1]);
  const deg = (Math.atan2((p[0] - centre[0]) * m.lon, (p[1] - centre[1]) * m.lat) * 180) / Math.PI;
  return (deg + 360) % 360;
}

/**
 * The turn (degrees clockwise, −180 to 180, in whole `stepDeg`) a drag around `centre` from `from` to `to` makes:
 * how far the pointer's bearing from the centre has swung.
 */
export function turnFromDrag(centre: LonLat, from: LonLat, to: LonLat, stepDeg = 1): number {
  let d = bearingDeg(centre, to) - bearingDeg(centre, from);
  d = ((((d + 180) % 360) + 360) % 360) - 180;
  const snapped = Math.round(d / stepDeg) * stepDeg;
  return snapped === -180 ? 180 : snapped + 0; // +0: no −0
}

/** A footprint turned `deg` clockwise seen from above about `about` (as packages/scenario's rotateFootprint). */
export function rotatedFootprint(f: FootprintJson, deg: number, about: LonLat): FootprintJson {
  const t = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(t), Math.sin(t)];
  const m = metresPerDegree(about[1]);
  const turn = ([x, y]: LonLat): LonLat => {
    const e = (x - about[0]) * m.lon;
    const n = (y - about[1]) * m.lat;
    return [about[0] + (e * c + n * s) / m.lon, about[1] + (-e * s + n * c) / m.lat];
  };
  return rebuilt(
    f,
    polygonsOf(f).map((p) => p.map((r) => r.map(turn))),
  );
}

/** Where the turn handle stands: beyond the footprint's farthest corner from `centre`, at bearing `deg` (0 north). */
export function turnHandleAt(f: FootprintJson, centre: LonLat, deg = 0): LonLat {
  const m = metresPerDegree(centre[1]);
  const reach = Math.max(
    ...vertexHandles(f).map(({ at }) => Math.hypot((at[0] - centre[0]) * m.lon, (at[1] - centre[1]) * m.lat)),
  );
  const r = reach + Math.max(6, reach * 0.35);
  const t = (deg * Math.PI) / 180;
  return [centre[0] + (r * Math.sin(t)) / m.lon, centre[1] + (r * Math.cos(t)) / m.lat];
}

/** The `modify` change that sets a reshaped footprint. */
export const reshapeChange = (id: string, footprint: FootprintJson): Change => ({
  op: 'modify',
  id,
  footprint,
});

/** The `modify` change for a turn dragged on the map: `rotationDeg` about the centroid (null for no turn). */
export const turnChange = (id: string, deg: number, about: LonLat): Change | null =>
  deg % 360 === 0 ? null : { op: 'modify', id, rotationDeg: deg, rotateAbout: [about[0], about[1]] };

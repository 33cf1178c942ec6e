/**
 * Buildings from the database as shade casters in British National Grid metres, and the coordinate plumbing the
 * solar analyses share (WGS84 ↔ BNG boxes, a fast lattice for transforming many grid points).
 */
import { buildingsInBbox, type Db } from '@placetwin/db';
import { type BBox, DataError, type GeoJsonGeometry, pointInRing, transformer } from '@placetwin/geo';
import type { Obstacle } from '@placetwin/solar';

/** A box in British National Grid metres: minX (easting), minY (northing), maxX, maxY. */
export type BngBox = [number, number, number, number];

/**
 * Where British National Grid (and Ordnance Survey's OSTN15 grid) is defined: the solar analyses compute in
 * BNG metres, so an area outside it is refused rather than computed in a distorted frame.
 */
export const BNG_EXTENT: BBox = [-9, 49, 2, 61];

/** Buildings reach at most this many per query: more than any 4 km² of England holds. */
const MAX_CASTERS = 100_000;

export function checkInGreatBritain(lon: number, lat: number, what: string): void {
  const [w, s, e, n] = BNG_EXTENT;
  if (!(lon >= w && lon <= e && lat >= s && lat <= n))
    throw new DataError(
      'outside-great-britain',
      `${what} (${lon}, ${lat}) is outside Great Britain (${s}–${n}° N, ${-w}° W–${e}° E): the sun and shadow analyses work in British National Grid metres`,
    );
}

/** A bilinear interpolant of a 2D transform over a rectangle, exact at lattice nodes `spacing` apart. */
export interface Lattice {
  apply(x: number, y: number): [number, number];
}

/**
 * Transforms many points quickly: the exact transform (proj4, with OSTN15 when loaded) at the nodes of a lattice
 * over the rectangle, bilinear in between. Over a 50 m lattice the interpolation error of BNG ↔ WGS84 is under a
 * millimetre (the transform's curvature over 50 m); points outside the rectangle are extrapolated from its edge.
 */
export function latticeTransform(
  from: string,
  to: string,
  [x0, y0, x1, y1]: BngBox,
  spacing: number,
): Lattice {
  const exact = transformer(from, to);
  const nx = Math.max(1, Math.ceil((x1 - x0) / spacing));
  const ny = Math.max(1, Math.ceil((y1 - y0) / spacing));
  const dx = (x1 - x0) / nx || 1;
  const dy = (y1 - y0) / ny || 1;
  const nodes = new Float64Array((nx + 1) * (ny + 1) * 2);
  for (let j = 0; j <= ny; j++)
    for (let i = 0; i <= nx; i++) {
      const [u, v] = exact(x0 + i * dx, y0 + j * dy);
      const k = 2 * (j * (nx + 1) + i);
      nodes[k] = u;
      nodes[k + 1] = v;
    }
  return {
    apply(x, y) {
      const fx = (x - x0) / dx;
      const fy = (y - y0) / dy;
      const i = Math.min(nx - 1, Math.max(0, Math.floor(fx)));
      const j = Math.min(ny - 1, Math.max(0, Math.floor(fy)));
      const tx = fx - i;
      const ty = fy - j;
      const k00 = 2 * (j * (nx + 1) + i);
      const k10 = k00 + 2;
      const k01 = k00 + 2 * (nx + 1);
      const k11 = k01 + 2;
      const lerp = (c: number) =>
        (1 - ty) * ((1 - tx) * nodes[k00 + c] + tx * nodes[k10 + c]) +
        ty * ((1 - tx) * nodes[k01 + c] + tx * nodes[k11 + c]);
      return [lerp(0), lerp(1)];
    },
  };
}

/** The WGS84 box that holds a BNG box (its edges sampled, since they are not lines of longitude or latitude). */
export function wgs84BoxOfBng([x0, y0, x1, y1]: BngBox): BBox {
  const toWgs = transformer('EPSG:27700', 'EPSG:4326');
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const steps = 8;
  for (let i = 0; i <= steps; i++)
    for (const [x, y] of [
      [x0 + ((x1 - x0) * i) / steps, y0],
      [x0 + ((x1 - x0) * i) / steps, y1],
      [x0, y0 + ((y1 - y0) * i) / steps],
      [x1, y0 + ((y1 - y0) * i) / steps],
    ]) {
      const [lon, lat] = toWgs(x, y);
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  return box;
}

/** The outline of a WGS84 box in BNG metres, each edge sampled (a BNG polygon, closed, counter-clockwise). */
export function bngRingOfWgs84Box([w, s, e, n]: BBox, perEdge = 8): [number, number][] {
  const toBng = transformer('EPSG:4326', 'EPSG:27700');
  const ring: [number, number][] = [];
  const edge = (a: [number, number], b: [number, number]) => {
    for (let i = 0; i < perEdge; i++) {
      const t = i / perEdge;
      ring.push(toBng(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t));
    }
  };
  edge([w, s], [e, s]);
  edge([e, s], [e, n]);
  edge([e, n], [w, n]);
  edge([w, n], [w, s]);
  ring.push([...ring[0]]);
  return ring;
}

export interface ShadeCasters {
  obstacles: Obstacle[];
  /** Buildings left out because their parts stand for them (their parts cast the shadow instead). */
  replacedByParts: number;
}

type Polygons = number[][][][];
const polygonsOf = (g: GeoJsonGeometry): Polygons =>
  g.type === 'Polygon'
    ? [g.coordinates as number[][][]]
    : g.type === 'MultiPolygon'
      ? (g.coordinates as Polygons)
      : [];

/**
 * The buildings (and building parts) of a dataset whose footprints meet a BNG box grown by `marginM`, as prisms in
 * BNG metres. A building drawn by its parts (OSM Simple 3D Buildings: a part naming it as parent, or lying inside
 * its outline) is left out, so that its parts' heights, not the outline's, cast the shadow.
 */
export async function shadeCasters(
  db: Db,
  dataset: string,
  box: BngBox,
  marginM: number,
): Promise<ShadeCasters> {
  const grown: BngBox = [box[0] - marginM, box[1] - marginM, box[2] + marginM, box[3] + marginM];
  const features = await buildingsInBbox(db, wgs84BoxOfBng(grown), { dataset, limit: MAX_CASTERS });
  if (features.length >= MAX_CASTERS)
    throw new DataError(
      'too-many-buildings',
      `more than ${MAX_CASTERS} buildings lie within ${marginM} m of the area: choose a smaller area`,
    );
  const parentIds = new Set<string>();
  const looseParts: [number, number][] = [];
  for (const f of features) {
    if (f.properties.kind !== 'part') continue;
    if (f.properties.parentSourceId) parentIds.add(f.properties.parentSourceId);
    else {
      const ring = polygonsOf(f.geometry)[0]?.[0];
      if (!ring?.length) continue;
      // A point inside the part: the mean of its outer ring's vertices is, for the small convex-ish parts of OSM.
      const n = ring.length - 1 || 1;
      looseParts.push([
        ring.slice(0, n).reduce((a, p) => a + p[0], 0) / n,
        ring.slice(0, n).reduce((a, p) => a + p[1], 0) / n,
      ]);
    }
  }
  const toBng = transformer('EPSG:4326', 'EPSG:27700');
  const obstacles: Obstacle[] = [];
  let replacedByParts = 0;
  for (const f of features) {
    const p = f.properties;
    if (!(p.heightM > p.minHeightM)) continue;
    const polygons = polygonsOf(f.geometry);
    if (p.kind === 'building') {
      const outline = polygons.map((poly) => Float64Array.from(poly[0].flat()));
      const hasParts =
        parentIds.has(p.sourceId) ||
        looseParts.some(([x, y]) =>
          outline.some((ring) => pointInRing(x, y, ring.subarray(0, ring.length - 2))),
        );
      if (hasParts) {
        replacedByParts++;
        continue;
      }
    }
    const footprint = polygons.map((poly) =>
      poly.map((ring) => {
        const out = new Float64Array(ring.length * 2);
        ring.forEach(([lon, lat], i) => {
          [out[2 * i], out[2 * i + 1]] = toBng(lon, lat);
        });
        return out;
      }),
    );
    obstacles.push({ id: p.id, footprint, heightM: p.heightM, minHeightM: p.minHeightM });
  }
  return { obstacles, replacedByParts };
}

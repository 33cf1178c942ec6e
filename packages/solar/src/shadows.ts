import { type Geom, union } from 'polyclip-ts';
import {
  type CheckedObstacle,
  checkObstacles,
  type MultiPolygonGeometry,
  type Obstacle,
  towardsSun,
} from './obstacles';
import type { SunPosition } from './spa';

/** The Sun as shadows need it: where it is and how high it appears (refraction bends the light that casts them). */
export type SunDirection = Pick<SunPosition, 'azimuthDeg' | 'apparentElevationDeg'>;

export interface ShadowOptions {
  /**
   * Azimuth of the metric frame's +y axis, degrees clockwise from true north: 0 for a local ENU frame,
   * `bngGridNorthDeg(lon, lat)` for British National Grid.
   */
  gridNorthDeg: number;
  /** Name of the data source, for error messages. */
  source?: string;
}

export interface ShadowFootprints {
  /** False when the Sun is at or below the horizon: then the whole ground is in shadow and `geometry` is empty. */
  sunAboveHorizon: boolean;
  /** Shadow length per metre of height, 1 / tan(apparent elevation). */
  lengthPerHeightM: number;
  /** Grid bearing of the shadows, degrees clockwise from the frame's +y axis (Sun azimuth + 180°). */
  bearingDeg: number;
  /** The ground shadows of all obstacles, unioned, footprints included, in the inputs' metric CRS. */
  geometry: MultiPolygonGeometry;
}

/**
 * The ground shadow of one prism is its footprint swept along the shadow direction from the offset of its
 * bottom to the offset of its top (a Minkowski sum with a segment). That sum is the union of the footprint
 * at both ends and the parallelograms swept by the edges. Half the edges suffice: a point of the sweep outside
 * both end copies is crossed by the sweep of an edge where the footprint is entered, and again where it is
 * left; the edges facing away from the Sun (outward normal along the shadow) are used. Every piece is a polygon (rings as flat x, y arrays) to be
 * unioned or rasterised.
 *
 * `fromM`/`toM` are the shadow offsets (metres along the unit direction dx, dy) of the prism's bottom and top.
 */
export function forEachShadowPiece(
  ob: CheckedObstacle,
  dx: number,
  dy: number,
  fromM: number,
  toM: number,
  includeBase: boolean,
  visit: (rings: Float64Array[]) => void,
): void {
  const ax = dx * fromM;
  const ay = dy * fromM;
  const bx = dx * toM;
  const by = dy * toM;
  const shifted = (ring: Float64Array, sx: number, sy: number) => {
    const out = new Float64Array(ring.length);
    for (let k = 0; k < ring.length; k += 2) {
      out[k] = ring[k] + sx;
      out[k + 1] = ring[k + 1] + sy;
    }
    return out;
  };
  const quad = new Float64Array(8);
  for (const poly of ob.polygons) {
    if (includeBase) visit(poly.map((r) => shifted(r, ax, ay)));
    visit(poly.map((r) => shifted(r, bx, by)));
    for (const ring of poly) {
      const n = ring.length / 2;
      for (let i = 0; i < n; i++) {
        const j = i + 1 === n ? 0 : i + 1;
        const px = ring[2 * i];
        const py = ring[2 * i + 1];
        const qx = ring[2 * j];
        const qy = ring[2 * j + 1];
        // Outward normal (qy − py, −(qx − px)) for normalised rings; skip edges facing the Sun or parallel to it.
        if ((qy - py) * dx - (qx - px) * dy <= 0) continue;
        quad[0] = px + ax;
        quad[1] = py + ay;
        quad[2] = qx + ax;
        quad[3] = qy + ay;
        quad[4] = qx + bx;
        quad[5] = qy + by;
        quad[6] = px + bx;
        quad[7] = py + by;
        visit([quad]);
      }
    }
  }
}

/** Unit shadow direction in the frame and shadow length per metre of height; null when the Sun is down. */
export function shadowDirection(
  sun: SunDirection,
  gridNorthDeg: number,
): { dx: number; dy: number; lengthPerHeightM: number } | null {
  const [ux, uy] = towardsSun(sun.azimuthDeg, gridNorthDeg);
  if (!(sun.apparentElevationDeg > 0)) return null;
  return { dx: -ux, dy: -uy, lengthPerHeightM: 1 / Math.tan((sun.apparentElevationDeg * Math.PI) / 180) };
}

const toPairs = (ring: Float64Array): [number, number][] => {
  const out: [number, number][] = [];
  for (let k = 0; k < ring.length; k += 2) out.push([ring[k], ring[k + 1]]);
  out.push([ring[0], ring[1]]);
  return out;
};

const cross = (ox: number, oy: number, ax: number, ay: number, bx: number, by: number) =>
  (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);

/** A counter-clockwise ring with no reflex vertex. */
function isConvex(ring: Float64Array): boolean {
  const n = ring.length / 2;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const k = (i + 2) % n;
    if (cross(ring[2 * i], ring[2 * i + 1], ring[2 * j], ring[2 * j + 1], ring[2 * k], ring[2 * k + 1]) < 0)
      return false;
  }
  return true;
}

/** Convex hull (Andrew's monotone chain) of a convex ring placed at both ends of its shadow sweep. */
function sweptHull(
  ring: Float64Array,
  dx: number,
  dy: number,
  fromM: number,
  toM: number,
): [number, number][] {
  const pts: [number, number][] = [];
  for (let k = 0; k < ring.length; k += 2) {
    pts.push([ring[k] + dx * fromM, ring[k + 1] + dy * fromM]);
    pts.push([ring[k] + dx * toM, ring[k + 1] + dy * toM]);
  }
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const hull: [number, number][] = [];
  for (const pass of [pts, [...pts].reverse()]) {
    const start = hull.length;
    for (const p of pass) {
      while (
        hull.length >= start + 2 &&
        cross(
          hull[hull.length - 2][0],
          hull[hull.length - 2][1],
          hull[hull.length - 1][0],
          hull[hull.length - 1][1],
          p[0],
          p[1],
        ) <= 0
      )
        hull.pop();
      hull.push(p);
    }
    hull.pop();
  }
  hull.push(hull[0]);
  return hull;
}

/** polyclip-ts takes its operands as arguments; beyond this many, union in batches to stay clear of call limits. */
const UNION_BATCH = 5000;

function unionAll(pieces: Geom[]): [number, number][][][] {
  if (pieces.length === 0) return [];
  let acc = union(pieces[0], ...pieces.slice(1, UNION_BATCH));
  for (let i = UNION_BATCH; i < pieces.length; i += UNION_BATCH)
    acc = union(acc, ...pieces.slice(i, i + UNION_BATCH));
  return acc;
}

/**
 * Ground shadows of extruded obstacles (flat ground) for one Sun position, unioned into one MultiPolygon
 * in the obstacles' metric CRS. A box of height h casts a shadow h / tan(elevation) long, away from the Sun.
 */
export function shadowFootprints(
  obstacles: readonly Obstacle[],
  sun: SunDirection,
  options: ShadowOptions,
): ShadowFootprints {
  const checked = checkObstacles(obstacles, options.source ?? null);
  const dir = shadowDirection(sun, options.gridNorthDeg);
  const bearingDeg = (((sun.azimuthDeg - options.gridNorthDeg + 180) % 360) + 360) % 360;
  if (!dir)
    return {
      sunAboveHorizon: false,
      lengthPerHeightM: Number.POSITIVE_INFINITY,
      bearingDeg,
      geometry: { type: 'MultiPolygon', coordinates: [] },
    };
  const pieces: Geom[] = [];
  for (const ob of checked) {
    const fromM = ob.minHeightM * dir.lengthPerHeightM;
    const toM = ob.heightM * dir.lengthPerHeightM;
    for (const poly of ob.polygons) {
      // Most footprints are convex; their swept shadow is simply a hull, which spares the boolean union work.
      if (poly.length === 1 && isConvex(poly[0]))
        pieces.push([sweptHull(poly[0], dir.dx, dir.dy, fromM, toM)]);
      else
        forEachShadowPiece({ ...ob, polygons: [poly] }, dir.dx, dir.dy, fromM, toM, true, (rings) =>
          pieces.push(rings.map(toPairs)),
        );
    }
  }
  return {
    sunAboveHorizon: true,
    lengthPerHeightM: dir.lengthPerHeightM,
    bearingDeg,
    geometry: { type: 'MultiPolygon', coordinates: unionAll(pieces) },
  };
}

import { type CheckedObstacle, checkObstacles, type Obstacle, towardsSun } from './obstacles';
import type { SunDirection } from './shadows';

/**
 * Point queries: is the Sun visible from a point? A ray from the point towards the Sun is blocked by a prism
 * when, over the stretch of its horizontal path where its height lies between the prism's bottom and top,
 * it passes over the footprint.
 */

/** Does the segment (x0, y0)→(x1, y1) touch the polygon (rings: outer then holes)? */
function segmentHitsPolygon(
  rings: readonly Float64Array[],
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean {
  let inside = false;
  const ex = x1 - x0;
  const ey = y1 - y0;
  for (const r of rings) {
    const n = r.length / 2;
    let px = r[2 * n - 2];
    let py = r[2 * n - 1];
    for (let i = 0; i < n; i++) {
      const qx = r[2 * i];
      const qy = r[2 * i + 1];
      if (py <= y0 !== qy <= y0 && x0 < px + ((y0 - py) * (qx - px)) / (qy - py)) inside = !inside;
      // Proper or touching crossing of the two segments (orientation tests).
      const fx = qx - px;
      const fy = qy - py;
      const denom = ex * fy - ey * fx;
      if (denom !== 0) {
        const t = ((px - x0) * fy - (py - y0) * fx) / denom;
        const u = ((px - x0) * ey - (py - y0) * ex) / denom;
        if (t >= 0 && t <= 1 && u >= 0 && u <= 1) return true;
      }
      px = qx;
      py = qy;
    }
  }
  return inside;
}

/** Is the ray from (x, y) on the ground towards the Sun (unit ux, uy; rise tanE > 0 per metre) blocked by `ob`? */
function blocks(
  ob: CheckedObstacle,
  x: number,
  y: number,
  ux: number,
  uy: number,
  tanE: number,
  maxM: number,
): boolean {
  const fromM = ob.minHeightM / tanE;
  const toM = Math.min(ob.heightM / tanE, maxM);
  if (fromM > toM) return false;
  const [bx0, by0, bx1, by1] = ob.bbox;
  const sx0 = x + ux * fromM;
  const sy0 = y + uy * fromM;
  const sx1 = x + ux * toM;
  const sy1 = y + uy * toM;
  if (
    Math.max(sx0, sx1) < bx0 ||
    Math.min(sx0, sx1) > bx1 ||
    Math.max(sy0, sy1) < by0 ||
    Math.min(sy0, sy1) > by1
  )
    return false;
  for (const poly of ob.polygons) if (segmentHitsPolygon(poly, sx0, sy0, sx1, sy1)) return true;
  return false;
}

/**
 * Obstacles bucketed in a uniform 2D grid over their bounding boxes, for ray marching. Queries write to
 * `seen`/`query`, so one index serves one thread at a time (build one per worker).
 */
export interface ObstacleIndex {
  obstacles: CheckedObstacle[];
  bucketM: number;
  originX: number;
  originY: number;
  cols: number;
  rows: number;
  /** Obstacles per bucket: bucketStart[b]..bucketStart[b + 1] in `items`. */
  bucketStart: Uint32Array;
  items: Uint32Array;
  maxHeightM: number;
  /** Per-query marks so that an obstacle spanning several buckets is tested once. */
  seen: Uint32Array;
  query: number;
}

/** Builds the bucket grid (default 16 m buckets) over the obstacles. */
export function buildObstacleIndex(
  obstacles: readonly Obstacle[],
  bucketM = 16,
  source?: string,
): ObstacleIndex {
  const checked = checkObstacles(obstacles, source ?? null);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let maxHeightM = 0;
  for (const o of checked) {
    minX = Math.min(minX, o.bbox[0]);
    minY = Math.min(minY, o.bbox[1]);
    maxX = Math.max(maxX, o.bbox[2]);
    maxY = Math.max(maxY, o.bbox[3]);
    maxHeightM = Math.max(maxHeightM, o.heightM);
  }
  if (checked.length === 0) minX = minY = maxX = maxY = 0;
  const cols = Math.max(1, Math.ceil((maxX - minX) / bucketM) + 1);
  const rows = Math.max(1, Math.ceil((maxY - minY) / bucketM) + 1);
  const counts = new Uint32Array(cols * rows + 1);
  const span = (o: CheckedObstacle) => [
    Math.floor((o.bbox[0] - minX) / bucketM),
    Math.floor((o.bbox[1] - minY) / bucketM),
    Math.floor((o.bbox[2] - minX) / bucketM),
    Math.floor((o.bbox[3] - minY) / bucketM),
  ];
  for (const o of checked) {
    const [c0, r0, c1, r1] = span(o);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) counts[r * cols + c + 1]++;
  }
  for (let b = 1; b < counts.length; b++) counts[b] += counts[b - 1];
  const bucketStart = counts.slice();
  const fill = counts.slice();
  const items = new Uint32Array(bucketStart[cols * rows]);
  checked.forEach((o, k) => {
    const [c0, r0, c1, r1] = span(o);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) items[fill[r * cols + c]++] = k;
  });
  return {
    obstacles: checked,
    bucketM,
    originX: minX,
    originY: minY,
    cols,
    rows,
    bucketStart,
    items,
    maxHeightM,
    seen: new Uint32Array(checked.length),
    query: 0,
  };
}

function rayFrame(sun: SunDirection, gridNorthDeg: number) {
  const [ux, uy] = towardsSun(sun.azimuthDeg, gridNorthDeg);
  const tanE = Math.tan((sun.apparentElevationDeg * Math.PI) / 180);
  return { ux, uy, tanE };
}

/**
 * Is the Sun visible from ground point (x, y)? Walks the buckets the ray crosses (Amanatides & Woo) up to
 * where it rises above the tallest obstacle, testing each obstacle found there once.
 * The Sun below the horizon counts as not visible.
 */
export function isSunlit(
  index: ObstacleIndex,
  x: number,
  y: number,
  sun: SunDirection,
  gridNorthDeg: number,
): boolean {
  if (!(sun.apparentElevationDeg > 0)) return false;
  const { ux, uy, tanE } = rayFrame(sun, gridNorthDeg);
  const { bucketM, originX, originY, cols, rows } = index;
  // Clip the ray to the index's extent: the stretch [sMin, sMax] of horizontal distance.
  let sMin = 0;
  let sMax = index.maxHeightM / tanE;
  const clip = (p: number, u: number, lo: number, hi: number) => {
    if (u === 0) return p >= lo && p <= hi;
    let a = (lo - p) / u;
    let b = (hi - p) / u;
    if (a > b) [a, b] = [b, a];
    sMin = Math.max(sMin, a);
    sMax = Math.min(sMax, b);
    return sMin <= sMax;
  };
  if (!clip(x, ux, originX, originX + cols * bucketM) || !clip(y, uy, originY, originY + rows * bucketM))
    return true;
  index.query = (index.query + 1) >>> 0 || 1;
  if (index.query === 1) index.seen.fill(0);
  const q = index.query;
  const ex = x + ux * sMin;
  const ey = y + uy * sMin;
  let col = Math.min(cols - 1, Math.max(0, Math.floor((ex - originX) / bucketM)));
  let row = Math.min(rows - 1, Math.max(0, Math.floor((ey - originY) / bucketM)));
  const stepCol = ux > 0 ? 1 : -1;
  const stepRow = uy > 0 ? 1 : -1;
  const nextBoundary = (cell: number, step: number, origin: number) =>
    origin + (cell + (step > 0 ? 1 : 0)) * bucketM;
  let tCol = ux !== 0 ? (nextBoundary(col, stepCol, originX) - x) / ux : Number.POSITIVE_INFINITY;
  let tRow = uy !== 0 ? (nextBoundary(row, stepRow, originY) - y) / uy : Number.POSITIVE_INFINITY;
  const dCol = ux !== 0 ? bucketM / Math.abs(ux) : Number.POSITIVE_INFINITY;
  const dRow = uy !== 0 ? bucketM / Math.abs(uy) : Number.POSITIVE_INFINITY;
  for (;;) {
    const b = row * cols + col;
    for (let k = index.bucketStart[b]; k < index.bucketStart[b + 1]; k++) {
      const id = index.items[k];
      if (index.seen[id] === q) continue;
      index.seen[id] = q;
      if (blocks(index.obstacles[id], x, y, ux, uy, tanE, sMax)) return false;
    }
    if (tCol < tRow) {
      if (tCol > sMax) return true;
      col += stepCol;
      tCol += dCol;
    } else {
      if (tRow > sMax) return true;
      row += stepRow;
      tRow += dRow;
    }
    if (col < 0 || col >= cols || row < 0 || row >= rows) return true;
  }
}

/**
 * The same question answered by testing the ray against every obstacle of the index, ignoring its buckets:
 * the naive reference that the bucket walk and the sun-hours grid are checked and benchmarked against.
 */
export function isSunlitExhaustive(
  index: Pick<ObstacleIndex, 'obstacles'>,
  x: number,
  y: number,
  sun: SunDirection,
  gridNorthDeg: number,
): boolean {
  if (!(sun.apparentElevationDeg > 0)) return false;
  const { ux, uy, tanE } = rayFrame(sun, gridNorthDeg);
  for (const ob of index.obstacles)
    if (blocks(ob, x, y, ux, uy, tanE, Number.POSITIVE_INFINITY)) return false;
  return true;
}

/**
 * The spatial partition: a quadtree on the global Web Mercator grid (the slippy-map z/x/y tiles), over one
 * reference point per building. The grid is fixed on the globe, not fitted to the data, so a building added
 * in one town changes only the cells on its own path; other tiles keep their content and hence their
 * content-hash names. Mercator cells are square in metres locally, so "equal-area-ish" at city scale.
 */

/** Deepest zoom: cells of ~2.4 m at the equator, ~1.5 m in England. Only stacked duplicates get this deep. */
export const MAX_ZOOM = 24;

export interface QuadCell {
  z: number;
  x: number;
  y: number;
  /** Item indices (ascending) in this cell and below. */
  items: number[];
  /** Children: empty for a content cell. */
  children: QuadCell[];
}

/** lon/lat degrees → Web Mercator in [0, 1]², y down from the north. */
export function mercator(lonDeg: number, latDeg: number): [number, number] {
  const lat = (Math.max(-85.05112878, Math.min(85.05112878, latDeg)) * Math.PI) / 180;
  return [(lonDeg + 180) / 360, (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2];
}

const cellOf = (v: number, z: number): number => Math.min(2 ** z - 1, Math.floor(v * 2 ** z));

/**
 * Partitions points (x, y pairs in Mercator [0, 1]²) so that no content cell holds more than `maxPerCell`:
 * count the points in a cell → over the budget, split in four → else it is a content cell. The root is the
 * smallest grid cell holding every point; a cell with a single non-empty quadrant is replaced by that
 * quadrant. Points that cannot be separated by MAX_ZOOM are split into chunks of `maxPerCell` (sibling
 * content cells over the same area).
 */
export function partition(points: Float64Array, maxPerCell: number): QuadCell {
  const n = points.length / 2;
  if (n === 0) throw new Error('partition: no points');
  let minX = 1;
  let minY = 1;
  let maxX = 0;
  let maxY = 0;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, points[i * 2]);
    maxX = Math.max(maxX, points[i * 2]);
    minY = Math.min(minY, points[i * 2 + 1]);
    maxY = Math.max(maxY, points[i * 2 + 1]);
  }
  let z = 0;
  while (
    z < MAX_ZOOM &&
    cellOf(minX, z + 1) === cellOf(maxX, z + 1) &&
    cellOf(minY, z + 1) === cellOf(maxY, z + 1)
  ) {
    z++;
  }
  const all = Array.from({ length: n }, (_, i) => i);
  return split({ z, x: cellOf(minX, z), y: cellOf(minY, z), items: all, children: [] }, points, maxPerCell);
}

function split(cell: QuadCell, points: Float64Array, maxPerCell: number): QuadCell {
  for (;;) {
    if (cell.items.length <= maxPerCell) return cell;
    if (cell.z >= MAX_ZOOM) {
      for (let i = 0; i < cell.items.length; i += maxPerCell) {
        cell.children.push({ ...cell, items: cell.items.slice(i, i + maxPerCell), children: [] });
      }
      return cell;
    }
    const z = cell.z + 1;
    const quadrants: number[][] = [[], [], [], []];
    for (const i of cell.items) {
      const qx = cellOf(points[i * 2], z) - cell.x * 2;
      const qy = cellOf(points[i * 2 + 1], z) - cell.y * 2;
      quadrants[qy * 2 + qx].push(i);
    }
    const nonEmpty = quadrants.map((items, q) => ({ q, items })).filter((c) => c.items.length > 0);
    const children = nonEmpty.map(({ q, items }) => ({
      z,
      x: cell.x * 2 + (q & 1),
      y: cell.y * 2 + (q >> 1),
      items,
      children: [],
    }));
    if (children.length === 1) {
      cell = children[0];
      continue;
    }
    cell.children = children.map((c) => split(c, points, maxPerCell));
    return cell;
  }
}

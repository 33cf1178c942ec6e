/**
 * A regular grid of square cells in a metric frame, and scan conversion of polygons onto it.
 * Cell (col, row) has its centre at (originX + (col + ½)·cellM, originY + (row + ½)·cellM); row 0 is the
 * southernmost; index = row · cols + col. A cell belongs to a polygon when its centre does (even-odd rule,
 * half-open so that two polygons sharing an edge never both claim a centre on it).
 */
export interface GridGeometry {
  /** South-west corner of the grid, metres. */
  originX: number;
  originY: number;
  cellM: number;
  cols: number;
  rows: number;
}

/** Reused per call: x positions where a row's centre line crosses the polygon. */
let crossings = new Float64Array(64);

/**
 * Calls `visit(index)` for every cell whose centre lies inside the polygon (rings translated by sx, sy),
 * clipped to the grid. Allocation-free apart from growing the shared crossing buffer.
 */
export function scanPolygon(
  grid: GridGeometry,
  rings: readonly Float64Array[],
  sx: number,
  sy: number,
  visit: (index: number) => void,
): void {
  const { originX, originY, cellM, cols, rows } = grid;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let vertices = 0;
  for (const r of rings) {
    vertices += r.length / 2;
    for (let k = 1; k < r.length; k += 2) {
      if (r[k] < minY) minY = r[k];
      if (r[k] > maxY) maxY = r[k];
    }
  }
  minY += sy;
  maxY += sy;
  const rowFrom = Math.max(0, Math.ceil((minY - originY) / cellM - 0.5));
  const rowTo = Math.min(rows - 1, Math.floor((maxY - originY) / cellM - 0.5));
  if (rowFrom > rowTo) return;
  if (crossings.length < vertices) crossings = new Float64Array(vertices * 2);
  const xs = crossings;
  for (let row = rowFrom; row <= rowTo; row++) {
    const y = originY + (row + 0.5) * cellM;
    let count = 0;
    for (const r of rings) {
      const n = r.length / 2;
      let px = r[2 * n - 2] + sx;
      let py = r[2 * n - 1] + sy;
      for (let i = 0; i < n; i++) {
        const qx = r[2 * i] + sx;
        const qy = r[2 * i + 1] + sy;
        if (py <= y !== qy <= y) xs[count++] = px + ((y - py) * (qx - px)) / (qy - py);
        px = qx;
        py = qy;
      }
    }
    if (count < 2) continue;
    const sorted = xs.subarray(0, count).sort();
    const rowBase = row * cols;
    for (let k = 0; k + 1 < count; k += 2) {
      const colFrom = Math.max(0, Math.ceil((sorted[k] - originX) / cellM - 0.5));
      const colTo = Math.min(cols, Math.ceil((sorted[k + 1] - originX) / cellM - 0.5));
      for (let col = colFrom; col < colTo; col++) visit(rowBase + col);
    }
  }
}

/** Centre of a cell, metres. */
export const cellCentre = (grid: GridGeometry, index: number): [number, number] => {
  const col = index % grid.cols;
  const row = (index - col) / grid.cols;
  return [grid.originX + (col + 0.5) * grid.cellM, grid.originY + (row + 0.5) * grid.cellM];
};

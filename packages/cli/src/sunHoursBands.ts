/**
 * `sunHoursGrid` run strip by strip, so a long run can say how far it has got (and a worker can be stopped
 * between strips). Pure: no I/O, safe in a worker thread.
 *
 * The area is cut into horizontal strips along cell boundaries (multiples of the cell size, the same lattice
 * `sunHoursGrid` snaps its grid to), each strip is assessed on its own with every obstacle, and the strips'
 * cells are copied back into one grid. Cell centres lie half a cell from every cut, so each strip claims
 * exactly the cells the whole area would; obstacles are not cut, so shading is unchanged.
 */
import {
  CELL_OUTSIDE,
  type PolygonM,
  type SunHoursGrid,
  type SunHoursInput,
  sunHoursGrid,
} from '@placetwin/solar';
import { intersection } from 'polyclip-ts';

type Pair = [number, number];
type Ring = Pair[];

export interface BandOptions {
  /** Strips to cut the area into, at most (default 16; never thinner than 8 cells). */
  maxBands?: number;
  /** Called after each strip: strips done, strips in all. */
  onProgress?: (done: number, total: number) => void;
}

export const BAND_DEFAULTS = { maxBands: 16, minRowsPerBand: 8 } as const;

const toPairs = (ring: Float64Array): Ring => {
  const out: Pair[] = [];
  for (let k = 0; k < ring.length; k += 2) out.push([ring[k], ring[k + 1]]);
  if (out[0][0] !== out[out.length - 1][0] || out[0][1] !== out[out.length - 1][1]) out.push([...out[0]]);
  return out;
};

const toFlat = (ring: Ring): Float64Array => {
  const n = ring.length - 1; // polyclip closes its rings
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = ring[i][0];
    out[2 * i + 1] = ring[i][1];
  }
  return out;
};

function extent(area: PolygonM): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const ring of area)
    for (let k = 0; k < ring.length; k += 2) {
      minX = Math.min(minX, ring[k]);
      maxX = Math.max(maxX, ring[k]);
      minY = Math.min(minY, ring[k + 1]);
      maxY = Math.max(maxY, ring[k + 1]);
    }
  return [minX, minY, maxX, maxY];
}

/** The area cut into strips on cell boundaries: one polygon per piece (a strip may hold several). */
export function areaStrips(
  area: PolygonM,
  cellM: number,
  maxBands: number = BAND_DEFAULTS.maxBands,
): PolygonM[] {
  const [minX, minY, maxX, maxY] = extent(area);
  const firstRow = Math.floor(minY / cellM);
  const rows = Math.max(1, Math.ceil(maxY / cellM) - firstRow);
  const bands = Math.max(1, Math.min(maxBands, Math.floor(rows / BAND_DEFAULTS.minRowsPerBand)));
  if (bands === 1) return [area];
  const rowsPerBand = Math.ceil(rows / bands);
  const subject = area.map(toPairs);
  const pieces: PolygonM[] = [];
  for (let b = 0; b < bands; b++) {
    // Integer × cellM, as sunHoursGrid computes its origin: the cuts fall exactly on cell edges.
    const y0 = b === 0 ? minY - cellM : (firstRow + b * rowsPerBand) * cellM;
    const y1 = b === bands - 1 ? maxY + cellM : (firstRow + (b + 1) * rowsPerBand) * cellM;
    if (y0 >= y1) continue;
    const x0 = minX - cellM;
    const x1 = maxX + cellM;
    const strip: Ring = [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ];
    for (const poly of intersection(subject, [strip])) pieces.push(poly.map(toFlat));
  }
  return pieces;
}

/**
 * The same answer as `sunHoursGrid(input)` (cell for cell, and the same summary), computed strip by strip with
 * progress. The grid spans the area's bounding box on the cell lattice, as `sunHoursGrid`'s does.
 */
export function sunHoursInBands(input: SunHoursInput, options: BandOptions = {}): SunHoursGrid {
  const cellM = input.cellM ?? 1;
  // A bad area or cell size is reported by sunHoursGrid itself, with its own words.
  if (!(cellM > 0) || input.area.length === 0 || input.area.some((r) => r.length < 6))
    return sunHoursGrid(input);
  const pieces = areaStrips(input.area, cellM, options.maxBands);
  const parts: SunHoursGrid[] = [];
  pieces.forEach((area, i) => {
    parts.push(sunHoursGrid({ ...input, area }));
    options.onProgress?.(i + 1, pieces.length);
  });
  if (parts.length === 1) return parts[0];
  if (parts.length === 0) return sunHoursGrid(input);

  const originX = Math.min(...parts.map((p) => p.originX));
  const originY = Math.min(...parts.map((p) => p.originY));
  const cols = Math.round(Math.max(...parts.map((p) => p.originX + p.cols * cellM - originX)) / cellM);
  const rows = Math.round(Math.max(...parts.map((p) => p.originY + p.rows * cellM - originY)) / cellM);
  const hours = new Float32Array(cols * rows).fill(Number.NaN);
  const cellKind = new Uint8Array(cols * rows);
  let areaM2 = 0;
  let lit2h = 0;
  let hourSum = 0;
  for (const p of parts) {
    const dc = Math.round((p.originX - originX) / cellM);
    const dr = Math.round((p.originY - originY) / cellM);
    for (let r = 0; r < p.rows; r++)
      for (let c = 0; c < p.cols; c++) {
        const from = r * p.cols + c;
        if (p.cellKind[from] === CELL_OUTSIDE) continue;
        const to = (r + dr) * cols + c + dc;
        cellKind[to] = p.cellKind[from];
        hours[to] = p.hours[from];
      }
    areaM2 += p.summary.areaM2;
    lit2h += p.summary.shareAtLeast2h * p.summary.areaM2;
    hourSum += p.summary.meanHours * p.summary.areaM2;
  }
  const first = parts[0];
  return {
    originX,
    originY,
    cellM,
    cols,
    rows,
    date: first.date,
    hours,
    cellKind,
    sunrise: first.sunrise,
    sunset: first.sunset,
    steps: first.steps,
    summary: {
      areaM2,
      shareAtLeast2h: areaM2 > 0 ? lit2h / areaM2 : 0,
      meanHours: areaM2 > 0 ? hourSum / areaM2 : 0,
      daylightHours: first.summary.daylightHours,
    },
  };
}

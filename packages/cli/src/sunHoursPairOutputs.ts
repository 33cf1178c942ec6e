/**
 * A before/after pair of sun-hours grids (baseline and scenario, same area and day) as files: CSV and GeoJSON
 * cells carrying both hours. The PNGs stay one per grid (`sunHoursPng` of each).
 */
import { DataError } from '@placetwin/geo';
import { CELL_OPEN, type SunHoursGrid } from '@placetwin/solar';
import { latticeTransform } from './solarObstacles';
import { gridBox } from './sunHoursOutputs';

const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

function checkPair(before: SunHoursGrid, after: SunHoursGrid): void {
  if (
    before.originX !== after.originX ||
    before.originY !== after.originY ||
    before.cellM !== after.cellM ||
    before.cols !== after.cols ||
    before.rows !== after.rows
  )
    throw new DataError('grid-mismatch', 'the before and after sun-hours grids do not cover the same cells');
}

/** Hours of a cell, or null when it is not open ground (under a building, e.g. one the scenario puts up). */
const hoursOf = (g: SunHoursGrid, i: number): number | null =>
  g.cellKind[i] === CELL_OPEN ? round(g.hours[i], 4) : null;

/** Whether a cell was assessed on either side (open before, or open after). */
const assessed = (before: SunHoursGrid, after: SunHoursGrid, i: number) =>
  before.cellKind[i] === CELL_OPEN || after.cellKind[i] === CELL_OPEN;

export const SUN_HOURS_PAIR_CSV_HEADER = 'row,col,easting_m,northing_m,lon,lat,hours_before,hours_after';

/**
 * One line per cell open before or after: as `sunHoursCsv`, with the hours before and after (empty where the cell
 * is under a building on that side: a scenario's new building, or a demolished one's ground).
 */
export function* sunHoursPairCsv(before: SunHoursGrid, after: SunHoursGrid): Generator<string> {
  checkPair(before, after);
  const g = after;
  const toWgs = latticeTransform('EPSG:27700', 'EPSG:4326', gridBox(g), 50);
  yield `${SUN_HOURS_PAIR_CSV_HEADER}\n`;
  let chunk: string[] = [];
  for (let row = 0; row < g.rows; row++) {
    for (let col = 0; col < g.cols; col++) {
      const i = row * g.cols + col;
      if (!assessed(before, after, i)) continue;
      const x = g.originX + (col + 0.5) * g.cellM;
      const y = g.originY + (row + 0.5) * g.cellM;
      const [lon, lat] = toWgs.apply(x, y);
      chunk.push(
        `${row},${col},${round(x, 2)},${round(y, 2)},${round(lon, 7)},${round(lat, 7)},${hoursOf(before, i) ?? ''},${hoursOf(after, i) ?? ''}`,
      );
    }
    if (chunk.length >= 5000) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length) yield `${chunk.join('\n')}\n`;
}

/**
 * The cells open before or after as GeoJSON (WGS84): runs of neighbouring cells in a row with the same hours
 * before and after, with `hoursBefore`, `hoursAfter` (null under a building on that side), `row`, `colFrom`,
 * `cells`. `extra` adds foreign members (the comparison) to the collection.
 */
export function* sunHoursPairGeoJson(
  before: SunHoursGrid,
  after: SunHoursGrid,
  extra: Record<string, unknown> = {},
): Generator<string> {
  checkPair(before, after);
  const g = after;
  const toWgs = latticeTransform('EPSG:27700', 'EPSG:4326', gridBox(g), 50);
  const head = JSON.stringify({ type: 'FeatureCollection', ...extra, features: [] });
  yield head.slice(0, -2);
  const corner = (x: number, y: number) => {
    const [lon, lat] = toWgs.apply(x, y);
    return [round(lon, 7), round(lat, 7)];
  };
  let first = true;
  let chunk: string[] = [];
  for (let row = 0; row < g.rows; row++) {
    let col = 0;
    while (col < g.cols) {
      const i = row * g.cols + col;
      if (!assessed(before, after, i)) {
        col++;
        continue;
      }
      const hb = hoursOf(before, i);
      const ha = hoursOf(after, i);
      let end = col + 1;
      while (
        end < g.cols &&
        assessed(before, after, row * g.cols + end) &&
        hoursOf(before, row * g.cols + end) === hb &&
        hoursOf(after, row * g.cols + end) === ha
      )
        end++;
      const x0 = g.originX + col * g.cellM;
      const x1 = g.originX + end * g.cellM;
      const y0 = g.originY + row * g.cellM;
      const y1 = y0 + g.cellM;
      const feature = {
        type: 'Feature',
        properties: { hoursBefore: hb, hoursAfter: ha, row, colFrom: col, cells: end - col },
        geometry: {
          type: 'Polygon',
          coordinates: [[corner(x0, y0), corner(x1, y0), corner(x1, y1), corner(x0, y1), corner(x0, y0)]],
        },
      };
      chunk.push(`${first ? '' : ','}${JSON.stringify(feature)}`);
      first = false;
      col = end;
    }
    if (chunk.length >= 2000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length) yield chunk.join('');
  yield ']}';
}

/**
 * A before/after pair of sun-hours grids (baseline and scenario, same area and day) as files: CSV and GeoJSON
 * cells carrying both hours. The PNGs stay one per grid (`sunHoursPng` of each).
 */
import { DataError } from '@placetwin/geo';
import { CELL_OPEN, type SunHoursGrid } from '@placetwin/solar';
import { type CellFields, cellRunsGeoJson, cellsCsv } from './sunHoursOutputs';

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

/** Cells open before or after, with the hours on each side (null under a building on that side). */
const pairFields = (before: SunHoursGrid, after: SunHoursGrid): CellFields => ({
  names: ['hoursBefore', 'hoursAfter'],
  include: (i) => assessed(before, after, i),
  values: (i) => [hoursOf(before, i), hoursOf(after, i)],
});

/**
 * One line per cell open before or after: as `sunHoursCsv`, with the hours before and after (empty where the cell
 * is under a building on that side: a scenario's new building, or a demolished one's ground).
 */
export function sunHoursPairCsv(before: SunHoursGrid, after: SunHoursGrid): Generator<string> {
  checkPair(before, after);
  return cellsCsv(after, SUN_HOURS_PAIR_CSV_HEADER, pairFields(before, after));
}

/**
 * The cells open before or after as GeoJSON (WGS84): runs of neighbouring cells in a row with the same hours
 * before and after, with `hoursBefore`, `hoursAfter` (null under a building on that side), `row`, `colFrom`,
 * `cells`. `extra` adds foreign members (the comparison) to the collection.
 */
export function sunHoursPairGeoJson(
  before: SunHoursGrid,
  after: SunHoursGrid,
  extra: Record<string, unknown> = {},
): Generator<string> {
  checkPair(before, after);
  return cellRunsGeoJson(after, pairFields(before, after), extra);
}

import { DataError } from '@placetwin/geo';
import { BRE209, type Bre209Result, bre209Amenity } from './bre209';
import { CELL_OPEN, CELL_UNDER_OBSTACLE, type SunHoursGrid } from './sun-hours';

/** Same tolerance as the 2-hour count in sunHoursGrid: a cell lit for exactly 2 h counts. */
const TWO_HOURS = BRE209.minHours - 1e-4;

export interface SunHoursComparison {
  /** Share (0–1) of the open ground with ≥ 2 h, before and after. */
  shareBefore: number;
  shareAfter: number;
  /** Open ground assessed (m²), before and after: a building put up inside the area takes ground away. */
  areaM2Before: number;
  areaM2After: number;
  /**
   * Area with ≥ 2 h after ÷ before (BRE 209's ratio: of the sunlit area, not of the shares), null when no part
   * had 2 h before.
   */
  ratio: number | null;
  meanHoursBefore: number;
  meanHoursAfter: number;
  /** Cells counted once each: open before and after with ≥ 2 h before and < 2 h after; built on; more sun after. */
  cells: { lostTwoHours: number; builtOn: number; gainedTwoHours: number; lessSun: number; moreSun: number };
  /** The BRE 209 pair test (two-hour test after, else the 0.8 ratio), or null off 21 March. */
  bre209: Bre209Result | null;
  /** One plain-language sentence: the BRE 209 verdict on 21 March, else the change in sunlit area. */
  sentence: string;
}

const pct = (s: number) => `${Math.round(s * 100)}%`;

/**
 * Compares two sun-hours grids of the same area and day (before and after a development): the BRE 209 0.8 ratio
 * test on 21 March, and what changed cell by cell. The grids must share their geometry (same request).
 */
export function compareSunHours(
  before: SunHoursGrid,
  after: SunHoursGrid,
  options: { areaName?: string } = {},
): SunHoursComparison {
  const name = options.areaName ?? 'garden';
  if (
    before.originX !== after.originX ||
    before.originY !== after.originY ||
    before.cellM !== after.cellM ||
    before.cols !== after.cols ||
    before.rows !== after.rows ||
    before.hours.length !== after.hours.length
  )
    throw new DataError('grid-mismatch', 'the two sun-hours grids do not cover the same cells');
  if (before.date !== after.date)
    throw new DataError('date-mismatch', `the grids are for ${before.date} and ${after.date}`);
  const cells = { lostTwoHours: 0, builtOn: 0, gainedTwoHours: 0, lessSun: 0, moreSun: 0 };
  for (let i = 0; i < before.hours.length; i++) {
    if (before.cellKind[i] !== CELL_OPEN) continue;
    if (after.cellKind[i] === CELL_UNDER_OBSTACLE) {
      cells.builtOn++;
      continue;
    }
    if (after.cellKind[i] !== CELL_OPEN) continue;
    const b = before.hours[i];
    const a = after.hours[i];
    if (b >= TWO_HOURS && a < TWO_HOURS) cells.lostTwoHours++;
    if (b < TWO_HOURS && a >= TWO_HOURS) cells.gainedTwoHours++;
    if (a < b - 1e-4) cells.lessSun++;
    else if (a > b + 1e-4) cells.moreSun++;
  }
  const sb = before.summary;
  const sa = after.summary;
  const litBefore = sb.areaM2 * sb.shareAtLeast2h;
  const litAfter = sa.areaM2 * sa.shareAtLeast2h;
  const ratio = litBefore > 0 ? litAfter / litBefore : null;
  const bre = before.date.slice(5) === BRE209.date ? bre209Amenity(before, after, { areaName: name }) : null;
  const sentence =
    bre?.sentence ??
    `With the development ${pct(sa.shareAtLeast2h)} of the ${name} receives at least 2 hours of direct sunlight on ${before.date} (${pct(sb.shareAtLeast2h)} before${ratio === null ? '' : `; the sunlit area is ${ratio.toFixed(2)} times its former value`}); BRE 209's 0.8 test is made for 21 March.`;
  return {
    shareBefore: sb.shareAtLeast2h,
    shareAfter: sa.shareAtLeast2h,
    areaM2Before: sb.areaM2,
    areaM2After: sa.areaM2,
    ratio,
    meanHoursBefore: sb.meanHours,
    meanHoursAfter: sa.meanHours,
    cells,
    bre209: bre,
    sentence,
  };
}

import { DataError } from '@placetwin/geo';
import { type ByteSource, csvRecords } from './csv-stream';
import { wallTimeToInstant, type ZonedInstant } from './zoned-time';

/**
 * Leeds City Council's hourly footfall counts (columns `Date, InCount, LocationName, Hour, …, NewDate, …`):
 * one row per camera site and local hour. Read from ../shared/data/leeds-footfall (see PROVENANCE.md).
 *
 * What the file does that a reader must know, checked on the real file:
 * - `Date` comes in three spellings (`01/01/2009`, `2014-11-03`, `01-Nov-16`); `NewDate` (`01-Nov-2016`) is
 *   uniform. Both are read and must agree.
 * - `Hour` is local (Europe/London) wall-clock time, and every day has 24 rows. On the day clocks go forward
 *   the 01:00 hour does not exist, yet has a row (0 in most years, a count in 2012 and some sites other years,
 *   while 2014 has its 0 at 00:00 instead): it cannot be placed on the time line without colliding with 02:00,
 *   so it is left out and reported (`nonexistent-local-time`, with its count). On the day clocks go back the
 *   single 01:00 row counts both 01:00 hours: it is kept at the first, with `hours: 2`.
 * - 1–3 July 2016 appear twice (once as `2016-07-01`, once as `01/07/2016`) with the same counts: both are
 *   yielded; storage is idempotent by (datastream, time), so they are stored once.
 */

export interface FootfallRow {
  /** `LocationName`, e.g. `Briggate`. */
  site: string;
  /** Start of the counted hour (UTC epoch ms). */
  phenomenonTimeMs: number;
  /** Pedestrians counted (`InCount`). */
  count: number;
  /** Hours the count covers: 2 for the repeated hour when clocks go back, else 1. */
  hours: 1 | 2;
  /** Line in the CSV. */
  line: number;
}

export interface FootfallReject {
  line: number;
  site: string | null;
  reason: string;
  type: string;
}

export interface FootfallReadOptions {
  /** Named in errors. */
  fileName: string;
  /** Skip malformed rows (reporting each) instead of throwing a DataError at the first. */
  skipInvalid?: boolean;
  /** Every row left out: malformed ones under skipInvalid, and always the nonexistent clocks-forward hour. */
  onReject?: (r: FootfallReject) => void;
  /** Zone of `Date` + `Hour`. */
  timeZone?: string;
}

export const FOOTFALL_DEFAULTS = { timeZone: 'Europe/London' } as const;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** [year, month 1–12, day] from any of the file's date spellings, or null. */
export function parseFootfallDate(s: string): [number, number, number] | null {
  let ymd: [number, number, number] | null = null;
  const slashed = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const named = /^(\d{1,2})-([A-Z][a-z]{2})-(\d{2}|\d{4})$/.exec(s);
  if (slashed) ymd = [Number(slashed[3]), Number(slashed[2]), Number(slashed[1])];
  else if (iso) ymd = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (named) {
    const y = named[3].length === 2 ? 2000 + Number(named[3]) : Number(named[3]);
    ymd = [y, MONTHS.indexOf(named[2]) + 1, Number(named[1])];
  }
  if (!ymd) return null;
  const [y, m, d] = ymd;
  const check = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  return ymd;
}

/** The Leeds footfall rows of a CSV (or .csv.gz) byte stream, one per site and hour, in file order. */
export async function* readLeedsFootfall(
  source: ByteSource,
  options: FootfallReadOptions,
): AsyncGenerator<FootfallRow> {
  const timeZone = options.timeZone ?? FOOTFALL_DEFAULTS.timeZone;
  const records = csvRecords(source, {
    fileName: options.fileName,
    required: ['Date', 'InCount', 'LocationName', 'Hour'],
  });
  // Eight sites share each hour: resolve each distinct (Date, NewDate, Hour) once.
  const hours = new Map<string, ZonedInstant | { type: string; reason: string }>();
  const resolveHour = (date: string, newDate: string | undefined, hourText: string) => {
    const d = parseFootfallDate(date);
    if (!d) return { type: 'invalid-date', reason: `Date "${date}" is not a date` };
    if (newDate) {
      const other = parseFootfallDate(newDate);
      if (!other || other.join() !== d.join()) {
        return { type: 'date-mismatch', reason: `Date "${date}" and NewDate "${newDate}" disagree` };
      }
    }
    const hour = Number(hourText);
    if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23) || hourText === '') {
      return { type: 'invalid-hour', reason: `Hour "${hourText}" is not 0–23` };
    }
    return wallTimeToInstant({ year: d[0], month: d[1], day: d[2], hour }, timeZone);
  };
  for await (const { record, line } of records) {
    const site = record.LocationName.trim() || null;
    const invalid = (type: string, reason: string) => {
      if (!options.skipInvalid) {
        throw new DataError(type, `line ${line}: ${reason}`, { file: options.fileName, featureId: site });
      }
      options.onReject?.({ line, site, reason, type });
    };
    if (!site) {
      invalid('missing-site', 'LocationName is empty');
      continue;
    }
    const key = `${record.Date}|${record.NewDate}|${record.Hour}`;
    let instant = hours.get(key);
    if (!instant) {
      instant = resolveHour(record.Date.trim(), record.NewDate?.trim(), record.Hour.trim());
      hours.set(key, instant);
    }
    if ('type' in instant) {
      invalid(instant.type, instant.reason);
      continue;
    }
    const countText = record.InCount.trim();
    const count = Number(countText);
    if (!(Number.isInteger(count) && count >= 0) || countText === '') {
      invalid('invalid-count', `InCount "${countText}" is not a count`);
      continue;
    }
    if (instant.kind === 'nonexistent') {
      options.onReject?.({
        line,
        site,
        type: 'nonexistent-local-time',
        reason: `${record.Date} hour ${record.Hour} does not exist in ${timeZone} (clocks went forward); InCount ${count}`,
      });
      continue;
    }
    yield {
      site,
      phenomenonTimeMs: instant.epochMs,
      count,
      hours: instant.kind === 'ambiguous' ? 2 : 1,
      line,
    };
  }
}

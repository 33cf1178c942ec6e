import { DataError } from '@placetwin/geo';

/** A service day as `YYYY-MM-DD` (the calendar date a GTFS trip's times count from). */
export type ServiceDate = string;

const SECONDS_PER_DAY = 86_400;
const TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)$/;
const GTFS_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * GTFS `H:MM:SS` / `HH:MM:SS` → seconds after the service day's start. Hours may pass 24 (a trip that runs past
 * midnight keeps counting from the day it started). Returns null when the text is not such a time.
 */
export function parseGtfsTime(text: string): number | null {
  const m = TIME.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : null;
}

/** Seconds after the service day's start → `HH:MM:SS` (hours may exceed 23). */
export function formatGtfsTime(seconds: number): string {
  const s = Math.round(seconds);
  const sign = s < 0 ? '-' : '';
  const a = Math.abs(s);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sign}${pad(Math.floor(a / 3600))}:${pad(Math.floor((a % 3600) / 60))}:${pad(a % 60)}`;
}

const validYmd = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

/** GTFS `YYYYMMDD` → `YYYY-MM-DD`, or null when it is not a real calendar date. */
export function parseGtfsDate(text: string): ServiceDate | null {
  const m = GTFS_DATE.exec(text);
  if (!m || !validYmd(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Checks a `YYYY-MM-DD` service date from outside (API, CLI); throws DataError when it is not one. */
export function assertServiceDate(date: string, what = 'date'): ServiceDate {
  const m = ISO_DATE.exec(date);
  if (!m || !validYmd(Number(m[1]), Number(m[2]), Number(m[3])))
    throw new DataError('invalid-date', `${what} "${date}" is not a calendar date (YYYY-MM-DD)`);
  return date;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date (pure calendar arithmetic, no time zone). */
export function dayNumber(date: ServiceDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

export function dateOfDayNumber(day: number): ServiceDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export const addDays = (date: ServiceDate, days: number): ServiceDate =>
  dateOfDayNumber(dayNumber(date) + days);

/** ISO weekday of a date: 0 = Monday … 6 = Sunday. */
export const weekdayIndex = (date: ServiceDate): number => (((dayNumber(date) + 3) % 7) + 7) % 7;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows (GTFS `agency_timezone`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function localParts(timeZone: string, epochMs: number) {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(new Date(epochMs)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts;
}

/** The zone's offset from UTC at an instant, in ms (BST: +3,600,000). */
export function utcOffsetMs(timeZone: string, epochMs: number): number {
  const p = localParts(timeZone, epochMs);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant GTFS times of a service day count from: "noon minus 12h" in the agency's time zone (GTFS reference,
 * stop_times.txt `arrival_time`). It is local midnight except on days when the clocks change, where it stays
 * 12 hours before local noon so that the times of a day never jump.
 */
export function serviceDayStartMs(date: ServiceDate, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const noonAsUtc = Date.UTC(y, m - 1, d, 12);
  let noon = noonAsUtc - utcOffsetMs(timeZone, noonAsUtc);
  noon = noonAsUtc - utcOffsetMs(timeZone, noon);
  return noon - 12 * 3_600_000;
}

/** The local calendar date of an instant in a time zone. */
export function localDate(epochMs: number, timeZone: string): ServiceDate {
  const p = localParts(timeZone, epochMs);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The service day an instant falls in and the GTFS seconds into it: the local date, or the day before when the
 * instant comes before that date's "noon minus 12 h" (the first hour of a day when the clocks go back).
 */
export function serviceTimeOf(epochMs: number, timeZone: string): { date: ServiceDate; seconds: number } {
  let date = localDate(epochMs, timeZone);
  let start = serviceDayStartMs(date, timeZone);
  if (epochMs < start) {
    date = addDays(date, -1);
    start = serviceDayStartMs(date, timeZone);
  }
  return { date, seconds: (epochMs - start) / 1000 };
}

/** Parses an instant from outside: ISO 8601 with `Z` or an offset; throws DataError otherwise. */
export function parseInstant(text: string, what = 'time'): number {
  const ms = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new DataError('invalid-time', `${what} "${text}" is not an ISO 8601 instant with Z or an offset`);
  return ms;
}

export { SECONDS_PER_DAY };

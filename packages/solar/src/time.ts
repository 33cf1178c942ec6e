import { DataError } from '@placetwin/geo';

/** An instant: a Date, epoch milliseconds (UTC), or an ISO 8601 string with `Z` or an explicit offset. */
export type Instant = Date | number | string;

/** A calendar day: `YYYY-MM-DD`, or any instant on that day (see {@link solarDayOf}). */
export type CalendarDay = string | Date | number;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const MS_PER_DAY = 86_400_000;

/**
 * Epoch milliseconds of an instant. A string without a UTC offset is refused: "12:30" alone does not say
 * which instant is meant, and guessing the host's time zone makes results depend on the machine.
 */
export function toEpochMs(instant: Instant): number {
  let ms: number;
  if (instant instanceof Date) ms = instant.getTime();
  else if (typeof instant === 'number') ms = instant;
  else if (ISO_WITH_OFFSET.test(instant)) ms = Date.parse(instant);
  else
    throw new DataError(
      'invalid-instant',
      `"${instant}" is not an ISO 8601 instant with Z or a UTC offset (e.g. 2024-03-21T12:00:00Z)`,
    );
  if (!Number.isFinite(ms)) throw new DataError('invalid-instant', `invalid instant ${String(instant)}`);
  return ms;
}

/** The calendar day as { year, month (1-12), day }. */
export interface DayParts {
  year: number;
  month: number;
  day: number;
}

/**
 * The day a `CalendarDay` names. A `YYYY-MM-DD` string is that date. An instant is placed on the local mean
 * solar day at the given longitude (UTC shifted by longitude/15 hours), so that "the day" of an instant
 * is the one whose daylight it falls in anywhere on Earth; in Great Britain that is the UTC date except
 * within a few minutes of midnight.
 */
export function solarDayOf(day: CalendarDay, lonDeg: number): DayParts {
  if (typeof day === 'string') {
    const m = ISO_DATE.exec(day);
    if (m) {
      const parts = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
      const check = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
      if (check.getUTCMonth() + 1 !== parts.month || check.getUTCDate() !== parts.day)
        throw new DataError('invalid-date', `"${day}" is not a calendar date`);
      return parts;
    }
  }
  const shifted = new Date(toEpochMs(day) + (lonDeg / 360) * MS_PER_DAY);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

export const isoDate = (d: DayParts): string =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

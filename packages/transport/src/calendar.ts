import type { GtfsFeed } from './feed';
import { dayNumber, parseGtfsDate, type ServiceDate, weekdayIndex } from './time';

/** calendar.txt and calendar_dates.txt indexed for "which services run on this date?". */
export interface ServiceCalendar {
  /** service_id → weekday bit mask (bit 0 = Monday) and its first/last day numbers (inclusive). */
  weekly: Map<string, { days: number; first: number; last: number }>;
  /** day number → service_ids added (exception_type 1) / removed (2) that day. */
  added: Map<number, Set<string>>;
  removed: Map<number, Set<string>>;
}

const WEEKDAY_FIELDS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

export function serviceCalendar(feed: Pick<GtfsFeed, 'calendar' | 'calendarDates'>): ServiceCalendar {
  const weekly = new Map<string, { days: number; first: number; last: number }>();
  for (const c of feed.calendar) {
    let days = 0;
    WEEKDAY_FIELDS.forEach((d, i) => {
      if (Number(c[d]) === 1) days |= 1 << i;
    });
    weekly.set(c.service_id, {
      days,
      first: dayNumber(parseGtfsDate(c.start_date)!),
      last: dayNumber(parseGtfsDate(c.end_date)!),
    });
  }
  const added = new Map<number, Set<string>>();
  const removed = new Map<number, Set<string>>();
  for (const e of feed.calendarDates) {
    const day = dayNumber(parseGtfsDate(e.date)!);
    const into = Number(e.exception_type) === 1 ? added : removed;
    let set = into.get(day);
    if (!set) {
      set = new Set();
      into.set(day, set);
    }
    set.add(e.service_id);
  }
  return { weekly, added, removed };
}

/**
 * Is a service running on a date? calendar_dates.txt decides where it has an exception for that date (1 adds,
 * 2 removes); otherwise calendar.txt: the date lies in [start_date, end_date] (both inclusive) and the weekday's
 * flag is 1. A service only in calendar_dates.txt runs exactly on its added dates.
 */
export function isServiceActive(cal: ServiceCalendar, serviceId: string, date: ServiceDate): boolean {
  const day = dayNumber(date);
  if (cal.removed.get(day)?.has(serviceId)) return false;
  if (cal.added.get(day)?.has(serviceId)) return true;
  const w = cal.weekly.get(serviceId);
  return w !== undefined && day >= w.first && day <= w.last && (w.days & (1 << weekdayIndex(date))) !== 0;
}

/** Every service_id running on a date. */
export function activeServiceIds(cal: ServiceCalendar, date: ServiceDate): Set<string> {
  const out = new Set<string>();
  for (const id of cal.weekly.keys()) if (isServiceActive(cal, id, date)) out.add(id);
  for (const id of cal.added.get(dayNumber(date)) ?? []) out.add(id);
  return out;
}

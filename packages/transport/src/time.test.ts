import { describe, expect, it } from 'vitest';
import {
  addDays,
  assertServiceDate,
  formatGtfsTime,
  localDate,
  parseGtfsDate,
  parseGtfsTime,
  parseInstant,
  serviceDayStartMs,
  serviceTimeOf,
  weekdayIndex,
} from './time';

describe('GTFS times and dates', () => {
  it('reads times past 24:00:00 and single-digit hours, and rejects malformed ones', () => {
    expect(parseGtfsTime('08:05:09')).toBe(8 * 3600 + 5 * 60 + 9);
    expect(parseGtfsTime('7:00:00')).toBe(7 * 3600);
    expect(parseGtfsTime('24:00:00')).toBe(86_400);
    expect(parseGtfsTime('31:30:00')).toBe(31 * 3600 + 1800);
    for (const bad of ['8:5:00', '08:60:00', '08:00:60', '08:00', '-1:00:00', '08:00:00.5', 'noon', ''])
      expect(parseGtfsTime(bad), bad).toBeNull();
    expect(formatGtfsTime(25 * 3600 + 5 * 60 + 7)).toBe('25:05:07');
    expect(formatGtfsTime(-1800)).toBe('-00:30:00');
  });

  it('reads YYYYMMDD dates, rejecting impossible ones (leap years included)', () => {
    expect(parseGtfsDate('20240229')).toBe('2024-02-29');
    expect(parseGtfsDate('20230229')).toBeNull();
    expect(parseGtfsDate('20241301')).toBeNull();
    expect(parseGtfsDate('2024-01-01')).toBeNull();
    expect(() => assertServiceDate('2024-02-30')).toThrow(/not a calendar date/);
    expect(assertServiceDate('2024-02-29')).toBe('2024-02-29');
  });

  it('knows weekdays and adds days across month and year ends', () => {
    expect(weekdayIndex('2024-01-01')).toBe(0); // a Monday
    expect(weekdayIndex('2024-12-25')).toBe(2); // a Wednesday
    expect(weekdayIndex('1970-01-01')).toBe(3); // a Thursday
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('starts a service day at noon minus 12 h local time, also on clock-change days (Europe/London)', () => {
    const tz = 'Europe/London';
    // Winter: local = UTC, so 00:00 UTC.
    expect(serviceDayStartMs('2024-01-15', tz)).toBe(Date.UTC(2024, 0, 15, 0, 0));
    // Summer: BST = UTC+1, so 23:00 UTC the evening before.
    expect(serviceDayStartMs('2024-06-14', tz)).toBe(Date.UTC(2024, 5, 13, 23, 0));
    // Spring forward (31 March 2024): noon is BST (11:00 UTC) → start 23:00 UTC on the 30th, an hour before midnight.
    expect(serviceDayStartMs('2024-03-31', tz)).toBe(Date.UTC(2024, 2, 30, 23, 0));
    // Fall back (27 October 2024): noon is GMT (12:00 UTC) → start 00:00 UTC, which is 01:00 BST, not midnight.
    expect(serviceDayStartMs('2024-10-27', tz)).toBe(Date.UTC(2024, 9, 27, 0, 0));
    // America/Chicago in May is CDT = UTC−5.
    expect(serviceDayStartMs('2019-05-01', 'America/Chicago')).toBe(Date.UTC(2019, 4, 1, 5, 0));
    expect(localDate(Date.UTC(2024, 5, 13, 23, 30), tz)).toBe('2024-06-14');
  });

  it('maps an instant to its service day and GTFS seconds, also in the repeated hour of autumn', () => {
    const tz = 'Europe/London';
    expect(serviceTimeOf(Date.UTC(2024, 5, 14, 7, 0), tz)).toEqual({ date: '2024-06-14', seconds: 8 * 3600 });
    // 27 October 2024: the day starts at 00:00 UTC = 01:00 BST, so 00:30 BST (23:30 UTC on the 26th) is still
    // on the 26th's service day, 24:30:00 into it.
    expect(serviceTimeOf(Date.UTC(2024, 9, 26, 23, 30), tz)).toEqual({
      date: '2024-10-26',
      seconds: 24.5 * 3600,
    });
    expect(serviceTimeOf(Date.UTC(2024, 9, 27, 0, 30), tz)).toEqual({ date: '2024-10-27', seconds: 1800 });
    expect(parseInstant('2024-06-14T08:00:00+01:00')).toBe(Date.UTC(2024, 5, 14, 7, 0));
    expect(() => parseInstant('2024-06-14T08:00:00')).toThrow(/not an ISO 8601 instant/);
  });
});

import { describe, expect, it } from 'vitest';
import { activeServiceIds, isServiceActive, serviceCalendar } from './calendar';
import { parseGtfs } from './parse';
import { fixtureFeed, newportFeedFiles } from './test-fixtures';

// Constructed: fixtures/edge-feed (see its README). WEEKDAY runs Mon–Fri 2024-01-01..2024-12-31 except 25 and
// 26 December; XMAS exists only in calendar_dates.txt (25 December); SATURDAY runs Saturdays 2024-01-06..03-30,
// is removed on 20 January and added on Tuesday 2 April (outside its range).
const cal = serviceCalendar(parseGtfs(fixtureFeed('edge-feed')));
const active = (date: string) => [...activeServiceIds(cal, date)].sort();

describe('service calendar (calendar.txt + calendar_dates.txt)', () => {
  it('runs weekly services on their weekdays inside their date range, both ends inclusive', () => {
    expect(active('2024-01-01')).toEqual(['WEEKDAY']); // Monday, first day
    expect(active('2024-12-31')).toEqual(['WEEKDAY']); // Tuesday, last day
    expect(active('2025-01-01')).toEqual([]); // the day after the end
    expect(active('2023-12-29')).toEqual([]); // a Friday before the start
    expect(active('2024-02-29')).toEqual(['WEEKDAY']); // leap day, a Thursday
    expect(active('2024-01-06')).toEqual(['SATURDAY']); // first Saturday
    expect(active('2024-03-30')).toEqual(['SATURDAY']); // last Saturday
    expect(active('2024-04-06')).toEqual([]); // a Saturday after SATURDAY's end
    expect(active('2024-01-07')).toEqual([]); // Sunday: nothing
  });

  it('applies exceptions: removals beat the weekly pattern, additions work outside it', () => {
    expect(active('2024-12-25')).toEqual(['XMAS']); // WEEKDAY removed, XMAS added
    expect(active('2024-12-26')).toEqual([]); // WEEKDAY removed
    expect(active('2024-01-20')).toEqual([]); // a Saturday removed inside the range
    expect(active('2024-04-02')).toEqual(['SATURDAY', 'WEEKDAY']); // added on a Tuesday, after its end date
    expect(isServiceActive(cal, 'XMAS', '2024-12-24')).toBe(false);
    expect(isServiceActive(cal, 'NO-SUCH-SERVICE', '2024-01-02')).toBe(false);
  });

  it('reads the real Newport calendar: 22 services, none on days outside 2023-06-05..2024-03-01', () => {
    const newport = serviceCalendar(parseGtfs(newportFeedFiles()));
    expect(newport.weekly.size).toBe(22);
    // Wednesday 14 June 2023 (no calendar_dates.txt): exactly the services whose wednesday flag is 1.
    const wednesday = activeServiceIds(newport, '2023-06-14');
    const flagged = [...newport.weekly.values()].filter((w) => (w.days & (1 << 2)) !== 0).length;
    expect(wednesday.size).toBe(flagged);
    expect(activeServiceIds(newport, '2023-06-04').size).toBe(0);
    expect(activeServiceIds(newport, '2024-03-02').size).toBe(0);
    // Services 677 and 512 run on Tuesdays and Wednesdays only.
    expect(isServiceActive(newport, '677', '2023-06-13')).toBe(true);
    expect(isServiceActive(newport, '677', '2023-06-15')).toBe(false);
  });
});

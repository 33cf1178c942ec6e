import { describe, expect, it } from 'vitest';
import { parseGtfs } from './parse';
import { compileSchedule } from './schedule';
import { representativeWeekday, siteAccess } from './site-access';
import { fixtureFeed, newportFeedFiles } from './test-fixtures';

// The constructed router network (fixtures/README.md): stops on the meridian 3.1° W, O at 51.50° N, A at 51.51°,
// B 100 m north of A, C 51.52°, T 51.53°, D 51.54°; every trip runs daily in 2024.
const schedule = compileSchedule(parseGtfs(fixtureFeed('router-network')));
const M_PER_DEG_LAT = 111_195;

describe('a site’s peak-hour bus service (the stated bus-share rule’s input)', () => {
  it('picks the first Wednesday the feed runs, or none', () => {
    expect(representativeWeekday(schedule, '2024-01-01')).toBe('2024-01-03'); // Monday → Wednesday
    expect(representativeWeekday(schedule, '2023-12-30')).toBe('2024-01-03');
    expect(representativeWeekday(schedule, '2024-12-26')).toBeNull(); // after the calendar ends
  });

  it('counts distinct buses leaving stops within 400 m between 08:00 and 09:00, boarding allowed', () => {
    // At O: SLOW 08:00, NODROP 08:02, FAST1 08:05 board there; NOPICK forbids pickup; EARLY left at 07:55.
    expect(siteAccess(schedule, '2024-01-03', -3.1, 51.5)).toEqual({
      date: '2024-01-03',
      departuresPerHour: 3,
      stopsWithin400m: 1,
      nearestStopM: 0,
    });
    // 50 m north of A: A (FAST2 08:17; FAST1 ends there) and B (WALK 08:20).
    const ab = siteAccess(schedule, '2024-01-03', -3.1, 51.51 + 50 / M_PER_DEG_LAT);
    expect(ab).toMatchObject({ departuresPerHour: 2, stopsWithin400m: 2 });
    // At T: TO_D 08:36:30 and TO_D2 08:55 leave; SLOW, FAST2, WALK … end there.
    expect(siteAccess(schedule, '2024-01-03', -3.1, 51.53)?.departuresPerHour).toBe(2);
  });

  it('is in the feed’s area without a stop in 400 m (0 an hour), and outside it beyond 800 m (null)', () => {
    const at600 = siteAccess(schedule, '2024-01-03', -3.1, 51.5 - 600 / M_PER_DEG_LAT);
    expect(at600).toMatchObject({ departuresPerHour: 0, stopsWithin400m: 0 });
    expect(at600?.nearestStopM).toBeCloseTo(600, -1);
    expect(siteAccess(schedule, '2024-01-03', -3.1, 51.5 - 1000 / M_PER_DEG_LAT)).toBeNull();
    // Oakham (Rutland) is 200 km from the real Newport feed.
    const newport = compileSchedule(parseGtfs(newportFeedFiles()));
    expect(siteAccess(newport, '2023-06-07', -0.7268, 52.6706)).toBeNull();
    const centre = siteAccess(newport, '2023-06-07', -2.9977, 51.5886);
    expect(centre?.departuresPerHour).toBeGreaterThan(0); // Newport's bus station area at rush hour
  });
});

import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { wallTimeToInstant, zonedBucketStart, zoneOffsetMs } from './zoned-time';

// UK clocks change at 01:00 UTC on the last Sunday of March and October (Summer Time Order 2002):
// 2009-03-29 and 2009-10-25.
const LONDON = 'Europe/London';

describe('zoned time', () => {
  it('knows the British Summer Time offset either side of the changes', () => {
    expect(zoneOffsetMs(LONDON, Date.UTC(2009, 2, 29, 0, 59))).toBe(0);
    expect(zoneOffsetMs(LONDON, Date.UTC(2009, 2, 29, 1, 0))).toBe(3_600_000);
    expect(zoneOffsetMs(LONDON, Date.UTC(2009, 9, 25, 0, 59))).toBe(3_600_000);
    expect(zoneOffsetMs(LONDON, Date.UTC(2009, 9, 25, 1, 0))).toBe(0);
    expect(zoneOffsetMs('Asia/Kolkata', Date.UTC(2020, 0, 1))).toBe(5.5 * 3_600_000);
  });

  it('maps wall-clock hours to instants: unique, skipped when clocks go forward, repeated when they go back', () => {
    expect(wallTimeToInstant({ year: 2012, month: 7, day: 1, hour: 12 }, LONDON)).toEqual({
      epochMs: Date.UTC(2012, 6, 1, 11),
      kind: 'unique',
    });
    expect(wallTimeToInstant({ year: 2012, month: 1, day: 1, hour: 12 }, LONDON).epochMs).toBe(
      Date.UTC(2012, 0, 1, 12),
    );
    expect(wallTimeToInstant({ year: 2009, month: 3, day: 29, hour: 1 }, LONDON)).toEqual({
      epochMs: Date.UTC(2009, 2, 29, 1),
      kind: 'nonexistent',
    });
    expect(wallTimeToInstant({ year: 2009, month: 3, day: 29, hour: 2 }, LONDON)).toEqual({
      epochMs: Date.UTC(2009, 2, 29, 1),
      kind: 'unique',
    });
    expect(wallTimeToInstant({ year: 2009, month: 10, day: 25, hour: 1 }, LONDON)).toEqual({
      epochMs: Date.UTC(2009, 9, 25, 0),
      kind: 'ambiguous',
      laterMs: Date.UTC(2009, 9, 25, 1),
    });
  });

  it('finds local hour and day starts, including 23- and 25-hour days and half-hour zones', () => {
    expect(zonedBucketStart(Date.UTC(2012, 6, 1, 23, 30), 'day', LONDON)).toBe(Date.UTC(2012, 6, 1, 23));
    expect(zonedBucketStart(Date.UTC(2012, 6, 1, 22, 30), 'day', LONDON)).toBe(Date.UTC(2012, 5, 30, 23));
    expect(zonedBucketStart(Date.UTC(2009, 9, 25, 23, 30), 'day', LONDON)).toBe(Date.UTC(2009, 9, 24, 23));
    expect(zonedBucketStart(Date.UTC(2009, 9, 26, 0, 0), 'day', LONDON)).toBe(Date.UTC(2009, 9, 26, 0));
    expect(zonedBucketStart(Date.UTC(2020, 0, 1, 10, 0), 'hour', 'Asia/Kolkata')).toBe(
      Date.UTC(2020, 0, 1, 9, 30),
    );
    expect(zonedBucketStart(Date.UTC(2020, 0, 1, 10, 59), 'hour', 'UTC')).toBe(Date.UTC(2020, 0, 1, 10));
  });

  it('rejects an unknown zone with a DataError', () => {
    expect(() => zoneOffsetMs('Mars/Olympus_Mons', 0)).toThrow(DataError);
  });
});

import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { chooseBucket, downsample } from './downsample';

const H = 3_600_000;

describe('downsample', () => {
  it('gives min, mean and max per hour (values 0…17 every 10 minutes over 3 hours)', () => {
    const t0 = Date.UTC(2015, 0, 1);
    const times = Float64Array.from({ length: 18 }, (_, i) => t0 + i * 600_000);
    const values = Float64Array.from({ length: 18 }, (_, i) => i);
    const s = downsample(times, values, { bucket: 'hour' });
    expect(Array.from(s.startMs)).toEqual([t0, t0 + H, t0 + 2 * H]);
    expect(Array.from(s.min)).toEqual([0, 6, 12]);
    expect(Array.from(s.max)).toEqual([5, 11, 17]);
    expect(Array.from(s.mean)).toEqual([2.5, 8.5, 14.5]); // mean of k…k+5 is k + 2.5
    expect(Array.from(s.count)).toEqual([6, 6, 6]);
  });

  it('bounds days by local midnight: the day clocks go back holds 25 hourly readings, forward 23', () => {
    // Hourly readings of 1 from 2009-03-28 00:00 GMT to 2009-10-27 00:00 GMT, value = 1 each.
    const start = Date.UTC(2009, 2, 28);
    const n = (Date.UTC(2009, 9, 27) - start) / H;
    const times = Float64Array.from({ length: n }, (_, i) => start + i * H);
    const s = downsample(times, new Float64Array(n).fill(1), { bucket: 'day', timeZone: 'Europe/London' });
    const countOn = (utcStart: number) => s.count[Array.from(s.startMs).indexOf(utcStart)];
    expect(countOn(Date.UTC(2009, 2, 28))).toBe(24); // GMT day
    expect(countOn(Date.UTC(2009, 2, 29))).toBe(23); // clocks forward at 01:00 GMT
    expect(countOn(Date.UTC(2009, 2, 29, 23))).toBe(24); // 30 March BST starts 23:00 UTC the day before
    expect(countOn(Date.UTC(2009, 9, 24, 23))).toBe(25); // 25 October: clocks back
    expect(countOn(Date.UTC(2009, 9, 26))).toBe(24);
    expect(s.count.reduce((a, b) => a + b, 0)).toBe(n);
  });

  it('skips NaN values and leaves empty buckets out', () => {
    const t0 = Date.UTC(2015, 0, 1);
    const s = downsample(Float64Array.of(t0, t0 + 1000, t0 + 3 * H), Float64Array.of(Number.NaN, 4, 9), {
      bucket: 'hour',
    });
    expect(Array.from(s.startMs)).toEqual([t0, t0 + 3 * H]);
    expect(Array.from(s.mean)).toEqual([4, 9]);
  });

  it('refuses unsorted times and mismatched lengths', () => {
    expect(() => downsample(Float64Array.of(2, 1), Float64Array.of(0, 0), { bucket: 'hour' })).toThrow(
      DataError,
    );
    expect(() => downsample(Float64Array.of(1), Float64Array.of(0, 0), { bucket: 'hour' })).toThrow(
      DataError,
    );
  });

  it('chooses raw, hourly or daily points for a chart', () => {
    expect(chooseBucket(30 * 24 * H, 720)).toBe('raw');
    expect(chooseBucket(30 * 24 * H, 43_200)).toBe('hour');
    expect(chooseBucket(365 * 24 * H, 8760)).toBe('day');
  });
});

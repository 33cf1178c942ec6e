import { DataError } from '@placetwin/geo';
import { zonedBucketStart } from './zoned-time';

export type Bucket = 'hour' | 'day';

/** A series summarised per bucket, as columns (what a chart draws: a min–max band and a mean line). */
export interface BucketSeries {
  /** Bucket starts, epoch ms. */
  startMs: Float64Array;
  min: Float64Array;
  mean: Float64Array;
  max: Float64Array;
  /** Readings in the bucket (a chart can show gaps and partial buckets honestly). */
  count: Uint32Array;
}

export interface DownsampleOptions {
  bucket: Bucket;
  /** IANA zone whose wall-clock hours and days bound the buckets. */
  timeZone?: string;
}

export const DOWNSAMPLE_DEFAULTS = { timeZone: 'UTC' } as const;

/**
 * Min, arithmetic mean and max of the readings in each hour or local day that has any. Times must be sorted
 * ascending (as a datastream query returns them); NaN values are skipped. One pass, O(n).
 */
export function downsample(
  timesMs: Float64Array,
  values: Float64Array,
  options: DownsampleOptions,
): BucketSeries {
  if (timesMs.length !== values.length) {
    throw new DataError('invalid-series', `${timesMs.length} times but ${values.length} values`);
  }
  const timeZone = options.timeZone ?? DOWNSAMPLE_DEFAULTS.timeZone;
  const starts: number[] = [];
  const mins: number[] = [];
  const sums: number[] = [];
  const maxs: number[] = [];
  const counts: number[] = [];
  let current = Number.NaN;
  let bucketEnd = Number.NEGATIVE_INFINITY;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < timesMs.length; i++) {
    const t = timesMs[i];
    if (!(t >= previous)) throw new DataError('invalid-series', `times are not sorted at index ${i}`);
    previous = t;
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (t >= bucketEnd || Number.isNaN(current)) {
      const start = zonedBucketStart(t, options.bucket, timeZone);
      if (start !== current) {
        current = start;
        starts.push(start);
        mins.push(v);
        maxs.push(v);
        sums.push(0);
        counts.push(0);
      }
      // The next bucket starts at most 25 h later (a day when clocks go back); probe again past it.
      bucketEnd = start + (options.bucket === 'hour' ? 3_600_000 : 82_800_000);
    }
    const k = starts.length - 1;
    if (v < mins[k]) mins[k] = v;
    if (v > maxs[k]) maxs[k] = v;
    sums[k] += v;
    counts[k]++;
  }
  return {
    startMs: Float64Array.from(starts),
    min: Float64Array.from(mins),
    mean: Float64Array.from(sums, (s, k) => s / counts[k]),
    max: Float64Array.from(maxs),
    count: Uint32Array.from(counts),
  };
}

/**
 * The coarsest bucket a chart of `spanMs` needs to stay within `maxPoints` (raw readings, then hours, then
 * days), given roughly how many raw readings the span holds.
 */
export function chooseBucket(spanMs: number, rawCount: number, maxPoints = 2000): Bucket | 'raw' {
  if (rawCount <= maxPoints) return 'raw';
  return spanMs / 3_600_000 <= maxPoints ? 'hour' : 'day';
}

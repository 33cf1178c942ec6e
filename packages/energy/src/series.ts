import { DataError } from '@placetwin/geo';

/** Values at a fixed step: value i covers [startMs + i·stepMs, startMs + (i+1)·stepMs). Instants are epoch ms UTC. */
export interface RegularSeries {
  startMs: number;
  stepMs: number;
  values: Float64Array;
}

/** Where a bad series came from, named in the DataError. */
export interface SeriesSource {
  file?: string | null;
  /** What the series is, e.g. `outdoor temperature`, `carbon intensity`. */
  name: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Throws a DataError for an empty series, a non-positive step, or a NaN/infinite value (naming the first
 * bad instant and how many there are). Gaps in an imported file become NaN, so they are caught here too.
 */
export function assertCompleteSeries(series: RegularSeries, source: SeriesSource): void {
  const where = { file: source.file ?? null };
  if (series.values.length === 0)
    throw new DataError('empty-series', `${source.name}: the series is empty`, where);
  if (!(series.stepMs > 0) || !Number.isFinite(series.startMs))
    throw new DataError(
      'invalid-series',
      `${source.name}: the step must be positive and the start finite`,
      where,
    );
  let bad = 0;
  let first = -1;
  for (let i = 0; i < series.values.length; i++)
    if (!Number.isFinite(series.values[i])) {
      bad++;
      if (first < 0) first = i;
    }
  if (bad > 0)
    throw new DataError(
      'missing-values',
      `${source.name}: ${bad} of ${series.values.length} values are missing or not a number, the first at ${iso(series.startMs + first * series.stepMs)}`,
      where,
    );
}

/**
 * The series' values at `steps` instants from `fromMs`, `stepMs` apart: each output step takes the value of the
 * input step containing its start (piecewise constant; an hourly series feeds two half-hours). Throws a DataError
 * when the span is not covered or holds a missing value.
 */
export function sampleSeries(
  series: RegularSeries,
  fromMs: number,
  steps: number,
  stepMs: number,
  source: SeriesSource,
): Float64Array {
  const out = new Float64Array(steps);
  const endMs = series.startMs + series.values.length * series.stepMs;
  for (let k = 0; k < steps; k++) {
    const t = fromMs + k * stepMs;
    const i = Math.floor((t - series.startMs) / series.stepMs);
    if (t < series.startMs || t >= endMs)
      throw new DataError(
        'series-not-covered',
        `${source.name}: no value for ${iso(t)} (the series covers ${iso(series.startMs)} to ${iso(endMs)})`,
        { file: source.file ?? null },
      );
    const v = series.values[i];
    if (!Number.isFinite(v))
      throw new DataError(
        'missing-values',
        `${source.name}: the value for ${iso(series.startMs + i * series.stepMs)} is missing (a gap in the source), needed for ${iso(t)}`,
        { file: source.file ?? null },
      );
    out[k] = v;
  }
  return out;
}

/** Contiguous runs of missing values, as [fromMs, toMs) intervals. */
export function seriesGaps(series: RegularSeries): { fromMs: number; toMs: number; steps: number }[] {
  const gaps: { fromMs: number; toMs: number; steps: number }[] = [];
  let start = -1;
  const n = series.values.length;
  for (let i = 0; i <= n; i++) {
    const missing = i < n && !Number.isFinite(series.values[i]);
    if (missing && start < 0) start = i;
    if (!missing && start >= 0) {
      gaps.push({
        fromMs: series.startMs + start * series.stepMs,
        toMs: series.startMs + i * series.stepMs,
        steps: i - start,
      });
      start = -1;
    }
  }
  return gaps;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

/** UK civil time of an instant (GMT or BST): the minute of the day, the date and the day of the week (0 = Sunday). */
export function londonClock(ms: number): { minuteOfDay: number; date: string; weekday: number } {
  const parts: Record<string, string> = {};
  for (const p of LONDON.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday),
  };
}

/** The UTC instant of 00:00 UK civil time on a date `YYYY-MM-DD`. */
export function londonMidnightMs(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new DataError('invalid-date', `date "${date}" is not YYYY-MM-DD`);
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== date)
    throw new DataError('invalid-date', `date "${date}" does not exist`);
  // UK civil midnight is 00:00 or 23:00Z the day before (BST); pick the candidate whose clock reads 00:00.
  for (const candidate of [utc, utc - 3_600_000]) {
    const c = londonClock(candidate);
    if (c.minuteOfDay === 0 && c.date === date) return candidate;
  }
  return utc;
}

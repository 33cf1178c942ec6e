import { describe, expect, it } from 'vitest';
import { parseSeries } from '../../state/sensors';
import { sensorChartConfig } from './sensorCharts';

const DAY = 86_400_000;
const start = Date.UTC(2016, 11, 1);
// Daily buckets as the series endpoint answers them.
const daily = parseSeries({
  sensorId: 'leeds-headrow',
  unit: '{count}/h',
  bucket: 'day',
  t: [start, start + DAY],
  mean: [700, 900],
  min: [40, 60],
  max: [2100, 2500],
  count: [24, 24],
});
const raw = parseSeries({
  sensorId: 'leeds-briggate',
  unit: '{count}/h',
  bucket: 'raw',
  t: [start],
  value: [5],
});

describe('sensor chart', () => {
  it('draws the mean with its min–max band, a compared sensor and the thresholds', () => {
    const config = sensorChartConfig({
      series: daily,
      label: 'The Headrow',
      compare: { series: raw, label: 'Briggate' },
      thresholds: [{ level: 'warning', above: 8000 }],
      window: [start, start + 7 * DAY],
      cursorMs: start + DAY,
    });
    const sets = config.data.datasets as { label: string; data: { x: number; y: number }[] }[];
    expect(sets.map((d) => d.label)).toEqual([
      '_max',
      '_min',
      'The Headrow (daily mean, band min–max)',
      'Briggate',
      'Warning above 8000',
    ]);
    expect(sets[0].data.map((p) => p.y)).toEqual([2100, 2500]);
    expect(sets[1].data.map((p) => p.y)).toEqual([40, 60]);
    expect(sets[2].data).toEqual([
      { x: start, y: 700 },
      { x: start + DAY, y: 900 },
    ]);
    expect(sets[4].data).toEqual([
      { x: start, y: 8000 },
      { x: start + 7 * DAY, y: 8000 },
    ]);
    const x = config.options?.scales?.x as { min: number; max: number; ticks: { stepSize: number } };
    expect([x.min, x.max, x.ticks.stepSize]).toEqual([start, start + 7 * DAY, DAY]);
  });

  it('draws raw readings without a band', () => {
    const config = sensorChartConfig({
      series: raw,
      label: 'Briggate',
      compare: null,
      thresholds: [],
      window: [start, start + DAY],
      cursorMs: null,
    });
    expect(config.data.datasets.map((d) => d.label)).toEqual(['Briggate']);
  });
});

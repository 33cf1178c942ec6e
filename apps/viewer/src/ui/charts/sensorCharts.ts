/**
 * A sensor's time series as a Chart.js line chart on a linear time axis (epoch ms, labelled in UK time): the
 * reading or the hourly/daily mean, the min–max band of aggregated buckets, a second sensor to compare, the
 * thresholds as dashed lines and the twin's clock as the cursor.
 */
import type { ChartConfiguration, ChartDataset, ScaleOptions } from 'chart.js';
import type { SeriesPoints, Threshold } from '../../state/sensors';
import { CHART_SOFT } from './chartSetup';

const MAIN = '#1d70b8';
const BAND = 'rgba(29, 112, 184, 0.18)';
const COMPARE = '#d4351c';
const THRESHOLD = { warning: '#f47738', critical: '#b10e1e' };

const dayFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
});
const yearFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const hourFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

export const formatChartTime = (ms: number, spanMs: number): string =>
  spanMs <= 2 * 86_400_000
    ? hourFmt.format(ms)
    : spanMs > 90 * 86_400_000
      ? yearFmt.format(ms)
      : dayFmt.format(ms);

type Point = { x: number; y: number };

export interface SensorChartInput {
  series: SeriesPoints;
  label: string;
  compare: { series: SeriesPoints; label: string } | null;
  thresholds: Threshold[];
  window: [number, number];
  cursorMs: number | null;
}

export function sensorChartConfig(o: SensorChartInput): ChartConfiguration {
  const spanMs = o.window[1] - o.window[0];
  const datasets: ChartDataset<'line', Point[]>[] = [];
  const aggregated = o.series.bucket !== 'raw';
  if (aggregated) {
    datasets.push(
      {
        label: '_max',
        data: o.series.points.map((p) => ({ x: p.x, y: p.max ?? p.y })),
        borderWidth: 0,
        pointRadius: 0,
        fill: '+1',
        backgroundColor: BAND,
      },
      {
        label: '_min',
        data: o.series.points.map((p) => ({ x: p.x, y: p.min ?? p.y })),
        borderWidth: 0,
        pointRadius: 0,
        fill: false,
      },
    );
  }
  datasets.push({
    label: `${o.label}${aggregated ? ` (${o.series.bucket === 'hour' ? 'hourly' : 'daily'} mean, band min–max)` : ''}`,
    data: o.series.points.map((p) => ({ x: p.x, y: p.y })),
    borderColor: MAIN,
    backgroundColor: MAIN,
    borderWidth: 2,
    pointRadius: o.series.points.length < 60 ? 2 : 0,
  });
  if (o.compare) {
    datasets.push({
      label: o.compare.label,
      data: o.compare.series.points.map((p) => ({ x: p.x, y: p.y })),
      borderColor: COMPARE,
      backgroundColor: COMPARE,
      borderWidth: 2,
      pointRadius: o.compare.series.points.length < 60 ? 2 : 0,
    });
  }
  for (const t of o.thresholds) {
    const y = t.above ?? t.below;
    if (y === undefined) continue;
    datasets.push({
      label: `${t.level === 'critical' ? 'Critical' : 'Warning'} ${t.above !== undefined ? 'above' : 'below'} ${y}`,
      data: [
        { x: o.window[0], y },
        { x: o.window[1], y },
      ],
      borderColor: THRESHOLD[t.level],
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 0,
    });
  }
  const x: ScaleOptions<'linear'> = {
    type: 'linear',
    min: o.window[0],
    max: o.window[1],
    ticks: {
      callback: (v) => formatChartTime(Number(v), spanMs),
      maxRotation: 0,
      autoSkipPadding: 12,
      // Whole days for a week (multiples of a day from the epoch: UTC midnights), 3-hourly for a day.
      stepSize: spanMs <= 2 * 86_400_000 ? 3 * 3600_000 : spanMs <= 8 * 86_400_000 ? 86_400_000 : undefined,
    },
  } as ScaleOptions<'linear'>;
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      elements: { line: { tension: 0 } },
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x,
        y: {
          type: 'linear',
          beginAtZero: true,
          title: {
            display: true,
            text: o.series.unit.replace(/[{}]/g, ''),
            color: CHART_SOFT,
            font: { size: 11 },
          },
        },
      },
      plugins: {
        legend: { position: 'top', align: 'start', labels: { filter: (item) => !item.text.startsWith('_') } },
        tooltip: {
          filter: (item) => !String(item.dataset.label).startsWith('_'),
          callbacks: { title: (items) => (items[0] ? hourFmt.format(items[0].parsed.x ?? 0) : '') },
        },
        placetwinCursor: { x: o.cursorMs, label: o.cursorMs === null ? undefined : 'clock' },
      },
    },
  } as ChartConfiguration;
}

/**
 * Chart configurations for the flexibility and portfolio panels: a day on one time axis (UK clock labels), the
 * peak window shaded, the twin's clock as a cursor. Values held over each half-hour are drawn as steps.
 */
import type { ChartConfiguration, ChartDataset, ScaleOptions } from 'chart.js';
import type { Flexibility, Portfolio } from '../../api/energyTypes';
import { plantWords, ukClock } from '../../state/energy';
import { CHART_SOFT } from './chartSetup';

type Point = { x: number; y: number | null };

export const SERIES_COLOURS = {
  normal: '#7b8794',
  shifted: '#0b6e99',
  outdoor: '#5fa8d3',
  band: 'rgba(27, 158, 119, 0.16)',
  bandLine: 'rgba(27, 158, 119, 0.7)',
  intensity: '#6a3d9a',
  window: 'rgba(252, 141, 98, 0.18)',
} as const;

/**
 * Points for a value held over each step: one at each step's start, and one closing each run at its end, so a
 * stepped line covers the whole step. Where `mask` is false the value is left out (a gap).
 */
export function steppedPoints(
  timesMs: readonly number[],
  values: readonly number[],
  stepMs: number,
  mask?: readonly boolean[],
): Point[] {
  const points: Point[] = [];
  for (let k = 0; k < values.length; k++) {
    const shown = mask ? mask[k] : true;
    points.push({ x: timesMs[k], y: shown ? values[k] : null });
    const nextShown = k + 1 < values.length && (mask ? mask[k + 1] : true);
    if (shown && !nextShown) points.push({ x: timesMs[k] + stepMs, y: values[k] });
  }
  return points;
}

/** [start, end] ranges (ms) of the steps where `flags` is true. */
export function flaggedRanges(timesMs: readonly number[], flags: readonly boolean[], stepMs: number) {
  const ranges: [number, number][] = [];
  flags.forEach((f, k) => {
    if (!f) return;
    const last = ranges.at(-1);
    if (last && last[1] === timesMs[k]) last[1] = timesMs[k] + stepMs;
    else ranges.push([timesMs[k], timesMs[k] + stepMs]);
  });
  return ranges;
}

function timeScale(startMs: number, endMs: number, showLabels: boolean): ScaleOptions<'linear'> {
  return {
    type: 'linear',
    min: startMs,
    max: endMs,
    ticks: {
      stepSize: 3 * 3600_000,
      display: showLabels,
      callback: (v) => ukClock(Number(v)),
      maxRotation: 0,
    },
    grid: { drawTicks: showLabels },
  } as ScaleOptions<'linear'>;
}

/** Every chart of a day keeps the same left axis width, so their time axes line up exactly. */
const Y_AXIS_WIDTH = 58;
function valueScale(title: string, extra: Partial<ScaleOptions<'linear'>> = {}): ScaleOptions<'linear'> {
  return {
    type: 'linear',
    title: { display: true, text: title, color: CHART_SOFT, font: { size: 11 } },
    afterFit: (scale: { width: number }) => {
      scale.width = Y_AXIS_WIDTH;
    },
    ...extra,
  } as ScaleOptions<'linear'>;
}

interface DayChartOptions {
  startMs: number;
  endMs: number;
  window: [number, number][];
  cursorMs: number | null;
  cursorLabel: string;
  showTimeLabels: boolean;
  yTitle: string;
  yExtra?: Partial<ScaleOptions<'linear'>>;
  legend?: boolean;
}

function dayChart(datasets: ChartDataset<'line', Point[]>[], o: DayChartOptions): ChartConfiguration {
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      normalized: true,
      // Fixed padding (no room made for the last time label): the stacked charts' axes must line up exactly.
      layout: { autoPadding: false, padding: { left: 4, right: 18, top: 4, bottom: 2 } },
      elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 2 } },
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: timeScale(o.startMs, o.endMs, o.showTimeLabels), y: valueScale(o.yTitle, o.yExtra) },
      plugins: {
        legend: {
          display: o.legend ?? true,
          position: 'top',
          align: 'end',
          labels: { filter: (item) => !item.text.startsWith('_') },
        },
        tooltip: {
          callbacks: { title: (items) => (items[0] ? ukClock(items[0].parsed.x ?? 0) : '') },
        },
        placetwinShading: { ranges: o.window, colour: SERIES_COLOURS.window },
        placetwinCursor: { x: o.cursorMs, label: o.cursorLabel },
      },
    },
  } as ChartConfiguration;
}

export interface DayCursor {
  ms: number | null;
  label: string;
}

/** The flexibility panel's three charts of one day: temperatures and comfort band, electric load, grid intensity. */
export function flexibilityCharts(f: Flexibility, cursor: DayCursor) {
  const stepMs = f.stepMinutes * 60_000;
  const t = f.timesMs;
  const startMs = t[0];
  const endMs = (t.at(-1) ?? startMs) + stepMs;
  const window = flaggedRanges(t, f.inWindow, stepMs);
  const mid = (values: readonly number[]) => values.map((y, k) => ({ x: t[k] + stepMs / 2, y }));
  const common = { startMs, endMs, window, cursorMs: cursor.ms, cursorLabel: cursor.label };
  const line = (label: string, data: Point[], colour: string, more: Partial<ChartDataset<'line'>> = {}) =>
    ({ label, data, borderColor: colour, backgroundColor: colour, ...more }) as ChartDataset<'line', Point[]>;
  const unoccupied = f.occupied.map((o) => !o);

  const temps = [
    ...f.baseline.airC,
    ...f.shifted.airC,
    ...f.outdoorC,
    ...f.lowC.filter((_, k) => f.occupied[k]),
  ];
  const highs = f.highC.filter((_, k) => f.occupied[k]);
  const tMin = Math.floor(Math.min(...temps) / 5) * 5;
  const tMax = Math.ceil(Math.max(...temps, ...highs) / 5) * 5;
  const temperature = dayChart(
    [
      line('_band-low', steppedPoints(t, f.lowC, stepMs, f.occupied), SERIES_COLOURS.bandLine, {
        order: 2,
        stepped: 'after',
        borderWidth: 1,
      }),
      line('Comfort band', steppedPoints(t, f.highC, stepMs, f.occupied), SERIES_COLOURS.bandLine, {
        order: 2,
        stepped: 'after',
        borderWidth: 1,
        fill: '-1',
        backgroundColor: SERIES_COLOURS.band,
      }),
      line('Setback min.', steppedPoints(t, f.lowC, stepMs, unoccupied), SERIES_COLOURS.bandLine, {
        order: 2,
        stepped: 'after',
        borderWidth: 1,
        borderDash: [2, 3],
      }),
      line('Indoor normal', mid(f.baseline.airC), SERIES_COLOURS.normal, { borderDash: [6, 4] }),
      line('Indoor peak-shift', mid(f.shifted.airC), SERIES_COLOURS.shifted),
      line('Outdoor', mid(f.outdoorC), SERIES_COLOURS.outdoor, { borderWidth: 1.5, borderDash: [1, 3] }),
    ],
    {
      ...common,
      showTimeLabels: false,
      yTitle: '°C',
      yExtra: { min: tMin, max: tMax, ticks: { stepSize: 5 } },
    },
  );
  const words = plantWords(f.mode);
  const power = dayChart(
    [
      line(`${words.Plant}, normal`, steppedPoints(t, f.baseline.electricKw, stepMs), SERIES_COLOURS.normal, {
        stepped: 'after',
        borderDash: [6, 4],
      }),
      line(
        `${words.Plant}, peak-shift`,
        steppedPoints(t, f.shifted.electricKw, stepMs),
        SERIES_COLOURS.shifted,
        {
          stepped: 'after',
        },
      ),
    ],
    {
      ...common,
      cursorLabel: '',
      showTimeLabels: false,
      yTitle: `kW (${words.plant})`,
      yExtra: { min: 0 },
    },
  );
  const intensity = dayChart(
    [
      line('Grid carbon intensity', steppedPoints(t, f.intensityGPerKwh, stepMs), SERIES_COLOURS.intensity, {
        stepped: 'after',
        borderWidth: 1.5,
      }),
    ],
    { ...common, cursorLabel: '', showTimeLabels: true, yTitle: 'gCO2/kWh', yExtra: { min: 0 } },
  );
  return { temperature, power, intensity };
}

/** Measured vs model indoor temperature over a calibration record (the model predicting a day ahead). */
export function calibrationChart(c: {
  startMs: number;
  stepMinutes: number;
  measuredC: readonly number[];
  modelC: readonly number[];
}): ChartConfiguration {
  const stepMs = c.stepMinutes * 60_000;
  const at = (values: readonly number[]) => values.map((y, k) => ({ x: c.startMs + k * stepMs, y }));
  const all = [...c.measuredC, ...c.modelC];
  const day = 86_400_000;
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Measured indoor',
          data: at(c.measuredC),
          borderColor: SERIES_COLOURS.normal,
          backgroundColor: SERIES_COLOURS.normal,
          borderWidth: 1.5,
        },
        {
          label: 'Model (day ahead)',
          data: at(c.modelC),
          borderColor: SERIES_COLOURS.shifted,
          backgroundColor: SERIES_COLOURS.shifted,
          borderWidth: 1.5,
        },
      ],
    },
    options: {
      parsing: false,
      normalized: true,
      animation: false,
      elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 1.5 } },
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: c.startMs,
          max: c.startMs + Math.max(1, c.measuredC.length - 1) * stepMs,
          ticks: {
            stepSize: 7 * day,
            maxRotation: 0,
            callback: (v: number | string) => new Date(Number(v)).toISOString().slice(0, 10),
          },
        },
        y: valueScale('°C', {
          min: Math.floor(Math.min(...all)),
          max: Math.ceil(Math.max(...all)),
        }),
      },
      plugins: {
        legend: { display: true, position: 'top', align: 'end' },
        tooltip: {
          callbacks: {
            title: (items: { parsed: { x: number | null } }[]) =>
              items[0] ? new Date(items[0].parsed.x ?? 0).toISOString().slice(0, 16).replace('T', ' ') : '',
          },
        },
      },
    },
  } as ChartConfiguration;
}

/**
 * The words of the portfolio chart, its table and its PNG, so a cooling run says cooling throughout (as the
 * single building's power chart does): legend, axis, accessible label, table headers, image title and footnote.
 */
export function portfolioWords(p: Portfolio, describedAs: string | null = null) {
  const w = plantWords(p.mode);
  const measured = p.ranked.filter((r) => r.model === 'measured').length;
  return {
    normal: `${w.Plant}, normal`,
    shifted: `${w.Plant}, peak-shift`,
    yTitle: `kW (electric, ${w.plant})`,
    label: `${w.load} summed over ${p.totals.buildings} buildings on ${p.date}, normal and peak-shift, peak window shaded.`,
    tableNormal: `${w.Plant} normal kW`,
    tableShifted: `${w.Plant} peak-shift kW`,
    pngTitle: `${describedAs ? describedAs.replace(/,$/, '') : 'Portfolio'}: ${p.mode === 'cooling' ? 'pre-cooling' : 'heat battery'} on ${p.date}`,
    pngFootnote: `Modelled: ${w.load.toLowerCase()} (heat pump COP 3); ${measured} of ${p.totals.buildings} buildings calibrated to measured data, the rest estimated. ${p.credits}`,
  };
}

/** The portfolio's summed electric load, normal and peak-shift. */
export function portfolioChart(p: Portfolio, cursor: DayCursor): ChartConfiguration {
  const words = portfolioWords(p);
  const stepMs = p.stepMinutes * 60_000;
  const t = p.timesMs;
  const startMs = t[0];
  const endMs = (t.at(-1) ?? startMs) + stepMs;
  const line = (label: string, values: number[], colour: string, dash?: number[]) =>
    ({
      label,
      data: steppedPoints(t, values, stepMs),
      borderColor: colour,
      backgroundColor: colour,
      stepped: 'after',
      ...(dash ? { borderDash: dash } : {}),
    }) as ChartDataset<'line', Point[]>;
  return dayChart(
    [
      line(words.normal, p.aggregate.baselineKw, SERIES_COLOURS.normal, [6, 4]),
      line(words.shifted, p.aggregate.shiftedKw, SERIES_COLOURS.shifted),
    ],
    {
      startMs,
      endMs,
      window: flaggedRanges(t, p.aggregate.inWindow, stepMs),
      cursorMs: cursor.ms,
      cursorLabel: cursor.label,
      showTimeLabels: true,
      yTitle: words.yTitle,
      yExtra: { min: 0 },
    },
  );
}

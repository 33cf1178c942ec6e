import { readFileSync } from 'node:fs';
import {
  buildingFlexibility,
  carbonIntensityCsvImporter,
  dayConditions,
  portfolioFlexibility,
  stationCsvImporter,
  weatherOnYear,
} from '@placetwin/energy';
import type { ChartDataset } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { type Flexibility, type Portfolio, parseFlexibility, parsePortfolio } from '../../api/energyTypes';
import { flexibilityFigures } from '../../state/energy';
import { calibrationChart, flexibilityCharts, portfolioChart, portfolioWords } from './energyCharts';

const WEATHER = 'energy/weather/leeds-hourly-weather-2019.csv';
const INTENSITY = 'energy/carbon-intensity/gb-carbon-intensity-2023.csv';

function conditionsOn(date: string) {
  const weather = weatherOnYear(
    stationCsvImporter.parse(readFileSync(sample(WEATHER), 'utf8'), { fileName: WEATHER }),
    2023,
  );
  const intensity = carbonIntensityCsvImporter.parse(readFileSync(sample(INTENSITY), 'utf8'), {
    fileName: INTENSITY,
    allowGaps: true,
  }).intensity;
  return dayConditions(date, weather, intensity);
}

/** A real portfolio run as the API answers it (a civic building and a school), Leeds weather, GB intensity. */
function runPortfolio(date: string, mode: 'heating' | 'cooling'): Portfolio {
  const day = conditionsOn(date);
  const members = [
    { id: 'x:library', use: 'civic', footprintAreaM2: 600, perimeterM: 100, heightM: 10, storeys: 2 },
    { id: 'x:school', use: 'school', footprintAreaM2: 1500, perimeterM: 180, heightM: 8, storeys: 2 },
  ].map((building) => ({ building }));
  const comfort = mode === 'cooling' ? { minC: 21, maxC: 25 } : { minC: 19, maxC: 22 };
  const p = portfolioFlexibility(members, day, { mode, comfort });
  return parsePortfolio({
    date,
    stepMinutes: day.stepS / 60,
    mode,
    times: Array.from({ length: day.daySteps }, (_, k) =>
      new Date(day.dayStartMs + k * day.stepS * 1000).toISOString(),
    ),
    aggregate: {
      baselineKw: Array.from(p.aggregate.baselineKw),
      shiftedKw: Array.from(p.aggregate.shiftedKw),
      inWindow: Array.from(p.aggregate.inWindow, Boolean),
    },
    totals: { buildings: p.buildings.length, ...p.totals },
    ranked: p.buildings.map((r) => ({ ...r, model: 'estimated', calibrationRmseC: null })),
    skipped: p.skipped,
    credits: 'Weather: Leeds City Council.',
  });
}

/** Everything the portfolio chart, its table and its PNG say, as one text. */
const portfolioText = (p: Portfolio) => {
  const chart = portfolioChart(p, { ms: null, label: '' });
  const labels = (chart.data.datasets as ChartDataset<'line'>[]).map((d) => d.label ?? '');
  const y = (chart.options as { scales: { y: { title: { text: string } } } }).scales.y.title.text;
  const w = portfolioWords(p, 'Public buildings of rutland,');
  return [...labels, y, w.label, w.tableNormal, w.tableShifted, w.pngTitle, w.pngFootnote].join(' | ');
};

/** A real run as the API answers it: a library-sized civic building, Leeds weather 2019 on 2023, GB intensity. */
function run(date: string, mode: 'heating' | 'cooling'): Flexibility {
  const weather = weatherOnYear(
    stationCsvImporter.parse(readFileSync(sample(WEATHER), 'utf8'), { fileName: WEATHER }),
    2023,
  );
  const intensity = carbonIntensityCsvImporter.parse(readFileSync(sample(INTENSITY), 'utf8'), {
    fileName: INTENSITY,
    allowGaps: true,
  }).intensity;
  const day = dayConditions(date, weather, intensity);
  const building = {
    id: 'x:library',
    use: 'civic',
    footprintAreaM2: 600,
    perimeterM: 100,
    heightM: 10,
    storeys: 2,
  };
  const comfort = mode === 'cooling' ? { minC: 21, maxC: 25 } : { minC: 19, maxC: 22 };
  const f = buildingFlexibility(building, day, { mode, comfort }).result;
  const sched = (s: typeof f.baseline) => ({
    airC: Array.from(s.airC),
    electricKw: Array.from(s.electricKw),
    heatKw: Array.from(s.heatKw),
    comfortHoursViolated: s.comfortHoursViolated,
    energyKwh: s.energyKwh,
    carbonKg: s.carbonKg,
  });
  return parseFlexibility({
    buildingId: building.id,
    date,
    stepMinutes: day.stepS / 60,
    mode,
    times: Array.from({ length: day.daySteps }, (_, k) =>
      new Date(day.dayStartMs + k * day.stepS * 1000).toISOString(),
    ),
    outdoorC: Array.from(day.outdoorC.subarray(day.warmUpSteps)),
    intensityGPerKwh: Array.from(day.intensityGPerKwh),
    lowC: Array.from(f.lowC),
    highC: Array.from(f.highC),
    inWindow: Array.from(f.inWindow, Boolean),
    occupied: Array.from(f.occupied, Boolean),
    baseline: sched(f.baseline),
    shifted: sched(f.shifted),
    figures: f,
    floorAreaM2: 1200,
    assumptions: [],
    credits: '',
    notes: [],
  });
}

const words = (f: Flexibility) => {
  const { power } = flexibilityCharts(f, { ms: null, label: '' });
  const labels = (power.data.datasets as ChartDataset<'line'>[]).map((d) => d.label ?? '');
  const y = (power.options as { scales: { y: { title: { text: string } } } }).scales.y.title.text;
  const figures = flexibilityFigures(f, { windowStart: '16:00', windowEnd: '19:00' }).map(
    (x) => `${x.label} ${x.note}`,
  );
  return [...labels, y, ...figures].join(' | ');
};

describe('the flexibility charts name what the plant does', () => {
  it('say cooling, never heating, on a cooling day (25 July, Leeds 2019 weather)', () => {
    const f = run('2023-07-25', 'cooling');
    expect(Math.max(...f.baseline.electricKw)).toBeGreaterThan(0);
    const text = words(f);
    expect(text).toMatch(/Cooling, normal/);
    expect(text).toMatch(/Cooling, peak-shift/);
    expect(text).toMatch(/kW \(cooling\)/);
    expect(text).toMatch(/Pre-cool before the window/);
    expect(text).not.toMatch(/heat/i);
  });

  it('say heating on a heating day (18 January)', () => {
    const text = words(run('2023-01-18', 'heating'));
    expect(text).toMatch(/Heating, normal/);
    expect(text).toMatch(/Pre-heat before the window/);
    expect(text).not.toMatch(/cool/i);
  });
});

describe('the calibration chart', () => {
  it('draws measured and model temperatures on one time axis, one point per reading', () => {
    // Four readings written out (constructed): this checks the chart's shape; the fit itself is tested on real
    // records in packages/energy and the API test.
    const measuredC = [20.1, 20.4, 20.2, 19.8];
    const modelC = [20.0, 20.3, 20.4, 19.9];
    const c = calibrationChart({ startMs: Date.UTC(2021, 10, 22, 9), stepMinutes: 15, measuredC, modelC });
    const sets = c.data.datasets as ChartDataset<'line', { x: number; y: number }[]>[];
    expect(sets.map((d) => d.label)).toEqual(['Measured indoor', 'Model (day ahead)']);
    expect(sets[0].data.map((p) => p.y)).toEqual(measuredC);
    expect(sets[1].data[3].x - sets[1].data[0].x).toBe(3 * 15 * 60_000);
  });
});

describe('the portfolio chart names what the plant does', () => {
  it('says cooling, never heating, on a cooling day (25 July): legend, axis, label, table and PNG', () => {
    const p = runPortfolio('2023-07-25', 'cooling');
    expect(p.mode).toBe('cooling');
    expect(p.totals.buildings).toBe(2);
    expect(Math.max(...p.aggregate.baselineKw)).toBeGreaterThan(0);
    const text = portfolioText(p);
    expect(text).toMatch(/Cooling, normal/);
    expect(text).toMatch(/Cooling, peak-shift/);
    expect(text).toMatch(/kW \(electric, cooling\)/);
    expect(text).toMatch(/Electric load of the cooling summed over 2 buildings on 2023-07-25/);
    expect(text).toMatch(/Cooling normal kW/);
    expect(text).toMatch(/Public buildings of rutland: pre-cooling on 2023-07-25/);
    expect(text).toMatch(/0 of 2 buildings calibrated/);
    expect(text).not.toMatch(/heat(?!.pump)/i);
  });

  it('says heating on a heating day (18 January)', () => {
    const text = portfolioText(runPortfolio('2023-01-18', 'heating'));
    expect(text).toMatch(/Heating, normal/);
    expect(text).toMatch(/heat battery on 2023-01-18/);
    expect(text).not.toMatch(/cool/i);
  });

  it('reads a response without mode (an older server) as heating', () => {
    const p = runPortfolio('2023-01-18', 'heating');
    const { mode: _m, ...rest } = p;
    expect(parsePortfolio({ ...rest, times: p.timesMs.map((t) => new Date(t).toISOString()) }).mode).toBe(
      'heating',
    );
  });
});

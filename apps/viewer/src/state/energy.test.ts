import { describe, expect, it } from 'vitest';
import type { Flexibility } from '../api/energyTypes';
import {
  clockOnDay,
  FLEXIBILITY_DEFAULTS,
  type FlexibilitySettings,
  flexibilityDay,
  flexibilityFigures,
  flexibilityProblems,
  flexibilityRequest,
  portfolioRequest,
} from './energy';

const settings: FlexibilitySettings = { ...FLEXIBILITY_DEFAULTS, date: '2023-01-18' };

describe('the day the flexibility panel models', () => {
  it('is the clock’s UK date in the data year, across midnight in BST', () => {
    expect(flexibilityDay('2023-01-18T23:30:00Z')).toEqual({ date: '2023-01-18', onClock: true });
    // 23:30 UTC on 30 June is 00:30 BST on 1 July.
    expect(flexibilityDay('2023-06-30T23:30:00Z')).toEqual({ date: '2023-07-01', onClock: true });
  });

  it('moves another year’s day to the same day of 2023, within the data', () => {
    expect(flexibilityDay('2025-06-21T11:00:00Z')).toEqual({ date: '2023-06-21', onClock: false });
    expect(flexibilityDay('2024-02-29T12:00:00Z')).toEqual({ date: '2023-02-28', onClock: false });
    // The first three days are the model's warm-up.
    expect(flexibilityDay('2023-01-02T12:00:00Z')).toEqual({ date: '2023-01-04', onClock: false });
    expect(flexibilityDay('2026-01-01T12:00:00Z')).toEqual({ date: '2023-01-04', onClock: false });
  });

  it('keeps the UK time of day when the day picker moves the clock across a clock change', () => {
    // 17:00 GMT in January → 17:00 BST on 1 July = 16:00 UTC.
    expect(clockOnDay('2023-01-18T17:00:00Z', '2023-07-01')?.toISOString()).toBe('2023-07-01T16:00:00.000Z');
    expect(clockOnDay('2023-01-18T17:00:00Z', 'not a date')).toBeNull();
  });
});

describe('the flexibility form', () => {
  it('accepts the defaults: 19–22 °C, peak 16:00–19:00', () => {
    expect(flexibilityProblems(settings)).toEqual([]);
    expect(flexibilityRequest('rutland:w1', settings)).toEqual({
      buildingId: 'rutland:w1',
      date: '2023-01-18',
      comfort: { minC: 19, maxC: 22 },
      window: { start: '16:00', end: '19:00' },
    });
  });

  it('sends a thermal mass class only when one is chosen', () => {
    expect(flexibilityRequest('rutland:w1', { ...settings, capacity: 'heavy' })).toMatchObject({
      capacityClass: 'heavy',
    });
  });

  it('names each problem and its field', () => {
    expect(flexibilityProblems({ ...settings, minC: 22, maxC: 22 })).toEqual([
      'Comfort band: the lowest temperature must be below the highest.',
    ]);
    expect(flexibilityProblems({ ...settings, minC: Number.NaN })).toEqual([
      'Comfort band: enter both temperatures.',
    ]);
    expect(flexibilityProblems({ ...settings, windowStart: '19:00', windowEnd: '16:00' })).toEqual([
      'Peak window: the start must come before the end, on the same day.',
    ]);
    expect(flexibilityProblems({ ...settings, windowEnd: '' })).toEqual([
      'Peak window: enter start and end as HH:MM.',
    ]);
    expect(flexibilityProblems({ ...settings, date: '2024-01-18' })[0]).toMatch(
      /^Day: choose a day from 4 January/,
    );
    expect(flexibilityProblems({ ...settings, maxC: 40 })).toEqual([
      'Comfort band: keep it between 5 °C and 35 °C.',
    ]);
  });
});

/** A constructed result: only the figures and comfort hours are read here. */
function result(figures: Partial<Flexibility['figures']>): Flexibility {
  const schedule = (comfort: number) => ({
    airC: [],
    electricKw: [],
    heatKw: [],
    comfortHoursViolated: comfort,
    energyKwh: 0,
    carbonKg: 0,
  });
  return {
    buildingId: 'rutland:w1',
    date: '2023-01-18',
    stepMinutes: 30,
    mode: 'heating',
    timesMs: [],
    outdoorC: [],
    intensityGPerKwh: [],
    lowC: [],
    highC: [],
    inWindow: [],
    occupied: [],
    baseline: schedule(1.5),
    shifted: schedule(0),
    figures: {
      kwRemoved: 3.2747,
      windowPeakKw: { baseline: 21.99, shifted: 12.45 },
      durationH: 0,
      kwhShifted: 9.824,
      preheatKwh: 79.78,
      reboundKwh: -12.91,
      reboundPeakKw: 0,
      extraKwh: 57.04,
      carbonDifferenceKg: 10.64,
      ...figures,
    },
    floorAreaM2: 1765,
    assumptions: [],
    credits: '',
    notes: [],
  };
}

describe('the grid operator’s figures', () => {
  it('gives each figure its unit, in the order an operator asks', () => {
    const figures = flexibilityFigures(result({}), settings);
    expect(figures.map((f) => f.key)).toEqual([
      'kwRemoved',
      'windowPeak',
      'durationH',
      'kwhShifted',
      'preheatKwh',
      'rebound',
      'comfort',
      'carbon',
      'extraKwh',
    ]);
    const text = Object.fromEntries(figures.map((f) => [f.key, f.text]));
    expect(text.kwRemoved).toBe('3.3\u00a0kW');
    expect(text.windowPeak).toBe('22.0\u00a0kW → 12.5\u00a0kW');
    expect(text.rebound).toBe('\u221212.9\u00a0kWh, peak 0.0\u00a0kW');
    expect(text.comfort).toBe('0.0\u00a0h (normal: 1.5\u00a0h)');
    expect(text.carbon).toBe('+10.6\u00a0kgCO2');
    expect(figures[0].note).toContain('16:00–19:00');
    expect(figures[0].value).toBe(3.2747);
  });

  it('shows a carbon saving with a minus sign', () => {
    const carbon = flexibilityFigures(result({ carbonDifferenceKg: -4.04 }), settings).find(
      (f) => f.key === 'carbon',
    );
    expect(carbon?.text).toBe('\u22124.0\u00a0kgCO2');
  });
});

describe('portfolio requests', () => {
  const context = {
    dataset: 'rutland',
    viewBbox: [-0.74, 52.66, -0.72, 52.68] as [number, number, number, number],
    ids: [],
  };

  it('asks for the public buildings by use class, or the buildings in view by bbox', () => {
    expect(portfolioRequest('public', settings, context)).toMatchObject({
      dataset: 'rutland',
      filter: { use: ['education', 'civic', 'healthcare'] },
      limit: 500,
      comfort: { minC: 19, maxC: 22 },
    });
    expect(portfolioRequest('view', settings, context)).toMatchObject({ filter: { bbox: context.viewBbox } });
  });

  it('asks for a cooling day only when cooling is chosen', () => {
    expect(portfolioRequest('public', { ...settings, mode: 'cooling' }, context)).toMatchObject({
      mode: 'cooling',
    });
    expect(portfolioRequest('public', settings, context)).not.toHaveProperty('mode');
    expect(flexibilityRequest('rutland:w1', { ...settings, mode: 'cooling' })).toMatchObject({
      mode: 'cooling',
    });
  });

  it('asks for the council-owned buildings by the ownership filter, with the grid when one is chosen', () => {
    const body = portfolioRequest('council', settings, { ...context, grid: 'sample' });
    expect(body).toMatchObject({ dataset: 'rutland', filter: { councilOwned: true }, grid: 'sample' });
    expect(body?.filter).not.toHaveProperty('use');
    expect(portfolioRequest('public', settings, { ...context, grid: null })).not.toHaveProperty('grid');
    expect(portfolioRequest('council', settings, { ...context, dataset: null })).toBeNull();
  });

  it('sends nothing it cannot: no view, no dataset, an empty list', () => {
    expect(portfolioRequest('view', settings, { ...context, viewBbox: null })).toBeNull();
    expect(portfolioRequest('public', settings, { ...context, dataset: null })).toBeNull();
    expect(portfolioRequest('list', settings, context)).toBeNull();
    expect(portfolioRequest('list', settings, { ...context, ids: ['rutland:w1'] })).toMatchObject({
      buildingIds: ['rutland:w1'],
    });
  });
});

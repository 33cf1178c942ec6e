import { validateLeverSet } from '@placetwin/carbon';
import { describe, expect, it } from 'vitest';
import type { CarbonResult, YearSeries } from '../api/energyTypes';
import {
  compareResults,
  draftOf,
  emptyDraft,
  examplePlan,
  leverSetOf,
  SHARE_LEVERS,
  slugOf,
  targetsDraftOf,
  trajectoryFigures,
  withTargets,
} from './carbon';

describe('the lever editor and the API’s lever sets', () => {
  it('sends no levers for an untouched plan, so it projects as the baseline with the grid path', () => {
    expect(leverSetOf(emptyDraft('Nothing'))).toEqual({ name: 'Nothing' });
  });

  it('turns each slider into a path from 0 in the start year to its share in its year', () => {
    const levers = leverSetOf(examplePlan());
    expect(levers.heatPumps).toEqual({
      domestic: [{ year: 2040, value: 0.8 }],
      nonDomestic: [{ year: 2040, value: 0.6 }],
      scop: 2.8,
    });
    expect(levers.domesticRetrofit).toEqual({ share: [{ year: 2035, value: 0.5 }], heatSaving: 0.25 });
    expect(levers.modalShift).toBeUndefined();
    expect(levers.grid).toBeUndefined();
  });

  it('writes lever sets the carbon model accepts, for every slider at its extremes', () => {
    for (const lever of SHARE_LEVERS) {
      for (const [value, year] of [
        [1, 2024],
        [0.05, 2050],
      ]) {
        const d = emptyDraft('x');
        d.shares[lever.id] = { value, year };
        d.grid = 'flat2023';
        expect(() => validateLeverSet(leverSetOf(d), { startYear: 2023, endYear: 2050 })).not.toThrow();
      }
    }
  });

  it('reads a saved lever set back into the sliders, and says when a path had to be simplified', () => {
    const plan = examplePlan();
    plan.grid = 'flat2023';
    expect(draftOf(leverSetOf(plan), 'Example plan')).toEqual({ draft: plan, simplified: false });
    const twoSteps = draftOf(
      {
        heatPumps: {
          domestic: [
            { year: 2030, value: 0.2 },
            { year: 2045, value: 0.9 },
          ],
          scop: 3,
        },
      },
      'Two steps',
    );
    expect(twoSteps.simplified).toBe(true);
    expect(twoSteps.draft.shares.homeHeatPumps).toEqual({ value: 0.9, year: 2045 });
    expect(twoSteps.draft.scop).toBe(3);
  });

  it('names lever sets as the API requires, never "baseline"', () => {
    expect(slugOf('Plan B: heat first')).toBe('plan-b-heat-first');
    expect(slugOf('Baseline')).toBe('baseline-plan');
    expect(slugOf('Énergie')).toBe('energie');
    expect(slugOf('!!!')).toBe('plan');
    expect(slugOf('x'.repeat(100))).toHaveLength(60);
  });
});

const series = (values: (number | null)[]): YearSeries => ({ unit: 'tCO2e/yr', basis: 'assumed', values });

/** A constructed four-year result (2023–2026): only years, totals and sectors are read here. */
function result(total: number[]): CarbonResult {
  const zero = series(total.map(() => 0));
  return {
    dataset: 'x',
    leverSet: 'x',
    inputsHash: '',
    years: total.map((_, i) => 2023 + i),
    sectors: { domestic: series(total), 'non-domestic': zero, transport: zero, other: zero },
    total: series(total),
    gridFactor: zero,
    assumptions: [],
    targets: [],
    budget: null,
    stock: { buildings: 0, withEnergy: 0, counts: {}, energyMethod: '' },
  };
}

describe('what a committee reads off trajectories', () => {
  it('compares plan B with plan A year by year and in total', () => {
    const { rows, cumulative } = compareResults(result([100, 90, 80, 70]), result([100, 80, 60, 40]));
    expect(rows.map((r) => r.difference)).toEqual([0, -10, -20, -30]);
    expect(cumulative).toBe(-60);
    expect(() => compareResults(result([1, 2]), result([1, 2, 3]))).toThrow(/different years/);
  });

  it('gives the start, the end, the change and the cumulative emissions, each with unit and basis', () => {
    const figures = trajectoryFigures(result([100, 90, 80, 50]));
    expect(figures.map((f) => [f.label, f.value, f.unit])).toEqual([
      ['2023 (baseline year)', 100, 'tCO2e/yr'],
      ['2026', 50, 'tCO2e/yr'],
      ['Change 2023–2026', -0.5, '%'],
      ['Cumulative 2023–2026', 320, 'tCO2e'],
    ]);
    expect(figures.every((f) => f.basis === 'assumed')).toBe(true);
  });
});

describe('targets and budget', () => {
  it('adds the area’s 1990 emissions to the UK target and the council’s own date, keeping other inputs', () => {
    const inputs = { startYear: 2023, other: [{ label: 'waste' }] };
    const next = withTargets(inputs, {
      emissions1990: 250_000,
      councilNetZeroYear: 2045,
      budget: { tco2e: 1e6, fromYear: 2023, toYear: 2050, source: 'entered' },
    });
    expect(next.other).toEqual(inputs.other);
    expect(next.targets?.map((t) => [t.label, t.year])).toEqual([
      ['UK: 78% below 1990 by 2035', 2035],
      ['UK: net zero by 2050', 2050],
      ['Council: net zero by 2045', 2045],
    ]);
    expect(next.targets?.[0]).toMatchObject({ referenceTco2e: 250_000 });
    expect(targetsDraftOf(next)).toEqual({
      emissions1990: 250_000,
      councilNetZeroYear: 2045,
      budget: { tco2e: 1e6, fromYear: 2023, toYear: 2050, source: 'entered' },
    });
  });

  it('leaves an unknown 1990 reference out rather than sending null, and removes a cleared budget', () => {
    const next = withTargets(
      { startYear: 2023, budget: { tco2e: 5, fromYear: 2023, toYear: 2030, source: 's' } },
      { emissions1990: null, councilNetZeroYear: null, budget: null },
    );
    expect(next.targets?.[0]).not.toHaveProperty('referenceTco2e');
    expect(next.targets).toHaveLength(2);
    expect(next).not.toHaveProperty('budget');
  });
});

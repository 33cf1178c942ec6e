import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { GRID_PATHS } from './grid';
import { compileStock } from './stock';
import { assessBudget, assessTargets, councilNetZero, UK_TARGETS } from './targets';
import { type Trajectory, trajectory } from './trajectory';

/** A constructed area whose total falls linearly from 1,000 t (2025) to 0 (2045), then stays at 0. */
function falling(): Trajectory {
  return trajectory(
    {
      startYear: 2025,
      endYear: 2050,
      stock: compileStock([]),
      other: [{ label: 'all', tco2e: 1000, basis: 'measured', source: 'test' }],
    },
    { otherSectors: { reduction: [{ year: 2045, value: 1 }] }, grid: GRID_PATHS.flat2023 },
  );
}

describe('targets', () => {
  it('checks the UK 2035 target (78% on 1990) against an entered 1990 figure', () => {
    const [a] = assessTargets(falling(), [UK_TARGETS.uk2035(2500)]);
    expect(a.allowed!.value).toBeCloseTo(550, 9); // 2,500 × 0.22
    expect(a.projected!.value).toBeCloseTo(500, 9); // 1,000 × (1 − 10/20)
    expect(a.gap!.value).toBeCloseTo(-50, 9);
    expect(a.met).toBe(true);
    expect(a.line!.values[0]).toBeCloseTo(1000, 9);
    expect(a.line!.values[2035 - 2025]).toBeCloseTo(550, 9);
  });

  it('cannot judge a 1990-based target without the 1990 figure, and says so', () => {
    const [a] = assessTargets(falling(), [UK_TARGETS.uk2035()]);
    expect(a.met).toBeNull();
    expect(a.note).toMatch(/needs the area's 1990 emissions/);
  });

  it('checks net zero dates: met by 2045 and 2050, missed by a 2030 council date', () => {
    const [uk, c2045, c2030] = assessTargets(falling(), [
      UK_TARGETS.ukNetZero2050(),
      councilNetZero(2045),
      councilNetZero(2030),
    ]);
    expect(uk.met).toBe(true);
    expect(c2045.met).toBe(true);
    expect(c2030.met).toBe(false);
    expect(c2030.gap!.value).toBeCloseTo(750, 9);
  });

  it('rejects a target year outside 1990–2100 and a negative reduction', () => {
    expect(() => assessTargets(falling(), [councilNetZero(2200)])).toThrow(DataError);
    expect(() => assessTargets(falling(), [{ ...UK_TARGETS.uk2035(1), reduction: -0.2 } as never])).toThrow(
      /not in 0–1/,
    );
  });
});

describe('carbon budget', () => {
  it('adds up the trajectory from the budget’s first year and finds the year it runs out', () => {
    // 2025..2044: 1000, 950, ..., 50 → sum 10,500; from 2045 on: 0
    const b = assessBudget(falling(), { tco2e: 6000, fromYear: 2025, toYear: 2100, source: 'test budget' });
    expect(b.used.value).toBeCloseTo(10_500, 6);
    expect(b.remaining.value).toBeCloseTo(-4500, 6);
    // cumulative after n years = 1000n − 25n(n−1): n = 7 → 5,950, n = 8 → 6,600 → exceeded in the 8th year, 2032
    expect(b.exceededIn).toBe(2032);
    expect(b.cumulative.values[6]).toBeCloseTo(5950, 6);
    expect(b.cumulative.values[7]).toBeCloseTo(6600, 6);
    expect(b.coversWholeBudget).toBe(false);
  });

  it('needs what was emitted before the trajectory starts when the budget starts earlier', () => {
    const budget = { tco2e: 20_000, fromYear: 2020, toYear: 2050, source: 'Tyndall-style budget' };
    expect(() => assessBudget(falling(), budget)).toThrow(/give emittedBeforeStartTco2e for 2020–2024/);
    const b = assessBudget(falling(), { ...budget, emittedBeforeStartTco2e: 5000 });
    expect(b.used.value).toBeCloseTo(15_500, 6);
    expect(b.exceededIn).toBeNull();
  });
});

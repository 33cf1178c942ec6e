import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { compareTrajectories, comparisonCsv, trajectoryCsv } from './compare';
import { parseCsv } from './csv';
import {
  DESNZ_2023_GRID_GENERATION,
  GRID_PATHS,
  gridGenerationAt,
  meanGridIntensity,
  validateGridPath,
} from './grid';
import { compileStock } from './stock';
import { trajectory } from './trajectory';

const area = {
  startYear: 2025,
  endYear: 2030,
  stock: compileStock([
    {
      id: 'a',
      sector: 'domestic',
      kwhByFuel: { 'natural-gas': 12_000, electricity: 2_700 },
      basis: 'modelled',
    },
    { id: 'b', sector: 'non-domestic', kwhByFuel: { electricity: 50_000 }, basis: 'measured' },
  ]),
};

describe('comparing lever sets', () => {
  it('gives b − a per sector and year, and in total', () => {
    const a = trajectory(area, { name: 'baseline', grid: GRID_PATHS.flat2023 });
    const b = trajectory(area, {
      name: 'heat pumps',
      heatPumps: { domestic: [{ year: 2030, value: 1 }], scop: 3 },
      grid: GRID_PATHS.flat2023,
    });
    const c = compareTrajectories(a, b);
    expect(c.difference.domestic.values[0]).toBe(0);
    expect(c.difference.domestic.values[5]).toBeCloseTo(
      b.sectors.domestic.values[5] - a.sectors.domestic.values[5],
      12,
    );
    expect(c.difference.domestic.values[5]).toBeLessThan(0);
    expect(c.difference['non-domestic'].values.every((v) => v === 0)).toBe(true);
    expect(c.cumulativeDifference.value).toBeCloseTo(
      c.difference.total.values.reduce((s, v) => s + v, 0),
      9,
    );
    expect(() => compareTrajectories(a, trajectory({ ...area, endYear: 2031 }))).toThrow(/cannot compare/);
  });

  it('exports CSV that reads back to the same numbers, each with unit and basis', () => {
    const t = trajectory(area, { name: 'Plan "A", 2024' });
    const rows = parseCsv(trajectoryCsv(t));
    expect(rows[0]).toEqual(['lever_set', 'year', 'series', 'value', 'unit', 'basis']);
    expect(rows).toHaveLength(1 + 6 * 6); // 4 sectors + total + grid factor, 6 years
    const dom2027 = rows.find((r) => r[1] === '2027' && r[2] === 'domestic')!;
    expect(dom2027[0]).toBe('Plan "A", 2024');
    expect(Number(dom2027[3])).toBe(t.sectors.domestic.values[2]);
    expect(dom2027.slice(4)).toEqual(['tCO2e/yr', 'modelled']);
    const cmp = parseCsv(comparisonCsv(t, trajectory(area, { name: 'flat', grid: GRID_PATHS.flat2023 })));
    expect(cmp[0]).toEqual(['year', 'series', 'a: Plan "A", 2024', 'b: flat', 'b_minus_a', 'unit', 'basis']);
    const total2030 = cmp.find((r) => r[0] === '2030' && r[1] === 'total')!;
    expect(Number(total2030[4])).toBeCloseTo(Number(total2030[3]) - Number(total2030[2]), 9);
    expect(Number(total2030[4])).toBeGreaterThan(0); // no grid decarbonisation emits more
  });
});

describe('grid', () => {
  it('runs the default path linearly from the DESNZ 2023 factor to zero in 2035', () => {
    const p = GRID_PATHS.cleanPower2035;
    expect(gridGenerationAt(p, 2020)).toBe(DESNZ_2023_GRID_GENERATION);
    expect(gridGenerationAt(p, 2029)).toBeCloseTo(DESNZ_2023_GRID_GENERATION / 2, 12);
    expect(gridGenerationAt(p, 2035)).toBe(0);
    expect(gridGenerationAt(p, 2050)).toBe(0);
  });

  it('reads the measured 2023 GB intensity (NESO) with the gaps PROVENANCE.md lists', () => {
    const m = meanGridIntensity(
      readFileSync(sample('energy/carbon-intensity/gb-carbon-intensity-2023.csv'), 'utf8'),
    );
    // 17,430 rows: 5 without `actual`, 5 with `actual` = 0 (documented artefacts)
    expect(m).toMatchObject({ skippedEmpty: 5, skippedZero: 5, halfHours: 17_420, basis: 'measured' });
    expect(m.from).toBe('2022-12-31 23:30:00+00:00');
    expect(m.to).toBe('2024-01-01 00:00:00+00:00');
    // 2023 was cleaner than the older data behind the DESNZ 2023 reporting factor
    expect(m.meanGPerKwh).toBeGreaterThan(100);
    expect(m.meanGPerKwh).toBeLessThan(DESNZ_2023_GRID_GENERATION * 1000);
  });

  it('rejects a path with years out of range or out of order', () => {
    const p = (points: { year: number; kgCO2ePerKwh: number }[]) => ({
      name: 'p',
      description: '',
      source: '',
      basis: 'assumed' as const,
      points,
    });
    expect(() => validateGridPath(p([{ year: 2150, kgCO2ePerKwh: 0.1 }]))).toThrow(
      /2150 is not a whole year in 1990–2100/,
    );
    expect(() =>
      validateGridPath(
        p([
          { year: 2030, kgCO2ePerKwh: 0.1 },
          { year: 2030, kgCO2ePerKwh: 0.05 },
        ]),
      ),
    ).toThrow(/does not come after/);
    expect(() => validateGridPath(p([]))).toThrow(/at least one point/);
  });
});

/**
 * Two lever sets side by side, and CSV exports a committee report can take as they are (long format: one value
 * per row with its unit and basis).
 */
import { DataError } from '@placetwin/geo';
import { toCsv } from './csv';
import type { Trajectory } from './trajectory';
import { type Quantity, SECTORS, type Sector, type Series, weakestBasis } from './types';

export interface TrajectoryComparison {
  a: string;
  b: string;
  years: number[];
  /** b − a per sector and in total, tCO2e/yr (negative: b emits less). */
  difference: Record<Sector | 'total', Series>;
  /** Sum of the total difference over the years, tCO2e. */
  cumulativeDifference: Quantity;
}

export function compareTrajectories(a: Trajectory, b: Trajectory): TrajectoryComparison {
  if (a.years.length !== b.years.length || a.years[0] !== b.years[0])
    throw new DataError(
      'mismatched-years',
      `cannot compare ${a.name} (${a.years[0]}–${a.years.at(-1)}) with ${b.name} (${b.years[0]}–${b.years.at(-1)})`,
    );
  const diff = (x: Series, y: Series): Series => ({
    unit: x.unit,
    basis: weakestBasis([x.basis, y.basis]),
    values: y.values.map((v, i) => v - x.values[i]),
  });
  const difference = Object.fromEntries(SECTORS.map((s) => [s, diff(a.sectors[s], b.sectors[s])])) as Record<
    Sector | 'total',
    Series
  >;
  difference.total = diff(a.total, b.total);
  return {
    a: a.name,
    b: b.name,
    years: a.years,
    difference,
    cumulativeDifference: {
      value: difference.total.values.reduce((s, v) => s + v, 0),
      unit: 'tCO2e',
      basis: difference.total.basis,
    },
  };
}

const CSV_HEADER = ['lever_set', 'year', 'series', 'value', 'unit', 'basis'];

function seriesRows(name: string, years: readonly number[], label: string, s: Series) {
  return years.map((y, i) => [name, y, label, s.values[i], s.unit, s.basis]);
}

/** One trajectory as CSV: every sector, the total and the grid factor, per year. */
export function trajectoryCsv(t: Trajectory, extra: Record<string, Series> = {}): string {
  const rows = [
    ...SECTORS.flatMap((s) => seriesRows(t.name, t.years, s, t.sectors[s])),
    ...seriesRows(t.name, t.years, 'total', t.total),
    ...seriesRows(t.name, t.years, 'grid factor', t.gridFactor),
    ...Object.entries(extra).flatMap(([label, s]) => seriesRows(t.name, t.years, label, s)),
  ];
  return toCsv(CSV_HEADER, rows);
}

/** Two trajectories and their difference as CSV: year, series, a, b, b − a, unit, basis. */
export function comparisonCsv(a: Trajectory, b: Trajectory): string {
  const c = compareTrajectories(a, b);
  const rows: (string | number)[][] = [];
  for (const s of [...SECTORS, 'total'] as const) {
    const sa = s === 'total' ? a.total : a.sectors[s];
    const sb = s === 'total' ? b.total : b.sectors[s];
    c.years.forEach((y, i) => {
      rows.push([
        y,
        s,
        sa.values[i],
        sb.values[i],
        c.difference[s].values[i],
        sa.unit,
        c.difference[s].basis,
      ]);
    });
  }
  return toCsv(['year', 'series', `a: ${a.name}`, `b: ${b.name}`, 'b_minus_a', 'unit', 'basis'], rows);
}

/**
 * Grid electricity over time: a stated path for the generation factor, and the measured 2023 GB intensity for
 * comparison.
 */
import { DataError } from '@placetwin/geo';
import { parseCsv } from './csv';
import { DESNZ_2023 } from './factors';
import type { Basis } from './types';

/**
 * The scope 2 generation factor of grid electricity by year, kg CO2e/kWh. Linear between points, flat before the
 * first and after the last. The other electricity components (T&D losses, well-to-tank) scale in proportion, so
 * the path only states what generation emits.
 */
export interface GridPath {
  name: string;
  /** What the path represents and why, in plain words. */
  description: string;
  source: string;
  basis: Basis;
  points: { year: number; kgCO2ePerKwh: number }[];
}

const desnzGeneration = DESNZ_2023.factors.find(
  (f) => f.key === 'electricity' && f.component === 'generation',
)!;

/** DESNZ 2023 UK grid generation factor, kg CO2e/kWh (0.20707). */
export const DESNZ_2023_GRID_GENERATION = desnzGeneration.value;

export const GRID_PATHS: Record<'cleanPower2035' | 'flat2023', GridPath> = {
  /**
   * The default: a documented linear path to a stated value, not an official projection. It runs from the DESNZ
   * 2023 reporting factor in 2023 to zero in 2035, the Government's stated aim that "by 2035 the UK will be
   * powered entirely by clean electricity, subject to security of supply" (HM Government, Net Zero Strategy:
   * Build Back Greener, October 2021). It is an ambition, so the path is `assumed`; for appraisal use the
   * Green Book supplementary guidance data tables (DESNZ, "Valuation of energy use and greenhouse gas emissions
   * for appraisal", table 1, grid-average consumption factors) entered as points.
   */
  cleanPower2035: {
    name: 'clean-power-2035-linear',
    description: 'Linear from the DESNZ 2023 factor (2023) to 0 kgCO2e/kWh in 2035, flat after',
    source:
      'DESNZ 2023 GHG conversion factors (start); HM Government Net Zero Strategy (2021) clean power by 2035 (end)',
    basis: 'assumed',
    points: [
      { year: 2023, kgCO2ePerKwh: DESNZ_2023_GRID_GENERATION },
      { year: 2035, kgCO2ePerKwh: 0 },
    ],
  },
  /** No further decarbonisation: the 2023 factor held. A pessimistic bound. */
  flat2023: {
    name: 'desnz-2023-flat',
    description: 'DESNZ 2023 factor held constant (no further grid decarbonisation)',
    source: 'DESNZ 2023 GHG conversion factors',
    basis: 'assumed',
    points: [{ year: 2023, kgCO2ePerKwh: DESNZ_2023_GRID_GENERATION }],
  },
};

export const DEFAULT_GRID_PATH: GridPath = GRID_PATHS.cleanPower2035;

export const YEAR_MIN = 1990;
export const YEAR_MAX = 2100;

export function validateGridPath(path: GridPath, field = 'grid'): void {
  if (!path.points?.length)
    throw new DataError('invalid-grid-path', `${field}.points: at least one point is needed`);
  path.points.forEach((p, i) => {
    const at = `${field}.points[${i}]`;
    if (!Number.isInteger(p.year) || p.year < YEAR_MIN || p.year > YEAR_MAX)
      throw new DataError(
        'year-out-of-range',
        `${at}.year ${p.year} is not a whole year in ${YEAR_MIN}–${YEAR_MAX}`,
      );
    if (i > 0 && p.year <= path.points[i - 1].year)
      throw new DataError(
        'invalid-grid-path',
        `${at}.year ${p.year} does not come after ${path.points[i - 1].year}`,
      );
    if (!Number.isFinite(p.kgCO2ePerKwh) || p.kgCO2ePerKwh < 0 || p.kgCO2ePerKwh > 2)
      throw new DataError(
        'invalid-grid-path',
        `${at}.kgCO2ePerKwh ${p.kgCO2ePerKwh} is not in 0–2 kgCO2e/kWh`,
      );
  });
}

/** The path's generation factor in a year, kg CO2e/kWh. */
export function gridGenerationAt(path: GridPath, year: number): number {
  const p = path.points;
  if (year <= p[0].year) return p[0].kgCO2ePerKwh;
  for (let i = 1; i < p.length; i++)
    if (year <= p[i].year) {
      const f = (year - p[i - 1].year) / (p[i].year - p[i - 1].year);
      return p[i - 1].kgCO2ePerKwh + f * (p[i].kgCO2ePerKwh - p[i - 1].kgCO2ePerKwh);
    }
  return p[p.length - 1].kgCO2ePerKwh;
}

export interface MeasuredGridIntensity {
  /** Mean of the half-hourly `actual` values, g CO2/kWh (time-weighted: the file has no demand to weight by). */
  meanGPerKwh: number;
  halfHours: number;
  /** Rows with no `actual` value, and rows with `actual` = 0 (API artefacts), left out of the mean. */
  skippedEmpty: number;
  skippedZero: number;
  from: string;
  to: string;
  basis: 'measured';
}

/**
 * Mean GB grid carbon intensity from a NESO Carbon Intensity API export (`from,to,forecast,actual,index`).
 * NESO's intensity counts CO2 from transmission-connected generation as it happens; DESNZ's reporting factor is a
 * CO2e average built from earlier years' data, so the two differ and are shown side by side, not mixed.
 */
export function meanGridIntensity(csvText: string, file = 'carbon intensity CSV'): MeasuredGridIntensity {
  const rows = parseCsv(csvText);
  const h = rows[0] ?? [];
  const col = { from: h.indexOf('from'), to: h.indexOf('to'), actual: h.indexOf('actual') };
  if (col.from < 0 || col.to < 0 || col.actual < 0)
    throw new DataError('unexpected-header', `expected columns from, to, actual; got ${h.join(', ')}`, {
      file,
    });
  let sum = 0;
  let n = 0;
  let skippedEmpty = 0;
  let skippedZero = 0;
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (r.length === 1 && r[0] === '') continue;
    const raw = r[col.actual];
    if (raw === '' || raw === undefined) {
      skippedEmpty++;
      continue;
    }
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0)
      throw new DataError('invalid-number', `line ${i + 1}: actual "${raw}" is not a non-negative number`, {
        file,
      });
    if (v === 0) {
      skippedZero++;
      continue;
    }
    sum += v;
    n++;
  }
  if (!n) throw new DataError('no-data', 'no half-hour has an actual intensity', { file });
  return {
    meanGPerKwh: sum / n,
    halfHours: n,
    skippedEmpty,
    skippedZero,
    from: rows[1][col.from],
    to: rows[rows.length - 1][col.to],
    basis: 'measured',
  };
}

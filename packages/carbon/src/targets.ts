/**
 * Targets (a reduction on a reference year, or an absolute level by a year) and carbon budgets, checked against a
 * trajectory.
 */
import { DataError } from '@placetwin/geo';
import { YEAR_MAX, YEAR_MIN } from './grid';
import type { Trajectory } from './trajectory';
import type { Basis, Quantity, Series } from './types';

export type Target =
  | {
      kind: 'reduction';
      label: string;
      year: number;
      /** Cut on the reference year's emissions, 0–1 (0.78 = 78%). */
      reduction: number;
      referenceYear: number;
      /** The area's emissions in the reference year, tCO2e/yr. Needed when the year is before the trajectory. */
      referenceTco2e?: number;
      source: string;
    }
  | {
      kind: 'absolute';
      label: string;
      year: number;
      /** Emissions allowed in that year, tCO2e/yr (0 for net zero with no residual allowance). */
      tco2e: number;
      source: string;
    };

/** The UK's statutory targets, applied to the area (a council may adopt them or set its own). */
export const UK_TARGETS = {
  /** Sixth Carbon Budget: 78% below 1990 by 2035 (The Carbon Budget Order 2021, SI 2021/750). Needs the area's 1990 emissions. */
  uk2035: (referenceTco2e1990?: number): Target => ({
    kind: 'reduction',
    label: 'UK: 78% below 1990 by 2035',
    year: 2035,
    reduction: 0.78,
    referenceYear: 1990,
    referenceTco2e: referenceTco2e1990,
    source: 'The Carbon Budget Order 2021 (Sixth Carbon Budget, 2033–2037)',
  }),
  /** Net zero by 2050 (Climate Change Act 2008, as amended by the 2050 Target Amendment Order 2019). */
  ukNetZero2050: (residualTco2e = 0): Target => ({
    kind: 'absolute',
    label: 'UK: net zero by 2050',
    year: 2050,
    tco2e: residualTco2e,
    source: 'Climate Change Act 2008 (2050 Target Amendment) Order 2019',
  }),
} as const;

/** A council's own net-zero date (e.g. area 2045, or the council estate 2030). */
export const councilNetZero = (
  year: number,
  label = `Council: net zero by ${year}`,
  residualTco2e = 0,
): Target => ({
  kind: 'absolute',
  label,
  year,
  tco2e: residualTco2e,
  source: "the council's climate emergency declaration or action plan",
});

export interface TargetAssessment {
  label: string;
  year: number;
  source: string;
  /** What the target allows in its year. Null when it needs a reference the inputs lack (see `note`). */
  allowed: Quantity | null;
  projected: Quantity | null;
  /** projected − allowed (positive: over the target). */
  gap: Quantity | null;
  met: boolean | null;
  /** Straight line from the trajectory's first year to the target, tCO2e/yr per trajectory year (for a chart). */
  line: Series | null;
  note?: string;
}

function checkYear(y: number, field: string) {
  if (!Number.isInteger(y) || y < YEAR_MIN || y > YEAR_MAX)
    throw new DataError('year-out-of-range', `${field} ${y} is not a whole year in ${YEAR_MIN}–${YEAR_MAX}`);
}

/** Each target against the trajectory. Targets after the trajectory's last year are reported, not assessed. */
export function assessTargets(traj: Trajectory, targets: readonly Target[]): TargetAssessment[] {
  const first = traj.years[0];
  const last = traj.years[traj.years.length - 1];
  const at = (y: number) => traj.total.values[y - first];
  const basis: Basis = traj.total.basis;
  return targets.map((target, i) => {
    checkYear(target.year, `targets[${i}].year`);
    const base = { label: target.label, year: target.year, source: target.source };
    let allowed: number;
    if (target.kind === 'reduction') {
      checkYear(target.referenceYear, `targets[${i}].referenceYear`);
      if (!(target.reduction >= 0 && target.reduction <= 1))
        throw new DataError('negative-share', `targets[${i}].reduction ${target.reduction} is not in 0–1`);
      let ref = target.referenceTco2e;
      if (ref === undefined && target.referenceYear >= first && target.referenceYear <= last)
        ref = at(target.referenceYear);
      if (ref === undefined)
        return {
          ...base,
          allowed: null,
          projected: null,
          gap: null,
          met: null,
          line: null,
          note: `needs the area's ${target.referenceYear} emissions (referenceTco2e): the trajectory starts in ${first}`,
        };
      if (!(ref >= 0))
        throw new DataError('invalid-number', `targets[${i}].referenceTco2e ${ref} is not ≥ 0`);
      allowed = ref * (1 - target.reduction);
    } else {
      if (!(target.tco2e >= 0))
        throw new DataError('invalid-number', `targets[${i}].tco2e ${target.tco2e} is not ≥ 0`);
      allowed = target.tco2e;
    }
    const start = traj.total.values[0];
    const values = new Float64Array(traj.years.length).map((_, k) => {
      const y = traj.years[k];
      if (y >= target.year) return allowed;
      return start + ((y - first) / Math.max(1, target.year - first)) * (allowed - start);
    });
    const line: Series = { unit: 'tCO2e/yr', basis: 'assumed', values };
    const allowedQ: Quantity = { value: allowed, unit: 'tCO2e/yr', basis: 'assumed', source: target.source };
    if (target.year < first || target.year > last)
      return {
        ...base,
        allowed: allowedQ,
        projected: null,
        gap: null,
        met: null,
        line,
        note: `${target.year} is outside the trajectory's years ${first}–${last}`,
      };
    const projected = at(target.year);
    return {
      ...base,
      allowed: allowedQ,
      projected: { value: projected, unit: 'tCO2e/yr', basis },
      gap: { value: projected - allowed, unit: 'tCO2e/yr', basis },
      met: projected <= allowed + 1e-9,
      line,
    };
  });
}

export interface CarbonBudget {
  /** Total allowed over the period, tCO2e (e.g. the Tyndall Centre budget for the local authority). */
  tco2e: number;
  fromYear: number;
  toYear: number;
  source: string;
  /** Emissions already spent in budget years before the trajectory starts, tCO2e. */
  emittedBeforeStartTco2e?: number;
}

export interface BudgetAssessment {
  budget: Quantity;
  /** Cumulative emissions from the budget's first year, per trajectory year (NaN before the budget starts). */
  cumulative: Series;
  /** Used within the budget period as far as the trajectory reaches. */
  used: Quantity;
  remaining: Quantity;
  /** First year the cumulative total exceeds the budget, or null. */
  exceededIn: number | null;
  /** The budget runs beyond the trajectory: emissions after its last year are not counted. */
  coversWholeBudget: boolean;
}

/** Cumulative emissions of the trajectory against a carbon budget. */
export function assessBudget(traj: Trajectory, budget: CarbonBudget): BudgetAssessment {
  checkYear(budget.fromYear, 'budget.fromYear');
  checkYear(budget.toYear, 'budget.toYear');
  if (budget.toYear < budget.fromYear)
    throw new DataError(
      'year-out-of-range',
      `budget.toYear ${budget.toYear} is before budget.fromYear ${budget.fromYear}`,
    );
  if (!(budget.tco2e >= 0)) throw new DataError('invalid-number', `budget.tco2e ${budget.tco2e} is not ≥ 0`);
  const first = traj.years[0];
  const last = traj.years[traj.years.length - 1];
  if (budget.fromYear < first && budget.emittedBeforeStartTco2e === undefined)
    throw new DataError(
      'missing-emissions',
      `budget starts in ${budget.fromYear} but the trajectory in ${first}: give emittedBeforeStartTco2e for ${budget.fromYear}–${first - 1}`,
    );
  if (budget.fromYear > last)
    throw new DataError(
      'year-out-of-range',
      `budget.fromYear ${budget.fromYear} is after the trajectory's last year ${last}`,
    );
  const before = budget.fromYear < first ? (budget.emittedBeforeStartTco2e ?? 0) : 0;
  if (!(before >= 0))
    throw new DataError('invalid-number', `budget.emittedBeforeStartTco2e ${before} is not ≥ 0`);
  const cumulative = new Float64Array(traj.years.length).fill(Number.NaN);
  let sum = before;
  let exceededIn: number | null = sum > budget.tco2e ? Math.max(budget.fromYear, first) : null;
  traj.years.forEach((y, k) => {
    if (y < budget.fromYear || y > budget.toYear) return;
    sum += traj.total.values[k];
    cumulative[k] = sum;
    if (exceededIn === null && sum > budget.tco2e) exceededIn = y;
  });
  return {
    budget: { value: budget.tco2e, unit: 'tCO2e', basis: 'assumed', source: budget.source },
    cumulative: { unit: 'tCO2e', basis: traj.total.basis, values: cumulative },
    used: { value: sum, unit: 'tCO2e', basis: traj.total.basis },
    remaining: { value: budget.tco2e - sum, unit: 'tCO2e', basis: traj.total.basis },
    exceededIn,
    coversWholeBudget: budget.toYear <= last,
  };
}

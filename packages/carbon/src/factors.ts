/**
 * Emission factors: the committed DESNZ 2023 table, which of its components count, and kWh × factor.
 */
import { DataError } from '@placetwin/geo';
import desnz2023 from '../data/desnz-2023-factors.json' with { type: 'json' };
import type { ActivityUnit, FactorComponent, FactorTable } from './desnz';
import type { Basis, Quantity } from './types';

/** The DESNZ 2023 factors used by default (see `data/desnz-2023-factors.json` for file, sheet and rows). */
export const DESNZ_2023 = desnz2023 as FactorTable;

export interface FactorOptions {
  /**
   * Which components are added up. Default: scope 1 (combustion), scope 2 (generation), the scope 3 losses of
   * electricity and heat networks (`td`) and public transport per passenger-km (`travel`): what an area
   * inventory of energy use counts. Add `wtt` for upstream fuel supply. `outside-scopes` (biogenic CO2) and
   * `energy-use` are never added.
   */
  include?: readonly FactorComponent[];
  /** Another table with the same shape (e.g. a later DESNZ year run through `deriveDesnzFactors`). */
  table?: FactorTable;
}

export const FACTOR_DEFAULTS = {
  include: ['combustion', 'generation', 'td', 'travel'] as readonly FactorComponent[],
  table: DESNZ_2023,
};

/** A factor as used: the sum of the included components, with where each came from. */
export interface EmissionFactor {
  key: string;
  unit: ActivityUnit;
  kgCO2ePerUnit: number;
  /** Always `modelled`: a national average estimated by DESNZ, not a measurement of this place. */
  basis: Basis;
  source: string;
  year: number;
  components: { component: FactorComponent; kgCO2ePerUnit: number; desnzId: string; scope: string }[];
  /** Biogenic CO2 reported beside the inventory (biomass), kg CO2 per unit; 0 when none. */
  outsideScopesKgPerUnit: number;
}

export interface FactorSet {
  readonly include: readonly FactorComponent[];
  readonly year: number;
  readonly source: string;
  /** The factor for an activity in its own unit; DataError for an unknown activity or unit. */
  get(key: string, unit: ActivityUnit): EmissionFactor;
  /** Energy per unit of activity (`energy-use` rows), e.g. kWh per km of a battery electric car. */
  energyUse(key: string, unit: ActivityUnit): number;
  /** Every key/unit the table holds. */
  keys(): { key: string; unit: ActivityUnit }[];
}

const NEVER_ADDED: readonly FactorComponent[] = ['outside-scopes', 'energy-use'];

export function emissionFactors(options: FactorOptions = {}): FactorSet {
  const include = options.include ?? FACTOR_DEFAULTS.include;
  const table = options.table ?? FACTOR_DEFAULTS.table;
  for (const c of include)
    if (NEVER_ADDED.includes(c))
      throw new DataError(
        'invalid-option',
        `factor component "${c}" is reported separately and cannot be included`,
      );
  const source = `${table.provenance.title} (${table.provenance.publisher}), ${table.provenance.version}`;
  const byKey = new Map<string, EmissionFactor>();
  const energy = new Map<string, number>();
  for (const f of table.factors) {
    const id = `${f.key}|${f.unit}`;
    if (f.component === 'energy-use') {
      energy.set(id, f.value);
      continue;
    }
    const e = byKey.get(id) ?? {
      key: f.key,
      unit: f.unit,
      kgCO2ePerUnit: 0,
      basis: 'modelled' as const,
      source,
      year: table.provenance.year,
      components: [],
      outsideScopesKgPerUnit: 0,
    };
    if (f.component === 'outside-scopes') e.outsideScopesKgPerUnit += f.value;
    else if (include.includes(f.component)) {
      e.kgCO2ePerUnit += f.value;
      e.components.push({
        component: f.component,
        kgCO2ePerUnit: f.value,
        desnzId: f.desnzId,
        scope: f.scope,
      });
    }
    byKey.set(id, e);
  }
  const unknown = (key: string, unit: string): never => {
    const units = [...byKey.values()].filter((f) => f.key === key).map((f) => f.unit);
    if (units.length)
      throw new DataError(
        'unknown-unit',
        `no ${key} factor per "${unit}"; the table has ${units.join(', ')}`,
      );
    throw new DataError(
      'unknown-activity',
      `no emission factor for "${key}"; known: ${[...new Set([...byKey.values()].map((f) => f.key))].join(', ')}`,
    );
  };
  return {
    include,
    year: table.provenance.year,
    source,
    get: (key, unit) => byKey.get(`${key}|${unit}`) ?? unknown(key, unit),
    energyUse: (key, unit) => energy.get(`${key}|${unit}`) ?? unknown(key, unit),
    keys: () => [...byKey.values()].map((f) => ({ key: f.key, unit: f.unit })),
  };
}

/** Units an amount may be given in, and what they are in the table's unit. */
const UNIT_ALIASES: Record<string, { unit: ActivityUnit; scale: number }> = {
  Wh: { unit: 'kWh', scale: 1e-3 },
  kWh: { unit: 'kWh', scale: 1 },
  MWh: { unit: 'kWh', scale: 1e3 },
  GWh: { unit: 'kWh', scale: 1e6 },
  litres: { unit: 'litres', scale: 1 },
  l: { unit: 'litres', scale: 1 },
  'cubic metres': { unit: 'cubic metres', scale: 1 },
  'm³': { unit: 'cubic metres', scale: 1 },
  tonnes: { unit: 'tonnes', scale: 1 },
  t: { unit: 'tonnes', scale: 1 },
  'vehicle-km': { unit: 'vehicle-km', scale: 1 },
  'vehicle-miles': { unit: 'vehicle-km', scale: 1.609344 },
  'passenger-km': { unit: 'passenger-km', scale: 1 },
  'passenger-miles': { unit: 'passenger-km', scale: 1.609344 },
};

/** An amount in a recognised unit, converted to the unit the factor table uses. */
export function toTableUnit(
  amount: number,
  unit: string,
  what = 'amount',
): { amount: number; unit: ActivityUnit } {
  const alias = UNIT_ALIASES[unit];
  if (!alias)
    throw new DataError(
      'unknown-unit',
      `${what}: unit "${unit}" is not one of ${Object.keys(UNIT_ALIASES).join(', ')}`,
    );
  if (!Number.isFinite(amount))
    throw new DataError('invalid-number', `${what}: ${amount} is not a finite number`);
  if (amount < 0) throw new DataError('negative-amount', `${what}: ${amount} ${unit} is negative`);
  return { amount: amount * alias.scale, unit: alias.unit };
}

export interface ActivityAmount {
  /** Activity key, e.g. `natural-gas`, `electricity`, `car-petrol`. */
  key: string;
  amount: number;
  unit: string;
  basis: Basis;
}

/** Emissions of one activity: amount (in any recognised unit) × the factor, in kg CO2e. */
export function applyFactor(factors: FactorSet, a: ActivityAmount): Quantity & { factor: EmissionFactor } {
  const { amount, unit } = toTableUnit(a.amount, a.unit, a.key);
  const factor = factors.get(a.key, unit);
  return {
    value: amount * factor.kgCO2ePerUnit,
    unit: 'kgCO2e',
    basis: a.basis === 'assumed' ? 'assumed' : 'modelled',
    source: `${a.amount} ${a.unit} × ${factor.kgCO2ePerUnit} kgCO2e/${factor.unit} (${factor.source})`,
    factor,
  };
}

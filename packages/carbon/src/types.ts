/**
 * Shared vocabulary of the carbon package: how sure a number is, what unit it is in, which sector it belongs to.
 */

/** How a number was obtained: read from a meter or survey, computed by a model, or an assumption. */
export type Basis = 'measured' | 'modelled' | 'assumed';
export const BASES: readonly Basis[] = ['measured', 'modelled', 'assumed'];

/** Least certain first wins: a total that includes one assumed input is assumed. */
export function weakestBasis(bases: Iterable<Basis>): Basis {
  let worst: Basis = 'measured';
  for (const b of bases) {
    if (b === 'assumed') return 'assumed';
    if (b === 'modelled') worst = 'modelled';
  }
  return worst;
}

/** A number with its unit and basis: every figure the package returns travels like this. */
export interface Quantity {
  value: number;
  unit: string;
  basis: Basis;
  /** Where it comes from or how it was computed, in plain words. */
  source?: string;
}

/** A yearly series: `values[i]` belongs to `years[i]` of the trajectory it sits in. */
export interface Series {
  unit: string;
  basis: Basis;
  values: Float64Array;
}

/** Inventory sectors, as a committee sees them. */
export const SECTORS = ['domestic', 'non-domestic', 'transport', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

/** The two building sectors (derived from the twin's stock). */
export type BuildingSector = 'domestic' | 'non-domestic';

/**
 * Energy carriers a building can use. Fuels are in kWh gross calorific value, as DESNZ factors and UK bills use.
 */
export const FUELS = [
  'electricity',
  'natural-gas',
  'heating-oil',
  'lpg',
  'coal',
  'biomass',
  'district-heat',
] as const;
export type Fuel = (typeof FUELS)[number];

/**
 * One building's annual energy use by fuel: the input the carbon model needs from the energy layer.
 *
 * `packages/energy` (building demand by use class) is meant to produce exactly this; until it does, the
 * per-m² assumption in `floor-area.ts` fills it from use class and floor area (basis `assumed`).
 */
export interface BuildingAnnualEnergy {
  id: string;
  sector: BuildingSector;
  /** Delivered energy by fuel, kWh/yr (gross CV for fuels). Includes the heating share below. */
  kwhByFuel: Partial<Record<Fuel, number>>;
  /**
   * Of `kwhByFuel`, the part used for space heating and hot water, kWh/yr. Heat pumps and retrofit act on this
   * part only. Absent: every fuel but electricity counts as heating, electricity as non-heating.
   */
  heatKwhByFuel?: Partial<Record<Fuel, number>>;
  /** Seasonal efficiency of the existing heating by fuel (heat delivered ÷ fuel), overriding the defaults. */
  heatingEfficiency?: Partial<Record<Fuel, number>>;
  /** How the energy figures were obtained. */
  basis: Basis;
  /** In plain words, e.g. "smart-meter reads 2023" or "TM46 general office × 1,200 m²". */
  method?: string;
  /** Gross internal floor area, m² (for per-m² outputs). */
  floorAreaM2?: number;
  /** Roof area available to look at for solar, m² (plan area of the roof). */
  roofAreaM2?: number;
  /** Rooftop solar generation this building could have, kWh/yr (e.g. from a solar study); overrides the roof rule. */
  pvKwhPerYear?: number;
  /** First year the building is in use (new development); absent: already standing. */
  fromYear?: number;
  /** Last year the building is in use (demolition); absent: stays. */
  toYear?: number;
}

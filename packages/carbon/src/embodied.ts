/**
 * Embodied carbon of new buildings: GIA × a benchmark intensity by use (RIBA 2030 Climate Challenge, overridable),
 * and what a development does to the area trajectory (embodied plus operational).
 */
import { DataError } from '@placetwin/geo';
import riba from '../data/riba-2030-embodied-carbon.json' with { type: 'json' };
import { emissionFactors } from './factors';
import { assumedBuildingEnergy } from './floor-area';
import { YEAR_MAX, YEAR_MIN } from './grid';
import type { LeverSet } from './levers';
import { type BuildingStock, compileStock, concatStocks, HEATING_EFFICIENCY_DEFAULTS } from './stock';
import { type AreaInput, type Trajectory, type TrajectoryOptions, trajectory } from './trajectory';
import {
  type Basis,
  type BuildingAnnualEnergy,
  type Fuel,
  type Quantity,
  type Series,
  weakestBasis,
} from './types';

export const RIBA_2030_EMBODIED = riba;
export type EmbodiedLevel = 'business-as-usual' | '2025' | '2030';
const LEVELS: readonly EmbodiedLevel[] = ['business-as-usual', '2025', '2030'];
const TYPOLOGIES = riba.typologies as Record<string, Record<EmbodiedLevel, number>>;
const USES = riba.useClasses as Record<string, { typology: string; proxy: boolean }>;

export interface NewBuilding {
  id: string;
  /** Use class (`residential`, `commercial`, `education`, ... as `@placetwin/importers` names them). */
  use: string;
  /** Gross internal area, m². */
  giaM2: number;
  /** Year the building is finished and occupied. */
  completionYear: number;
  /** The development's own whole-life embodied carbon, kgCO2e/m² GIA, overriding the benchmark. */
  embodiedKgCO2ePerM2?: number;
  embodiedSource?: string;
}

export interface EmbodiedOptions {
  /** Which benchmark column. Default `business-as-usual` (an estimate of a typical building, not a target). */
  level?: EmbodiedLevel;
  /** kgCO2e/m² GIA by use class, overriding the benchmark for every building of that use. */
  overrides?: Partial<Record<string, number>>;
}

export interface EmbodiedBuilding {
  id: string;
  use: string;
  completionYear: number;
  gia: Quantity;
  intensity: Quantity;
  embodied: Quantity;
  /** The benchmark typology used; `proxy` when RIBA has none for this use. */
  typology: string | null;
  proxy: boolean;
}

export interface EmbodiedResult {
  buildings: EmbodiedBuilding[];
  total: Quantity;
}

/**
 * Embodied carbon = GIA × intensity, per building, in tCO2e. The whole-life figure is counted in the completion
 * year (modules B and C happen later; front-loading them is the cautious choice for a budget).
 */
export function embodiedCarbon(
  buildings: readonly NewBuilding[],
  options: EmbodiedOptions = {},
): EmbodiedResult {
  const level = options.level ?? 'business-as-usual';
  if (!LEVELS.includes(level))
    throw new DataError('invalid-option', `embodied level "${level}" is not one of ${LEVELS.join(', ')}`);
  for (const [use, v] of Object.entries(options.overrides ?? {}))
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v)))
      throw new DataError('invalid-number', `overrides.${use}: ${v} kgCO2e/m² is not a non-negative number`);
  const out = buildings.map((b, i): EmbodiedBuilding => {
    const where = { featureId: b.id ?? `#${i}` };
    if (!(typeof b.giaM2 === 'number' && Number.isFinite(b.giaM2) && b.giaM2 >= 0))
      throw new DataError('negative-amount', `giaM2 ${b.giaM2} is not a non-negative number of m²`, where);
    if (!Number.isInteger(b.completionYear) || b.completionYear < YEAR_MIN || b.completionYear > YEAR_MAX)
      throw new DataError(
        'year-out-of-range',
        `completionYear ${b.completionYear} is not a whole year in ${YEAR_MIN}–${YEAR_MAX}`,
        where,
      );
    const map = USES[b.use];
    if (!map && b.embodiedKgCO2ePerM2 === undefined && options.overrides?.[b.use] === undefined)
      throw new DataError(
        'unknown-use',
        `use "${b.use}" has no embodied benchmark; known: ${Object.keys(USES).join(', ')}`,
        where,
      );
    let intensity: Quantity;
    if (b.embodiedKgCO2ePerM2 !== undefined) {
      if (!(b.embodiedKgCO2ePerM2 >= 0 && Number.isFinite(b.embodiedKgCO2ePerM2)))
        throw new DataError(
          'invalid-number',
          `embodiedKgCO2ePerM2 ${b.embodiedKgCO2ePerM2} is not ≥ 0`,
          where,
        );
      intensity = {
        value: b.embodiedKgCO2ePerM2,
        unit: 'kgCO2e/m² GIA',
        basis: 'modelled',
        source: b.embodiedSource ?? "the development's whole-life carbon assessment",
      };
    } else if (options.overrides?.[b.use] !== undefined) {
      intensity = {
        value: options.overrides[b.use]!,
        unit: 'kgCO2e/m² GIA',
        basis: 'assumed',
        source: `override for use "${b.use}"`,
      };
    } else {
      intensity = {
        value: TYPOLOGIES[map.typology][level],
        unit: 'kgCO2e/m² GIA',
        basis: 'assumed',
        source: `${riba.provenance.title}, ${map.typology}, ${level}${map.proxy ? ` (proxy: RIBA has no ${b.use} typology)` : ''}`,
      };
    }
    const basis: Basis = intensity.basis;
    return {
      id: b.id,
      use: b.use,
      completionYear: b.completionYear,
      gia: { value: b.giaM2, unit: 'm² GIA', basis: 'modelled' },
      intensity,
      embodied: { value: (b.giaM2 * intensity.value) / 1000, unit: 'tCO2e', basis },
      typology: map?.typology ?? null,
      proxy:
        b.embodiedKgCO2ePerM2 === undefined &&
        options.overrides?.[b.use] === undefined &&
        (map?.proxy ?? false),
    };
  });
  return {
    buildings: out,
    total: {
      value: out.reduce((a, b) => a + b.embodied.value, 0),
      unit: 'tCO2e',
      basis: out.some((b) => b.embodied.basis === 'assumed') ? 'assumed' : 'modelled',
    },
  };
}

/** Embodied carbon by completion year over the given years, tCO2e/yr (outside the years: dropped). */
export function embodiedByYear(result: EmbodiedResult, years: readonly number[]): Series {
  const values = new Float64Array(years.length);
  for (const b of result.buildings) {
    const k = b.completionYear - years[0];
    if (k >= 0 && k < years.length) values[k] += b.embodied.value;
  }
  return { unit: 'tCO2e/yr', basis: result.total.basis, values };
}

export interface Development {
  name: string;
  buildings: readonly NewBuilding[];
  /** The new buildings' annual energy (e.g. from the energy layer). Absent: the per-m² assumption by use. */
  energy?: readonly BuildingAnnualEnergy[];
  /** Car traffic the development adds (e.g. `homeCarTravel`), vehicle-km/yr from its first completion year on,
   * under the area's EV share, car factor and the EV and modal-shift levers. */
  carVehicleKm?: Quantity;
}

export interface DevelopmentImpact {
  name: string;
  embodied: EmbodiedResult;
  embodiedByYear: Series;
  without: Trajectory;
  with: Trajectory;
  /** Operational change to the area total each year (with − without), tCO2e/yr. */
  operationalChange: Series;
  /**
   * `operationalChange` by end use, tCO2e/yr (heating + electricity = operationalChange): heating is the heating
   * fuel burnt (× its DESNZ factor) plus the electricity of the heat pumps the lever set installs (× the grid
   * factor of the year); electricity is everything else the buildings draw from the grid, less their own solar.
   */
  operationalHeating: Series;
  operationalElectricity: Series;
  /** How the new floor area is heated under the lever set, in plain words, with the factors used. */
  heatingSupply: HeatingSupply;
  /** The added car traffic's emissions each year (zero before the first completion), tCO2e/yr. */
  transportChange: Series;
  /** Over the trajectory's years: operational and transport change summed plus embodied. */
  cumulativeChange: Quantity;
}

/**
 * A scenario's new buildings: embodied carbon in their completion year plus their operational emissions from then
 * on, under the same lever set as the rest of the area.
 */
export function developmentImpact(
  area: AreaInput,
  levers: LeverSet,
  dev: Development,
  options: EmbodiedOptions & TrajectoryOptions = {},
): DevelopmentImpact {
  const embodied = embodiedCarbon(dev.buildings, options);
  const energy =
    dev.energy ??
    assumedBuildingEnergy(
      dev.buildings.map((b) => ({
        id: b.id,
        use: b.use,
        footprintAreaM2: b.giaM2,
        storeys: 1,
        floorAreaM2: b.giaM2,
      })),
      { unknownUse: 'by-footprint', minHeatedFootprintM2: 0 },
    ).energy;
  const completion = new Map(dev.buildings.map((b) => [b.id, b.completionYear]));
  const newStock = compileStock(
    energy.map((e) => ({ ...e, fromYear: e.fromYear ?? completion.get(e.id) })),
    { file: `development ${dev.name}` },
  );
  const without = trajectory(area, levers, options);
  const split = operationalByEndUse(area, levers, newStock, energy);
  const withDev = trajectory({ ...area, stock: concatStocks(area.stock, newStock) }, levers, options);
  const change = withDev.total.values.map((v, i) => v - without.total.values[i]);
  const byYear = embodiedByYear(embodied, without.years);
  const transportChange = addedCarEmissions(area, levers, dev, without.years);
  const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
  return {
    name: dev.name,
    embodied,
    embodiedByYear: byYear,
    without,
    with: withDev,
    operationalChange: { unit: 'tCO2e/yr', basis: withDev.total.basis, values: change },
    operationalHeating: split.heating,
    operationalElectricity: split.electricity,
    heatingSupply: split.supply,
    transportChange,
    cumulativeChange: {
      value: sum(change) + sum(transportChange.values) + sum(byYear.values),
      unit: 'tCO2e',
      basis:
        embodied.total.basis === 'assumed' || (dev.carVehicleKm && transportChange.basis === 'assumed')
          ? 'assumed'
          : withDev.total.basis,
    },
  };
}

export interface HeatingSupply {
  /** Heating fuels of the new floor area before any heat pump (e.g. `natural-gas`: a gas boiler). */
  fuels: Fuel[];
  /** Seasonal efficiency assumed for each fuel's boiler (heat delivered ÷ fuel, gross CV). */
  efficiency: Partial<Record<Fuel, number>>;
  /** The factor each fuel is burnt at (DESNZ, the included components), kgCO2e/kWh. */
  factors: Partial<Record<Fuel, Quantity>>;
  /** Heat pumps from the lever set (share of the sector's buildings by year, at this SCOP); null: none. */
  heatPumpScop: number | null;
  description: string;
}

/**
 * The development's buildings alone under the same levers (emissions are per building, so this is exactly the
 * operational change), split by end use with the trajectory's memo: grid electricity of the year × the year's
 * grid factor, heat-pump electricity among it counted as heating.
 */
function operationalByEndUse(
  area: AreaInput,
  levers: LeverSet,
  newStock: BuildingStock,
  energy: readonly BuildingAnnualEnergy[],
): { heating: Series; electricity: Series; supply: HeatingSupply } {
  const alone = trajectory(
    { startYear: area.startYear, endYear: area.endYear, factors: area.factors, stock: newStock },
    levers,
  );
  const T = alone.years.length;
  const heating = new Float64Array(T);
  const electricity = new Float64Array(T);
  const g = alone.gridFactor.values;
  const m = alone.memo;
  for (let t = 0; t < T; t++) {
    const buildings = alone.sectors.domestic.values[t] + alone.sectors['non-domestic'].values[t];
    const gridT = ((m.electricityDemandKwh.values[t] - m.solarSelfUseKwh.values[t]) * g[t]) / 1000;
    const heatPumpT = (m.heatPumpKwh.values[t] * g[t]) / 1000;
    heating[t] = buildings - gridT + heatPumpT;
    electricity[t] = gridT - heatPumpT;
  }
  const basis = weakestBasis([alone.sectors.domestic.basis, alone.sectors['non-domestic'].basis]);
  const F = area.factors ?? emissionFactors();
  const fuels = [
    ...new Set(
      energy.flatMap((e) =>
        Object.entries(e.heatKwhByFuel ?? e.kwhByFuel)
          .filter(([f, kwh]) => (e.heatKwhByFuel || f !== 'electricity') && (kwh ?? 0) > 0)
          .map(([f]) => f as Fuel),
      ),
    ),
  ];
  const factors = Object.fromEntries(
    fuels.map((f) => {
      const x = F.get(f, 'kWh');
      return [
        f,
        {
          value: x.kgCO2ePerUnit,
          unit: 'kgCO2e/kWh',
          basis: x.basis,
          source: `${x.source}: ${x.components.map((c) => `${c.component} ${c.desnzId}`).join(' + ')}`,
        },
      ];
    }),
  ) as Partial<Record<Fuel, Quantity>>;
  const efficiency = Object.fromEntries(fuels.map((f) => [f, HEATING_EFFICIENCY_DEFAULTS[f]]));
  const hp = levers.heatPumps;
  const boilers = fuels.length
    ? fuels
        .map(
          (f) =>
            `${f} boiler (${factors[f]!.value.toFixed(5)} kgCO2e/kWh, DESNZ ${F.year}; seasonal efficiency ${efficiency[f]})`,
        )
        .join(', ')
    : 'no heating fuel';
  const description = hp
    ? `${boilers}; heat pumps (SCOP ${hp.scop}) replace it in the lever set's share of buildings each year, their electricity at the grid factor of the year`
    : `${boilers}; no heat-pump lever, so it stays on that fuel`;
  return {
    heating: { unit: 'tCO2e/yr', basis, values: heating },
    electricity: { unit: 'tCO2e/yr', basis, values: electricity },
    supply: { fuels, efficiency, factors, heatPumpScop: hp?.scop ?? null, description },
  };
}

/**
 * The development's car traffic as tCO2e/yr: the area's own transport model (its EV share and car factor, the
 * levers, the grid path) run on that traffic alone — emissions are linear in car-km — and zero before the first
 * completion year.
 */
function addedCarEmissions(
  area: AreaInput,
  levers: LeverSet,
  dev: Development,
  years: readonly number[],
): Series {
  const values = new Float64Array(years.length);
  const km = dev.carVehicleKm;
  if (!km || km.value === 0 || dev.buildings.length === 0)
    return { unit: 'tCO2e/yr', basis: 'modelled', values };
  const first = Math.min(...dev.buildings.map((b) => b.completionYear));
  const alone = trajectory(
    {
      startYear: area.startYear,
      endYear: area.endYear,
      factors: area.factors,
      stock: compileStock([], { file: `development ${dev.name} travel` }),
      transport: {
        carVehicleKm: { value: km.value, basis: km.basis, source: km.source ?? 'development travel' },
        evShare: area.transport?.evShare,
        carFactorKey: area.transport?.carFactorKey,
      },
    },
    levers,
  ).sectors.transport;
  for (let i = 0; i < years.length; i++) if (years[i] >= first) values[i] = alone.values[i];
  return { unit: 'tCO2e/yr', basis: alone.basis, values };
}

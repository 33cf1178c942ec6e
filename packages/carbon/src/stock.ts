/**
 * The building stock as columns (typed arrays, stride = number of fuels), checked once, so that a trajectory
 * over hundreds of thousands of buildings is a tight loop.
 */
import { DataError } from '@placetwin/geo';
import type { BuildingEnergyState } from './levers';
import { type Basis, type BuildingAnnualEnergy, type BuildingSector, FUELS, type Fuel } from './types';

export const FUEL_INDEX = Object.fromEntries(FUELS.map((f, i) => [f, i])) as Record<Fuel, number>;
export const NF = FUELS.length;
export const SECTOR_CODE: Record<BuildingSector, number> = { domestic: 0, 'non-domestic': 1 };
export const BASIS_CODE: Record<Basis, number> = { measured: 0, modelled: 1, assumed: 2 };

/**
 * Seasonal efficiency of existing heating when a building does not give its own: round assumed values for a
 * typical installed boiler or heater (heat delivered ÷ fuel, gross CV). They matter only when heat pumps replace
 * the heating: the heat pump must deliver the same heat.
 */
export const HEATING_EFFICIENCY_DEFAULTS: Readonly<Record<Fuel, number>> = {
  electricity: 1,
  'natural-gas': 0.84,
  'heating-oil': 0.84,
  lpg: 0.84,
  coal: 0.65,
  biomass: 0.7,
  'district-heat': 1,
};

const ELECTRICITY = FUEL_INDEX.electricity;
const DEFAULT_EFFICIENCY = FUELS.map((f) => HEATING_EFFICIENCY_DEFAULTS[f]);

const NO_YEAR_FROM = -100000;
const NO_YEAR_TO = 100000;

export interface BuildingStock {
  readonly n: number;
  readonly ids: readonly string[];
  /** 0 domestic, 1 non-domestic. */
  readonly sector: Uint8Array;
  /** 0 measured, 1 modelled, 2 assumed. */
  readonly basis: Uint8Array;
  readonly fromYear: Int32Array;
  readonly toYear: Int32Array;
  /** kWh/yr of fuel for heating, n × NF (FUELS order). */
  readonly heatKwh: Float64Array;
  /** kWh/yr of fuel for everything else, n × NF. */
  readonly otherKwh: Float64Array;
  /** Heating efficiency by fuel, n × NF. */
  readonly efficiency: Float64Array;
  readonly floorAreaM2: Float64Array;
  readonly roofAreaM2: Float64Array;
  /** Given rooftop PV generation, kWh/yr; NaN when not given (the roof rule applies). */
  readonly pvKwhPerYear: Float64Array;
}

function num(v: unknown, field: string, id: string, file?: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new DataError('invalid-number', `${field}: ${String(v)} is not a finite number`, {
      featureId: id,
      file,
    });
  if (v < 0) throw new DataError('negative-amount', `${field}: ${v} is negative`, { featureId: id, file });
  return v;
}

function fuelRecord(
  r: Partial<Record<string, number>> | undefined,
  field: string,
  id: string,
  file?: string,
): [Fuel, number][] {
  if (r === undefined) return [];
  if (typeof r !== 'object' || r === null)
    throw new DataError('invalid-building', `${field} must be an object of kWh by fuel`, {
      featureId: id,
      file,
    });
  return Object.entries(r).map(([f, v]) => {
    if (!Object.hasOwn(FUEL_INDEX, f))
      throw new DataError('unknown-fuel', `${field}.${f} is not a fuel; known: ${FUELS.join(', ')}`, {
        featureId: id,
        file,
      });
    return [f as Fuel, num(v, `${field}.${f}`, id, file)];
  });
}

/** Checks and packs buildings; a DataError names the building id (and `file`, when given) and the field. */
export function compileStock(
  buildings: readonly BuildingAnnualEnergy[],
  options: { file?: string } = {},
): BuildingStock {
  const file = options.file;
  const n = buildings.length;
  const stock = {
    n,
    ids: new Array<string>(n),
    sector: new Uint8Array(n),
    basis: new Uint8Array(n),
    fromYear: new Int32Array(n),
    toYear: new Int32Array(n),
    heatKwh: new Float64Array(n * NF),
    otherKwh: new Float64Array(n * NF),
    efficiency: new Float64Array(n * NF),
    floorAreaM2: new Float64Array(n),
    roofAreaM2: new Float64Array(n),
    pvKwhPerYear: new Float64Array(n),
  };
  const seen = new Set<string>();
  const total = new Float64Array(NF);
  const heat = new Float64Array(NF);
  for (let i = 0; i < n; i++) {
    const b = buildings[i];
    const id = b?.id;
    const where = () => ({ featureId: typeof id === 'string' && id ? id : `#${i}`, file });
    if (typeof id !== 'string' || !id)
      throw new DataError('invalid-building', `building ${i} has no id`, where());
    if (seen.has(id)) throw new DataError('duplicate-feature-id', `building id ${id} occurs twice`, where());
    seen.add(id);
    stock.ids[i] = id;
    const sector = Object.hasOwn(SECTOR_CODE, b.sector) ? SECTOR_CODE[b.sector] : undefined;
    if (sector === undefined)
      throw new DataError('invalid-sector', `sector "${b.sector}" is not domestic or non-domestic`, where());
    stock.sector[i] = sector;
    const basis = Object.hasOwn(BASIS_CODE, b.basis) ? BASIS_CODE[b.basis] : undefined;
    if (basis === undefined)
      throw new DataError(
        'invalid-basis',
        `basis "${b.basis}" is not measured, modelled or assumed`,
        where(),
      );
    stock.basis[i] = basis;
    if (b.fromYear !== undefined && !Number.isInteger(b.fromYear))
      throw new DataError('invalid-year', `fromYear ${b.fromYear} is not a whole year`, where());
    if (b.toYear !== undefined && !Number.isInteger(b.toYear))
      throw new DataError('invalid-year', `toYear ${b.toYear} is not a whole year`, where());
    stock.fromYear[i] = b.fromYear ?? NO_YEAR_FROM;
    stock.toYear[i] = b.toYear ?? NO_YEAR_TO;
    if (stock.toYear[i] < stock.fromYear[i])
      throw new DataError('invalid-year', `toYear ${b.toYear} is before fromYear ${b.fromYear}`, where());

    total.fill(0);
    heat.fill(0);
    for (const [f, v] of fuelRecord(b.kwhByFuel, 'kwhByFuel', id, file)) total[FUEL_INDEX[f]] = v;
    if (b.heatKwhByFuel === undefined) {
      for (let f = 0; f < NF; f++) heat[f] = f === ELECTRICITY ? 0 : total[f];
    } else
      for (const [f, v] of fuelRecord(b.heatKwhByFuel, 'heatKwhByFuel', id, file)) {
        if (v > total[FUEL_INDEX[f]] * (1 + 1e-9))
          throw new DataError(
            'heat-above-total',
            `heatKwhByFuel.${f} ${v} kWh is more than kwhByFuel.${f} ${total[FUEL_INDEX[f]]} kWh`,
            where(),
          );
        heat[FUEL_INDEX[f]] = Math.min(v, total[FUEL_INDEX[f]]);
      }
    for (let f = 0; f < NF; f++) {
      stock.heatKwh[i * NF + f] = heat[f];
      stock.otherKwh[i * NF + f] = total[f] - heat[f];
      stock.efficiency[i * NF + f] = DEFAULT_EFFICIENCY[f];
    }
    for (const [f, v] of fuelRecord(b.heatingEfficiency, 'heatingEfficiency', id, file)) {
      if (v <= 0 || v > 8)
        throw new DataError('invalid-efficiency', `heatingEfficiency.${f} ${v} is not in (0, 8]`, where());
      stock.efficiency[i * NF + FUEL_INDEX[f]] = v;
    }
    stock.floorAreaM2[i] = b.floorAreaM2 === undefined ? 0 : num(b.floorAreaM2, 'floorAreaM2', id, file);
    stock.roofAreaM2[i] = b.roofAreaM2 === undefined ? 0 : num(b.roofAreaM2, 'roofAreaM2', id, file);
    stock.pvKwhPerYear[i] =
      b.pvKwhPerYear === undefined ? Number.NaN : num(b.pvKwhPerYear, 'pvKwhPerYear', id, file);
  }
  return stock;
}

/** Two stocks as one (e.g. the existing stock plus a development's new buildings). Ids must not repeat. */
export function concatStocks(a: BuildingStock, b: BuildingStock): BuildingStock {
  const ids = new Set(a.ids);
  for (const id of b.ids)
    if (ids.has(id))
      throw new DataError('duplicate-feature-id', `building id ${id} occurs twice`, { featureId: id });
  const cat = <T extends Float64Array | Int32Array | Uint8Array>(x: T, y: T): T => {
    const out = new (x.constructor as new (n: number) => T)(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    n: a.n + b.n,
    ids: [...a.ids, ...b.ids],
    sector: cat(a.sector, b.sector),
    basis: cat(a.basis, b.basis),
    fromYear: cat(a.fromYear, b.fromYear),
    toYear: cat(a.toYear, b.toYear),
    heatKwh: cat(a.heatKwh, b.heatKwh),
    otherKwh: cat(a.otherKwh, b.otherKwh),
    efficiency: cat(a.efficiency, b.efficiency),
    floorAreaM2: cat(a.floorAreaM2, b.floorAreaM2),
    roofAreaM2: cat(a.roofAreaM2, b.roofAreaM2),
    pvKwhPerYear: cat(a.pvKwhPerYear, b.pvKwhPerYear),
  };
}

/** Building i of the stock as the lever steps' starting state (the reference path). */
export function initialState(stock: BuildingStock, i: number): BuildingEnergyState {
  const heatFuelKwh: Partial<Record<Fuel, number>> = {};
  const otherKwh: Partial<Record<Fuel, number>> = {};
  const heatEfficiency: Partial<Record<Fuel, number>> = {};
  for (let f = 0; f < NF; f++) {
    const h = stock.heatKwh[i * NF + f];
    const o = stock.otherKwh[i * NF + f];
    if (h) heatFuelKwh[FUELS[f]] = h;
    if (o) otherKwh[FUELS[f]] = o;
    heatEfficiency[FUELS[f]] = stock.efficiency[i * NF + f];
  }
  return { heatFuelKwh, heatEfficiency, heatPumpKwh: 0, otherKwh, solarSelfUseKwh: 0, solarExportKwh: 0 };
}

/** Whether building i stands in a year. */
export const isActive = (stock: BuildingStock, i: number, year: number): boolean =>
  year >= stock.fromYear[i] && year <= stock.toYear[i];

/**
 * Levers: what a council can change, as yearly paths, and the formula each applies. See README "Levers" for the
 * formulas in one place; the step functions below are the reference semantics that the fast trajectory kernel
 * must reproduce.
 */
import { DataError } from '@placetwin/geo';
import { type GridPath, validateGridPath, YEAR_MAX, YEAR_MIN } from './grid';
import type { Fuel } from './types';

/**
 * A value by year: linear between points, flat after the last. Before the first point the path ramps linearly
 * from the lever's starting value in the trajectory's first year (0 for uptake levers, the baseline EV share for
 * `evShare`), so `[{ year: 2030, value: 0.2 }]` reads "reach 20% by 2030".
 */
export type YearPath = { year: number; value: number }[];

export interface LeverSet {
  name?: string;
  /** Homes retrofitted (fabric): share of homes by year, and the share of heating energy each one saves. */
  domesticRetrofit?: { share: YearPath; heatSaving: number };
  /** Non-domestic buildings improved: share by year; saving on heating and on other electricity. */
  nonDomesticRetrofit?: { share: YearPath; heatSaving: number; electricitySaving: number };
  /** Heating replaced by heat pumps: share of buildings by year per sector; seasonal COP of the heat pumps. */
  heatPumps?: { domestic?: YearPath; nonDomestic?: YearPath; scop: number };
  /** Rooftop solar: share of buildings with panels by year per sector, and how generation is estimated. */
  rooftopSolar?: {
    domestic?: YearPath;
    nonDomestic?: YearPath;
    /** Share of generation used in the building (the rest is exported and not credited). Default 0.5. */
    selfConsumption?: number;
    /** Share of roof plan area that takes panels. Default 0.4. */
    usableRoofShare?: number;
    /** Panel peak power per m² of panel, kWp/m². Default 0.2. */
    kwpPerM2?: number;
    /** Annual yield, kWh per kWp. Default 850. */
    yieldKwhPerKwp?: number;
  };
  /** Share of car-km driven by battery electric cars (absolute, replacing the baseline share). */
  evShare?: { share: YearPath };
  /** Share of car-km moved to public transport or walking and cycling. */
  modalShift?: {
    share: YearPath;
    /** Of the moved trips, the share that goes to public transport (the rest walks or cycles). Default 0.5. */
    toPublicTransport?: number;
    /** People per car, to turn car-km into passenger-km. Default 1.6. */
    carOccupancy?: number;
    /** Public transport factor key. Default `bus-local-not-london`. */
    publicTransportKey?: string;
  };
  /** Reduction of the entered "other" sector emissions (waste, agriculture, industry processes) by year. */
  otherSectors?: { reduction: YearPath };
  /** Grid electricity generation factor by year. Default `DEFAULT_GRID_PATH`. */
  grid?: GridPath;
}

/** Assumed defaults of the optional lever parameters (all overridable, all shown in results as `assumed`). */
export const LEVER_DEFAULTS = {
  solarSelfConsumption: 0.5,
  solarUsableRoofShare: 0.4,
  solarKwpPerM2: 0.2,
  solarYieldKwhPerKwp: 850,
  modalShiftToPublicTransport: 0.5,
  carOccupancy: 1.6,
  publicTransportKey: 'bus-local-not-london',
} as const;

export const LEVER_NAMES = [
  'domesticRetrofit',
  'nonDomesticRetrofit',
  'heatPumps',
  'rooftopSolar',
  'evShare',
  'modalShift',
  'otherSectors',
  'grid',
] as const satisfies readonly (keyof LeverSet)[];

function checkShare(v: unknown, field: string, max = 1): void {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new DataError('invalid-number', `${field}: ${String(v)} is not a number`);
  if (v < 0) throw new DataError('negative-share', `${field}: ${v} is negative; shares run from 0 to ${max}`);
  if (v > max) throw new DataError('share-above-one', `${field}: ${v} is above ${max}`);
}

function checkPath(path: YearPath | undefined, field: string, years: { startYear: number; endYear: number }) {
  if (path === undefined) return;
  if (!Array.isArray(path))
    throw new DataError('invalid-lever', `${field}: expected a list of { year, value }`);
  path.forEach((p, i) => {
    const at = `${field}[${i}]`;
    if (!Number.isInteger(p?.year))
      throw new DataError('invalid-year', `${at}.year ${p?.year} is not a whole year`);
    if (p.year < years.startYear || p.year > years.endYear)
      throw new DataError(
        'year-out-of-range',
        `${at}.year ${p.year} is outside the trajectory's years ${years.startYear}–${years.endYear}`,
      );
    if (i > 0 && p.year <= path[i - 1].year)
      throw new DataError('invalid-lever', `${at}.year ${p.year} does not come after ${path[i - 1].year}`);
    checkShare(p.value, `${at}.value`);
  });
}

/** Every lever field checked; a DataError names the field (`levers.heatPumps.scop`) and the reason. */
export function validateLeverSet(levers: LeverSet, years: { startYear: number; endYear: number }): void {
  if (!Number.isInteger(years.startYear) || years.startYear < YEAR_MIN || years.startYear > YEAR_MAX)
    throw new DataError(
      'year-out-of-range',
      `startYear ${years.startYear} is not a whole year in ${YEAR_MIN}–${YEAR_MAX}`,
    );
  if (!Number.isInteger(years.endYear) || years.endYear < years.startYear || years.endYear > YEAR_MAX)
    throw new DataError(
      'year-out-of-range',
      `endYear ${years.endYear} is not a whole year in ${years.startYear}–${YEAR_MAX}`,
    );
  const known = new Set<string>([...LEVER_NAMES, 'name']);
  for (const k of Object.keys(levers))
    if (!known.has(k))
      throw new DataError('unknown-lever', `levers.${k} is not a lever; known: ${LEVER_NAMES.join(', ')}`);
  const L = levers;
  const p = (path: YearPath | undefined, field: string) => checkPath(path, `levers.${field}`, years);
  if (L.domesticRetrofit) {
    p(L.domesticRetrofit.share, 'domesticRetrofit.share');
    checkShare(L.domesticRetrofit.heatSaving, 'levers.domesticRetrofit.heatSaving');
  }
  if (L.nonDomesticRetrofit) {
    p(L.nonDomesticRetrofit.share, 'nonDomesticRetrofit.share');
    checkShare(L.nonDomesticRetrofit.heatSaving, 'levers.nonDomesticRetrofit.heatSaving');
    checkShare(L.nonDomesticRetrofit.electricitySaving, 'levers.nonDomesticRetrofit.electricitySaving');
  }
  if (L.heatPumps) {
    p(L.heatPumps.domestic, 'heatPumps.domestic');
    p(L.heatPumps.nonDomestic, 'heatPumps.nonDomestic');
    const scop = L.heatPumps.scop;
    if (typeof scop !== 'number' || !(scop >= 1 && scop <= 8))
      throw new DataError(
        'invalid-scop',
        `levers.heatPumps.scop ${scop} is not in 1–8 (seasonal COP, e.g. 2.8)`,
      );
  }
  if (L.rooftopSolar) {
    const s = L.rooftopSolar;
    p(s.domestic, 'rooftopSolar.domestic');
    p(s.nonDomestic, 'rooftopSolar.nonDomestic');
    if (s.selfConsumption !== undefined) checkShare(s.selfConsumption, 'levers.rooftopSolar.selfConsumption');
    if (s.usableRoofShare !== undefined) checkShare(s.usableRoofShare, 'levers.rooftopSolar.usableRoofShare');
    if (s.kwpPerM2 !== undefined) checkShare(s.kwpPerM2, 'levers.rooftopSolar.kwpPerM2', 0.3);
    if (s.yieldKwhPerKwp !== undefined)
      checkShare(s.yieldKwhPerKwp, 'levers.rooftopSolar.yieldKwhPerKwp', 1500);
  }
  if (L.evShare) p(L.evShare.share, 'evShare.share');
  if (L.modalShift) {
    p(L.modalShift.share, 'modalShift.share');
    if (L.modalShift.toPublicTransport !== undefined)
      checkShare(L.modalShift.toPublicTransport, 'levers.modalShift.toPublicTransport');
    const occ = L.modalShift.carOccupancy;
    if (occ !== undefined && !(typeof occ === 'number' && occ >= 1 && occ <= 8))
      throw new DataError(
        'invalid-number',
        `levers.modalShift.carOccupancy ${occ} is not in 1–8 people per car`,
      );
  }
  if (L.otherSectors) p(L.otherSectors.reduction, 'otherSectors.reduction');
  if (L.grid) validateGridPath(L.grid, 'levers.grid');
}

/** A path's value for each year from `startYear` (see `YearPath` for the rule). */
export function pathValues(
  path: YearPath | undefined,
  startYear: number,
  endYear: number,
  startValue = 0,
): Float64Array {
  const out = new Float64Array(endYear - startYear + 1);
  if (!path?.length) return out.fill(startValue);
  const points = path[0].year === startYear ? path : [{ year: startYear, value: startValue }, ...path];
  let j = 0;
  for (let y = startYear; y <= endYear; y++) {
    while (j < points.length - 1 && points[j + 1].year < y) j++;
    const a = points[j];
    const b = points[Math.min(j + 1, points.length - 1)];
    out[y - startYear] =
      y >= b.year ? b.value : a.value + ((y - a.year) / (b.year - a.year)) * (b.value - a.value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Reference semantics: one building in one year. Clear and slow on purpose; `trajectory` fuses the same formulas.
// ---------------------------------------------------------------------------------------------------------------

/** A building's energy flows in one year, as the levers change them (all kWh/yr). */
export interface BuildingEnergyState {
  /** Fuel bought for space heating and hot water, by fuel. */
  heatFuelKwh: Partial<Record<Fuel, number>>;
  /** Seasonal efficiency of the existing heating by fuel (heat delivered ÷ fuel). */
  heatEfficiency: Partial<Record<Fuel, number>>;
  /** Electricity of heat pumps installed by the heat-pump lever. */
  heatPumpKwh: number;
  /** Energy for everything else (lights, appliances, cooking, processes), by fuel. */
  otherKwh: Partial<Record<Fuel, number>>;
  /** Electricity from the building's own panels used in the building. */
  solarSelfUseKwh: number;
  /** Generation exported to the grid (memo: not credited to the area). */
  solarExportKwh: number;
}

const scale = (r: Partial<Record<Fuel, number>>, k: number) =>
  Object.fromEntries(Object.entries(r).map(([f, v]) => [f, (v ?? 0) * k])) as Partial<Record<Fuel, number>>;

/** Fabric retrofit: every heating flow × (1 − saving), saving = share retrofitted × saving per building. */
export function applyRetrofit(s: BuildingEnergyState, saving: number): BuildingEnergyState {
  return { ...s, heatFuelKwh: scale(s.heatFuelKwh, 1 - saving), heatPumpKwh: s.heatPumpKwh * (1 - saving) };
}

/** Fuels a heat pump does not replace: a heat-network connection stays on the network. */
export const HEAT_PUMP_KEEPS: readonly Fuel[] = ['district-heat'];

/**
 * Heat pumps: a share of each replaceable heating fuel moves to a heat pump. The heat it delivered
 * (fuel × efficiency) is then supplied as electricity ÷ SCOP.
 */
export function applyHeatPumps(s: BuildingEnergyState, share: number, scop: number): BuildingEnergyState {
  const heatFuelKwh = { ...s.heatFuelKwh };
  let heatPumpKwh = s.heatPumpKwh;
  for (const [f, kwh] of Object.entries(s.heatFuelKwh) as [Fuel, number][]) {
    if (HEAT_PUMP_KEEPS.includes(f)) continue;
    const moved = kwh * share;
    heatFuelKwh[f] = kwh - moved;
    heatPumpKwh += (moved * (s.heatEfficiency[f] ?? 1)) / scop;
  }
  return { ...s, heatFuelKwh, heatPumpKwh };
}

/** Non-heating electricity × (1 − saving) (non-domestic efficiency). */
export function applyElectricitySaving(s: BuildingEnergyState, saving: number): BuildingEnergyState {
  return { ...s, otherKwh: { ...s.otherKwh, electricity: (s.otherKwh.electricity ?? 0) * (1 - saving) } };
}

/** Grid electricity the building draws before its own solar: heating, heat pump and other electricity. */
export const electricityDemandKwh = (s: BuildingEnergyState): number =>
  (s.heatFuelKwh.electricity ?? 0) + s.heatPumpKwh + (s.otherKwh.electricity ?? 0);

/**
 * Rooftop solar: generation × self-consumption offsets grid electricity, capped at the building's demand, so it
 * must come after every lever that changes demand (see README "Order").
 */
export function applySolar(
  s: BuildingEnergyState,
  generationKwh: number,
  selfConsumption: number,
): BuildingEnergyState {
  const selfUse = Math.min(electricityDemandKwh(s), generationKwh * selfConsumption);
  return { ...s, solarSelfUseKwh: selfUse, solarExportKwh: generationKwh - selfUse };
}

/** kg CO2e of the state: fuel × fuel factor, plus (electricity demand − own solar) × the year's grid factor. */
export function stateEmissionsKg(
  s: BuildingEnergyState,
  fuelFactorKg: Readonly<Record<Fuel, number>>,
  gridFactorKg: number,
): number {
  let kg = 0;
  for (const part of [s.heatFuelKwh, s.otherKwh])
    for (const [f, kwh] of Object.entries(part) as [Fuel, number][])
      if (f !== 'electricity') kg += kwh * fuelFactorKg[f];
  return kg + (electricityDemandKwh(s) - s.solarSelfUseKwh) * gridFactorKg;
}

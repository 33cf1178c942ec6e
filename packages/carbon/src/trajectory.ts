/**
 * Yearly trajectory of area emissions by sector under a lever set.
 *
 * `trajectory` is the fast path (typed arrays, one pass per building over the years, lever coefficients computed
 * once per year); `trajectoryReference` applies the lever step functions of `levers.ts` to one building-year at
 * a time with plain objects. Both give the same numbers (tested); the benchmark compares their speed.
 */
import { DataError } from '@placetwin/geo';
import { type EmissionFactor, emissionFactors, type FactorSet } from './factors';
import { DEFAULT_GRID_PATH, type GridPath, gridGenerationAt } from './grid';
import {
  applyElectricitySaving,
  applyHeatPumps,
  applyRetrofit,
  applySolar,
  electricityDemandKwh,
  LEVER_DEFAULTS,
  type LeverSet,
  pathValues,
  stateEmissionsKg,
  validateLeverSet,
} from './levers';
import { type BuildingStock, FUEL_INDEX, initialState, isActive, NF } from './stock';
import { type Basis, FUELS, type Fuel, type Quantity, type Sector, type Series, weakestBasis } from './types';

/** Emissions entered directly (e.g. from DESNZ local authority statistics), tCO2e/yr, held flat unless a lever acts. */
export interface EnteredEmission {
  label: string;
  tco2e: number;
  basis: Basis;
  source: string;
}

/** Transport activity in the area (start year). Car-km carry the EV and modal-shift levers. */
export interface TransportBaseline {
  /** Car traffic, vehicle-km/yr (e.g. DfT road traffic statistics for the local authority). */
  carVehicleKm?: { value: number; basis: Basis; source: string };
  /** Share of those car-km driven by battery electric cars in the start year. Default 0. */
  evShare?: number;
  /** Factor for the non-electric car-km. Default `car-unknown-fuel` (DESNZ average car, unknown fuel). */
  carFactorKey?: string;
  /** Public transport in the area, passenger-km/yr by factor key (e.g. `bus-local-not-london`). */
  publicTransport?: { key: string; passengerKm: number; basis: Basis; source: string }[];
  /** Other transport (vans, HGVs, rail freight) entered as tCO2e/yr. */
  entered?: EnteredEmission[];
}

export interface AreaInput {
  /** First year of the trajectory (the baseline year). Default: the factor table's year (2023). */
  startYear?: number;
  /** Last year. Default 2050. */
  endYear?: number;
  stock: BuildingStock;
  transport?: TransportBaseline;
  /** Everything else (waste, agriculture, industrial processes), tCO2e/yr. */
  other?: EnteredEmission[];
  factors?: FactorSet;
}

export interface Trajectory {
  name: string;
  years: number[];
  sectors: Record<Sector, Series>;
  /** Sum of the four sectors, tCO2e/yr. */
  total: Series;
  /** Grid electricity factor used each year (all included components), kgCO2e/kWh. */
  gridFactor: Series;
  /** What the levers did, for explaining the result (kWh/yr, buildings only). */
  memo: {
    electricityDemandKwh: Series;
    heatPumpKwh: Series;
    solarSelfUseKwh: Series;
    /** Rooftop generation exported to the grid: not credited to the area (the grid factor already counts it). */
    solarExportKwh: Series;
  };
  /** Every assumption the result rests on, with its value, unit and source. */
  assumptions: (Quantity & { name: string })[];
  /** Per-building operational emissions, tCO2e/yr, row-major building × year (only when asked for). */
  perBuilding?: { ids: readonly string[]; tco2e: Float32Array; basis: Uint8Array };
}

export interface TrajectoryOptions {
  /** Also return every building's emissions each year (for a map). Default false. */
  perBuilding?: boolean;
}

export const TRAJECTORY_DEFAULTS = { endYear: 2050 } as const;

/** Bump when a formula, default or data table changes: stored results are keyed on it, so none goes stale. */
export const CARBON_MODEL_VERSION = 1;

const EL = FUEL_INDEX.electricity;
const DH = FUEL_INDEX['district-heat'];

interface Prepared {
  name: string;
  startYear: number;
  endYear: number;
  T: number;
  years: number[];
  F: FactorSet;
  /** kg CO2e per kWh by fuel (electricity: the start year's value; the grid path scales it). */
  fuelKg: Record<Fuel, number>;
  gridKg: Float64Array;
  grid: GridPath;
  /** Per sector (0 domestic, 1 non-domestic) per year. */
  retrofitSaving: [Float64Array, Float64Array];
  heatPumpShare: [Float64Array, Float64Array];
  electricitySaving: [Float64Array, Float64Array];
  solarShare: [Float64Array, Float64Array];
  scop: number;
  selfConsumption: number;
  pvKwhPerRoofM2: number;
  assumptions: (Quantity & { name: string })[];
}

function prepare(area: AreaInput, levers: LeverSet): Prepared {
  const F = area.factors ?? emissionFactors();
  const startYear = area.startYear ?? F.year;
  const endYear = area.endYear ?? TRAJECTORY_DEFAULTS.endYear;
  validateLeverSet(levers, { startYear, endYear });
  const T = endYear - startYear + 1;
  const years = Array.from({ length: T }, (_, i) => startYear + i);
  const fuelKg = Object.fromEntries(FUELS.map((f) => [f, F.get(f, 'kWh').kgCO2ePerUnit])) as Record<
    Fuel,
    number
  >;
  const electricity = F.get('electricity', 'kWh');
  const tableGeneration = generationComponent(electricity);
  const grid = levers.grid ?? DEFAULT_GRID_PATH;
  const gridKg = new Float64Array(T);
  for (let t = 0; t < T; t++)
    gridKg[t] =
      tableGeneration > 0
        ? (electricity.kgCO2ePerUnit * gridGenerationAt(grid, years[t])) / tableGeneration
        : 0;
  const path = (p: Parameters<typeof pathValues>[0], k = 1) =>
    pathValues(p, startYear, endYear).map((v) => v * k);
  const zero = new Float64Array(T);
  const L = levers;
  const solar = L.rooftopSolar;
  const assumptions: Prepared['assumptions'] = [
    {
      name: 'grid path',
      value: gridGenerationAt(grid, endYear),
      unit: `kgCO2e/kWh generation in ${endYear}`,
      basis: grid.basis,
      source: `${grid.name}: ${grid.description} (${grid.source})`,
    },
  ];
  const assume = (name: string, value: number, unit: string, source: string) =>
    assumptions.push({ name, value, unit, basis: 'assumed', source });
  if (L.domesticRetrofit)
    assume('domestic retrofit heat saving', L.domesticRetrofit.heatSaving, 'share', 'lever set');
  if (L.nonDomesticRetrofit) {
    assume('non-domestic heat saving', L.nonDomesticRetrofit.heatSaving, 'share', 'lever set');
    assume('non-domestic electricity saving', L.nonDomesticRetrofit.electricitySaving, 'share', 'lever set');
  }
  if (L.heatPumps) assume('heat pump SCOP', L.heatPumps.scop, 'kWh heat/kWh electricity', 'lever set');
  const selfConsumption = solar?.selfConsumption ?? LEVER_DEFAULTS.solarSelfConsumption;
  const usable = solar?.usableRoofShare ?? LEVER_DEFAULTS.solarUsableRoofShare;
  const kwpPerM2 = solar?.kwpPerM2 ?? LEVER_DEFAULTS.solarKwpPerM2;
  const yieldKwh = solar?.yieldKwhPerKwp ?? LEVER_DEFAULTS.solarYieldKwhPerKwp;
  if (solar) {
    assume('solar self-consumption', selfConsumption, 'share of generation', 'lever set or LEVER_DEFAULTS');
    assume('usable roof share', usable, 'share of roof plan area', 'lever set or LEVER_DEFAULTS');
    assume('panel power density', kwpPerM2, 'kWp/m²', 'lever set or LEVER_DEFAULTS');
    assume('solar yield', yieldKwh, 'kWh/kWp/yr', 'lever set or LEVER_DEFAULTS');
  }
  return {
    name: levers.name ?? 'unnamed lever set',
    startYear,
    endYear,
    T,
    years,
    F,
    fuelKg,
    gridKg,
    grid,
    retrofitSaving: [
      L.domesticRetrofit ? path(L.domesticRetrofit.share, L.domesticRetrofit.heatSaving) : zero,
      L.nonDomesticRetrofit ? path(L.nonDomesticRetrofit.share, L.nonDomesticRetrofit.heatSaving) : zero,
    ],
    heatPumpShare: [path(L.heatPumps?.domestic), path(L.heatPumps?.nonDomestic)],
    electricitySaving: [
      zero,
      L.nonDomesticRetrofit
        ? path(L.nonDomesticRetrofit.share, L.nonDomesticRetrofit.electricitySaving)
        : zero,
    ],
    solarShare: [path(solar?.domestic), path(solar?.nonDomestic)],
    scop: L.heatPumps?.scop ?? 1,
    selfConsumption,
    pvKwhPerRoofM2: usable * kwpPerM2 * yieldKwh,
    assumptions,
  };
}

function generationComponent(f: EmissionFactor): number {
  return f.components.find((c) => c.component === 'generation')?.kgCO2ePerUnit ?? 0;
}

/** Transport and other sectors, tCO2e per year (same code for both trajectory paths: they are per-area, not per-building). */
function nonBuildingSectors(area: AreaInput, levers: LeverSet, p: Prepared) {
  const { T, F, startYear, endYear } = p;
  const transport = new Float64Array(T);
  const other = new Float64Array(T);
  const tb = area.transport ?? {};
  const bases: Basis[] = ['modelled'];
  const entered = (list: EnteredEmission[] | undefined, field: string) =>
    (list ?? []).reduce((sum, e, i) => {
      if (typeof e?.tco2e !== 'number' || !Number.isFinite(e.tco2e) || e.tco2e < 0)
        throw new DataError(
          'invalid-number',
          `${field}[${i}].tco2e ${e?.tco2e} is not a non-negative number`,
        );
      bases.push(e.basis);
      return sum + e.tco2e;
    }, 0);
  const transportEntered = entered(tb.entered, 'transport.entered');
  const carKm = tb.carVehicleKm?.value ?? 0;
  if (!(carKm >= 0 && Number.isFinite(carKm)))
    throw new DataError(
      'invalid-number',
      `transport.carVehicleKm.value ${carKm} is not a non-negative number`,
    );
  if (tb.carVehicleKm) bases.push(tb.carVehicleKm.basis);
  const ev0 = tb.evShare ?? 0;
  if (!(ev0 >= 0 && ev0 <= 1))
    throw new DataError('negative-share', `transport.evShare ${ev0} is not in 0–1`);
  const carKey = tb.carFactorKey ?? 'car-unknown-fuel';
  const known = (key: string, field: string, unit: 'vehicle-km' | 'passenger-km') => {
    try {
      return F.get(key, unit).kgCO2ePerUnit;
    } catch (e) {
      throw new DataError('unknown-activity', `${field}: ${(e as Error).message}`);
    }
  };
  const iceKg = known(carKey, 'transport.carFactorKey', 'vehicle-km');
  const evKwhPerKm = F.energyUse('car-battery-electric', 'vehicle-km');
  let ptKg = 0;
  (tb.publicTransport ?? []).forEach((pt, i) => {
    if (!(pt.passengerKm >= 0 && Number.isFinite(pt.passengerKm)))
      throw new DataError(
        'invalid-number',
        `transport.publicTransport[${i}].passengerKm ${pt.passengerKm} is not ≥ 0`,
      );
    ptKg += pt.passengerKm * known(pt.key, `transport.publicTransport[${i}].key`, 'passenger-km');
    bases.push(pt.basis);
  });
  const ms = levers.modalShift;
  const shift = pathValues(ms?.share, startYear, endYear);
  const ev = pathValues(levers.evShare?.share, startYear, endYear, ev0);
  const shiftedPtKg =
    (ms?.carOccupancy ?? LEVER_DEFAULTS.carOccupancy) *
    (ms?.toPublicTransport ?? LEVER_DEFAULTS.modalShiftToPublicTransport) *
    (ms
      ? known(
          ms.publicTransportKey ?? LEVER_DEFAULTS.publicTransportKey,
          'levers.modalShift.publicTransportKey',
          'passenger-km',
        )
      : 0);
  if (ms) {
    p.assumptions.push(
      {
        name: 'car occupancy',
        value: ms.carOccupancy ?? LEVER_DEFAULTS.carOccupancy,
        unit: 'people/car',
        basis: 'assumed',
        source: 'lever set or LEVER_DEFAULTS',
      },
      {
        name: 'modal shift to public transport',
        value: ms.toPublicTransport ?? LEVER_DEFAULTS.modalShiftToPublicTransport,
        unit: 'share of moved trips',
        basis: 'assumed',
        source: 'lever set or LEVER_DEFAULTS',
      },
    );
  }
  const otherBases: Basis[] = ['modelled'];
  const otherEntered = (area.other ?? []).reduce((sum, e, i) => {
    if (typeof e?.tco2e !== 'number' || !Number.isFinite(e.tco2e) || e.tco2e < 0)
      throw new DataError('invalid-number', `other[${i}].tco2e ${e?.tco2e} is not a non-negative number`);
    otherBases.push(e.basis);
    return sum + e.tco2e;
  }, 0);
  const otherCut = pathValues(levers.otherSectors?.reduction, startYear, endYear);
  for (let t = 0; t < T; t++) {
    // car-km after modal shift × (ICE share × ICE factor + EV share × kWh/km × grid factor), + moved passenger-km
    const carKmT = carKm * (1 - shift[t]);
    const carKg = carKmT * ((1 - ev[t]) * iceKg + ev[t] * evKwhPerKm * p.gridKg[t]);
    transport[t] = (carKg + ptKg + carKm * shift[t] * shiftedPtKg) / 1000 + transportEntered;
    other[t] = otherEntered * (1 - otherCut[t]);
  }
  return { transport, other, transportBasis: weakestBasis(bases), otherBasis: weakestBasis(otherBases) };
}

function stockBasis(stock: BuildingStock, sector: number): Basis {
  let worst = 1; // at best modelled: emissions are computed, never metered
  for (let i = 0; i < stock.n; i++)
    if (stock.sector[i] === sector && stock.basis[i] > worst) worst = stock.basis[i];
  return (['measured', 'modelled', 'assumed'] as const)[worst];
}

function assemble(
  p: Prepared,
  area: AreaInput,
  levers: LeverSet,
  buildingsKg: [Float64Array, Float64Array],
  memo: { demand: Float64Array; heatPump: Float64Array; selfUse: Float64Array; exported: Float64Array },
  perBuilding?: Float32Array,
): Trajectory {
  const rest = nonBuildingSectors(area, levers, p);
  const t = (values: Float64Array, basis: Basis): Series => ({ unit: 'tCO2e/yr', basis, values });
  const kwh = (values: Float64Array): Series => ({ unit: 'kWh/yr', basis: 'modelled', values });
  const sectors: Record<Sector, Series> = {
    domestic: t(
      buildingsKg[0].map((v) => v / 1000),
      stockBasis(area.stock, 0),
    ),
    'non-domestic': t(
      buildingsKg[1].map((v) => v / 1000),
      stockBasis(area.stock, 1),
    ),
    transport: t(rest.transport, rest.transportBasis),
    other: t(rest.other, rest.otherBasis),
  };
  const total = new Float64Array(p.T);
  for (const s of Object.values(sectors)) for (let i = 0; i < p.T; i++) total[i] += s.values[i];
  return {
    name: p.name,
    years: p.years,
    sectors,
    total: t(total, weakestBasis(Object.values(sectors).map((s) => s.basis))),
    gridFactor: { unit: 'kgCO2e/kWh', basis: p.grid.basis, values: p.gridKg },
    memo: {
      electricityDemandKwh: kwh(memo.demand),
      heatPumpKwh: kwh(memo.heatPump),
      solarSelfUseKwh: kwh(memo.selfUse),
      solarExportKwh: kwh(memo.exported),
    },
    assumptions: p.assumptions,
    perBuilding: perBuilding && { ids: area.stock.ids, tco2e: perBuilding, basis: area.stock.basis },
  };
}

/**
 * Emissions by sector for each year from `startYear` to `endYear` under a lever set (no levers: the baseline
 * with only the grid path applied). Formulas: README "Levers".
 */
export function trajectory(
  area: AreaInput,
  levers: LeverSet = {},
  options: TrajectoryOptions = {},
): Trajectory {
  const p = prepare(area, levers);
  const { T, startYear, fuelKg, gridKg, scop, selfConsumption, pvKwhPerRoofM2 } = p;
  const s = area.stock;
  const c = FUELS.map((f) => fuelKg[f]);
  const kg: [Float64Array, Float64Array] = [new Float64Array(T), new Float64Array(T)];
  const demandT = new Float64Array(T);
  const heatPumpT = new Float64Array(T);
  const selfUseT = new Float64Array(T);
  const exportT = new Float64Array(T);
  const per = options.perBuilding ? new Float32Array(s.n * T) : undefined;
  const invScop = 1 / scop;
  for (let i = 0; i < s.n; i++) {
    const o = i * NF;
    // Per-building constants: replaceable heating fuel kg, district heat kg, heat delivered, other fuels kg.
    let repKg = 0;
    let dhKg = 0;
    let heatDelivered = 0;
    let otherKg = 0;
    for (let f = 0; f < NF; f++) {
      const h = s.heatKwh[o + f];
      if (f === DH) dhKg += h * c[f];
      else {
        heatDelivered += h * s.efficiency[o + f];
        if (f !== EL) repKg += h * c[f];
      }
      if (f !== EL) otherKg += s.otherKwh[o + f] * c[f];
    }
    const heatEl = s.heatKwh[o + EL];
    const otherEl = s.otherKwh[o + EL];
    const pv = Number.isNaN(s.pvKwhPerYear[i]) ? s.roofAreaM2[i] * pvKwhPerRoofM2 : s.pvKwhPerYear[i];
    const sec = s.sector[i];
    const retro = p.retrofitSaving[sec];
    const hp = p.heatPumpShare[sec];
    const es = p.electricitySaving[sec];
    const sol = p.solarShare[sec];
    const acc = kg[sec];
    const t0 = Math.max(0, s.fromYear[i] - startYear);
    const t1 = Math.min(T - 1, s.toYear[i] - startYear);
    for (let t = t0; t <= t1; t++) {
      const m = 1 - retro[t];
      const h = hp[t];
      const hpKwh = m * h * heatDelivered * invScop;
      const demand = m * (1 - h) * heatEl + hpKwh + otherEl * (1 - es[t]);
      const generation = sol[t] * pv;
      const offered = generation * selfConsumption;
      const selfUse = Math.min(offered, demand);
      const e = m * ((1 - h) * repKg + dhKg) + otherKg + (demand - selfUse) * gridKg[t];
      acc[t] += e;
      demandT[t] += demand;
      heatPumpT[t] += hpKwh;
      selfUseT[t] += selfUse;
      exportT[t] += generation - selfUse;
      if (per) per[i * T + t] = e / 1000;
    }
  }
  return assemble(
    p,
    area,
    levers,
    kg,
    { demand: demandT, heatPump: heatPumpT, selfUse: selfUseT, exported: exportT },
    per,
  );
}

/**
 * The same trajectory computed the plain way: each building-year builds a state object and applies the lever
 * steps in the documented order (retrofit → heat pumps → electricity saving → solar). The reference for tests and
 * the naive baseline of the benchmark.
 */
export function trajectoryReference(area: AreaInput, levers: LeverSet = {}): Trajectory {
  const p = prepare(area, levers);
  const { T, years, fuelKg, gridKg, scop, selfConsumption, pvKwhPerRoofM2 } = p;
  const s = area.stock;
  const kg: [Float64Array, Float64Array] = [new Float64Array(T), new Float64Array(T)];
  const memo = {
    demand: new Float64Array(T),
    heatPump: new Float64Array(T),
    selfUse: new Float64Array(T),
    exported: new Float64Array(T),
  };
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < s.n; i++) {
      if (!isActive(s, i, years[t])) continue;
      const sec = s.sector[i];
      let state = initialState(s, i);
      state = applyRetrofit(state, p.retrofitSaving[sec][t]);
      state = applyHeatPumps(state, p.heatPumpShare[sec][t], scop);
      state = applyElectricitySaving(state, p.electricitySaving[sec][t]);
      const pv = Number.isNaN(s.pvKwhPerYear[i]) ? s.roofAreaM2[i] * pvKwhPerRoofM2 : s.pvKwhPerYear[i];
      memo.demand[t] += electricityDemandKwh(state);
      state = applySolar(state, p.solarShare[sec][t] * pv, selfConsumption);
      kg[sec][t] += stateEmissionsKg(state, fuelKg, gridKg[t]);
      memo.heatPump[t] += state.heatPumpKwh;
      memo.selfUse[t] += state.solarSelfUseKwh;
      memo.exported[t] += state.solarExportKwh;
    }
  }
  return assemble(p, area, levers, kg, memo);
}

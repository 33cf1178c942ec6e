/**
 * The energy and carbon APIs' answers (apps/server routes/api/energy.ts and carbon.ts), checked at the edge: the
 * parts the viewer draws are verified (types, and that parallel arrays line up), so a server change that breaks
 * them fails here with a message, not as a blank chart.
 */
import type { Basis, LeverSet, Target } from '@placetwin/carbon';
import { ApiShapeError } from './types';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, what: string, field: string): Json {
  if (!isObject(v)) throw new ApiShapeError(what, `${field} is not an object`);
  return v;
}
function numbers(v: unknown, what: string, field: string, length?: number): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new ApiShapeError(what, `${field} is not a list of numbers`);
  if (length !== undefined && v.length !== length)
    throw new ApiShapeError(what, `${field} has ${v.length} values, expected ${length}`);
  return v as number[];
}
function strings(v: unknown, what: string, field: string, length?: number): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new ApiShapeError(what, `${field} is not a list of strings`);
  if (length !== undefined && v.length !== length)
    throw new ApiShapeError(what, `${field} has ${v.length} values, expected ${length}`);
  return v as string[];
}
function booleans(v: unknown, what: string, field: string, length: number): boolean[] {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'boolean'))
    throw new ApiShapeError(what, `${field} is not a list of ${length} booleans`);
  return v as boolean[];
}
function num(v: unknown, what: string, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ApiShapeError(what, `${field} is not a number`);
  return v;
}
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

// ── Energy ────────────────────────────────────────────────────────────────────────────────────────────────

export type DemandStatus = 'estimated' | 'measured' | 'not-modelled';

export interface DemandTable {
  dataset: string;
  count: number;
  truncated: boolean;
  ids: string[];
  useClass: string[];
  floorAreaM2: number[];
  heatKwhPerM2: number[];
  heatMwh: number[];
  heatStatus: DemandStatus[];
  electricityKwhPerM2: number[];
  electricityMwh: number[];
  electricityStatus: DemandStatus[];
  skipped: { id: string; reason: string }[];
  method: string;
}

const STATUSES: readonly string[] = ['estimated', 'measured', 'not-modelled'];

function statuses(v: unknown, what: string, field: string, length: number): DemandStatus[] {
  const s = strings(v, what, field, length);
  const bad = s.find((x) => !STATUSES.includes(x));
  if (bad !== undefined) throw new ApiShapeError(what, `${field} has the unknown status "${bad}"`);
  return s as DemandStatus[];
}

export function parseDemandTable(body: unknown): DemandTable {
  const what = 'energy demand table';
  const b = obj(body, what, 'the body');
  const ids = strings(b.ids, what, 'ids');
  const n = ids.length;
  return {
    dataset: str(b.dataset),
    count: n,
    truncated: b.truncated === true,
    ids,
    useClass: strings(b.useClass, what, 'useClass', n),
    floorAreaM2: numbers(b.floorAreaM2, what, 'floorAreaM2', n),
    heatKwhPerM2: numbers(b.heatKwhPerM2, what, 'heatKwhPerM2', n),
    heatMwh: numbers(b.heatMwh, what, 'heatMwh', n),
    heatStatus: statuses(b.heatStatus, what, 'heatStatus', n),
    electricityKwhPerM2: numbers(b.electricityKwhPerM2, what, 'electricityKwhPerM2', n),
    electricityMwh: numbers(b.electricityMwh, what, 'electricityMwh', n),
    electricityStatus: statuses(b.electricityStatus, what, 'electricityStatus', n),
    skipped: Array.isArray(b.skipped)
      ? b.skipped.filter(isObject).map((s) => ({ id: str(s.id), reason: str(s.reason) }))
      : [],
    method: str(b.method),
  };
}

export interface DemandFigure {
  kwhPerM2: number;
  mwh: number;
  status: DemandStatus;
  method: string;
}

export interface EnergyAssumption {
  field: string;
  value: string | number;
  basis: string;
  note: string;
}

export interface BuildingEnergy {
  buildingId: string;
  name: string | null;
  useClass: string;
  floorAreaM2: number;
  benchmark: { id: string; name: string; citation: string; year: number } | null;
  heat: DemandFigure;
  electricity: DemandFigure;
  thermalModel: {
    method: string;
    capacityClass: string;
    ageBand: string;
    heatTransferCoefficientWPerK: number;
    timeConstantH: number;
    heatingMaxKw: number;
  };
  assumptions: EnergyAssumption[];
}

function demandFigure(v: unknown, what: string, field: string): DemandFigure {
  const f = obj(v, what, field);
  const status = str(f.status);
  if (!STATUSES.includes(status)) throw new ApiShapeError(what, `${field}.status "${status}" is unknown`);
  return {
    kwhPerM2: num(f.kwhPerM2, what, `${field}.kwhPerM2`),
    mwh: num(f.mwh, what, `${field}.mwh`),
    status: status as DemandStatus,
    method: str(f.method),
  };
}

function assumptions(v: unknown): EnergyAssumption[] {
  return Array.isArray(v)
    ? v.filter(isObject).map((a) => ({
        field: str(a.field),
        value: typeof a.value === 'number' ? a.value : str(a.value),
        basis: str(a.basis),
        note: str(a.note),
      }))
    : [];
}

export function parseBuildingEnergy(body: unknown): BuildingEnergy {
  const what = 'building energy figures';
  const b = obj(body, what, 'the body');
  const m = obj(b.thermalModel, what, 'thermalModel');
  const bench = isObject(b.benchmark) ? b.benchmark : null;
  return {
    buildingId: str(b.buildingId),
    name: typeof b.name === 'string' ? b.name : null,
    useClass: str(b.useClass),
    floorAreaM2: num(b.floorAreaM2, what, 'floorAreaM2'),
    benchmark: bench
      ? {
          id: str(bench.id),
          name: str(bench.name),
          citation: str(bench.citation),
          year: num(bench.year, what, 'benchmark.year'),
        }
      : null,
    heat: demandFigure(b.heat, what, 'heat'),
    electricity: demandFigure(b.electricity, what, 'electricity'),
    thermalModel: {
      method: str(m.method),
      capacityClass: str(m.capacityClass),
      ageBand: str(m.ageBand),
      heatTransferCoefficientWPerK: num(m.heatTransferCoefficientWPerK, what, 'heatTransferCoefficientWPerK'),
      timeConstantH: num(m.timeConstantH, what, 'timeConstantH'),
      heatingMaxKw: num(m.heatingMaxKw, what, 'heatingMaxKw'),
    },
    assumptions: assumptions(b.assumptions),
  };
}

export interface ScheduleSeries {
  airC: number[];
  electricKw: number[];
  heatKw: number[];
  comfortHoursViolated: number;
  energyKwh: number;
  carbonKg: number;
}

export interface FlexibilityFigures {
  kwRemoved: number;
  windowPeakKw: { baseline: number; shifted: number };
  durationH: number;
  kwhShifted: number;
  preheatKwh: number;
  reboundKwh: number;
  reboundPeakKw: number;
  extraKwh: number;
  carbonDifferenceKg: number;
}

export type PlantMode = 'heating' | 'cooling';

export interface Flexibility {
  buildingId: string;
  date: string;
  stepMinutes: number;
  /** What the plant did on this run (older servers: heating). */
  mode: PlantMode;
  /** Start of each step, epoch ms UTC. */
  timesMs: number[];
  outdoorC: number[];
  intensityGPerKwh: number[];
  lowC: number[];
  highC: number[];
  inWindow: boolean[];
  occupied: boolean[];
  baseline: ScheduleSeries;
  shifted: ScheduleSeries;
  figures: FlexibilityFigures;
  floorAreaM2: number;
  assumptions: EnergyAssumption[];
  credits: string;
  notes: string[];
}

function times(v: unknown, what: string): number[] {
  const t = strings(v, what, 'times').map((s) => Date.parse(s));
  if (t.length === 0 || t.some(Number.isNaN)) throw new ApiShapeError(what, 'times are not instants');
  return t;
}

function schedule(v: unknown, what: string, field: string, n: number): ScheduleSeries {
  const s = obj(v, what, field);
  return {
    airC: numbers(s.airC, what, `${field}.airC`, n),
    electricKw: numbers(s.electricKw, what, `${field}.electricKw`, n),
    heatKw: numbers(s.heatKw, what, `${field}.heatKw`, n),
    comfortHoursViolated: num(s.comfortHoursViolated, what, `${field}.comfortHoursViolated`),
    energyKwh: num(s.energyKwh, what, `${field}.energyKwh`),
    carbonKg: num(s.carbonKg, what, `${field}.carbonKg`),
  };
}

export function parseFlexibility(body: unknown): Flexibility {
  const what = 'flexibility result';
  const b = obj(body, what, 'the body');
  const timesMs = times(b.times, what);
  const n = timesMs.length;
  const f = obj(b.figures, what, 'figures');
  const peak = obj(f.windowPeakKw, what, 'figures.windowPeakKw');
  const n2 = (k: string) => num(f[k], what, `figures.${k}`);
  return {
    buildingId: str(b.buildingId),
    date: str(b.date),
    stepMinutes: num(b.stepMinutes, what, 'stepMinutes'),
    mode: b.mode === 'cooling' ? 'cooling' : 'heating',
    timesMs,
    outdoorC: numbers(b.outdoorC, what, 'outdoorC', n),
    intensityGPerKwh: numbers(b.intensityGPerKwh, what, 'intensityGPerKwh', n),
    lowC: numbers(b.lowC, what, 'lowC', n),
    highC: numbers(b.highC, what, 'highC', n),
    inWindow: booleans(b.inWindow, what, 'inWindow', n),
    occupied: booleans(b.occupied, what, 'occupied', n),
    baseline: schedule(b.baseline, what, 'baseline', n),
    shifted: schedule(b.shifted, what, 'shifted', n),
    figures: {
      kwRemoved: n2('kwRemoved'),
      windowPeakKw: {
        baseline: num(peak.baseline, what, 'windowPeakKw.baseline'),
        shifted: num(peak.shifted, what, 'windowPeakKw.shifted'),
      },
      durationH: n2('durationH'),
      kwhShifted: n2('kwhShifted'),
      preheatKwh: n2('preheatKwh'),
      reboundKwh: n2('reboundKwh'),
      reboundPeakKw: n2('reboundPeakKw'),
      extraKwh: n2('extraKwh'),
      carbonDifferenceKg: n2('carbonDifferenceKg'),
    },
    floorAreaM2: num(b.floorAreaM2, what, 'floorAreaM2'),
    assumptions: assumptions(b.assumptions),
    credits: str(b.credits),
    notes: Array.isArray(b.notes) ? b.notes.filter((x): x is string => typeof x === 'string') : [],
  };
}

/** A building's model fitted to a measured record (POST /api/energy/calibration). */
export interface Calibration {
  buildingId: string;
  steps: number;
  stepMinutes: number;
  startMs: number;
  heatingUnit: string;
  rmseC: number;
  priorRmseC: number;
  simulationRmseC: number;
  oneStepRmseC: number;
  htcWPerK: number;
  timeConstantH: number;
  priorHtcWPerK: number;
  priorTimeConstantH: number;
  converged: boolean;
  parameters: { name: string; prior: number; fitted: number; unit: string }[];
  measuredC: number[];
  modelC: number[];
  notes: string[];
  /** What a flexibility run plans with (sent back as `calibration.model`). */
  model: Record<string, number>;
  scaledToGeometry: boolean;
}

export function parseCalibration(body: unknown): Calibration {
  const what = 'calibration result';
  const b = obj(body, what, 'the body');
  const steps = num(b.steps, what, 'steps');
  const n = (k: string) => num(b[k], what, k);
  const params = Array.isArray(b.parameters) ? b.parameters : [];
  const model = obj(b.model, what, 'model');
  return {
    buildingId: str(b.buildingId),
    steps,
    stepMinutes: n('stepMinutes'),
    startMs: n('startMs'),
    heatingUnit: str(b.heatingUnit),
    rmseC: n('rmseC'),
    priorRmseC: n('priorRmseC'),
    simulationRmseC: n('simulationRmseC'),
    oneStepRmseC: n('oneStepRmseC'),
    htcWPerK: n('htcWPerK'),
    timeConstantH: n('timeConstantH'),
    priorHtcWPerK: n('priorHtcWPerK'),
    priorTimeConstantH: n('priorTimeConstantH'),
    converged: b.converged === true,
    parameters: params.map((p, i) => {
      const q = obj(p, what, `parameters[${i}]`);
      return {
        name: str(q.name),
        prior: num(q.prior, what, `parameters[${i}].prior`),
        fitted: num(q.fitted, what, `parameters[${i}].fitted`),
        unit: str(q.unit),
      };
    }),
    measuredC: numbers(b.measuredC, what, 'measuredC', steps),
    modelC: numbers(b.modelC, what, 'modelC', steps),
    notes: Array.isArray(b.notes) ? b.notes.filter((x): x is string => typeof x === 'string') : [],
    model: Object.fromEntries(Object.keys(model).map((k) => [k, num(model[k], what, `model.${k}`)])),
    scaledToGeometry: b.scaledToGeometry === true,
  };
}

/** A building's stored calibration (GET /api/energy/buildings/:id/calibration): what its flexibility plans with. */
export interface StoredCalibration {
  id: number;
  buildingId: string;
  rmseC: number;
  priorRmseC: number;
  parameters: { name: string; prior: number; fitted: number; unit: string }[];
  scaledToGeometry: boolean;
  sourceFile: string;
  readings: number;
  stepMinutes: number;
  createdAtMs: number;
  /** Who ran it (staff only; null for the public). */
  createdBy: string | null;
}

export function parseStoredCalibration(body: unknown): StoredCalibration {
  const what = 'stored calibration';
  const b = obj(body, what, 'the body');
  const n = (k: string) => num(b[k], what, k);
  const createdAtMs = Date.parse(str(b.createdAt));
  if (!Number.isFinite(createdAtMs)) throw new ApiShapeError(what, 'createdAt is not a time');
  const params = Array.isArray(b.parameters) ? b.parameters : [];
  return {
    id: n('id'),
    buildingId: str(b.buildingId),
    rmseC: n('rmseC'),
    priorRmseC: n('priorRmseC'),
    parameters: params.map((p, i) => {
      const q = obj(p, what, `parameters[${i}]`);
      return {
        name: str(q.name),
        prior: num(q.prior, what, `parameters[${i}].prior`),
        fitted: num(q.fitted, what, `parameters[${i}].fitted`),
        unit: str(q.unit),
      };
    }),
    scaledToGeometry: b.scaledToGeometry === true,
    sourceFile: str(b.sourceFile),
    readings: n('readings'),
    stepMinutes: n('stepMinutes'),
    createdAtMs,
    createdBy: typeof b.createdBy === 'string' ? b.createdBy : null,
  };
}

export interface PortfolioEntry {
  id: string;
  name: string | null;
  useClass: string;
  floorAreaM2: number;
  kwRemoved: number;
  wPerM2: number;
  kwhShifted: number;
  durationH: number;
  reboundKwh: number;
  carbonDifferenceKg: number;
  comfortHoursViolated: number;
  /** measured: planned with the building's stored calibration; estimated: from geometry. */
  model: 'measured' | 'estimated';
  calibrationRmseC: number | null;
}

export interface Portfolio {
  date: string;
  stepMinutes: number;
  /** What the plant does: heating, or cooling (loads are then the chillers'). */
  mode: PlantMode;
  timesMs: number[];
  aggregate: { baselineKw: number[]; shiftedKw: number[]; inWindow: boolean[] };
  totals: {
    buildings: number;
    kwRemoved: number;
    windowPeakKw: { baseline: number; shifted: number };
    kwhShifted: number;
    reboundKwh: number;
    extraKwh: number;
    carbonDifferenceKg: number;
    comfortHoursViolated: number;
    floorAreaM2: number;
  };
  ranked: PortfolioEntry[];
  skipped: { id: string; reason: string }[];
  credits: string;
  /** With the council-owned selection: the council's names and why each building counts. */
  councilOwnership: {
    councilNames: string[];
    rule: string;
    buildings: { id: string; basis: string }[];
  } | null;
  /** With a grid network: each asset's peak headroom before and after the shift. */
  grid: GridHeadroom | null;
}

export interface GridAssetHeadroom {
  id: string;
  name: string | null;
  kind: 'substation' | 'feeder';
  coordinates: [number, number][];
  capacityKw: number;
  baseLoadKw: number;
  buildings: number;
  peakKw: { baseline: number; shifted: number };
  headroomKw: { baseline: number; shifted: number };
}

export interface GridHeadroom {
  name: string;
  label: string | null;
  constructed: boolean;
  attribution: string | null;
  maxRadiusM: number;
  rule: string;
  assets: GridAssetHeadroom[];
  unassigned: number;
}

export interface GridNetwork {
  name: string;
  label: string | null;
  constructed: boolean;
  substations: number;
  feeders: number;
}

export function parseGridNetworks(body: unknown): GridNetwork[] {
  if (!Array.isArray(body)) throw new ApiShapeError('grid networks', 'the body is not a list');
  return body.filter(isObject).map((n) => ({
    name: str(n.name),
    label: typeof n.label === 'string' ? n.label : null,
    constructed: n.constructed === true,
    substations: num(n.substations, 'grid networks', 'substations'),
    feeders: num(n.feeders, 'grid networks', 'feeders'),
  }));
}

function parseGridHeadroom(v: unknown): GridHeadroom | null {
  if (!isObject(v)) return null;
  const what = 'grid headroom';
  if (!Array.isArray(v.assets)) throw new ApiShapeError(what, 'assets is not a list');
  return {
    name: str(v.name),
    label: typeof v.label === 'string' ? v.label : null,
    constructed: v.constructed === true,
    attribution: typeof v.attribution === 'string' ? v.attribution : null,
    maxRadiusM: num(v.maxRadiusM, what, 'maxRadiusM'),
    rule: str(v.rule),
    unassigned: num(v.unassigned, what, 'unassigned'),
    assets: v.assets.map((a, i) => {
      const e = obj(a, what, `assets[${i}]`);
      const peak = obj(e.peakKw, what, `assets[${i}].peakKw`);
      const head = obj(e.headroomKw, what, `assets[${i}].headroomKw`);
      if (!Array.isArray(e.coordinates))
        throw new ApiShapeError(what, `assets[${i}].coordinates is not a list`);
      return {
        id: str(e.id),
        name: typeof e.name === 'string' ? e.name : null,
        kind: e.kind === 'feeder' ? ('feeder' as const) : ('substation' as const),
        coordinates: e.coordinates.map((c, j) => {
          const xy = numbers(c, what, `assets[${i}].coordinates[${j}]`, 2);
          return [xy[0], xy[1]] as [number, number];
        }),
        capacityKw: num(e.capacityKw, what, `assets[${i}].capacityKw`),
        baseLoadKw: num(e.baseLoadKw, what, `assets[${i}].baseLoadKw`),
        buildings: num(e.buildings, what, `assets[${i}].buildings`),
        peakKw: {
          baseline: num(peak.baseline, what, 'peakKw.baseline'),
          shifted: num(peak.shifted, what, 'peakKw.shifted'),
        },
        headroomKw: {
          baseline: num(head.baseline, what, 'headroomKw.baseline'),
          shifted: num(head.shifted, what, 'headroomKw.shifted'),
        },
      };
    }),
  };
}

export function parsePortfolio(body: unknown): Portfolio {
  const what = 'portfolio result';
  const b = obj(body, what, 'the body');
  const timesMs = times(b.times, what);
  const n = timesMs.length;
  const a = obj(b.aggregate, what, 'aggregate');
  const t = obj(b.totals, what, 'totals');
  const peak = obj(t.windowPeakKw, what, 'totals.windowPeakKw');
  const tn = (k: string) => num(t[k], what, `totals.${k}`);
  if (!Array.isArray(b.ranked)) throw new ApiShapeError(what, 'ranked is not a list');
  return {
    date: str(b.date),
    stepMinutes: num(b.stepMinutes, what, 'stepMinutes'),
    mode: b.mode === 'cooling' ? 'cooling' : 'heating',
    timesMs,
    aggregate: {
      baselineKw: numbers(a.baselineKw, what, 'aggregate.baselineKw', n),
      shiftedKw: numbers(a.shiftedKw, what, 'aggregate.shiftedKw', n),
      inWindow: booleans(a.inWindow, what, 'aggregate.inWindow', n),
    },
    totals: {
      buildings: tn('buildings'),
      kwRemoved: tn('kwRemoved'),
      windowPeakKw: {
        baseline: num(peak.baseline, what, 'totals.windowPeakKw.baseline'),
        shifted: num(peak.shifted, what, 'totals.windowPeakKw.shifted'),
      },
      kwhShifted: tn('kwhShifted'),
      reboundKwh: tn('reboundKwh'),
      extraKwh: tn('extraKwh'),
      carbonDifferenceKg: tn('carbonDifferenceKg'),
      comfortHoursViolated: tn('comfortHoursViolated'),
      floorAreaM2: tn('floorAreaM2'),
    },
    ranked: b.ranked.map((r, i) => {
      const e = obj(r, what, `ranked[${i}]`);
      const en = (k: string) => num(e[k], what, `ranked[${i}].${k}`);
      return {
        id: str(e.id),
        name: typeof e.name === 'string' ? e.name : null,
        useClass: str(e.useClass),
        floorAreaM2: en('floorAreaM2'),
        kwRemoved: en('kwRemoved'),
        wPerM2: en('wPerM2'),
        kwhShifted: en('kwhShifted'),
        durationH: en('durationH'),
        reboundKwh: en('reboundKwh'),
        carbonDifferenceKg: en('carbonDifferenceKg'),
        comfortHoursViolated: en('comfortHoursViolated'),
        model: e.model === 'measured' ? ('measured' as const) : ('estimated' as const),
        calibrationRmseC: typeof e.calibrationRmseC === 'number' ? e.calibrationRmseC : null,
      };
    }),
    skipped: Array.isArray(b.skipped)
      ? b.skipped.filter(isObject).map((s) => ({ id: str(s.id), reason: str(s.reason) }))
      : [],
    credits: str(b.credits),
    councilOwnership: isObject(b.councilOwnership)
      ? {
          councilNames: strings(b.councilOwnership.councilNames, what, 'councilOwnership.councilNames'),
          rule: str(b.councilOwnership.rule),
          buildings: Array.isArray(b.councilOwnership.buildings)
            ? b.councilOwnership.buildings
                .filter(isObject)
                .map((o) => ({ id: str(o.id), basis: str(o.basis) }))
            : [],
        }
      : null,
    grid: parseGridHeadroom(b.grid),
  };
}

// ── Carbon ────────────────────────────────────────────────────────────────────────────────────────────────

const BASES: readonly string[] = ['measured', 'modelled', 'assumed'];

function basis(v: unknown, what: string, field: string): Basis {
  if (typeof v !== 'string' || !BASES.includes(v))
    throw new ApiShapeError(what, `${field} is not measured, modelled or assumed`);
  return v as Basis;
}

export interface Quantity {
  value: number;
  unit: string;
  basis: Basis;
  source?: string;
}

function quantity(v: unknown, what: string, field: string): Quantity {
  const q = obj(v, what, field);
  return {
    value: num(q.value, what, `${field}.value`),
    unit: str(q.unit),
    basis: basis(q.basis, what, `${field}.basis`),
    ...(typeof q.source === 'string' ? { source: q.source } : {}),
  };
}
const quantityOrNull = (v: unknown, what: string, field: string): Quantity | null =>
  v === null || v === undefined ? null : quantity(v, what, field);

export interface BuildingCarbon {
  dataset: string;
  year: number;
  unit: string;
  ids: string[];
  tco2e: number[];
  basis: Basis[];
  energyMethod: string;
  gridPath: string;
}

export function parseBuildingCarbon(body: unknown): BuildingCarbon {
  const what = 'per-building carbon';
  const b = obj(body, what, 'the body');
  const ids = strings(b.ids, what, 'ids');
  const bases = strings(b.basis, what, 'basis', ids.length);
  return {
    dataset: str(b.dataset),
    year: num(b.year, what, 'year'),
    unit: str(b.unit),
    ids,
    tco2e: numbers(b.tco2e, what, 'tco2e', ids.length),
    basis: bases.map((x, i) => basis(x, what, `basis[${i}]`)),
    energyMethod: str(b.energyMethod),
    gridPath: str(b.gridPath),
  };
}

export type CarbonSector = 'domestic' | 'non-domestic' | 'transport' | 'other';
export const CARBON_SECTORS: readonly CarbonSector[] = ['domestic', 'non-domestic', 'transport', 'other'];

export interface YearSeries {
  unit: string;
  basis: Basis;
  /** One per year; null where the model has no value. */
  values: (number | null)[];
}

function yearSeries(v: unknown, what: string, field: string, length: number): YearSeries {
  const s = obj(v, what, field);
  if (
    !Array.isArray(s.values) ||
    s.values.length !== length ||
    !s.values.every((x) => x === null || (typeof x === 'number' && Number.isFinite(x)))
  )
    throw new ApiShapeError(what, `${field}.values is not a list of ${length} numbers`);
  return { unit: str(s.unit), basis: basis(s.basis, what, `${field}.basis`), values: s.values };
}

export interface TargetAssessment {
  label: string;
  year: number;
  source: string;
  allowed: Quantity | null;
  projected: Quantity | null;
  gap: Quantity | null;
  met: boolean | null;
  line: YearSeries | null;
  note?: string;
}

export interface CarbonResult {
  dataset: string;
  leverSet: string;
  inputsHash: string;
  years: number[];
  sectors: Record<CarbonSector, YearSeries>;
  total: YearSeries;
  gridFactor: YearSeries;
  assumptions: (Quantity & { name: string })[];
  targets: TargetAssessment[];
  budget: {
    budget: Quantity;
    cumulative: YearSeries;
    used: Quantity;
    remaining: Quantity;
    exceededIn: number | null;
    coversWholeBudget: boolean;
  } | null;
  stock: { buildings: number; withEnergy: number; counts: Record<string, number>; energyMethod: string };
}

export function parseCarbonResult(body: unknown): CarbonResult {
  const what = 'carbon trajectory';
  const b = obj(body, what, 'the body');
  const t = obj(b.trajectory, what, 'trajectory');
  const years = numbers(t.years, what, 'trajectory.years');
  const n = years.length;
  const sectors = obj(t.sectors, what, 'trajectory.sectors');
  const budget = isObject(b.budget) ? b.budget : null;
  const stock = obj(b.stock, what, 'stock');
  return {
    dataset: str(b.dataset),
    leverSet: str(b.leverSet),
    inputsHash: str(b.inputsHash),
    years,
    sectors: Object.fromEntries(
      CARBON_SECTORS.map((s) => [s, yearSeries(sectors[s], what, `trajectory.sectors.${s}`, n)]),
    ) as Record<CarbonSector, YearSeries>,
    total: yearSeries(t.total, what, 'trajectory.total', n),
    gridFactor: yearSeries(t.gridFactor, what, 'trajectory.gridFactor', n),
    assumptions: Array.isArray(t.assumptions)
      ? t.assumptions.map((a, i) => ({
          ...quantity(a, what, `assumptions[${i}]`),
          name: str(obj(a, what, `assumptions[${i}]`).name),
        }))
      : [],
    targets: Array.isArray(b.targets)
      ? b.targets.map((x, i) => {
          const a = obj(x, what, `targets[${i}]`);
          return {
            label: str(a.label),
            year: num(a.year, what, `targets[${i}].year`),
            source: str(a.source),
            allowed: quantityOrNull(a.allowed, what, `targets[${i}].allowed`),
            projected: quantityOrNull(a.projected, what, `targets[${i}].projected`),
            gap: quantityOrNull(a.gap, what, `targets[${i}].gap`),
            met: typeof a.met === 'boolean' ? a.met : null,
            line: a.line ? yearSeries(a.line, what, `targets[${i}].line`, n) : null,
            ...(typeof a.note === 'string' ? { note: a.note } : {}),
          };
        })
      : [],
    budget: budget && {
      budget: quantity(budget.budget, what, 'budget.budget'),
      cumulative: yearSeries(budget.cumulative, what, 'budget.cumulative', n),
      used: quantity(budget.used, what, 'budget.used'),
      remaining: quantity(budget.remaining, what, 'budget.remaining'),
      exceededIn: typeof budget.exceededIn === 'number' ? budget.exceededIn : null,
      coversWholeBudget: budget.coversWholeBudget === true,
    },
    stock: {
      buildings: num(stock.buildings, what, 'stock.buildings'),
      withEnergy: num(stock.withEnergy, what, 'stock.withEnergy'),
      counts: isObject(stock.counts)
        ? Object.fromEntries(
            Object.entries(stock.counts).filter((e): e is [string, number] => typeof e[1] === 'number'),
          )
        : {},
      energyMethod: str(stock.energyMethod),
    },
  };
}

export interface InventoryLine {
  label: string;
  activity: Quantity | null;
  factor: Quantity | null;
  tco2e: Quantity;
}

export interface CarbonBaseline {
  dataset: string;
  year: number;
  sectors: { sector: string; tco2e: Quantity; method: string; lines: InventoryLine[] }[];
  total: Quantity;
  factors: { source: string; licence: string; attribution: string };
  gridPath: string;
  stock: { buildings: number; withEnergy: number; counts: Record<string, number>; energyMethod: string };
}

export function parseCarbonBaseline(body: unknown): CarbonBaseline {
  const what = 'carbon baseline';
  const b = obj(body, what, 'the body');
  if (!Array.isArray(b.sectors)) throw new ApiShapeError(what, 'sectors is not a list');
  const factors = obj(b.factors, what, 'factors');
  const stock = obj(b.stock, what, 'stock');
  return {
    dataset: str(b.dataset),
    year: num(b.year, what, 'year'),
    sectors: b.sectors.map((x, i) => {
      const s = obj(x, what, `sectors[${i}]`);
      return {
        sector: str(s.sector),
        tco2e: quantity(s.tco2e, what, `sectors[${i}].tco2e`),
        method: str(s.method),
        lines: Array.isArray(s.lines)
          ? s.lines.map((l, j) => {
              const line = obj(l, what, `sectors[${i}].lines[${j}]`);
              return {
                label: str(line.label),
                activity: quantityOrNull(line.activity, what, `lines[${j}].activity`),
                factor: quantityOrNull(line.factor, what, `lines[${j}].factor`),
                tco2e: quantity(line.tco2e, what, `lines[${j}].tco2e`),
              };
            })
          : [],
      };
    }),
    total: quantity(b.total, what, 'total'),
    factors: {
      source: str(factors.source),
      licence: str(factors.licence),
      attribution: str(factors.attribution),
    },
    gridPath: str(b.gridPath),
    stock: {
      buildings: num(stock.buildings, what, 'stock.buildings'),
      withEnergy: num(stock.withEnergy, what, 'stock.withEnergy'),
      counts: isObject(stock.counts)
        ? Object.fromEntries(
            Object.entries(stock.counts).filter((e): e is [string, number] => typeof e[1] === 'number'),
          )
        : {},
      energyMethod: str(stock.energyMethod),
    },
  };
}

export interface LeverSetRecord {
  name: string;
  title: string;
  levers: LeverSet;
  updatedAt: string;
}

export function parseLeverSets(body: unknown): LeverSetRecord[] {
  if (!Array.isArray(body)) throw new ApiShapeError('lever sets', 'expected a list');
  return body.filter(isObject).map((r) => ({
    name: str(r.name),
    title: str(r.title, str(r.name)),
    levers: (isObject(r.levers) ? r.levers : {}) as LeverSet,
    updatedAt: str(r.updatedAt),
  }));
}

export interface AreaInputs {
  startYear: number;
  targets?: Target[];
  budget?: {
    tco2e: number;
    fromYear: number;
    toYear: number;
    source: string;
    emittedBeforeStartTco2e?: number;
  };
  [other: string]: unknown;
}

export function parseAreaInputs(body: unknown): AreaInputs {
  const b = obj(body, 'area inputs', 'the body');
  return { ...b, startYear: num(b.startYear, 'area inputs', 'startYear') } as AreaInputs;
}

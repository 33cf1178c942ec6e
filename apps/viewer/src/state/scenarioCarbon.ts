/**
 * The carbon of a scenario's development as the API gives it (`GET /api/scenarios/:id/carbon`), checked, and the
 * figures the carbon panel shows from it.
 */
export type Basis = 'measured' | 'modelled' | 'assumed';
export interface Quantity {
  value: number;
  unit: string;
  basis: Basis;
  source?: string;
}
export interface SeriesJson {
  unit: string;
  basis: Basis;
  values: (number | null)[];
}
export interface ScenarioCarbon {
  scenarioId: number;
  name: string;
  leverSet: string;
  completionYear: number;
  years: number[];
  newFloorAreaM2: number;
  homes: number;
  embodied: Quantity;
  carVehicleKm: Quantity;
  operationalChange: SeriesJson;
  transportChange: SeriesJson;
  embodiedByYear: SeriesJson;
  without: SeriesJson;
  with: SeriesJson;
  cumulativeChange: Quantity;
  notes: string[];
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isQuantity = (x: unknown): x is Quantity => isObj(x) && isNum(x.value) && typeof x.unit === 'string';
const isSeries = (x: unknown): x is SeriesJson =>
  isObj(x) && Array.isArray(x.values) && x.values.every((v) => v === null || isNum(v));

/** The API's answer, or an Error naming what is missing. */
export function parseScenarioCarbon(x: unknown): ScenarioCarbon {
  if (!isObj(x)) throw new Error('the carbon answer is not an object');
  for (const k of ['embodied', 'carVehicleKm', 'cumulativeChange'])
    if (!isQuantity(x[k])) throw new Error(`the carbon answer has no quantity ${k}`);
  for (const k of ['operationalChange', 'transportChange', 'embodiedByYear', 'without', 'with'])
    if (!isSeries(x[k])) throw new Error(`the carbon answer has no series ${k}`);
  if (!Array.isArray(x.years) || !x.years.every(isNum)) throw new Error('the carbon answer has no years');
  for (const k of ['newFloorAreaM2', 'homes', 'completionYear', 'scenarioId'])
    if (!isNum(x[k])) throw new Error(`the carbon answer has no number ${k}`);
  return x as unknown as ScenarioCarbon;
}

export interface ScenarioCarbonFigures {
  /** Operational + transport change in a year, tCO2e/yr (null: the year is outside the trajectory). */
  annualIn(year: number): number | null;
  /** Embodied carbon as a share of the cumulative change to the end year (0–1). */
  embodiedShare: number;
}

export function scenarioCarbonFigures(c: ScenarioCarbon): ScenarioCarbonFigures {
  return {
    annualIn: (year) => {
      const i = c.years.indexOf(year);
      if (i < 0) return null;
      return (c.operationalChange.values[i] ?? 0) + (c.transportChange.values[i] ?? 0);
    },
    embodiedShare: c.cumulativeChange.value > 0 ? c.embodied.value / c.cumulativeChange.value : 0,
  };
}

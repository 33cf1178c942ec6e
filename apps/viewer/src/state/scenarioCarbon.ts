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
  /** New jobs (floor area by use ÷ the stated job densities). */
  jobs?: number;
  embodied: Quantity;
  carVehicleKm: Quantity;
  operationalChange: SeriesJson;
  /** Of the operational change: heating (fuel at its DESNZ factor, or heat-pump electricity) and the rest of the
   * electricity, tCO2e/yr (absent from an older server). */
  operationalHeating?: SeriesJson;
  operationalElectricity?: SeriesJson;
  /** How the new floor area is heated under the lever set, in plain words. */
  heatingSupply?: string;
  transportChange: SeriesJson;
  embodiedByYear: SeriesJson;
  without: SeriesJson;
  with: SeriesJson;
  cumulativeChange: Quantity;
  /** Trips of the new homes and jobs by mode, and the site's bus service where it lies in a GTFS feed. */
  travel?: DevelopmentTravel;
  notes: string[];
}

export type TravelMode = 'carDriver' | 'carPassenger' | 'bus' | 'rail' | 'walk' | 'cycle';

export interface ModeTravel {
  mode: TravelMode;
  trips: number;
  personKm: number;
  vehicleKm: number;
}

export interface DevelopmentTravel {
  site: { lon: number; lat: number } | null;
  residents: number;
  access: {
    feed: string;
    date: string;
    departuresPerHour: number;
    stopsWithin400m: number;
    busFactor: number;
  } | null;
  origins: { origin: 'homes' | 'jobs'; units: number; per: string; modes: ModeTravel[]; source: string }[];
  modes: ModeTravel[];
  notes: string[];
}

export const TRAVEL_MODE_LABELS: Record<TravelMode, string> = {
  carDriver: 'Car driver',
  carPassenger: 'Car passenger',
  bus: 'Bus',
  rail: 'Rail',
  walk: 'Walk',
  cycle: 'Cycle',
};

/** One sentence on how the site's bus share was set (the stated rule), for the panel. */
export function accessSentence(t: DevelopmentTravel): string {
  const a = t.access;
  if (!a) return 'The site is outside every imported GTFS feed: the national bus share is used.';
  return `${a.departuresPerHour} buses an hour (08:00–09:00, ${a.date}) leave ${a.stopsWithin400m} stops within 400 m in feed “${a.feed}”: bus share × ${a.busFactor}, the difference taken from car drivers.`;
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
  for (const k of ['operationalHeating', 'operationalElectricity'])
    if (x[k] !== undefined && !isSeries(x[k])) throw new Error(`the carbon answer's ${k} is not a series`);
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

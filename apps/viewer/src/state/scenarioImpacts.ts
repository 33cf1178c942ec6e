/**
 * Sun, energy and carbon of the open scenario for the compare panel, against what it is compared with: the
 * baseline, or another scenario (its own figures, each scenario's measured over the same area). The API's answers
 * checked at the edge, the area the sun-hours are measured over, and the table rows (baseline, the scenarios,
 * the open one's change from the reference, unit and where each figure comes from).
 */
import type { ScenarioCarbon } from './scenarioCarbon';
import type { SunHoursResult } from './sunHours';
import { type GeoJsonPolygon, type LonLat, polygonOf } from './sunHours';

/** `GET /api/scenarios/:id/energy` (MWh/yr, estimated). */
export interface DemandTotals {
  buildings: number;
  floorAreaM2: number;
  heatMwh: number;
  electricityMwh: number;
}
export interface ScenarioEnergy {
  scenarioId: number;
  version: number;
  baseline: DemandTotals;
  scenario: DemandTotals;
  delta: DemandTotals;
  method: string;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isTotals = (x: unknown): x is DemandTotals =>
  isObj(x) &&
  ['buildings', 'floorAreaM2', 'heatMwh', 'electricityMwh'].every(
    (k) => typeof x[k] === 'number' && Number.isFinite(x[k]),
  );

export function parseScenarioEnergy(x: unknown): ScenarioEnergy {
  if (!isObj(x) || !isTotals(x.baseline) || !isTotals(x.scenario) || !isTotals(x.delta))
    throw new Error('the energy answer has no baseline, scenario and delta totals');
  return {
    scenarioId: Number(x.scenarioId),
    version: Number(x.version),
    baseline: x.baseline,
    scenario: x.scenario,
    delta: x.delta,
    method: String(x.method ?? ''),
  };
}

/** Ground around the changed buildings that the sun-hours are measured over when a scenario has no red line. */
export const SUN_MARGIN_M = 30;

/**
 * The area for the sun-hours comparison: the red line when there is one (the compare study area), else the
 * box around every added or changed footprint grown by `SUN_MARGIN_M`; null when neither exists.
 */
export function sunHoursArea(
  site: GeoJsonPolygon | { type: 'MultiPolygon'; coordinates: LonLat[][][] } | null,
  changedFootprints: readonly (readonly LonLat[])[],
): GeoJsonPolygon | null {
  if (site) {
    const ring = site.type === 'Polygon' ? site.coordinates[0] : site.coordinates[0]?.[0];
    return ring && ring.length >= 4 ? polygonOf(ring) : null;
  }
  const pts = changedFootprints.flat();
  if (pts.length === 0) return null;
  const lons = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  const lat0 = (Math.min(...lats) + Math.max(...lats)) / 2;
  const dLat = SUN_MARGIN_M / 111_195;
  const dLon = dLat / Math.cos((lat0 * Math.PI) / 180);
  const [w, s, e, n] = [
    Math.min(...lons) - dLon,
    Math.min(...lats) - dLat,
    Math.max(...lons) + dLon,
    Math.max(...lats) + dLat,
  ];
  return polygonOf([
    [w, s],
    [e, s],
    [e, n],
    [w, n],
  ]);
}

/** What is known about one scenario's impact: each part is null while it is computing. */
export interface ScenarioImpact {
  name: string;
  sun: SunHoursResult | null;
  sunError: string | null;
  energy: ScenarioEnergy | null;
  energyError: string | null;
  carbon: ScenarioCarbon | null;
  carbonError: string | null;
}

export type ImpactState = 'ready' | 'computing' | 'failed';

export interface ImpactRow {
  key: string;
  group: 'Sun' | 'Energy' | 'Carbon';
  label: string;
  unit: string;
  /** Where the figure comes from, shown under the table and as the row's title. */
  source: string;
  baseline: number | null;
  /** One per scenario compared, in column order (the other scenario first, the open one last); null value =
   * computing or failed. */
  sides: { value: number | null; state: ImpactState }[];
  /** The open scenario's value minus the reference's (the baseline, or the other scenario); null until both are known. */
  change: number | null;
  changeState: ImpactState;
}

/** What the open scenario is measured against, as the panel names it. */
export const BASELINE_NAME = 'Baseline (today)';
export const referenceName = (otherName: string | null): string =>
  otherName === null ? BASELINE_NAME : `“${otherName}”`;
/** The summary line of the impacts section. */
export const impactsSummary = (otherName: string | null): string =>
  `Sun, energy and carbon against ${referenceName(otherName)}`;

/** The year the yearly carbon change is read at: 2050 (net zero) when the trajectory reaches it, else its last. */
export const carbonYear = (c: ScenarioCarbon): number => (c.years.includes(2050) ? 2050 : c.years.at(-1)!);

const yearValue = (values: (number | null)[] | undefined, years: number[], year: number): number | null =>
  values?.[years.indexOf(year)] ?? null;

/**
 * The rows of the impacts table. One scenario: it against the baseline. Two (`[other, open]`): both with the
 * baseline beside them, and the change of the open one from the other.
 */
export function impactRows(sides: readonly ScenarioImpact[]): ImpactRow[] {
  const sun = sides.find((s) => s.sun)?.sun ?? null;
  const energy = sides.find((s) => s.energy)?.energy ?? null;
  const carbon = sides.find((s) => s.carbon)?.carbon ?? null;
  const state = (v: unknown, err: string | null): ImpactState => (err ? 'failed' : v ? 'ready' : 'computing');
  const row = (
    key: string,
    group: ImpactRow['group'],
    label: string,
    unit: string,
    source: string,
    baseline: number | null,
    pick: (s: ScenarioImpact) => { value: number | null; st: ImpactState },
  ): ImpactRow => {
    const cells = sides.map((s) => {
      const { value, st } = pick(s);
      return { value, state: st };
    });
    const open = cells.at(-1);
    const ref =
      cells.length > 1 ? cells[0] : { value: baseline, state: baseline === null ? 'computing' : 'ready' };
    const change = open?.value != null && ref.value !== null ? open.value - ref.value : null;
    const changeState: ImpactState =
      open?.state === 'failed' || ref.state === 'failed' ? 'failed' : change === null ? 'computing' : 'ready';
    return { key, group, label, unit, source, baseline, sides: cells, change, changeState };
  };
  const sunSource = sun
    ? `Sun-hours on open ground on ${sun.date}, ${sun.cellSizeM} m cells, ${sun.stepMinutes}-minute steps (BRE 209: at least half the area should get 2 h)`
    : 'Sun-hours on open ground (BRE 209)';
  const energySource = energy?.method || 'Energy demand estimated from benchmarks × floor area';
  const year = carbon ? carbonYear(carbon) : 2050;
  const levers = (c: ScenarioCarbon) =>
    c.leverSet === 'baseline' ? 'no levers: only the grid decarbonises' : `lever set “${c.leverSet}”`;
  const carbonSource = carbon
    ? `Carbon: RIBA 2030 Climate Challenge embodied benchmarks; area trajectory with and without the development (${levers(carbon)}), completion ${carbon.completionYear}`
    : 'Carbon of the development';
  const completion = carbon?.completionYear ?? null;
  const inUse = completion === null ? '' : ` in ${completion}`;
  const operationalSource = carbon
    ? `Carbon of the new floor area in use${inUse}: heating ${carbon.heatingSupply ?? 'by the benchmark fuel'}; electricity at the grid factor of the year (${levers(carbon)})`
    : 'Carbon of the new floor area in use';
  const sunBefore = (r: SunHoursResult | null) => r?.before?.summary ?? null;
  const atCompletion = (
    c: ScenarioCarbon | null,
    pick: (c: ScenarioCarbon) => (number | null)[] | undefined,
  ) => (c && completion !== null ? yearValue(pick(c), c.years, completion) : null);
  const operational = (
    key: string,
    label: string,
    pick: (c: ScenarioCarbon) => (number | null)[] | undefined,
  ) =>
    row(
      key,
      'Carbon',
      `${label}${inUse}`,
      carbon?.operationalChange.unit ?? 'tCO2e/yr',
      operationalSource,
      0,
      (s) => ({
        value: atCompletion(s.carbon, pick),
        st: state(s.carbon, s.carbonError),
      }),
    );
  return [
    row(
      'sun-share',
      'Sun',
      'Open ground with ≥ 2 h sun',
      '%',
      sunSource,
      sun?.comparison ? sun.comparison.shareBefore * 100 : null,
      (s) => ({
        value: s.sun?.comparison ? s.sun.comparison.shareAfter * 100 : null,
        st: state(s.sun, s.sunError),
      }),
    ),
    row(
      'sun-mean',
      'Sun',
      'Mean sun on open ground',
      'h',
      sunSource,
      sunBefore(sun)?.meanHours ?? null,
      (s) => ({ value: s.sun ? s.sun.summary.meanHours : null, st: state(s.sun, s.sunError) }),
    ),
    row('heat', 'Energy', 'Heat demand', 'MWh/yr', energySource, energy?.baseline.heatMwh ?? null, (s) => ({
      value: s.energy?.scenario.heatMwh ?? null,
      st: state(s.energy, s.energyError),
    })),
    row(
      'electricity',
      'Energy',
      'Electricity demand',
      'MWh/yr',
      energySource,
      energy?.baseline.electricityMwh ?? null,
      (s) => ({ value: s.energy?.scenario.electricityMwh ?? null, st: state(s.energy, s.energyError) }),
    ),
    row(
      'embodied',
      'Carbon',
      'Embodied carbon of new floor area',
      carbon?.embodied.unit ?? 'tCO2e',
      carbonSource,
      0,
      (s) => ({ value: s.carbon?.embodied.value ?? null, st: state(s.carbon, s.carbonError) }),
    ),
    operational('carbon-heating', 'Heating of new floor area', (c) => c.operationalHeating?.values),
    operational(
      'carbon-electricity',
      'Electricity of new floor area',
      (c) => c.operationalElectricity?.values,
    ),
    operational('carbon-operational', 'New floor area in use, in all', (c) => c.operationalChange.values),
    row(
      'carbon-year',
      'Carbon',
      `Area emissions in ${year}`,
      carbon?.without.unit ?? 'tCO2e/yr',
      carbonSource,
      carbon ? yearValue(carbon.without.values, carbon.years, year) : null,
      (s) => ({
        value: s.carbon ? yearValue(s.carbon.with.values, s.carbon.years, year) : null,
        st: state(s.carbon, s.carbonError),
      }),
    ),
    row(
      'carbon-cumulative',
      'Carbon',
      `Cumulative change to ${carbon?.years.at(-1) ?? 2050}`,
      carbon?.cumulativeChange.unit ?? 'tCO2e',
      carbonSource,
      0,
      (s) => ({ value: s.carbon?.cumulativeChange.value ?? null, st: state(s.carbon, s.carbonError) }),
    ),
  ];
}

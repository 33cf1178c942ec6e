/**
 * Sun, energy and carbon of a scenario against the baseline, for the compare panel: the API's answers checked at
 * the edge, the area the sun-hours are measured over, and the table rows (baseline, scenario, change, unit and
 * where each figure comes from). With two scenarios compared, each is measured against the baseline.
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

export interface ImpactRow {
  key: string;
  group: 'Sun' | 'Energy' | 'Carbon';
  label: string;
  unit: string;
  /** Where the figure comes from, shown under the table and as the row's title. */
  source: string;
  baseline: number | null;
  /** One per scenario compared: its value and its change from the baseline; null value = computing or failed. */
  sides: { value: number | null; change: number | null; state: 'ready' | 'computing' | 'failed' }[];
}

/** The year the yearly carbon change is read at: 2050 (net zero) when the trajectory reaches it, else its last. */
export const carbonYear = (c: ScenarioCarbon): number => (c.years.includes(2050) ? 2050 : c.years.at(-1)!);

const yearValue = (values: (number | null)[], years: number[], year: number): number | null =>
  values[years.indexOf(year)] ?? null;

/** The rows of the impacts table for the scenarios compared (one or two), each against the baseline. */
export function impactRows(sides: readonly ScenarioImpact[]): ImpactRow[] {
  const sun = sides.find((s) => s.sun)?.sun ?? null;
  const energy = sides.find((s) => s.energy)?.energy ?? null;
  const carbon = sides.find((s) => s.carbon)?.carbon ?? null;
  const state = (v: unknown, err: string | null): ImpactRow['sides'][number]['state'] =>
    err ? 'failed' : v ? 'ready' : 'computing';
  const row = (
    key: string,
    group: ImpactRow['group'],
    label: string,
    unit: string,
    source: string,
    baseline: number | null,
    pick: (s: ScenarioImpact) => { value: number | null; st: ImpactRow['sides'][number]['state'] },
  ): ImpactRow => ({
    key,
    group,
    label,
    unit,
    source,
    baseline,
    sides: sides.map((s) => {
      const { value, st } = pick(s);
      return {
        value,
        change: value !== null && baseline !== null ? value - baseline : null,
        state: st,
      };
    }),
  });
  const sunSource = sun
    ? `Sun-hours on open ground on ${sun.date}, ${sun.cellSizeM} m cells, ${sun.stepMinutes}-minute steps (BRE 209: at least half the area should get 2 h)`
    : 'Sun-hours on open ground (BRE 209)';
  const energySource = energy?.method || 'Energy demand estimated from benchmarks × floor area';
  const year = carbon ? carbonYear(carbon) : 2050;
  const carbonSource = carbon
    ? `Carbon: RIBA 2030 Climate Challenge embodied benchmarks; trajectory under the grid path (lever set “${carbon.leverSet}”), completion ${carbon.completionYear}`
    : 'Carbon of the development';
  const sunBefore = (r: SunHoursResult | null) => r?.before?.summary ?? null;
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

/**
 * Per-building figures the tiles do not carry (annual energy demand, operational carbon), joined to the tiles'
 * features by building id so a colour scheme's style conditions can read them as if they were feature properties.
 * The join is the only new idea: schemes, legends and styles stay the data-driven ones of `colourSchemes.ts`.
 */
import type { BuildingCarbon, DemandTable } from '../api/energyTypes';

export type JoinedValue = number | string | boolean;

export interface BuildingValues {
  /** What the table is, for the legend's notes and the test hooks. */
  kind: 'energy' | 'carbon';
  rows: ReadonlyMap<string, Readonly<Record<string, JoinedValue>>>;
  /** Properties of a building the table does not list (e.g. unheated buildings have no carbon row). */
  missing: Readonly<Record<string, JoinedValue>>;
}

/** The part of a Cesium3DTileFeature a style reads. */
export interface PropertyReader {
  getProperty(name: string): unknown;
}

/** The feature as the style sees it: its own properties, with the joined figures of its id laid over them. */
export function joinedFeature<F extends PropertyReader>(feature: F, values: BuildingValues): F {
  const id = feature.getProperty('id');
  const row = (typeof id === 'string' ? values.rows.get(id) : undefined) ?? values.missing;
  const get = (name: string): unknown => (name in row ? row[name] : feature.getProperty(name));
  return { getProperty: get, getPropertyInherited: get } as unknown as F;
}

const known = (status: string) => status === 'estimated' || status === 'measured';

/** The energy layer's table (one or more datasets) as style properties. */
export function energyValues(tables: readonly DemandTable[]): BuildingValues {
  const rows = new Map<string, Record<string, JoinedValue>>();
  for (const t of tables) {
    t.ids.forEach((id, i) => {
      const heatStatus = t.heatStatus[i];
      const electricityStatus = t.electricityStatus[i];
      const energyStatus =
        heatStatus === 'not-modelled' && electricityStatus === 'not-modelled' ? 'not-modelled' : heatStatus;
      rows.set(id, {
        heatKwhPerM2: t.heatKwhPerM2[i],
        heatKnown: known(heatStatus),
        energyMwh: t.heatMwh[i] + t.electricityMwh[i],
        energyKnown: known(heatStatus) || known(electricityStatus),
        energyStatus,
      });
    });
  }
  return { kind: 'energy', rows, missing: { heatKnown: false, energyKnown: false, energyStatus: 'none' } };
}

/** Per-building operational carbon: buildings the model gives no energy (unheated uses) are not listed. */
export function carbonValues(tables: readonly BuildingCarbon[]): BuildingValues {
  const rows = new Map<string, Record<string, JoinedValue>>();
  for (const t of tables) {
    t.ids.forEach((id, i) => {
      rows.set(id, { carbonTco2e: t.tco2e[i], carbonKnown: true, carbonStatus: t.basis[i] });
    });
  }
  return { kind: 'carbon', rows, missing: { carbonKnown: false, carbonStatus: 'not-modelled' } };
}

/** How many buildings of the table are estimated, measured, or left out: said under the legend. */
export function energyStatusCounts(tables: readonly DemandTable[]): {
  estimated: number;
  measured: number;
  notModelled: number;
  skipped: number;
} {
  const c = { estimated: 0, measured: 0, notModelled: 0, skipped: 0 };
  for (const t of tables) {
    for (const s of t.heatStatus) {
      if (s === 'estimated') c.estimated++;
      else if (s === 'measured') c.measured++;
      else c.notModelled++;
    }
    c.skipped += t.skipped.length;
  }
  return c;
}

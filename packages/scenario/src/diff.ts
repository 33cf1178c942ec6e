import type { MultiPolygon2 } from '@placetwin/geo';
import type { ScenarioBuilding } from './types';

/** The fields `diff` compares. */
export const DIFF_FIELDS = [
  'footprint',
  'heightM',
  'minHeightM',
  'storeys',
  'use',
  'name',
  'attributes',
  'surfaces',
] as const;
export type DiffField = (typeof DIFF_FIELDS)[number];

export interface BuildingSetDiff {
  /** In b, not in a (sorted). */
  added: string[];
  /** In a, not in b (sorted). */
  removed: string[];
  /** In both but different, with the fields that differ (sorted by id). */
  changed: { id: string; fields: DiffField[] }[];
}

const sameFootprint = (a: MultiPolygon2, b: MultiPolygon2): boolean =>
  a.length === b.length &&
  a.every(
    (polygon, i) =>
      polygon.length === b[i].length &&
      polygon.every((ring, j) => ring.length === b[i][j].length && ring.every((v, k) => v === b[i][j][k])),
  );

const sameJson = (a: unknown, b: unknown): boolean =>
  JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Array.from(v as ArrayLike<unknown>, sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function differingFields(a: ScenarioBuilding, b: ScenarioBuilding): DiffField[] {
  return DIFF_FIELDS.filter((f) => {
    if (f === 'footprint') return !sameFootprint(a.footprint, b.footprint);
    if (f === 'attributes' || f === 'surfaces') return !sameJson(a[f] ?? null, b[f] ?? null);
    return a[f] !== b[f];
  });
}

/**
 * What differs between two sets of buildings (baseline vs scenario, or option A vs option B), by id. Pure.
 */
export function diff(a: readonly ScenarioBuilding[], b: readonly ScenarioBuilding[]): BuildingSetDiff {
  const byIdA = new Map(a.map((x) => [x.id, x]));
  const byIdB = new Map(b.map((x) => [x.id, x]));
  const added = [...byIdB.keys()].filter((id) => !byIdA.has(id)).sort();
  const removed = [...byIdA.keys()].filter((id) => !byIdB.has(id)).sort();
  const changed: BuildingSetDiff['changed'] = [];
  for (const [id, x] of byIdA) {
    const y = byIdB.get(id);
    if (!y || x === y) continue;
    const fields = differingFields(x, y);
    if (fields.length > 0) changed.push({ id, fields });
  }
  changed.sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
  return { added, removed, changed };
}

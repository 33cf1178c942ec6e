import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BuildingFeature } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { toTileable } from './feature';
import {
  assembleTileset,
  buildCell,
  buildTileset,
  type CellResult,
  planTileset,
  type TilePlan,
  TilePlanner,
} from './tileset';
import type { TileableBuilding, TilesetResult } from './types';

/** JSON through a store that reorders object keys (as PostgreSQL jsonb does: shorter keys first). */
function reorderedJson<T>(value: T): T {
  const reorder = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(reorder);
    if (v && typeof v === 'object') {
      const entries = Object.entries(v).sort(([a], [b]) => a.length - b.length || (a < b ? -1 : 1));
      return Object.fromEntries(entries.map(([k, x]) => [k, reorder(x)]));
    }
    return v;
  };
  return JSON.parse(JSON.stringify(reorder(JSON.parse(JSON.stringify(value)))));
}

describe('tiling cell by cell (what the job queue does) on real Rutland footprints', () => {
  let buildings: TileableBuilding[];
  let whole: TilesetResult;

  beforeAll(async () => {
    const path = 'rutland/rutland-2022-11.osm.pbf';
    const bytes = new Uint8Array(await readFile(sample(path)));
    const features: BuildingFeature[] = [];
    for await (const f of importerFor(bytes, basename(path)).parse(bytes, {
      fileName: basename(path),
      skipInvalid: true,
    }))
      if (f.kind !== 'map') features.push(f);
    buildings = features.map((f) => toTileable(f, `rutland:${f.sourceId}`));
    whole = await buildTileset(buildings);
  }, 120_000);

  it('plans one leaf per content tile, covering every building once', () => {
    const { plan } = planTileset(buildings);
    const ids = plan.leaves.flatMap((l) => l.ids);
    expect(plan.leaves.length).toBe(whole.stats.contentTiles);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(whole.stats.buildings);
    expect(plan.leaves.every((l) => l.ids.length <= plan.options.maxFeaturesPerTile)).toBe(true);
  });

  it('cells built in any order, from shuffled members, through JSON, assemble into the same bytes', async () => {
    const { plan } = planTileset([...buildings].reverse());
    // The plan and each cell's result travel as JSON (job data, database rows) with keys reordered.
    const sent: TilePlan = reorderedJson({ ...plan, leaves: plan.leaves.map((l) => ({ ...l, ids: [] })) });
    const byId = new Map(buildings.map((b) => [b.id, b]));
    const results: CellResult[] = new Array(plan.leaves.length);
    const files = new Map<string, Uint8Array>();
    // Last cell first, members in reverse: a worker gets cells and rows in no particular order.
    for (let i = plan.leaves.length - 1; i >= 0; i--) {
      const members = plan.leaves[i].ids.map((id) => byId.get(id) as TileableBuilding).reverse();
      const { result, glb } = await buildCell(sent, members);
      results[i] = reorderedJson(result);
      files.set(result.name, glb);
    }
    const { tileset, stats } = assembleTileset(sent, results);
    expect(JSON.stringify(tileset)).toBe(JSON.stringify(whole.tileset));
    expect(stats).toEqual(whole.stats);
    expect([...files.keys()].sort()).toEqual([...whole.files.keys()].sort());
    for (const [name, glb] of files) expect(Buffer.compare(glb, whole.files.get(name) as Uint8Array)).toBe(0);
  });

  it('planned a page at a time in another order (what a worker does with a national dataset), the plan is the same', () => {
    const planner = new TilePlanner();
    // Pages of 997 from the end backwards, each page reversed: no order of the whole survives.
    for (let end = buildings.length; end > 0; end -= 997) {
      for (const b of buildings.slice(Math.max(0, end - 997), end).reverse()) planner.add(b);
    }
    const paged = planner.finish();
    const { plan } = planTileset(buildings);
    expect(JSON.stringify(paged)).toBe(JSON.stringify(plan));
    // The columns saw every building: "name" is missing from most, so it is planned with a no-data value.
    expect(paged.columns.find((c) => c.id === 'name')).toMatchObject({ kind: 'STRING', noData: '' });
  });

  it('refuses to assemble a run with a cell missing', () => {
    const { plan } = planTileset(buildings);
    expect(() => assembleTileset(plan, [])).toThrow(/0 cells built of/);
  });
});

import {
  type Change,
  evaluateScenario,
  type FootprintGeoJson,
  footprintAreaM2,
  localFrame,
  ScenarioValidationError,
} from '@placetwin/scenario';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rutlandFeatures } from '../../../test/support/test-db';
import type { Db } from './db';
import { getDataset } from './repositories';
import {
  appendChanges,
  baselineBuildings,
  compareScenarios,
  createScenario,
  deleteScenario,
  evaluateChangeSet,
  findScenario,
  getScenario,
  listChanges,
  listScenarios,
  redoChange,
  replaceChanges,
  ScenarioConflictError,
  ScenarioNotFoundError,
  ScenarioStateError,
  scenarioIndicators,
  setScenarioOverlay,
  setScenarioStatus,
  undoChange,
  updateScenario,
} from './scenarios';
import { openTestDb } from './testing';

// Real baseline: the Rutland OSM extract (../shared/data/rutland, © OpenStreetMap contributors, ODbL), imported
// with the same importer and repository as `placetwin import`. The scenario is on Station Approach, Oakham.

const TRAVIS_PERKINS = 'rutland:w178280261';
const YARD_SHED = 'rutland:w178280260';
const STATION = 'rutland:w178280140';

/** A widthM × depthM rectangle with its south-west corner at (lon, lat). */
function rectangle(lon: number, lat: number, widthM: number, depthM: number): FootprintGeoJson {
  const f = localFrame(lon, lat);
  const dx = widthM / f.mPerDegLon;
  const dy = depthM / f.mPerDegLat;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dx, lat],
        [lon + dx, lat + dy],
        [lon, lat + dy],
        [lon, lat],
      ],
    ],
  };
}

const SITE = rectangle(-0.7342, 52.6729, 70, 90);
const demolishYard: Change = { op: 'demolish', id: TRAVIS_PERKINS };
const blockB: Change = {
  op: 'add',
  id: 'new/block-b',
  footprint: rectangle(-0.73342, 52.67322, 14, 40),
  use: 'residential',
  storeys: 4,
};

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandFeatures));
});
afterAll(async () => drop?.());

const newScenario = (name: string, site: FootprintGeoJson | null = SITE) =>
  createScenario(db, { dataset: 'rutland', name, description: 'test', site });

describe('scenario records', () => {
  it('creates a draft at version 1, finds it, lists it by status and dataset', async () => {
    const s = await newScenario('records');
    expect(s).toMatchObject({
      dataset: 'rutland',
      name: 'records',
      status: 'draft',
      version: 1,
      changeCount: 0,
    });
    expect(s.site?.type).toBe('MultiPolygon');
    expect((await findScenario(db, 'rutland', 'records'))?.id).toBe(s.id);
    expect((await listScenarios(db, { status: 'draft' })).map((x) => x.id)).toContain(s.id);
    expect((await listScenarios(db, { status: 'published' })).map((x) => x.id)).not.toContain(s.id);
    expect(await listScenarios(db, { dataset: 'leeds' })).toEqual([]);
  });

  it('refuses a second scenario of the same name in a dataset, an unknown dataset and a bad site', async () => {
    await expect(newScenario('records')).rejects.toMatchObject({ type: 'duplicate-scenario' });
    await expect(createScenario(db, { dataset: 'nowhere', name: 'x' })).rejects.toMatchObject({
      type: 'unknown-dataset',
    });
    const bowTie: FootprintGeoJson = {
      type: 'Polygon',
      coordinates: [
        [
          [-0.73, 52.67],
          [-0.72, 52.68],
          [-0.72, 52.67],
          [-0.73, 52.68],
        ],
      ],
    };
    await expect(newScenario('bad site', bowTie)).rejects.toMatchObject({ type: 'invalid-site' });
  });

  it('renames with the version it was read at, and refuses a stale version', async () => {
    const s = await newScenario('rename me');
    const renamed = await updateScenario(db, s.id, 1, { name: 'renamed', site: null });
    expect(renamed).toMatchObject({ name: 'renamed', version: 2, site: null, changesVersion: 1 });
    await expect(updateScenario(db, s.id, 1, { description: 'late' })).rejects.toMatchObject({
      type: 'version-conflict',
      currentVersion: 2,
    });
  });
});

describe('editing the change set', () => {
  it('appends changes in one transaction, one seq each, and bumps the version once', async () => {
    const s = await newScenario('append');
    const r = await appendChanges(db, s.id, 1, [demolishYard, blockB]);
    expect(r.seqs).toEqual([1, 2]);
    expect(r.scenario).toMatchObject({ version: 2, changesVersion: 2, changeCount: 2 });
    expect((await listChanges(db, s.id)).map((c) => [c.seq, c.state, c.change])).toEqual([
      [1, 'active', demolishYard],
      [2, 'active', blockB],
    ]);
  });

  it('gives exactly one of two concurrent edits on the same version, and the other a conflict with the current version', async () => {
    const s = await newScenario('concurrent');
    const results = await Promise.allSettled([
      appendChanges(db, s.id, 1, [demolishYard]),
      appendChanges(db, s.id, 1, [{ op: 'modify', id: STATION, storeys: 2 }]),
    ]);
    const ok = results.filter((x) => x.status === 'fulfilled');
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toBeInstanceOf(ScenarioConflictError);
    expect(failed[0].reason).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
    expect((await getScenario(db, s.id))?.changeCount).toBe(1);
  });

  it('rolls the whole edit back when one change is invalid, and says which and why', async () => {
    const s = await newScenario('rollback');
    const err = await appendChanges(db, s.id, 1, [
      demolishYard,
      { op: 'add', id: 'new/x', footprint: rectangle(-1.55, 53.8, 10, 10), use: 'retail', storeys: 1 },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioValidationError);
    expect((err as ScenarioValidationError).issues).toEqual([
      expect.objectContaining({
        change: 1,
        field: 'footprint',
        reason: expect.stringMatching(/outside the dataset extent/),
      }),
    ]);
    const after = await getScenario(db, s.id);
    expect(after).toMatchObject({ version: 1, changeCount: 0 });
    expect(await listChanges(db, s.id, { history: true })).toEqual([]);
  });

  it('validates against the changes already there: a block over a building that is not demolished is refused', async () => {
    const s = await newScenario('overlap');
    await expect(appendChanges(db, s.id, 1, [blockB])).rejects.toThrow(
      /overlaps rutland:w178280261 \(Travis Perkins\)/,
    );
    const r = await appendChanges(db, s.id, 1, [demolishYard]);
    expect((await appendChanges(db, s.id, r.scenario.version, [blockB])).scenario.changeCount).toBe(2);
  });

  it('undoes the last change, redoes it, keeps the history, and discards the redo stack on a new change', async () => {
    const s = await newScenario('undo');
    let v = (await appendChanges(db, s.id, 1, [demolishYard, blockB])).scenario.version;
    const undone = await undoChange(db, s.id, v);
    expect(undone.seqs).toEqual([2]);
    expect(undone.scenario).toMatchObject({ changeCount: 1, redoCount: 1 });
    v = undone.scenario.version;
    const redone = await redoChange(db, s.id, v);
    expect(redone.scenario).toMatchObject({ changeCount: 2, redoCount: 0 });
    v = (await undoChange(db, s.id, redone.scenario.version)).scenario.version;
    v = (await appendChanges(db, s.id, v, [{ op: 'modify', id: STATION, storeys: 2 }])).scenario.version;
    expect((await listChanges(db, s.id, { history: true })).map((c) => [c.seq, c.state])).toEqual([
      [1, 'active'],
      [2, 'discarded'],
      [3, 'active'],
    ]);
    await expect(redoChange(db, s.id, v)).rejects.toMatchObject({ type: 'nothing-to-redo' });
    v = (await undoChange(db, s.id, v)).scenario.version;
    v = (await undoChange(db, s.id, v)).scenario.version;
    await expect(undoChange(db, s.id, v)).rejects.toBeInstanceOf(ScenarioStateError);
    expect((await getScenario(db, s.id))?.changeCount).toBe(0);
  });

  it('replaces the change set keeping the common prefix, and does nothing when it is the same', async () => {
    const s = await newScenario('replace');
    const first = await replaceChanges(db, s.id, 1, [demolishYard, blockB]);
    expect(first.seqs).toEqual([1, 2]);
    const same = await replaceChanges(db, s.id, first.scenario.version, [demolishYard, blockB]);
    expect(same.seqs).toEqual([]);
    expect(same.scenario.version).toBe(first.scenario.version);
    const other = await replaceChanges(db, s.id, first.scenario.version, [
      demolishYard,
      { op: 'demolish', id: YARD_SHED },
    ]);
    expect(other.seqs).toEqual([3]);
    expect((await listChanges(db, s.id, { history: true })).map((c) => [c.seq, c.state])).toEqual([
      [1, 'active'],
      [2, 'discarded'],
      [3, 'active'],
    ]);
  });

  it('refuses changes to a published scenario until it is back to draft', async () => {
    const s = await newScenario('publish');
    const published = await setScenarioStatus(db, s.id, 1, 'published');
    expect(published).toMatchObject({ status: 'published', version: 2 });
    expect(published.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expect(appendChanges(db, s.id, 2, [demolishYard])).rejects.toMatchObject({
      type: 'scenario-published',
    });
    await expect(setScenarioStatus(db, s.id, 2, 'published')).rejects.toMatchObject({
      type: 'already-published',
    });
    const draft = await setScenarioStatus(db, s.id, 2, 'draft');
    expect((await appendChanges(db, s.id, draft.version, [demolishYard])).scenario.changeCount).toBe(1);
  });

  it('deletes a scenario with its history; unknown ids are not found', async () => {
    const s = await newScenario('delete');
    await appendChanges(db, s.id, 1, [demolishYard]);
    await deleteScenario(db, s.id, 2);
    expect(await getScenario(db, s.id)).toBeNull();
    const n = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM scenario_changes WHERE scenario_id = $1',
      [s.id],
    );
    expect(n.rows[0].n).toBe(0);
    await expect(undoChange(db, s.id, 1)).rejects.toBeInstanceOf(ScenarioNotFoundError);
  });

  it('stores an overlay build unless a newer one is stored, without changing the version', async () => {
    const s = await newScenario('overlay record');
    const o = (changesVersion: number) => ({
      changesVersion,
      tilesetUrl: `/tilesets/rutland/scenarios/${s.id}/${changesVersion}.json`,
      hiddenBuildingIds: [],
      added: [],
      modified: [],
      demolished: [],
      builtAt: new Date().toISOString(),
    });
    expect(await setScenarioOverlay(db, s.id, o(3))).toBe(true);
    expect(await setScenarioOverlay(db, s.id, o(2))).toBe(false);
    expect((await getScenario(db, s.id))?.overlay?.changesVersion).toBe(3);
    expect((await getScenario(db, s.id))?.version).toBe(1);
  });
});

describe('indicators from the database', () => {
  it('loads baseline buildings with the same footprint areas PostGIS measures (geodesic, to 1 part in 10⁴)', async () => {
    const oakham = rectangle(-0.737, 52.669, 400, 400);
    const buildings = await baselineBuildings(db, 'rutland', { within: oakham, ids: [STATION] });
    expect(buildings.length).toBeGreaterThan(20);
    const areas = await db.query<{ id: string; a: number }>(
      'SELECT id, footprint_area_m2 AS a FROM buildings WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))',
      [JSON.stringify(buildings.map((b) => b.id))],
    );
    const byId = new Map(areas.rows.map((r) => [r.id, r.a]));
    for (const b of buildings)
      expect(Math.abs(footprintAreaM2(b.footprint) / byId.get(b.id)! - 1)).toBeLessThan(1e-4);
  });

  it('measures a stored scenario exactly as the pure functions do over the whole baseline', async () => {
    const s = await newScenario('indicators');
    await appendChanges(db, s.id, 1, [demolishYard, blockB]);
    const stored = await scenarioIndicators(db, s.id);
    const all = await baselineBuildings(db, 'rutland', { within: 'all' });
    const pure = evaluateScenario(all, [demolishYard, blockB], {
      site: (await getScenario(db, s.id))!.site,
      extent: (await getDataset(db, 'rutland'))!.bbox,
    });
    expect(stored).toMatchObject({ scenarioId: s.id, status: 'draft', version: 2, name: 'indicators' });
    expect({
      studyArea: stored.studyArea,
      baseline: stored.baseline,
      scenario: stored.scenario,
      delta: stored.delta,
    }).toEqual(pure);
    expect(stored.delta.homes).toBe(Math.round((14 * 40 * 4 * 0.95 * 0.85) / 70));
    expect(stored.delta.buildings).toBe(0);
    expect(stored.ratios.map((r) => r.id)).toContain('dwelling-gia');
    expect(
      await evaluateChangeSet(db, 'rutland', [demolishYard, blockB], (await getScenario(db, s.id))!.site),
    ).toEqual(pure);
  });

  it('compares two scenarios over one site: delta is b − a, diff lists the buildings that differ', async () => {
    const a = await newScenario('option a');
    const b = await newScenario('option b');
    await appendChanges(db, a.id, 1, [demolishYard, blockB]);
    await appendChanges(db, b.id, 1, [
      demolishYard,
      { ...blockB, storeys: 6 } as Change,
      { op: 'demolish', id: YARD_SHED },
    ]);
    const c = await compareScenarios(db, a.id, b.id);
    expect(c.a).toMatchObject({ scenarioId: a.id, status: 'draft' });
    expect(c.delta.homes).toBe(c.b.indicators.homes - c.a.indicators.homes);
    expect(c.delta.maxHeightM).toBeCloseTo(c.b.indicators.maxHeightM - c.a.indicators.maxHeightM, 2);
    expect(c.diff).toEqual({
      added: [],
      removed: [YARD_SHED],
      changed: [{ id: 'new/block-b', fields: ['heightM', 'storeys'] }],
    });
    const vsBaseline = await compareScenarios(db, 'baseline', a.id);
    expect(vsBaseline.a).toMatchObject({ scenarioId: null, name: 'baseline', status: null });
    expect(vsBaseline.diff).toEqual({ added: ['new/block-b'], removed: [TRAVIS_PERKINS], changed: [] });
    await expect(compareScenarios(db, 'baseline', 'baseline')).rejects.toMatchObject({
      type: 'invalid-comparison',
    });
  });
});

/**
 * Scenarios in PostGIS: versioned storage of a baseline dataset + ordered change set, with history, undo/redo
 * and optimistic concurrency, and the loaders that feed @placetwin/scenario's pure apply/indicators.
 *
 * Concurrency: every edit names the version it was made on (`expectedVersion`). The edit locks the scenario row
 * (SELECT … FOR UPDATE), compares versions, and bumps the version in the same transaction; a second editor
 * holding the same version waits for the lock, then sees the new version and gets a ScenarioConflictError
 * (HTTP 409 with the current version). Every edit is one transaction: an invalid change rolls everything back.
 */
import { type BBox, DataError, decodePolygonalWkb, type HeightSource } from '@placetwin/geo';
import {
  apply,
  type BuildingSetDiff,
  type Change,
  type ChangeIssue,
  diff,
  type FootprintGeoJson,
  footprintBBox,
  footprintFromGeoJson,
  type IndicatorDelta,
  type Indicators,
  indicatorDelta,
  indicators,
  type Ratio,
  ratioList,
  referencedIds,
  type ScenarioBuilding,
  ScenarioValidationError,
  type StudyArea,
  studyArea,
  validateChanges,
} from '@placetwin/scenario';
import type { Db } from './db';
import { getDataset, surfacesFromJson } from './repositories';

export type ScenarioStatus = 'draft' | 'published';
export type ChangeState = 'active' | 'undone' | 'discarded';

/** The overlay tileset of a scenario's new and changed buildings (written by the CLI's tileScenarioOverlay). */
export interface ScenarioOverlay {
  /** The change-set version it was built for (current when equal to the scenario's `changesVersion`). */
  changesVersion: number;
  /** 3D Tiles 1.1 tileset.json of the added and modified buildings; null when there are none. */
  tilesetUrl: string | null;
  /** Baseline building ids to hide in the baseline tileset: modified ∪ demolished, sorted. */
  hiddenBuildingIds: string[];
  added: string[];
  modified: string[];
  demolished: string[];
  builtAt: string;
}

export interface ScenarioRecord {
  id: number;
  dataset: string;
  name: string;
  description: string;
  status: ScenarioStatus;
  version: number;
  changesVersion: number;
  /** The site (red line) as GeoJSON MultiPolygon, or null (indicators then cover the dataset's extent). */
  site: FootprintGeoJson | null;
  /** Active changes (the scenario as it stands). */
  changeCount: number;
  /** Undone changes that redo can bring back. */
  redoCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  overlay: ScenarioOverlay | null;
}

export interface ScenarioChangeRecord {
  seq: number;
  state: ChangeState;
  change: Change;
  /** The scenario version that appended it. */
  version: number;
  createdAt: string;
  stateChangedAt: string;
}

export interface ScenarioEditResult {
  scenario: ScenarioRecord;
  /** The changes the edit appended, undid or redid. */
  seqs: number[];
}

/** An edit made on a stale version: someone else edited first. Maps to HTTP 409 with `currentVersion`. */
export class ScenarioConflictError extends DataError {
  constructor(
    readonly scenarioId: number,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      'version-conflict',
      `scenario ${scenarioId} is at version ${currentVersion}, not ${expectedVersion}: someone else edited it; reload it and make the edit again on version ${currentVersion}`,
    );
  }
}

/** No scenario with that id. Maps to HTTP 404. */
export class ScenarioNotFoundError extends DataError {
  constructor(readonly scenarioId: number) {
    super('unknown-scenario', `no scenario with id ${scenarioId}`);
  }
}

/**
 * The scenario's state does not allow the edit: published (edits need a draft), nothing to undo or redo, or a
 * name already used in the dataset. Maps to HTTP 409.
 */
export class ScenarioStateError extends DataError {}

const ts = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SCENARIO_COLUMNS = `
  s.id, d.name AS dataset, s.name, s.description, s.status, s.version, s.changes_version AS "changesVersion",
  CASE WHEN s.site IS NULL THEN NULL ELSE ST_AsGeoJSON(s.site, 9)::json END AS site,
  (SELECT count(*)::int FROM scenario_changes c WHERE c.scenario_id = s.id AND c.state = 'active') AS "changeCount",
  (SELECT count(*)::int FROM scenario_changes c WHERE c.scenario_id = s.id AND c.state = 'undone') AS "redoCount",
  ${ts('s.created_at')} AS "createdAt", ${ts('s.updated_at')} AS "updatedAt",
  CASE WHEN s.published_at IS NULL THEN NULL ELSE ${ts('s.published_at')} END AS "publishedAt",
  s.overlay`;
const SCENARIO_FROM = 'scenarios s JOIN datasets d ON d.id = s.dataset_id';

export const SCENARIO_NAME_MAX = 200;
export const SCENARIO_DESCRIPTION_MAX = 5000;

function checkName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (n.length === 0 || n.length > SCENARIO_NAME_MAX) {
    throw new DataError('invalid-scenario', `name must be 1–${SCENARIO_NAME_MAX} characters`);
  }
  return n;
}

function checkDescription(d: unknown): string {
  if (typeof d !== 'string' || d.length > SCENARIO_DESCRIPTION_MAX) {
    throw new DataError(
      'invalid-scenario',
      `description must be text of at most ${SCENARIO_DESCRIPTION_MAX} characters`,
    );
  }
  return d;
}

/** A site as GeoJSON text for ST_GeomFromGeoJSON, after the same checks as a footprint. */
function siteParam(site: FootprintGeoJson | null | undefined): string | null {
  if (site === null || site === undefined) return null;
  const parsed = footprintFromGeoJson(site);
  if ('problem' in parsed) throw new DataError('invalid-site', `site ${parsed.problem}`);
  return JSON.stringify(site);
}

const SITE_SQL = (p: string) => `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${p}), 4326))`;

async function uniqueName<T>(fn: () => Promise<T>, dataset: string, name: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new ScenarioStateError(
        'duplicate-scenario',
        `dataset "${dataset}" already has a scenario named "${name}": choose another name, or edit that one`,
      );
    }
    throw e;
  }
}

/** The scenario and its active changes, read in one statement (one snapshot, even while others edit). */
async function scenarioWithChanges(
  db: Db,
  id: number,
): Promise<{ scenario: ScenarioRecord; changes: Change[] }> {
  const r = await db.query<ScenarioRecord & { activeChanges: Change[] }>(
    `SELECT ${SCENARIO_COLUMNS}, coalesce((SELECT json_agg(c.change ORDER BY c.seq) FROM scenario_changes c
       WHERE c.scenario_id = s.id AND c.state = 'active'), '[]'::json) AS "activeChanges"
     FROM ${SCENARIO_FROM} WHERE s.id = $1`,
    [id],
  );
  if (!r.rows[0]) throw new ScenarioNotFoundError(id);
  const { activeChanges: changes, ...scenario } = r.rows[0];
  return { scenario, changes };
}

export async function getScenario(db: Db, id: number): Promise<ScenarioRecord | null> {
  const r = await db.query<ScenarioRecord>(
    `SELECT ${SCENARIO_COLUMNS} FROM ${SCENARIO_FROM} WHERE s.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

export async function findScenario(db: Db, dataset: string, name: string): Promise<ScenarioRecord | null> {
  const r = await db.query<ScenarioRecord>(
    `SELECT ${SCENARIO_COLUMNS} FROM ${SCENARIO_FROM} WHERE d.name = $1 AND s.name = $2`,
    [dataset, name],
  );
  return r.rows[0] ?? null;
}

/** Scenarios, newest edit first; filter by dataset and status (public callers: `status: 'published'`). */
export async function listScenarios(
  db: Db,
  filter: { dataset?: string; status?: ScenarioStatus; areaId?: string } = {},
): Promise<ScenarioRecord[]> {
  const r = await db.query<ScenarioRecord>(
    `SELECT ${SCENARIO_COLUMNS} FROM ${SCENARIO_FROM}
     WHERE ($1::text IS NULL OR d.name = $1) AND ($2::text IS NULL OR s.status = $2)
       AND ($3::text IS NULL OR s.area_id = $3)
     ORDER BY s.updated_at DESC, s.id DESC`,
    [filter.dataset ?? null, filter.status ?? null, filter.areaId ?? null],
  );
  return r.rows;
}

export interface NewScenario {
  dataset: string;
  name: string;
  description?: string;
  site?: FootprintGeoJson | null;
  /** The area creating it: the dataset must be this area's (else `unknown-dataset`). */
  areaId?: string;
}

/** A new draft scenario (version 1, no changes) over a dataset. */
export async function createScenario(db: Db, s: NewScenario): Promise<ScenarioRecord> {
  const name = checkName(s.name);
  const description = checkDescription(s.description ?? '');
  const site = siteParam(s.site);
  const ds = await getDataset(db, s.dataset);
  const dsArea =
    ds &&
    (await db.query<{ a: string }>('SELECT area_id AS a FROM datasets WHERE id = $1', [ds.id])).rows[0]?.a;
  if (!ds || (s.areaId !== undefined && dsArea !== s.areaId)) {
    throw new DataError('unknown-dataset', `no dataset named "${s.dataset}": import one first`);
  }
  const r = await uniqueName(
    () =>
      db.query<{ id: number }>(
        `INSERT INTO scenarios (dataset_id, name, description, site, area_id)
         VALUES ($1, $2, $3, CASE WHEN $4::text IS NULL THEN NULL ELSE ${SITE_SQL('$4::text')} END, $5) RETURNING id`,
        [ds.id, name, description, site, dsArea],
      ),
    s.dataset,
    name,
  );
  return (await getScenario(db, r.rows[0].id))!;
}

interface LockedRow {
  id: number;
  version: number;
  status: ScenarioStatus;
  dataset: string;
}

/**
 * Locks the scenario row for the rest of the transaction and checks the version (and, for edits of the
 * content, that it is a draft). Throws NotFound, Conflict or State errors.
 */
async function lockScenario(
  tx: Db,
  id: number,
  expectedVersion: number,
  draftOnly: boolean,
): Promise<LockedRow> {
  const r = await tx.query<LockedRow>(
    `SELECT s.id, s.version, s.status, d.name AS dataset FROM ${SCENARIO_FROM} WHERE s.id = $1 FOR UPDATE OF s`,
    [id],
  );
  const row = r.rows[0];
  if (!row) throw new ScenarioNotFoundError(id);
  if (row.version !== expectedVersion) throw new ScenarioConflictError(id, expectedVersion, row.version);
  if (draftOnly && row.status !== 'draft') {
    throw new ScenarioStateError(
      'scenario-published',
      `scenario ${id} is published: set it back to draft (unpublish) before changing it`,
    );
  }
  return row;
}

async function bump(tx: Db, id: number, changesToo: boolean): Promise<number> {
  const r = await tx.query<{ version: number }>(
    `UPDATE scenarios SET version = version + 1, updated_at = now()
       ${changesToo ? ', changes_version = version + 1' : ''}
     WHERE id = $1 RETURNING version`,
    [id],
  );
  return r.rows[0].version;
}

export interface ScenarioUpdate {
  name?: string;
  description?: string;
  /** A new site, or null to measure over the dataset's extent. */
  site?: FootprintGeoJson | null;
}

/** Renames, re-describes or re-draws the site of a scenario (allowed when published too). */
export async function updateScenario(
  db: Db,
  id: number,
  expectedVersion: number,
  u: ScenarioUpdate,
): Promise<ScenarioRecord> {
  const name = u.name === undefined ? null : checkName(u.name);
  const description = u.description === undefined ? null : checkDescription(u.description);
  const site = siteParam(u.site);
  return db.transaction(async (tx) => {
    const row = await lockScenario(tx, id, expectedVersion, false);
    await bump(tx, id, false);
    await uniqueName(
      () =>
        tx.query(
          `UPDATE scenarios SET name = coalesce($2, name), description = coalesce($3, description),
             site = CASE WHEN $4::boolean THEN (CASE WHEN $5::text IS NULL THEN NULL ELSE ${SITE_SQL('$5::text')} END) ELSE site END
           WHERE id = $1`,
          [id, name, description, u.site !== undefined, site],
        ),
      row.dataset,
      name ?? '',
    );
    return (await getScenario(tx, id))!;
  });
}

/** Publishes a draft (the consultation site reads published scenarios only) or takes one back to draft. */
export async function setScenarioStatus(
  db: Db,
  id: number,
  expectedVersion: number,
  status: ScenarioStatus,
): Promise<ScenarioRecord> {
  return db.transaction(async (tx) => {
    const row = await lockScenario(tx, id, expectedVersion, false);
    if (row.status === status) {
      throw new ScenarioStateError(`already-${status}`, `scenario ${id} is already ${status}`);
    }
    await bump(tx, id, false);
    await tx.query(
      `UPDATE scenarios SET status = $2, published_at = CASE WHEN $2 = 'published' THEN now() ELSE published_at END
       WHERE id = $1`,
      [id, status],
    );
    return (await getScenario(tx, id))!;
  });
}

/** Deletes a scenario and its history (the caller removes its overlay files). */
export async function deleteScenario(db: Db, id: number, expectedVersion: number): Promise<ScenarioRecord> {
  return db.transaction(async (tx) => {
    await lockScenario(tx, id, expectedVersion, false);
    const before = (await getScenario(tx, id))!;
    // Consultations keep their scenario (ON DELETE RESTRICT): name them, so the planner knows what to remove.
    const uses = await tx.query<{ id: number; title: string }>(
      'SELECT id, title FROM consultations WHERE scenario_id = $1 ORDER BY id',
      [id],
    );
    if (uses.rows.length > 0) {
      const named = uses.rows.map((c) => `consultation ${c.id} "${c.title}"`).join(', ');
      const verb = uses.rows.length > 1 ? 'are' : 'is';
      throw new ScenarioStateError(
        'scenario-in-use',
        `scenario ${id} cannot be deleted: ${named} ${verb} about it; delete it or point it at another scenario first`,
      );
    }
    try {
      await tx.query('DELETE FROM scenarios WHERE id = $1', [id]);
    } catch (e) {
      if ((e as { code?: string }).code === '23503') {
        throw new ScenarioStateError(
          'scenario-in-use',
          `scenario ${id} is referenced elsewhere (e.g. by a consultation): remove that reference first`,
        );
      }
      throw e;
    }
    return before;
  });
}

const CHANGE_COLUMNS = `seq, state, change, version, ${ts('created_at')} AS "createdAt", ${ts('state_changed_at')} AS "stateChangedAt"`;

/** The active changes in order, or with `history` every change ever made (active, undone, discarded). */
export async function listChanges(
  db: Db,
  id: number,
  options: { history?: boolean } = {},
): Promise<ScenarioChangeRecord[]> {
  const r = await db.query<ScenarioChangeRecord>(
    `SELECT ${CHANGE_COLUMNS} FROM scenario_changes
     WHERE scenario_id = $1 AND ($2::boolean OR state = 'active') ORDER BY seq`,
    [id, options.history ?? false],
  );
  return r.rows;
}

const activeChanges = async (db: Db, id: number): Promise<Change[]> =>
  (await listChanges(db, id)).map((c) => c.change);

interface BuildingRow {
  id: string;
  sourceId: string;
  kind: 'building' | 'part';
  parentSourceId: string | null;
  wkb: Uint8Array;
  minHeightM: number;
  heightM: number;
  heightSource: HeightSource;
  heightMethod: string;
  storeys: number | null;
  use: string | null;
  name: string | null;
  groundElevationM: number | null;
  attributes: ScenarioBuilding['attributes'];
  surfaces: unknown;
}

/**
 * Baseline buildings of a dataset as @placetwin/scenario takes them: those named in `ids`, plus those whose
 * footprint intersects `within` (a GeoJSON site) or, with `within: 'all'`, every building of the dataset.
 */
export async function baselineBuildings(
  db: Db,
  dataset: string,
  options: { ids?: readonly string[]; within?: FootprintGeoJson | 'all' | null } = {},
): Promise<ScenarioBuilding[]> {
  const within = options.within ?? null;
  const r = await db.query<BuildingRow>(
    `SELECT b.id, b.source_id AS "sourceId", b.kind, b.parent_source_id AS "parentSourceId",
       ST_AsBinary(b.footprint) AS wkb, b.min_height_m AS "minHeightM", b.height_m AS "heightM",
       b.height_source AS "heightSource", b.height_method AS "heightMethod", b.storeys, b.use_class AS "use",
       b.name, b.ground_elevation_m AS "groundElevationM", b.attributes, b.surfaces
     FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE d.name = $1 AND (
       b.id IN (SELECT jsonb_array_elements_text($2::jsonb))
       OR $3::boolean
       OR ($4::text IS NOT NULL AND b.footprint && ${SITE_SQL('$4::text')}
           AND ST_Intersects(b.footprint, ${SITE_SQL('$4::text')})))
     ORDER BY b.id`,
    [
      dataset,
      JSON.stringify(options.ids ?? []),
      within === 'all',
      within && within !== 'all' ? JSON.stringify(within) : null,
    ],
  );
  return r.rows.map(({ wkb, surfaces, ...b }) => {
    const s = surfacesFromJson(surfaces);
    return { ...b, footprint: decodePolygonalWkb(wkb), ...(s ? { surfaces: s } : {}) };
  });
}

/** The bbox (as a GeoJSON polygon) around every footprint a change set draws, or null when it draws none. */
function changedFootprintsEnvelope(changes: readonly Change[]): FootprintGeoJson | null {
  let box: BBox | null = null;
  for (const c of changes) {
    if ((c.op !== 'add' && c.op !== 'modify') || !c.footprint) continue;
    const parsed = footprintFromGeoJson(c.footprint);
    if (!('footprint' in parsed)) continue;
    const [w, s, e, n] = footprintBBox(parsed.footprint);
    box = box
      ? [Math.min(box[0], w), Math.min(box[1], s), Math.max(box[2], e), Math.max(box[3], n)]
      : [w, s, e, n];
  }
  if (!box) return null;
  const pad = 1e-6;
  const [w, s, e, n] = [box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad];
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
}

/**
 * Validates `changes` appended after `prefix` against the baseline (the buildings they name and those around
 * the footprints they draw), inside the transaction. Throws ScenarioValidationError with the issues of the new
 * changes, numbered from 0 for the first new one.
 */
async function validateAppended(
  tx: Db,
  dataset: string,
  prefix: Change[],
  changes: unknown[],
): Promise<void> {
  const all = [...prefix, ...(changes as Change[])];
  const ds = await getDataset(tx, dataset);
  const around = changedFootprintsEnvelope(all.filter((c) => c && typeof c === 'object'));
  const known = all.filter((c): c is Change => typeof c?.id === 'string' && typeof c?.op === 'string');
  const baseline = await baselineBuildings(tx, dataset, { ids: referencedIds(known), within: around });
  const issues = validateChanges(baseline, all, { extent: ds?.bbox ?? null })
    .filter((i) => i.change >= prefix.length)
    .map((i): ChangeIssue => ({ ...i, change: i.change - prefix.length }));
  if (issues.length > 0) throw new ScenarioValidationError(issues);
}

async function insertChanges(
  tx: Db,
  id: number,
  version: number,
  changes: readonly Change[],
): Promise<number[]> {
  const r = await tx.query<{ next: number }>(
    'SELECT coalesce(max(seq), 0) + 1 AS next FROM scenario_changes WHERE scenario_id = $1',
    [id],
  );
  const first = r.rows[0].next;
  await tx.query(
    `INSERT INTO scenario_changes (scenario_id, seq, change, version)
     SELECT $1, $2::int + (x.i::int - 1), x.c, $4 FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x (c, i)`,
    [id, first, JSON.stringify(changes), version],
  );
  return changes.map((_, i) => first + i);
}

/** Nothing undone may be redone once the change set moves on: the redo stack is discarded. */
const discardRedo = (tx: Db, id: number) =>
  tx.query(
    `UPDATE scenario_changes SET state = 'discarded', state_changed_at = now()
     WHERE scenario_id = $1 AND state = 'undone'`,
    [id],
  );

/**
 * Appends changes (one undo step each) in one transaction: validated against the baseline and the changes
 * before them; any invalid change rolls the whole edit back (ScenarioValidationError, HTTP 400).
 */
export async function appendChanges(
  db: Db,
  id: number,
  expectedVersion: number,
  changes: readonly Change[],
): Promise<ScenarioEditResult> {
  if (changes.length === 0)
    throw new DataError('invalid-change', 'changes is empty: give at least one change');
  return db.transaction(async (tx) => {
    const row = await lockScenario(tx, id, expectedVersion, true);
    await validateAppended(tx, row.dataset, await activeChanges(tx, id), [...changes]);
    const version = await bump(tx, id, true);
    await discardRedo(tx, id);
    const seqs = await insertChanges(tx, id, version, changes);
    return { scenario: (await getScenario(tx, id))!, seqs };
  });
}

/** Undoes the last active change (it stays in the history as `undone`, and redo can bring it back). */
export async function undoChange(db: Db, id: number, expectedVersion: number): Promise<ScenarioEditResult> {
  return db.transaction(async (tx) => {
    await lockScenario(tx, id, expectedVersion, true);
    const last = await tx.query<{ seq: number }>(
      `SELECT max(seq) AS seq FROM scenario_changes WHERE scenario_id = $1 AND state = 'active'`,
      [id],
    );
    const seq = last.rows[0]?.seq;
    if (seq === null || seq === undefined) {
      throw new ScenarioStateError('nothing-to-undo', `scenario ${id} has no change to undo`);
    }
    await bump(tx, id, true);
    await tx.query(
      `UPDATE scenario_changes SET state = 'undone', state_changed_at = now() WHERE scenario_id = $1 AND seq = $2`,
      [id, seq],
    );
    return { scenario: (await getScenario(tx, id))!, seqs: [seq] };
  });
}

/** Re-applies the change undone most recently (validated again: the baseline may have been re-imported). */
export async function redoChange(db: Db, id: number, expectedVersion: number): Promise<ScenarioEditResult> {
  return db.transaction(async (tx) => {
    const row = await lockScenario(tx, id, expectedVersion, true);
    const next = await tx.query<{ seq: number; change: Change }>(
      `SELECT seq, change FROM scenario_changes WHERE scenario_id = $1 AND state = 'undone' ORDER BY seq LIMIT 1`,
      [id],
    );
    const redo = next.rows[0];
    if (!redo) throw new ScenarioStateError('nothing-to-redo', `scenario ${id} has no undone change to redo`);
    await validateAppended(tx, row.dataset, await activeChanges(tx, id), [redo.change]);
    await bump(tx, id, true);
    await tx.query(
      `UPDATE scenario_changes SET state = 'active', state_changed_at = now() WHERE scenario_id = $1 AND seq = $2`,
      [id, redo.seq],
    );
    return { scenario: (await getScenario(tx, id))!, seqs: [redo.seq] };
  });
}

const canonical = (c: unknown) =>
  JSON.stringify(c, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );

/**
 * Makes the active change set equal to `changes` (for scripts that state the whole scenario): the common
 * prefix is kept, the rest of the old set is discarded (kept in the history) and the rest of the new one is
 * appended. One transaction, one version; nothing happens (and the version stays) when they are equal.
 */
export async function replaceChanges(
  db: Db,
  id: number,
  expectedVersion: number,
  changes: readonly Change[],
): Promise<ScenarioEditResult> {
  return db.transaction(async (tx) => {
    const row = await lockScenario(tx, id, expectedVersion, false);
    const active = await listChanges(tx, id);
    let keep = 0;
    while (
      keep < active.length &&
      keep < changes.length &&
      canonical(active[keep].change) === canonical(changes[keep])
    ) {
      keep++;
    }
    if (keep === active.length && keep === changes.length)
      return { scenario: (await getScenario(tx, id))!, seqs: [] };
    if (row.status !== 'draft') await lockScenario(tx, id, expectedVersion, true); // throws: published
    const added = changes.slice(keep);
    await validateAppended(
      tx,
      row.dataset,
      active.slice(0, keep).map((c) => c.change),
      [...added],
    );
    const version = await bump(tx, id, true);
    await discardRedo(tx, id);
    await tx.query(
      `UPDATE scenario_changes SET state = 'discarded', state_changed_at = now()
       WHERE scenario_id = $1 AND state = 'active'
         AND seq IN (SELECT (jsonb_array_elements_text($2::jsonb))::int)`,
      [id, JSON.stringify(active.slice(keep).map((c) => c.seq))],
    );
    const seqs = added.length ? await insertChanges(tx, id, version, added) : [];
    return { scenario: (await getScenario(tx, id))!, seqs };
  });
}

/**
 * Stores an overlay build unless a newer one is already stored (two builds may race after quick edits).
 * Does not change the scenario's version: the overlay is derived from the change set. True when stored.
 */
export async function setScenarioOverlay(db: Db, id: number, overlay: ScenarioOverlay): Promise<boolean> {
  const r = await db.query(
    `UPDATE scenarios SET overlay = $2::jsonb
     WHERE id = $1 AND (overlay IS NULL OR (overlay->>'changesVersion')::int <= $3) RETURNING id`,
    [id, JSON.stringify(overlay), overlay.changesVersion],
  );
  return r.rows.length > 0;
}

/** What the overlay tiler needs: the scenario, its active changes and the baseline buildings they name. */
export async function scenarioOverlayInput(
  db: Db,
  id: number,
): Promise<{ scenario: ScenarioRecord; changes: Change[]; baseline: ScenarioBuilding[] }> {
  const { scenario, changes } = await scenarioWithChanges(db, id);
  const baseline = await baselineBuildings(db, scenario.dataset, { ids: referencedIds(changes) });
  return { scenario, changes, baseline };
}

/** Identifies a scenario in indicator answers; `scenarioId` null is the baseline itself. */
export interface ScenarioRef {
  scenarioId: number | null;
  name: string;
  status: ScenarioStatus | null;
  version: number | null;
}

export interface ScenarioIndicatorsResult {
  scenarioId: number;
  dataset: string;
  name: string;
  status: ScenarioStatus;
  version: number;
  studyArea: StudyArea | null;
  baseline: Indicators;
  scenario: Indicators;
  /** scenario − baseline */
  delta: IndicatorDelta;
  ratios: Ratio[];
}

export interface ScenarioComparison {
  dataset: string;
  studyArea: StudyArea | null;
  a: ScenarioRef & { indicators: Indicators };
  b: ScenarioRef & { indicators: Indicators };
  /** b − a */
  delta: IndicatorDelta;
  /** Buildings that differ between a and b. */
  diff: BuildingSetDiff;
  ratios: Ratio[];
}

interface Side {
  ref: ScenarioRef;
  site: FootprintGeoJson | null;
  changes: Change[];
}

const BASELINE_SIDE: Side = {
  ref: { scenarioId: null, name: 'baseline', status: null, version: null },
  site: null,
  changes: [],
};

async function scenarioSide(db: Db, id: number): Promise<Side & { dataset: string }> {
  const { scenario: s, changes } = await scenarioWithChanges(db, id);
  return {
    ref: { scenarioId: s.id, name: s.name, status: s.status, version: s.version },
    site: s.site,
    changes,
    dataset: s.dataset,
  };
}

/**
 * Indicators of two scenarios (or the baseline and a scenario) of one dataset over one study area: a's site,
 * else b's, else the dataset's extent; and which buildings differ.
 */
export async function compareScenarios(
  db: Db,
  a: number | 'baseline',
  b: number | 'baseline',
): Promise<ScenarioComparison> {
  const sa = a === 'baseline' ? null : await scenarioSide(db, a);
  const sb = b === 'baseline' ? null : await scenarioSide(db, b);
  if (!sa && !sb)
    throw new DataError('invalid-comparison', 'compare the baseline with a scenario, not with itself');
  if (sa && sb && sa.dataset !== sb.dataset) {
    throw new DataError(
      'invalid-comparison',
      `scenario ${a} is over dataset "${sa.dataset}" and ${b} over "${sb.dataset}": compare scenarios of one dataset`,
    );
  }
  const dataset = (sa ?? sb)!.dataset;
  const left = sa ?? BASELINE_SIDE;
  const right = sb ?? BASELINE_SIDE;
  const ds = await getDataset(db, dataset);
  const area = studyArea(left.site ?? right.site, ds?.bbox ?? null);
  const baseline = await baselineBuildings(db, dataset, {
    ids: referencedIds([...left.changes, ...right.changes]),
    within: area?.source === 'site' ? area.footprint : 'all',
  });
  const site = area ? siteFootprint(area) : null;
  const build = (s: Side) => (s.changes.length ? apply(baseline, s.changes).buildings : baseline);
  const A = build(left);
  const B = build(right);
  const ia = indicators(A, { site });
  const ib = indicators(B, { site });
  return {
    dataset,
    studyArea: area,
    a: { ...left.ref, indicators: ia },
    b: { ...right.ref, indicators: ib },
    delta: indicatorDelta(ia, ib),
    diff: diff(A, B),
    ratios: ratioList(),
  };
}

const siteFootprint = (area: StudyArea) =>
  (footprintFromGeoJson(area.footprint) as { footprint: ScenarioBuilding['footprint'] }).footprint;

/** A stored scenario's indicators next to the baseline's, over its site (or the dataset's extent). */
export async function scenarioIndicators(db: Db, id: number): Promise<ScenarioIndicatorsResult> {
  const c = await compareScenarios(db, 'baseline', id);
  const s = c.b;
  return {
    scenarioId: id,
    dataset: c.dataset,
    name: s.name,
    status: s.status!,
    version: s.version!,
    studyArea: c.studyArea,
    baseline: c.a.indicators,
    scenario: s.indicators,
    delta: c.delta,
    ratios: c.ratios,
  };
}

/**
 * Indicators of an unsaved change set over a dataset (a sweep variant), measured exactly as stored scenarios
 * are: same loaders, same study-area rule, same functions.
 */
export async function evaluateChangeSet(
  db: Db,
  dataset: string,
  changes: readonly Change[],
  siteGeoJson: FootprintGeoJson | null,
): Promise<{
  studyArea: StudyArea | null;
  baseline: Indicators;
  scenario: Indicators;
  delta: IndicatorDelta;
}> {
  const ds = await getDataset(db, dataset);
  if (!ds) throw new DataError('unknown-dataset', `no dataset named "${dataset}": import one first`);
  const area = studyArea(siteGeoJson, ds.bbox);
  const baseline = await baselineBuildings(db, dataset, {
    ids: referencedIds(changes),
    within: area?.source === 'site' ? area.footprint : 'all',
  });
  const site = area ? siteFootprint(area) : null;
  const before = indicators(baseline, { site });
  const after = indicators(apply(baseline, changes, { extent: ds.bbox }).buildings, { site });
  return { studyArea: area, baseline: before, scenario: after, delta: indicatorDelta(before, after) };
}

/**
 * Imports of work as jobs on a PostgreSQL-backed queue (pg-boss, in its own schema of the same database):
 * tiling a dataset is one `tile` job that plans the quadtree, one `tile-cell` job per content cell (any number of
 * `placetwin worker` processes share them), and one `tile-finish` job, started by the last cell, that writes
 * tileset.json. Cells are content-addressed and tileset.json is a pure function of the plan and the cells, so N
 * workers write the same bytes as one. pg-boss needs a PostgreSQL server: with the embedded database there is
 * one process, and `placetwin tile` builds the same tileset inline.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import {
  buildingsForTiling,
  createTileRun,
  type Db,
  endTileRun,
  getDataset,
  getTileRun,
  listTileRuns,
  recordTileCell,
  setTileset,
  type TileRun,
  tileRunCells,
} from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { assembleTileset, buildCell, type CellResult, planTileset, type TilePlan } from '@placetwin/tiles';
import PgBoss from 'pg-boss';
import { pruneStore, type TileStoreConfig } from './tile-store';

export const QUEUES = {
  tile: 'placetwin-tile',
  cell: 'placetwin-tile-cell',
  finish: 'placetwin-tile-finish',
  /** Jobs that failed every retry land here; its worker marks their run failed. */
  failed: 'placetwin-tile-failed',
} as const;

/** Retries for a failed job (pg-boss retries it after `RETRY_DELAY_S`, doubling). */
export const RETRY_LIMIT = 3;
const RETRY_DELAY_S = 2;

/** The pg-boss schema: PLACETWIN_JOBS_SCHEMA, default `pgboss`. */
export const jobsSchema = (env: NodeJS.ProcessEnv = process.env): string => {
  const s = env.PLACETWIN_JOBS_SCHEMA?.trim() || 'pgboss';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(s)) {
    throw new DataError('invalid-config', `PLACETWIN_JOBS_SCHEMA must be a lower-case SQL name, not "${s}"`);
  }
  return s;
};

/** Opens (and on first use installs) the queue in the database at `databaseUrl`. */
export async function openQueue(databaseUrl: string | undefined, schema = jobsSchema()): Promise<PgBoss> {
  if (!databaseUrl) {
    throw new DataError(
      'jobs-need-postgresql',
      'jobs need a PostgreSQL server (set DATABASE_URL); with the embedded database, `placetwin tile` runs inline',
    );
  }
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema,
    max: 4,
    application_name: 'placetwin-jobs',
  });
  boss.on('error', (e) => process.emitWarning(`job queue: ${e.message}`, 'PlacetwinJobsWarning'));
  await boss.start();
  await boss.createQueue(QUEUES.failed);
  for (const name of [QUEUES.tile, QUEUES.cell, QUEUES.finish]) {
    await boss.createQueue(name, {
      name,
      retryLimit: RETRY_LIMIT,
      retryDelay: RETRY_DELAY_S,
      retryBackoff: true,
      deadLetter: QUEUES.failed,
    });
  }
  return boss;
}

/** A job id (a UUID) that is a function of its parts: sending the same job twice makes one job. */
export function derivedJobId(...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Queues the tiling of a dataset; returns the job id (the run's id). */
export async function enqueueTiling(db: Db, boss: PgBoss, dataset: string): Promise<string> {
  if (!(await getDataset(db, dataset))) {
    throw new DataError('unknown-dataset', `no dataset named "${dataset}" (import one first)`);
  }
  const id = await boss.send(QUEUES.tile, { dataset });
  if (!id) throw new Error('the queue did not accept the tiling job');
  return id;
}

interface TileJob {
  dataset: string;
}
interface CellJob {
  runId: string;
  dataset: string;
  cell: number;
  z: number;
  x: number;
  y: number;
  ids: string[];
}
interface FinishJob {
  runId: string;
  dataset: string;
}

export interface WorkerContext {
  db: Db;
  boss: PgBoss;
  tiles: TileStoreConfig;
  /** Identifies this worker in the record of who built which cell. */
  worker?: string;
  log?: (msg: string) => void;
}

/** Plans a run: the quadtree over the dataset, then one cell job per content cell. */
export async function planRun(ctx: WorkerContext, runId: string, { dataset }: TileJob): Promise<number> {
  const buildings = await buildingsForTiling(ctx.db, dataset);
  const { plan } = planTileset(buildings);
  // The cells' ids travel in their jobs; the run keeps the rest of the plan.
  const stored: TilePlan = { ...plan, leaves: plan.leaves.map((l) => ({ ...l, ids: [] })) };
  await createTileRun(ctx.db, { id: runId, dataset, plan: stored, cellsTotal: plan.leaves.length });
  const jobs = plan.leaves.map((l, cell) => ({
    id: derivedJobId(runId, 'cell', cell),
    name: QUEUES.cell,
    data: { runId, dataset, cell, z: l.z, x: l.x, y: l.y, ids: l.ids } satisfies CellJob,
  }));
  for (let i = 0; i < jobs.length; i += 500) await ctx.boss.insert(jobs.slice(i, i + 500));
  ctx.log?.(`planned "${dataset}": ${buildings.length} buildings in ${jobs.length} cells (run ${runId})`);
  return jobs.length;
}

/** Builds one cell into the tile store; the last cell of a run queues the finishing job. */
export async function buildRunCell(ctx: WorkerContext, job: CellJob): Promise<'built' | 'skipped'> {
  const run = await getTileRun(ctx.db, job.runId);
  if (run?.state !== 'running') return 'skipped';
  const plan = run.plan as TilePlan;
  const members = await buildingsForTiling(ctx.db, job.dataset, { ids: job.ids });
  if (members.length !== job.ids.length) {
    throw new DataError(
      'dataset-changed',
      `cell ${job.cell} of "${job.dataset}": ${job.ids.length - members.length} of its buildings are gone; tile again`,
    );
  }
  const { result, glb } = await buildCell(plan, members);
  const name = await ctx.tiles.forDataset(job.dataset).putContent(glb, 'glb');
  if (name !== result.name) throw new Error(`content name mismatch: ${name} ≠ ${result.name}`);
  const done = await recordTileCell(ctx.db, {
    runId: job.runId,
    cell: job.cell,
    result,
    worker: ctx.worker ?? `${hostname()}:${process.pid}`,
  });
  if (done === run.cellsTotal) {
    await ctx.boss.send(QUEUES.finish, { runId: job.runId, dataset: job.dataset } satisfies FinishJob, {
      id: derivedJobId(job.runId, 'finish'),
    });
  }
  return 'built';
}

/** Writes tileset.json from the plan and the built cells, removes files it no longer names, records the URL. */
export async function finishRun(ctx: WorkerContext, { runId, dataset }: FinishJob): Promise<string | null> {
  const run = await getTileRun(ctx.db, runId);
  if (run?.state !== 'running') return null;
  const plan = run.plan as TilePlan;
  const cells = await tileRunCells(ctx.db, runId);
  const { tileset } = assembleTileset(
    plan,
    cells.map((c) => c.result as CellResult),
  );
  const json = JSON.stringify(tileset);
  const store = ctx.tiles.forDataset(dataset);
  await store.putJson('tileset.json', json);
  await pruneStore(store, new Set([...cells.map((c) => (c.result as CellResult).name), 'tileset.json']));
  const url = ctx.tiles.tilesetUrl(dataset);
  await setTileset(ctx.db, dataset, {
    url,
    hash: createHash('sha256').update(json).digest('hex').slice(0, 16),
  });
  await endTileRun(ctx.db, runId, 'done');
  ctx.log?.(`finished "${dataset}" (run ${runId}): ${cells.length} cells → ${url}`);
  return url;
}

/**
 * Starts working: one job at a time per process (tiling is CPU-bound; run more processes for more cores).
 * Returns a function that stops taking jobs and waits for the one in hand.
 */
export async function startWorker(
  ctx: WorkerContext,
  options: { pollingIntervalSeconds?: number } = {},
): Promise<() => Promise<void>> {
  const work = { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 };
  await ctx.boss.work<TileJob>(QUEUES.tile, work, async ([job]) => ({
    cells: await planRun(ctx, job.id, job.data),
  }));
  await ctx.boss.work<CellJob>(QUEUES.cell, work, async ([job]) => ({
    cell: await buildRunCell(ctx, job.data),
  }));
  await ctx.boss.work<FinishJob>(QUEUES.finish, work, async ([job]) => ({
    url: await finishRun(ctx, job.data),
  }));
  await ctx.boss.work<Partial<CellJob>>(QUEUES.failed, work, async ([job]) => {
    // Cell and finish jobs carry their run (a tile job that failed to plan has no run to mark).
    const runId = job.data.runId;
    if (runId && (await endTileRun(ctx.db, runId, 'failed'))) ctx.log?.(`run ${runId} failed`);
  });
  return () => ctx.boss.stop({ graceful: true, wait: true, timeout: 60_000 });
}

/** One row of `placetwin jobs list` and GET /api/jobs. */
export interface JobRow {
  id: string;
  /** tile, tile-cell, tile-finish */
  kind: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  dataset: string | null;
  retries: number;
  retryLimit: number;
  createdAt: string;
  /** For a tile job: its run's cells built so far / in all. */
  progress?: { done: number; total: number; runState: TileRun['state'] };
}

const ID = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The latest jobs, newest first, read from the queue's tables through the app's own connection (no queue
 * connection needed, so the API can show them): tile jobs with their progress; with `cells`, the cell and finish
 * jobs too (by default only those retrying or failed). Empty when the queue was never installed (embedded mode).
 */
export async function listJobs(
  db: Db,
  options: { schema?: string; limit?: number; cells?: boolean } = {},
): Promise<JobRow[]> {
  const schema = options.schema ?? jobsSchema();
  if (!ID.test(schema)) throw new Error(`bad jobs schema ${schema}`);
  if (db.kind !== 'server') return [];
  const installed = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    `${schema}.job`,
  ]);
  if (!installed.rows[0]?.t) return [];
  const r = await db.query<{
    id: string;
    name: string;
    state: JobRow['state'];
    dataset: string | null;
    retries: number;
    retryLimit: number;
    createdAt: string;
  }>(
    `SELECT id::text, name, state::text, data->>'dataset' AS dataset, retry_count AS retries,
            retry_limit AS "retryLimit",
            to_char(created_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"
       FROM ${schema}.job
      WHERE name = $1 OR (name IN ($2, $3) AND ($4 OR state IN ('retry', 'failed')))
      ORDER BY created_on DESC, id LIMIT $5`,
    [QUEUES.tile, QUEUES.cell, QUEUES.finish, options.cells ?? false, options.limit ?? 50],
  );
  const runs = new Map((await listTileRuns(db, 500)).map((run) => [run.id, run]));
  return r.rows.map((j) => {
    const run = runs.get(j.id);
    return {
      ...j,
      kind: j.name.replace(/^placetwin-/, ''),
      ...(run ? { progress: { done: run.cellsDone, total: run.cellsTotal, runState: run.state } } : {}),
    };
  });
}

/**
 * Cancels a job; cancelling a tile job cancels its run (the cells not yet built, and the finishing job).
 * Returns how many jobs were cancelled. A DataError when there is no such job.
 */
export async function cancelJob(db: Db, boss: PgBoss, id: string, schema = jobsSchema()): Promise<number> {
  const found = await db.query<{ name: string; runId: string | null }>(
    `SELECT name, data->>'runId' AS "runId" FROM ${schema}.job WHERE id::text = $1`,
    [id],
  );
  const job = found.rows[0];
  if (!job) throw new DataError('unknown-job', `no job ${id}`);
  const runId = job.name === QUEUES.tile ? id : job.runId;
  await boss.cancel(job.name, id);
  let n = 1;
  if (runId) {
    await endTileRun(db, runId, 'cancelled');
    const rest = await db.query<{ id: string; name: string }>(
      `SELECT id::text, name FROM ${schema}.job
        WHERE name IN ($1, $2) AND data->>'runId' = $3 AND state IN ('created', 'retry', 'active') AND id::text <> $4`,
      [QUEUES.cell, QUEUES.finish, runId, id],
    );
    for (const name of [QUEUES.cell, QUEUES.finish]) {
      const ids = rest.rows.filter((r) => r.name === name).map((r) => r.id);
      if (ids.length > 0) await boss.cancel(name, ids);
      n += ids.length;
    }
  }
  return n;
}

/** Waits until a run ends (done, cancelled or failed), reporting progress; returns its final state. */
export async function waitForRun(
  db: Db,
  runId: string,
  options: {
    timeoutMs?: number;
    onProgress?: (done: number, total: number) => void;
    /** The planning job's state: a plan that failed for good has no run to wait for. */
    planState?: () => Promise<string | null>;
  } = {},
): Promise<TileRun['state']> {
  const deadline = Date.now() + (options.timeoutMs ?? 24 * 3600_000);
  let last = -1;
  while (Date.now() < deadline) {
    const run = await getTileRun(db, runId);
    if (run) {
      if (run.cellsDone !== last) options.onProgress?.(run.cellsDone, run.cellsTotal);
      last = run.cellsDone;
      if (run.state !== 'running') return run.state;
    } else if (options.planState) {
      const state = await options.planState();
      if (state === 'failed' || state === 'cancelled') return state;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`run ${runId} did not end in time`);
}

/**
 * Work as jobs on a PostgreSQL-backed queue (pg-boss, in its own schema of the same database). Importing a file
 * is one `import` job: one transaction, which also completes the job, so a cancelled import writes nothing and a
 * finished one cannot be cancelled after the fact. Tiling a dataset is one `tile` job that plans the quadtree, one `tile-cell` job per content cell (any number of
 * `placetwin worker` processes share them), and one `tile-finish` job, started by the last cell, that writes
 * tileset.json. Cells are content-addressed and tileset.json is a pure function of the plan and the cells, so N
 * workers write the same bytes as one. pg-boss needs a PostgreSQL server: with the embedded database there is
 * one process, and `placetwin tile` builds the same tileset inline.
 */
import { createHash } from 'node:crypto';
import { access, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  buildingsForTiling,
  createTileRun,
  type Db,
  DEFAULT_AREA,
  endTileRun,
  execScript,
  getArea,
  getDataset,
  getTileRun,
  jobProgress,
  listTileRuns,
  recordArea,
  recordTileCell,
  setJobProgress,
  setTileset,
  type TileRun,
  tileRunCells,
} from '@placetwin/db';
import { DataError, type DatasetMeta, isDataError } from '@placetwin/geo';
import { assembleTileset, buildCell, type CellResult, type TilePlan, TilePlanner } from '@placetwin/tiles';
import PgBoss from 'pg-boss';
import { datasetNameFromFile, type ImportSummary, importFile } from './pipeline';
import { planSunHours, type SunHoursRequest, sunHoursToDir } from './sunHours';
import { sunHoursScenarioToDir } from './sunHoursScenario';
import { pruneStore, type TileStoreConfig } from './tile-store';

export const QUEUES = {
  import: 'placetwin-import',
  sunHours: 'placetwin-sun-hours',
  /** `POST /api/solar/sun-hours`: worked by the API server itself, into its result store (see apps/server). */
  sunHoursApi: 'placetwin-sun-hours-api',
  /** `POST /api/imports`: a file uploaded to the API server, imported by that server (its own file system). */
  importApi: 'placetwin-import-api',
  tile: 'placetwin-tile',
  cell: 'placetwin-tile-cell',
  finish: 'placetwin-tile-finish',
  /** Jobs that failed every retry land here; its worker marks their run failed. */
  failed: 'placetwin-tile-failed',
} as const;

/** Retries for a failed job (pg-boss retries it after `RETRY_DELAY_S`, doubling). */
export const RETRY_LIMIT = 3;
const RETRY_DELAY_S = 2;
/** An import (or analysis) may run for hours on a national file (pg-boss's default is 15 minutes). */
const LONG_JOB_EXPIRE_S = 6 * 3600;
/** How often a running import writes its progress, and looks whether it was cancelled. */
const PROGRESS_EVERY_MS = 500;
const CANCEL_POLL_MS = 500;

/** A queue of whole imports and analyses: retried with backoff, and allowed to run as long as a national file takes. */
const LONG_JOB_QUEUE = {
  retryLimit: RETRY_LIMIT,
  retryDelay: RETRY_DELAY_S,
  retryBackoff: true,
  expireInSeconds: LONG_JOB_EXPIRE_S,
} as const;

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
      // Planning reads the whole dataset (a million buildings: about a minute); a cell is small.
      ...(name === QUEUES.tile ? { expireInSeconds: LONG_JOB_EXPIRE_S } : {}),
    });
  }
  for (const name of [QUEUES.import, QUEUES.sunHours]) {
    await boss.createQueue(name, { name, ...LONG_JOB_QUEUE });
  }
  return boss;
}

/**
 * pg-boss's view of one of our connections (or transactions), on either database: its installer is a script of
 * several statements without parameters, which PGlite runs through `exec` (see execScript).
 */
const bossDb = (db: Db): PgBoss.Db => ({
  executeSql: (text, values) =>
    values === undefined || values.length === 0 ? execScript(db, text) : db.query(text, values),
});

/**
 * The queue's commands (cancel, resume, retry) over the app's own database connection, without a pool or
 * polling of its own: what the API and `placetwin jobs` need to act on jobs that workers run. Works on the
 * embedded database too, where the API server works its own jobs (see `openQueueOnDb`).
 */
export function queueAdmin(db: Db, schema = jobsSchema()): PgBoss {
  return new PgBoss({ db: bossDb(db), schema });
}

/** The queue of the API server's own jobs (`POST /api/solar/sun-hours`): retried like the others. */
const API_QUEUES = [QUEUES.sunHoursApi, QUEUES.importApi] as const;

/**
 * A whole queue (install, maintenance, workers) over the app's own database connection: how the API server works
 * its own jobs, on a PostgreSQL server and on the embedded PGlite alike (one process, one connection, so no
 * `placetwin worker` there). Installs the queue's schema on first use; stop it with `stop()`.
 */
export async function openQueueOnDb(db: Db, schema = jobsSchema()): Promise<PgBoss> {
  const boss = new PgBoss({ db: bossDb(db), schema, schedule: false });
  boss.on('error', (e) => process.emitWarning(`job queue: ${e.message}`, 'PlacetwinJobsWarning'));
  await boss.start();
  for (const name of API_QUEUES) {
    await boss.createQueue(name, { name, ...LONG_JOB_QUEUE });
  }
  return boss;
}

/**
 * A DataError (`file-not-readable` aside: a shared folder that is not mounted yet may be back next time) is
 * bad input: the same job would fail the same way again. Other errors (a connection lost, a worker killed) may
 * pass: pg-boss retries those.
 */
export function isBadInput(e: unknown): boolean {
  return isDataError(e) && !TRANSIENT_DATA_ERRORS.has(e.type);
}
const TRANSIENT_DATA_ERRORS = new Set(['file-not-readable']);

/**
 * Makes the attempt in hand a job's last (its retry limit its retries so far), so that pg-boss, seeing the error
 * the handler then throws, fails it for good instead of retrying it.
 */
export async function lastAttempt(db: Db, queue: string, id: string, schema = jobsSchema()): Promise<void> {
  if (!ID.test(schema)) throw new Error(`bad jobs schema ${schema}`);
  await db.query(
    `UPDATE ${schema}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2::uuid AND state = 'active'`,
    [queue, id],
  );
}

/** A job handler that fails once on bad input (see isBadInput) and lets pg-boss retry anything else. */
export function failOnceOnBadInput<T, R>(
  ctx: Pick<WorkerContext, 'db' | 'schema' | 'log'>,
  queue: string,
  handler: (job: PgBoss.Job<T>) => Promise<R>,
): (jobs: PgBoss.Job<T>[]) => Promise<R> {
  return async ([job]) => {
    try {
      return await handler(job);
    } catch (e) {
      if (isBadInput(e)) {
        await lastAttempt(ctx.db, queue, job.id, ctx.schema ?? jobsSchema()).catch((err) =>
          ctx.log?.(`job ${job.id}: ${err}`),
        );
        ctx.log?.(`job ${job.id} failed on bad input, not retried: ${(e as Error).message}`);
      }
      throw e;
    }
  };
}

/** A job id (a UUID) that is a function of its parts: sending the same job twice makes one job. */
export function derivedJobId(...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Queues the tiling of a dataset; returns the job id (the run's id). */
export async function enqueueTiling(db: Db, boss: PgBoss, dataset: string): Promise<string> {
  const areaId = await recordArea(db, 'dataset', dataset);
  if (!areaId || !(await getDataset(db, dataset))) {
    throw new DataError('unknown-dataset', `no dataset named "${dataset}" (import one first)`);
  }
  const id = await boss.send(QUEUES.tile, { dataset, areaId } satisfies TileJob);
  if (!id) throw new Error('the queue did not accept the tiling job');
  return id;
}

/** What an import job is asked to do: `placetwin import <file> --job` with its options. */
export interface ImportJob {
  /** An absolute path the workers can read (they share the file system, or a mount, with whoever queued it). */
  file: string;
  dataset: string;
  /** The area the dataset belongs to: the job's area (its staff see and cancel it). */
  areaId: string;
  crs?: string;
  skipInvalid: boolean;
  meta: Partial<DatasetMeta>;
  /** Queue the tiling of the dataset once it is imported. */
  tile: boolean;
}

/** What a finished import job records as its output. */
export interface ImportJobOutput extends Omit<ImportSummary, 'rejected'> {
  rejected: number;
  /** The tiling job it queued, if asked to. */
  tileJob: string | null;
}

/** Queues the import of a file; returns the job id. Checks what can be checked now: the file and the area. */
export async function enqueueImport(
  db: Db,
  boss: PgBoss,
  request: Partial<ImportJob> & { file: string },
  queue: string = QUEUES.import,
): Promise<string> {
  const file = resolve(request.file);
  try {
    await access(file);
  } catch (e) {
    throw new DataError('file-not-readable', `cannot read file: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      file: request.file,
    });
  }
  const areaId = request.areaId ?? DEFAULT_AREA;
  if (!(await getArea(db, areaId))) {
    throw new DataError('unknown-area', `there is no area "${areaId}" (add it with \`placetwin area add\`)`);
  }
  const job: ImportJob = {
    file,
    dataset: request.dataset ?? datasetNameFromFile(file),
    areaId,
    ...(request.crs ? { crs: request.crs } : {}),
    skipInvalid: request.skipInvalid ?? false,
    meta: request.meta ?? {},
    tile: request.tile ?? false,
  };
  const id = await boss.send(queue, job);
  if (!id) throw new Error('the queue did not accept the import job');
  return id;
}

/** Thrown inside a job whose row says it was cancelled: its transaction rolls back. */
export class JobCancelledError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} was cancelled`);
  }
}

/**
 * Runs one import job: the file in one transaction that also marks the job completed (pg-boss's own command
 * over the same transaction), after locking the job's row and seeing it still active. A cancel that comes first
 * is seen (at the next progress report, or at that lock) and rolls the import back; one that comes later waits
 * for the lock and finds the job completed. Progress is written as it goes, outside the transaction.
 */
export async function runImportJob(
  ctx: WorkerContext,
  id: string,
  job: ImportJob,
  queue: string = QUEUES.import,
): Promise<ImportJobOutput> {
  const schema = ctx.schema ?? jobsSchema();
  const watch = watchJob(ctx, queue, id);
  try {
    const summary = await ctx.db.transaction(async (tx) => {
      const s = await importFile(tx, job.file, {
        dataset: job.dataset,
        crs: job.crs,
        skipInvalid: job.skipInvalid,
        meta: job.meta,
        areaId: job.areaId,
        signal: watch.signal,
        onProgress: (p) => watch.report(p),
      });
      const row = await tx.query<{ state: string }>(
        `SELECT state::text FROM ${schema}.job WHERE name = $1 AND id = $2::uuid FOR UPDATE`,
        [queue, id],
      );
      if (row.rows[0]?.state !== 'active') throw new JobCancelledError(id);
      await ctx.boss.complete(queue, id, outputOf(s, null), { db: bossDb(tx) });
      return s;
    });
    const features = summary.buildings + summary.parts + summary.mapFeatures;
    watch.report({ phase: 'done', done: features, total: features, unit: 'features' }, true);
    const tileJob = job.tile ? await enqueueTiling(ctx.db, ctx.boss, summary.dataset) : null;
    ctx.log?.(`imported ${job.file} into "${summary.dataset}" (job ${id}): ${summary.buildings} buildings`);
    return outputOf(summary, tileJob);
  } finally {
    await watch.stop();
  }
}

/**
 * Watches a running job: `report` writes its progress (at most every PROGRESS_EVERY_MS, outside its work), and
 * `signal` aborts once its row is no longer active (cancelled, or expired), so the work stops at its next report.
 */
export function watchJob(ctx: Pick<WorkerContext, 'db' | 'boss' | 'log'>, queue: string, id: string) {
  const abort = new AbortController();
  let written = 0;
  let writing: Promise<void> = Promise.resolve();
  /** Never throws (it may run in a worker thread's message handler); `force`: the final figures, written now. */
  const report = (p: { phase: string; done: number; total?: number; unit: string }, force = false) => {
    const now = Date.now();
    if (!force && now - written < PROGRESS_EVERY_MS) return;
    written = now;
    const row = { jobId: id, phase: p.phase, done: p.done, total: p.total ?? null, unit: p.unit };
    writing = writing.then(() => setJobProgress(ctx.db, row)).catch((e) => ctx.log?.(`progress: ${e}`));
  };
  const timer = setInterval(() => {
    void ctx.boss.getJobById(queue, id).then(
      (j) => {
        if (j && j.state !== 'active') abort.abort(new JobCancelledError(id));
      },
      () => {},
    );
  }, CANCEL_POLL_MS);
  return {
    signal: abort.signal,
    report,
    /** Whether the job is still the worker's to finish (not cancelled in the meantime). */
    stillActive: async () => (await ctx.boss.getJobById(queue, id))?.state === 'active',
    stop: async () => {
      clearInterval(timer);
      await writing;
    },
  };
}

/** A sun-hours grid (or a scenario's before/after pair) for `placetwin sun-hours --job`. */
export interface SunHoursJob {
  dataset: string;
  /** The dataset's area: the job's. */
  areaId: string;
  request: SunHoursRequest;
  scenarioId: number | null;
  /** An absolute folder the workers can write (shared with whoever queued it). */
  outDir: string;
}

/** Queues a sun-hours analysis; returns the job id. The request is checked now (area, date, cell, step). */
export async function enqueueSunHours(
  db: Db,
  boss: PgBoss,
  request: SunHoursRequest,
  outDir: string,
  scenarioId: number | null = null,
): Promise<string> {
  planSunHours(request);
  const areaId = await recordArea(db, 'dataset', request.dataset);
  if (!areaId) throw new DataError('unknown-dataset', `no dataset named "${request.dataset}"`);
  const job: SunHoursJob = { dataset: request.dataset, areaId, request, scenarioId, outDir: resolve(outDir) };
  const id = await boss.send(QUEUES.sunHours, job);
  if (!id) throw new Error('the queue did not accept the sun-hours job');
  return id;
}

/**
 * Runs one sun-hours job: computes into a folder of its own beside `outDir`, which replaces `outDir` only if the
 * job is still active at the end; cancelled, it stops at its next strip and leaves `outDir` as it was.
 */
export async function runSunHoursJob(
  ctx: WorkerContext,
  id: string,
  job: SunHoursJob,
): Promise<{ sentence: string; files: string[] }> {
  const watch = watchJob(ctx, QUEUES.sunHours, id);
  const tmp = `${job.outDir}.tmp-${id}`;
  try {
    let strips = 0;
    const options = {
      signal: watch.signal,
      onProgress: (done: number, total: number) => {
        strips = total;
        watch.report({ phase: 'compute', done, total, unit: 'strips' });
      },
    };
    const r =
      job.scenarioId === null
        ? await sunHoursToDir(ctx.db, job.request, tmp, options)
        : await sunHoursScenarioToDir(ctx.db, job.request, job.scenarioId, tmp, options);
    if (!(await watch.stillActive())) throw new JobCancelledError(id);
    await rm(job.outDir, { recursive: true, force: true });
    await rename(tmp, job.outDir);
    watch.report({ phase: 'done', done: strips, total: strips, unit: 'strips' }, true);
    const sentence = 'report' in r ? r.report.sentence : r.comparison.sentence;
    ctx.log?.(`sun hours for "${job.dataset}" (job ${id}) → ${job.outDir}`);
    return { sentence, files: Object.values(r.files).map((f) => join(job.outDir, basename(f))) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await watch.stop();
  }
}

const outputOf = (s: ImportSummary, tileJob: string | null): ImportJobOutput => ({
  ...s,
  rejected: s.rejected.length,
  tileJob,
});

interface TileJob {
  dataset: string;
  areaId?: string;
}
interface CellJob {
  runId: string;
  dataset: string;
  areaId?: string;
  cell: number;
  z: number;
  x: number;
  y: number;
  ids: string[];
}
interface FinishJob {
  runId: string;
  dataset: string;
  areaId?: string;
}

export interface WorkerContext {
  db: Db;
  boss: PgBoss;
  tiles: TileStoreConfig;
  /** Identifies this worker in the record of who built which cell. */
  worker?: string;
  /** The queue's schema (default PLACETWIN_JOBS_SCHEMA, or `pgboss`). */
  schema?: string;
  log?: (msg: string) => void;
}

/** Buildings read at a time while planning a run. */
const PLAN_PAGE = 20_000;

/** Plans a run: the quadtree over the dataset, then one cell job per content cell. */
export async function planRun(
  ctx: WorkerContext,
  runId: string,
  { dataset, areaId }: TileJob,
): Promise<number> {
  // Page by page, keeping only ids and centres: a million buildings with their geometry held at once took the
  // planning worker to 2.2 GB (the goal is 1.5 GB per process).
  const planner = new TilePlanner();
  let count = 0;
  for (let afterId: string | undefined; ; ) {
    const page = await buildingsForTiling(ctx.db, dataset, { afterId, limit: PLAN_PAGE });
    for (const b of page) if (planner.add(b)) count++;
    if (page.length < PLAN_PAGE) break;
    afterId = page[page.length - 1].id;
  }
  const plan = planner.finish();
  // The cells' ids travel in their jobs; the run keeps the rest of the plan.
  const stored: TilePlan = { ...plan, leaves: plan.leaves.map((l) => ({ ...l, ids: [] })) };
  await createTileRun(ctx.db, { id: runId, dataset, plan: stored, cellsTotal: plan.leaves.length });
  const jobs = plan.leaves.map((l, cell) => ({
    id: derivedJobId(runId, 'cell', cell),
    name: QUEUES.cell,
    data: { runId, dataset, areaId, cell, z: l.z, x: l.x, y: l.y, ids: l.ids } satisfies CellJob,
  }));
  for (let i = 0; i < jobs.length; i += 500) await ctx.boss.insert(jobs.slice(i, i + 500));
  ctx.log?.(`planned "${dataset}": ${count} buildings in ${jobs.length} cells (run ${runId})`);
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
    const finish: FinishJob = { runId: job.runId, dataset: job.dataset, areaId: job.areaId };
    await ctx.boss.send(QUEUES.finish, finish, {
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
  await ctx.boss.work<ImportJob>(
    QUEUES.import,
    work,
    failOnceOnBadInput(ctx, QUEUES.import, (job) => runImportJob(ctx, job.id, job.data)),
  );
  await ctx.boss.work<SunHoursJob>(
    QUEUES.sunHours,
    work,
    failOnceOnBadInput(ctx, QUEUES.sunHours, (job) => runSunHoursJob(ctx, job.id, job.data)),
  );
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

/** The kinds of job, by queue. */
const KINDS: Record<string, JobRow['kind']> = {
  [QUEUES.import]: 'import',
  [QUEUES.importApi]: 'import',
  [QUEUES.sunHours]: 'sun-hours',
  [QUEUES.sunHoursApi]: 'sun-hours',
  [QUEUES.tile]: 'tile',
  [QUEUES.cell]: 'tile-cell',
  [QUEUES.finish]: 'tile-finish',
};

/** One row of `placetwin jobs list` and GET /api/jobs. */
export interface JobRow {
  id: string;
  kind: 'import' | 'sun-hours' | 'tile' | 'tile-cell' | 'tile-finish';
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  /** The area the job works for: only its staff see it, cancel it or retry it. */
  areaId: string;
  dataset: string | null;
  /** For an import job: the file it reads. */
  file: string | null;
  retries: number;
  retryLimit: number;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  /** Why it failed (its last attempt's error message), for a job retrying or failed. */
  error: string | null;
  /**
   * How far it has got: an import's features parsed or written; a tile job's run, cells built / in all (with
   * the run's state).
   */
  progress?: {
    phase: string;
    done: number;
    total: number | null;
    unit: string;
    runState?: TileRun['state'];
  };
}

const ID = /^[a-z_][a-z0-9_]{0,62}$/;
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ListJobsOptions {
  schema?: string;
  limit?: number;
  /** Every cell and finish job of a run too (by default only those retrying or failed). */
  cells?: boolean;
  /** Only this area's jobs (the API and the staff page always give one; the CLI may show every area's). */
  areaId?: string;
  /** One job by id. */
  id?: string;
}

/** The queue's table, or null when it was never installed (the embedded database, or no job sent yet). */
async function queueTable(db: Db, schema: string): Promise<string | null> {
  if (!ID.test(schema)) throw new Error(`bad jobs schema ${schema}`);
  const installed = await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    `${schema}.job`,
  ]);
  return installed.rows[0]?.t ? `${schema}.job` : null;
}

/**
 * The latest jobs, newest first, read from the queue's tables through the app's own connection (no queue
 * connection needed, so the API can show them): import and tile jobs with their progress; with `cells`, the
 * cell and finish jobs too (by default only those retrying or failed). A job's area is the one its data names
 * (tile jobs queued before jobs carried one: their dataset's). Empty when the queue was never installed.
 */
export async function listJobs(db: Db, options: ListJobsOptions = {}): Promise<JobRow[]> {
  const table = await queueTable(db, options.schema ?? jobsSchema());
  if (!table) return [];
  if (options.id !== undefined && !JOB_ID.test(options.id)) return [];
  const ts = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
  const r = await db.query<Omit<JobRow, 'kind' | 'progress'> & { name: string }>(
    `SELECT x.id, x.name, x.state, x.dataset, x.file, x."areaId", x.retries, x."retryLimit", x."createdAt",
            x."startedAt", x."completedAt", x.error FROM (
       SELECT j.id::text, j.name, j.state::text, j.data->>'dataset' AS dataset, j.data->>'file' AS file,
              COALESCE(j.data->>'areaId', (SELECT d.area_id FROM datasets d WHERE d.name = j.data->>'dataset'),
                $6) AS "areaId",
              j.retry_count AS retries, j.retry_limit AS "retryLimit", ${ts('j.created_on')} AS "createdAt",
              ${ts('j.started_on')} AS "startedAt", ${ts('j.completed_on')} AS "completedAt",
              CASE WHEN j.state IN ('retry', 'failed')
                THEN COALESCE(j.output->>'message', j.output->'value'->>'message') END AS error,
              j.created_on
         FROM ${table} j
        WHERE (j.name IN ($1, $2, $10, $11, $12) OR (j.name IN ($3, $4) AND ($5 OR j.state IN ('retry', 'failed'))))
          AND ($8::uuid IS NULL OR j.id = $8::uuid)
     ) x
     WHERE $7::text IS NULL OR x."areaId" = $7
     ORDER BY x.created_on DESC, x.id LIMIT $9`,
    [
      QUEUES.import,
      QUEUES.tile,
      QUEUES.cell,
      QUEUES.finish,
      options.cells ?? options.id !== undefined,
      DEFAULT_AREA,
      options.areaId ?? null,
      options.id?.toLowerCase() ?? null,
      options.limit ?? 50,
      QUEUES.sunHours,
      QUEUES.sunHoursApi,
      QUEUES.importApi,
    ],
  );
  const runs = new Map((await listTileRuns(db, 500)).map((run) => [run.id, run]));
  const progress = await jobProgress(
    db,
    r.rows.filter((j) => PROGRESS_QUEUES.has(j.name)).map((j) => j.id),
  );
  return r.rows.map(({ name, ...j }) => {
    const run = runs.get(j.id);
    const p = progress.get(j.id);
    return {
      ...j,
      kind: KINDS[name],
      ...(run
        ? {
            progress: {
              phase: 'cells',
              done: run.cellsDone,
              total: run.cellsTotal,
              unit: 'cells',
              runState: run.state,
            },
          }
        : p
          ? { progress: { phase: p.phase, done: p.done, total: p.total, unit: p.unit } }
          : {}),
    };
  });
}

/** Queues whose jobs write their progress to job_progress (tile runs count their cells). */
const PROGRESS_QUEUES = new Set<string>([
  QUEUES.import,
  QUEUES.importApi,
  QUEUES.sunHours,
  QUEUES.sunHoursApi,
]);

/** One job (of this area, when given), or null: another area's job is as missing as one that never was. */
export async function getJob(
  db: Db,
  id: string,
  options: Pick<ListJobsOptions, 'schema' | 'areaId'> = {},
): Promise<JobRow | null> {
  return (await listJobs(db, { ...options, id, limit: 1 }))[0] ?? null;
}

const ENDED = new Set<JobRow['state']>(['completed', 'cancelled', 'failed']);

/** The job, or a DataError naming the id (another area's job is not found either). */
async function jobOrError(db: Db, id: string, schema: string, areaId?: string): Promise<JobRow> {
  if (!JOB_ID.test(id)) throw new DataError('invalid-job-id', `"${id}" is not a job id`);
  const job = await getJob(db, id, { schema, areaId });
  if (!job) throw new DataError('unknown-job', `no job ${id}`);
  return job;
}

/**
 * Cancels a job that has not ended; cancelling a tile job cancels its run (the cells not yet built, and the
 * finishing job). A running import stops at its next progress report and rolls back. Returns how many jobs were
 * cancelled. A DataError when there is no such job (in `areaId`, when given), or when it has already ended.
 */
export async function cancelJob(
  db: Db,
  boss: PgBoss,
  id: string,
  schema = jobsSchema(),
  areaId?: string,
): Promise<number> {
  const job = await jobOrError(db, id, schema, areaId);
  if (ENDED.has(job.state)) {
    throw new DataError(
      'job-ended',
      `job ${job.id} has already ended (${job.state}): there is nothing to cancel`,
    );
  }
  const found = await db.query<{ name: string; runId: string | null }>(
    `SELECT name, data->>'runId' AS "runId" FROM ${schema}.job WHERE id::text = $1`,
    [job.id],
  );
  const { name, runId: cellRun } = found.rows[0];
  const runId = name === QUEUES.tile ? job.id : cellRun;
  await boss.cancel(name, job.id);
  let n = 1;
  if (runId) {
    await endTileRun(db, runId, 'cancelled');
    const rest = await db.query<{ id: string; name: string }>(
      `SELECT id::text, name FROM ${schema}.job
        WHERE name IN ($1, $2) AND data->>'runId' = $3 AND state IN ('created', 'retry', 'active') AND id::text <> $4`,
      [QUEUES.cell, QUEUES.finish, runId, job.id],
    );
    for (const queue of [QUEUES.cell, QUEUES.finish]) {
      const ids = rest.rows.filter((r) => r.name === queue).map((r) => r.id);
      if (ids.length > 0) await boss.cancel(queue, ids);
      n += ids.length;
    }
  }
  return n;
}

/**
 * Runs a failed or cancelled job again: a failed one gets one more attempt (pg-boss `retry`), a cancelled one is
 * queued again (`resume`). A tile job whose run was planned cannot be: its cells are jobs of their own (tile
 * the dataset again). A DataError when there is no such job (in `areaId`), or it cannot be run again.
 */
export async function retryJob(
  db: Db,
  boss: PgBoss,
  id: string,
  schema = jobsSchema(),
  areaId?: string,
): Promise<JobRow['state']> {
  const job = await jobOrError(db, id, schema, areaId);
  if (job.state !== 'failed' && job.state !== 'cancelled') {
    throw new DataError(
      'job-not-retryable',
      `job ${job.id} is ${job.state}: only a failed or cancelled job can be run again`,
    );
  }
  if (job.kind === 'tile-cell' || job.kind === 'tile-finish') {
    throw new DataError(
      'job-not-retryable',
      `job ${job.id} is one cell of a tiling run: tile the dataset again`,
    );
  }
  if (job.kind === 'tile' && (await getTileRun(db, job.id))) {
    throw new DataError(
      'job-not-retryable',
      `job ${job.id} planned a tiling run that ended ${job.progress?.runState ?? job.state}: tile the dataset again (\`placetwin tile --queue\`)`,
    );
  }
  const found = await db.query<{ name: string }>(`SELECT name FROM ${schema}.job WHERE id::text = $1`, [
    job.id,
  ]);
  const name = found.rows[0].name;
  if (job.state === 'failed') await boss.retry(name, job.id);
  else await boss.resume(name, job.id);
  return (await getJob(db, job.id, { schema }))?.state ?? job.state;
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

/**
 * Sun-hours jobs: jobs on the PostgreSQL-backed queue (pg-boss, `placetwin-sun-hours-api`), worked by the API
 * server itself in a worker thread, and the results stored by the hash of their inputs (memory, then
 * `<dataDir>/sun-hours/<id>/`), so a repeated request is answered at once, even after a restart. A job's id is
 * the first 32 hex digits of that hash (its queue job is the same 128 bits as a UUID): the same inputs are always
 * the same job. One code path on both databases: on a PostgreSQL server the queue lives in its schema
 * (PLACETWIN_JOBS_SCHEMA) beside the other jobs; with the embedded PGlite, in the same file, over its one
 * connection. Staff see the jobs, with their progress, in `GET /api/jobs` and cancel them there; bad input fails
 * once, anything else is retried. Several API processes share the queue; they must then share `dataDir` too.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  computeSunHours,
  failOnceOnBadInput,
  JobCancelledError,
  loadScenarioSunHoursJobs,
  loadSunHoursJob,
  planSunHours,
  QUEUES,
  type SunHoursImage,
  type SunHoursJobInput,
  type SunHoursReport,
  type SunHoursRequest,
  sunHoursPng,
  sunHoursReport,
  watchJob,
} from '@placetwin/cli';
import { type Db, jobProgress, recordArea } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import type { SunHoursGrid } from '@placetwin/solar';
import { LRUCache } from 'lru-cache';
import { HttpProblem } from '../../plugins/app/problems';
import type { Queue, ServerQueue } from '../../server-queue';

type PgBoss = Queue;

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobView {
  id: string;
  status: JobStatus;
  /** 0–1: strips of the area computed. */
  progress: number;
  /** Jobs ahead of this one in the queue. */
  queuedAhead: number;
  /** Why it failed: a problem `type` slug and a sentence. */
  error: { type: string; detail: string } | null;
}

/** What a queued sun-hours job carries: enough to load its inputs again, and their hash to check them by. */
export interface ApiSunHoursJob {
  /** The result's id: the first 32 hex digits of its inputs' hash. */
  resultId: string;
  dataset: string;
  /** The dataset's area: its staff see and cancel the job. */
  areaId: string;
  /** The request as planned (its date resolved). */
  request: SunHoursRequest;
  /** With a scenario: the grid after it is applied (the baseline is a plain job). */
  scenarioId: number | null;
}

export interface SunHoursJobsOptions {
  /** Where results are kept (`<dataDir>/sun-hours`). */
  dir: string;
  /** The app's queue (in its database). */
  queue: ServerQueue;
  /** Jobs waiting, at most; beyond that a request is refused with 503 (default 16). */
  maxQueued?: number;
  /** Grids kept in memory, bytes (default 256 MB). */
  memoryBytes?: number;
}

const ID = /^[0-9a-f]{32}$/;
const QUEUE = QUEUES.sunHoursApi;
/** How often a request waiting for its job looks again. */
const POLL_MS = 100;

/** The queue job of a result: the same 128 bits, as a UUID. */
export const queueJobId = (id: string): string =>
  `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;

/** A failed job's output: pg-boss keeps the error thrown, serialised. */
interface FailedOutput {
  name?: string;
  type?: string;
  reason?: string;
  message?: string;
}

export class SunHoursJobs {
  private readonly grids: LRUCache<string, { report: SunHoursReport; grid: SunHoursGrid }>;
  private readonly images = new LRUCache<string, SunHoursImage>({ max: 64 });
  private readonly maxQueued: number;
  private readonly schema: string;
  private readonly db: Db;
  private workerId: string | null = null;
  private readonly running = new Set<AbortController>();
  private closed = false;

  constructor(private readonly options: SunHoursJobsOptions) {
    this.maxQueued = options.maxQueued ?? 16;
    this.schema = options.queue.schema;
    this.db = options.queue.db;
    // One job at a time per process: the machine's other core serves requests.
    options.queue.onStart(async (boss) => {
      this.workerId = await boss.work<ApiSunHoursJob>(
        QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 0.5 },
        failOnceOnBadInput({ db: this.db, schema: this.schema }, QUEUE, (job) => this.run(boss, job)),
      );
    });
    this.grids = new LRUCache({
      maxSize: options.memoryBytes ?? 256 * 2 ** 20,
      sizeCalculation: (v) => v.grid.hours.byteLength + v.grid.cellKind.byteLength + 4096,
    });
  }

  /** Opens the queue (installing it on first use); this process works it unless told not to (see `ServerQueue`). */
  start(): Promise<PgBoss> {
    return this.options.queue.start();
  }

  /**
   * The job for these inputs: already done (stored), already under way, or newly queued. `scenarioId`: the
   * inputs are a scenario's grid after (its worker loads them the same way).
   */
  async submit(input: SunHoursJobInput, scenarioId: number | null = null): Promise<JobView> {
    if (await this.stored(input.id)) return this.doneView(input.id);
    const boss = await this.start();
    const known = await this.row(input.id);
    if (known && known.state !== 'failed' && known.state !== 'cancelled' && known.state !== 'completed')
      return this.view(known);
    // Failed, cancelled, or done but its result lost (another process's data folder): queued again.
    if (known) await boss.deleteJob(QUEUE, known.id);
    const waiting = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.schema}.job WHERE name = $1 AND state IN ('created', 'retry')`,
      [QUEUE],
    );
    if ((waiting.rows[0]?.n ?? 0) >= this.maxQueued)
      throw new HttpProblem(
        503,
        'busy',
        `${waiting.rows[0].n} sun-hours jobs are waiting; try again in a minute`,
        { 'retry-after': '60' },
      );
    const { plan } = input;
    const data: ApiSunHoursJob = {
      resultId: input.id,
      dataset: plan.dataset,
      areaId: (await recordArea(this.db, 'dataset', plan.dataset)) ?? 'default',
      request: {
        dataset: plan.dataset,
        area: plan.area,
        date: plan.date,
        cellSizeM: plan.cellSizeM,
        stepMinutes: plan.stepMinutes,
        areaName: plan.areaName,
      },
      scenarioId,
    };
    // The same inputs asked for twice at once: one job (the second send finds the id taken).
    await boss.send(QUEUE, data, { id: queueJobId(input.id) });
    if (this.workerId) boss.notifyWorker(this.workerId);
    const row = await this.row(input.id);
    return row ? this.view(row) : this.doneView(input.id);
  }

  /** Resolves when the job has finished, or after `ms`, whichever comes first; true when it has finished. */
  async wait(id: string, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    for (;;) {
      const view = await this.get(id);
      if (!view || view.status === 'done' || view.status === 'failed') return view !== null;
      const left = until - Date.now();
      if (left <= 0) return false;
      await new Promise((r) => setTimeout(r, Math.min(POLL_MS, left)));
    }
  }

  /** The job's state, or null for an id never seen (and not stored). */
  async get(id: string): Promise<JobView | null> {
    if (!ID.test(id)) return null;
    if (await this.stored(id)) return this.doneView(id);
    const row = await this.row(id);
    return row ? this.view(row) : null;
  }

  /** The dataset a job analyses (its result belongs to that dataset's area), or null for an unknown id. */
  async dataset(id: string): Promise<string | null> {
    if (!ID.test(id)) return null;
    const stored = await this.stored(id);
    if (stored) return stored.report.dataset;
    return (await this.row(id))?.data.dataset ?? null;
  }

  /** The error a failed job ended with: a DataError for bad data (as the worker threw it), else an Error. */
  async failure(id: string): Promise<Error> {
    const row = ID.test(id) ? await this.row(id) : null;
    const out = (row?.output ?? {}) as FailedOutput;
    if (row?.state === 'cancelled') return new DataError('cancelled', `sun-hours job ${id} was cancelled`);
    if (out.name === 'DataError' && out.type)
      return new DataError(out.type, out.reason ?? out.message ?? 'bad input');
    return new Error(`sun-hours job ${id} failed: ${out.message ?? 'see the server log'}`);
  }

  /** A finished job's report and grid, or null. */
  async result(id: string): Promise<{ report: SunHoursReport; grid: SunHoursGrid } | null> {
    return ID.test(id) ? this.stored(id) : null;
  }

  /** A finished job's PNG (BNG, or WGS84 for draping), made once and kept. */
  async image(id: string, crs: 'EPSG:27700' | 'EPSG:4326'): Promise<SunHoursImage | null> {
    const key = `${id}/${crs}`;
    const cached = this.images.get(key);
    if (cached) return cached;
    const r = await this.result(id);
    if (!r) return null;
    const image = await sunHoursPng(r.grid, crs);
    this.images.set(key, image);
    return image;
  }

  /**
   * Server shutdown: stops taking jobs and stops the one in hand (it fails this attempt and is retried, by this
   * server when it is back or by another).
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const abort of this.running) abort.abort(new Error('the server is shutting down'));
    await this.options.queue.stop();
  }

  /** The queue's row for a result id (or none). */
  private async row(id: string): Promise<{
    id: string;
    state: string;
    data: ApiSunHoursJob;
    output: unknown;
    createdOn: Date;
  } | null> {
    const installed = await this.db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
      `${this.schema}.job`,
    ]);
    if (!installed.rows[0]?.t) return null;
    const r = await this.db.query<{
      id: string;
      state: string;
      data: ApiSunHoursJob;
      output: unknown;
      createdOn: Date;
    }>(
      `SELECT id::text, state::text, data, output, created_on AS "createdOn"
         FROM ${this.schema}.job WHERE name = $1 AND id = $2::uuid`,
      [QUEUE, queueJobId(id)],
    );
    return r.rows[0] ?? null;
  }

  private async view(row: {
    id: string;
    state: string;
    data: ApiSunHoursJob;
    output: unknown;
  }): Promise<JobView> {
    const id = row.data.resultId;
    if (row.state === 'failed' || row.state === 'cancelled') {
      const e = await this.failure(id);
      const type = e instanceof DataError ? e.type : 'internal';
      const detail = e instanceof DataError ? e.message : 'the computation failed; see the server log';
      return { id, status: 'failed', progress: 0, queuedAhead: 0, error: { type, detail } };
    }
    if (row.state === 'completed') return this.doneView(id);
    const p = (await jobProgress(this.db, [row.id])).get(row.id);
    const progress = p?.total ? Math.min(1, p.done / p.total) : 0;
    let queuedAhead = 0;
    if (row.state === 'created' || row.state === 'retry') {
      const ahead = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${this.schema}.job o, ${this.schema}.job me
          WHERE me.name = $1 AND me.id = $2::uuid AND o.name = $1 AND o.state IN ('created', 'retry')
            AND (o.created_on, o.id) < (me.created_on, me.id)`,
        [QUEUE, row.id],
      );
      queuedAhead = ahead.rows[0]?.n ?? 0;
    }
    return {
      id,
      status: row.state === 'active' ? 'running' : 'queued',
      progress,
      queuedAhead,
      error: null,
    };
  }

  private doneView(id: string): JobView {
    return { id, status: 'done', progress: 1, queuedAhead: 0, error: null };
  }

  /**
   * Works one job: loads its inputs again (checking they still hash to its id: the buildings or the scenario may
   * have changed since), computes in a worker thread reporting strips done, stores the result. A cancel stops it
   * at its next strip.
   */
  private async run(
    boss: PgBoss,
    job: { id: string; data: ApiSunHoursJob },
  ): Promise<{ resultId: string; sentence: string }> {
    const d = job.data;
    if (await this.stored(d.resultId)) return { resultId: d.resultId, sentence: 'already computed' };
    const db = this.db;
    const plan = planSunHours(d.request);
    const input =
      d.scenarioId === null
        ? await loadSunHoursJob(db, plan)
        : (await loadScenarioSunHoursJobs(db, plan, d.scenarioId)).after;
    if (input.id !== d.resultId)
      throw new DataError(
        'inputs-changed',
        `the buildings${d.scenarioId === null ? '' : ' or the scenario'} changed since this job was queued: ask again`,
      );
    const watch = watchJob({ db, boss }, QUEUE, job.id);
    const abort = new AbortController();
    const stop = () => abort.abort(watch.signal.reason);
    watch.signal.addEventListener('abort', stop);
    this.running.add(abort);
    if (this.closed) abort.abort(new Error('the server is shutting down'));
    try {
      let strips = 0;
      const grid = await computeSunHours(input.input, {
        signal: abort.signal,
        onProgress: (done, total) => {
          strips = total;
          watch.report({ phase: 'compute', done, total, unit: 'strips' });
        },
      });
      if (!(await watch.stillActive())) throw new JobCancelledError(job.id);
      const report = sunHoursReport(input, grid);
      await this.store(report, grid);
      watch.report({ phase: 'done', done: strips, total: strips, unit: 'strips' }, true);
      return { resultId: d.resultId, sentence: report.sentence };
    } finally {
      watch.signal.removeEventListener('abort', stop);
      this.running.delete(abort);
      await watch.stop();
    }
  }

  private dirOf(id: string): string {
    return join(this.options.dir, id);
  }

  /** Memory, then disk; null when this result was never computed (or was lost). */
  private async stored(id: string): Promise<{ report: SunHoursReport; grid: SunHoursGrid } | null> {
    const hit = this.grids.get(id);
    if (hit) return hit;
    const dir = this.dirOf(id);
    try {
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as SunHoursReport;
      const hours = await readFile(join(dir, 'hours.f32'));
      const kind = await readFile(join(dir, 'kind.u8'));
      const grid: SunHoursGrid = {
        ...report.grid,
        date: report.date,
        hours: new Float32Array(hours.buffer.slice(hours.byteOffset, hours.byteOffset + hours.byteLength)),
        cellKind: new Uint8Array(kind),
        sunrise: report.sunrise ? new Date(report.sunrise) : null,
        sunset: report.sunset ? new Date(report.sunset) : null,
        steps: report.steps,
        summary: {
          areaM2: report.summary.areaM2,
          shareAtLeast2h: report.summary.shareAtLeast2h,
          meanHours: report.summary.meanHours,
          daylightHours: report.summary.daylightHours,
        },
      };
      if (grid.hours.length !== grid.cols * grid.rows || grid.cellKind.length !== grid.hours.length)
        return null;
      const value = { report, grid };
      this.grids.set(id, value);
      return value;
    } catch {
      return null;
    }
  }

  /** Keeps a result in memory and on disk (written to a temporary folder, then renamed: whole or absent). */
  private async store(report: SunHoursReport, grid: SunHoursGrid): Promise<void> {
    try {
      await this.storeOnDisk(report, grid);
    } finally {
      // Then in memory: a request that sees the result done finds its files too.
      this.grids.set(report.id, { report, grid });
    }
  }

  private async storeOnDisk(report: SunHoursReport, grid: SunHoursGrid): Promise<void> {
    const dir = this.dirOf(report.id);
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    try {
      await mkdir(tmp, { recursive: true });
      await writeFile(
        join(tmp, 'hours.f32'),
        new Uint8Array(grid.hours.buffer, grid.hours.byteOffset, grid.hours.byteLength),
      );
      await writeFile(join(tmp, 'kind.u8'), grid.cellKind);
      await writeFile(join(tmp, 'report.json'), JSON.stringify(report));
      await rm(dir, { recursive: true, force: true });
      await rename(tmp, dir);
    } catch {
      // A full or read-only disk loses the cache, not the answer: the result is in memory.
      await rm(tmp, { recursive: true, force: true });
    }
  }
}

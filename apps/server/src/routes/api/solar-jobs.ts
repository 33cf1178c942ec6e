/**
 * Sun-hours jobs: a small in-process queue in front of the worker threads, and the results stored by the hash of
 * their inputs (memory, then `<dataDir>/sun-hours/<id>/`), so a repeated request is answered at once, even after a
 * restart. A job's id is the first 32 hex digits of that hash: the same inputs are always the same job.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  computeSunHours,
  type SunHoursImage,
  type SunHoursJobInput,
  type SunHoursReport,
  sunHoursPng,
  sunHoursReport,
} from '@placetwin/cli';
import { isDataError } from '@placetwin/geo';
import type { SunHoursGrid } from '@placetwin/solar';
import { LRUCache } from 'lru-cache';
import { HttpProblem } from '../../plugins/app/problems';

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

interface Job {
  id: string;
  status: JobStatus;
  progress: number;
  error: { type: string; detail: string; status: number; cause: unknown } | null;
  input: SunHoursJobInput;
  finished: Promise<void>;
  settle: () => void;
  abort: AbortController;
}

export interface SunHoursJobsOptions {
  /** Where results are kept (`<dataDir>/sun-hours`). */
  dir: string;
  /** Jobs computed at once (default 1: the machine's other core serves requests). */
  concurrency?: number;
  /** Jobs waiting, at most; beyond that a request is refused with 503 (default 16). */
  maxQueued?: number;
  /** Grids kept in memory, bytes (default 256 MB). */
  memoryBytes?: number;
}

const ID = /^[0-9a-f]{32}$/;
const MAX_REMEMBERED_FAILURES = 256;

export class SunHoursJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  private closed = false;
  private readonly grids: LRUCache<string, { report: SunHoursReport; grid: SunHoursGrid }>;
  private readonly images = new LRUCache<string, SunHoursImage>({ max: 64 });
  private readonly concurrency: number;
  private readonly maxQueued: number;

  constructor(private readonly options: SunHoursJobsOptions) {
    this.concurrency = options.concurrency ?? 1;
    this.maxQueued = options.maxQueued ?? 16;
    this.grids = new LRUCache({
      maxSize: options.memoryBytes ?? 256 * 2 ** 20,
      sizeCalculation: (v) => v.grid.hours.byteLength + v.grid.cellKind.byteLength + 4096,
    });
  }

  /** The job for these inputs: already done (stored), already under way, or newly queued. */
  async submit(input: SunHoursJobInput): Promise<JobView> {
    const known = this.jobs.get(input.id);
    if (known && known.status !== 'failed') return this.view(known);
    if (await this.stored(input.id)) return this.doneView(input.id);
    if (this.queue.length >= this.maxQueued)
      throw new HttpProblem(
        503,
        'busy',
        `${this.queue.length} sun-hours jobs are waiting; try again in a minute`,
        {
          'retry-after': '60',
        },
      );
    let settle: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const job: Job = {
      id: input.id,
      status: 'queued',
      progress: 0,
      error: null,
      input,
      finished,
      settle,
      abort: new AbortController(),
    };
    this.jobs.set(job.id, job);
    this.queue.push(job);
    this.drain();
    return this.view(job);
  }

  /** Resolves when the job has finished, or after `ms`, whichever comes first; true when it has finished. */
  async wait(id: string, ms: number): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job) return (await this.stored(id)) !== null;
    if (job.status === 'done' || job.status === 'failed') return true;
    if (ms <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const finished = await Promise.race([job.finished.then(() => true as const), timeout]);
    clearTimeout(timer);
    return finished;
  }

  /** The job's state, or null for an id never seen (and not stored). */
  async get(id: string): Promise<JobView | null> {
    if (!ID.test(id)) return null;
    const job = this.jobs.get(id);
    if (job) return this.view(job);
    return (await this.stored(id)) ? this.doneView(id) : null;
  }

  /** The dataset a job analyses (its result belongs to that dataset's area), or null for an unknown id. */
  async dataset(id: string): Promise<string | null> {
    if (!ID.test(id)) return null;
    const job = this.jobs.get(id);
    if (job) return job.input.plan.dataset;
    return (await this.stored(id))?.report.dataset ?? null;
  }

  /** The error a failed job ended with, as thrown (a DataError for bad data), or null. */
  failure(id: string): unknown {
    return this.jobs.get(id)?.error?.cause ?? null;
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

  /** Stops running jobs and drops queued ones (server shutdown). */
  close(): void {
    this.closed = true;
    for (const job of this.jobs.values()) job.abort.abort(new Error('the server is shutting down'));
    this.queue.length = 0;
  }

  private view(job: Job): JobView {
    const ahead = this.queue.indexOf(job);
    return {
      id: job.id,
      status: job.status,
      progress: job.status === 'done' ? 1 : job.progress,
      queuedAhead: Math.max(0, ahead),
      error: job.error ? { type: job.error.type, detail: job.error.detail } : null,
    };
  }

  private doneView(id: string): JobView {
    return { id, status: 'done', progress: 1, queuedAhead: 0, error: null };
  }

  /** Starts queued jobs while there is room. */
  private drain(): void {
    while (!this.closed && this.running < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        job.settle();
        this.drain();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    job.status = 'running';
    try {
      const grid = await computeSunHours(job.input.input, {
        signal: job.abort.signal,
        onProgress: (d, t) => {
          job.progress = d / t;
        },
      });
      const report = sunHoursReport(job.input, grid);
      await this.store(report, grid);
      job.status = 'done';
      job.progress = 1;
      // From now on the stored result answers for it.
      this.jobs.delete(job.id);
    } catch (e) {
      job.status = 'failed';
      job.error = isDataError(e)
        ? { type: e.type, detail: e.message, status: 422, cause: e }
        : { type: 'internal', detail: 'the computation failed; see the server log', status: 500, cause: e };
      // Failed jobs are kept to be asked about, but not without end.
      if (this.jobs.size > MAX_REMEMBERED_FAILURES)
        for (const [id, j] of this.jobs)
          if (j.status === 'failed' && j !== job) {
            this.jobs.delete(id);
            break;
          }
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
    this.grids.set(report.id, { report, grid });
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

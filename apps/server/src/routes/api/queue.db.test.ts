import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile, loadOstn15, RETRY_LIMIT } from '@placetwin/cli';
import { type Db, openTestDb, recordArea } from '@placetwin/db';
import { transformer } from '@placetwin/geo';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sampleDataDir } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { staffHeaders } from '../../testing/staff-session';
import { queueJobId } from './solar-jobs';

// The API's own jobs on the queue (pg-boss), on both databases: sun-hours analyses and uploaded imports. A
// "queuer" app (workJobs: false) only queues, so that jobs can be cancelled, or their inputs changed, before
// anyone works them; then a "worker" app on the same database and data folder works them, as a second API
// process would.

const COURTYARD = join(repoRoot, 'test/fixtures/courtyard-bng.geojson');
const X0 = 486500;
const Y0 = 310500;
const toWgs = transformer('EPSG:27700', 'EPSG:4326');
const area = {
  type: 'Polygon',
  coordinates: [
    [
      [X0 - 10, Y0 - 40],
      [X0 + 52, Y0 - 40],
      [X0 + 52, Y0 + 52],
      [X0 - 10, Y0 + 52],
      [X0 - 10, Y0 - 40],
    ].map(([e, n]) => toWgs(e, n)),
  ],
};

let db: Db;
let drop: () => Promise<void>;
let root: string;
let queuer: FastifyInstance;
let worker: FastifyInstance | null = null;
const jobsSchema = `test_aq_${randomBytes(6).toString('hex')}`;
let planner: Record<string, string>;

const appOn = (workJobs: boolean) =>
  buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    jobsSchema,
    workJobs,
    auth: { passwordHashing: { logN: 10 } },
  });

interface Job {
  id: string;
  kind: string;
  state: string;
  dataset: string | null;
  retries: number;
  retryLimit: number;
  error: string | null;
  progress?: { phase: string; done: number; total: number | null; unit: string };
}

const jobs = async (app: FastifyInstance): Promise<Job[]> =>
  (await app.inject({ url: '/api/jobs', headers: planner })).json().jobs;

/** Waits for a job to reach one of `states` (worked by the worker app). */
async function until(id: string, states: string[]): Promise<Job> {
  for (let i = 0; i < 1200; i++) {
    const job = (await jobs(worker ?? queuer)).find((j) => j.id === id);
    if (job && states.includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not reach ${states.join('/')}`);
}

const sunHours = (app: FastifyInstance, body: Record<string, unknown>, prefer: string) =>
  app.inject({
    method: 'POST',
    url: '/api/solar/sun-hours',
    payload: { dataset: 'courtyard', area, stepMinutes: 20, cellSizeM: 2, ...body },
    headers: { prefer },
  });

const upload = (app: FastifyInstance, fileName: string, body: Buffer | string, headers = planner) =>
  app.inject({
    method: 'POST',
    url: `/api/imports?fileName=${encodeURIComponent(fileName)}`,
    payload: body,
    headers: { ...headers, 'content-type': 'application/geo+json' },
  });

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-api-queue-'));
  await loadOstn15(sampleDataDir);
  await importFile(db, COURTYARD, { dataset: 'courtyard' });
  await importFile(db, COURTYARD, { dataset: 'yard' });
  queuer = appOn(false);
  planner = await staffHeaders(queuer, db, 'planner');
});

afterAll(async () => {
  await queuer?.close();
  await worker?.close();
  await db?.query(`DROP SCHEMA IF EXISTS ${jobsSchema} CASCADE`);
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the API’s jobs on the queue', () => {
  let cancelled: string;
  let changed: string;
  let gone: string;

  it('queues a sun-hours analysis as a job that staff see and cancel; its result then says so', async () => {
    const res = await sunHours(queuer, { date: '2025-06-21' }, 'respond-async');
    expect(res.statusCode).toBe(202);
    const view = res.json();
    expect(view).toMatchObject({ status: 'queued', progress: 0, queuedAhead: 0 });
    cancelled = view.id;
    const job = (await jobs(queuer)).find((j) => j.id === queueJobId(view.id));
    expect(job).toMatchObject({ kind: 'sun-hours', state: 'created', dataset: 'courtyard' });

    const cancel = await queuer.inject({
      method: 'POST',
      url: `/api/jobs/${queueJobId(view.id)}/cancel`,
      headers: planner,
    });
    expect(cancel.statusCode).toBe(200);
    const after = (await queuer.inject(`/api/solar/sun-hours/${view.id}`)).json();
    expect(after).toMatchObject({ status: 'failed', error: { type: 'cancelled' } });
  });

  it('queues jobs whose input goes bad before they run: buildings changed, an upload gone', async () => {
    const res = await sunHours(queuer, { dataset: 'yard', date: '2025-06-21' }, 'respond-async');
    expect(res.statusCode).toBe(202);
    changed = res.json().id;
    // A new block in the yard's dataset: the queued job's inputs no longer hash to its id.
    const fc = JSON.parse(await readFile(COURTYARD, 'utf8'));
    fc.features.push({
      type: 'Feature',
      id: 'new-block',
      properties: { building: 'yes', height: 20 },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [X0 + 60, Y0 - 20],
            [X0 + 70, Y0 - 20],
            [X0 + 70, Y0 - 10],
            [X0 + 60, Y0 - 10],
            [X0 + 60, Y0 - 20],
          ],
        ],
      },
    });
    const file = join(root, 'yard.geojson');
    await writeFile(file, JSON.stringify(fc));
    await importFile(db, file, { dataset: 'yard' });

    const up = await upload(queuer, 'gone.geojson', await readFile(COURTYARD));
    expect(up.statusCode).toBe(202);
    gone = up.json().id;
    const queued = (await jobs(queuer)).find((j) => j.id === gone);
    expect(queued).toMatchObject({ kind: 'import', state: 'created', dataset: 'gone' });
    const row = await db.query<{ file: string }>(
      `SELECT data->>'file' AS file FROM ${jobsSchema}.job WHERE id = $1`,
      [gone],
    );
    await rm(row.rows[0].file);
  });

  it('a worker fails bad input once, not retried; a transient error (the upload not there) is retried', async () => {
    worker = appOn(true);
    // A server process works the queue once it listens (an app that is only injected into opens it on its first job).
    await worker.listen({ port: 0, host: '127.0.0.1' });
    const bad = await until(queueJobId(changed), ['failed']);
    expect(bad).toMatchObject({ retries: 0, retryLimit: 0 });
    expect(bad.error).toMatch(/changed since this job was queued/);
    const view = (await worker.inject(`/api/solar/sun-hours/${changed}`)).json();
    expect(view).toMatchObject({ status: 'failed', error: { type: 'inputs-changed' } });

    const transient = await until(gone, ['retry']);
    expect(transient.retryLimit).toBe(RETRY_LIMIT);
    expect(transient.error).toMatch(/cannot read file/);
    const stop = await worker.inject({ method: 'POST', url: `/api/jobs/${gone}/cancel`, headers: planner });
    expect(stop.statusCode).toBe(200);
  });

  it('works a sun-hours job with its progress; asked again (cancelled before), it runs and is served', async () => {
    const w = worker as FastifyInstance;
    const res = await sunHours(w, { date: '2025-06-21' }, 'wait=120');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: cancelled, status: 'done', progress: 1 });
    expect(res.json().result.summary.cells).toBeGreaterThan(0);
    const job = await until(queueJobId(cancelled), ['completed']);
    expect(job.progress).toMatchObject({ phase: 'done', unit: 'strips' });
    expect(job.progress?.done).toBe(job.progress?.total);
    expect(job.progress?.done).toBeGreaterThan(0);
    // The queuer (another process on the same database and data folder) serves the result too.
    const served = await queuer.inject(`/api/solar/sun-hours/${cancelled}.csv`);
    expect(served.statusCode).toBe(200);
    const again = await sunHours(queuer, { date: '2025-06-21' }, 'respond-async');
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('done');
  });

  it('POST /api/imports imports an upload into the caller’s area as a job', async () => {
    const w = worker as FastifyInstance;
    const res = await upload(w, 'Courtyard Copy.geojson', await readFile(COURTYARD));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ dataset: 'courtyard-copy', format: 'geojson' });
    const job = await until(res.json().id, ['completed', 'failed']);
    expect(job.state).toBe('completed');
    expect(job.progress).toMatchObject({ phase: 'done', unit: 'features' });
    expect(await recordArea(db, 'dataset', 'courtyard-copy')).toBe('default');
    const buildings = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM buildings b JOIN datasets d ON d.id = b.dataset_id WHERE d.name = 'courtyard-copy'`,
    );
    expect(buildings.rows[0].n).toBe(4);
  });

  it('refuses an empty file or an unknown format (400) before queueing, and anyone but planners and admins', async () => {
    const w = worker as FastifyInstance;
    const before = (await jobs(w)).length;
    const empty = await upload(w, 'empty.geojson', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().type).toBe(`${PROBLEM_BASE}empty-file`);
    const text = await upload(w, 'notes.txt', 'just some words, not a map');
    expect(text.statusCode).toBe(400);
    expect(text.json().type).toBe(`${PROBLEM_BASE}unsupported-format`);
    expect(text.json().detail).toContain('notes.txt');
    const councillor = await upload(
      w,
      'c.geojson',
      await readFile(COURTYARD),
      await staffHeaders(w, db, 'councillor'),
    );
    expect(councillor.statusCode).toBe(403);
    const pub = await w.inject({ method: 'POST', url: '/api/imports?fileName=a.geojson', payload: 'x' });
    expect(pub.statusCode).toBe(401);
    expect((await jobs(w)).length).toBe(before);
  });

  it('an upload with an invalid feature fails its job once, naming the feature; nothing is written', async () => {
    const w = worker as FastifyInstance;
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 'broken-ring',
          properties: { building: 'yes', height: 5 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [-0.72, 52.67],
                [-0.72, 52.67],
              ],
            ],
          },
        },
      ],
    };
    const res = await upload(w, 'broken.geojson', JSON.stringify(fc));
    expect(res.statusCode).toBe(202);
    const job = await until(res.json().id, ['failed', 'completed', 'retry']);
    expect(job).toMatchObject({ state: 'failed', retries: 0, retryLimit: 0 });
    expect(job.error).toContain('broken-ring');
    expect(await recordArea(db, 'dataset', 'broken')).toBeNull();
  });
});

/**
 * Imports as jobs on the queue: a queued import of Rutland's OSM extract is worked by a worker, reporting its
 * features done as it goes; a running import cancelled through the API (by its own area's planner: another
 * area's gets "not found") stops and writes nothing; an import whose file is gone fails after pg-boss's retries
 * and, the file back, is run again by the API's Retry; `placetwin jobs cancel <unknown id>` names the id and
 * exits non-zero. Jobs need a PostgreSQL server (pg-boss): without DATABASE_URL (the embedded PGlite) the suite
 * is skipped with that reason.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addAreaFromArgs,
  enqueueImport,
  enqueueSunHours,
  getJob,
  importFile,
  type JobRow,
  loadOstn15,
  openQueue,
  parseAreaArgs,
  RETRY_LIMIT,
  startWorker,
  sunHoursToDir,
  tileStoreConfig,
} from '@placetwin/cli';
import { type Db, getDataset, openDb, type Role } from '@placetwin/db';
import { transformer } from '@placetwin/geo';
import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../apps/server/src/app';
import { staffHeaders } from '../apps/server/src/testing/staff-session';
import { urlWithSchema } from './support/api-process';
import { repoRoot, sample, sampleDataDir } from './support/paths';

const databaseUrl = process.env.DATABASE_URL;
const RUTLAND = sample('rutland/rutland-2022-11.osm.pbf');
const DELFT = sample('cityjson/nl-delft-3dbag-2buildings.city.json');
const BOUNDARIES = sample('boundaries/local-authority-districts-2017-uk.geojson');
// The constructed courtyard the sun-hours tests use (four 10 m wings round a 30 m yard at E 486500, N 310500).
const COURTYARD = join(repoRoot, 'test/fixtures/courtyard-bng.geojson');
const toWgs = transformer('EPSG:27700', 'EPSG:4326');
/** A WGS84 polygon from British National Grid corners. */
const bngBox = (e0: number, n0: number, e1: number, n1: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [e0, n0],
      [e1, n0],
      [e1, n1],
      [e0, n1],
      [e0, n0],
    ].map(([e, n]) => toWgs(e, n)),
  ],
});

describe.skipIf(!databaseUrl)(
  'imports on the job queue (skipped without DATABASE_URL: pg-boss needs a PostgreSQL server)',
  () => {
    const schema = `test_jimp_${randomBytes(6).toString('hex')}`;
    const jobsSchemaName = `${schema}_q`;
    let db: Db;
    let boss: PgBoss;
    let app: FastifyInstance;
    let work: string;
    let stopWorker: (() => Promise<void>) | null = null;
    const headers = {} as Record<'default' | 'leeds', Record<string, string>>;

    /** A worker in this process, on its own queue connection (stopping it stops that connection). */
    const worker = async () => {
      if (stopWorker) return;
      const own = await openQueue(urlWithSchema(databaseUrl as string, schema), jobsSchemaName);
      stopWorker = await startWorker(
        { db, boss: own, tiles: tileStoreConfig(join(work, 'tilesets')), schema: jobsSchemaName },
        { pollingIntervalSeconds: 0.5 },
      );
    };
    const job = async (id: string): Promise<JobRow> => {
      const j = await getJob(db, id, { schema: jobsSchemaName });
      if (!j) throw new Error(`job ${id} is not listed`);
      return j;
    };
    /** Polls the job until `done` says so; returns every row seen on the way. */
    const until = async (id: string, done: (j: JobRow) => boolean, timeoutMs = 5 * 60_000) => {
      const seen: JobRow[] = [];
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const j = await job(id);
        seen.push(j);
        if (done(j)) return seen;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`job ${id} did not get there: last ${JSON.stringify(seen.at(-1))}`);
    };
    const signIn = (area: 'default' | 'leeds', role: Role) => staffHeaders(app, db, role, area);

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'placetwin-jobs-import-'));
      db = await openDb({ databaseUrl, schema });
      await loadOstn15(sampleDataDir);
      await addAreaFromArgs(db, parseAreaArgs({ id: 'leeds', lad17cd: 'E08000035' }), BOUNDARIES);
      boss = await openQueue(urlWithSchema(databaseUrl as string, schema), jobsSchemaName);
      app = buildApp({
        db,
        tilesetsDir: join(work, 'tilesets'),
        dataDir: work,
        jobsSchema: jobsSchemaName,
        auth: { passwordHashing: { logN: 10 } },
      });
      headers.default = await signIn('default', 'planner');
      headers.leeds = await signIn('leeds', 'planner');
    }, 120_000);

    afterAll(async () => {
      await stopWorker?.();
      await app?.close();
      await boss?.stop({ graceful: false, wait: true });
      await db?.query(`DROP SCHEMA IF EXISTS ${jobsSchemaName} CASCADE`);
      await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('a queued import is worked by a worker, with its features done reported as it goes', async () => {
      const id = await enqueueImport(db, boss, { file: RUTLAND, dataset: 'rutland-job' });
      expect(await job(id)).toMatchObject({
        kind: 'import',
        state: 'created',
        areaId: 'default',
        dataset: 'rutland-job',
        file: RUTLAND,
      });
      await worker();
      const seen = await until(id, (j) => j.state === 'completed');
      // While it ran, the list showed features parsed or written, short of the end.
      const final = seen.at(-1) as JobRow;
      const features = final.progress?.done ?? 0;
      const during = seen.filter((j) => j.state === 'active' && j.progress && j.progress.phase !== 'done');
      expect(during.length).toBeGreaterThan(0);
      expect(during.some((j) => (j.progress?.done ?? 0) > 0)).toBe(true);
      expect(final.progress).toMatchObject({
        phase: 'done',
        done: features,
        total: features,
        unit: 'features',
      });
      const ds = await getDataset(db, 'rutland-job');
      // Rutland has some thousands of buildings; the job's count is the dataset's.
      expect(ds?.buildingCount).toBeGreaterThan(1000);
      const output = (await boss.getJobById<unknown>('placetwin-import', id))?.output as {
        buildings: number;
      };
      expect(output.buildings).toBe(ds?.buildingCount);
      expect(features).toBeGreaterThanOrEqual(output.buildings);
      // The API lists it to its own area's staff only.
      const own = (await app.inject({ url: '/api/jobs', headers: headers.default })).json();
      expect(own.jobs.map((j: JobRow) => j.id)).toContain(id);
      const other = (await app.inject({ url: '/api/jobs', headers: headers.leeds })).json();
      expect(other.jobs.map((j: JobRow) => j.id)).not.toContain(id);
    }, 600_000);

    it('a running import cancelled through the API stops and writes nothing; another area cannot cancel it', async () => {
      await worker();
      const id = await enqueueImport(db, boss, { file: RUTLAND, dataset: 'rutland-cancelled' });
      await until(id, (j) => j.state === 'active' && (j.progress?.done ?? 0) > 0);
      const cancel = (area: 'default' | 'leeds') =>
        app.inject({ method: 'POST', url: `/api/jobs/${id}/cancel`, headers: headers[area] });
      const theirs = await cancel('leeds');
      expect(theirs.statusCode).toBe(404);
      expect(theirs.json().type).toMatch(/unknown-job$/);
      expect((await job(id)).state).toBe('active');
      const mine = await cancel('default');
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ id, state: 'cancelled', cancelled: 1 });
      // Stopping the worker waits for the job in hand: the import has given up by then.
      await stopWorker?.();
      stopWorker = null;
      expect(await job(id)).toMatchObject({ state: 'cancelled' });
      expect(await getDataset(db, 'rutland-cancelled')).toBeNull();
      const rows = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM buildings b JOIN datasets d ON d.id = b.dataset_id WHERE d.name = 'rutland-cancelled'`,
      );
      expect(rows.rows[0].n).toBe(0);
      // Cancelled once: a second cancel says it has ended.
      const again = await cancel('default');
      expect(again.statusCode).toBe(409);
      expect(again.json().type).toMatch(/job-ended$/);
    }, 600_000);

    it('an import that fails is retried by pg-boss, fails for good, and runs again from the API’s Retry', async () => {
      const file = join(work, 'delft.city.json');
      await copyFile(DELFT, file);
      const id = await enqueueImport(db, boss, { file, dataset: 'delft-retried', areaId: 'leeds' });
      // The file goes away after it was queued: every attempt fails.
      await rm(file);
      await worker();
      const failed = (await until(id, (j) => j.state === 'failed')).at(-1) as JobRow;
      expect(failed).toMatchObject({ retries: RETRY_LIMIT, retryLimit: RETRY_LIMIT, areaId: 'leeds' });
      expect(failed.error).toMatch(/cannot read file/);
      // Not the other area's to retry; a councillor may not.
      const retry = (h: Record<string, string>) =>
        app.inject({ method: 'POST', url: `/api/jobs/${id}/retry`, headers: h });
      expect((await retry(headers.default)).statusCode).toBe(404);
      await copyFile(DELFT, file);
      const r = await retry(headers.leeds);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({ id, state: 'retry' });
      await until(id, (j) => j.state === 'completed');
      expect((await getDataset(db, 'delft-retried'))?.buildingCount).toBe(2);
      // A completed job cannot be retried.
      expect((await retry(headers.leeds)).statusCode).toBe(409);
    }, 600_000);

    it('`placetwin jobs cancel` of an unknown id names it and exits non-zero; `jobs show` shows a job', async () => {
      const cli = (args: string[]) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, [join(repoRoot, 'packages/cli/bin/placetwin.mjs'), ...args], {
            cwd: repoRoot,
            env: {
              ...process.env,
              DATABASE_URL: urlWithSchema(databaseUrl as string, schema),
              PLACETWIN_JOBS_SCHEMA: jobsSchemaName,
              PLACETWIN_DATA_DIR: work,
            },
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d;
          });
          child.stderr.on('data', (d: Buffer) => {
            err += d;
          });
          child.on('exit', (code) => resolve({ code, out, err }));
        });
      const unknown = '0b7e57c1-0000-4000-8000-00000000dead';
      const r = await cli(['jobs', 'cancel', unknown]);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain(`no job ${unknown}`);
      const listed = await db.query<{ id: string }>(
        `SELECT id::text FROM ${jobsSchemaName}.job WHERE name = 'placetwin-import' AND data->>'dataset' = 'rutland-job'`,
      );
      const shown = await cli(['jobs', 'show', listed.rows[0].id]);
      expect(shown.code).toBe(0);
      expect(shown.out).toMatch(/State:\s+completed/);
      expect(shown.out).toMatch(/Progress:\s+\d+\/\d+ features \(done\)/);
    }, 120_000);

    it('a sun-hours job writes what `placetwin sun-hours` writes inline; cancelled, it leaves its folder unwritten', async () => {
      await importFile(db, COURTYARD, { dataset: 'courtyard' });
      const request = {
        dataset: 'courtyard',
        area: bngBox(486490, 310460, 486552, 310552),
        date: '2026-12-21',
        cellSizeM: 1,
        stepMinutes: 10,
      };
      const inline = await sunHoursToDir(db, request, join(work, 'sun-inline'));
      await worker();
      const id = await enqueueSunHours(db, boss, request, join(work, 'sun-job'));
      const done = (await until(id, (j) => j.state === 'completed')).at(-1) as JobRow;
      expect(done).toMatchObject({ kind: 'sun-hours', areaId: 'default', dataset: 'courtyard' });
      expect(done.progress).toMatchObject({ phase: 'done', unit: 'strips' });
      expect(done.progress?.done).toBe(done.progress?.total);
      expect(done.progress?.total).toBeGreaterThan(0);
      for (const f of ['sun-hours.csv', 'sun-hours.geojson']) {
        expect(await readFile(join(work, 'sun-job', f), 'utf8')).toBe(
          await readFile(join(inline.files.csv, '..', f), 'utf8'),
        );
      }
      // Over Rutland's buildings (imported by the first test): 0.6 km² at 1 m, every minute: long enough to cancel.
      const big = await enqueueSunHours(
        db,
        boss,
        {
          dataset: 'rutland-job',
          area: bngBox(485900, 308600, 486500, 309600),
          date: '2026-06-21',
          cellSizeM: 1,
          stepMinutes: 1,
        },
        join(work, 'sun-cancelled'),
      );
      await until(big, (j) => j.state === 'active');
      const r = await app.inject({
        method: 'POST',
        url: `/api/jobs/${big}/cancel`,
        headers: headers.default,
      });
      expect(r.statusCode).toBe(200);
      await stopWorker?.();
      stopWorker = null;
      expect((await job(big)).state).toBe('cancelled');
      expect(existsSync(join(work, 'sun-cancelled'))).toBe(false);
      expect(existsSync(join(work, `sun-cancelled.tmp-${big}`))).toBe(false);
    }, 600_000);
  },
);

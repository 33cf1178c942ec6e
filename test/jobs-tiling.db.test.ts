/**
 * Tiling as jobs: Rutland tiled by one `placetwin worker` process and by three gives byte-identical tileset
 * directories, and both equal the inline `tileDataset` (one process, no queue). Jobs need a PostgreSQL server
 * (pg-boss): without DATABASE_URL (the embedded PGlite) the suite is skipped with that reason.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cancelJob,
  enqueueTiling,
  importFile,
  listJobs,
  loadOstn15,
  openQueue,
  tileDataset,
  waitForRun,
} from '@placetwin/cli';
import { type Db, openDb, tileRunCells } from '@placetwin/db';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlWithSchema } from './support/api-process';
import { repoRoot, sample, sampleDataDir } from './support/paths';

const databaseUrl = process.env.DATABASE_URL;

/** Every file of a directory (not sub-folders) → sha256 of its bytes. */
async function fileHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    out[e.name] = createHash('sha256')
      .update(await readFile(join(dir, e.name)))
      .digest('hex');
  }
  return out;
}

describe.skipIf(!databaseUrl)(
  'tiling on the job queue (skipped without DATABASE_URL: pg-boss needs a PostgreSQL server)',
  () => {
    const schema = `test_jobs_${randomBytes(6).toString('hex')}`;
    const jobsSchemaName = `${schema}_q`;
    let db: Db;
    let boss: PgBoss;
    let work: string;
    const workers: ChildProcess[] = [];

    const startWorkers = (n: number, dataDir: string): ChildProcess[] =>
      Array.from({ length: n }, () => {
        const child = spawn(process.execPath, [join(repoRoot, 'packages/cli/bin/placetwin.mjs'), 'worker'], {
          cwd: repoRoot,
          env: {
            ...process.env,
            DATABASE_URL: urlWithSchema(databaseUrl as string, schema),
            PLACETWIN_JOBS_SCHEMA: jobsSchemaName,
            PLACETWIN_DATA_DIR: dataDir,
            PLACETWIN_SAMPLE_DATA: sampleDataDir,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d}`));
        workers.push(child);
        return child;
      });
    const stopWorkers = async (children: ChildProcess[]) => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', () => resolve());
              c.kill('SIGTERM');
            }),
        ),
      );
    };
    /** Queues Rutland, has `n` worker processes tile it into `dataDir`, and returns the run's id. */
    const tileWith = async (n: number, dataDir: string): Promise<string> => {
      const id = await enqueueTiling(db, boss, 'rutland');
      const children = startWorkers(n, dataDir);
      try {
        expect(await waitForRun(db, id, { timeoutMs: 8 * 60_000 })).toBe('done');
      } finally {
        await stopWorkers(children);
      }
      return id;
    };

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'placetwin-jobs-'));
      db = await openDb({ databaseUrl, schema });
      await loadOstn15(sampleDataDir);
      await importFile(db, sample('rutland/rutland-2022-11.osm.pbf'), { dataset: 'rutland' });
      boss = await openQueue(urlWithSchema(databaseUrl as string, schema), jobsSchemaName);
    });

    afterAll(async () => {
      await stopWorkers(workers);
      await boss?.stop({ graceful: false, wait: true });
      await db?.query(`DROP SCHEMA IF EXISTS ${jobsSchemaName} CASCADE`);
      await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('one worker and three workers write byte-identical tilesets, equal to tiling inline', async () => {
      const inline = join(work, 'inline');
      await tileDataset(db, 'rutland', inline);
      const expected = await fileHashes(join(inline, 'rutland'));
      const glbs = Object.keys(expected).filter((n) => n.endsWith('.glb'));
      // Rutland's buildings over the default 1,000 a tile: several cells, so there is work to share.
      expect(glbs.length).toBeGreaterThan(3);
      expect(Object.keys(expected)).toContain('tileset.json');

      const one = join(work, 'one');
      const runOne = await tileWith(1, one);
      expect(await fileHashes(join(one, 'tilesets/rutland'))).toEqual(expected);

      const three = join(work, 'three');
      const runThree = await tileWith(3, three);
      expect(await fileHashes(join(three, 'tilesets/rutland'))).toEqual(expected);

      // One cell job per content cell, each built once, by one worker (one process in the first run).
      const cellsOne = await tileRunCells(db, runOne);
      const cellsThree = await tileRunCells(db, runThree);
      expect(cellsOne.map((c) => c.cell)).toEqual(glbs.map((_, i) => i));
      expect(cellsThree).toHaveLength(glbs.length);
      expect(new Set(cellsOne.map((c) => c.worker)).size).toBe(1);
      const perWorker: Record<string, number> = {};
      for (const c of cellsThree) perWorker[c.worker] = (perWorker[c.worker] ?? 0) + 1;
      console.log(`three workers: cells built per worker ${JSON.stringify(perWorker)}`);

      // The list shows both runs done, with their progress.
      const rows = await listJobs(db, { schema: jobsSchemaName });
      for (const id of [runOne, runThree]) {
        const row = rows.find((r) => r.id === id);
        expect(row).toMatchObject({
          kind: 'tile',
          state: 'completed',
          dataset: 'rutland',
          progress: { done: glbs.length, total: glbs.length, runState: 'done' },
        });
      }
    });

    it('cancelling a queued tile job cancels its run: no worker takes it', async () => {
      const id = await enqueueTiling(db, boss, 'rutland');
      expect(await cancelJob(db, boss, id, jobsSchemaName)).toBe(1);
      const children = startWorkers(1, join(work, 'cancelled'));
      // Give the worker time to poll: a cancelled job is never fetched.
      await new Promise((r) => setTimeout(r, 5000));
      await stopWorkers(children);
      const row = (await listJobs(db, { schema: jobsSchemaName })).find((r) => r.id === id);
      expect(row).toMatchObject({ kind: 'tile', state: 'cancelled' });
      expect(row?.progress).toBeUndefined();
      await expect(
        cancelJob(db, boss, '00000000-0000-4000-8000-000000000000', jobsSchemaName),
      ).rejects.toThrow(/no job/);
    });
  },
);

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enqueueTiling, openQueue } from '@placetwin/cli';
import { type Db, importFeatures, openTestDb } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { staffHeaders } from '../../testing/staff-session';

// GET /api/jobs on both databases: with the embedded one there is no queue (jobs run inline); on a PostgreSQL
// server a queued tiling job shows up, then as cancelled.
let db: Db;
let drop: () => Promise<void>;
let app: FastifyInstance;
let dir: string;
const jobsSchema = `test_q_${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  dir = await mkdtemp(join(tmpdir(), 'placetwin-jobs-api-'));
  app = buildApp({ db, tilesetsDir: dir, dataDir: dir, jobsSchema, auth: { passwordHashing: { logN: 10 } } });
});

afterAll(async () => {
  await app?.close();
  if (db?.kind === 'server') await db.query(`DROP SCHEMA IF EXISTS ${jobsSchema} CASCADE`);
  await drop?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('GET /api/jobs', () => {
  it('is for staff only', async () => {
    const res = await app.inject('/api/jobs');
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toBe(`${PROBLEM_BASE}unauthenticated`);
  });

  it('says which queue runs jobs, and lists a queued tiling job and its cancellation', async () => {
    const headers = await staffHeaders(app, db, 'councillor');
    const empty = await app.inject({ url: '/api/jobs', headers });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ queue: db.kind === 'server' ? 'postgresql' : 'inline', jobs: [] });
    if (db.kind !== 'server') return; // The embedded database has no queue to put a job on.

    await importFeatures(
      db,
      {
        name: 'queued',
        title: 'Queued',
        source: 'constructed for this test',
        licence: 'CC0-1.0',
        attribution: '',
        vintage: null,
        crs: 'EPSG:4326',
      },
      [],
    );
    const url = new URL(process.env.DATABASE_URL as string);
    const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s;
    url.searchParams.set('options', `-c search_path=${schema},public`);
    const boss = await openQueue(url.toString(), jobsSchema);
    try {
      const id = await enqueueTiling(db, boss, 'queued');
      const listed = (await app.inject({ url: '/api/jobs', headers })).json();
      expect(listed.jobs).toEqual([
        expect.objectContaining({ id, kind: 'tile', state: 'created', dataset: 'queued' }),
      ]);
      await boss.cancel('placetwin-tile', id);
      const after = (await app.inject({ url: '/api/jobs', headers })).json();
      expect(after.jobs[0]).toMatchObject({ id, state: 'cancelled' });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
});

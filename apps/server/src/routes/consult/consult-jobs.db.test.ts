/**
 * The staff Jobs page (/consult/staff/jobs), server-rendered, through app.inject(): on a PostgreSQL server, a
 * planner sees their area's queued import (the 3D BAG Delft sample, ../shared/data/cityjson) with its state,
 * progress and attempts, and cancels and retries it with the page's buttons (forms carrying the session's CSRF
 * token); a councillor sees it without buttons; another area's planner neither sees nor cancels it. With the
 * embedded database (no queue: pg-boss needs a PostgreSQL server) the page says jobs run inline.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAreaFromArgs, enqueueImport, getJob, openQueue, parseAreaArgs } from '@placetwin/cli';
import { type Db, openTestDb, type Role } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { type StaffHeaders, staffHeaders } from '../../testing/staff-session';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DELFT = sample('cityjson/nl-delft-3dbag-2buildings.city.json');
const BOUNDARIES = sample('boundaries/local-authority-districts-2017-uk.geojson');

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let boss: PgBoss | null = null;
const jobsSchema = `test_pq_${randomBytes(6).toString('hex')}`;

type Session = StaffHeaders;
const sessions = {} as Record<string, Session>;
const signIn = (area: string, role: Role) => staffHeaders(app, db, role, area);

const page = (s: Session) => app.inject({ url: '/consult/staff/jobs', headers: { cookie: s.cookie } });
const press = (s: Session, id: string, verb: 'cancel' | 'retry', csrf: string | null = s['x-csrf-token']) =>
  app.inject({
    method: 'POST',
    url: `/consult/staff/jobs/${id}/${verb}`,
    headers: { cookie: s.cookie, ...FORM },
    payload: new URLSearchParams(csrf === null ? {} : { _csrf: csrf }).toString(),
  });

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-jobs-page-'));
  await addAreaFromArgs(db, parseAreaArgs({ id: 'leeds', lad17cd: 'E08000035' }), BOUNDARIES);
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: root,
    jobsSchema,
    auth: { passwordHashing: { logN: 10 } },
  });
  sessions.planner = await signIn('default', 'planner');
  sessions.councillor = await signIn('default', 'councillor');
  sessions.leeds = await signIn('leeds', 'planner');
  if (db.kind === 'server') {
    const url = new URL(process.env.DATABASE_URL as string);
    const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s;
    url.searchParams.set('options', `-c search_path=${schema},public`);
    boss = await openQueue(url.toString(), jobsSchema);
  }
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await app?.close();
  if (db?.kind === 'server') await db.query(`DROP SCHEMA IF EXISTS ${jobsSchema} CASCADE`);
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the staff Jobs page', () => {
  it('is linked from the staff home page, for staff only', async () => {
    const home = await app.inject({ url: '/consult/staff', headers: { cookie: sessions.councillor.cookie } });
    expect(home.body).toContain('href="/consult/staff/jobs"');
    const anon = await app.inject({ url: '/consult/staff/jobs' });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toMatch(/^\/consult\/staff\/sign-in\?next=/);
  });

  it.skipIf(process.env.DATABASE_URL)(
    'with the embedded database too, lists the area’s jobs (the server queues its own: none yet)',
    async () => {
      const res = await page(sessions.planner);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('This install has no job queue');
      expect(res.body).toContain('There are no jobs for your area.');
    },
  );

  it.skipIf(!process.env.DATABASE_URL)(
    'lists the area’s jobs with state, progress and attempts; Cancel and Retry act on them (PostgreSQL: pg-boss)',
    async () => {
      const q = boss as PgBoss;
      const id = await enqueueImport(db, q, { file: DELFT, dataset: 'delft-page' });
      const theirs = await enqueueImport(db, q, { file: DELFT, dataset: 'delft-leeds', areaId: 'leeds' });

      const mine = await page(sessions.planner);
      expect(mine.statusCode).toBe(200);
      const row = mine.body.slice(
        mine.body.indexOf(`id="job-${id}"`),
        mine.body.indexOf('</tr>', mine.body.indexOf(`id="job-${id}"`)),
      );
      expect(row).toContain('Import: delft-page');
      expect(row).toContain('Queued');
      expect(row).toContain('Not started');
      expect(row).toContain('1 (up to 4)');
      expect(row).toContain(`action="/consult/staff/jobs/${id}/cancel"`);
      expect(row).not.toContain('/retry"');
      expect(mine.body).not.toContain(theirs);

      // A councillor sees the job, without buttons; the other area's planner sees only their own.
      const councillor = await page(sessions.councillor);
      expect(councillor.body).toContain(`id="job-${id}"`);
      expect(councillor.body).not.toContain('/cancel"');
      expect((await press(sessions.councillor, id, 'cancel')).statusCode).toBe(403);
      const leeds = await page(sessions.leeds);
      expect(leeds.body).toContain(`id="job-${theirs}"`);
      expect(leeds.body).not.toContain(id);
      expect((await press(sessions.leeds, id, 'cancel')).statusCode).toBe(404);

      // Cancel: a form without the session's token changes nothing; with it, the job is cancelled.
      expect((await press(sessions.planner, id, 'cancel', null)).statusCode).toBe(403);
      expect((await getJob(db, id, { schema: jobsSchema }))?.state).toBe('created');
      const cancelled = await press(sessions.planner, id, 'cancel');
      expect(cancelled.statusCode).toBe(303);
      expect(cancelled.headers.location).toBe(`/consult/staff/jobs?done=cancel&job=${id}`);
      expect((await getJob(db, id, { schema: jobsSchema }))?.state).toBe('cancelled');
      const after = await app.inject({
        url: cancelled.headers.location as string,
        headers: { cookie: sessions.planner.cookie },
      });
      expect(after.body).toContain(`Job ${id} cancelled.`);
      const cancelledRow = after.body.slice(after.body.indexOf(`id="job-${id}"`));
      expect(cancelledRow.slice(0, cancelledRow.indexOf('</tr>'))).toContain(
        `action="/consult/staff/jobs/${id}/retry"`,
      );
      // Cancelling it again is refused, with the reason.
      const again = await press(sessions.planner, id, 'cancel');
      expect(again.statusCode).toBe(409);
      expect(again.body).toContain('has already ended');

      // Retry queues it again; the other area's job was never touched.
      expect((await press(sessions.planner, id, 'retry')).statusCode).toBe(303);
      expect((await getJob(db, id, { schema: jobsSchema }))?.state).toBe('created');
      expect((await getJob(db, theirs, { schema: jobsSchema }))?.state).toBe('created');
    },
  );
});

/**
 * The privacy API through app.inject(): admins only, CSRF on writes, subject access, export and erasure by email.
 * The consultation and its commenters are made up for the test (personal data must be).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openTestDb } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { type StaffHeaders, staffHeaders } from '../../testing/staff-session';

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let admin: StaffHeaders;
let planner: StaffHeaders;
let consultationId: number;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-privacy-'));
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: { logN: 10 } },
  });
  await app.ready();
  const d = await db.query<{ id: number }>(
    `INSERT INTO datasets (name, title, source, licence, attribution, crs)
     VALUES ('privacy-api', 'Privacy API test', 'constructed', 'none', 'none', 'EPSG:4326') RETURNING id`,
  );
  const s = await db.query<{ id: number }>(
    `INSERT INTO scenarios (dataset_id, name, status) VALUES ($1, 'Proposal', 'published') RETURNING id`,
    [d.rows[0].id],
  );
  consultationId = (
    await db.query<{ id: number }>(
      `INSERT INTO consultations (title, summary, scenario_id, status, opens_at, closes_at, privacy_notice)
       VALUES ('Homes by the station', 'A proposal', $1, 'closed', now() - interval '40 days',
         now() - interval '10 days', 'Notice') RETURNING id`,
      [s.rows[0].id],
    )
  ).rows[0].id;
  admin = await staffHeaders(app, db, 'admin');
  planner = await staffHeaders(app, db, 'planner');
});
afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

async function comment(email: string, status: string, text: string): Promise<number> {
  return (
    await db.query<{ id: number }>(
      `INSERT INTO comments (consultation_id, name, email, category, body, status)
       VALUES ($1, 'Sam Jones', $2, 'object', $3, $4) RETURNING id`,
      [consultationId, email, text, status],
    )
  ).rows[0].id;
}

const subject = (headers: Record<string, string> = {}, email = 'sam@example.org') =>
  app.inject({
    method: 'GET',
    url: `/api/admin/privacy/subject?email=${encodeURIComponent(email)}`,
    headers,
  });

describe('privacy API', () => {
  it('is for admins only: the public is refused 401, a planner 403', async () => {
    await comment('sam@example.org', 'approved', 'Keep the trees.');
    const urls = [
      '/api/admin/privacy/inventory',
      '/api/admin/privacy/log',
      '/api/admin/privacy/subject?email=a@b.c',
    ];
    for (const url of urls) {
      const pub = await app.inject({ method: 'GET', url });
      expect([url, pub.statusCode, pub.headers['content-type']]).toEqual([
        url,
        401,
        'application/problem+json; charset=utf-8',
      ]);
      const p = await app.inject({ method: 'GET', url, headers: { cookie: planner.cookie } });
      expect([url, p.statusCode]).toEqual([url, 403]);
      expect(p.body).not.toContain('sam@example.org');
    }
    const erase = await app.inject({
      method: 'POST',
      url: '/api/admin/privacy/erase',
      headers: planner,
      payload: { email: 'sam@example.org' },
    });
    expect(erase.statusCode).toBe(403);
    expect((await subject({ cookie: admin.cookie })).json().comments).toHaveLength(1);
  });

  it('refuses an erasure without the CSRF token, changing nothing', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/privacy/erase',
      headers: { cookie: admin.cookie },
      payload: { email: 'sam@example.org' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toMatch(/csrf-token-invalid$/);
    expect((await subject({ cookie: admin.cookie })).json().comments).toHaveLength(1);
  });

  it('answers subject access as JSON and as a download, no-store, and refuses a malformed address', async () => {
    const res = await subject({ cookie: admin.cookie }, 'SAM@example.org');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.email).toBe('sam@example.org');
    expect(body.comments[0]).toMatchObject({
      name: 'Sam Jones',
      text: 'Keep the trees.',
      status: 'approved',
    });
    expect(body.staffAccount).toBeNull();
    const own = await subject({ cookie: admin.cookie }, 'admin@staff.test');
    expect(own.json().staffAccount).toMatchObject({ email: 'admin@staff.test', role: 'admin' });
    expect(own.body).not.toMatch(/scrypt|password|csrf/i);
    const file = await app.inject({
      method: 'GET',
      url: '/api/admin/privacy/subject/export?email=sam%40example.org',
      headers: { cookie: admin.cookie },
    });
    expect(file.headers['content-disposition']).toMatch(
      /^attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(file.json().comments).toHaveLength(1);
    const bad = await subject({ cookie: admin.cookie }, 'not an address');
    expect([bad.statusCode, bad.json().type]).toEqual([400, 'https://placetwin.dev/problems/invalid-email']);
  });

  it('erases by email per the area policy, logs it, and refuses to erase the last admin', async () => {
    const pending = await comment('sam@example.org', 'pending', 'Another thought.');
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/privacy/erase',
      headers: admin,
      payload: { email: 'sam@example.org' },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.deletedComments).toEqual([pending]);
    expect(r.anonymisedComments).toHaveLength(1);
    const kept = await db.query<{ name: string | null; email: string | null; body: string }>(
      'SELECT name, email, body FROM comments WHERE id = $1',
      [r.anonymisedComments[0]],
    );
    expect(kept.rows).toEqual([{ name: null, email: null, body: 'Keep the trees.' }]);
    const log = await app.inject({
      method: 'GET',
      url: '/api/admin/privacy/log',
      headers: { cookie: admin.cookie },
    });
    const adminId = (await db.query<{ id: number }>(`SELECT id FROM users WHERE role = 'admin'`)).rows[0].id;
    expect(
      log
        .json()
        .filter((e: { reason: string }) => e.reason === 'erasure-request')
        .map((e: { action: string; actor: string }) => [e.action, e.actor])
        .sort(),
    ).toEqual([
      ['anonymise-comment', `user:${adminId}`],
      ['delete-comment', `user:${adminId}`],
    ]);
    expect(log.body).not.toContain('sam@');

    const last = await app.inject({
      method: 'POST',
      url: '/api/admin/privacy/erase',
      headers: admin,
      payload: { email: 'admin@staff.test' },
    });
    expect([last.statusCode, last.json().type]).toEqual([409, 'https://placetwin.dev/problems/last-admin']);
    expect((await subject({ cookie: admin.cookie }, 'admin@staff.test')).statusCode).toBe(200);
  });

  it('runs the retention job on demand, as a dry run too', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/admin/privacy/retention',
      headers: admin,
      payload: { dryRun: true },
    });
    expect(res.statusCode).toBe(200);
    // Closed 10 days ago with the default area's 365 days: nothing is due.
    expect(res.json()).toMatchObject({ dryRun: true, consultations: [], anonymisedComments: [] });
    const inv = await app.inject({
      method: 'GET',
      url: '/api/admin/privacy/inventory',
      headers: { cookie: admin.cookie },
    });
    expect(inv.json().consultations[0]).toMatchObject({
      id: consultationId,
      retentionDays: 365,
      retentionFromArea: true,
    });
  });
});

describe('Personal data pages (/consult/staff/privacy)', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const post = (url: string, headers: StaffHeaders, fields: Record<string, string>, csrf = true) =>
    app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie: headers.cookie },
      payload: new URLSearchParams({
        ...fields,
        ...(csrf ? { _csrf: headers['x-csrf-token'] } : {}),
      }).toString(),
    });

  it('are for admins: the public is sent to sign in, a planner refused', async () => {
    const pub = await app.inject({ method: 'GET', url: '/consult/staff/privacy' });
    expect([pub.statusCode, pub.headers.location]).toEqual([
      303,
      '/consult/staff/sign-in?next=%2Fconsult%2Fstaff%2Fprivacy',
    ]);
    const p = await app.inject({
      method: 'GET',
      url: '/consult/staff/privacy',
      headers: { cookie: planner.cookie },
    });
    expect(p.statusCode).toBe(403);
    const a = await app.inject({
      method: 'GET',
      url: '/consult/staff/privacy',
      headers: { cookie: admin.cookie },
    });
    expect(a.statusCode).toBe(200);
    expect(a.headers['cache-control']).toBe('no-store');
    expect(a.body).toContain('<h1 class="govuk-heading-xl">Personal data</h1>');
    expect(a.body).toContain('Homes by the station');
    expect(a.body).toContain('365 days (area default)');
    // The log so far (from the API tests above), in words.
    expect(a.body).toContain('Erasure request');
    const list = await app.inject({
      method: 'GET',
      url: '/consult/staff',
      headers: { cookie: admin.cookie },
    });
    expect(list.body).toContain('href="/consult/staff/privacy"');
    const planners = await app.inject({
      method: 'GET',
      url: '/consult/staff',
      headers: { cookie: planner.cookie },
    });
    expect(planners.body).not.toContain('/consult/staff/privacy');
  });

  it('find, export and erase after confirming, with the CSRF token on every form', async () => {
    const id = await comment('robin@example.org', 'approved', 'More benches, please.');
    const noToken = await post(
      '/consult/staff/privacy/subject',
      admin,
      { email: 'robin@example.org' },
      false,
    );
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).not.toContain('More benches');
    const asPlanner = await post('/consult/staff/privacy/subject', planner, { email: 'robin@example.org' });
    expect(asPlanner.statusCode).toBe(403);
    const bad = await post('/consult/staff/privacy/subject', admin, { email: 'robin' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter an email address in the correct format');

    const found = await post('/consult/staff/privacy/subject', admin, { email: 'Robin@example.org' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('More benches, please.');
    expect(found.body).toContain('No staff account signs in with this email address.');
    const file = await post('/consult/staff/privacy/export', admin, { email: 'robin@example.org' });
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="personal-data-/);
    expect(JSON.parse(file.body).comments.map((m: { id: number }) => m.id)).toEqual([id]);

    const confirm = await post('/consult/staff/privacy/erase', admin, { email: 'robin@example.org' });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('You cannot undo this.');
    expect((await db.query('SELECT 1 FROM comments WHERE id = $1', [id])).rows).toHaveLength(1);
    const done = await post('/consult/staff/privacy/erase', admin, {
      email: 'robin@example.org',
      confirm: 'yes',
      policy: 'delete',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/consult/staff/privacy?erased=1&kept=0&deleted=1&account=0');
    expect((await db.query('SELECT 1 FROM comments WHERE id = $1', [id])).rows).toEqual([]);
    const after = await app.inject({
      method: 'GET',
      url: done.headers.location,
      headers: { cookie: admin.cookie },
    });
    expect(after.body).toContain('Erased: 0 approved comments kept as text only, 1 comment deleted.');

    const last = await post('/consult/staff/privacy/erase', admin, {
      email: 'admin@staff.test',
      confirm: 'yes',
    });
    expect(last.statusCode).toBe(409);
    expect(last.body).toContain('This is the only admin account');
  });
});

/**
 * The retention job and erasure by email on real PostGIS. The consultations, comments and people are made up for
 * the test (personal data must be; see the names): each consultation is placed around the retention boundary on
 * purpose, which no real data set would give.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './db';
import {
  eraseSubject,
  LastAdminError,
  listPrivacyLog,
  privacyInventory,
  RETENTION_ACTOR,
  runRetention,
  subjectData,
  userActor,
} from './privacy';
import { openTestDb } from './testing';

const DAY = 86_400_000;
const NOW = new Date('2027-06-01T09:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

let db: Db;
let drop: () => Promise<void>;
const scenarioIds: Record<string, number> = {};

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  await db.query(
    `INSERT INTO areas (id, name, retention_days, erase_keeps_approved_text)
     VALUES ('wales', 'A Welsh council', 180, false)`,
  );
  // A consultation belongs to its scenario's area, and a scenario to its dataset's: one of each per area.
  for (const area of ['default', 'wales']) {
    const d = await db.query<{ id: number }>(
      `INSERT INTO datasets (name, title, source, licence, attribution, crs, area_id)
       VALUES ($1, 'Privacy test', 'constructed', 'none', 'none', 'EPSG:4326', $2) RETURNING id`,
      [`privacy-test-${area}`, area],
    );
    scenarioIds[area] = (
      await db.query<{ id: number }>(
        `INSERT INTO scenarios (dataset_id, name, status, area_id) VALUES ($1, 'Proposal', 'published', $2)
         RETURNING id`,
        [d.rows[0].id, area],
      )
    ).rows[0].id;
  }
});
afterAll(async () => drop?.());

beforeEach(async () => {
  await db.query('DELETE FROM privacy_log');
  await db.query('DELETE FROM comments');
  await db.query('DELETE FROM consultations');
  await db.query('DELETE FROM sessions');
  await db.query('DELETE FROM users');
});

async function consultation(c: {
  status: 'draft' | 'open' | 'closed';
  closesAt: string;
  closedAt?: string | null;
  retentionDays?: number | null;
  area?: string;
}): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO consultations (title, summary, scenario_id, status, opens_at, closes_at, closed_at,
       privacy_notice, retention_days, area_id)
     VALUES ('Consultation', 'A proposal', $1, $2, $3::timestamptz - interval '30 days', $3, $4, 'Notice', $5, $6)
     RETURNING id`,
    [
      scenarioIds[c.area ?? 'default'],
      c.status,
      c.closesAt,
      c.closedAt === undefined ? (c.status === 'closed' ? c.closesAt : null) : c.closedAt,
      c.retentionDays ?? null,
      c.area ?? 'default',
    ],
  );
  return r.rows[0].id;
}

async function comment(
  consultationId: number,
  c: { name?: string | null; email?: string | null; status?: string; point?: boolean; text?: string } = {},
): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO comments (consultation_id, name, email, category, body, point, status)
     VALUES ($1, $2, $3, 'object', $4,
       CASE WHEN $5 THEN ST_SetSRID(ST_MakePoint(-0.7338, 52.6731), 4326) END, $6) RETURNING id`,
    [
      consultationId,
      c.name === undefined ? 'Sam Jones' : c.name,
      c.email === undefined ? 'sam@example.org' : c.email,
      c.text ?? 'Too tall for the street.',
      c.point ?? false,
      c.status ?? 'approved',
    ],
  );
  return r.rows[0].id;
}

const allComments = async () =>
  (
    await db.query<Record<string, unknown>>(
      `SELECT id, consultation_id, name, email, category, body, ST_AsText(point) AS point, status,
         personal_data_removed_at IS NOT NULL AS removed
       FROM comments ORDER BY id`,
    )
  ).rows;

async function user(email: string, role: string, disabled = false): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO users (email, display_name, role, password_hash, disabled_at)
     VALUES ($1, 'Someone', $2, '$scrypt$ln=10,r=8,p=1$c2FsdA$aGFzaA', CASE WHEN $3 THEN now() END) RETURNING id`,
    [email, role, disabled],
  );
  return r.rows[0].id;
}

async function session(userId: number, expiresAt: string, lastSeenAt: string): Promise<void> {
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
     VALUES (gen_random_uuid()::text::bytea, $1, 'csrf', $3::timestamptz - interval '1 hour', $3, $2)`,
    [userId, expiresAt, lastSeenAt],
  );
}

describe('runRetention', () => {
  it('deletes or anonymises exactly what is due at the boundary, and nothing else', async () => {
    // Default area: 365 days. Due exactly now, and one second short of due.
    const dueNow = await consultation({ status: 'closed', closesAt: ago(365 * DAY) });
    const almost = await consultation({ status: 'closed', closesAt: ago(365 * DAY - 1000) });
    // Welsh area: 180 days, so 181 days after closing is due there but would not be in the default area.
    const welsh = await consultation({ status: 'closed', closesAt: ago(181 * DAY), area: 'wales' });
    const defaultSame = await consultation({ status: 'closed', closesAt: ago(181 * DAY) });
    // Own period beats the area's: 30 days (shorter, due) and 400 days in the 180-day area (longer, not due).
    const ownShort = await consultation({ status: 'closed', closesAt: ago(31 * DAY), retentionDays: 30 });
    const ownLong = await consultation({
      status: 'closed',
      closesAt: ago(200 * DAY),
      retentionDays: 400,
      area: 'wales',
    });
    // Closed early by staff: counts from closed_at (366 days ago), not from the later closing date.
    const early = await consultation({
      status: 'closed',
      closesAt: ago(300 * DAY),
      closedAt: ago(366 * DAY),
    });
    // Left open past its closing date, and a draft (never due), and one still taking comments.
    const leftOpen = await consultation({ status: 'open', closesAt: ago(366 * DAY) });
    const draft = await consultation({ status: 'draft', closesAt: ago(3000 * DAY), retentionDays: 1 });
    const current = await consultation({ status: 'open', closesAt: ago(-10 * DAY), retentionDays: 1 });

    const due = [dueNow, welsh, ownShort, early, leftOpen];
    const notDue = [almost, defaultSame, ownLong, draft, current];
    const ids: Record<number, { approved: number; pending: number; rejected: number; anonymous: number }> =
      {};
    for (const c of [...due, ...notDue]) {
      ids[c] = {
        approved: await comment(c, { point: true }),
        pending: await comment(c, { status: 'pending', email: null }),
        rejected: await comment(c, { status: 'rejected', name: null }),
        // Already anonymous, nothing to remove: untouched even when due.
        anonymous: await comment(c, { name: null, email: null }),
      };
    }
    const staff = await user('planner@council.test', 'planner');
    await session(staff, ago(1000), ago(3 * 3600_000)); // expired a second ago
    await session(staff, ago(-3600_000), ago(60_000)); // live for another hour, seen a minute ago
    await session(staff, ago(-3600_000), ago(2 * 3600_000)); // not expired, but idle for the 2-hour limit

    const before = await allComments();
    const dry = await runRetention(db, { now: NOW, dryRun: true });
    expect(await allComments()).toEqual(before);
    expect((await db.query('SELECT 1 FROM sessions')).rows).toHaveLength(3);
    expect(await listPrivacyLog(db)).toEqual([]);

    const r = await runRetention(db, { now: NOW });
    expect({ ...r, dryRun: true }).toEqual(dry);
    expect(r.consultations.map((c) => c.id).sort()).toEqual([...due].sort());
    expect(r.consultations.find((c) => c.id === dueNow)?.dueAt).toBe(NOW.toISOString());
    const expectDeleted = due.map((c) => ids[c].rejected).sort((a, b) => a - b);
    const expectAnonymised = due.flatMap((c) => [ids[c].approved, ids[c].pending]).sort((a, b) => a - b);
    expect(r.deletedComments).toEqual(expectDeleted);
    expect(r.anonymisedComments).toEqual(expectAnonymised);
    expect(r.deletedSessions).toBe(2);

    // Row by row: what changed is exactly what was due; the rest is as it was.
    const after = new Map((await allComments()).map((m) => [m.id as number, m]));
    for (const m of before) {
      const id = m.id as number;
      if (expectDeleted.includes(id)) expect(after.has(id)).toBe(false);
      else if (expectAnonymised.includes(id)) {
        // Text, category, status and pinned place stay; the person does not.
        expect(after.get(id)).toEqual({ ...m, name: null, email: null, removed: true });
      } else expect(after.get(id)).toEqual(m);
    }
    expect((await db.query('SELECT 1 FROM sessions')).rows).toHaveLength(1);

    // One log row per record changed, by the job, naming the area, never the person.
    const log = await listPrivacyLog(db, { limit: 1000 });
    expect(log).toHaveLength(expectDeleted.length + expectAnonymised.length + 2);
    expect(new Set(log.map((e) => e.actor))).toEqual(new Set([RETENTION_ACTOR]));
    expect(log.every((e) => e.at === NOW.toISOString().replace('.000Z', 'Z'))).toBe(true);
    expect(
      log
        .filter((e) => e.recordType === 'comment')
        .map((e) => [e.recordId, e.action, e.reason])
        .sort((a, b) => (a[0] as number) - (b[0] as number)),
    ).toEqual(
      [
        ...expectDeleted.map((id) => [id, 'delete-comment', 'retention-period-ended']),
        ...expectAnonymised.map((id) => [id, 'anonymise-comment', 'retention-period-ended']),
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(log.find((e) => e.recordId === ids[welsh].approved)?.areaId).toBe('wales');
    expect(log.filter((e) => e.action === 'delete-session').map((e) => e.recordId)).toEqual([staff, staff]);
    expect(JSON.stringify(log)).not.toMatch(/sam|example\.org|council\.test/i);

    // Again at the same time: nothing left to do.
    const again = await runRetention(db, { now: NOW });
    expect([again.anonymisedComments, again.deletedComments, again.deletedSessions]).toEqual([[], [], 0]);

    // One second later the consultation that was one second short is due too.
    const later = await runRetention(db, { now: new Date(NOW.getTime() + 1000) });
    expect(later.consultations.map((c) => c.id)).toEqual([almost]);
  });

  it('shows the inventory with the period that applies and when it is due', async () => {
    const c = await consultation({ status: 'closed', closesAt: ago(10 * DAY), area: 'wales' });
    await comment(c, { point: true });
    await comment(c, { email: null, name: 'Alex' });
    await user('admin@council.test', 'admin');
    const inv = await privacyInventory(db, NOW);
    expect(inv.consultations).toEqual([
      {
        id: c,
        title: 'Consultation',
        areaId: 'wales',
        status: 'closed',
        comments: 2,
        withName: 2,
        withEmail: 1,
        withPoint: 1,
        retentionDays: 180,
        retentionFromArea: true,
        dueAt: new Date(NOW.getTime() - 10 * DAY + 180 * DAY).toISOString().replace('.000Z', 'Z'),
      },
    ]);
    expect(inv.staff).toMatchObject({ accounts: 1, disabled: 0, byRole: { admin: 1 } });
    expect(inv.areas.find((a) => a.id === 'wales')).toMatchObject({
      retentionDays: 180,
      eraseKeepsApprovedText: false,
    });
  });
});

describe('subject access and erasure by email', () => {
  async function sams() {
    const home = await consultation({ status: 'closed', closesAt: ago(DAY) }); // default area: keeps text
    const welsh = await consultation({ status: 'open', closesAt: ago(-DAY), area: 'wales' }); // deletes
    const c = {
      approved: await comment(home, { point: true, text: 'Keep the trees.' }),
      // Typed with capitals: the same person.
      approvedCaps: await comment(home, { email: 'Sam@Example.ORG', text: 'And the hedge.' }),
      pending: await comment(home, { status: 'pending' }),
      rejected: await comment(home, { status: 'rejected' }),
      welshApproved: await comment(welsh, { point: true }),
      someoneElse: await comment(home, { name: 'Alex Lee', email: 'alex@example.org', point: true }),
      sameNameNoEmail: await comment(home, { email: null }),
    };
    return { home, welsh, c };
  }

  it('exports everything held for the email address, never the password hash, and logs the export', async () => {
    const { c } = await sams();
    const staff = await user('sam@example.org', 'planner');
    await session(staff, ago(-3600_000), ago(60_000));
    const data = await subjectData(db, ' SAM@example.org ', userActor(1));
    expect(data.email).toBe('sam@example.org');
    expect(data.comments.map((m) => m.id)).toEqual(
      [c.approved, c.approvedCaps, c.pending, c.rejected, c.welshApproved].sort((a, b) => a - b),
    );
    expect(data.comments.find((m) => m.id === c.approved)).toMatchObject({
      name: 'Sam Jones',
      text: 'Keep the trees.',
      point: [-0.7338, 52.6731],
      areaId: 'default',
    });
    expect(data.staffAccount).toMatchObject({ id: staff, email: 'sam@example.org', role: 'planner' });
    expect(data.staffAccount?.sessions).toHaveLength(1);
    const json = JSON.stringify(data);
    expect(json).not.toMatch(/scrypt|password|csrf|token/i);
    const [log] = await listPrivacyLog(db);
    expect(log).toMatchObject({ action: 'export-subject', actor: 'user:1', recordId: null });
    expect(JSON.stringify(log)).not.toContain('sam');
  });

  it("follows each area's policy: keeps approved text where it says so, deletes the rest", async () => {
    const { c } = await sams();
    const staff = await user('sam@example.org', 'planner');
    await session(staff, ago(-3600_000), ago(60_000));
    await user('admin@council.test', 'admin');
    const before = new Map((await allComments()).map((m) => [m.id as number, m]));
    const r = await eraseSubject(db, 'sam@example.org', { actor: userActor(99) });
    expect(r.anonymisedComments).toEqual([c.approved, c.approvedCaps]);
    expect(r.deletedComments).toEqual([c.pending, c.rejected, c.welshApproved].sort((a, b) => a - b));
    expect(r.deletedUser).toBe(staff);
    const after = new Map((await allComments()).map((m) => [m.id as number, m]));
    // Kept approved text: no name, email or pinned place.
    expect(after.get(c.approved)).toEqual({
      ...before.get(c.approved),
      name: null,
      email: null,
      point: null,
      removed: true,
    });
    expect(after.get(c.approvedCaps)?.body).toBe('And the hedge.');
    for (const id of [c.pending, c.rejected, c.welshApproved]) expect(after.has(id)).toBe(false);
    // Other people, and a comment with the same name but no email address, are untouched.
    expect(after.get(c.someoneElse)).toEqual(before.get(c.someoneElse));
    expect(after.get(c.sameNameNoEmail)).toEqual(before.get(c.sameNameNoEmail));
    expect((await db.query('SELECT 1 FROM users WHERE id = $1', [staff])).rows).toEqual([]);
    expect((await db.query('SELECT 1 FROM sessions WHERE user_id = $1', [staff])).rows).toEqual([]);
    const log = await listPrivacyLog(db);
    expect(log).toHaveLength(6);
    expect(new Set(log.map((e) => `${e.actor} ${e.reason}`))).toEqual(new Set(['user:99 erasure-request']));
    expect(JSON.stringify(log)).not.toMatch(/sam|example\.org/i);
    // Nothing left to find.
    const left = await subjectData(db, 'sam@example.org');
    expect([left.comments, left.staffAccount]).toEqual([[], null]);
  });

  it('lets the request override the policy either way', async () => {
    const { c } = await sams();
    const drop = await eraseSubject(db, 'sam@example.org', { actor: 'user:1', keepApprovedText: false });
    expect(drop.anonymisedComments).toEqual([]);
    expect(drop.deletedComments).toHaveLength(5);
    expect((await allComments()).map((m) => m.id)).toEqual([c.someoneElse, c.sameNameNoEmail]);

    const welsh = await consultation({ status: 'closed', closesAt: ago(DAY), area: 'wales' });
    const kept = await comment(welsh, { email: 'jo@example.org' });
    const keep = await eraseSubject(db, 'jo@example.org', { actor: 'user:1', keepApprovedText: true });
    expect(keep.anonymisedComments).toEqual([kept]);
    expect((await allComments()).find((m) => m.id === kept)).toMatchObject({
      email: null,
      body: expect.any(String),
    });
  });

  it('refuses to erase the last enabled admin, changing nothing', async () => {
    const { c } = await sams();
    const admin = await user('sam@example.org', 'admin');
    await user('old-admin@council.test', 'admin', true); // disabled: cannot sign in, does not count
    const before = await allComments();
    await expect(eraseSubject(db, 'sam@example.org', { actor: 'user:1' })).rejects.toBeInstanceOf(
      LastAdminError,
    );
    expect(await allComments()).toEqual(before);
    expect((await db.query('SELECT 1 FROM users WHERE id = $1', [admin])).rows).toHaveLength(1);
    expect(await listPrivacyLog(db)).toEqual([]);
    // With a second admin it goes ahead.
    await user('second@council.test', 'admin');
    const r = await eraseSubject(db, 'sam@example.org', { actor: 'user:1' });
    expect(r.deletedUser).toBe(admin);
    expect(r.anonymisedComments).toContain(c.approved);
  });
});

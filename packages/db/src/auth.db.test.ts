import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  createSession,
  createUser,
  deleteSession,
  findUserByEmail,
  listUsers,
  sessionUser,
  setUserDisabled,
  setUserPassword,
} from './auth';
import type { Db } from './db';
import { openTestDb } from './testing';

// Staff accounts and sessions in real PostgreSQL/PostGIS (both modes). scrypt runs at a lower cost here (the
// cost travels with each hash; auth.test.ts checks the default); no sample data is needed.
const CHEAP = { logN: 12 };

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});
afterAll(async () => drop?.());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('users', () => {
  it('adds a user with a lower-cased email and never returns the hash; refuses a second with the same email', async () => {
    const u = await createUser(
      db,
      {
        email: 'Pat.Planner@Rutland.gov.uk',
        displayName: 'Pat',
        role: 'planner',
        password: 'long enough pass',
      },
      CHEAP,
    );
    expect(u).toMatchObject({ email: 'pat.planner@rutland.gov.uk', displayName: 'Pat', role: 'planner' });
    expect(JSON.stringify(u)).not.toMatch(/scrypt|pass/);
    const stored = (
      await db.query<{ h: string }>('SELECT password_hash AS h FROM users WHERE id = $1', [u.id])
    ).rows[0].h;
    expect(stored).toMatch(/^\$scrypt\$ln=12,r=8,p=1\$/);
    expect(stored).not.toContain('long enough pass');
    await expect(
      createUser(
        db,
        {
          email: 'pat.planner@rutland.gov.uk',
          displayName: 'P2',
          role: 'admin',
          password: 'long enough pass',
        },
        CHEAP,
      ),
    ).rejects.toMatchObject({ type: 'duplicate-user' });
    expect((await listUsers(db)).map((x) => x.email)).toContain('pat.planner@rutland.gov.uk');
  });

  it('refuses short passwords, unknown roles and bad emails', async () => {
    const base = {
      email: 'x@rutland.gov.uk',
      displayName: 'X',
      role: 'planner' as const,
      password: 'twelve chars',
    };
    await expect(createUser(db, { ...base, password: 'short' }, CHEAP)).rejects.toMatchObject({
      type: 'weak-password',
    });
    await expect(createUser(db, { ...base, role: 'mayor' as never }, CHEAP)).rejects.toMatchObject({
      type: 'invalid-role',
    });
    await expect(createUser(db, { ...base, email: 'nobody' }, CHEAP)).rejects.toMatchObject({
      type: 'invalid-email',
    });
    expect(await findUserByEmail(db, 'x@rutland.gov.uk')).toBeNull();
  });

  it('authenticates the right password only, and not a disabled account', async () => {
    const u = await createUser(
      db,
      {
        email: 'cllr@rutland.gov.uk',
        displayName: 'Cllr Lee',
        role: 'councillor',
        password: 'council chamber 1',
      },
      CHEAP,
    );
    expect((await authenticate(db, ' CLLR@rutland.gov.uk', 'council chamber 1', CHEAP))?.id).toBe(u.id);
    expect(await authenticate(db, 'cllr@rutland.gov.uk', 'council chamber 2', CHEAP)).toBeNull();
    expect(await authenticate(db, 'nobody@rutland.gov.uk', 'council chamber 1', CHEAP)).toBeNull();
    await setUserDisabled(db, u.id, true);
    expect(await authenticate(db, 'cllr@rutland.gov.uk', 'council chamber 1', CHEAP)).toBeNull();
    await setUserDisabled(db, u.id, false);
    expect(await authenticate(db, 'cllr@rutland.gov.uk', 'council chamber 1', CHEAP)).not.toBeNull();
  });

  it('re-hashes a password made with a weaker cost when its owner signs in', async () => {
    await createUser(
      db,
      { email: 'old@rutland.gov.uk', displayName: 'Old', role: 'admin', password: 'from an old release' },
      { logN: 10 },
    );
    expect(await authenticate(db, 'old@rutland.gov.uk', 'from an old release', CHEAP)).not.toBeNull();
    const h = (
      await db.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE email = 'old@rutland.gov.uk'`)
    ).rows[0].h;
    expect(h).toMatch(/^\$scrypt\$ln=12,/);
    expect(await authenticate(db, 'old@rutland.gov.uk', 'from an old release', CHEAP)).not.toBeNull();
  });
});

describe('sessions', () => {
  let userId: number;
  beforeAll(async () => {
    userId = (
      await createUser(
        db,
        { email: 'sess@rutland.gov.uk', displayName: 'Sess', role: 'admin', password: 'sessions are shared' },
        CHEAP,
      )
    ).id;
  });

  it('stores only the hash of the token, and finds the user and CSRF token by the token', async () => {
    const s = await createSession(db, userId);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = await db.query<{ token_hash: Uint8Array }>(
      'SELECT token_hash FROM sessions WHERE user_id = $1',
      [userId],
    );
    expect(Buffer.from(raw.rows[0].token_hash).toString('utf8')).not.toContain(s.token);
    expect(await sessionUser(db, s.token)).toEqual({
      id: userId,
      email: 'sess@rutland.gov.uk',
      displayName: 'Sess',
      role: 'admin',
      // Made without an area: the install's first area.
      areaId: 'default',
      csrfToken: s.csrfToken,
    });
    expect(await sessionUser(db, `${s.token.slice(0, -1)}x`)).toBeNull();
    expect(await sessionUser(db, '')).toBeNull();
  });

  it('ends at sign-out, at its absolute expiry and after being idle too long', async () => {
    const out = await createSession(db, userId);
    await deleteSession(db, out.token);
    expect(await sessionUser(db, out.token)).toBeNull();

    const short = await createSession(db, userId, { ttlMs: 1500 });
    expect(await sessionUser(db, short.token)).not.toBeNull();
    await sleep(2000);
    expect(await sessionUser(db, short.token)).toBeNull();

    const idle = await createSession(db, userId);
    await sleep(1200);
    // Idle for 1.2 s: alive with a 60 s idle limit (and marked seen), dead with a 1 s one.
    expect(await sessionUser(db, idle.token, { idleMs: 60_000 })).not.toBeNull();
    expect(await sessionUser(db, idle.token, { idleMs: 1000 })).not.toBeNull();
    await sleep(1200);
    expect(await sessionUser(db, idle.token, { idleMs: 1000 })).toBeNull();
  });

  it('ends every session of a user whose password changes or who is disabled', async () => {
    const a = await createSession(db, userId);
    await setUserPassword(db, userId, 'a brand new password', CHEAP);
    expect(await sessionUser(db, a.token)).toBeNull();
    const b = await createSession(db, userId);
    await setUserDisabled(db, userId, true);
    expect(await sessionUser(db, b.token)).toBeNull();
    await setUserDisabled(db, userId, false);
  });
});

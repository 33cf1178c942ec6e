/**
 * Scale-out: two API processes on different ports against one PostgreSQL database behave as one service, with the
 * rate-limit counters in one Redis (REDIS_URL) or, without Redis, in that PostgreSQL. Needs a PostgreSQL server
 * (DATABASE_URL, as CI sets): the embedded PGlite belongs to one process, so there is nothing to share there and
 * the suite is skipped with that reason.
 */
import { randomBytes } from 'node:crypto';
import { createUser, type Db, openDb } from '@placetwin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_RATE_LIMIT_PER_MINUTE } from '../apps/server/src/routes/api/auth';
import { type ApiProcess, startApiProcess, urlWithSchema } from './support/api-process';
import { staffApiHeaders } from './support/placetwin-server';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const staff = {
  email: 'scale.test@example.gov.uk',
  password: 'two processes, one service',
  role: 'admin' as const,
};

/** Where the two processes keep their rate-limit counters. */
const counterStores = [
  { counters: 'Redis', redis: true },
  { counters: 'PostgreSQL (no REDIS_URL)', redis: false },
];

describe.skipIf(!databaseUrl).each(counterStores)(
  'two API processes on one PostgreSQL, rate-limit counters in $counters (skipped without DATABASE_URL: needs a PostgreSQL server)',
  ({ redis }) => {
    const schema = `test_scale_${randomBytes(6).toString('hex')}`;
    let a: ApiProcess;
    let b: ApiProcess;
    let db: Db;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const url = databaseUrl as string;
      // The schema, its tables and a staff account exist before either process starts.
      db = await openDb({ databaseUrl: url, schema });
      await createUser(db, { ...staff, displayName: 'Scale Test' });
      drop = async () => {
        await db.query(`DROP SCHEMA ${schema} CASCADE`);
        await db.close();
      };
      // One key prefix per run, so counters left by another run (or another twin on this Redis) do not count.
      // Without Redis the counters go in this run's own schema.
      const env = {
        DATABASE_URL: urlWithSchema(url, schema),
        ...(redis
          ? {
              REDIS_URL: redisUrl,
              PLACETWIN_REDIS_PREFIX: `placetwin-test-${randomBytes(6).toString('hex')}:`,
            }
          : { REDIS_URL: undefined }),
      };
      [a, b] = await Promise.all([startApiProcess(env), startApiProcess(env)]);
    });

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await drop?.();
    });

    it('runs as two processes on two ports', () => {
      expect(a.baseUrl).not.toBe(b.baseUrl);
      expect(a.pid).not.toBe(b.pid);
    });

    it('a session made on one process is valid on the other, and signing out on the other ends it on both', async () => {
      const headers = await staffApiHeaders(a.baseUrl, staff.email, staff.password);
      const meOnB = await fetch(`${b.baseUrl}/api/auth/me`, { headers });
      expect(meOnB.status).toBe(200);
      expect(((await meOnB.json()) as { user: { email: string } }).user.email).toBe(staff.email);

      const { 'content-type': _json, ...noBody } = headers;
      const logout = await fetch(`${b.baseUrl}/api/auth/logout`, { method: 'POST', headers: noBody });
      expect(logout.status).toBe(204);
      for (const p of [a, b]) {
        expect((await fetch(`${p.baseUrl}/api/auth/me`, { headers })).status).toBe(401);
      }
    });

    it('a rate limit counts requests to both processes together', async () => {
      // Sign-in allows LOGIN_RATE_LIMIT_PER_MINUTE attempts per address per minute. The previous test used one
      // on A. Spend the rest alternating between B and A: each process alone sees only about half of them, so
      // with per-process counters neither would refuse the next attempt; with shared counters both do.
      const attempt = (p: ApiProcess) =>
        fetch(`${p.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: staff.email, password: 'not the password' }),
        });
      const statuses: number[] = [];
      for (let i = 1; i < LOGIN_RATE_LIMIT_PER_MINUTE; i++)
        statuses.push((await attempt(i % 2 ? b : a)).status);
      expect(statuses).toEqual(Array(LOGIN_RATE_LIMIT_PER_MINUTE - 1).fill(401));

      for (const p of [b, a]) {
        const refused = await attempt(p);
        expect(refused.status).toBe(429);
        const problem = (await refused.json()) as { type: string; status: number };
        expect(problem.status).toBe(429);
        expect(problem.type).toMatch(/rate-limited$/);
      }
      // Other routes have their own counters: the service still answers.
      expect((await fetch(`${a.baseUrl}/api/health`)).status).toBe(200);

      // The counters were where this setup says: sign-in's in the PostgreSQL table (every attempt, refused ones
      // too, plus the one the session test made), or none there when Redis holds them.
      const { rows } = await db.query<{ hits: number }>(
        `SELECT hits FROM rate_limit_counters WHERE key LIKE 'POST/api/auth/login:%'`,
      );
      expect(rows).toEqual(redis ? [] : [{ hits: LOGIN_RATE_LIMIT_PER_MINUTE + 2 }]);
    });
  },
);

import { type Db, hitRateLimit, openTestDb, peekRateLimit, purgeEndedRateLimits } from '@placetwin/db';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import rateLimit from './rate-limit';

// The rate-limit counters in PostgreSQL (no REDIS_URL): on the PG lane (DATABASE_URL) they live in the database and
// two apps on it count together; on the embedded PGlite lane the app keeps them in memory, as one process should.

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});

afterAll(async () => {
  await drop?.();
});

/** An app with only the rate-limit plugin: a route under the global limit and one with its own. */
async function limitedApp(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(rateLimit, { maxPerMinute: 5, db });
  app.get('/open', async () => ({ ok: true }));
  app.post('/strict', { config: { rateLimit: { max: 2, timeWindow: 60_000 } } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const counters = async () =>
  (await db.query<{ key: string; hits: number }>('SELECT key, hits FROM rate_limit_counters ORDER BY key'))
    .rows;

describe('rate-limit counters table', () => {
  it('counts hits in one window, atomically under concurrent requests', async () => {
    const key = 'test:concurrent';
    // On a server, these 40 upserts run on several pooled connections at once: a read-then-write would lose some.
    const counts = await Promise.all(Array.from({ length: 40 }, () => hitRateLimit(db, key, 60_000)));
    expect(counts.map((c) => c.hits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    for (const c of counts) {
      expect(c.ttlMs).toBeGreaterThan(0);
      expect(c.ttlMs).toBeLessThanOrEqual(60_000);
    }
    expect((await peekRateLimit(db, key)).hits).toBe(40);
    // Peeking does not count.
    expect((await peekRateLimit(db, key)).hits).toBe(40);
  });

  it('starts again at 1 once the window has ended, and the purge deletes only ended windows', async () => {
    await hitRateLimit(db, 'test:ended', 60_000);
    await hitRateLimit(db, 'test:ended', 60_000);
    await hitRateLimit(db, 'test:live', 60_000);
    // Ending a window by moving its end into the past (the database's clock decides, so no waiting).
    await db.query(
      `UPDATE rate_limit_counters SET window_ends_at = statement_timestamp() - interval '1 second'
        WHERE key = 'test:ended'`,
    );
    expect(await peekRateLimit(db, 'test:ended')).toEqual({ hits: 0, ttlMs: 0 });
    const restarted = await hitRateLimit(db, 'test:ended', 60_000);
    expect(restarted.hits).toBe(1);
    expect(restarted.ttlMs).toBeGreaterThan(59_000);

    await db.query(
      `UPDATE rate_limit_counters SET window_ends_at = statement_timestamp() - interval '1 second'
        WHERE key = 'test:ended'`,
    );
    expect(await purgeEndedRateLimits(db)).toBe(1);
    const left = (await counters()).map((r) => r.key);
    expect(left).not.toContain('test:ended');
    expect(left).toContain('test:live');
  });
});

describe.skipIf(!process.env.DATABASE_URL)('two apps on one PostgreSQL server (DATABASE_URL set)', () => {
  it('count one client together, per route, and refuse with 429 once over the limit', async () => {
    await db.query('DELETE FROM rate_limit_counters');
    const [a, b] = [await limitedApp(), await limitedApp()];
    try {
      expect((await a.inject({ method: 'POST', url: '/strict' })).statusCode).toBe(200);
      expect((await b.inject({ method: 'POST', url: '/strict' })).statusCode).toBe(200);
      for (const app of [a, b]) {
        const refused = await app.inject({ method: 'POST', url: '/strict' });
        expect(refused.statusCode).toBe(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      }
      // The global limit (5) has its own counter: /strict's four requests did not spend it.
      for (let i = 0; i < 5; i++)
        expect((await (i % 2 ? a : b).inject({ method: 'GET', url: '/open' })).statusCode).toBe(200);
      expect((await a.inject({ method: 'GET', url: '/open' })).statusCode).toBe(429);
      const rows = await counters();
      expect(rows).toEqual([
        { key: 'POST/strict:127.0.0.1', hits: 4 },
        { key: 'global:127.0.0.1', hits: 6 },
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe.skipIf(!!process.env.DATABASE_URL)('one app on the embedded database (PGlite lane)', () => {
  it('keeps its counters in memory, not in the table', async () => {
    await db.query('DELETE FROM rate_limit_counters');
    const app = await limitedApp();
    try {
      for (let i = 0; i < 2; i++)
        expect((await app.inject({ method: 'POST', url: '/strict' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/strict' })).statusCode).toBe(429);
      expect(await counters()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

import type { Db } from './db';

/** A client key's count in its current window, and the milliseconds until that window ends. */
export interface RateLimitCount {
  hits: number;
  ttlMs: number;
}

const TTL_MS = `GREATEST(0, ceil(extract(epoch FROM window_ends_at - statement_timestamp()) * 1000))::bigint`;

/**
 * Counts one request for `key` in one statement (an upsert, atomic under concurrency: two processes bumping the
 * same key both see distinct counts). A window that has ended starts again at 1. Times are the database's.
 */
export async function hitRateLimit(db: Db, key: string, windowMs: number): Promise<RateLimitCount> {
  const r = await db.query<RateLimitCount>(
    `INSERT INTO rate_limit_counters AS c (key, hits, window_ends_at)
       VALUES ($1, 1, statement_timestamp() + $2 * interval '1 millisecond')
     ON CONFLICT (key) DO UPDATE SET
       hits = CASE WHEN c.window_ends_at <= statement_timestamp() THEN 1 ELSE c.hits + 1 END,
       window_ends_at = CASE WHEN c.window_ends_at <= statement_timestamp() THEN EXCLUDED.window_ends_at
                             ELSE c.window_ends_at END
     RETURNING hits, ${TTL_MS} AS "ttlMs"`,
    [key, windowMs],
  );
  return r.rows[0] as RateLimitCount;
}

/** The count for `key` without counting (0 hits, 0 ms when it has no live window). */
export async function peekRateLimit(db: Db, key: string): Promise<RateLimitCount> {
  const r = await db.query<RateLimitCount>(
    `SELECT hits, ${TTL_MS} AS "ttlMs" FROM rate_limit_counters
      WHERE key = $1 AND window_ends_at > statement_timestamp()`,
    [key],
  );
  return r.rows[0] ?? { hits: 0, ttlMs: 0 };
}

/** Deletes the counters whose window has ended (they hold client addresses); returns how many. */
export async function purgeEndedRateLimits(db: Db): Promise<number> {
  const r = await db.query<{ n: number }>(
    `WITH gone AS (DELETE FROM rate_limit_counters WHERE window_ends_at <= statement_timestamp() RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
  );
  return r.rows[0]?.n ?? 0;
}

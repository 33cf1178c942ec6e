-- Stateless API: rate-limit counters shared by every API process on one PostgreSQL server (when no Redis is
-- configured). One row per client key (address + route) and window, bumped by one atomic upsert per request
-- (see rateLimits.ts). UNLOGGED: counters are worth nothing after a crash, so they skip the WAL (faster writes,
-- and the table is emptied by crash recovery, which only resets the limits early).
-- The keys hold client IP addresses: rows are deleted once their window has ended (the server purges them).
CREATE UNLOGGED TABLE rate_limit_counters (
  key text PRIMARY KEY,
  hits integer NOT NULL CHECK (hits > 0),
  -- The database's clock, not the processes': several servers agree on one window even if their clocks drift.
  window_ends_at timestamptz NOT NULL
);

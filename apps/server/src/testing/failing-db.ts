import type { Db } from '@placetwin/db';

/**
 * For tests of what the server does before or without data: a PostgreSQL-server database that fails every query
 * and counts the ones about the twin's data. The rate limiter's counters (asked on every request when the counters
 * live in PostgreSQL) are not counted: they fail too, and the limiter lets the request through (`skipOnError`).
 */
export function failingDb(message = 'no database in this test'): Db & { queries: number } {
  const db: Db & { queries: number } = {
    kind: 'server',
    queries: 0,
    async query(sql: string) {
      if (!/\brate_limit_counters\b/.test(sql)) db.queries++;
      throw new Error(message);
    },
    transaction: (fn) => fn(db),
    close: async () => {},
  };
  return db;
}

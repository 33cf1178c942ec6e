import { randomBytes } from 'node:crypto';
import { type Db, openDb } from './db';

/**
 * A fresh, isolated database for a test file: embedded in memory by default, or a new schema on the
 * PostgreSQL server when DATABASE_URL is set (dropped again by `drop`). Real PostGIS either way.
 */
export async function openTestDb(): Promise<{ db: Db; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDb({ dataDir: 'memory://' });
    return { db, drop: () => db.close() };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openDb({ databaseUrl: url, schema });
  return {
    db,
    drop: async () => {
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  };
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Db, dumpEmbedded, openDb } from './db';

/**
 * A database state test files can start from, e.g. "the Rutland extract imported": built by `seed` on a fresh,
 * migrated database. With the embedded database it is built once per test run and each file starts from a copy.
 */
export interface TestDbSeed {
  /** Names the state within a run (lower-case letters, digits, hyphens): one key, one seed function. */
  key: string;
  seed: (db: Db) => Promise<unknown>;
}

/**
 * Where the embedded lane keeps its per-run copies of migrated (and seeded) data directories; set by the db lane's
 * global setup (test/support/db-global-setup.ts). Unset, every test database is migrated and seeded from scratch.
 */
export const TEST_DB_CACHE_ENV = 'PLACETWIN_TEST_DB_CACHE';

const KEY = /^[a-z0-9-]+$/;

/**
 * A fresh, isolated database for a test file: embedded in memory by default, or a new schema on the
 * PostgreSQL server when DATABASE_URL is set (dropped again by `drop`). Real PostGIS either way.
 * With `seed`, the database starts in that state (see TestDbSeed).
 */
export async function openTestDb(
  seed?: TestDbSeed,
  /** `migrateUntil`: a database migrated only up to this file (not cached), to test a later migration's backfill. */
  options: { migrateUntil?: string } = {},
): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (seed && !KEY.test(seed.key)) throw new Error(`bad test database key ${seed.key}`);
  const url = process.env.DATABASE_URL;
  if (!url && options.migrateUntil !== undefined) {
    if (seed) throw new Error('a seed needs the fully migrated schema');
    const db = await openDb({ dataDir: 'memory://', migrateUntil: options.migrateUntil });
    return { db, drop: () => db.close() };
  }
  if (!url) {
    const db = await openEmbeddedTestDb(seed);
    return { db, drop: () => db.close() };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openDb({ databaseUrl: url, schema, migrateUntil: options.migrateUntil });
  const drop = async () => {
    await db.query(`DROP SCHEMA ${schema} CASCADE`);
    await db.close();
  };
  try {
    await seed?.seed(db);
  } catch (e) {
    await drop();
    throw e;
  }
  return { db, drop };
}

/**
 * An in-memory PGlite: loaded from the run's copy of this state when there is one, else built (migrations, then
 * the seed, itself started from the migrated copy) and, when the run keeps copies, saved for the next file.
 */
async function openEmbeddedTestDb(seed?: TestDbSeed): Promise<Db> {
  const cache = process.env[TEST_DB_CACHE_ENV];
  const file = cache ? join(cache, `${seed?.key ?? 'migrated'}.tar`) : undefined;
  if (file && existsSync(file)) {
    return openDb({ dataDir: 'memory://', loadDataDir: new Blob([await readFile(file)]) });
  }
  const db = seed ? await openEmbeddedTestDb() : await openDb({ dataDir: 'memory://' });
  try {
    await seed?.seed(db);
    if (file) {
      // A checkpoint first, so that the copy holds sequences' current values rather than their WAL-logged ones
      // (recovery from the WAL would move every sequence on by up to 32): ids come out as from a fresh import.
      await db.query('CHECKPOINT');
      const tar = new Uint8Array(await (await dumpEmbedded(db)).arrayBuffer());
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(tmp, tar);
      await rename(tmp, file);
    }
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

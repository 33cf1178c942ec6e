/**
 * Global setup of the db lane: a directory for this run's copies of test database states (see openTestDb in
 * packages/db/src/testing.ts). With the embedded database, the first file to need a state — migrated, or a seed
 * such as the Rutland import — builds it and leaves a copy here; later files start from that copy instead of
 * running the migrations and imports again. Each file still has its own database. Removed when the run ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TEST_DB_CACHE_ENV } from '../../packages/db/src/testing';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'placetwin-test-db-'));
  process.env[TEST_DB_CACHE_ENV] = dir;
  // The API server works its own jobs (sun hours) on the queue: on a shared PostgreSQL server, this run's apps
  // get a queue schema of their own, so that another run's server takes none of their jobs (nor they its).
  const queueSchema =
    process.env.DATABASE_URL && !process.env.PLACETWIN_JOBS_SCHEMA
      ? `test_q_${randomBytes(6).toString('hex')}`
      : null;
  if (queueSchema) process.env.PLACETWIN_JOBS_SCHEMA = queueSchema;
  return async () => {
    delete process.env[TEST_DB_CACHE_ENV];
    if (queueSchema) {
      delete process.env.PLACETWIN_JOBS_SCHEMA;
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${queueSchema} CASCADE`).finally(() => client.end());
    }
    await rm(dir, { recursive: true, force: true });
  };
}

/**
 * Global setup of the db lane: a directory for this run's copies of test database states (see openTestDb in
 * packages/db/src/testing.ts). With the embedded database, the first file to need a state — migrated, or a seed
 * such as the Rutland import — builds it and leaves a copy here; later files start from that copy instead of
 * running the migrations and imports again. Each file still has its own database. Removed when the run ends.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DB_CACHE_ENV } from '../../packages/db/src/testing';

export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'placetwin-test-db-'));
  process.env[TEST_DB_CACHE_ENV] = dir;
  return async () => {
    delete process.env[TEST_DB_CACHE_ENV];
    await rm(dir, { recursive: true, force: true });
  };
}

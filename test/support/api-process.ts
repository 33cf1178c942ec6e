/**
 * Starts one real API process (`apps/server/src/server.ts`, no viewer build) against a given database, for the
 * scale-out tests and benchmarks: several of these on different ports against one PostgreSQL make one service.
 * The sample folder is pointed at an empty directory, so the process serves the database as it is (no import).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { type ServerProcess, startServerProcess } from './server-process';

export type ApiProcess = ServerProcess;

/** A PostgreSQL URL whose connections use `schema` (then `public`, for PostGIS) for every table. */
export const urlWithSchema = (databaseUrl: string, schema: string): string => {
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
};

/**
 * `env` overrides this process's environment, and a key set to `undefined` removes it (e.g. `REDIS_URL`, to keep
 * the rate-limit counters in PostgreSQL).
 */
export async function startApiProcess(
  env: Record<string, string | undefined>,
  timeoutMs = 120_000,
): Promise<ApiProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'placetwin-api-'));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PLACETWIN_DATA_DIR: dir,
    PLACETWIN_SAMPLE_DATA: join(dir, 'no-sample-data'),
    PLACETWIN_SECURE_COOKIES: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return startServerProcess({
    args: ['--import', 'tsx', join(repoRoot, 'apps/server/src/server.ts')],
    env: childEnv,
    name: 'API process',
    timeoutMs,
    pollMs: 300,
    cleanUp: () => rm(dir, { recursive: true, force: true }),
  });
}

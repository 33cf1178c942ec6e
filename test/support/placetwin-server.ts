/**
 * Starts a real Placetwin (`node scripts/start.mjs`: builds the viewer when stale, then the server, which imports and
 * tiles the sample city on first start) on a free port with its own fresh data directory and the embedded database.
 * For end-to-end tests and the viewer benchmark.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths';
import { startServerProcess } from './server-process';

export { freePort } from './server-process';

export interface RunningPlacetwin {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  dataDir: string;
  /** Everything the server printed so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

/** Environment variable naming a data directory with the sample city already imported and tiled (see
 * `e2e-global-setup.ts`): each test's server starts on a copy of it instead of importing Rutland again. */
export const TEMPLATE_ENV = 'PLACETWIN_E2E_TEMPLATE';

/**
 * A fresh data directory for one server: a copy of the prepared sample city when the e2e global setup made one,
 * else empty (the server then imports and tiles the sample on its first start, as `npm start` does).
 */
export async function newDataDir(prefix = 'placetwin-e2e-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const template = process.env[TEMPLATE_ENV];
  if (template) await cp(template, dir, { recursive: true });
  return dir;
}

/**
 * Starts the server and resolves once `/api/health` answers 200. The first start on a fresh data directory imports
 * and tiles Rutland, which takes minutes on a small machine: `timeoutMs` allows for it.
 */
export async function startPlacetwin({
  timeoutMs = 9 * 60_000,
  env = {},
}: {
  timeoutMs?: number;
  env?: Record<string, string>;
} = {}): Promise<RunningPlacetwin> {
  // The caller's own directory when it gives one (and then removes it itself), else one of ours.
  const ownDir = env.PLACETWIN_DATA_DIR === undefined;
  const dataDir = env.PLACETWIN_DATA_DIR ?? (await newDataDir());
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PLACETWIN_DATA_DIR: dataDir,
    ...env,
  };
  // The embedded database: this test must not depend on, or write to, a PostgreSQL server CI may have set up.
  delete childEnv.DATABASE_URL;
  // Nor share rate-limit counters in a Redis CI set up for the scale-out tests (test/scale-out.db.test.ts).
  if (env.REDIS_URL === undefined) delete childEnv.REDIS_URL;
  const server = await startServerProcess({
    args: [join(repoRoot, 'scripts/start.mjs')],
    env: childEnv,
    name: 'Placetwin',
    timeoutMs,
    pollMs: 1000,
    cleanUp: async () => {
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  });
  return { baseUrl: server.baseUrl, dataDir, log: server.log, stop: server.stop };
}

/**
 * A server on a fresh copy of the sample city with one staff account, made with the CLI (`placetwin user add`)
 * before the server opens the database; its data directory goes when it stops.
 */
export async function startPlacetwinWithStaff(
  staff: { email: string; password: string; role: 'admin' | 'planner' | 'councillor' },
  env: Record<string, string> = {},
): Promise<RunningPlacetwin> {
  const dataDir = await newDataDir('placetwin-staff-e2e-');
  const cliEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PLACETWIN_DATA_DIR: dataDir,
    PLACETWIN_PASSWORD: staff.password,
  };
  delete cliEnv.DATABASE_URL;
  await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'packages/cli/bin/placetwin.mjs'), 'user', 'add', '-e', staff.email, '-r', staff.role],
    { cwd: repoRoot, env: cliEnv },
  );
  const server = await startPlacetwin({ env: { ...env, PLACETWIN_DATA_DIR: dataDir } });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the API: headers for staff requests (the session cookie and its CSRF token). */
export async function staffApiHeaders(
  baseUrl: string,
  email: string,
  password: string,
): Promise<Record<string, string>> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

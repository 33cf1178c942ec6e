/**
 * Starts one real API process (`apps/server/src/server.ts`, no viewer build) against a given database, for the
 * scale-out tests and benchmarks: several of these on different ports against one PostgreSQL make one service.
 * The sample folder is pointed at an empty directory, so the process serves the database as it is (no import).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { freePort } from './placetwin-server';

export interface ApiProcess {
  baseUrl: string;
  pid: number;
  log(): string;
  stop(): Promise<void>;
}

/** A PostgreSQL URL whose connections use `schema` (then `public`, for PostGIS) for every table. */
export const urlWithSchema = (databaseUrl: string, schema: string): string => {
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
};

export async function startApiProcess(env: Record<string, string>, timeoutMs = 120_000): Promise<ApiProcess> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'placetwin-api-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'apps/server/src/server.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        PLACETWIN_DATA_DIR: dir,
        PLACETWIN_SAMPLE_DATA: join(dir, 'no-sample-data'),
        PLACETWIN_SECURE_COOKIES: 'false',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(killTimer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`API process exited with code ${child.exitCode}:\n${output}`);
    }
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseUrl, pid: child.pid ?? 0, log: () => output, stop };
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`API process not healthy within ${timeoutMs / 1000} s:\n${output}`);
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@placetwin/cli';

export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });

export interface RunningTwin {
  url: string;
  dataDir: string;
  tilesetsDir: string;
  stop: () => Promise<void>;
}

/**
 * Starts the real server (as `npm start` does, without the viewer build step) on a free port with a fresh embedded
 * database, and waits until it reports healthy (first start imports and tiles Rutland).
 */
export async function startTwin(
  options: { dataDir?: string; timeoutMs?: number } = {},
): Promise<RunningTwin> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'placetwin-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PLACETWIN_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'apps/server/src/server.ts')],
    {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  for (;;) {
    if (exited !== null) throw new Error(`server exited with code ${exited} before it was healthy`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('server did not become healthy in time');
    }
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    dataDir,
    tilesetsDir: join(dataDir, 'tilesets'),
    stop: () =>
      new Promise((done) => {
        if (exited !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

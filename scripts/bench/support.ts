import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@placetwin/cli';
import { startServerProcess } from '../../test/support/server-process';

export { freePort } from '../../test/support/server-process';

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
  const env: NodeJS.ProcessEnv = { ...process.env, PLACETWIN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const server = await startServerProcess({
    args: ['--import', 'tsx', join(repoRoot, 'apps/server/src/server.ts')],
    env,
    name: 'server',
    timeoutMs: options.timeoutMs ?? 300_000,
  });
  return { url: server.baseUrl, dataDir, tilesetsDir: join(dataDir, 'tilesets'), stop: server.stop };
}

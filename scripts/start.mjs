// `npm start`: builds the viewer when its build is missing or older than its sources, then runs the server
// (which imports and tiles the sample city on first start). Honours PORT, HOST, DATABASE_URL, PLACETWIN_DATA_DIR.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const viewer = join(root, 'apps/viewer');
const built = join(viewer, 'dist/index.html');

const newest = (p) => {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(p).map((f) => newest(join(p, f))));
};
const sources = ['src', 'index.html', 'vite.config.ts', 'package.json']
  .map((f) => join(viewer, f))
  .filter(existsSync);

if (!existsSync(built) || Math.max(...sources.map(newest)) > statSync(built).mtimeMs) {
  console.log('Building the viewer (first start, or its sources changed) …');
  const r = spawnSync('npm', ['run', 'build', '-w', '@placetwin/viewer'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const server = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/server/src/server.ts')], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

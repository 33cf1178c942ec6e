/**
 * Cached tile serving: autocannon, 64 connections, against Placetwin's tile route and against nginx (Debian)
 * serving the same files from the same directory, in the same run. Ratio = Placetwin req/s ÷ nginx req/s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { BenchResult } from './harness';
import { freePort, startTwin } from './support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 64;

async function hammer(
  base: string,
  paths: string[],
): Promise<{ rps: number; mbps: number; errors: number; non2xx: number }> {
  let i = 0;
  const r = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  return { rps: r.requests.average, mbps: r.throughput.average / 1e6, errors: r.errors, non2xx: r.non2xx };
}

const nginxBinary = () =>
  ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);

export default async function serving(): Promise<BenchResult[]> {
  const twin = await startTwin();
  try {
    const dir = join(twin.tilesetsDir, 'rutland');
    const glbs = readdirSync(dir).filter((f) => f.endsWith('.glb'));
    const bytes = glbs.reduce((s, f) => s + statSync(join(dir, f)).size, 0);
    const paths = glbs.map((f) => `/tilesets/rutland/${f}`);
    const ours = await hammer(twin.url, paths);
    const result: BenchResult = {
      name: `cached tile serving, Placetwin (${glbs.length} Rutland .glb tiles, mean ${Math.round(bytes / glbs.length)} B, ${CONNECTIONS} connections, ${SECONDS} s)`,
      value: ours.rps,
      unit: `req/s (${ours.mbps.toFixed(1)} MB/s, ${ours.errors} errors, ${ours.non2xx} non-2xx)`,
      goal: '≥ 0.5× nginx',
    };
    const nginx = nginxBinary();
    if (!nginx)
      return [{ ...result, note: 'nginx not installed (apt-get install nginx-light): no baseline' }];
    const port = await freePort();
    const conf = join(twin.dataDir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off; user root; worker_processes auto; error_log stderr error; pid ${twin.dataDir}/nginx.pid;
events { worker_connections 1024; }
http { access_log off; sendfile on; keepalive_requests 100000;
  types { model/gltf-binary glb; application/json json; }
  server { listen 127.0.0.1:${port}; location /tilesets/ { alias ${twin.tilesetsDir}/; etag on; } } }`,
    );
    const proc = spawn(nginx, ['-c', conf, '-p', twin.dataDir], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 500));
    try {
      const base = await hammer(`http://127.0.0.1:${port}`, paths);
      return [
        {
          ...result,
          baseline: {
            name: 'nginx (same files)',
            value: base.rps,
            unit: `req/s (${base.mbps.toFixed(1)} MB/s, ${base.errors} errors, ${base.non2xx} non-2xx)`,
          },
          ratio: ours.rps / base.rps,
          ratioMeaning: 'Placetwin ÷ nginx, higher is better',
        },
      ];
    } finally {
      proc.kill('SIGTERM');
    }
  } finally {
    await twin.stop();
  }
}

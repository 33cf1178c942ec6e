/**
 * Scale-out (not pass/fail). Needs a PostgreSQL server (DATABASE_URL): jobs and several API processes need one.
 *
 * 1. Import + tiling throughput: Rutland's real OSM footprints REPLICATED on a grid (copies shifted 0.25° apart)
 *    to BENCH_SCALE_BUILDINGS buildings (default 200,000; `BENCH_SCALE_BUILDINGS=1000000` for the issue's 1M),
 *    imported in one transaction, then tiled on the job queue by 1, 2 and 4 `placetwin worker` processes:
 *    buildings/s for each, peak RSS (VmHWM) per worker process, and the time extrapolated to England's ~25 M.
 *    Ratio: N workers ÷ 1 worker.
 * 2. Two API processes vs one under 64 connections (autocannon, GET /api/datasets): requests/s ratio, with the
 *    rate-limit counters in PostgreSQL (no REDIS_URL) and, when REDIS_URL is set, in Redis: every request also
 *    bumps a shared counter there, which is part of what a stateless API costs.
 * `BENCH_SCALE_PARTS=api` runs part 2 alone (on an empty schema), `tiling` part 1 alone; default both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { enqueueTiling, loadOstn15, openQueue, waitForRun } from '@placetwin/cli';
import { importFeatures, openDb } from '@placetwin/db';
import type { BuildingFeature, MultiPolygon2 } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import autocannon from 'autocannon';
import { startApiProcess, urlWithSchema } from '../../test/support/api-process';
import { repoRoot, sample, sampleDataDir } from '../../test/support/paths';
import type { BenchResult } from './harness';

const TARGET = Number(process.env.BENCH_SCALE_BUILDINGS ?? 200_000);
const ENGLAND = 25_000_000;
const WORKERS = (process.env.BENCH_SCALE_WORKERS ?? '1,2,4').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PARTS = new Set((process.env.BENCH_SCALE_PARTS ?? 'tiling,api').split(','));
const CONNECTIONS = 64;

const shift = (fp: MultiPolygon2, dLon: number, dLat: number): MultiPolygon2 =>
  fp.map((poly) =>
    poly.map((ring) => ring.map((v, i) => (i % 2 === 0 ? v + dLon : v + dLat)) as unknown as Float64Array),
  );

async function* replicated(base: BuildingFeature[], n: number): AsyncGenerator<BuildingFeature> {
  const side = Math.ceil(Math.sqrt(Math.ceil(n / base.length)));
  let made = 0;
  for (let copy = 0; made < n; copy++) {
    const dLon = (copy % side) * 0.25;
    const dLat = Math.floor(copy / side) * 0.25;
    for (const b of base) {
      if (made >= n) return;
      made++;
      yield {
        ...b,
        sourceId: `${b.sourceId}-c${copy}`,
        parentSourceId: b.parentSourceId ? `${b.parentSourceId}-c${copy}` : b.parentSourceId,
        footprint: shift(b.footprint, dLon, dLat),
      } as BuildingFeature;
    }
  }
}

const peakRssMb = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
};

/** Requests/s of two API processes (32 connections each) ÷ one (64 connections), on one database. */
async function apiProcessesRatio(
  databaseUrl: string,
  counters: string,
  env: Record<string, string | undefined>,
): Promise<BenchResult> {
  const [a, b] = await Promise.all([
    startApiProcess({ DATABASE_URL: databaseUrl, PLACETWIN_RATE_LIMIT: '1000000000', ...env }),
    startApiProcess({ DATABASE_URL: databaseUrl, PLACETWIN_RATE_LIMIT: '1000000000', ...env }),
  ]);
  try {
    const hammer = async (base: string, connections: number) =>
      (await autocannon({ url: `${base}/api/datasets`, connections, duration: SECONDS })).requests.average;
    const one = await hammer(a.baseUrl, CONNECTIONS);
    const two = (
      await Promise.all([hammer(a.baseUrl, CONNECTIONS / 2), hammer(b.baseUrl, CONNECTIONS / 2)])
    ).reduce((x, y) => x + y, 0);
    return {
      name: `two API processes vs one, GET /api/datasets, ${CONNECTIONS} connections, ${SECONDS} s, rate-limit counters in ${counters}`,
      value: two,
      unit: 'req/s',
      baseline: { name: 'one process', value: one, unit: 'req/s' },
      ratio: two / one,
      ratioMeaning: 'higher is better; bounded by the 2 CPU cores shared with PostgreSQL and autocannon here',
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

export default async function scale(): Promise<BenchResult[]> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    return [
      {
        name: 'scale-out',
        value: 0,
        unit: 'skipped',
        note: 'needs a PostgreSQL server: DATABASE_URL=postgres://… npm run bench scale',
      },
    ];
  }
  const schema = `bench_scale_${randomBytes(4).toString('hex')}`;
  const jobsSchema = `${schema}_q`;
  const url = urlWithSchema(databaseUrl, schema);
  const db = await openDb({ databaseUrl, schema });
  const work = await mkdtemp(join(tmpdir(), 'placetwin-bench-scale-'));
  const results: BenchResult[] = [];
  try {
    if (PARTS.has('tiling')) {
      await loadOstn15(sampleDataDir);
      const path = sample('rutland/rutland-2022-11.osm.pbf');
      const bytes = new Uint8Array(await readFile(path));
      const base: BuildingFeature[] = [];
      for await (const f of importerFor(bytes, basename(path)).parse(bytes, {
        fileName: basename(path),
        skipInvalid: true,
      }))
        if (f.kind !== 'map') base.push(f);
      const what = `${TARGET.toLocaleString('en-GB')} buildings (Rutland's ${base.length.toLocaleString('en-GB')} real OSM footprints replicated on a grid)`;

      const t0 = performance.now();
      await importFeatures(
        db,
        {
          name: 'scale',
          title: 'Rutland replicated (benchmark)',
          source: basename(path),
          licence: 'ODbL-1.0',
          attribution: '© OpenStreetMap contributors',
          vintage: null,
          crs: 'EPSG:4326',
        },
        replicated(base, TARGET),
      );
      const importS = (performance.now() - t0) / 1000;
      results.push({
        name: `import, ${what}`,
        value: TARGET / importS,
        unit: 'buildings/s',
        note: `${importS.toFixed(0)} s; England (~25 M) extrapolated: ${(ENGLAND / (TARGET / importS) / 3600).toFixed(1)} h`,
      });

      const boss = await openQueue(url, jobsSchema);
      let oneRate = 0;
      try {
        for (const n of WORKERS) {
          const dataDir = join(work, `w${n}`);
          const id = await enqueueTiling(db, boss, 'scale');
          const t1 = performance.now();
          const workers: ChildProcess[] = Array.from({ length: n }, () =>
            spawn(process.execPath, [join(repoRoot, 'packages/cli/bin/placetwin.mjs'), 'worker'], {
              cwd: repoRoot,
              env: {
                ...process.env,
                DATABASE_URL: url,
                PLACETWIN_JOBS_SCHEMA: jobsSchema,
                PLACETWIN_DATA_DIR: dataDir,
              },
              stdio: 'ignore',
            }),
          );
          const state = await waitForRun(db, id);
          const s = (performance.now() - t1) / 1000;
          const rss = await Promise.all(workers.map((w) => peakRssMb(w.pid ?? 0)));
          await Promise.all(
            workers.map(
              (w) =>
                new Promise<void>((resolve) => {
                  if (w.exitCode !== null) return resolve();
                  w.once('exit', () => resolve());
                  w.kill('SIGTERM');
                }),
            ),
          );
          const rate = TARGET / s;
          if (n === WORKERS[0]) oneRate = rate;
          results.push({
            name: `tiling on the job queue, ${n} worker process${n === 1 ? '' : 'es'}, ${what}`,
            value: rate,
            unit: `buildings/s (${state}, ${s.toFixed(0)} s incl. worker start-up)`,
            baseline: { name: `${WORKERS[0]} worker`, value: oneRate, unit: 'buildings/s' },
            ratio: rate / oneRate,
            ratioMeaning: 'higher is better; 2 CPU cores on this machine',
            goal: 'peak RSS ≤ 1.5 GB per process',
            note: `peak RSS per worker ${rss.map((m) => `${Math.round(m)} MB`).join(', ')}; England (~25 M) extrapolated: ${(ENGLAND / rate / 3600).toFixed(1)} h tiling + ${(ENGLAND / (TARGET / importS) / 3600).toFixed(1)} h import`,
          });
        }
      } finally {
        await boss.stop({ graceful: false, wait: true });
      }
    }
    if (PARTS.has('api')) {
      results.push(await apiProcessesRatio(url, 'PostgreSQL', { REDIS_URL: undefined }));
      const redisUrl = process.env.REDIS_URL;
      if (redisUrl)
        results.push(
          await apiProcessesRatio(url, 'Redis', {
            REDIS_URL: redisUrl,
            PLACETWIN_REDIS_PREFIX: `${schema}:`,
          }),
        );
    }
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${jobsSchema} CASCADE`).catch(() => {});
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await db.close();
    await rm(work, { recursive: true, force: true });
  }
  return results;
}

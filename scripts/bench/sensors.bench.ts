/**
 * Sensor ingest and charts on real data (Leeds City Council footfall, shared/data/leeds-footfall):
 * - sustained MQTT → PostGIS ingest: scripts/replay-footfall.ts (a separate process) publishes real hourly
 *   counts of the 8 sites at QoS 1 to a private mosquitto while the ingester's persistent session is away, then
 *   the ingester (@placetwin/sensors MqttIngester, batched multi-row INSERT … ON CONFLICT DO NOTHING, PUBACK after
 *   commit) drains them: rate = readings / (start → last commit), the ingest path's own capacity on this machine.
 *   Loss is checked: every reading the broker acknowledged must be in the database, once. Baseline in the same
 *   run: the same path storing one reading per INSERT (and transaction), i.e. `maxBatch: 1`. A live run
 *   (publishing while ingesting) is reported alongside; it is bounded by what the publisher offers.
 * - chart query: one year of hourly counts (Briggate, 2012) as 366 daily min/mean/max, aggregated in the
 *   database (`date_trunc(…, 'Europe/London')`); baseline: fetch the 8,784 raw rows and downsample in JS.
 * The database is DATABASE_URL's PostgreSQL/PostGIS (a throwaway schema) when set, else embedded PGlite.
 */
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Db,
  importObservationHistory,
  listSensors,
  loadSensorTarget,
  observationSeries,
  openTestDb,
  registerSensors,
  storeObservations,
} from '@placetwin/db';
import {
  CachedSensorDirectory,
  downsample,
  MqttIngester,
  parseSensorList,
  readLeedsFootfall,
} from '@placetwin/sensors';
import { startTestBroker, type TestBroker } from '../../test/support/mosquitto';
import { repoRoot, sample } from '../../test/support/paths';
import { type BenchResult, timeIt } from './harness';

const FOOTFALL = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');
const SITES = join(repoRoot, 'packages/sensors/fixtures/leeds-footfall-sites.geojson');
const BATCHED_N = 100_000;
const BASELINE_N = 10_000;

interface IngestRun {
  perSecond: number;
  stored: number;
  acknowledged: number;
  offeredPerSecond: number;
  seconds: number;
}

async function countBetween(db: Db, fromMs: number, toMs: number): Promise<number> {
  const r = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM observations WHERE phenomenon_time >= $1::timestamptz AND phenomenon_time < $2::timestamptz',
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return r.rows[0].n;
}

/** scripts/replay-footfall.ts in its own process, as fast as the broker acknowledges; its JSON summary. */
async function publish(broker: TestBroker, n: number, from: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'scripts/replay-footfall.ts'),
      ...['--url', broker.url, '--speed', 'max', '--limit', String(n), '--from', from, '--preload', '--json'],
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { acknowledged: number; perSecond: number };
}

/**
 * Times `n` real readings from `from` on into the database. `drain`: they are published while the ingester is
 * away (the broker queues them for its persistent session), then the ingester is started and timed until the last
 * commit, so the figure is the ingest path's own capacity, not the load generator's. `live`: published while it
 * runs, timed from first insert to last commit (bounded by what the publisher offers).
 */
async function ingestRun(
  db: Db,
  broker: TestBroker,
  options: { n: number; from: string; maxBatch: number; mode: 'drain' | 'live' },
): Promise<IngestRun> {
  const { n, from, maxBatch, mode } = options;
  let firstInsert = 0;
  let lastCommit = 0;
  let stored = 0;
  const clientId = `bench-${mode}-${maxBatch}`;
  const make = () =>
    new MqttIngester({
      url: broker.url,
      clientId,
      maxBatch,
      directory: new CachedSensorDirectory((id) => loadSensorTarget(db, id)),
      store: {
        store: async (readings) => {
          if (!firstInsert) firstInsert = performance.now();
          const r = await storeObservations(db, readings);
          stored += r.inserted.length;
          lastCommit = performance.now();
          return r;
        },
      },
    });
  const connected = async (i: MqttIngester) => {
    for (let k = 0; k < 200 && !i.connected; k++) await new Promise((r) => setTimeout(r, 25));
  };
  let ingester = make();
  ingester.start();
  await connected(ingester);
  await new Promise((r) => setTimeout(r, 300)); // SUBACK: the broker now keeps a session for it
  let started = 0;
  if (mode === 'drain') await ingester.stop();
  const publisher = await publish(broker, n, from);
  if (mode === 'drain') {
    started = performance.now();
    ingester = make();
    ingester.start();
  }
  const deadline = Date.now() + 300_000;
  while (stored < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await ingester.idle();
  await ingester.stop();
  const fromMs = Date.parse(from);
  const seconds = (lastCommit - (mode === 'drain' ? started : firstInsert)) / 1000;
  return {
    perSecond: stored / seconds,
    stored: await countBetween(db, fromMs, fromMs + 3 * 366 * 86_400_000),
    acknowledged: publisher.acknowledged,
    offeredPerSecond: publisher.perSecond,
    seconds,
  };
}

async function chartYear(db: Db) {
  const leeds = await parseSensorList(readFileSync(SITES, 'utf8'), {
    fileName: 'leeds-footfall-sites.geojson',
  });
  const briggate = leeds.find((d) => d.properties?.sourceName === 'Briggate');
  await registerSensors(db, [{ ...(briggate as (typeof leeds)[0]), id: 'chart-briggate', area: 'bench' }]);
  async function* year2012() {
    for await (const row of readLeedsFootfall(createReadStream(FOOTFALL), { fileName: 'footfall.csv.gz' })) {
      if (row.site !== 'Briggate' || row.phenomenonTimeMs < Date.UTC(2012, 0, 1)) continue;
      if (row.phenomenonTimeMs >= Date.UTC(2013, 0, 1)) break;
      yield { sensorId: 'chart-briggate', phenomenonTimeMs: row.phenomenonTimeMs, value: row.count };
    }
  }
  await importObservationHistory(db, year2012());
  const datastreamId = (await loadSensorTarget(db, 'chart-briggate'))?.datastreams[0].id as number;
  const q = {
    datastreamId,
    fromMs: Date.UTC(2012, 0, 1),
    toMs: Date.UTC(2013, 0, 1),
    timeZone: 'Europe/London',
  };
  let days = 0;
  let rawRows = 0;
  const inDb = await timeIt(async () => {
    days = (await observationSeries(db, { ...q, bucket: 'day' })).t.length;
  }, 7);
  const inJs = await timeIt(async () => {
    const raw = await observationSeries(db, { ...q, bucket: 'raw' });
    rawRows = raw.t.length;
    downsample(Float64Array.from(raw.t), Float64Array.from(raw.value ?? []), {
      bucket: 'day',
      timeZone: 'Europe/London',
    });
  }, 7);
  const hourly = await timeIt(() => observationSeries(db, { ...q, bucket: 'hour' }), 7);
  return { inDb, inJs, hourly, days, rawRows };
}

/**
 * Replay on the clock: every sensor's value at an instant (what the map shows when the timeline moves), as the
 * server asks for it (one backward probe of the (datastream, time) index per datastream); baseline: the last
 * reading per datastream found by scanning every reading up to that instant (DISTINCT ON).
 */
async function replayInstant(db: Db) {
  const atMs = Date.UTC(2011, 5, 15, 12);
  const at = new Date(atMs).toISOString();
  const readings = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM observations')).rows[0].n;
  let sensors = 0;
  const probe = await timeIt(async () => {
    sensors = (await listSensors(db, { atMs })).length;
  }, 7);
  const scan = await timeIt(
    () =>
      db.query(
        `SELECT DISTINCT ON (datastream_id) datastream_id, phenomenon_time, result FROM observations
         WHERE phenomenon_time <= $1::timestamptz ORDER BY datastream_id, phenomenon_time DESC`,
        [at],
      ),
    7,
  );
  return { probe, scan, readings, sensors };
}

export default async function sensorsBench(): Promise<BenchResult[]> {
  const { db, drop } = await openTestDb();
  const broker = await startTestBroker();
  const mode = db.kind === 'server' ? 'PostgreSQL 15 + PostGIS server' : 'embedded PGlite + PostGIS';
  try {
    const sites = await parseSensorList(readFileSync(SITES, 'utf8'), {
      fileName: 'leeds-footfall-sites.geojson',
    });
    await registerSensors(db, sites);
    // Disjoint stretches of the history, so no run meets another's readings as duplicates.
    const batched = await ingestRun(db, broker, {
      n: BATCHED_N,
      from: '2009-01-01T00:00:00Z',
      maxBatch: 2000,
      mode: 'drain',
    });
    const single = await ingestRun(db, broker, {
      n: BASELINE_N,
      from: '2015-01-01T00:00:00Z',
      maxBatch: 1,
      mode: 'drain',
    });
    const live = await ingestRun(db, broker, {
      n: BATCHED_N,
      from: '2011-01-01T00:00:00Z',
      maxBatch: 2000,
      mode: 'live',
    });
    const chart = await chartYear(db);
    const replay = await replayInstant(db);
    const loss = (r: IngestRun, n: number) => `${n - r.stored} lost of ${r.acknowledged} acknowledged`;
    return [
      {
        name: `sustained MQTT → ${mode} ingest of ${BATCHED_N.toLocaleString('en-GB')} real Leeds footfall readings queued at the broker (QoS 1, batched INSERT … ON CONFLICT, PUBACK after commit)`,
        value: batched.perSecond,
        unit: 'observations/s',
        baseline: {
          name: `one INSERT per message (${BASELINE_N.toLocaleString('en-GB')} readings, same path)`,
          value: single.perSecond,
          unit: 'observations/s',
        },
        ratio: batched.perSecond / single.perSecond,
        ratioMeaning: 'faster than one INSERT per message',
        goal: '≥ 10,000 observations/s with 0 loss',
        note: `${loss(batched, BATCHED_N)} (baseline: ${loss(single, BASELINE_N)}); ${batched.seconds.toFixed(1)} s. Live, publishing while ingesting: ${Math.round(live.perSecond).toLocaleString('en-GB')}/s stored of ${Math.round(live.offeredPerSecond).toLocaleString('en-GB')}/s offered by the publisher, ${loss(live, BATCHED_N)}`,
      },
      {
        name: `chart query, one year of hourly data (${chart.rawRows.toLocaleString('en-GB')} readings, Briggate 2012) → ${chart.days} daily min/mean/max in the database (${mode})`,
        value: chart.inDb * 1000,
        unit: 'ms',
        baseline: { name: 'fetch raw rows + downsample in JS', value: chart.inJs * 1000, unit: 'ms' },
        ratio: chart.inJs / chart.inDb,
        ratioMeaning: 'faster than fetching raw (higher is better)',
        note: `hourly buckets of the same year: ${(chart.hourly * 1000).toFixed(1)} ms; best of 7`,
      },
      {
        name: `replay on the clock: all ${replay.sensors} sensors with their value at an instant (GET /api/sensors?at=…), ${replay.readings.toLocaleString('en-GB')} readings stored (${mode})`,
        value: replay.probe * 1000,
        unit: 'ms',
        baseline: {
          name: 'last reading per datastream by scanning every reading up to the instant (DISTINCT ON)',
          value: replay.scan * 1000,
          unit: 'ms',
        },
        ratio: replay.scan / replay.probe,
        ratioMeaning: 'faster than scanning (higher is better)',
        note: 'one backward probe of the (datastream, time) index per datastream; best of 7',
      },
    ];
  } finally {
    await broker.dispose();
    await drop();
  }
}

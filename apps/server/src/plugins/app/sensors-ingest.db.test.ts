import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Db, openTestDb, registerSensors } from '@placetwin/db';
import { MqttIngester, observationTopic, parseSensorList, readLeedsFootfall } from '@placetwin/sensors';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../../../../../test/support/mosquitto';
import { repoRoot, sample } from '../../../../../test/support/paths';
import { createSensorServices } from './sensors';

// A private mosquitto (free port, persistence in a temp dir) is stopped mid-stream and started again, while a
// device keeps publishing real Leeds footfall counts at QoS 1. Every reading the broker acknowledged to the
// device (PUBACK) must end up stored exactly once.

const FOOTFALL = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');
const LEEDS_SITES = join(
  import.meta.dirname,
  '../../../../../packages/sensors/fixtures/leeds-footfall-sites.geojson',
);
const N = 3000;
const STOP_AFTER = 1000;

let db: Db;
let drop: () => Promise<void>;
let broker: TestBroker;
let readings: { time: string; value: number }[];

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  broker = await startTestBroker();
  const sites = await parseSensorList(readFileSync(LEEDS_SITES, 'utf8'), {
    fileName: 'leeds-footfall-sites.geojson',
  });
  await registerSensors(db, sites);
  readings = [];
  for await (const row of readLeedsFootfall(createReadStream(FOOTFALL), { fileName: 'footfall.csv.gz' })) {
    if (row.site !== 'Briggate') continue;
    readings.push({ time: new Date(row.phenomenonTimeMs).toISOString(), value: row.count });
    if (readings.length === N) break;
  }
});

afterAll(async () => {
  await broker?.dispose();
  await drop?.();
});

describe('MQTT ingest across a broker restart', () => {
  it('reconnects with backoff and loses no acknowledged reading', async () => {
    const services = createSensorServices(db);
    const connects: number[] = [];
    const ingester = new MqttIngester({
      url: broker.url,
      clientId: `ingest-${randomBytes(4).toString('hex')}`,
      directory: services.directory,
      store: services.store,
      feed: services.feed,
      reconnect: { initialMs: 200, maxMs: 2000 },
      log: {
        info: (msg) => {
          if (msg === 'mqtt ingest connected') connects.push(Date.now());
        },
        warn: () => {},
        error: () => {},
      },
    });
    ingester.start();
    const device = mqtt.connect(broker.url, {
      clientId: `device-${randomBytes(4).toString('hex')}`,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 600 },
      reconnectPeriod: 250,
    });
    for (let i = 0; i < 100 && !(ingester.connected && device.connected); i++)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // the ingester's SUBACK

    const topic = observationTopic('leeds', 'leeds-briggate');
    const acked = new Set<string>();
    const allAcked = new Promise<void>((resolve) => {
      let i = 0;
      const next = async () => {
        for (const end = Math.min(N, i + 25); i < end; i++) {
          const r = readings[i];
          device.publish(topic, JSON.stringify(r), { qos: 1 }, (err) => {
            if (!err) acked.add(r.time);
            if (acked.size === N) resolve();
          });
        }
        if (i === STOP_AFTER) {
          await broker.stop(); // SIGTERM: mosquitto saves sessions and queued messages on the way out
          setTimeout(() => void broker.start(), 1500);
        }
        if (i < N) setTimeout(next, 10);
      };
      void next();
    });
    await Promise.race([allAcked, new Promise((r) => setTimeout(r, 60_000))]);
    const ackedAtEnd = new Set(acked);

    let stored = new Map<string, number>();
    for (let tries = 0; tries < 150; tries++) {
      const r = await db.query<{ t: string; v: number }>(
        `SELECT to_char(o.phenomenon_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t, o.result AS v
         FROM observations o JOIN datastreams d ON d.id = o.datastream_id
         JOIN sensor_things s ON s.id = d.thing_id WHERE s.sensor_id = 'leeds-briggate'`,
      );
      stored = new Map(r.rows.map((x) => [x.t, x.v]));
      if ([...ackedAtEnd].every((t) => stored.has(t)) && stored.size >= ackedAtEnd.size) break;
      await new Promise((res) => setTimeout(res, 200));
    }
    await ingester.idle();
    const stats = ingester.stats();
    await device.endAsync();
    await ingester.stop();

    expect(connects.length).toBeGreaterThanOrEqual(2); // connected, lost the broker, reconnected
    expect(ackedAtEnd.size).toBe(N); // the device's own queue got every reading to the restarted broker
    const missing = [...ackedAtEnd].filter((t) => !stored.has(t));
    expect(missing).toEqual([]);
    expect(stored.size).toBe(N);
    for (const r of readings) expect(stored.get(r.time)).toBe(r.value);
    expect(stats.counters.accepted).toBe(N);
    expect(stats.counters.rejected).toMatchObject({ 'bad-json': 0, 'unknown-sensor': 0 });
    expect(stats.unacknowledged).toBe(0);
  });

  it('an ingester that dies before storing loses nothing: what it had not stored it had not acknowledged', async () => {
    const clientId = `ingest-${randomBytes(4).toString('hex')}`;
    const count = 200;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(repoRoot, 'test/support/hanging-ingester.ts'),
        broker.url,
        clientId,
        String(count),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    const said = (word: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (out.includes(word) ? resolve() : undefined);
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          check();
        });
        child.once('exit', (code) => reject(new Error(`hanging ingester exited (${code}) before "${word}"`)));
        check();
      });
    await said('ready');
    const device = await mqtt.connectAsync(broker.url, {
      clientId: `device-${randomBytes(4).toString('hex')}`,
    });
    const topic = observationTopic('leeds', 'leeds-briggate');
    const batch = readings.slice(N - count);
    await Promise.all(batch.map((r) => device.publishAsync(topic, JSON.stringify(r), { qos: 1 })));
    await device.endAsync();
    await said('received'); // it holds them all, unstored
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const services = createSensorServices(db);
    const successor = new MqttIngester({
      url: broker.url,
      clientId,
      directory: services.directory,
      store: services.store,
    });
    successor.start();
    const times = batch.map((r) => r.time);
    let stored = 0;
    for (let tries = 0; tries < 150 && stored < count; tries++) {
      await new Promise((res) => setTimeout(res, 200));
      const r = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM observations
         WHERE phenomenon_time = ANY($1::timestamptz[]) AND datastream_id = (
           SELECT d.id FROM datastreams d JOIN sensor_things s ON s.id = d.thing_id WHERE s.sensor_id = 'leeds-briggate')`,
        [times],
      );
      stored = r.rows[0].n;
    }
    await successor.idle();
    const stats = successor.stats();
    await successor.stop();
    // The broker redelivered every reading to the successor (same session): none was lost with the process.
    expect(stats.counters.received).toBeGreaterThanOrEqual(count);
    expect(stored).toBe(count);
  });

  it('keeps readings unacknowledged while the database fails, and hands them to the next start', async () => {
    const clientId = `ingest-${randomBytes(4).toString('hex')}`;
    const services = createSensorServices(db);
    let attempts = 0;
    const failing = new MqttIngester({
      url: broker.url,
      clientId,
      directory: services.directory,
      store: {
        store: async () => {
          attempts++;
          throw new Error('connection to the database lost');
        },
      },
      storeRetry: { initialMs: 50, maxMs: 200 },
    });
    failing.start();
    for (let i = 0; i < 100 && !failing.connected; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const device = await mqtt.connectAsync(broker.url, {
      clientId: `device-${randomBytes(4).toString('hex')}`,
    });
    const topic = observationTopic('leeds', 'leeds-briggate');
    // Real 2009 counts at Briggate the earlier tests did not publish (they used the first 3,000 hours).
    const batch = readings
      .slice(100, 110)
      .map((r) => ({ ...r, time: new Date(Date.parse(r.time) + 5 * 366 * 86_400_000).toISOString() }));
    await Promise.all(batch.map((r) => device.publishAsync(topic, JSON.stringify(r), { qos: 1 })));
    await device.endAsync();
    for (let i = 0; i < 100 && attempts < 3; i++) await new Promise((r) => setTimeout(r, 50));
    expect(failing.stats()).toMatchObject({ unacknowledged: 10, counters: { accepted: 0 } });
    expect(failing.stats().counters.storeErrors).toBeGreaterThanOrEqual(3); // retried, never dropped
    const t0 = Date.now();
    await failing.stop({ timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(5000);

    const next = new MqttIngester({
      url: broker.url,
      clientId,
      directory: services.directory,
      store: services.store,
    });
    next.start();
    const times = batch.map((r) => r.time);
    let stored = 0;
    for (let tries = 0; tries < 100 && stored < times.length; tries++) {
      await new Promise((res) => setTimeout(res, 100));
      const r = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM observations WHERE phenomenon_time = ANY($1::timestamptz[])',
        [times],
      );
      stored = r.rows[0].n;
    }
    await next.stop();
    expect(stored).toBe(10);
  });
});

import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openTestDb } from '@placetwin/db';
import { csvRecords, MqttIngester, observationTopic } from '@placetwin/sensors';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_BROKER_URL } from '../../../../../test/support/mosquitto';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { createSensorServices, type SensorServices } from '../../plugins/app/sensors';
import { openEventStream } from '../../testing/event-stream';

// End to end on real data and the real broker: the AURN site list and Leeds footfall sites are registered
// through the API, Marylebone Road NO2 (shared/data/air-quality) arrives over HTTP and over MQTT through the
// shared mosquitto (127.0.0.1:1883), and comes back through the series API, the latest values and SSE.

const ADMIN = 'test-admin-token-0123456789';
const AURN_SITES = sample('air-quality', 'london-aurn-sites.csv');
const MARYLEBONE = sample('air-quality', 'london-marylebone-road-aurn-2015-2020-hourly.csv.gz');
const LEEDS_SITES = join(
  import.meta.dirname,
  '../../../../../packages/sensors/fixtures/leeds-footfall-sites.geojson',
);
/** Our own topic prefix on the shared broker, so parallel runs and other engineers' traffic never mix. */
const PREFIX = `placetwin-test-${randomBytes(4).toString('hex')}`;

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let services: SensorServices;
let baseUrl: string;
let keys: Map<string, string>;
/** Real hourly NO2 at Marylebone Road from 2015-01-01T00:00Z (missing hours skipped). */
let no2: { time: string; value: number }[];

const admin = { authorization: `Bearer ${ADMIN}` };
const problemOf = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json();
};

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-sensors-'));
  services = createSensorServices(db, { adminToken: ADMIN, directoryTtlMs: 60_000 });
  app = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data'), sensors: services });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  no2 = [];
  for await (const { record } of csvRecords(createReadStream(MARYLEBONE), {
    fileName: 'my1',
    required: [],
  })) {
    if (no2.length === 200) break;
    if (record.no2_ugm3) no2.push({ time: record.date_start_utc, value: Number(record.no2_ugm3) });
  }
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('registry', () => {
  it('refuses writes without the admin token (401) or with a wrong one (401)', async () => {
    const csv = readFileSync(AURN_SITES, 'utf8');
    const none = await app.inject({
      method: 'POST',
      url: '/api/sensors/import',
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(problemOf(none).type).toBe(`${PROBLEM_BASE}unauthorized`);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/sensors/import',
      payload: csv,
      headers: { 'content-type': 'text/csv', authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('imports the AURN site list (CSV) and the Leeds sites (GeoJSON), issuing one device key per new sensor', async () => {
    const aurn = await app.inject({
      method: 'POST',
      url: '/api/sensors/import?fileName=london-aurn-sites.csv&area=london&owner=Defra&licence=OGL-UK-3.0&observedProperties=no2,pm10&accuracyM=10&locationMethod=AURN%20site%20metadata',
      payload: readFileSync(AURN_SITES, 'utf8'),
      headers: { 'content-type': 'text/csv', ...admin },
    });
    expect(aurn.statusCode).toBe(200);
    expect(aurn.json().created).toEqual([
      'london-bloomsbury',
      'london-cromwell-road-2',
      'MY1',
      'london-n-kensington',
    ]);
    const leeds = await app.inject({
      method: 'POST',
      url: '/api/sensors/import?fileName=leeds-footfall-sites.geojson',
      payload: readFileSync(LEEDS_SITES, 'utf8'),
      headers: { 'content-type': 'application/geo+json', ...admin },
    });
    expect(leeds.statusCode).toBe(200);
    keys = new Map(
      [...aurn.json().keys, ...leeds.json().keys].map((k: { sensorId: string; deviceKey: string }) => [
        k.sensorId,
        k.deviceKey,
      ]),
    );
    expect(keys.size).toBe(12);
    // A bad list is a 422 naming the file and the reason; nothing is written.
    const bad = await app.inject({
      method: 'POST',
      url: '/api/sensors/import?fileName=broken.csv',
      payload: 'id,name,lat,lon,accuracy_m,observed_property,unit,owner,licence\nzz,Z,51,0,5,no2,Cel,o,l\n',
      headers: { 'content-type': 'text/csv', ...admin },
    });
    expect(bad.statusCode).toBe(422);
    expect(problemOf(bad)).toMatchObject({ type: `${PROBLEM_BASE}wrong-unit`, file: 'broken.csv' });
    expect((await app.inject('/api/sensors/zz')).statusCode).toBe(404);
  });

  it('registers one sensor from JSON with thresholds, and validates the body', async () => {
    const body = {
      id: 'MY1',
      area: 'london',
      name: 'London Marylebone Road',
      location: { lon: -0.154611, lat: 51.52253, accuracyM: 10, method: 'AURN site metadata' },
      owner: 'Defra',
      licence: 'OGL-UK-3.0',
      datastreams: [
        { property: 'no2', unit: 'µg/m³', thresholds: [{ level: 'warning', above: 100 }] },
        { property: 'pm10' },
      ],
    };
    const res = await app.inject({ method: 'POST', url: '/api/sensors', payload: body, headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: [], updated: ['MY1'], keys: [] });
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/sensors',
      payload: { ...body, location: { lon: 0, lat: 100, accuracyM: 1, method: 'x' } },
      headers: admin,
    });
    expect(invalid.statusCode).toBe(400);
    expect(problemOf(invalid).errors[0]).toMatchObject({ in: 'body', field: 'location.lat' });
  });
});

const post = (id: string, payload: unknown, key = keys.get(id)) =>
  app.inject({
    method: 'POST',
    url: `/api/sensors/${id}/observations`,
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
  });

describe('HTTP ingest with device keys', () => {
  it("answers 401 without or with a bad key and 403 with another sensor's key", async () => {
    const reading = { time: no2[0].time, value: no2[0].value, property: 'no2' };
    const none = await post('MY1', reading, '');
    expect(none.statusCode).toBe(401);
    expect(problemOf(none).type).toBe(`${PROBLEM_BASE}unauthorized`);
    expect(
      (await post('MY1', reading, 'ptk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))
        .statusCode,
    ).toBe(401);
    const other = await post('MY1', reading, keys.get('leeds-briggate'));
    expect(other.statusCode).toBe(403);
    expect(problemOf(other).type).toBe(`${PROBLEM_BASE}forbidden`);
  });

  it('stores a day of real readings; a repeat is a duplicate, not an error; late readings fill in', async () => {
    const day = no2.slice(0, 24).map((r) => ({ ...r, property: 'no2', unit: 'ug/m3' }));
    const first = await post('MY1', day.slice(12));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ sensorId: 'MY1', accepted: 12, duplicates: 0 });
    const again = await post('MY1', day); // the morning arrives late, the afternoon again
    expect(again.json()).toEqual({ sensorId: 'MY1', accepted: 12, duplicates: 12 });
    const series = await app.inject(
      `/api/sensors/MY1/series?property=no2&from=${no2[0].time}&to=2015-01-02T00:00:00Z&bucket=raw`,
    );
    expect(series.json()).toMatchObject({ bucket: 'raw', unit: 'ug/m3', truncated: false });
    expect(series.json().value).toEqual(day.map((r) => r.value));
  });

  it('serves chart series: raw by default for a short span, min/mean/max per local day on request', async () => {
    const needsProperty = await app.inject('/api/sensors/MY1/series');
    expect(needsProperty.statusCode).toBe(400);
    expect(problemOf(needsProperty).type).toBe(`${PROBLEM_BASE}property-required`);
    const auto = (await app.inject('/api/sensors/MY1/series?property=no2')).json();
    // Without from/to: the 7 days up to the latest reading, raw because there are few.
    expect(auto).toMatchObject({ bucket: 'raw', to: '2015-01-01T23:00:00.001Z', timeZone: 'Europe/London' });
    expect(auto.t).toHaveLength(24);
    const daily = (
      await app.inject(
        '/api/sensors/MY1/series?property=no2&from=2015-01-01T00:00:00Z&to=2015-01-02T00:00:00Z&bucket=day',
      )
    ).json();
    const values = no2.slice(0, 24).map((r) => r.value);
    expect(daily).toMatchObject({ bucket: 'day', t: [Date.UTC(2015, 0, 1)], count: [24] });
    expect(daily.min).toEqual([Math.min(...values)]);
    expect(daily.max).toEqual([Math.max(...values)]);
    expect(daily.mean[0]).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 24, 9);
    const badZone = await app.inject('/api/sensors/MY1/series?property=no2&tz=Mars/Base');
    expect(problemOf(badZone).type).toBe(`${PROBLEM_BASE}invalid-time-zone`);
  });

  it.each([
    ['bad-json', '{"time": "2015-01-03T00:00:00Z", value: 1}'],
    ['not-a-number', '{"time":"2015-01-03T00:00:00Z","value":NaN,"property":"no2"}'],
    ['not-a-number', { time: '2015-01-03T00:00:00Z', value: 'NaN', property: 'no2' }],
    ['wrong-unit', { time: '2015-01-03T00:00:00Z', value: 40, property: 'no2', unit: 'ppb' }],
    ['out-of-range', { time: '2015-01-03T00:00:00Z', value: 1e6, property: 'no2' }],
    ['future-time', { time: '2999-01-01T00:00:00Z', value: 40, property: 'no2' }],
    ['unknown-property', { time: '2015-01-03T00:00:00Z', value: 40, property: 'o3' }],
    ['bad-time', { time: '03/01/2015 00:00', value: 40, property: 'no2' }],
  ])('rejects %s with a 400 problem and stores nothing', async (reason, payload) => {
    const res = await post('MY1', payload);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res)).toMatchObject({ type: `${PROBLEM_BASE}${reason}`, featureId: 'MY1' });
  });

  it('stores all readings of a request or none', async () => {
    const res = await post('MY1', [
      { time: '2015-01-03T00:00:00Z', value: 40, property: 'no2' },
      { time: '2015-01-03T01:00:00Z', value: 40, property: 'no2', unit: 'Cel' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).detail).toMatch(/reading 2: unit "Cel".*nothing was stored/);
    const series = await app.inject(
      '/api/sensors/MY1/series?property=no2&from=2015-01-03T00:00:00Z&to=2015-01-04T00:00:00Z&bucket=raw',
    );
    expect(series.json().t).toEqual([]);
  });

  it('counts HTTP readings by outcome', async () => {
    const stats = (await app.inject('/api/sensors/ingest')).json();
    expect(stats.http).toMatchObject({ accepted: 24, duplicates: 12 });
    expect(stats.http.rejected).toMatchObject({
      'bad-json': 1,
      'not-a-number': 2,
      'wrong-unit': 2,
      'out-of-range': 1,
      'future-time': 1,
      'unknown-property': 1,
      'bad-time': 1,
    });
  });
});

/** A live `GET /api/sensors/stream` over a real socket. */
const openStream = (query: string) => openEventStream(`${baseUrl}/api/sensors/stream${query}`);

describe('MQTT end to end (real broker at 127.0.0.1:1883)', () => {
  let ingester: MqttIngester;
  let device: MqttClient;
  const publish = (topic: string, payload: string) =>
    new Promise<void>((resolve, reject) =>
      device.publish(topic, payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())),
    );

  beforeAll(async () => {
    ingester = new MqttIngester({
      url: SHARED_BROKER_URL,
      clientId: `${PREFIX}-ingest`,
      topicPrefix: PREFIX,
      sessionExpirySeconds: 60,
      directory: services.directory,
      store: services.store,
      feed: services.feed,
      reconnect: { initialMs: 100, maxMs: 1000 },
    });
    services.mqtt = ingester;
    ingester.start();
    device = mqtt.connect(SHARED_BROKER_URL, { clientId: `${PREFIX}-device`, protocolVersion: 5 });
    for (let i = 0; i < 100 && !(ingester.connected && device.connected); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(ingester.connected).toBe(true);
    // Subscribed once the broker acknowledges: give the SUBACK a moment.
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(async () => {
    await device?.endAsync();
    await ingester?.stop();
  });

  it('publish → stored → visible in the series API, the latest values and the SSE stream', async () => {
    const readings = no2.slice(24, 48);
    const stream = openStream('?sensor=MY1');
    await stream.opened;
    expect(stream.contentType()).toMatch(/^text\/event-stream/);
    const topic = observationTopic('london', 'MY1', PREFIX);
    for (const r of readings)
      await publish(topic, JSON.stringify({ ...r, property: 'no2', quality: 'good' }));
    const events = await stream.until((ev) => ev.filter((e) => e.type === 'observation').length >= 24);
    stream.close();
    const observed = events.filter((e) => e.type === 'observation');
    expect(observed.map((e) => (e.type === 'observation' ? [e.time, e.value, e.quality] : null))).toEqual(
      readings.map((r) => [new Date(r.time).toISOString(), r.value, 'good']),
    );
    // The threshold (warning above 100 µg/m³) is crossed on 2 January at 16:00 and cleared at 21:00.
    const alerts = events.filter((e) => e.type === 'alert');
    expect(alerts.map((e) => (e.type === 'alert' ? [e.kind, e.level, e.time] : null))).toEqual([
      ['raised', 'warning', '2015-01-02T16:00:00.000Z'],
      ['cleared', 'warning', '2015-01-02T21:00:00.000Z'],
    ]);
    await ingester.idle();
    const series = await app.inject(
      `/api/sensors/MY1/series?property=no2&from=2015-01-02T00:00:00Z&to=2015-01-03T00:00:00Z&bucket=raw`,
    );
    expect(series.json().value).toEqual(readings.map((r) => r.value));
    const latest = (await app.inject('/api/sensors/latest?area=london')).json();
    expect(latest.values).toContainEqual(
      expect.objectContaining({
        sensorId: 'MY1',
        property: 'no2',
        time: '2015-01-02T23:00:00.000Z',
        value: readings[23].value,
      }),
    );
    const hist = (await app.inject('/api/sensors/alerts?sensor=MY1')).json();
    expect(hist.map((a: { level: string; time: string }) => [a.level, a.time])).toEqual([
      ['warning', '2015-01-02T16:00:00.000Z'],
    ]);
  });

  it('takes duplicates and out-of-order readings idempotently', async () => {
    const topic = observationTopic('london', 'MY1', PREFIX);
    const day3 = no2.slice(48, 60).map((r) => ({ ...r, property: 'no2' }));
    await publish(topic, JSON.stringify(day3.slice(6))); // one message, an array, the later half first
    await publish(topic, JSON.stringify(day3.slice(0, 6).reverse()));
    await publish(topic, JSON.stringify(day3)); // all again
    for (let i = 0; i < 50 && ingester.stats().counters.received < 24 + 24; i++)
      await new Promise((r) => setTimeout(r, 100));
    await ingester.idle();
    const series = (
      await app.inject(
        `/api/sensors/MY1/series?property=no2&from=${day3[0].time}&to=${no2[60].time}&bucket=raw`,
      )
    ).json();
    expect(series.value).toEqual(day3.map((r) => r.value));
    expect(ingester.stats().counters).toMatchObject({ received: 48, accepted: 36, duplicates: 12 });
  });

  it('rejects and counts invalid payloads (bad JSON, unknown sensor, wrong unit, NaN) and keeps going', async () => {
    const my1 = observationTopic('london', 'MY1', PREFIX);
    const t = '2015-01-10T00:00:00Z';
    await publish(my1, '{not json');
    await publish(my1, `{"time":"${t}","value":nan,"property":"no2"}`);
    await publish(my1, JSON.stringify({ time: t, value: 'NaN', property: 'no2' }));
    await publish(
      observationTopic('london', 'no-such-sensor', PREFIX),
      JSON.stringify({ time: t, value: 1 }),
    );
    await publish(
      observationTopic('leeds', 'MY1', PREFIX),
      JSON.stringify({ time: t, value: 1, property: 'no2' }),
    );
    await publish(my1, JSON.stringify({ time: t, value: 41, property: 'no2', unit: 'ppb' }));
    await publish(`${PREFIX}/london/sensors/MY1/status`, 'online'); // not subscribed: never seen
    await publish(my1, JSON.stringify({ time: t, value: 41.5, property: 'no2' })); // and the next good one gets in
    for (let i = 0; i < 50 && ingester.stats().counters.received < 48 + 7; i++)
      await new Promise((r) => setTimeout(r, 100));
    await ingester.idle();
    const stats = (await app.inject('/api/sensors/ingest')).json().mqtt;
    expect(stats.connected).toBe(true);
    expect(stats.counters).toMatchObject({ received: 55, accepted: 37 });
    expect(stats.counters.rejected).toMatchObject({
      'bad-json': 1,
      'not-a-number': 2,
      'unknown-sensor': 2,
      'wrong-unit': 1,
    });
    const last = (
      await app.inject(`/api/sensors/MY1/series?property=no2&from=${t}&to=2015-01-11T00:00:00Z&bucket=raw`)
    ).json();
    expect(last.value).toEqual([41.5]);
  });
});

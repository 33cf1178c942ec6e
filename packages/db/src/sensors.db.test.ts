import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataError } from '@placetwin/geo';
import {
  type AcceptedReading,
  csvRecords,
  downsample,
  parseSensorList,
  readLeedsFootfall,
  type SensorDefinition,
  wallTimeToInstant,
} from '@placetwin/sensors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import type { Db } from './db';
import {
  createDeviceKey,
  getSensor,
  type HistoryImportCounts,
  importObservationHistory,
  listAlerts,
  listSensors,
  loadSensorTarget,
  observationSeries,
  registerSensors,
  revokeDeviceKeys,
  staDatastreamsOfThings,
  staRead,
  storeObservations,
  verifyDeviceKey,
} from './sensors';
import { openTestDb } from './testing';

const AURN_SITES = sample('air-quality', 'london-aurn-sites.csv');
const MARYLEBONE = sample('air-quality', 'london-marylebone-road-aurn-2015-2020-hourly.csv.gz');
const FOOTFALL = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');
const LEEDS_SITES = join(import.meta.dirname, '../../sensors/fixtures/leeds-footfall-sites.geojson');

let db: Db;
let drop: () => Promise<void>;
let aurn: SensorDefinition[];
let leeds: SensorDefinition[];
let my1Keys: string[];

/** The first `n` hours of Marylebone Road NO2 (real AURN data), skipping missing values. */
async function marylebone(n: number) {
  const out: { timeMs: number; no2: number }[] = [];
  for await (const { record } of csvRecords(createReadStream(MARYLEBONE), {
    fileName: 'my1',
    required: [],
  })) {
    if (out.length === n) break;
    if (record.no2_ugm3)
      out.push({ timeMs: Date.parse(record.date_start_utc), no2: Number(record.no2_ugm3) });
  }
  return out;
}

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  aurn = await parseSensorList(readFileSync(AURN_SITES, 'utf8'), {
    fileName: 'london-aurn-sites.csv',
    defaults: {
      area: 'london',
      owner: 'Defra',
      licence: 'OGL-UK-3.0',
      observedProperties: ['no2', 'pm10'],
      accuracyM: 10,
      locationMethod: 'AURN site metadata',
    },
  });
  // Example thresholds on real data: 100 and 120 µg/m³ are crossed in the first two days of 2015.
  aurn[2].datastreams[0].thresholds = [
    { level: 'warning', above: 100 },
    { level: 'critical', above: 120 },
  ];
  leeds = await parseSensorList(readFileSync(LEEDS_SITES, 'utf8'), {
    fileName: 'leeds-footfall-sites.geojson',
  });
  const r = await registerSensors(db, [...aurn, ...leeds], { issueKeys: true });
  expect(r.created).toHaveLength(12);
  my1Keys = r.keys.filter((k) => k.sensorId === 'MY1').map((k) => k.deviceKey);
});
afterAll(async () => drop?.());

const reading = (datastreamId: number, timeMs: number, value: number, sensorId = 'MY1'): AcceptedReading => ({
  sensorId,
  property: 'no2',
  observation: { datastreamId, phenomenonTimeMs: timeMs, value, quality: null },
});

describe('sensor registry (real site lists)', () => {
  it('registers sensors with located things, datastreams and units; re-registering updates in place', async () => {
    const target = await loadSensorTarget(db, 'MY1');
    expect(target).toMatchObject({
      sensorId: 'MY1',
      area: 'london',
      datastreams: [
        { property: 'no2', unitSymbol: 'ug/m3', minValue: -50, maxValue: 2000 },
        { property: 'pm10', unitSymbol: 'ug/m3' },
      ],
    });
    const again = await registerSensors(db, aurn, { issueKeys: true });
    expect(again).toEqual({ created: [], updated: aurn.map((a) => a.id), keys: [] });
    const n = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM datastreams');
    expect(n.rows[0].n).toBe(4 * 2 + 8);
    const my1 = await getSensor(db, 'MY1');
    expect(my1?.geometry.coordinates).toEqual([-0.154611, 51.52253]);
    expect(my1?.properties).toMatchObject({
      locationAccuracyM: 10,
      owner: 'Defra',
      properties: { site_type: 'Urban Traffic' },
    });
  });

  it('writes nothing when one definition in a batch is bad', async () => {
    const bad = { ...leeds[0], id: 'new-one', datastreams: [{ property: 'no2', unit: 'Cel' }] };
    await expect(registerSensors(db, [{ ...leeds[1], id: 'new-two' }, bad])).rejects.toBeInstanceOf(
      DataError,
    );
    expect(await loadSensorTarget(db, 'new-two')).toBeNull();
  });
});

describe('device keys', () => {
  it('stores only a scrypt hash, verifies the key, and refuses wrong, malformed and revoked keys', async () => {
    const [key] = my1Keys;
    expect(key).toMatch(/^ptk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const stored = await db.query<{ key_hash: string }>('SELECT key_hash FROM device_keys');
    const secret = key.split('_').slice(2).join('_');
    expect(stored.rows.every((r) => r.key_hash.startsWith('scrypt$16384$8$1$'))).toBe(true);
    expect(stored.rows.some((r) => r.key_hash.includes(secret))).toBe(false);
    expect(await verifyDeviceKey(db, key)).toEqual({ sensorId: 'MY1' });
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect(await verifyDeviceKey(db, tampered)).toBeNull();
    expect(await verifyDeviceKey(db, 'Bearer nonsense')).toBeNull();
    const rotated = await createDeviceKey(db, 'MY1', { revokeOthers: true });
    expect(await verifyDeviceKey(db, key)).toBeNull();
    expect(await verifyDeviceKey(db, rotated as string)).toEqual({ sensorId: 'MY1' });
    expect(await revokeDeviceKeys(db, 'MY1')).toBe(1);
    expect(await verifyDeviceKey(db, rotated as string)).toBeNull();
    expect(await createDeviceKey(db, 'no-such-sensor')).toBeNull();
  });
});

describe('observations (real Marylebone Road NO2)', () => {
  it('stores once per (datastream, time): duplicates, in-batch repeats and late readings', async () => {
    const no2 = (await loadSensorTarget(db, 'MY1'))?.datastreams[0].id as number;
    const hours = await marylebone(48);
    const first = await storeObservations(
      db,
      hours.slice(0, 24).map((h) => reading(no2, h.timeMs, h.no2)),
    );
    expect(first).toMatchObject({ duplicates: 0, orphaned: 0 });
    expect(first.inserted).toHaveLength(24);
    // The same day again, plus a repeat inside the batch with another value (the first reading wins).
    const again = await storeObservations(db, [
      ...hours.slice(0, 24).map((h) => reading(no2, h.timeMs, h.no2)),
      reading(no2, hours[30].timeMs, hours[30].no2),
      reading(no2, hours[30].timeMs, 999),
    ]);
    expect(again.inserted.map((r) => r.observation.value)).toEqual([hours[30].no2]);
    expect(again.duplicates).toBe(25);
    // Out of order: the rest of day two, newest first.
    const late = await storeObservations(
      db,
      hours
        .slice(24)
        .reverse()
        .map((h) => reading(no2, h.timeMs, h.no2)),
    );
    expect(late.inserted).toHaveLength(23);
    const series = await observationSeries(db, {
      datastreamId: no2,
      fromMs: hours[0].timeMs,
      toMs: hours[47].timeMs + 1,
      bucket: 'raw',
    });
    expect(series.t).toEqual(hours.map((h) => h.timeMs));
    expect(series.value).toEqual(hours.map((h) => h.no2));
    const orphan = await storeObservations(db, [reading(987_654, hours[0].timeMs, 1)]);
    expect(orphan).toMatchObject({ inserted: [], orphaned: 1, duplicates: 0 });
  });

  it('raises and clears alerts as readings cross thresholds, in time order', async () => {
    const alerts = await listAlerts(db, { sensorId: 'MY1' });
    // 2 Jan 2015: 115.74 at 16:00, 125.24 at 18:00, 104.62 at 20:00, 94.93 at 21:00 (shared/data AURN file).
    expect(
      alerts
        .reverse()
        .map((a) => [a.level, a.time, a.value, a.cleared?.time ?? null, a.cleared?.value ?? null]),
    ).toEqual([
      ['warning', '2015-01-02T16:00:00.000Z', 115.74211, '2015-01-02T18:00:00.000Z', 125.24198],
      ['critical', '2015-01-02T18:00:00.000Z', 125.24198, '2015-01-02T20:00:00.000Z', 104.62475],
      ['warning', '2015-01-02T20:00:00.000Z', 104.62475, '2015-01-02T21:00:00.000Z', 94.93028],
    ]);
    expect(await listAlerts(db, { active: true })).toEqual([]);
  });

  it('lists sensors with the latest reading, now or at an instant (replay)', async () => {
    const now = (await listSensors(db, { area: 'london' })).find((f) => f.id === 'MY1');
    expect(now?.properties.datastreams[0]).toMatchObject({
      property: 'no2',
      latest: { time: '2015-01-02T23:00:00.000Z', value: 90.34411 },
      level: null,
      openAlert: null,
    });
    const then = await getSensor(db, 'MY1', { atMs: Date.UTC(2015, 0, 2, 18, 30) });
    expect(then?.properties.datastreams[0]).toMatchObject({
      latest: { time: '2015-01-02T18:00:00.000Z', value: 125.24198 },
      level: 'critical',
    });
    expect(then?.properties.datastreams[1].latest).toBeNull(); // no PM10 stored
  });
});

describe('Leeds footfall history (real file)', () => {
  let counts: HistoryImportCounts;
  const siteToSensor = new Map<string, string>();

  beforeAll(async () => {
    for (const d of leeds) siteToSensor.set(String(d.properties?.sourceName), d.id);
    async function* history() {
      for await (const row of readLeedsFootfall(createReadStream(FOOTFALL), {
        fileName: 'footfall.csv.gz',
      })) {
        yield {
          sensorId: siteToSensor.get(row.site) ?? row.site,
          phenomenonTimeMs: row.phenomenonTimeMs,
          value: row.count,
        };
      }
    }
    counts = await importObservationHistory(db, history());
  }, 600_000);

  it('stores every placeable row once: counts match the file', async () => {
    // Counted from the file without the importer: data rows, minus the rows of the hour skipped when clocks go
    // forward, minus the exact repeats (1–3 July 2016 appear twice).
    const lines = gunzipSync(readFileSync(FOOTFALL)).toString('utf8').split('\n').filter(Boolean).slice(1);
    const seen = new Set<string>();
    let springForward = 0;
    let repeats = 0;
    for (const line of lines) {
      const [, , , site, hour, weekday, newDate, month, , day] = line.split(',');
      if (weekday === 'Sunday' && month === '3' && Number(day) >= 25 && hour === '1') springForward++;
      else if (seen.has(`${site}|${newDate}|${hour}`)) repeats++;
      else seen.add(`${site}|${newDate}|${hour}`);
    }
    expect(counts).toEqual({
      read: lines.length - springForward,
      inserted: lines.length - springForward - repeats,
      duplicates: repeats,
      unknown: {},
      outOfRange: 0,
    });
    const stored = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM observations o JOIN datastreams d ON d.id = o.datastream_id
       JOIN sensor_things t ON t.id = d.thing_id WHERE t.area = 'leeds'`,
    );
    expect(stored.rows[0].n).toBe(seen.size);
  });

  it('re-importing is idempotent', async () => {
    const again = await importObservationHistory(db, [
      { sensorId: 'leeds-briggate', phenomenonTimeMs: Date.UTC(2009, 0, 1), value: 268 },
      { sensorId: 'leeds-nowhere', phenomenonTimeMs: Date.UTC(2009, 0, 1), value: 1 },
      { sensorId: 'leeds-briggate', phenomenonTimeMs: Date.UTC(2009, 0, 1, 5), value: -1 },
    ]);
    expect(again).toEqual({
      read: 3,
      inserted: 0,
      duplicates: 1,
      unknown: { 'leeds-nowhere': 1 },
      outOfRange: 1,
    });
  });

  it('aggregates a year per local day in the database exactly as the pure downsample does, and as the file sums', async () => {
    const ds = (await loadSensorTarget(db, 'leeds-briggate'))?.datastreams[0].id as number;
    const year = {
      datastreamId: ds,
      fromMs: Date.UTC(2012, 0, 1),
      toMs: Date.UTC(2013, 0, 1),
      timeZone: 'Europe/London',
    };
    const daily = await observationSeries(db, { ...year, bucket: 'day' });
    const raw = await observationSeries(db, { ...year, bucket: 'raw' });
    const pure = downsample(Float64Array.from(raw.t), Float64Array.from(raw.value ?? []), {
      bucket: 'day',
      timeZone: 'Europe/London',
    });
    expect(daily.t).toEqual(Array.from(pure.startMs));
    expect(daily.count).toEqual(Array.from(pure.count));
    expect(daily.min).toEqual(Array.from(pure.min));
    expect(daily.max).toEqual(Array.from(pure.max));
    for (const [i, m] of (daily.mean ?? []).entries()) expect(m).toBeCloseTo(pure.mean[i], 9);
    // Daily totals from the CSV text (Briggate, 2012, by its local Date column; 2012's spring-forward row left out).
    const totals = new Map<number, number>();
    for (const line of gunzipSync(readFileSync(FOOTFALL)).toString('utf8').split('\n')) {
      const [, count, , site, hour, , newDate] = line.split(',');
      if (site !== 'Briggate' || !newDate?.endsWith('2012') || (newDate === '25-Mar-2012' && hour === '1'))
        continue;
      const [d, mon] = newDate.split('-');
      const month =
        ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(mon) + 1;
      const start = wallTimeToInstant(
        { year: 2012, month, day: Number(d), hour: 0 },
        'Europe/London',
      ).epochMs;
      totals.set(start, (totals.get(start) ?? 0) + Number(count));
    }
    expect(daily.t.length).toBe(totals.size);
    for (const [i, t] of daily.t.entries()) {
      expect((daily.mean?.[i] ?? 0) * (daily.count?.[i] ?? 0)).toBeCloseTo(totals.get(t) ?? -1, 6);
    }
    const hourly = await observationSeries(db, { ...year, bucket: 'hour' });
    expect(hourly.t.length).toBe(raw.t.length); // one reading per hour
  });
});

describe('SensorThings reads', () => {
  it('pages, orders, counts and filters observations by phenomenonTime', async () => {
    const ds = (await loadSensorTarget(db, 'leeds-briggate'))?.datastreams[0].id as number;
    const base = { areaId: 'default', top: 3, skip: 0, count: true, orderBy: [], phenomenonTime: [] };
    const jan = await staRead(db, 'Observations', {
      ...base,
      via: { set: 'Datastreams', id: ds },
      orderBy: [{ property: 'phenomenonTime', desc: true }],
      phenomenonTime: [
        { op: 'ge', ms: Date.UTC(2009, 0, 1) },
        { op: 'lt', ms: Date.UTC(2009, 0, 2) },
      ],
    });
    expect(jan.count).toBe(24);
    expect(jan.rows.map((r) => r.phenomenonTime)).toEqual([
      '2009-01-01T23:00:00.000Z',
      '2009-01-01T22:00:00.000Z',
      '2009-01-01T21:00:00.000Z',
    ]);
    const things = await staRead(db, 'Things', {
      ...base,
      top: 100,
      orderBy: [{ property: 'name', desc: false }],
    });
    expect(things.count).toBe(12);
    expect(things.rows[0]).toMatchObject({
      name: 'Albion Street (north)',
      properties: { sensorId: 'leeds-albion-st-north' },
    });
    const dss = await staDatastreamsOfThings(db, [things.rows[0].id as number], 'default');
    expect(dss).toHaveLength(1);
    expect(dss[0]).toMatchObject({
      unitOfMeasurement: { symbol: '{count}/h' },
      phenomenonStart: '2009-01-01T00:00:00.000Z',
    });
    await expect(
      staRead(db, 'Things', { ...base, phenomenonTime: [{ op: 'ge', ms: 0 }] }),
    ).rejects.toBeInstanceOf(DataError);
    await expect(
      staRead(db, 'Things', { ...base, orderBy: [{ property: 'colour', desc: false }] }),
    ).rejects.toThrow(/\$orderby colour/);
  });
});

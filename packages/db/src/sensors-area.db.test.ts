/**
 * Sensor data carries its area (migration 016): a datastream has its thing's area and a reading its datastream's,
 * held by composite foreign keys, so every read can filter by the area key. Real Leeds footfall sites (the
 * packages/sensors fixture) registered into two areas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSensorList, type SensorDefinition } from '@placetwin/sensors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db';
import { loadSensorTarget, registerSensors, staRead, storeObservations } from './sensors';
import { openTestDb } from './testing';

const LEEDS_SITES = join(import.meta.dirname, '../../sensors/fixtures/leeds-footfall-sites.geojson');

let db: Db;
let drop: () => Promise<void>;
let sites: SensorDefinition[];

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  await db.query(`INSERT INTO areas (id, name, lad17cd) VALUES ('leeds', 'Leeds', 'E08000035')`);
  sites = await parseSensorList(readFileSync(LEEDS_SITES, 'utf8'), {
    fileName: 'leeds-footfall-sites.geojson',
  });
  await registerSensors(db, [sites[0]], { areaId: 'leeds' });
  await registerSensors(db, [sites[1]], { areaId: 'default' });
  for (const site of sites.slice(0, 2)) {
    const ds = (await loadSensorTarget(db, site.id))!.datastreams[0];
    const stored = await storeObservations(db, [
      {
        sensorId: site.id,
        property: ds.property,
        observation: {
          datastreamId: ds.id,
          phenomenonTimeMs: Date.UTC(2009, 0, 1),
          value: ds.minValue,
          quality: null,
        },
      },
    ]);
    // The store says which area each new reading is in (the live stream sends it to that area only).
    expect(stored.inserted.map((r) => r.areaId)).toEqual([site === sites[0] ? 'leeds' : 'default']);
  }
}, 600_000);

afterAll(async () => {
  await drop?.();
});

const areasOf = async () =>
  (
    await db.query<{ sensor: string; thing: string; datastream: string; observation: string }>(
      `SELECT t.sensor_id AS sensor, t.area_id AS thing, d.area_id AS datastream, o.area_id AS observation
       FROM sensor_things t JOIN datastreams d ON d.thing_id = t.id JOIN observations o ON o.datastream_id = d.id
       ORDER BY t.sensor_id`,
    )
  ).rows;

describe('sensor data carries its area', () => {
  it("datastreams and readings have their sensor's area; SensorThings reads one area's", async () => {
    const rows = await areasOf();
    expect(rows).toHaveLength(2);
    for (const r of rows) expect([r.datastream, r.observation]).toEqual([r.thing, r.thing]);
    const base = { top: 100, skip: 0, count: true, orderBy: [], phenomenonTime: [] };
    const leeds = await staRead(db, 'Observations', { ...base, areaId: 'leeds' });
    const home = await staRead(db, 'Observations', { ...base, areaId: 'default' });
    expect([leeds.count, home.count]).toEqual([1, 1]);
    expect(leeds.rows[0].id).not.toBe(home.rows[0].id);
    // Navigating from another area's datastream finds nothing.
    const homeDs = (await loadSensorTarget(db, sites[1].id))!.datastreams[0].id;
    const via = await staRead(db, 'Observations', {
      ...base,
      areaId: 'leeds',
      via: { set: 'Datastreams', id: homeDs },
    });
    expect(via.count).toBe(0);
  });

  it('keys each reading by its area too (a datastream is in one area): a repeat in that area is a duplicate', async () => {
    // Citus needs the distribution key (the area) in every unique key of the readings (migration 020).
    const keys = await db.query<{ name: string; columns: string[] }>(
      `SELECT c.conname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
       WHERE c.conrelid = 'observations'::regclass AND c.contype IN ('p', 'u') GROUP BY c.conname ORDER BY c.conname`,
    );
    expect(keys.rows.map((k) => k.columns.includes('area_id'))).toEqual([true, true]);
    const ds = (await loadSensorTarget(db, sites[0].id))!.datastreams[0];
    const reading = {
      sensorId: sites[0].id,
      property: ds.property,
      observation: {
        datastreamId: ds.id,
        phenomenonTimeMs: Date.UTC(2009, 0, 1),
        value: ds.maxValue,
        quality: null,
      },
    };
    const again = await storeObservations(db, [reading, reading]);
    expect([again.inserted.length, again.duplicates]).toEqual([0, 2]);
    const stored = await db.query<{ area: string; result: number }>(
      `SELECT area_id AS area, result FROM observations WHERE datastream_id = $1`,
      [ds.id],
    );
    // The first reading wins, in the sensor's area.
    expect(stored.rows).toEqual([{ area: 'leeds', result: ds.minValue }]);
  });

  it('refuses a reading filed under another area; moving a sensor moves its datastreams and readings', async () => {
    const ds = (await loadSensorTarget(db, sites[0].id))!.datastreams[0].id;
    await expect(
      db.query(
        `INSERT INTO observations (datastream_id, area_id, phenomenon_time, result) VALUES ($1, 'default', now(), 1)`,
        [ds],
      ),
    ).rejects.toThrow(/foreign key/);
    await db.query(`UPDATE sensor_things SET area_id = 'default' WHERE sensor_id = $1`, [sites[0].id]);
    const moved = (await areasOf()).find((r) => r.sensor === sites[0].id)!;
    expect(moved).toMatchObject({ thing: 'default', datastream: 'default', observation: 'default' });
  });
});

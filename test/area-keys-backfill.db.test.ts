/**
 * The Citus-ready area keys (issue 11, migrations `*_keys_observation_area.sql` and `*_keys_building_area.sql`) on
 * a database that already holds data: real Rutland OSM buildings (© OpenStreetMap contributors, ODbL) in two areas,
 * real OS Open UPRN links (packages/importers/fixtures/os-open-uprn-rutland.csv) and real Leeds footfall sites with
 * readings, all written in the schema before those migrations. Migrating fills the keys in; the code then reads
 * and writes by them. Real PostGIS on both backends (embedded, or the server when DATABASE_URL is set).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildingsByUprn,
  buildingsInBbox,
  type Db,
  importFeatures,
  loadSensorTarget,
  migrate,
  migrationFiles,
  openTestDb,
  recordArea,
  registerSensors,
  storeObservations,
} from '@placetwin/db';
import { type BuildingFeature, encodeMultiPolygonWkb } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import { parseSensorList } from '@placetwin/sensors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sample } from './support/paths';

const RUTLAND_FILE = 'rutland-2022-11.osm.pbf';
const UPRN_CSV = join(repoRoot, 'packages/importers/fixtures/os-open-uprn-rutland.csv');
const LEEDS_SITES = join(repoRoot, 'packages/sensors/fixtures/leeds-footfall-sites.geojson');
/** OS Open UPRN fixture rows and the Rutland buildings their points lie in (as apps/server's uprns test has them). */
const LINKS: Record<string, string> = {
  '100032046630': 'r6044726',
  '100032045782': 'w149866344',
  '100030717072': 'w353635259',
  '100032045493': 'w893169409',
  '100032045137': 'r3308810',
};

/** The last migration before the area keys, whatever the keys' files are numbered at merge. */
const files = migrationFiles();
const BEFORE_KEYS = files[files.findIndex((f) => f.endsWith('_keys_observation_area.sql')) - 1];

let db: Db;
let drop: () => Promise<void>;
let buildings: BuildingFeature[];
const RUTLAND_BBOX: [number, number, number, number] = [-0.83, 52.52, -0.42, 52.77];

/** Buildings as the importer wrote them before buildings had an area of their own. */
async function insertOldShape(dataset: string, datasetId: number, rows: BuildingFeature[]) {
  const params: unknown[] = [datasetId];
  const values = rows.map((f) => {
    params.push(
      `${dataset}:${f.sourceId}`,
      f.sourceId,
      f.kind,
      f.parentSourceId,
      encodeMultiPolygonWkb(f.footprint),
    );
    params.push(f.heightM, f.heightSource, f.heightMethod, JSON.stringify(f.attributes ?? {}));
    const p = (i: number) => `$${params.length - 9 + i}`;
    return `(${p(1)}, $1::int, ${p(2)}, ${p(3)}, ${p(4)}, ST_Multi(ST_GeomFromWKB(${p(5)}, 4326)), ${p(6)}::float8, ${p(7)}, ${p(8)}, ${p(9)}::jsonb)`;
  });
  await db.query(
    `INSERT INTO buildings (id, dataset_id, source_id, kind, parent_source_id, footprint, height_m, height_source,
       height_method, attributes, footprint_area_m2, import_run)
     SELECT v.*, ST_Area(v.g::geography), 1 FROM (VALUES ${values.join(',')})
       AS v (id, dataset_id, source_id, kind, parent_source_id, g, height_m, height_source, height_method, attributes)`,
    params,
  );
}

beforeAll(async () => {
  ({ db, drop } = await openTestDb(undefined, { migrateUntil: BEFORE_KEYS }));
  expect(
    (
      await db.query(
        `SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'buildings' AND column_name = 'area_id'`,
      )
    ).rows,
  ).toEqual([]);
  await db.query(`INSERT INTO areas (id, name, lad17cd) VALUES ('rutland', 'Rutland', 'E06000017')`);
  await db.query(`INSERT INTO areas (id, name, lad17cd) VALUES ('leeds', 'Leeds', 'E08000035')`);
  const ds = async (name: string, area: string) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO datasets (name, title, source, licence, attribution, crs, area_id)
         VALUES ($1, $1, $2, 'ODbL-1.0', '© OpenStreetMap contributors', 'EPSG:4326', $3) RETURNING id`,
        [name, RUTLAND_FILE, area],
      )
    ).rows[0].id;
  const bytes = new Uint8Array(await readFile(sample('rutland', RUTLAND_FILE)));
  const all: BuildingFeature[] = [];
  for await (const f of importerFor(bytes, RUTLAND_FILE).parse(bytes, {
    fileName: RUTLAND_FILE,
    skipInvalid: true,
  }))
    if (f.kind !== 'map') all.push(f);
  // The whole extract as Rutland's dataset (as an import before the keys left it), and 100 of its buildings again
  // as a dataset of the default area.
  buildings = all;
  const rutlandId = await ds('rutland-old', 'rutland');
  for (let i = 0; i < all.length; i += 1000)
    await insertOldShape('rutland-old', rutlandId, all.slice(i, i + 1000));
  await insertOldShape('home-old', await ds('home-old', 'default'), all.slice(1000, 1100));
  const points = new Map(
    readFileSync(UPRN_CSV, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .map((c) => [c[0], [Number(c[4]), Number(c[3])]] as const),
  );
  for (const [uprn, sourceId] of Object.entries(LINKS)) {
    const [lon, lat] = points.get(uprn)!;
    await db.query(
      `INSERT INTO building_uprns (building_id, dataset_id, uprn, source, point)
       VALUES ($1, $2, $3, 'os-open-uprn', ST_SetSRID(ST_MakePoint($4, $5), 4326))`,
      [`rutland-old:${sourceId}`, rutlandId, uprn, lon, lat],
    );
  }
  const sites = await parseSensorList(readFileSync(LEEDS_SITES, 'utf8'), {
    fileName: 'leeds-footfall-sites.geojson',
  });
  await registerSensors(db, sites.slice(0, 2), { areaId: 'leeds' });
  await db.query(
    `INSERT INTO observations (datastream_id, area_id, phenomenon_time, result)
     SELECT d.id, d.area_id, timestamptz '2015-12-19T15:00:00Z' + h * interval '1 hour', d.min_value
     FROM datastreams d, generate_series(0, 2) h`,
  );
  expect(await migrate(db)).toEqual(files.slice(files.indexOf(BEFORE_KEYS) + 1));
}, 600_000);

afterAll(async () => {
  await drop?.();
});

const keyColumns = async (table: string) =>
  (
    await db.query<{ name: string; columns: string[] }>(
      `SELECT c.conname AS name, array_agg(a.attname::text ORDER BY a.attname) AS columns
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
       WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u') GROUP BY c.conname ORDER BY c.conname`,
      [table],
    )
  ).rows;

describe('area keys on a database that already holds data', () => {
  it("fills in each building's and UPRN link's area from its dataset's", async () => {
    const r = await db.query<{ dataset: string; area: string; n: number; links: number }>(
      `SELECT d.name AS dataset, b.area_id AS area, count(*)::int AS n, sum(
         (SELECT count(*) FROM building_uprns l WHERE l.building_id = b.id AND l.area_id = b.area_id))::int AS links
       FROM buildings b JOIN datasets d ON d.id = b.dataset_id GROUP BY 1, 2 ORDER BY 1`,
    );
    expect(r.rows).toEqual([
      { dataset: 'home-old', area: 'default', n: 100, links: 0 },
      { dataset: 'rutland-old', area: 'rutland', n: buildings.length, links: Object.keys(LINKS).length },
    ]);
    expect((await db.query(`SELECT 1 FROM building_uprns WHERE area_id IS NULL`)).rows).toEqual([]);
  });

  it('puts the area in every unique key of the readings and the UPRN links', async () => {
    for (const table of ['observations', 'building_uprns']) {
      const keys = await keyColumns(table);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k.columns, `${table}.${k.name}`).toContain('area_id');
    }
    expect(await keyColumns('observations')).toEqual([
      {
        name: 'observations_datastream_time_area_key',
        columns: ['area_id', 'datastream_id', 'phenomenon_time'],
      },
      { name: 'observations_pkey', columns: ['area_id', 'id'] },
    ]);
  });

  it('reads buildings by their own area key: the guard, bbox and UPRN search', async () => {
    const [first] = buildings;
    expect(await recordArea(db, 'building', `rutland-old:${first.sourceId}`)).toBe('rutland');
    const inArea = async (areaId: string) =>
      new Set((await buildingsInBbox(db, RUTLAND_BBOX, { areaId })).map((f) => f.properties.dataset));
    expect(await inArea('rutland')).toEqual(new Set(['rutland-old']));
    expect(await inArea('default')).toEqual(new Set(['home-old']));
    expect(await inArea('leeds')).toEqual(new Set());
    const uprn = '100032045782';
    expect((await buildingsByUprn(db, uprn, { areaId: 'rutland' })).map((f) => f.id)).toEqual([
      `rutland-old:${LINKS[uprn]}`,
    ]);
    expect(await buildingsByUprn(db, uprn, { areaId: 'default' })).toEqual([]);
  });

  it("refuses a building or link that contradicts its dataset's area; moving the dataset moves them", async () => {
    await expect(
      db.query(`UPDATE buildings SET area_id = 'default' WHERE id = $1`, [
        `rutland-old:${buildings[0].sourceId}`,
      ]),
    ).rejects.toThrow(/buildings_dataset_area_fk/);
    await expect(
      db.query(`UPDATE building_uprns SET area_id = 'default' WHERE uprn = 100032045782`),
    ).rejects.toThrow(/building_uprns_building_area_fk/);
    await db.query(`UPDATE datasets SET area_id = 'leeds' WHERE name = 'rutland-old'`);
    const areas = await db.query<{ b: string; l: string }>(
      `SELECT array_to_string(array_agg(DISTINCT b.area_id), ',') AS b,
         (SELECT array_to_string(array_agg(DISTINCT l.area_id), ',') FROM building_uprns l) AS l
       FROM buildings b JOIN datasets d ON d.id = b.dataset_id WHERE d.name = 'rutland-old'`,
    );
    expect(areas.rows[0]).toEqual({ b: 'leeds', l: 'leeds' });
    await db.query(`UPDATE datasets SET area_id = 'rutland' WHERE name = 'rutland-old'`);
  });

  it('re-imports a dataset over the backfilled rows, each building with its area', async () => {
    const meta = {
      name: 'rutland-old',
      title: 'Rutland (part)',
      source: RUTLAND_FILE,
      licence: 'ODbL-1.0',
      attribution: '© OpenStreetMap contributors',
      vintage: '2022-11',
      crs: 'EPSG:4326',
    };
    const counts = await importFeatures(db, meta, buildings, { areaId: 'rutland' });
    expect(counts.removed).toBe(0);
    const r = await db.query<{ area: string; n: number }>(
      `SELECT b.area_id AS area, count(*)::int AS n FROM buildings b JOIN datasets d ON d.id = b.dataset_id
       WHERE d.name = 'rutland-old' GROUP BY 1`,
    );
    expect(r.rows).toEqual([{ area: 'rutland', n: buildings.length }]);
    // The import links the buildings' OSM ref:GB:uprn tags, in the buildings' area; every link is Rutland's.
    const links = await db.query<{ id: string; source: string; area: string }>(
      `SELECT DISTINCT building_id AS id, source, area_id AS area FROM building_uprns ORDER BY building_id`,
    );
    expect(new Set(links.rows.map((l) => l.area))).toEqual(new Set(['rutland']));
    const tagged = buildings.filter((f) =>
      /^[1-9][0-9]{0,11}/.test(String(f.attributes?.['ref:GB:uprn'] ?? '')),
    );
    expect(
      links.rows
        .filter((l) => l.source === 'osm-tag')
        .map((l) => l.id)
        .sort(),
    ).toEqual(tagged.map((f) => `rutland-old:${f.sourceId}`).sort());
  });

  it('keeps ingest idempotent: a reading stored again is a duplicate, a new one carries its area', async () => {
    const site = (
      await db.query<{ s: string }>('SELECT sensor_id AS s FROM sensor_things ORDER BY id LIMIT 1')
    ).rows[0].s;
    const ds = (await loadSensorTarget(db, site))!.datastreams[0];
    const reading = (ms: number) => ({
      sensorId: site,
      property: ds.property,
      observation: { datastreamId: ds.id, phenomenonTimeMs: ms, value: ds.minValue, quality: null },
    });
    const again = await storeObservations(db, [reading(Date.UTC(2015, 11, 19, 16))]);
    expect([again.inserted.length, again.duplicates]).toEqual([0, 1]);
    const fresh = await storeObservations(db, [reading(Date.UTC(2015, 11, 19, 18))]);
    expect(fresh.inserted.map((r) => r.areaId)).toEqual(['leeds']);
  });
});

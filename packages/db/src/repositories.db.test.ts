import type { BuildingFeature, DatasetMeta, ImportedFeature } from '@placetwin/geo';
import { DataError } from '@placetwin/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db';
import { migrate } from './migrate';
import {
  buildingsForTiling,
  buildingsInBbox,
  countBuildings,
  getBuilding,
  getDataset,
  importFeatures,
  listDatasets,
  mapFeaturesInBbox,
  setTileset,
} from './repositories';
import { openTestDb } from './testing';

// Constructed features: the real-data imports (Rutland, Delft, …) are tested in test/import.db.test.ts.
// A 0.001° × 0.001° square at Oakham (52.67° N) with a square hole, and a plain square beside it.
const lon0 = -0.73;
const lat0 = 52.67;
const square = (x: number, y: number, d: number) =>
  new Float64Array([x, y, x + d, y, x + d, y + d, x, y + d]);
const holeCw = (x: number, y: number, d: number) =>
  new Float64Array([x, y, x, y + d, x + d, y + d, x + d, y]);

const building = (sourceId: string, over: Partial<BuildingFeature> = {}): BuildingFeature => ({
  kind: 'building',
  sourceId,
  parentSourceId: null,
  footprint: [[square(lon0, lat0, 0.001)]],
  minHeightM: 0,
  heightM: 9,
  heightSource: 'levels',
  heightMethod: 'OSM building:levels=3 × 3.0 m',
  storeys: 3,
  use: 'residential',
  name: null,
  groundElevationM: 120.5,
  attributes: { 'osm:building': 'house' },
  ...over,
});

const meta: DatasetMeta = {
  name: 'test-town',
  title: 'Test town',
  source: 'constructed.geojson',
  licence: 'ODbL-1.0',
  attribution: '© OpenStreetMap contributors',
  vintage: '2022-11',
  crs: 'EPSG:4326',
};

async function* stream(features: ImportedFeature[], failAfter?: number) {
  let i = 0;
  for (const f of features) {
    if (failAfter !== undefined && i++ === failAfter)
      throw new DataError('invalid-geometry', 'ring is not closed', { file: 'bad.geojson', featureId: 'x' });
    yield f;
  }
}

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});
afterAll(async () => drop());

describe('database (real PostGIS)', () => {
  it('migrations are idempotent', async () => {
    expect(await migrate(db)).toEqual([]);
    const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(r.rows[0].n).toBeGreaterThan(0);
  });

  it('imports, then re-imports the same features idempotently with the same ids', async () => {
    const features: ImportedFeature[] = [
      building('w1', {
        footprint: [[square(lon0, lat0, 0.001), holeCw(lon0 + 0.0003, lat0 + 0.0003, 0.0004)]],
      }),
      building('w2', { footprint: [[square(lon0 + 0.002, lat0, 0.001)]], name: 'Library', use: 'civic' }),
      building('w3', {
        kind: 'part',
        parentSourceId: 'w2',
        minHeightM: 4,
        heightM: 12,
        footprint: [[square(lon0 + 0.002, lat0, 0.0005)]],
      }),
      {
        kind: 'map',
        sourceId: 'w10',
        layer: 'road',
        class: 'primary',
        name: 'High Street',
        geometry: {
          type: 'LineString',
          coordinates: [
            [lon0 - 0.001, lat0 - 0.0005],
            [lon0 + 0.004, lat0 - 0.0005],
          ],
        },
      },
    ];
    const first = await importFeatures(db, meta, stream(features));
    expect(first).toMatchObject({ buildings: 2, parts: 1, mapFeatures: 1, removed: 0 });
    const ids1 = (await db.query<{ id: string }>('SELECT id FROM buildings ORDER BY id')).rows.map(
      (r) => r.id,
    );
    const again = await importFeatures(db, meta, stream(features));
    expect(again).toMatchObject({
      buildings: 2,
      parts: 1,
      mapFeatures: 1,
      removed: 0,
      datasetId: first.datasetId,
    });
    const ids2 = (await db.query<{ id: string }>('SELECT id FROM buildings ORDER BY id')).rows.map(
      (r) => r.id,
    );
    expect(ids2).toEqual(ids1);
    expect(ids1).toEqual(['test-town:w1', 'test-town:w2', 'test-town:w3']);
    expect(await countBuildings(db, 'test-town')).toBe(2);
  });

  it('lists datasets with counts, attribution and bbox', async () => {
    const [d] = await listDatasets(db);
    expect(d).toMatchObject({
      name: 'test-town',
      buildingCount: 2,
      attribution: '© OpenStreetMap contributors',
      tilesetUrl: null,
    });
    expect(d.bbox![0]).toBeCloseTo(lon0, 6);
    expect(d.bbox![3]).toBeCloseTo(lat0 + 0.001, 6);
    await setTileset(db, 'test-town', { url: '/tilesets/test-town/tileset.json', hash: 'abc' });
    expect((await getDataset(db, 'test-town'))?.tilesetUrl).toBe('/tilesets/test-town/tileset.json');
  });

  it('computes geodesic footprint areas in square metres (hole excluded)', async () => {
    const b = await getBuilding(db, 'test-town:w2');
    // 0.001° of latitude ≈ 111.26 m; of longitude at 52.67° ≈ 67.7 m → ≈ 7,530 m²
    const expected = 111_260 * 0.001 * (111_320 * Math.cos((52.6705 * Math.PI) / 180) * 0.001);
    expect(b!.footprintAreaM2).toBeGreaterThan(expected * 0.995);
    expect(b!.footprintAreaM2).toBeLessThan(expected * 1.005);
    const withHole = await getBuilding(db, 'test-town:w1');
    expect(withHole!.footprintAreaM2 / b!.footprintAreaM2).toBeCloseTo(1 - 0.16, 2);
  });

  it('returns a building with its attributes and provenance', async () => {
    const b = await getBuilding(db, 'test-town:w2');
    expect(b).toMatchObject({
      sourceId: 'w2',
      name: 'Library',
      use: 'civic',
      heightM: 9,
      heightSource: 'levels',
      storeys: 3,
      groundElevationM: 120.5,
      attributes: { 'osm:building': 'house' },
      dataset: { name: 'test-town', licence: 'ODbL-1.0', attribution: '© OpenStreetMap contributors' },
    });
    expect(b!.footprint.type).toBe('MultiPolygon');
    expect(await getBuilding(db, 'test-town:nope')).toBeNull();
  });

  it('finds buildings by bbox', async () => {
    const hits = await buildingsInBbox(db, [lon0 + 0.0015, lat0, lon0 + 0.004, lat0 + 0.001]);
    expect(hits.map((h) => h.id).sort()).toEqual(['test-town:w2', 'test-town:w3']);
    expect(await buildingsInBbox(db, [1, 1, 1.1, 1.1])).toEqual([]);
  });

  it('gives the tiler typed-array footprints that round-trip exactly, holes included', async () => {
    const tb = await buildingsForTiling(db, 'test-town');
    expect(tb.map((b) => b.id)).toEqual(['test-town:w1', 'test-town:w3']); // w2 is drawn by its part w3
    const w1 = tb.find((b) => b.id === 'test-town:w1')!;
    expect(w1.footprint[0]).toHaveLength(2);
    expect(Array.from(w1.footprint[0][0])).toEqual(Array.from(square(lon0, lat0, 0.001)));
    expect(Array.from(w1.footprint[0][1])).toEqual(Array.from(holeCw(lon0 + 0.0003, lat0 + 0.0003, 0.0004)));
    const part = tb.find((b) => b.id === 'test-town:w3')!;
    expect(part).toMatchObject({ minHeightM: 4, heightM: 12 });
    expect(part.properties).toMatchObject({
      id: 'test-town:w3',
      heightSource: 'levels',
      dataset: 'test-town',
    });
  });

  it('does not tile a building drawn by its parts: linked by parent id, or (OSM) by a part inside its outline', async () => {
    const osm = { ...meta, name: 'parts-town' };
    await importFeatures(
      db,
      osm,
      stream([
        building('w20'), // outline with an unlinked part inside (OSM building:part)
        building('w21', { kind: 'part', footprint: [[square(lon0 + 0.0002, lat0 + 0.0002, 0.0006)]] }),
        building('w22', { footprint: [[square(lon0 + 0.003, lat0, 0.001)]] }), // no parts: drawn
        // A part outside every outline hides nothing.
        building('w23', { kind: 'part', footprint: [[square(lon0 + 0.006, lat0, 0.0005)]] }),
      ]),
    );
    const ids = (await buildingsForTiling(db, 'parts-town')).map((b) => b.id);
    expect(ids).toEqual(['parts-town:w21', 'parts-town:w22', 'parts-town:w23']);
    expect(await countBuildings(db, 'parts-town')).toBe(2); // still two buildings in the count
    // A worker planning a large dataset reads it in pages: two pages of two give the same buildings.
    const first = await buildingsForTiling(db, 'parts-town', { limit: 2 });
    const rest = await buildingsForTiling(db, 'parts-town', { afterId: first[1].id, limit: 2 });
    expect([...first, ...rest].map((b) => b.id)).toEqual(ids);
    expect(rest).toHaveLength(1);
  });

  it('clips basemap features to a bbox', async () => {
    const rows = await mapFeaturesInBbox(db, [lon0, lat0 - 0.001, lon0 + 0.001, lat0]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ layer: 'road', class: 'primary', name: 'High Street' });
    const xs = (rows[0].geometry as { coordinates: number[][] }).coordinates.map((c) => c[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(lon0 - 1e-9);
    expect(Math.max(...xs)).toBeLessThanOrEqual(lon0 + 0.001 + 1e-9);
  });

  it('a changed file replaces the old content: features no longer present are removed', async () => {
    const r = await importFeatures(db, meta, stream([building('w2')]));
    expect(r).toMatchObject({ buildings: 1, parts: 0, mapFeatures: 0, removed: 3 });
    expect((await getDataset(db, 'test-town'))?.tilesetUrl).toBeNull();
  });

  it('writes nothing when the stream fails part-way (one transaction)', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM buildings');
    const many = Array.from({ length: 600 }, (_, i) => building(`w${100 + i}`)); // more than one batch
    await expect(importFeatures(db, { ...meta, name: 'broken' }, stream(many, 550))).rejects.toBeInstanceOf(
      DataError,
    );
    expect(await getDataset(db, 'broken')).toBeNull();
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM buildings');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('rejects a duplicate feature id as a DataError, writing nothing', async () => {
    await expect(
      importFeatures(db, { ...meta, name: 'dupes' }, stream([building('w1'), building('w1')])),
    ).rejects.toThrow(/w1 occurs twice/);
    expect(await getDataset(db, 'dupes')).toBeNull();
  });

  it('does not interleave a concurrent query into a running transaction', async () => {
    const order: string[] = [];
    const tx = db.transaction(async (t) => {
      await t.query('CREATE TEMP TABLE IF NOT EXISTS probe (x int)');
      order.push('tx-start');
      await t.query('SELECT pg_sleep(0.2)');
      await t.query('INSERT INTO probe VALUES (1)');
      order.push('tx-end');
      throw new Error('roll back');
    });
    const outside = db.query('SELECT 1').then(() => order.push('outside'));
    await expect(tx).rejects.toThrow('roll back');
    await outside;
    if (db.kind === 'embedded') expect(order).toEqual(['tx-start', 'tx-end', 'outside']);
    else expect(order).toContain('outside');
  });
});

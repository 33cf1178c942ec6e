import type { BuildingFeature, DatasetMeta } from '@placetwin/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CARBON_RESULTS_KEPT,
  carbonStockBuildings,
  carbonStockVersion,
  deleteLeverSet,
  getCarbonAreaInputs,
  getCarbonResult,
  getLeverSet,
  listLeverSets,
  saveCarbonAreaInputs,
  saveCarbonResult,
  saveLeverSet,
} from './carbon';
import type { Db } from './db';
import { importFeatures } from './repositories';
import { openTestDb } from './testing';

// Constructed features, as in repositories.db.test.ts: the real Rutland stock is exercised through the API in
// apps/server/src/routes/api/carbon.db.test.ts. A 0.0005° square at Oakham is about 34 m × 56 m = 1,890 m².
const square = (x: number, y: number, d: number) =>
  new Float64Array([x, y, x + d, y, x + d, y + d, x, y + d]);
const building = (sourceId: string, over: Partial<BuildingFeature> = {}): BuildingFeature => ({
  kind: 'building',
  sourceId,
  parentSourceId: null,
  footprint: [[square(-0.73, 52.67, 0.0005)]],
  minHeightM: 0,
  heightM: 7,
  heightSource: 'levels',
  heightMethod: 'OSM building:levels=2 × 3.0 m + 1.0 m roof',
  storeys: 2,
  use: 'residential',
  name: null,
  groundElevationM: null,
  attributes: {},
  ...over,
});
const meta: DatasetMeta = {
  name: 'carbon-town',
  title: 'Carbon town',
  source: 'constructed',
  licence: 'ODbL-1.0',
  attribution: '© OpenStreetMap contributors',
  vintage: null,
  crs: 'EPSG:4326',
};

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  await importFeatures(db, meta, [
    building('w1'),
    building('w2', { use: 'commercial', storeys: null, heightM: 10, minHeightM: 1 }),
    building('w2-part', { kind: 'part', parentSourceId: 'w2', use: 'commercial' }),
  ]);
});

afterAll(async () => {
  await drop?.();
});

describe('carbon stock', () => {
  it('reads buildings (not parts) with use class, geodesic footprint, storeys and height above the base', async () => {
    const stock = await carbonStockBuildings(db, 'carbon-town');
    expect(stock.map((b) => b.id)).toEqual(['carbon-town:w1', 'carbon-town:w2']);
    expect(stock[0]).toMatchObject({ use: 'residential', storeys: 2, heightM: 7 });
    expect(stock[1]).toMatchObject({ use: 'commercial', storeys: null, heightM: 9 });
    // 0.0005° of latitude is 55.6 m; of longitude at 52.67° N, 33.8 m
    expect(stock[0].footprintAreaM2).toBeGreaterThan(1850);
    expect(stock[0].footprintAreaM2).toBeLessThan(1930);
    expect(await carbonStockBuildings(db, 'nowhere')).toEqual([]);
  });

  it('versions the stock by import time and row count', async () => {
    expect(await carbonStockVersion(db, 'carbon-town')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\/3$/);
    expect(await carbonStockVersion(db, 'nowhere')).toBeNull();
  });
});

describe('area inputs and lever sets', () => {
  it('saves, reads back and replaces the area inputs', async () => {
    expect(await getCarbonAreaInputs(db, 'carbon-town')).toBeNull();
    const inputs = {
      startYear: 2023,
      other: [{ label: 'waste', tco2e: 1200, basis: 'measured' as const, source: 'council waste returns' }],
    };
    expect(await saveCarbonAreaInputs(db, 'carbon-town', inputs)).toBe(true);
    expect(await getCarbonAreaInputs(db, 'carbon-town')).toEqual(inputs);
    await saveCarbonAreaInputs(db, 'carbon-town', { ...inputs, startYear: 2024 });
    expect((await getCarbonAreaInputs(db, 'carbon-town'))!.startYear).toBe(2024);
    expect(await saveCarbonAreaInputs(db, 'nowhere', inputs)).toBe(false);
  });

  it('creates, lists, replaces and deletes lever sets', async () => {
    const levers = { heatPumps: { domestic: [{ year: 2035, value: 0.5 }], scop: 2.8 } };
    const saved = await saveLeverSet(db, 'carbon-town', { name: 'heat-first', title: 'Heat first', levers });
    expect(saved).toMatchObject({ dataset: 'carbon-town', name: 'heat-first', title: 'Heat first', levers });
    await saveLeverSet(db, 'carbon-town', { name: 'all-in', title: 'All in', levers: {} });
    expect((await listLeverSets(db, 'carbon-town')).map((l) => l.name)).toEqual(['all-in', 'heat-first']);
    const replaced = await saveLeverSet(db, 'carbon-town', {
      name: 'heat-first',
      title: 'Heat first v2',
      levers: {},
    });
    expect(replaced).toMatchObject({ title: 'Heat first v2', levers: {}, createdAt: saved!.createdAt });
    expect(await deleteLeverSet(db, 'carbon-town', 'all-in')).toBe(true);
    expect(await deleteLeverSet(db, 'carbon-town', 'all-in')).toBe(false);
    expect(await getLeverSet(db, 'carbon-town', 'all-in')).toBeNull();
    expect(await saveLeverSet(db, 'nowhere', { name: 'x', title: 'x', levers: {} })).toBeNull();
  });

  it('refuses a lever set name that is not a slug (the database checks it too)', async () => {
    await expect(
      saveLeverSet(db, 'carbon-town', { name: 'Bad Name', title: 'x', levers: {} }),
    ).rejects.toThrow();
    expect(await getLeverSet(db, 'carbon-town', 'Bad Name')).toBeNull();
  });
});

describe('cached results', () => {
  const hash = (i: number) => i.toString(16).padStart(64, '0');

  it('returns a result by its inputs hash and keeps only the newest per dataset', async () => {
    await saveCarbonResult(db, 'carbon-town', hash(1), { total: [1, 2, 3] });
    expect(await getCarbonResult(db, 'carbon-town', hash(1))).toEqual({ total: [1, 2, 3] });
    expect(await getCarbonResult(db, 'carbon-town', hash(2))).toBeNull();
    for (let i = 2; i <= CARBON_RESULTS_KEPT + 1; i++)
      await saveCarbonResult(db, 'carbon-town', hash(i), { i });
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM carbon_results');
    expect(rows[0].n).toBe(CARBON_RESULTS_KEPT);
    expect(await getCarbonResult(db, 'carbon-town', hash(CARBON_RESULTS_KEPT + 1))).toEqual({
      i: CARBON_RESULTS_KEPT + 1,
    });
  });
});

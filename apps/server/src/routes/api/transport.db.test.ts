import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, importFeatures, importGtfs, openTestDb } from '@placetwin/db';
import type { BuildingFeature, ImportedFeature } from '@placetwin/geo';
import { gtfsFilesFromZip } from '@placetwin/transport';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';

// The transport API on real PostGIS: the real Newport BODS GTFS feed, and the constructed edge-case feed of
// @placetwin/transport (packages/transport/fixtures/edge-feed: a night bus past midnight, a frequency-based trip).

const here = dirname(fileURLToPath(import.meta.url));
const NEWPORT = 'newport-wales-bods-20230613-gtfs.zip';
const NEWPORT_CENTRE = { lon: -2.9977, lat: 51.5886 };

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-transport-db-'));
  await importGtfs(
    db,
    'newport',
    gtfsFilesFromZip(new Uint8Array(readFileSync(sample('transport', 'gtfs', NEWPORT))), NEWPORT),
    { licence: 'OGL-UK-3.0', attribution: 'Source: Bus Open Data Service (DfT), © Crown copyright' },
  );
  const edgeDir = resolve(here, '../../../../../packages/transport/fixtures/edge-feed');
  const files = new Map(
    readdirSync(edgeDir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => [f, readFileSync(join(edgeDir, f))]),
  );
  await importGtfs(db, 'edge-feed', { source: 'edge-feed', files });
  app = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('GET /api/transport/feeds, stops and routes', () => {
  it('lists the feeds with their credits', async () => {
    const res = await app.inject('/api/transport/feeds');
    expect(res.statusCode).toBe(200);
    const feeds = res.json();
    expect(feeds.map((f: { name: string }) => f.name)).toEqual(['edge-feed', 'newport']);
    expect(feeds[1]).toMatchObject({
      licence: 'OGL-UK-3.0',
      routes: 16,
      trips: 176,
      timeZone: 'Europe/London',
    });
  });

  it('gives the stops trips call at as GeoJSON, optionally in a box', async () => {
    const all = (await app.inject('/api/transport/feeds/newport/stops')).json();
    expect(all.features).toHaveLength(655);
    expect(all.features[0].geometry.type).toBe('Point');
    const everything = (await app.inject('/api/transport/feeds/newport/stops?used=false')).json();
    expect(everything.features).toHaveLength(2686);
    const centre = (
      await app.inject('/api/transport/feeds/newport/stops?bbox=-3.01,51.58,-2.98,51.60')
    ).json();
    expect(centre.features.length).toBeGreaterThan(10);
    expect(centre.features.length).toBeLessThan(655);
    for (const f of centre.features) {
      const [x, y] = f.geometry.coordinates;
      expect(x).toBeGreaterThanOrEqual(-3.01);
      expect(y).toBeLessThanOrEqual(51.6);
    }
  });

  it('gives routes as lines with their colours', async () => {
    const edge = (await app.inject('/api/transport/feeds/edge-feed/routes')).json();
    const r1 = edge.features.find((f: { id: string }) => f.id === 'R1');
    expect(r1.properties).toMatchObject({ shortName: '1', color: 'FF0000', textColor: 'FFFFFF', trips: 3 });
    expect(r1.geometry.type).toBe('MultiLineString');
    expect((await app.inject('/api/transport/feeds/newport/routes')).json().features).toHaveLength(16);
  });

  it('answers 404 for an unknown feed', async () => {
    const res = await app.inject('/api/transport/feeds/nowhere/routes');
    expect(res.statusCode).toBe(404);
    expect(res.json().type).toBe(`${PROBLEM_BASE}not-found`);
  });
});

describe('GET /api/transport/feeds/:feed/stops/:stopId/departures', () => {
  it('lists a day’s departures, the night bus after midnight included', async () => {
    const res = await app.inject('/api/transport/feeds/edge-feed/stops/B/departures?date=2024-01-09');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ stopName: 'Bravo', date: '2024-01-09', timeZone: 'Europe/London' });
    expect(
      body.departures.map((d: { time: string; departureAt: string }) => [d.time, d.departureAt]),
    ).toEqual([
      ['00:10:00', '2024-01-09T00:10:00.000Z'], // Monday's NIGHT at 24:10:00
      ['08:11:00', '2024-01-09T08:11:00.000Z'],
    ]);
  });

  it('lists real Newport departures in time order', async () => {
    const stops = (
      await app.inject('/api/transport/feeds/newport/stops?bbox=-3.0,51.585,-2.995,51.59')
    ).json();
    let found = 0;
    for (const f of stops.features) {
      const res = await app.inject(`/api/transport/feeds/newport/stops/${f.id}/departures?date=2023-06-14`);
      expect(res.statusCode).toBe(200);
      const times = res.json().departures.map((d: { departureAt: string }) => d.departureAt);
      expect([...times].sort()).toEqual(times);
      found += times.length;
    }
    expect(found).toBeGreaterThan(10);
  });

  it('rejects a bad date and an unknown stop', async () => {
    const bad = await app.inject('/api/transport/feeds/edge-feed/stops/B/departures?date=2024-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/not a calendar date/);
    expect(
      (await app.inject('/api/transport/feeds/edge-feed/stops/Z/departures?date=2024-01-09')).statusCode,
    ).toBe(404);
  });
});

describe('GET /api/transport/feeds/:feed/vehicles', () => {
  it('gives scheduled positions at an instant as flat triples', async () => {
    // Tuesday 9 January 2024, 00:20 GMT: Monday's night bus is half-way from B (00:10) to C (00:30).
    const res = await app.inject('/api/transport/feeds/edge-feed/vehicles?t=2024-01-09T00:20:00Z');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      serviceDate: '2024-01-09',
      count: 1,
      stride: 3,
      runIds: ['2024-01-08/NIGHT'],
    });
    expect(body.routeIds).toEqual(['N1']);
    expect(body.positions).toEqual([-3, 51.595, 0]);
  });

  it('moves the real Newport buses with the clock', async () => {
    const at = async (t: string) => (await app.inject(`/api/transport/feeds/newport/vehicles?t=${t}`)).json();
    const a = await at('2023-06-14T08:00:00%2B01:00');
    const b = await at('2023-06-14T08:01:00%2B01:00');
    expect(a.count).toBeGreaterThan(5);
    expect(a.positions).toHaveLength(3 * a.count);
    const shared = a.runIds.filter((id: string) => b.runIds.includes(id));
    const moved = shared.filter((id: string) => {
      const i = a.runIds.indexOf(id);
      const j = b.runIds.indexOf(id);
      return a.positions[3 * i] !== b.positions[3 * j] || a.positions[3 * i + 1] !== b.positions[3 * j + 1];
    });
    expect(moved.length).toBeGreaterThan(shared.length / 2);
  });

  it('rejects an instant without a time zone', async () => {
    const res = await app.inject('/api/transport/feeds/newport/vehicles?t=2023-06-14T08:00:00');
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/with Z or an offset/);
  });
});

/**
 * There are no buildings for Newport in the sample data (the OSM extract is Rutland), so counting buildings needs
 * constructed ones: a 20 m square house 150 m from the origin (inside 15 minutes on foot), a shop 500 m away
 * (inside, about 8.5 minutes at 1.33 m/s × 1.3 detour) and a school 40 km away in the Brecon Beacons (outside 45).
 */
const square = (lon: number, lat: number): Float64Array => {
  const d = 0.0002;
  return new Float64Array([lon, lat, lon + d, lat, lon + d, lat + d, lon, lat + d]);
};
const constructedBuilding = (sourceId: string, lon: number, lat: number, use: string): BuildingFeature => ({
  kind: 'building',
  sourceId,
  parentSourceId: null,
  footprint: [[square(lon, lat)]],
  minHeightM: 0,
  heightM: 8,
  heightSource: 'levels',
  heightMethod: 'constructed',
  storeys: 2,
  use,
  name: null,
  groundElevationM: null,
  attributes: {},
});

describe('GET /api/transport/feeds/:feed/isochrones', () => {
  it('counts the stops and the twin’s buildings inside each band', async () => {
    const { lon, lat } = NEWPORT_CENTRE;
    const metresLat = 1 / 111_195;
    async function* features(): AsyncGenerator<ImportedFeature> {
      yield constructedBuilding('w1', lon, lat + 150 * metresLat, 'residential');
      yield constructedBuilding('w2', lon, lat - 500 * metresLat, 'retail');
      yield constructedBuilding('w3', -3.4, 51.88, 'education');
    }
    await importFeatures(
      db,
      {
        name: 'newport-constructed',
        title: 'Constructed buildings near Newport',
        source: 'constructed',
        licence: 'CC0-1.0',
        attribution: '',
        vintage: null,
        crs: 'EPSG:4326',
      },
      features(),
    );
    const res = await app.inject(
      `/api/transport/feeds/newport/isochrones?lon=${lon}&lat=${lat}&departure=2023-06-14T08:00:00%2B01:00`,
    );
    expect(res.statusCode).toBe(200);
    const { counts } = res.json() as {
      counts: { minutes: number; stops: number; buildings: number; buildingsByUse: Record<string, number> }[];
    };
    expect(counts.map((c) => c.minutes)).toEqual([15, 30, 45]);
    expect(counts[0]).toMatchObject({ buildings: 2, buildingsByUse: { residential: 1, retail: 1 } });
    expect(counts[2].buildings).toBe(2);
    // Bands nest, so their counts never shrink; a 15-minute walk from the centre passes some stops.
    expect(counts[0].stops).toBeGreaterThan(5);
    expect(counts[1].stops).toBeGreaterThanOrEqual(counts[0].stops);
    expect(counts[2].stops).toBeGreaterThanOrEqual(counts[1].stops);
    expect(counts[2].stops).toBeLessThanOrEqual(655); // the feed's stops that trips call at
  });

  it('gives nested 15/30/45-minute bands from central Newport at 08:00', async () => {
    const res = await app.inject(
      `/api/transport/feeds/newport/isochrones?lon=${NEWPORT_CENTRE.lon}&lat=${NEWPORT_CENTRE.lat}&departure=2023-06-14T08:00:00%2B01:00`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.features.map((f: { properties: { minutes: number } }) => f.properties.minutes)).toEqual([
      15, 30, 45,
    ]);
    expect(body.reachedStops).toBeGreaterThan(20);
    // Nesting: every vertex of a band lies in the next band's bounding box, and the boxes grow.
    const box = (g: { coordinates: number[][][][] }) => {
      const xs = g.coordinates.flatMap((p) => p[0].map((c) => c[0]));
      const ys = g.coordinates.flatMap((p) => p[0].map((c) => c[1]));
      return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
    };
    const [b15, b30, b45] = body.features.map((f: { geometry: { coordinates: number[][][][] } }) =>
      box(f.geometry),
    );
    for (const [inner, outer] of [
      [b15, b30],
      [b30, b45],
    ]) {
      expect(inner[0]).toBeGreaterThanOrEqual(outer[0]);
      expect(inner[1]).toBeGreaterThanOrEqual(outer[1]);
      expect(inner[2]).toBeLessThanOrEqual(outer[2]);
      expect(inner[3]).toBeLessThanOrEqual(outer[3]);
    }
  });

  it('rejects bands over two hours', async () => {
    const res = await app.inject(
      '/api/transport/feeds/newport/isochrones?lon=-3&lat=51.59&departure=2023-06-14T08:00:00Z&bands=15,300',
    );
    expect(res.statusCode).toBe(400);
  });
});

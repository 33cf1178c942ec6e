import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPoisPath } from '@placetwin/cli';
import { type Db, importGtfs, importPois, openTestDb } from '@placetwin/db';
import { ESSENTIAL_SERVICES } from '@placetwin/transport';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureFeed } from '../../../../../packages/transport/src/test-fixtures';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';

// The 15-minute city score on real PostGIS. Real: Rutland's OSM extract (points of interest; walking only, as
// there is no GTFS feed for Rutland in the sample data). Constructed: @placetwin/transport's router-network
// feed (O at 51.50° N 3.1° W; FAST1 leaves O 08:05 and reaches A, 1.1 km north, at 08:15) with two constructed
// services beside it: a food shop 100 m north of A (only by bus in 15 minutes) and a park 500 m south of O.

const OAKHAM = { lon: -0.7268, lat: 52.6706 }; // Market Place
const north = (m: number) => m / 111_194.9266;
/** Metres within 15 minutes' walk: straight line × 1.3 at 1.33 m/s. */
const WALK_15_M = (15 * 60 * 1.33) / 1.3;

/** The constructed services beside the router network: a food shop 100 m north of A, a park 500 m south of O. */
const CONSTRUCTED = [
  { sourceId: 'food-by-a', service: 'food', name: 'Shop by A', lon: -3.1, lat: 51.51 + north(100) },
  { sourceId: 'park-by-o', service: 'park', name: 'Park by O', lon: -3.1, lat: 51.5 - north(500) },
];

/** @placetwin/transport's router-network feed, imported (again). */
async function importRouterNetwork(): Promise<void> {
  await importGtfs(db, 'router-network', fixtureFeed('router-network'));
}

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-fifteen-db-'));
  await importPoisPath(db, sample('rutland', 'rutland-2022-11.osm.pbf'), { name: 'rutland' });
  await importRouterNetwork();
  await importPois(db, 'constructed', CONSTRUCTED, { source: 'constructed for tests' });
  app = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('GET /api/transport/fifteen-minute', () => {
  it('rides the bus on a constructed network: the food shop only by bus, the park on foot', async () => {
    const at = (time: string) =>
      app.inject(`/api/transport/fifteen-minute?lon=-3.1&lat=51.5&time=${encodeURIComponent(time)}`);
    const res = await at('2024-05-15T08:03:00+01:00');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ mode: 'walk+transit', feed: 'router-network', covered: true, reachable: 2 });
    expect(body.total).toBe(ESSENTIAL_SERVICES.length);
    expect(body.score).toBeCloseTo(2 / ESSENTIAL_SERVICES.length, 10);
    const food = body.services.find((s: { id: string }) => s.id === 'food');
    expect(food.minutes).toBeCloseTo(13.6, 1); // 08:15 at A + 97.7 s walk
    // Three minutes later the bus has gone: the park alone.
    const later = (await at('2024-05-15T08:06:00+01:00')).json();
    expect(
      later.services.filter((s: { count: number }) => s.count > 0).map((s: { id: string }) => s.id),
    ).toEqual(['park']);
  });

  it('scores Oakham on foot from the real OSM services, as PostGIS distances say', async () => {
    const res = await app.inject(
      `/api/transport/fifteen-minute?lon=${OAKHAM.lon}&lat=${OAKHAM.lat}&time=2024-05-15T08:00:00Z`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ mode: 'walk', feed: null, covered: true });
    // The reference: services with a place within 15 minutes' straight-line walk, by PostGIS geography distance.
    const within = (
      await db.query<{ service: string; n: number }>(
        `SELECT service, count(*)::int AS n FROM pois
         WHERE ST_DWithin(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3, false)
         GROUP BY service`,
        [OAKHAM.lon, OAKHAM.lat, WALK_15_M],
      )
    ).rows;
    const expected = Object.fromEntries(within.map((r) => [r.service, Number(r.n)]));
    for (const s of body.services) expect(s.count, s.id).toBe(expected[s.id] ?? 0);
    expect(body.reachable).toBe(Object.keys(expected).length);
    // A county town's centre: most everyday services on foot.
    expect(body.score).toBeGreaterThanOrEqual(5 / 7);
  });

  it('gives no score where no points-of-interest data covers the point', async () => {
    const body = (
      await app.inject('/api/transport/fifteen-minute?lon=-2.9977&lat=51.5886&time=2024-05-15T08:00:00Z')
    ).json();
    expect(body).toMatchObject({ covered: false, score: null, mode: 'walk' });
  });

  it('rejects a time without a zone and an unknown feed', async () => {
    const bad = await app.inject('/api/transport/fifteen-minute?lon=-0.7&lat=52.6&time=2024-05-15T08:00:00');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    const unknown = await app.inject(
      '/api/transport/fifteen-minute?lon=-0.7&lat=52.6&time=2024-05-15T08:00:00Z&feed=nope',
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('GET /api/transport/fifteen-minute/map', () => {
  const bbox = '-0.78,52.64,-0.68,52.70'; // Oakham and the fields around it

  it('scores a grid of cells over Oakham, each cell as its centre point scores', async () => {
    const res = await app.inject(
      `/api/transport/fifteen-minute/map?bbox=${bbox}&time=2024-05-15T08:00:00Z&cell=500`,
    );
    expect(res.statusCode).toBe(200);
    const map = res.json();
    expect(map.cellM).toBe(500);
    expect(map.services.map((s: { id: string }) => s.id)).toEqual(ESSENTIAL_SERVICES.map((s) => s.id));
    expect(map.features.length).toBeGreaterThan(100);
    const scores = map.features.map((f: { properties: { score: number } }) => f.properties.score);
    expect(Math.max(...scores)).toBeGreaterThanOrEqual(5 / 7 - 1e-3); // the town centre
    expect(Math.min(...scores)).toBe(0); // fields with nothing within 15 minutes
    // Three cells checked against the point score at their centres.
    for (const f of [
      map.features[0],
      map.features[Math.floor(map.features.length / 2)],
      map.features.at(-1),
    ]) {
      const ring = f.geometry.coordinates[0];
      const lon = (ring[0][0] + ring[2][0]) / 2;
      const lat = (ring[0][1] + ring[2][1]) / 2;
      const point = (
        await app.inject(`/api/transport/fifteen-minute?lon=${lon}&lat=${lat}&time=2024-05-15T08:00:00Z`)
      ).json();
      expect(f.properties.score).toBeCloseTo(point.score, 2);
      expect(f.properties.missing).toEqual(
        point.services.filter((s: { count: number }) => s.count === 0).map((s: { id: string }) => s.id),
      );
    }
  });

  it('refuses a grid with too many cells', async () => {
    const res = await app.inject(
      '/api/transport/fifteen-minute/map?bbox=-1,52.4,-0.5,52.8&time=2024-05-15T08:00:00Z&cell=100',
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/cells/);
  });
});

describe('stored 15-minute scores', () => {
  // Computed once per area, feed and parameters (the table fifteen_scores), until the area's points of interest
  // or feeds are imported again. Observed through computedAt, not timing.
  const point = (time: string) =>
    `/api/transport/fifteen-minute?lon=-3.1&lat=51.5&time=${encodeURIComponent(time)}`;
  const map =
    '/api/transport/fifteen-minute/map?bbox=-3.11,51.49,-3.09,51.52&time=2024-05-15T07:03:00Z&cell=500';
  it('answers a second request from the stored score, also for another API process over the same database', async () => {
    const first = await app.inject(point('2024-05-15T08:02:00+01:00'));
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(Date.parse(body.computedAt)).not.toBeNaN();
    expect(body).toMatchObject({ mode: 'walk+transit', reachable: 2 });
    const again = (await app.inject(point('2024-05-15T08:02:00+01:00'))).json();
    expect(again).toEqual(body);
    // Another process (or this one after a restart): a new app over the same database reads the same row.
    const other = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
    try {
      expect((await other.inject(point('2024-05-15T08:02:00+01:00'))).json()).toEqual(body);
    } finally {
      await other.close();
    }
    // Other parameters are another score: five minutes later the bus has gone.
    const later = (await app.inject(point('2024-05-15T08:07:00+01:00'))).json();
    expect(later.computedAt).not.toBe(body.computedAt);
    expect(later.reachable).toBe(1);

    const m1 = (await app.inject(map)).json();
    expect(m1.features.length).toBeGreaterThan(0);
    expect((await app.inject(map)).json()).toEqual(m1);
  });

  it('computes again after the area’s points of interest or GTFS feed are imported again', async () => {
    const before = (await app.inject(point('2024-05-15T08:02:00+01:00'))).json();
    const mapBefore = (await app.inject(map)).json();
    // A pharmacy 200 m east of O joins the constructed set: the stored score is gone, the new one counts it.
    await importPois(
      db,
      'constructed',
      [
        ...CONSTRUCTED,
        { sourceId: 'pharmacy-by-o', service: 'pharmacy', name: 'Pharmacy by O', lon: -3.0971, lat: 51.5 },
      ],
      { source: 'constructed for tests' },
    );
    const after = (await app.inject(point('2024-05-15T08:02:00+01:00'))).json();
    expect(after.reachable).toBe(before.reachable + 1);
    expect(Date.parse(after.computedAt)).toBeGreaterThan(Date.parse(before.computedAt));
    const mapAfter = (await app.inject(map)).json();
    expect(Date.parse(mapAfter.computedAt)).toBeGreaterThan(Date.parse(mapBefore.computedAt));
    // The feed imported again: computed again (the same answer, from the same timetable).
    await importRouterNetwork();
    const reimported = (await app.inject(point('2024-05-15T08:02:00+01:00'))).json();
    expect(Date.parse(reimported.computedAt)).toBeGreaterThan(Date.parse(after.computedAt));
    expect({ ...reimported, computedAt: null }).toEqual({ ...after, computedAt: null });
    // Back to the set the other tests use (computed again too).
    await importPois(db, 'constructed', CONSTRUCTED, { source: 'constructed for tests' });
    expect((await app.inject(point('2024-05-15T08:02:00+01:00'))).json().reachable).toBe(before.reachable);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformer } from '@placetwin/geo';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { failingDb } from '../../testing/failing-db';
import { parseInstantParam } from './solar';

// The solar API without data: the sun's position needs no database, and every bad input is refused before one is
// asked (the database here fails every query, and counts them). Real buildings: solar.db.test.ts.
const db = failingDb();

let app: FastifyInstance;
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'placetwin-solar-'));
  app = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
  await app.ready();
});

/** Queries made since the app started (other plugins may ask the database once at start-up). */
let queriesAtStart = 0;
beforeEach(() => {
  queriesAtStart = db.queries;
});
afterAll(async () => {
  await app.close();
  await rm(root, { recursive: true, force: true });
});

const problem = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json();
};

/** Refraction by the SPA paper's formula (eq. 42) at 1013.25 hPa and 10 °C, degrees. */
const refractionDeg = (e: number) =>
  (1013.25 / 1010) * (283 / 283) * (1.02 / (60 * Math.tan(((e + 10.3 / (e + 5.11)) * Math.PI) / 180)));

describe('GET /api/solar/position', () => {
  it("answers NREL's worked example azimuth, and apparent elevation = elevation + standard refraction", async () => {
    // Reda & Andreas (2008): 17 October 2003 12:30:30 at UTC−7, 39.742476° N 105.1786° W, 1830.14 m → azimuth
    // 194.34024° (with ΔT 67 s; the default ΔT here is 64.6 s, which moves it by under 0.0002°).
    const res = await app.inject(
      '/api/solar/position?lat=39.742476&lon=-105.1786&elevationM=1830.14&time=2003-10-17T12:30:30-07:00',
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['apparentElevationDeg', 'azimuthDeg', 'elevationDeg']);
    expect(body.azimuthDeg).toBeCloseTo(194.34024, 3);
    expect(body.apparentElevationDeg - body.elevationDeg).toBeCloseTo(refractionDeg(body.elevationDeg), 6);
  });

  it('puts the sun due south at Oakham near 12:10 UTC on 21 March, at 90° − latitude (± declination)', async () => {
    const before = (
      await app.inject('/api/solar/position?lat=52.6706&lon=-0.7295&time=2024-03-21T12:08:00Z')
    ).json();
    const after = (
      await app.inject('/api/solar/position?lat=52.6706&lon=-0.7295&time=2024-03-21T12:13:00Z')
    ).json();
    expect(before.azimuthDeg).toBeLessThan(180);
    expect(after.azimuthDeg).toBeGreaterThan(180);
    // The equinox was 20 March 2024 03:06 UTC; 33 h later the declination is about +0.55° (0.39° a day), so the
    // noon elevation is about 90 − 52.67 + 0.55 = 37.88°.
    expect(after.elevationDeg).toBeGreaterThan(37.8);
    expect(after.elevationDeg).toBeLessThan(37.95);
  });

  it('refuses missing, out-of-range and unparseable parameters with reasons', async () => {
    const missing = problem(await app.inject('/api/solar/position?lat=52&time=2024-03-21T12:00:00Z'));
    expect(missing.type).toBe(`${PROBLEM_BASE}validation`);
    expect(missing.errors).toContainEqual(expect.objectContaining({ field: 'lon' }));
    const lat = problem(await app.inject('/api/solar/position?lat=91&lon=0&time=2024-03-21T12:00:00Z'));
    expect(lat.errors).toEqual([expect.objectContaining({ field: 'lat', reason: 'must be <= 90' })]);
    const lon = problem(await app.inject('/api/solar/position?lat=52&lon=-181&time=2024-03-21T12:00:00Z'));
    expect(lon.errors).toEqual([expect.objectContaining({ field: 'lon', reason: 'must be >= -180' })]);
    const words = problem(await app.inject('/api/solar/position?lat=52&lon=0&time=noon'));
    expect(words).toMatchObject({ status: 400, type: `${PROBLEM_BASE}invalid-time` });
    expect(words.detail).toContain('time "noon" is not an ISO 8601 instant');
    const local = problem(await app.inject('/api/solar/position?lat=52&lon=0&time=2024-03-21T12:00:00'));
    expect(local.detail).toContain('has no UTC offset: add Z for UTC or an offset such as +01:00');
    const feb30 = problem(await app.inject('/api/solar/position?lat=52&lon=0&time=2023-02-29T12:00:00Z'));
    expect(feb30.detail).toContain('is not a calendar date');
    const far = problem(await app.inject('/api/solar/position?lat=52&lon=0&time=7000-01-01T00:00:00Z'));
    expect(far.detail).toContain("outside SPA's years −2000…6000");
    expect(db.queries).toBe(queriesAtStart);
  });
});

describe('parseInstantParam', () => {
  it('reads Z and offsets (with and without a colon) as the same instant', () => {
    const z = parseInstantParam('2024-06-21T12:00:00Z', 't');
    expect(parseInstantParam('2024-06-21T13:00:00+01:00', 't')).toBe(z);
    expect(parseInstantParam('2024-06-21T13:00+0100', 't')).toBe(z);
    expect(parseInstantParam('2024-02-29T00:00:00Z', 't')).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('GET /api/solar/shadows: bad input', () => {
  it('refuses a time without offset and a box over the limit before touching the database', async () => {
    const noOffset = problem(
      await app.inject(
        '/api/solar/shadows?dataset=rutland&time=2024-03-21T12:00&bbox=-0.73,52.66,-0.72,52.67',
      ),
    );
    expect(noOffset.type).toBe(`${PROBLEM_BASE}invalid-time`);
    const big = problem(
      await app.inject('/api/solar/shadows?dataset=rutland&time=2024-03-21T12:00Z&bbox=-0.8,52.6,-0.7,52.7'),
    );
    expect(big.type).toBe(`${PROBLEM_BASE}bbox-too-large`);
    expect(big.detail).toContain('the limit is 4 km²');
    const missing = problem(await app.inject('/api/solar/shadows?dataset=rutland&time=2024-03-21T12:00Z'));
    expect(missing.errors).toContainEqual(expect.objectContaining({ field: 'bbox' }));
    expect(db.queries).toBe(queriesAtStart);
  });
});

describe('POST /api/solar/sun-hours: bad input', () => {
  const toWgs = transformer('EPSG:27700', 'EPSG:4326');
  const square = (side: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [486000, 309000],
        [486000 + side, 309000],
        [486000 + side, 309000 + side],
        [486000, 309000 + side],
        [486000, 309000],
      ].map(([e, n]) => toWgs(e, n)),
    ],
  });
  const post = (body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/solar/sun-hours', payload: { dataset: 'rutland', ...body } });

  it('refuses a polygon too large, naming the limit', async () => {
    const p = problem(await post({ area: square(1200) }));
    expect(p).toMatchObject({ status: 400, type: `${PROBLEM_BASE}area-too-large` });
    expect(p.detail).toContain('1.44 km²');
    expect(p.detail).toContain('the limit is 1,000,000 cells (1 km² at 1 m');
  });

  it('refuses a self-intersecting polygon and an unclosed ring, saying where', async () => {
    const [a, b, c, d] = square(100).coordinates[0];
    const bowtie = problem(await post({ area: { type: 'Polygon', coordinates: [[a, c, b, d, a]] } }));
    expect(bowtie.type).toBe(`${PROBLEM_BASE}self-intersecting-area`);
    expect(bowtie.detail).toMatch(/^area is not a valid polygon: outer ring .*near \(-0\.7/);
    const open = problem(
      await post({ area: { type: 'Polygon', coordinates: [[a, b, c, d, [a[0] + 1e-5, a[1]]]] } }),
    );
    expect(open.type).toBe(`${PROBLEM_BASE}unclosed-ring`);
  });

  it('refuses dates outside the SPA range, and cell sizes and steps out of bounds', async () => {
    const date = problem(await post({ area: square(50), date: '6500-03-21' }));
    expect(date).toMatchObject({ status: 400, type: `${PROBLEM_BASE}date-out-of-range` });
    expect(date.detail).toContain('0001-01-01 to 6000-12-31');
    const badDate = problem(await post({ area: square(50), date: '21/03/2025' }));
    expect(badDate.type).toBe(`${PROBLEM_BASE}validation`);
    expect(problem(await post({ area: square(50), cellSizeM: 0.2 })).detail).toBe(
      'cellSizeM 0.2 is not between 0.5 and 10 metres',
    );
    expect(problem(await post({ area: square(50), stepMinutes: 120 })).detail).toBe(
      'stepMinutes 120 is not a whole number between 1 and 60 minutes',
    );
  });

  it('refuses a malformed scenario id and a body without an area, before asking the database', async () => {
    for (const scenario of ['tower', 0, -3, 1.5]) {
      const bad = problem(await post({ area: square(50), scenario }));
      expect(bad.type).toBe(`${PROBLEM_BASE}validation`);
      expect(JSON.stringify(bad.errors)).toContain('scenario');
    }
    const none = problem(await post({}));
    expect(none.errors).toContainEqual(expect.objectContaining({ field: 'area' }));
    expect(db.queries).toBe(queriesAtStart);
  });

  it('refuses a malformed job id with 400 before touching the database', async () => {
    const queriesAtStart = db.queries;
    expect((await app.inject('/api/solar/sun-hours/not-an-id')).statusCode).toBe(400);
    expect(db.queries).toBe(queriesAtStart);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOstn15 } from '@placetwin/cli';
import { type Db, openTestDb } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataDir } from '../../../../../test/support/paths';
import { rutlandImported } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';

// The energy API on real PostGIS: Rutland's OpenStreetMap buildings, Leeds weather and GB grid intensity.

const LIBRARY = 'rutland:w101326490'; // Rutland County Library, Oakham (amenity=library)
const VICTORIA_HALL = 'rutland:w298852308'; // amenity=townhall

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandImported));
  root = await mkdtemp(join(tmpdir(), 'placetwin-energy-db-'));
  await loadOstn15(sampleDataDir);
  app = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('GET /api/energy/buildings/:id', () => {
  it('gives the library its TM46 benchmark × floor area, marked estimated, with its assumptions', async () => {
    const res = await app.inject(`/api/energy/buildings/${LIBRARY}`);
    expect(res.statusCode).toBe(200);
    const b = res.json();
    const building = (await app.inject(`/api/buildings/${LIBRARY}`)).json();
    expect(b.benchmark.id).toBe('cultural-activities');
    expect(b.floorAreaM2).toBeGreaterThan(building.footprintAreaM2 - 1e-6);
    expect(b.heat.mwh).toBeCloseTo((200 * b.floorAreaM2) / 1000, 6);
    expect(b.heat.status).toBe('estimated');
    expect(b.thermalModel.timeConstantH).toBeGreaterThan(1);
    expect(b.assumptions.map((a: { field: string }) => a.field)).toContain('storeys');
  });

  it('answers 404 for an unknown building', async () => {
    const res = await app.inject('/api/energy/buildings/rutland:w1');
    expect(res.statusCode).toBe(404);
  });
});

describe('POST /api/energy/flexibility', () => {
  it('shifts the library’s heating out of 16:00–19:00 on a January day without leaving the band', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/energy/flexibility',
      payload: {
        buildingId: LIBRARY,
        date: '2023-01-18',
        comfort: { minC: 19, maxC: 22 },
        capacityClass: 'heavy',
      },
    });
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.times).toHaveLength(48);
    expect(f.times[0]).toBe('2023-01-18T00:00:00.000Z');
    expect(f.inWindow.filter(Boolean)).toHaveLength(6);
    expect(f.figures.kwRemoved).toBeGreaterThan(0);
    expect(f.shifted.comfortHoursViolated).toBe(0);
    // Occupied: inside the band. Pre-heat and setback steps: never colder than the normal schedule manages there
    // (the first pre-heat half-hour cannot reach the band from setback even at full power).
    f.shifted.airC.forEach((t: number, k: number) => {
      const floor = f.occupied[k] ? f.lowC[k] : Math.min(f.lowC[k], f.baseline.airC[k]);
      expect(t).toBeGreaterThanOrEqual(floor - 1e-6);
      expect(t).toBeLessThanOrEqual(Math.max(f.highC[k], f.baseline.airC[k]) + 1e-6);
    });
    expect(f.intensityGPerKwh[0]).toBeGreaterThan(0);
    expect(f.credits).toMatch(/NESO/);
  });

  it.each([
    [
      { comfort: { minC: 22, maxC: 19 } },
      'invalid-comfort-band',
      /minimum \(22 °C\) must be below its maximum/,
    ],
    [{ date: '2023-10-21' }, 'missing-values', /carbon intensity: the value for .* is missing/],
    [{ window: { start: '19:00', end: '16:00' } }, 'invalid-window', /peak window/],
  ])('rejects bad input with a problem naming the reason (%#)', async (change, type, detail) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/energy/flexibility',
      payload: { buildingId: LIBRARY, date: '2023-01-18', ...change },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const p = res.json();
    expect(p.type).toBe(`${PROBLEM_BASE}${type}`);
    expect(p.detail).toMatch(detail);
  });
});

describe('POST /api/energy/portfolio', () => {
  it('sums named buildings and ranks them by W/m²', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/energy/portfolio',
      payload: { buildingIds: [LIBRARY, VICTORIA_HALL], date: '2023-01-18' },
    });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.ranked).toHaveLength(2);
    expect(p.ranked[0].wPerM2).toBeGreaterThanOrEqual(p.ranked[1].wPerM2);
    expect(p.totals.kwRemoved).toBeCloseTo(p.ranked[0].kwRemoved + p.ranked[1].kwRemoved, 9);
    p.aggregate.baselineKw.forEach((v: number) => {
      expect(v).toBeGreaterThanOrEqual(0);
    });
  });

  it('takes a dataset and a use filter: every heated school of Rutland', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/energy/portfolio',
      payload: { dataset: 'rutland', filter: { use: ['education'] }, date: '2023-01-18' },
    });
    expect(res.statusCode).toBe(200);
    const p = res.json();
    expect(p.ranked.length).toBeGreaterThan(40);
    expect(p.ranked.every((r: { useClass: string }) => r.useClass === 'education')).toBe(true);
    expect(p.totals.comfortHoursViolated).toBe(0);
    expect(p.totals.windowPeakKw.shifted).toBeLessThan(p.totals.windowPeakKw.baseline);
  });

  it('needs building ids or a dataset', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/energy/portfolio',
      payload: { date: '2023-01-18' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('GET /api/energy/datasets/:dataset/demand', () => {
  const OAKHAM_CENTRE = '-0.7345,52.6665,-0.7215,52.6735';

  it('gives every building of the dataset the figures of its own route, in id order', async () => {
    const res = await app.inject('/api/energy/datasets/rutland/demand');
    expect(res.statusCode).toBe(200);
    const t = res.json();
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM buildings b JOIN datasets d ON d.id = b.dataset_id WHERE d.name = 'rutland' AND b.kind = 'building'",
    );
    expect(t.count + t.skipped.length).toBe(rows[0].n);
    expect(t.truncated).toBe(false);
    for (const key of ['useClass', 'floorAreaM2', 'heatKwhPerM2', 'heatMwh', 'heatStatus', 'electricityMwh'])
      expect(t[key], key).toHaveLength(t.count);
    expect([...t.ids].sort()).toEqual(t.ids);

    const k = t.ids.indexOf(LIBRARY);
    const one = (await app.inject(`/api/energy/buildings/${LIBRARY}`)).json();
    expect(t.benchmark[k]).toBe('cultural-activities');
    expect(t.benchmarks['cultural-activities'].year).toBe(2008);
    expect(t.heatKwhPerM2[k]).toBeCloseTo(one.heat.kwhPerM2, 3);
    expect(t.heatMwh[k]).toBeCloseTo(one.heat.mwh, 3);
    expect(t.electricityMwh[k]).toBeCloseTo(one.electricity.mwh, 3);
    expect(t.floorAreaM2[k]).toBeCloseTo(one.floorAreaM2, 3);
    expect(t.heatStatus[k]).toBe('estimated');
    // Unheated uses are listed as not modelled, with nothing made up for them.
    t.heatStatus.forEach((s: string, i: number) => {
      expect(['estimated', 'not-modelled']).toContain(s);
      if (s === 'not-modelled') expect(t.heatMwh[i]).toBe(0);
    });
    expect(t.heatStatus).toContain('not-modelled');
  });

  it('keeps to a bbox and a limit, saying when the list was cut short', async () => {
    const all = (await app.inject('/api/energy/datasets/rutland/demand')).json();
    const box = (await app.inject(`/api/energy/datasets/rutland/demand?bbox=${OAKHAM_CENTRE}`)).json();
    expect(box.ids).toContain(LIBRARY);
    expect(box.count).toBeLessThan(all.count);
    for (const id of box.ids) expect(all.ids).toContain(id);
    const few = (await app.inject('/api/energy/datasets/rutland/demand?limit=10')).json();
    expect(few.count).toBe(10);
    expect(few.truncated).toBe(true);
    expect(few.ids).toEqual(all.ids.slice(0, 10));
  });

  it('answers 404 for an unknown dataset and 400 for a bad bbox', async () => {
    expect((await app.inject('/api/energy/datasets/nowhere/demand')).statusCode).toBe(404);
    const bad = await app.inject('/api/energy/datasets/rutland/demand?bbox=1,2,3');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/bbox/);
  });
});

describe('POST /api/energy/portfolio by dataset', () => {
  it('models a building from the dataset with its tags, as its own route does', async () => {
    const body = { date: '2023-01-18', comfort: { minC: 19, maxC: 22 } };
    const alone = await app.inject({
      method: 'POST',
      url: '/api/energy/flexibility',
      payload: { buildingId: LIBRARY, ...body },
    });
    const portfolio = await app.inject({
      method: 'POST',
      url: '/api/energy/portfolio',
      payload: {
        dataset: 'rutland',
        filter: { use: ['education'], bbox: [-0.7345, 52.6665, -0.7215, 52.6735] },
        ...body,
      },
    });
    expect(portfolio.statusCode).toBe(200);
    const entry = portfolio.json().ranked.find((r: { id: string }) => r.id === LIBRARY);
    expect(entry.name).toBe('Rutland County Library');
    expect(entry.floorAreaM2).toBeCloseTo(alone.json().floorAreaM2, 9);
    expect(entry.kwRemoved).toBeCloseTo(alone.json().figures.kwRemoved, 9);
    expect(entry.kwhShifted).toBeCloseTo(alone.json().figures.kwhShifted, 9);
  });
});

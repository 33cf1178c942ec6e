import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addArea,
  currentCalibrations,
  type Db,
  getCalibration,
  openTestDb,
  saveCalibration,
} from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { rutlandImported } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';
import { type StaffHeaders, staffHeaders } from '../../testing/staff-session';

// Stored calibrations on real PostGIS: Rutland's OSM buildings, fitted to the real measured Dutch home blg_1
// (Leprince et al. 2022, /work/shared/data PROVENANCE.md), Leeds weather and GB intensity for the flexibility day.

const LIBRARY = 'rutland:w101326490';
const CASTLE = 'rutland:w417617998';
const DAY = { date: '2023-01-18' };

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let planner: StaffHeaders;
let csv: string;

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandImported));
  root = await mkdtemp(join(tmpdir(), 'placetwin-energy-calibration-db-'));
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: { logN: 10 } },
  });
  await addArea(db, { id: 'elsewhere', name: 'Another council' });
  planner = await staffHeaders(app, db, 'planner');
  csv = await readFile(sample('energy', 'building-thermal', 'nl-homes-15min', 'blg_1.csv'), 'utf8');
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const calibrate = (headers: Record<string, string>, buildingId = LIBRARY) =>
  app.inject({
    method: 'POST',
    url: '/api/energy/calibration',
    payload: { buildingId, csv, fileName: 'blg_1.csv' },
    headers,
  });
const stored = (id: string, headers: Record<string, string> = {}) =>
  app.inject({ url: `/api/energy/buildings/${id}/calibration`, headers });
const flexibility = (payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/api/energy/flexibility', payload: { ...DAY, ...payload } });
const portfolio = (payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/api/energy/portfolio', payload: { ...DAY, ...payload } });
const thermalBasis = (f: { assumptions: { field: string; basis: string }[] }) =>
  f.assumptions.find((a) => a.field === 'thermalModel')?.basis ?? 'estimated';

describe('stored calibrations', () => {
  let fit: { id: number; rmseC: number; priorRmseC: number; steps: number; model: Record<string, number> };

  it('a planner’s fit is stored; the public and a councillor cannot calibrate', async () => {
    expect((await calibrate({})).statusCode).toBe(401);
    expect((await calibrate(await staffHeaders(app, db, 'councillor'))).statusCode).toBe(403);
    expect(await getCalibration(db, 'default', LIBRARY)).toBeNull();

    const res = await calibrate(planner);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    fit = res.json();
    expect(fit.id).toBeGreaterThan(0);
    expect(fit.rmseC).toBeLessThan(fit.priorRmseC);

    const row = await getCalibration(db, 'default', LIBRARY);
    expect(row).toMatchObject({
      id: fit.id,
      buildingId: LIBRARY,
      areaId: 'default',
      rmseC: fit.rmseC,
      priorRmseC: fit.priorRmseC,
      sourceFile: 'blg_1.csv',
      readings: 4181,
      stepMinutes: 15,
      createdBy: 'Test planner',
      model: fit.model,
    });
    expect(Date.now() - Date.parse(row?.createdAt ?? '')).toBeLessThan(3_600_000);
  });

  it('reads the current calibration: staff see who ran it, the public only what it is', async () => {
    const staff = (await stored(LIBRARY, planner)).json();
    expect(staff).toMatchObject({ id: fit.id, rmseC: fit.rmseC, sourceFile: 'blg_1.csv', readings: 4181 });
    expect(staff.createdBy).toBe('Test planner');
    const pub = await stored(LIBRARY);
    expect(pub.statusCode).toBe(200);
    expect(pub.json().createdBy).toBeNull();
    expect(pub.json().parameters.map((p: { name: string }) => p.name)).toContain('cmJPerK');
    // A building without one, and one that does not exist: 404.
    expect((await stored(CASTLE)).statusCode).toBe(404);
    expect((await stored('rutland:w0')).statusCode).toBe(404);
  });

  it('plans one building’s flexibility with it (measured) unless the request asks for the estimate', async () => {
    const measured = (await flexibility({ buildingId: LIBRARY })).json();
    expect(thermalBasis(measured)).toBe('measured');
    expect(measured.calibration).toEqual({ id: fit.id, source: 'blg_1.csv', rmseC: fit.rmseC });
    const estimated = (await flexibility({ buildingId: LIBRARY, estimate: true })).json();
    expect(thermalBasis(estimated)).toBe('estimated');
    expect(estimated.calibration).toBeNull();
    // Different dynamics, different day.
    const gap = Math.max(
      ...measured.baseline.airC.map((t: number, k: number) => Math.abs(t - estimated.baseline.airC[k])),
    );
    expect(gap).toBeGreaterThan(0.01);
  });

  it('the portfolio plans calibrated buildings with their calibration and says which they are', async () => {
    const res = await portfolio({ buildingIds: [LIBRARY, CASTLE] });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const p = res.json();
    expect(p.mode).toBe('heating');
    const row = (id: string) => p.ranked.find((r: { id: string }) => r.id === id);
    expect(row(LIBRARY)).toMatchObject({ model: 'measured', calibrationRmseC: fit.rmseC });
    expect(row(CASTLE)).toMatchObject({ model: 'estimated', calibrationRmseC: null });
    // Each building's row agrees with its own flexibility run, planned with the same model.
    const lib = (await flexibility({ buildingId: LIBRARY })).json();
    const libEstimate = (await flexibility({ buildingId: LIBRARY, estimate: true })).json();
    expect(row(LIBRARY).kwRemoved).toBeCloseTo(lib.figures.kwRemoved, 9);
    expect(lib.figures.kwRemoved).not.toBeCloseTo(libEstimate.figures.kwRemoved, 3);

    const est = (await portfolio({ buildingIds: [LIBRARY, CASTLE], estimate: true })).json();
    const estRow = est.ranked.find((r: { id: string }) => r.id === LIBRARY);
    expect(estRow).toMatchObject({ model: 'estimated', calibrationRmseC: null });
    expect(estRow.kwRemoved).toBeCloseTo(libEstimate.figures.kwRemoved, 9);

    const cooling = (await portfolio({ buildingIds: [LIBRARY], date: '2023-07-25', mode: 'cooling' })).json();
    expect(cooling.mode).toBe('cooling');
  });

  it('belongs to the building’s area: another area neither calibrates nor reads it, and the keys hold', async () => {
    const elsewhere = await staffHeaders(app, db, 'planner', 'elsewhere');
    const res = await calibrate(elsewhere);
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/no building/);
    expect((await calibrate(planner, 'rutland:w0')).statusCode).toBe(404);
    expect((await stored(LIBRARY, elsewhere)).statusCode).toBe(404);
    expect((await stored(LIBRARY, { ...elsewhere })).body).not.toContain('blg_1');
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/energy/buildings/${LIBRARY}/calibration`,
          headers: elsewhere,
        })
      ).statusCode,
    ).toBe(404);
    expect((await currentCalibrations(db, 'elsewhere', [LIBRARY])).size).toBe(0);
    const input = {
      buildingId: LIBRARY,
      model: fit.model as never,
      parameters: [],
      rmseC: 1,
      priorRmseC: 2,
      scaledToGeometry: false,
      sourceFile: 'x.csv',
      readings: 1,
      stepMinutes: 15,
      createdBy: null,
    };
    expect(await saveCalibration(db, 'elsewhere', input)).toBeNull();
    // A row cannot say another area than its building's dataset's (composite key).
    await expect(
      db.query(
        `INSERT INTO building_calibrations (building_id, dataset_id, area_id, model, parameters, rmse_c,
           prior_rmse_c, scaled_to_geometry, source_file, readings, step_minutes)
         SELECT id, dataset_id, 'elsewhere', '{}', '[]', 1, 1, false, 'x.csv', 1, 15 FROM buildings WHERE id = $1`,
        [LIBRARY],
      ),
    ).rejects.toThrow(/foreign key/);
  });

  it('DELETE goes back to the estimate (planners only)', async () => {
    const url = `/api/energy/buildings/${LIBRARY}/calibration`;
    expect((await app.inject({ method: 'DELETE', url })).statusCode).toBe(401);
    const del = await app.inject({ method: 'DELETE', url, headers: planner });
    expect(del.statusCode).toBe(204);
    expect((await stored(LIBRARY)).statusCode).toBe(404);
    expect(await getCalibration(db, 'default', LIBRARY)).toBeNull();
    expect((await app.inject({ method: 'DELETE', url, headers: planner })).statusCode).toBe(404);
    const f = (await flexibility({ buildingId: LIBRARY })).json();
    expect(thermalBasis(f)).toBe('estimated');
    expect(f.calibration).toBeNull();
  });
});

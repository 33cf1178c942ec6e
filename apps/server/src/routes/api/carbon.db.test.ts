import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '@placetwin/carbon';
import { countBuildings, type Db, openTestDb } from '@placetwin/db';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rutlandImported } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';

// Rutland's real OSM buildings imported into PostGIS (no tiles needed), then the carbon API through inject().

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandImported));
  root = await mkdtemp(join(tmpdir(), 'placetwin-carbon-'));
  app = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const problemOf = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json();
};

const PLAN = {
  title: 'Heat and transport plan',
  levers: {
    domesticRetrofit: { share: [{ year: 2035, value: 0.5 }], heatSaving: 0.25 },
    heatPumps: {
      domestic: [{ year: 2040, value: 0.8 }],
      nonDomestic: [{ year: 2040, value: 0.5 }],
      scop: 2.8,
    },
    evShare: { share: [{ year: 2035, value: 0.7 }] },
  },
};

describe('baseline', () => {
  it('builds the inventory from the twin’s buildings, every line activity × factor with unit and basis', async () => {
    const res = await app.inject('/api/carbon/rutland/baseline');
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.year).toBe(2023);
    expect(b.stock.buildings).toBe(await countBuildings(db, 'rutland'));
    expect(b.stock.counts.residential).toBe(1278);
    const domestic = b.sectors.find((s: { sector: string }) => s.sector === 'domestic');
    expect(domestic.tco2e).toMatchObject({ unit: 'tCO2e/yr', basis: 'assumed' });
    expect(domestic.tco2e.value).toBeGreaterThan(1000);
    for (const s of b.sectors)
      for (const line of s.lines)
        if (line.activity)
          expect(line.tco2e.value).toBeCloseTo((line.activity.value * line.factor.value) / 1000, 6);
    const sum = b.sectors.reduce((a: number, s: { tco2e: { value: number } }) => a + s.tco2e.value, 0);
    expect(b.total.value).toBeCloseTo(sum, 6);
    expect(b.factors.licence).toBe('Open Government Licence v3.0');
  });

  it('is a 404 problem for an unknown dataset', async () => {
    const res = await app.inject('/api/carbon/atlantis/baseline');
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).type).toBe(`${PROBLEM_BASE}not-found`);
  });
});

describe('area inputs', () => {
  it('stores the area’s transport and other sectors, and the baseline then includes them', async () => {
    const inputs = {
      startYear: 2023,
      transport: { carVehicleKm: { value: 300e6, basis: 'assumed', source: 'test figure' }, evShare: 0.02 },
      other: [{ label: 'waste', tco2e: 9000, basis: 'assumed', source: 'test figure' }],
    };
    const put = await app.inject({ method: 'PUT', url: '/api/carbon/rutland/area', payload: inputs });
    expect(put.statusCode).toBe(200);
    expect((await app.inject('/api/carbon/rutland/area')).json()).toEqual(inputs);
    const b = (await app.inject('/api/carbon/rutland/baseline')).json();
    expect(b.sectors.find((s: { sector: string }) => s.sector === 'other').tco2e.value).toBe(9000);
    expect(b.sectors.find((s: { sector: string }) => s.sector === 'transport').tco2e.value).toBeGreaterThan(
      40_000,
    );
  });

  it('refuses a budget that starts before the baseline without the emissions already spent, storing nothing', async () => {
    const before = (await app.inject('/api/carbon/rutland/area')).json();
    const res = await app.inject({
      method: 'PUT',
      url: '/api/carbon/rutland/area',
      payload: { startYear: 2023, budget: { tco2e: 1e6, fromYear: 2020, toYear: 2100, source: 'Tyndall' } },
    });
    expect(res.statusCode).toBe(400);
    const p = problemOf(res);
    expect(p.type).toBe(`${PROBLEM_BASE}missing-emissions`);
    expect(p.detail).toMatch(/emittedBeforeStartTco2e for 2020–2022/);
    expect((await app.inject('/api/carbon/rutland/area')).json()).toEqual(before);
  });
});

describe('lever sets, trajectories, comparison', () => {
  it('rejects a negative share and a year out of range, naming the field, and stores nothing', async () => {
    const negative = await app.inject({
      method: 'PUT',
      url: '/api/carbon/rutland/lever-sets/bad',
      payload: { title: 'Bad', levers: { evShare: { share: [{ year: 2030, value: -0.2 }] } } },
    });
    expect(negative.statusCode).toBe(400);
    expect(problemOf(negative).errors[0].field).toBe('levers.evShare.share.0.value');
    const late = await app.inject({
      method: 'PUT',
      url: '/api/carbon/rutland/lever-sets/bad',
      payload: { title: 'Bad', levers: { evShare: { share: [{ year: 2070, value: 0.2 }] } } },
    });
    expect(late.statusCode).toBe(400);
    expect(problemOf(late)).toMatchObject({
      type: `${PROBLEM_BASE}year-out-of-range`,
      detail: "levers.evShare.share[0].year 2070 is outside the trajectory's years 2023–2050",
    });
    expect((await app.inject('/api/carbon/rutland/lever-sets/bad')).statusCode).toBe(404);
    const reserved = await app.inject({
      method: 'PUT',
      url: '/api/carbon/rutland/lever-sets/baseline',
      payload: PLAN,
    });
    expect(problemOf(reserved).type).toBe(`${PROBLEM_BASE}reserved-name`);
  });

  it('saves a lever set and projects it to 2050 against the UK targets, from the cache the second time', async () => {
    const put = await app.inject({
      method: 'PUT',
      url: '/api/carbon/rutland/lever-sets/plan',
      payload: PLAN,
    });
    expect(put.statusCode).toBe(200);
    expect(
      (await app.inject('/api/carbon/rutland/lever-sets')).json().map((l: { name: string }) => l.name),
    ).toEqual(['plan']);
    const res = await app.inject('/api/carbon/rutland/lever-sets/plan/trajectory');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.trajectory.years).toHaveLength(28);
    expect(r.trajectory.name).toBe('Heat and transport plan');
    const baseline = (await app.inject('/api/carbon/rutland/baseline')).json();
    expect(r.trajectory.total.values[0]).toBeCloseTo(baseline.total.value, 6);
    expect(r.trajectory.total.values[27]).toBeLessThan(r.trajectory.total.values[0]);
    const [uk2035, netZero] = r.targets;
    expect(uk2035.met).toBeNull(); // no 1990 figure entered
    expect(netZero).toMatchObject({ label: 'UK: net zero by 2050', met: false }); // waste alone stays
    const again = (await app.inject('/api/carbon/rutland/lever-sets/plan/trajectory')).json();
    expect(again.inputsHash).toBe(r.inputsHash);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM carbon_results WHERE inputs_hash = $1',
      [r.inputsHash],
    );
    expect(rows[0].n).toBe(1);
  });

  it('compares the plan with no levers, in JSON and CSV', async () => {
    const res = await app.inject('/api/carbon/rutland/compare?a=baseline&b=plan');
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c.difference.total.values[0]).toBeCloseTo(0, 6);
    expect(c.difference.total.values[27]).toBeLessThan(0);
    expect(c.difference.other.values.every((v: number) => v === 0)).toBe(true);
    expect(c.cumulativeDifference.unit).toBe('tCO2e');
    const csv = await app.inject('/api/carbon/rutland/compare?a=baseline&b=plan&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual([
      'year',
      'series',
      'a: baseline (grid path only)',
      'b: Heat and transport plan',
      'b_minus_a',
      'unit',
      'basis',
    ]);
    const total2050 = rows.find((row) => row[0] === '2050' && row[1] === 'total')!;
    expect(Number(total2050[4])).toBeCloseTo(c.difference.total.values[27], 6);
  });

  it('exports a trajectory as CSV and tries unsaved levers', async () => {
    const csv = await app.inject('/api/carbon/rutland/lever-sets/plan/trajectory?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(parseCsv(csv.body)).toHaveLength(1 + 6 * 28);
    const trial = await app.inject({
      method: 'POST',
      url: '/api/carbon/rutland/trajectory',
      payload: { levers: { name: 'trial', otherSectors: { reduction: [{ year: 2030, value: 1 }] } } },
    });
    expect(trial.statusCode).toBe(200);
    expect(trial.json().trajectory.sectors.other.values.at(-1)).toBe(0);
  });

  it('deletes a lever set', async () => {
    expect(
      (await app.inject({ method: 'DELETE', url: '/api/carbon/rutland/lever-sets/plan' })).statusCode,
    ).toBe(204);
    expect(
      (await app.inject({ method: 'DELETE', url: '/api/carbon/rutland/lever-sets/plan' })).statusCode,
    ).toBe(404);
    expect((await app.inject('/api/carbon/rutland/compare?a=baseline&b=plan')).statusCode).toBe(404);
  });
});

describe('per-building operational carbon', () => {
  const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const buildingsTotal = (r: { trajectory: { sectors: Record<string, { values: number[] }> } }, k: number) =>
    r.trajectory.sectors.domestic.values[k] + r.trajectory.sectors['non-domestic'].values[k];

  it('gives every heated building its tCO2e in a year, adding up to the buildings’ sectors', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/carbon/rutland/buildings', payload: {} });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.year).toBe(2023);
    expect(m.unit).toBe('tCO2e/yr');
    expect(m.tco2e).toHaveLength(m.count);
    expect(m.basis.every((b: string) => b === 'assumed')).toBe(true);
    const baseline = (await app.inject('/api/carbon/rutland/lever-sets/baseline/trajectory')).json();
    expect(m.count).toBe(baseline.stock.withEnergy);
    // Each figure is rounded to 0.1 kg; 4,000 of them add up to well within a tonne.
    expect(Math.abs(sumOf(m.tco2e) - buildingsTotal(baseline, 0))).toBeLessThan(1);
  });

  it('follows the levers and the year', async () => {
    const levers = { heatPumps: { domestic: [{ year: 2040, value: 0.8 }], scop: 2.8 } };
    const res = await app.inject({
      method: 'POST',
      url: '/api/carbon/rutland/buildings',
      payload: { levers, year: 2045 },
    });
    expect(res.statusCode).toBe(200);
    const trial = (
      await app.inject({ method: 'POST', url: '/api/carbon/rutland/trajectory', payload: { levers } })
    ).json();
    const k = trial.trajectory.years.indexOf(2045);
    expect(Math.abs(sumOf(res.json().tco2e) - buildingsTotal(trial, k))).toBeLessThan(1);
    const without = (
      await app.inject({ method: 'POST', url: '/api/carbon/rutland/buildings', payload: { year: 2045 } })
    ).json();
    // Heat pumps in 80% of homes by 2040: in 2045 homes emit less than with no levers, and nothing emits more.
    const withLevers = res.json();
    const lower = withLevers.tco2e.filter((t: number, i: number) => t < without.tco2e[i] - 1e-3).length;
    const higher = withLevers.tco2e.filter((t: number, i: number) => t > without.tco2e[i] + 1e-3).length;
    expect(higher).toBe(0);
    expect(lower).toBeGreaterThan(1000);
    expect(sumOf(withLevers.tco2e)).toBeLessThan(sumOf(without.tco2e));
    expect(withLevers.ids).toEqual(without.ids);
  });

  it('names a year outside the trajectory', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/carbon/rutland/buildings',
      payload: { year: 2060 },
    });
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).detail).toMatch(/year 2060 is outside the trajectory's years 2023–2050/);
  });
});

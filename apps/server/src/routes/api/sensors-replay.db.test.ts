/**
 * What the viewer's sensor layer reads, on real data: Leeds City Council's footfall counts for December 2015
 * (shared/data/leeds-footfall) imported as history, then values at an instant of the twin's clock (replay), chart
 * series per hour and local day, all checked against the file itself; and who may write to the registry (the
 * admin token, or a signed-in admin with the session's CSRF token).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, importObservationHistory, openTestDb } from '@placetwin/db';
import { readLeedsFootfall } from '@placetwin/sensors';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { createSensorServices } from '../../plugins/app/sensors';
import { type StaffHeaders, staffHeaders } from '../../testing/staff-session';

const ADMIN = 'test-admin-token-0123456789';
const FOOTFALL = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');
const LEEDS_SITES = join(
  import.meta.dirname,
  '../../../../../packages/sensors/fixtures/leeds-footfall-sites.geojson',
);
const FROM = Date.UTC(2015, 11, 1);
const TO = Date.UTC(2016, 0, 1);

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let staff: Record<'admin' | 'planner' | 'councillor', StaffHeaders>;
/** The file's readings in [FROM, TO), by sensor id: time (ms) → count. */
const fromFile = new Map<string, Map<number, number>>();

const problemOf = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json();
};

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-sensors-replay-'));
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    sensors: createSensorServices(db, { adminToken: ADMIN }),
    auth: { passwordHashing: { logN: 10 } },
  });
  staff = {
    admin: await staffHeaders(app, db, 'admin'),
    planner: await staffHeaders(app, db, 'planner'),
    councillor: await staffHeaders(app, db, 'councillor'),
  };
  // The Leeds sites, registered by a signed-in admin.
  const reg = await app.inject({
    method: 'POST',
    url: '/api/sensors/import?fileName=leeds-footfall-sites.geojson',
    payload: readFileSync(LEEDS_SITES, 'utf8'),
    headers: { 'content-type': 'application/geo+json', ...staff.admin },
  });
  expect(reg.statusCode).toBe(200);
  expect(reg.json().created).toHaveLength(8);
  const sites = JSON.parse(readFileSync(LEEDS_SITES, 'utf8')) as {
    features: { id: string; properties: { sourceName: string } }[];
  };
  const sensorOf = new Map(sites.features.map((f) => [f.properties.sourceName, f.id]));
  for await (const row of readLeedsFootfall(createReadStream(FOOTFALL), { fileName: 'footfall.csv.gz' })) {
    if (row.phenomenonTimeMs < FROM || row.phenomenonTimeMs >= TO) continue;
    const id = sensorOf.get(row.site) ?? row.site;
    const m = fromFile.get(id) ?? new Map<number, number>();
    m.set(row.phenomenonTimeMs, row.count);
    fromFile.set(id, m);
  }
  const history = [...fromFile].flatMap(([sensorId, m]) =>
    [...m].map(([phenomenonTimeMs, value]) => ({ sensorId, phenomenonTimeMs, value })),
  );
  const counts = await importObservationHistory(db, history);
  expect(counts).toMatchObject({
    read: history.length,
    inserted: history.length,
    unknown: {},
    outOfRange: 0,
  });
}, 300_000);

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The file's value at an instant for a sensor: its last reading at or before it. */
function fileValueAt(sensorId: string, atMs: number): { time: number; value: number } | null {
  let best: { time: number; value: number } | null = null;
  for (const [time, value] of fromFile.get(sensorId) ?? []) {
    if (time <= atMs && (!best || time > best.time)) best = { time, value };
  }
  return best;
}

describe('replay on the clock: values at an instant (Leeds footfall, December 2015)', () => {
  it('has all 8 sites in the file window', () => {
    expect(fromFile.size).toBe(8);
  });

  it.each([
    '2015-12-05T12:00:00Z',
    '2015-12-19T15:30:00Z', // the Saturday before Christmas, mid-hour: the 15:00 count
    '2015-12-31T23:59:59Z',
  ])('answers each site’s last reading at or before %s, as in the file', async (at) => {
    const res = await app.inject(`/api/sensors/latest?at=${encodeURIComponent(at)}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      at: string;
      values: { sensorId: string; time: string; value: number; level: string | null }[];
    };
    expect(body.at).toBe(new Date(at).toISOString());
    expect(body.values).toHaveLength(8);
    for (const v of body.values) {
      const expected = fileValueAt(v.sensorId, Date.parse(at));
      expect(expected, v.sensorId).not.toBeNull();
      expect({ sensorId: v.sensorId, time: Date.parse(v.time), value: v.value }).toEqual({
        sensorId: v.sensorId,
        ...expected,
      });
      expect(v.level).toBe(v.value > 8000 ? 'warning' : null);
    }
  });

  it('has no values before the history starts, and the GeoJSON for the map agrees with /latest', async () => {
    const before = (await app.inject('/api/sensors/latest?at=2015-11-30T23:00:00Z')).json();
    expect(before.values).toEqual([]);
    const at = '2015-12-24T10:00:00Z';
    const latest = (await app.inject(`/api/sensors/latest?at=${at}`)).json().values as {
      sensorId: string;
      value: number;
    }[];
    const map = (await app.inject(`/api/sensors?at=${at}`)).json();
    expect(map.at).toBe('2015-12-24T10:00:00.000Z');
    expect(
      map.features.map((f: { id: string; properties: { datastreams: { latest: { value: number } }[] } }) => ({
        sensorId: f.id,
        value: f.properties.datastreams[0].latest.value,
      })),
    ).toEqual(latest.map((v) => ({ sensorId: v.sensorId, value: v.value })));
  });

  it('finds the value at an instant through the (datastream, time) index, not a scan', async () => {
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT o.result FROM observations o
       WHERE o.datastream_id = 1 AND o.phenomenon_time <= '2015-12-19T15:30:00Z'
       ORDER BY o.phenomenon_time DESC LIMIT 1`,
    );
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Scan Backward using observations_datastream_time_area_key/);
  });

  it('charts a site per hour and per local day; counts and sums match the file', async () => {
    const site = 'leeds-briggate';
    const rows = [...(fromFile.get(site) ?? [])];
    const q = (bucket: string) =>
      app.inject(
        `/api/sensors/${site}/series?from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}&bucket=${bucket}`,
      );
    const raw = (await q('raw')).json();
    expect(raw.t).toHaveLength(rows.length);
    const hourly = (await q('hour')).json();
    expect(hourly.t).toHaveLength(rows.length); // one count per hour
    const daily = (await q('day')).json() as { t: number[]; mean: number[]; count: number[] };
    expect(daily.t).toHaveLength(31); // December is GMT: local days are UTC days
    const perDay = new Map<number, { n: number; sum: number }>();
    for (const [t, v] of rows) {
      const day = Math.floor(t / 86_400_000) * 86_400_000;
      const d = perDay.get(day) ?? { n: 0, sum: 0 };
      perDay.set(day, { n: d.n + 1, sum: d.sum + v });
    }
    daily.t.forEach((t, i) => {
      const d = perDay.get(t);
      expect(daily.count[i]).toBe(d?.n);
      expect(daily.mean[i] * daily.count[i]).toBeCloseTo(d?.sum ?? Number.NaN, 6);
    });
  });
});

describe('registry writes: the admin token or a signed-in admin', () => {
  const sensor = (id: string) => ({
    id,
    name: 'Test counter',
    area: 'leeds',
    location: { lon: -1.5437, lat: 53.7963, accuracyM: 10, method: 'surveyed' },
    owner: 'Leeds City Council',
    licence: 'OGL-UK-3.0',
    datastreams: [{ property: 'footfall' }],
  });
  const register = (id: string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/sensors', payload: sensor(id), headers } as InjectOptions);

  it('401 for the public and for a wrong token', async () => {
    const none = await register('auth-none', {});
    expect(none.statusCode).toBe(401);
    expect(problemOf(none).type).toBe(`${PROBLEM_BASE}unauthorized`);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await register('auth-wrong', { authorization: 'Bearer not-the-admin-token' });
    expect(wrong.statusCode).toBe(401);
  });

  it.each(['planner', 'councillor'] as const)('403 for a signed-in %s', async (role) => {
    const res = await register(`auth-${role}`, staff[role]);
    expect(res.statusCode).toBe(403);
    expect(problemOf(res)).toMatchObject({ type: `${PROBLEM_BASE}forbidden` });
    expect(problemOf(res).detail).toContain(role);
  });

  it('403 for an admin session without its CSRF token (or with another session’s)', async () => {
    const noCsrf = await register('auth-nocsrf', { cookie: staff.admin.cookie });
    expect(noCsrf.statusCode).toBe(403);
    expect(problemOf(noCsrf).type).toBe(`${PROBLEM_BASE}csrf-token-invalid`);
    const otherCsrf = await register('auth-othercsrf', {
      cookie: staff.admin.cookie,
      'x-csrf-token': staff.planner['x-csrf-token'],
    });
    expect(otherCsrf.statusCode).toBe(403);
  });

  it('200 for a signed-in admin with the CSRF token, and for the admin token; nothing written when refused', async () => {
    const session = await register('auth-session', staff.admin);
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ created: ['auth-session'] });
    expect(session.json().keys[0].deviceKey).toMatch(/^ptk_/);
    const token = await register('auth-token', { authorization: `Bearer ${ADMIN}` });
    expect(token.statusCode).toBe(200);
    const keys = await app.inject({
      method: 'POST',
      url: '/api/sensors/auth-session/keys',
      payload: {},
      headers: staff.admin,
    });
    expect(keys.statusCode).toBe(200);
    const plannerRevoke = await app.inject({
      method: 'DELETE',
      url: '/api/sensors/auth-session/keys',
      headers: staff.planner,
    });
    expect(plannerRevoke.statusCode).toBe(403);
    for (const id of ['auth-none', 'auth-wrong', 'auth-planner', 'auth-councillor', 'auth-nocsrf']) {
      expect((await app.inject(`/api/sensors/${id}`)).statusCode).toBe(404);
    }
  });

  it('403 for a bearer token when no admin token is configured; an admin session still works', async () => {
    const closed = buildApp({
      db,
      tilesetsDir: join(root, 'tilesets'),
      dataDir: join(root, 'data2'),
      sensors: createSensorServices(db),
      auth: { passwordHashing: { logN: 10 } },
    });
    try {
      const res = await closed.inject({
        method: 'POST',
        url: '/api/sensors',
        payload: sensor('auth-closed'),
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(res.statusCode).toBe(403);
      expect(problemOf(res).type).toBe(`${PROBLEM_BASE}registry-disabled`);
      const admin = await staffHeaders(closed, db, 'admin');
      const ok = await closed.inject({
        method: 'POST',
        url: '/api/sensors',
        payload: sensor('auth-closed'),
        headers: admin,
      });
      expect(ok.statusCode).toBe(200);
    } finally {
      await closed.close();
    }
  });
});

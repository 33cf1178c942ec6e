/**
 * Tenant isolation matrix: two council areas on one install (the first area, `default`, given Rutland's ONS
 * boundary, and Leeds, E08000035, from the real ONS districts file), each with a dataset, a draft and a published
 * scenario, a draft and a published story, a draft and an open consultation, an approved and a pending comment,
 * a sensor (two of the real Leeds footfall camera sites, one per area), a GTFS feed row, and an admin, a planner
 * and a councillor. Then, for EVERY route of the app (enumerated from Fastify's route table: a route this file
 * does not classify fails the test), each role (public, councillor, planner, admin) of each area asks for its
 * own area's records and the other area's:
 *
 * - a route that names a record (path parameter, or `dataset`/`scenario`/`feed`/`sensor` in query or body)
 *   answers for another area's record exactly as for a record that does not exist (same status, same problem
 *   type: 404 when the record would otherwise be found), and for the admin a GET of its own area's record is
 *   not "not found" (so the matrix does not pass vacuously);
 * - no response to anyone ever contains the other area's titles, names, comment texts or staff names, and no
 *   response to the public contains a draft's title, a pending comment or a staff name, from either area.
 *
 * The buildings are the 3D BAG sample (Delft, two real buildings) imported into both areas' datasets: the test is
 * about ownership, not place; the sample data has no buildings in Leeds.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addAreaFromArgs,
  enqueueImport,
  ensureScenarioOverlay,
  importFile,
  importPoisPath,
  loadOstn15,
  openQueue,
  parseAreaArgs,
} from '@placetwin/cli';
import {
  appendChanges,
  createConsultation,
  createDeviceKey,
  createScenario,
  createStory,
  createUser,
  type Db,
  importGridNetwork,
  importPois,
  loadSensorTarget,
  moderateComment,
  openConsultation,
  openTestDb,
  type Role,
  recordArea,
  registerSensors,
  type StorySlide,
  saveCalibration,
  setScenarioStatus,
  storeObservations,
  submitComment,
  updateStory,
} from '@placetwin/db';
import { parseSensorList } from '@placetwin/sensors';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sample, sampleDataDir } from '../../../../test/support/paths';
import { buildApp } from '../app';
import { openEventStream } from '../testing/event-stream';

const BOUNDARIES = sample('boundaries/local-authority-districts-2017-uk.geojson');
const BUILDINGS = sample('cityjson/nl-delft-3dbag-2buildings.city.json');
const LEEDS_SITES = join(repoRoot, 'packages/sensors/fixtures/leeds-footfall-sites.geojson');
const PASSWORD = 'isolation test password';

const AREAS = ['default', 'leeds'] as const;
type AreaId = (typeof AREAS)[number];
type Who = Role | 'public';
const WHO: Who[] = ['public', 'councillor', 'planner', 'admin'];
const other = (a: AreaId): AreaId => (a === 'default' ? 'leeds' : 'default');

interface Fixture {
  dataset: string;
  building: string;
  draftScenario: number;
  publishedScenario: number;
  draftStory: number;
  publishedStory: number;
  draftConsultation: number;
  openConsultation: number;
  pendingComment: number;
  sensor: string;
  sensorName: string;
  feed: string;
  /** SensorThings ids of the sensor's thing, its datastream and one reading of it. */
  thing: number;
  datastream: number;
  observation: number;
  /** A device key of the sensor (for the live stream's ingest). */
  deviceKey: string;
  /** Overlay tileset URLs (`/tilesets/<dataset>/scenarios/<id>/<hash>.json`) of the draft and published scenario. */
  draftOverlay: string;
  publishedOverlay: string;
  /** A queued import job of the area (on a PostgreSQL server; elsewhere an id no job has: there is no queue). */
  job: string;
  grid: string;
  /** Texts only this area's records contain. */
  markers: string[];
  /** Of those, the ones the public must never see (drafts, pending comments, staff names). */
  privateMarkers: string[];
}

const MISSING = {
  dataset: 'no-such-dataset',
  building: 'ds-missing:w1',
  number: 987_654_321,
  sensor: 'no-such-sensor',
  feed: 'no-such-feed',
  job: '00000000-0000-4000-8000-0000000000ff',
  grid: 'no-such-grid',
};
/** The job queue's schema for this file's jobs (pg-boss needs a PostgreSQL server). */
const JOBS_SCHEMA = `iso_q_${randomBytes(6).toString('hex')}`;

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
const fx = {} as Record<AreaId, Fixture>;
const staff = {} as Record<AreaId, Record<Role, Record<string, string>>>;
let routes: { method: string; url: string }[] = [];

const slide = (scenarioId: number | null): StorySlide => ({
  title: 'Slide',
  text: 'Text',
  camera: { lon: 4.36, lat: 52.0, heightM: 400, headingDeg: 0, pitchDeg: -35 },
  time: '2026-06-21T11:00:00Z',
  layers: { basemap: true, buildings: {} },
  shadows: false,
  colourBy: 'height',
  scenarioId,
  compare: false,
});

const iso = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function makeArea(area: AreaId, sensorDef: Awaited<ReturnType<typeof parseSensorList>>[number]) {
  const tag = area === 'default' ? 'Rutland' : 'Leeds';
  const dataset = `ds-${area}`;
  await importFile(db, BUILDINGS, { dataset, areaId: area, meta: { title: `Dataset title ${tag}` } });
  const building = (
    await db.query<{ id: string }>(
      'SELECT b.id FROM buildings b JOIN datasets d ON d.id = b.dataset_id WHERE d.name = $1 ORDER BY b.id LIMIT 1',
      [dataset],
    )
  ).rows[0].id;
  const draft0 = await createScenario(db, { dataset, name: `Draft scenario ${tag}`, areaId: area });
  const p = await createScenario(db, { dataset, name: `Published scenario ${tag}`, areaId: area });
  // The building raised to 6 storeys in each, so both scenarios have an overlay tileset on disk.
  const block = { op: 'modify' as const, id: building, storeys: 6 };
  const draft = (await appendChanges(db, draft0.id, draft0.version, [block])).scenario;
  const pEdited = (await appendChanges(db, p.id, p.version, [block])).scenario;
  const published = await setScenarioStatus(db, p.id, pEdited.version, 'published');
  const tilesetsDir = join(root, 'tilesets');
  const draftOverlay = (await ensureScenarioOverlay(db, draft.id, tilesetsDir)).tilesetUrl!;
  const publishedOverlay = (await ensureScenarioOverlay(db, published.id, tilesetsDir)).tilesetUrl!;
  const users = {} as Record<Role, number>;
  for (const role of ['admin', 'planner', 'councillor'] as const) {
    users[role] = (
      await createUser(
        db,
        {
          email: `${role}@${area}.test`,
          displayName: `Staff ${tag} ${role}`,
          role,
          password: PASSWORD,
          areaId: area,
        },
        { logN: 10 },
      )
    ).id;
  }
  const draftStory = await createStory(
    db,
    { title: `Draft story ${tag}`, summary: '', slides: [slide(draft.id)] },
    users.planner,
    area,
  );
  const ps = await createStory(
    db,
    { title: `Published story ${tag}`, summary: '', slides: [slide(published.id)] },
    users.planner,
    area,
  );
  const publishedStory = await updateStory(db, ps.id, ps.version, { status: 'published' });
  const consultation = (title: string) =>
    createConsultation(
      db,
      { title, summary: 'Summary', scenarioId: published.id, opensAt: iso(-1), closesAt: iso(30) },
      users.planner,
      area,
    );
  const draftConsultation = await consultation(`Draft consultation ${tag}`);
  const open = await openConsultation(db, (await consultation(`Open consultation ${tag}`)).id);
  const approved = await submitComment(db, open.id, {
    name: `Commenter ${tag}`,
    email: `someone@${area}.example`,
    category: 'support',
    text: `Approved comment ${tag}`,
  });
  await moderateComment(db, approved.id, 'approve', users.planner);
  const pending = await submitComment(db, open.id, {
    anonymous: true,
    category: 'object',
    text: `Pending comment ${tag}`,
  });
  await registerSensors(db, [sensorDef], { areaId: area, file: 'leeds-footfall-sites.geojson' });
  // One reading of the sensor (its lowest valid value, at a time of the real footfall file's span).
  const target = (await loadSensorTarget(db, sensorDef.id))!;
  const ds = target.datastreams[0];
  await storeObservations(db, [
    {
      sensorId: sensorDef.id,
      property: ds.property,
      observation: {
        datastreamId: ds.id,
        phenomenonTimeMs: Date.UTC(2009, 0, 1),
        value: ds.minValue,
        quality: null,
      },
    },
  ]);
  const ids = (
    await db.query<{ thing: number; observation: number }>(
      `SELECT t.id AS thing, o.id AS observation FROM sensor_things t JOIN observations o ON o.datastream_id = $2
       WHERE t.sensor_id = $1`,
      [sensorDef.id, ds.id],
    )
  ).rows[0];
  const deviceKey = (await createDeviceKey(db, sensorDef.id))!;
  const feed = `feed-${area}`;
  // A feed row only (no timetable): enough to own a feed name. Constructed: the sample GTFS is one region's.
  await db.query(
    `INSERT INTO gtfs_feeds (name, source, time_zone, area_id) VALUES ($1, $2, 'Europe/London', $3)`,
    [feed, `Feed source ${tag}`, area],
  );
  // A grid network per area. Constructed: the shared data has no real substation file; one substation is enough
  // to own a network.
  const grid = `grid-${area}`;
  await importGridNetwork(
    db,
    grid,
    [
      {
        id: `sub-${area}`,
        name: `Grid substation ${tag}`,
        kind: 'substation',
        coordinates: [[4.36, 52.0]],
        capacityKw: 500,
        rated: { value: 500, unit: 'kW', powerFactor: null },
        baseLoadKw: 0,
        substationId: null,
        properties: {},
      },
    ],
    { source: `grid-${area}.geojson`, label: `Grid label ${tag}`, constructed: true, areaId: area },
  );
  fx[area] = {
    dataset,
    building,
    draftScenario: draft.id,
    publishedScenario: published.id,
    draftStory: draftStory.id,
    publishedStory: publishedStory.id,
    draftConsultation: draftConsultation.id,
    openConsultation: open.id,
    pendingComment: pending.id,
    sensor: sensorDef.id,
    sensorName: sensorDef.name,
    feed,
    thing: Number(ids.thing),
    datastream: Number(ds.id),
    observation: Number(ids.observation),
    deviceKey,
    draftOverlay,
    publishedOverlay,
    job: randomUUID(),
    grid,
    markers: [
      `Grid label ${tag}`,
      `Grid substation ${tag}`,
      `Dataset title ${tag}`,
      `Draft scenario ${tag}`,
      `Published scenario ${tag}`,
      `Draft story ${tag}`,
      `Published story ${tag}`,
      `Draft consultation ${tag}`,
      `Open consultation ${tag}`,
      `Approved comment ${tag}`,
      `Pending comment ${tag}`,
      `Staff ${tag}`,
      sensorDef.name,
      `Feed source ${tag}`,
    ],
    privateMarkers: [
      `Draft scenario ${tag}`,
      `Draft story ${tag}`,
      `Draft consultation ${tag}`,
      `Pending comment ${tag}`,
      `Staff ${tag}`,
    ],
  };
}

async function signIn(area: AreaId, role: Role): Promise<Record<string, string>> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: `${role}@${area}.test`, password: PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('placetwin_session='))!;
  return { cookie: cookie.split(';')[0], 'x-csrf-token': res.json().csrfToken };
}

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-isolation-'));
  await addAreaFromArgs(db, parseAreaArgs({ id: 'default', lad17cd: 'E06000017' }), BOUNDARIES);
  await addAreaFromArgs(
    db,
    parseAreaArgs({ id: 'leeds', lad17cd: 'E08000035', languages: 'en' }),
    BOUNDARIES,
  );
  // A stored calibration of each area's building (GET /api/energy/buildings/:id/calibration finds its own).
  const calibrationFixture = async (area: AreaId) => {
    const building = fx[area].building;
    const saved = await saveCalibration(db, area, {
      buildingId: building,
      model: {
        hVeWPerK: 50,
        hTrWWPerK: 40,
        hTrIsWPerK: 3000,
        hTrMsWPerK: 9000,
        hTrEmWPerK: 200,
        cmJPerK: 4e7,
        solarApertureM2: 5,
      },
      parameters: [],
      rmseC: 0.5,
      priorRmseC: 1.5,
      scaledToGeometry: false,
      sourceFile: `Calibration record ${area}.csv`,
      readings: 96,
      stepMinutes: 15,
      createdBy: null,
    });
    if (!saved) throw new Error(`no calibration stored for ${building}`);
    fx[area].markers.push(`Calibration record ${area}.csv`);
  };
  const sites = await parseSensorList(readFileSync(LEEDS_SITES, 'utf8'), {
    fileName: 'leeds-footfall-sites.geojson',
  });
  // Two sites whose names do not contain each other (the markers must be unique to their area).
  const leedsSite = sites[0];
  const otherSite = sites.find((s) => !s.name.includes(leedsSite.name) && !leedsSite.name.includes(s.name))!;
  await makeArea('default', otherSite);
  await makeArea('leeds', leedsSite);
  for (const area of AREAS) await calibrationFixture(area);
  if (db.kind === 'server') {
    const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s;
    const url = new URL(process.env.DATABASE_URL as string);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    const boss = await openQueue(url.toString(), JOBS_SCHEMA);
    for (const area of AREAS)
      fx[area].job = await enqueueImport(db, boss, {
        file: BUILDINGS,
        dataset: fx[area].dataset,
        areaId: area,
      });
    await boss.stop({ graceful: false, wait: true });
  }
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: { logN: 10 } },
    rateLimitPerMinute: 1_000_000,
    commentRateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
    jobsSchema: JOBS_SCHEMA,
  });
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat())
      if (m !== 'HEAD' && m !== 'OPTIONS') routes.push({ method: m, url: r.url });
  });
  await app.ready();
  routes = routes.filter((r, i) => routes.findIndex((x) => x.method === r.method && x.url === r.url) === i);
  for (const area of AREAS) {
    staff[area] = {} as Record<Role, Record<string, string>>;
    for (const role of ['admin', 'planner', 'councillor'] as const)
      staff[area][role] = await signIn(area, role);
  }
}, 600_000);

afterAll(async () => {
  await app?.close();
  if (db?.kind === 'server') await db.query(`DROP SCHEMA IF EXISTS ${JOBS_SCHEMA} CASCADE`);
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Routes that name no area-owned record and list none: why each is outside the matrix. */
const SHARED_ROUTES: Record<string, string> = {
  'GET /docs': 'OpenAPI documentation',
  'GET /docs/static/index.html': 'OpenAPI documentation',
  'GET /docs/static/swagger-initializer.js': 'OpenAPI documentation',
  'GET /docs/json': 'OpenAPI documentation',
  'GET /docs/yaml': 'OpenAPI documentation',
  'GET /docs/static/*': 'OpenAPI documentation',
  'GET /api/health': 'install health',
  'POST /api/auth/login': 'sign-in (the session carries the area)',
  'POST /api/auth/logout': 'sign-out',
  'GET /api/auth/me': 'the signed-in member themself',
  'GET /api/areas': 'the list of councils the install serves (public)',
  'GET /api/area': "the request's own area",
  'PATCH /api/area': "the admin's own area (checked below)",
  'GET /staff/area': "the member's own area settings page",
  'POST /staff/area': "the admin's own area settings form",
  'GET /api/solar/position': 'sun position: a formula, no data',
  'GET /api/solar/shadows':
    'area-scoped: own/other/missing rows in "area-scoped sensors, results and tiles" below',
  'GET /api/solar/sun-hours/:ref':
    'area-scoped: own/other/missing rows in "area-scoped sensors, results and tiles" below',
  'GET /api/sensors/ingest': 'device ingest endpoint (device key auth)',
  'GET /api/sensors/stream':
    'area-scoped: own/other/missing rows in "area-scoped sensors, results and tiles" below',
  'GET /sta/v1.1': 'SensorThings root: the list of entity sets, no data',
  'GET /sta/v1.1/*': 'area-scoped: own/other/missing rows in "area-scoped sensors, results and tiles" below',
  'GET /sta/*': 'SensorThings redirect',
  'GET /api/transport/realtime': 'GTFS-Realtime status',
  'GET /api/transport/fifteen-minute':
    'area-scoped: own/other/missing rows in "area-scoped sensors, results and tiles" below',
  'GET /api/transport/fifteen-minute/map':
    'area-scoped: own/other/missing rows in "area-scoped sensors, results and tiles" below',
  'GET /tilesets/*': 'area-scoped: own/other/missing rows in "area-scoped sensors, results and tiles" below',
  'GET /basemap/:z/:x/:y.png': 'the OpenStreetMap basemap: public reference imagery shared by every area',
  'GET /consult/assets/govuk/*': 'static assets',
  'GET /consult/assets/app/*': 'static assets',
  'GET /consult/assets/leaflet/*': 'static assets',
  'GET /consult/assets/css/:file': 'static assets',
  'GET /consult/staff/sign-in': 'sign-in page',
  'POST /consult/staff/sign-in': 'sign-in form',
  'POST /consult/staff/sign-out': 'sign-out form',
  'GET /': 'the viewer page',
  'POST /api/imports':
    'area-scoped: imports into the caller’s own area; checked in "imports through the API stay in the caller’s area" below',
};

/** Routes that list an area's records: each response must hold only the asking area's. */
const LIST_ROUTES = new Set([
  'GET /api/jobs',
  'GET /consult/staff/jobs',
  'GET /api/admin/privacy/inventory',
  'GET /api/admin/privacy/log',
  'POST /api/admin/privacy/retention',
  'GET /api/admin/privacy/subject',
  'GET /api/admin/privacy/subject/export',
  'POST /api/admin/privacy/erase',
  'GET /consult/staff/privacy',
  'POST /consult/staff/privacy/subject',
  'POST /consult/staff/privacy/export',
  'POST /consult/staff/privacy/erase',
  'GET /api/datasets',
  'GET /api/attribution',
  'GET /api/buildings',
  'GET /api/scenarios',
  'POST /api/scenarios',
  'GET /api/stories',
  'POST /api/stories',
  'GET /api/consultations',
  'GET /api/staff/consultations',
  'POST /api/staff/consultations',
  'GET /api/sensors',
  'GET /api/sensors/latest',
  'GET /api/sensors/alerts',
  'POST /api/sensors',
  'POST /api/sensors/import',
  'POST /api/energy/flexibility',
  'POST /api/energy/portfolio',
  'GET /api/energy/grids',
  'POST /api/energy/grids',
  'POST /api/solar/sun-hours',
  'GET /api/transport/feeds',
  'GET /consult',
  'GET /consult/staff',
]);

type Key = 'own' | 'other' | 'missing';

/** Fills a route's path parameters with the records of `area` (or missing ones), by what each parameter names. */
function fill(route: { method: string; url: string }, f: Fixture | null): string | null {
  const m = (v: string | number, missing: string | number) => String(f === null ? missing : v);
  let known = false;
  const url = route.url.replace(/:([A-Za-z]+)/g, (_all, p: string) => {
    const u = route.url;
    const by: Record<string, () => string> = {
      id: () => {
        if (u.startsWith('/api/scenarios/')) return m(f?.publishedScenario ?? 0, MISSING.number);
        if (u.startsWith('/api/stories/')) return m(f?.publishedStory ?? 0, MISSING.number);
        if (/comments\/:id/.test(u)) return m(f?.pendingComment ?? 0, MISSING.number);
        if (/consultations\/:id|^\/consult(\/staff)?\/:id/.test(u))
          return m(f?.openConsultation ?? 0, MISSING.number);
        if (/buildings\/:id/.test(u)) return m(f?.building ?? '', MISSING.building);
        if (u.startsWith('/api/sensors/')) return m(f?.sensor ?? '', MISSING.sensor);
        if (/\/jobs\/:id\//.test(u)) return m(f?.job ?? '', MISSING.job);
        throw new Error(`the matrix does not know what :id names in ${u}`);
      },
      name: () =>
        u.startsWith('/api/datasets/')
          ? m(f?.dataset ?? '', MISSING.dataset)
          : u.startsWith('/api/energy/grids/')
            ? m(f?.grid ?? '', MISSING.grid)
            : 'no-such-lever-set',
      dataset: () => m(f?.dataset ?? '', MISSING.dataset),
      feed: () => m(f?.feed ?? '', MISSING.feed),
      buildingId: () => m(f?.building ?? '', MISSING.building),
      stopId: () => 'stop-1',
    };
    if (!by[p]) throw new Error(`the matrix does not know the parameter :${p} of ${u}`);
    const namesRecord = u.startsWith('/api/datasets/') || u.startsWith('/api/energy/grids/');
    if (p !== 'stopId' && !(p === 'name' && !namesRecord)) known = true;
    return by[p]();
  });
  return known ? url : null;
}

/** Query and body for a route that names a record in them (own, other or missing). */
function extras(route: { method: string; url: string }, f: Fixture | null) {
  const key = `${route.method} ${route.url}`;
  const ds = f?.dataset ?? MISSING.dataset;
  const scenario = f?.publishedScenario ?? MISSING.number;
  const q: Record<string, string> = {};
  let body: Record<string, unknown> | undefined;
  if (key === 'GET /api/scenarios/compare') Object.assign(q, { a: String(scenario), b: 'baseline' });
  else if (key === 'GET /api/buildings') Object.assign(q, { dataset: ds, bbox: '-180,-85,180,85' });
  else if (key === 'GET /api/scenarios') q.dataset = ds;
  else if (key === 'GET /api/sensors/alerts') q.sensor = f?.sensor ?? MISSING.sensor;
  else if (key === 'POST /api/scenarios') body = { dataset: ds, name: `New ${Math.random()}` };
  else if (key === 'POST /api/staff/consultations')
    body = { title: 'New', summary: 'New', scenarioId: scenario, opensAt: iso(-1), closesAt: iso(9) };
  else if (key === 'POST /api/stories') body = { title: 'New', summary: '', slides: [slide(scenario)] };
  else if (key === 'POST /api/energy/flexibility' || key === 'POST /api/energy/portfolio')
    body = { dataset: ds };
  else if (key === 'POST /api/solar/sun-hours') body = { dataset: ds, date: '2026-03-21' };
  else if (key === 'POST /api/energy/calibration')
    body = { buildingId: f?.building ?? MISSING.building, csv: 'time,indoor_c\n', fileName: 'iso.csv' };
  return { q, body };
}

const isNamed = (route: { method: string; url: string }) =>
  fill(route, null) !== null ||
  [
    'GET /api/scenarios/compare',
    'GET /api/buildings',
    'GET /api/sensors/alerts',
    'POST /api/scenarios',
  ].includes(`${route.method} ${route.url}`) ||
  ['POST /api/staff/consultations', 'POST /api/stories', 'POST /api/energy/flexibility'].includes(
    `${route.method} ${route.url}`,
  ) ||
  ['POST /api/energy/portfolio', 'POST /api/solar/sun-hours'].includes(`${route.method} ${route.url}`) ||
  ['POST /api/energy/calibration'].includes(`${route.method} ${route.url}`);

async function ask(
  route: { method: string; url: string },
  who: Who,
  asker: AreaId,
  key: Key,
): Promise<LightMyRequestResponse> {
  const f = key === 'missing' ? null : key === 'own' ? fx[asker] : fx[other(asker)];
  const path = fill(route, f) ?? route.url.replace(/\*$/, 'x').replace(/:([A-Za-z]+)/g, 'x');
  const { q, body } = extras(route, f);
  if (who === 'public') q.council = asker;
  if (route.method === 'DELETE') q.expectedVersion = '999999';
  const query = new URLSearchParams(q).toString();
  const write = route.method !== 'GET';
  return app.inject({
    method: route.method as 'GET',
    url: query ? `${path}?${query}` : path,
    headers: who === 'public' ? {} : staff[asker][who],
    ...(write ? { payload: body ?? { expectedVersion: 999_999 } } : {}),
  });
}

const problemType = (r: LightMyRequestResponse) => {
  try {
    return (r.json() as { type?: string }).type ?? null;
  } catch {
    return null;
  }
};

function expectNoLeak(r: LightMyRequestResponse, who: Who, asker: AreaId, what: string) {
  for (const marker of fx[other(asker)].markers) {
    expect(r.body.includes(marker), `${what}: ${who} of ${asker} was shown "${marker}"`).toBe(false);
  }
  if (who === 'public') {
    for (const area of AREAS)
      for (const marker of fx[area].privateMarkers) {
        expect(r.body.includes(marker), `${what}: the public was shown "${marker}"`).toBe(false);
      }
  }
}

describe('tenant isolation', () => {
  it('classifies every route of the app (a new route must join the matrix)', () => {
    expect(routes.length).toBeGreaterThan(100);
    const unclassified = routes
      .map((r) => `${r.method} ${r.url}`)
      .filter((k, i) => !(k in SHARED_ROUTES) && !LIST_ROUTES.has(k) && !isNamed(routes[i]));
    expect(unclassified).toEqual([]);
  });

  it('gives the sample area Rutland and Leeds their real ONS boundaries', async () => {
    const r = await db.query<{ id: string; name: string; contains: boolean; type: string }>(
      `SELECT id, name, GeometryType(boundary) AS type,
         ST_Contains(boundary, ST_SetSRID(ST_MakePoint(CASE id WHEN 'leeds' THEN -1.5491 ELSE -0.7275 END,
           CASE id WHEN 'leeds' THEN 53.7997 ELSE 52.6700 END), 4326)) AS contains
       FROM areas ORDER BY id`,
    );
    // Leeds Town Hall and Oakham's market place lie in their own districts (independent: public coordinates).
    expect(r.rows).toEqual([
      { id: 'default', name: 'Rutland', type: 'MULTIPOLYGON', contains: true },
      { id: 'leeds', name: 'Leeds', type: 'MULTIPOLYGON', contains: true },
    ]);
  });

  it('reads: another area’s record answers as a missing one, for every GET route × role × area; nothing leaks', async () => {
    const gets = routes.filter((r) => r.method === 'GET' && !(`GET ${r.url}` in SHARED_ROUTES));
    const vacuous: string[] = [];
    // Another area's record must be answered exactly as a missing one (status and problem type).
    const differ: string[] = [];
    for (const route of gets) {
      for (const asker of AREAS) {
        for (const who of WHO) {
          const own = await ask(route, who, asker, 'own');
          const oth = await ask(route, who, asker, 'other');
          const what = `GET ${route.url}`;
          expectNoLeak(own, who, asker, `${what} (own)`);
          expectNoLeak(oth, who, asker, `${what} (other)`);
          if (!isNamed(route)) continue;
          const missing = await ask(route, who, asker, 'missing');
          const [a, b] = [
            { s: oth.statusCode, t: problemType(oth) },
            { s: missing.statusCode, t: problemType(missing) },
          ];
          if (a.s !== b.s || a.t !== b.t)
            differ.push(`${what}: ${who} of ${asker}: other ${a.s} ${a.t}, missing ${b.s} ${b.t}`);
          // (No lever set is saved in the fixture: its routes are 404 in any area; the dataset is what is checked.)
          if (who === 'admin' && own.statusCode === 404 && !route.url.includes('/lever-sets/:name'))
            vacuous.push(`${what} (${asker})`);
        }
      }
    }
    expect(differ).toEqual([]);
    // Every GET that names a record finds the admin's own area's record (else the check above proves nothing).
    expect(vacuous).toEqual([]);
  }, 600_000);

  it('writes: another area’s record answers as a missing one, for every write route × role × area', async () => {
    const writes = routes.filter((r) => r.method !== 'GET' && !(`${r.method} ${r.url}` in SHARED_ROUTES));
    const differ: string[] = [];
    for (const route of writes) {
      for (const asker of AREAS) {
        for (const who of WHO) {
          const what = `${route.method} ${route.url}`;
          const oth = await ask(route, who, asker, 'other');
          expectNoLeak(oth, who, asker, `${what} (other)`);
          if (!isNamed(route)) continue;
          const missing = await ask(route, who, asker, 'missing');
          const [a, b] = [
            { s: oth.statusCode, t: problemType(oth) },
            { s: missing.statusCode, t: problemType(missing) },
          ];
          if (a.s !== b.s || a.t !== b.t)
            differ.push(`${what}: ${who} of ${asker}: other ${a.s} ${a.t}, missing ${b.s} ${b.t}`);
        }
      }
    }
    expect(differ).toEqual([]);
  }, 600_000);

  it('staff edits of another area’s records: 404 for planners and admins; a councillor is refused either way', async () => {
    for (const asker of AREAS) {
      const theirs = fx[other(asker)];
      for (const role of ['councillor', 'planner', 'admin'] as const) {
        const r = await app.inject({
          method: 'PATCH',
          url: `/api/scenarios/${theirs.draftScenario}`,
          headers: staff[asker][role],
          payload: { expectedVersion: 1, name: 'Taken over' },
        });
        // A councillor may edit no scenario: 403 for another area's as for a missing one (nothing disclosed).
        expect(r.statusCode, `${role} of ${asker}`).toBe(role === 'councillor' ? 403 : 404);
        const mine = await app.inject({
          method: 'PATCH',
          url: `/api/scenarios/${fx[asker].draftScenario}`,
          headers: staff[asker][role],
          payload: { expectedVersion: 999, name: 'Mine' },
        });
        // Own area: the role rule applies (councillors may not edit; planners and admins reach the version check).
        expect(mine.statusCode, `${role} of ${asker}, own`).toBe(role === 'councillor' ? 403 : 409);
      }
    }
  });

  it('lists show each area its own records only: staff see their drafts, the public only what is published', async () => {
    for (const asker of AREAS) {
      const mine = fx[asker];
      const scen = await app.inject({ url: '/api/scenarios', headers: staff[asker].planner });
      expect(
        scen
          .json()
          .map((s: { id: number }) => s.id)
          .sort(),
      ).toEqual([mine.draftScenario, mine.publishedScenario].sort());
      const pubScen = await app.inject({ url: `/api/scenarios?council=${asker}` });
      expect(pubScen.json().map((s: { id: number }) => s.id)).toEqual([mine.publishedScenario]);
      const stories = await app.inject({ url: `/api/stories?council=${asker}` });
      expect(stories.json().map((s: { id: number }) => s.id)).toEqual([mine.publishedStory]);
      const cons = await app.inject({ url: `/api/consultations?council=${asker}` });
      expect(cons.json().map((c: { id: number }) => c.id)).toEqual([mine.openConsultation]);
      const staffCons = await app.inject({
        url: '/api/staff/consultations',
        headers: staff[asker].councillor,
      });
      expect(
        staffCons
          .json()
          .map((c: { id: number }) => c.id)
          .sort(),
      ).toEqual([mine.draftConsultation, mine.openConsultation].sort());
      const ds = await app.inject({ url: '/api/datasets', headers: staff[asker].admin });
      expect(ds.json().map((d: { name: string }) => d.name)).toEqual([mine.dataset]);
      const sensors = await app.inject({ url: `/api/sensors?council=${asker}` });
      expect(sensors.json().features.map((s: { id: string }) => s.id)).toEqual([mine.sensor]);
      const feeds = await app.inject({ url: `/api/transport/feeds?council=${asker}` });
      expect(feeds.json().map((s: { name: string }) => s.name)).toEqual([mine.feed]);
      const tag = asker === 'default' ? 'Rutland' : 'Leeds';
      const grids = await app.inject({ url: `/api/energy/grids?council=${asker}` });
      expect(grids.json().map((g: { label: string }) => g.label)).toEqual([`Grid label ${tag}`]);
      const gridNet = await app.inject({
        url: `/api/energy/grids/${mine.grid}`,
        headers: staff[asker].planner,
      });
      expect(gridNet.json().features.map((a: { id: string }) => a.id)).toEqual([`sub-${asker}`]);
      const page = await app.inject({ url: `/consult?council=${asker}` });
      expect(page.body).toContain(`Open consultation ${asker === 'default' ? 'Rutland' : 'Leeds'}`);
      expectNoLeak(page, 'public', asker, 'GET /consult');
    }
    // A page opened with `?council=` remembers the area (cookie) for the page's own API requests.
    const page = await app.inject({ url: '/consult?council=leeds' });
    const remembered = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('placetwin_council='));
    expect(remembered).toMatch(/^placetwin_council=leeds;/);
    const fromPage = await app.inject({
      url: '/api/consultations',
      headers: { cookie: remembered!.split(';')[0] },
    });
    expect(fromPage.json().map((c: { id: number }) => c.id)).toEqual([fx.leeds.openConsultation]);
    // No `?council=`: the install's first area, as before areas existed.
    const plain = await app.inject({ url: '/api/consultations' });
    expect(plain.json().map((c: { id: number }) => c.id)).toEqual([fx.default.openConsultation]);
    expect((await app.inject({ url: '/api/scenarios?council=nowhere' })).statusCode).toBe(404);
  });

  it('a grid asset cannot say another area than its network’s (composite key), and imports stay in the area', async () => {
    const net = (
      await db.query<{ id: number }>(`SELECT id FROM grid_networks WHERE area_id = 'default' AND name = $1`, [
        fx.default.grid,
      ])
    ).rows[0].id;
    await expect(
      db.query(
        `INSERT INTO grid_assets (network_id, area_id, asset_id, kind, capacity_kw, rated_value, rated_unit, geom)
         VALUES ($1, 'leeds', 'stray', 'substation', 1, 1, 'kW', ST_SetSRID(ST_MakePoint(0, 0), 4326))`,
        [net],
      ),
    ).rejects.toThrow(/grid_assets_network_area_fk/);
    // A Leeds planner importing a network under Rutland's network name makes a Leeds network; Rutland's is intact.
    const up = await app.inject({
      method: 'POST',
      url: `/api/energy/grids?name=${fx.default.grid}`,
      headers: staff.leeds.planner,
      payload: {
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            id: 'leeds-sub',
            geometry: { type: 'Point', coordinates: [-1.55, 53.8] },
            properties: { capacity_kw: 100 },
          },
        ],
      },
    });
    expect(up.statusCode, up.body).toBe(201);
    const rutland = await app.inject({
      url: `/api/energy/grids/${fx.default.grid}`,
      headers: staff.default.planner,
    });
    expect(rutland.json().features.map((f: { id: string }) => f.id)).toEqual(['sub-default']);
    const leeds = await app.inject({
      url: `/api/energy/grids/${fx.default.grid}`,
      headers: staff.leeds.planner,
    });
    expect(leeds.json().features.map((f: { id: string }) => f.id)).toEqual(['leeds-sub']);
    await db.query(`DELETE FROM grid_networks WHERE area_id = 'leeds' AND name = $1`, [fx.default.grid]);
  });

  it('an admin edits only their own area’s settings; others cannot', async () => {
    const r = await app.inject({
      method: 'PATCH',
      url: '/api/area',
      headers: staff.leeds.admin,
      payload: { privacyContact: 'dpo@leeds.example', retentionDays: 400 },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ id: 'leeds', privacyContact: 'dpo@leeds.example', retentionDays: 400 });
    const rutland = await app.inject({ url: '/api/area', headers: staff.default.admin });
    expect(rutland.json()).toMatchObject({
      id: 'default',
      name: 'Rutland',
      privacyContact: null,
      retentionDays: 365,
    });
    expect(rutland.json().boundary.type).toBe('MultiPolygon');
    const planner = await app.inject({
      method: 'PATCH',
      url: '/api/area',
      headers: staff.leeds.planner,
      payload: { retentionDays: 1 },
    });
    expect(planner.statusCode).toBe(403);
  });
  it('an admin finds and erases personal data in their own area only', async () => {
    const lookUp = (asker: AreaId) =>
      app.inject({
        url: '/api/admin/privacy/subject?email=someone@default.example',
        headers: staff[asker].admin,
      });
    const own = (await lookUp('default')).json();
    expect(own.comments.map((c: { name: string }) => c.name)).toEqual(['Commenter Rutland']);
    const other = await lookUp('leeds');
    expect(other.statusCode).toBe(200);
    expect(other.json().comments).toEqual([]);
    const erase = await app.inject({
      method: 'POST',
      url: '/api/admin/privacy/erase',
      headers: staff.leeds.admin,
      payload: { email: 'someone@default.example' },
    });
    expect(erase.statusCode).toBe(200);
    expect([erase.json().anonymisedComments, erase.json().deletedComments]).toEqual([[], []]);
    // Rutland's commenter still has their name: Leeds's admin could not touch it.
    expect((await lookUp('default')).json().comments.map((c: { name: string }) => c.name)).toEqual([
      'Commenter Rutland',
    ]);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'jobs: each area’s staff list, cancel and retry their own area’s jobs only (PostgreSQL: pg-boss)',
    async () => {
      for (const asker of AREAS) {
        const theirs = fx[other(asker)].job;
        const mine = fx[asker].job;
        const listed = await app.inject({ url: '/api/jobs', headers: staff[asker].councillor });
        expect(listed.json().jobs.map((j: { id: string }) => j.id)).toEqual([mine]);
        const page = await app.inject({
          url: '/consult/staff/jobs',
          headers: { cookie: staff[asker].admin.cookie },
        });
        expect(page.body).toContain(mine);
        expect(page.body).not.toContain(theirs);
        for (const verb of ['cancel', 'retry']) {
          const r = await app.inject({
            method: 'POST',
            url: `/api/jobs/${theirs}/${verb}`,
            headers: staff[asker].admin,
          });
          expect(r.statusCode, `${verb} of ${asker}`).toBe(404);
          const form = await app.inject({
            method: 'POST',
            url: `/consult/staff/jobs/${theirs}/${verb}`,
            headers: {
              cookie: staff[asker].admin.cookie,
              'content-type': 'application/x-www-form-urlencoded',
            },
            payload: `_csrf=${encodeURIComponent(staff[asker].admin['x-csrf-token'])}`,
          });
          expect(form.statusCode, `${verb} form of ${asker}`).toBe(404);
        }
      }
      // Both jobs are as they were queued; each area's own planner can cancel its own.
      for (const area of AREAS) {
        const r = await app.inject({
          method: 'POST',
          url: `/api/jobs/${fx[area].job}/cancel`,
          headers: staff[area].planner,
        });
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ id: fx[area].job, state: 'cancelled', cancelled: 1 });
      }
    },
  );
});

describe('area-scoped sensors, results and tiles', () => {
  /** Oakham's market place (public coordinates), inside Rutland's points of interest. */
  const OAKHAM = { lon: -0.7275, lat: 52.67 };
  const sunHours = {} as Record<AreaId, string>;
  const bboxOf = {} as Record<AreaId, string>;
  const headersOf = (who: Who, asker: AreaId) => (who === 'public' ? {} : staff[asker][who]);
  /** The public names its area with `?council=`; staff act in their own. */
  const get = (url: string, who: Who, asker: AreaId) =>
    app.inject({
      url: who === 'public' ? `${url}${url.includes('?') ? '&' : '?'}council=${asker}` : url,
      headers: headersOf(who, asker),
    });

  beforeAll(async () => {
    // Rutland's real OSM services, imported into Rutland's area only: Leeds has no points of interest here.
    await importPoisPath(db, sample('rutland', 'rutland-2022-11.osm.pbf'), {
      name: 'rutland',
      areaId: 'default',
    });
    // Sun and shadow analyses work in British National Grid, and the Delft sample is not in Great Britain: each
    // area gets the courtyard fixture (constructed, see test/fixtures/README.md) as a dataset of its own, and a
    // sun-hours run over it (a square inside the courtyard), by that area's planner.
    await loadOstn15(sampleDataDir);
    for (const area of AREAS) {
      await importFile(db, join(repoRoot, 'test/fixtures/courtyard-bng.geojson'), {
        dataset: `sun-${area}`,
        areaId: area,
      });
      const c = (
        await db.query<{ x: number; y: number }>(
          `SELECT ST_X(ST_Centroid(ST_Collect(b.footprint))) AS x, ST_Y(ST_Centroid(ST_Collect(b.footprint))) AS y
           FROM buildings b JOIN datasets d ON d.id = b.dataset_id WHERE d.name = $1 AND d.area_id = $2`,
          [`sun-${area}`, area],
        )
      ).rows[0];
      const [w, s, e, n] = [c.x - 0.0003, c.y - 0.0002, c.x + 0.0003, c.y + 0.0002];
      bboxOf[area] = [w, s, e, n].join(',');
      const r = await app.inject({
        method: 'POST',
        url: '/api/solar/sun-hours',
        headers: { ...staff[area].planner, prefer: 'wait=300' },
        payload: {
          dataset: `sun-${area}`,
          date: '2026-03-21',
          cellSizeM: 2,
          area: {
            type: 'Polygon',
            coordinates: [
              [
                [w, s],
                [e, s],
                [e, n],
                [w, n],
                [w, s],
              ],
            ],
          },
        },
      });
      expect(r.statusCode, r.body).toBe(200);
      sunHours[area] = r.json().id;
    }
    expect(sunHours.default).not.toBe(sunHours.leeds);
  }, 600_000);

  /** A URL naming a record of an area (or, for null, one that does not exist), and who finds their own. */
  interface Row {
    url: (a: AreaId | null) => string;
    /** Status of the asker's own area's record, per role. */
    own: (who: Who) => number;
  }
  const N = MISSING.number;
  const sta = (path: (f: Fixture | null) => string): Row => ({
    url: (a) => `/sta/v1.1/${path(a === null ? null : fx[a])}`,
    own: () => 200,
  });
  const ROWS: Record<string, Row> = {
    'STA Things(id)': sta((f) => `Things(${f?.thing ?? N})`),
    'STA Things(id)?$expand=Datastreams': sta((f) => `Things(${f?.thing ?? N})?$expand=Datastreams`),
    'STA Locations(id)': sta((f) => `Locations(${f?.thing ?? N})`),
    'STA Datastreams(id)': sta((f) => `Datastreams(${f?.datastream ?? N})`),
    'STA Datastreams(id)/Thing': sta((f) => `Datastreams(${f?.datastream ?? N})/Thing`),
    'STA Datastreams(id)/ObservedProperty': sta((f) => `Datastreams(${f?.datastream ?? N})/ObservedProperty`),
    'STA Observations(id)': sta((f) => `Observations(${f?.observation ?? N})`),
    'STA Observations(id)/Datastream': sta((f) => `Observations(${f?.observation ?? N})/Datastream`),
    'STA Things(id)/Datastreams': sta((f) => `Things(${f?.thing ?? N})/Datastreams`),
    'STA Things(id)/Locations': sta((f) => `Things(${f?.thing ?? N})/Locations`),
    'STA Datastreams(id)/Observations': sta((f) => `Datastreams(${f?.datastream ?? N})/Observations`),
    'sun-hours result': {
      url: (a) => `/api/solar/sun-hours/${a === null ? 'f'.repeat(32) : sunHours[a]}`,
      own: () => 200,
    },
    'sun-hours result as CSV': {
      url: (a) => `/api/solar/sun-hours/${a === null ? 'f'.repeat(32) : sunHours[a]}.csv`,
      own: () => 200,
    },
    'ground shadows': {
      url: (a) =>
        `/api/solar/shadows?dataset=${a === null ? MISSING.dataset : `sun-${a}`}&time=2026-03-21T12:00:00Z&bbox=${
          bboxOf[a ?? 'default']
        }`,
      own: () => 200,
    },
    "draft scenario's overlay tileset": {
      url: (a) =>
        a === null ? `/tilesets/${MISSING.dataset}/scenarios/${N}/0000000000000000.json` : fx[a].draftOverlay,
      // Staff of the area only: to the public a draft's overlay does not exist.
      own: (who) => (who === 'public' ? 404 : 200),
    },
  };

  it('another area’s SensorThings entity, sun-hours result, shadows or draft overlay answers as a missing one', async () => {
    const differ: string[] = [];
    const ownWrong: string[] = [];
    for (const [what, row] of Object.entries(ROWS)) {
      for (const asker of AREAS) {
        for (const who of WHO) {
          const own = await get(row.url(asker), who, asker);
          const oth = await get(row.url(other(asker)), who, asker);
          const missing = await get(row.url(null), who, asker);
          expectNoLeak(own, who, asker, `${what} (own)`);
          expectNoLeak(oth, who, asker, `${what} (other)`);
          if (own.statusCode !== row.own(who))
            ownWrong.push(`${what}: ${who} of ${asker}: own ${own.statusCode}`);
          const [a, b] = [
            { s: oth.statusCode, t: problemType(oth) },
            { s: missing.statusCode, t: problemType(missing) },
          ];
          if (a.s !== b.s || a.t !== b.t)
            differ.push(`${what}: ${who} of ${asker}: other ${a.s} ${a.t}, missing ${b.s} ${b.t}`);
          // A collection of another area's entity is as empty as a missing one's (and the own one is not).
          if (b.s === 200 && what.startsWith('STA')) {
            expect(oth.json().value, `${what}: ${who} of ${asker}`).toEqual(missing.json().value);
            expect(own.json().value.length, `${what}: ${who} of ${asker} (own)`).toBeGreaterThan(0);
          }
        }
      }
    }
    expect(differ).toEqual([]);
    expect(ownWrong).toEqual([]);
  }, 600_000);

  it('SensorThings collections list only the area’s things, datastreams and readings; links keep ?council=', async () => {
    for (const asker of AREAS) {
      for (const who of WHO) {
        const things = await get('/sta/v1.1/Things?$expand=Datastreams&$count=true', who, asker);
        expectNoLeak(things, who, asker, 'STA Things');
        expect(things.json()['@iot.count']).toBe(1);
        expect(things.json().value.map((t: { '@iot.id': number }) => t['@iot.id'])).toEqual([
          fx[asker].thing,
        ]);
        expect(things.json().value[0].Datastreams.map((d: { '@iot.id': number }) => d['@iot.id'])).toEqual([
          fx[asker].datastream,
        ]);
        const dss = await get('/sta/v1.1/Datastreams?$count=true', who, asker);
        expect(dss.json().value.map((d: { '@iot.id': number }) => d['@iot.id'])).toEqual([
          fx[asker].datastream,
        ]);
        const obs = await get('/sta/v1.1/Observations?$count=true', who, asker);
        expect(obs.json()['@iot.count']).toBe(1);
        expect(obs.json().value.map((o: { '@iot.id': number }) => o['@iot.id'])).toEqual([
          fx[asker].observation,
        ]);
        const locations = await get('/sta/v1.1/Locations', who, asker);
        expect(locations.json().value.map((l: { '@iot.id': number }) => l['@iot.id'])).toEqual([
          fx[asker].thing,
        ]);
        // Observed properties are the install's shared vocabulary (no area's data): listed for everyone.
        expect((await get('/sta/v1.1/ObservedProperties', who, asker)).statusCode).toBe(200);
      }
    }
    const leeds = (await get('/sta/v1.1/Things', 'public', 'leeds')).json().value[0];
    expect(leeds['@iot.selfLink']).toMatch(
      new RegExp(`/sta/v1\\.1/Things\\(${fx.leeds.thing}\\)\\?council=leeds$`),
    );
    const followed = await app.inject({
      url:
        new URL(leeds['Datastreams@iot.navigationLink']).pathname +
        new URL(leeds['Datastreams@iot.navigationLink']).search,
    });
    expect(followed.json().value.map((d: { '@iot.id': number }) => d['@iot.id'])).toEqual([
      fx.leeds.datastream,
    ]);
  });

  it('published overlays stay public and cacheable; a draft’s is private to its area’s staff', async () => {
    for (const asker of AREAS) {
      for (const who of WHO) {
        for (const area of AREAS) {
          const pub = await get(fx[area].publishedOverlay, who, asker);
          expect(pub.statusCode, `${who} of ${asker}: ${area}'s published overlay`).toBe(200);
          expect(pub.headers['cache-control']).toMatch(/^no-cache$|^public/);
        }
        const draft = await get(fx[asker].draftOverlay, who, asker);
        if (who !== 'public') {
          expect(draft.headers['cache-control']).toMatch(/^private/);
          // The draft overlay's content files are refused alike (not only its tileset JSON).
          const glb = (
            draft.json() as {
              root: { content?: { uri: string }; children?: { content?: { uri: string } }[] };
            }
          ).root;
          const uri = glb.content?.uri ?? glb.children?.find((c) => c.content)?.content?.uri;
          expect(uri).toBeTruthy();
          const file = fx[asker].draftOverlay.replace(/[^/]+$/, uri!);
          expect((await get(file, who, asker)).statusCode).toBe(200);
          expect((await get(file, 'public', asker)).statusCode).toBe(404);
          expect((await get(file, who, other(asker))).statusCode).toBe(404);
        }
      }
    }
  });

  it('15-minute scores use the asking area’s points of interest only', async () => {
    const time = '2026-03-18T09:00:00Z';
    for (const who of WHO) {
      const rutland = (
        await get(
          `/api/transport/fifteen-minute?lon=${OAKHAM.lon}&lat=${OAKHAM.lat}&time=${time}`,
          who,
          'default',
        )
      ).json();
      expect(rutland.covered).toBe(true);
      expect(rutland.score).toBeGreaterThan(0);
      const leeds = (
        await get(
          `/api/transport/fifteen-minute?lon=${OAKHAM.lon}&lat=${OAKHAM.lat}&time=${time}`,
          who,
          'leeds',
        )
      ).json();
      expect(leeds.covered).toBe(false);
      expect(leeds.score).toBeNull();
      const box = '-0.74,52.665,-0.715,52.675';
      const mapR = (
        await get(`/api/transport/fifteen-minute/map?bbox=${box}&time=${time}&cell=500`, who, 'default')
      ).json();
      const mapL = (
        await get(`/api/transport/fifteen-minute/map?bbox=${box}&time=${time}&cell=500`, who, 'leeds')
      ).json();
      expect(mapR.features.length).toBeGreaterThan(0);
      expect(mapL.features).toEqual([]);
      expect(mapL.uncoveredCells).toBe(mapR.features.length + mapR.uncoveredCells);
    }
  });

  it('stored 15-minute scores are the asking area’s own: never another’s, and cleared by its own imports only', async () => {
    // Scores are stored per area (fifteen_scores): Rutland's stored answer for a point must never answer Leeds's
    // identical request, and a Leeds import must not clear Rutland's.
    const url = `/api/transport/fifteen-minute?lon=${OAKHAM.lon}&lat=${OAKHAM.lat}&time=2026-03-18T10:00:00Z`;
    const box = '-0.74,52.665,-0.715,52.675';
    const mapUrl = `/api/transport/fifteen-minute/map?bbox=${box}&time=2026-03-18T10:00:00Z&cell=500`;
    const rutland = (await get(url, 'planner', 'default')).json();
    const rutlandMap = (await get(mapUrl, 'planner', 'default')).json();
    expect(rutland).toMatchObject({ covered: true });
    expect(rutlandMap.features.length).toBeGreaterThan(0);
    const leedsFirst = (await get(url, 'public', 'leeds')).json();
    for (const who of WHO) {
      // Everyone in Rutland gets Rutland's stored score (computed once); everyone in Leeds, Leeds's own.
      expect((await get(url, who, 'default')).json(), who).toEqual(rutland);
      expect((await get(mapUrl, who, 'default')).json(), who).toEqual(rutlandMap);
      const leeds = (await get(url, who, 'leeds')).json();
      expect(leeds, who).toMatchObject({ covered: false, score: null });
      expect(leeds, who).toEqual(leedsFirst);
      const leedsMap = (await get(mapUrl, who, 'leeds')).json();
      expect(leedsMap.features, who).toEqual([]);
    }
    // A points-of-interest import in Leeds (constructed: one food shop in Leeds city centre) clears Leeds's stored
    // scores only: Rutland's stay as they were computed.
    await importPois(
      db,
      'leeds-constructed',
      [{ sourceId: 'shop-1', service: 'food', name: 'Shop in Leeds', lon: -1.5491, lat: 53.7997 }],
      { source: 'constructed for tests', areaId: 'leeds' },
    );
    expect((await get(url, 'public', 'default')).json()).toEqual(rutland);
    expect((await get(mapUrl, 'public', 'default')).json()).toEqual(rutlandMap);
    const leedsAfter = (await get(url, 'public', 'leeds')).json();
    expect(leedsAfter).toMatchObject({ covered: false, score: null });
    expect(Date.parse(leedsAfter.computedAt)).toBeGreaterThan(Date.parse(leedsFirst.computedAt));
    // The stored rows say their area, and Leeds's say nothing of Rutland's places.
    const rows = (
      await db.query<{ area_id: string; covered: boolean }>(
        `SELECT area_id, (body->>'covered')::boolean AS covered FROM fifteen_scores WHERE kind = 'point'
         AND params = $1`,
        [JSON.stringify([OAKHAM.lon, OAKHAM.lat, Date.parse('2026-03-18T10:00:00Z'), 15])],
      )
    ).rows;
    expect(rows.map((r) => [r.area_id, r.covered]).sort()).toEqual([
      ['default', true],
      ['leeds', false],
    ]);
  });

  it('the live sensor stream sends each area only its own sensors’ readings', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const streams = {
      leedsPublic: openEventStream(`${address}/api/sensors/stream?council=leeds`, {}),
      rutlandPlanner: openEventStream(`${address}/api/sensors/stream`, staff.default.planner),
      homePublic: openEventStream(`${address}/api/sensors/stream`, {}),
    };
    try {
      await Promise.all(Object.values(streams).map((s) => s.opened));
      const ingest = async (area: AreaId, hour: number) => {
        const t = (await loadSensorTarget(db, fx[area].sensor))!;
        const r = await app.inject({
          method: 'POST',
          url: `/api/sensors/${fx[area].sensor}/observations`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${fx[area].deviceKey}` },
          payload: JSON.stringify({
            time: new Date(Date.UTC(2009, 0, 2, hour)).toISOString(),
            value: t.datastreams[0].minValue,
          }),
        });
        expect(r.statusCode, r.body).toBeLessThan(300);
      };
      // Leeds, Rutland, Leeds: each stream's last expected event comes after the other area's reading.
      await ingest('leeds', 1);
      await ingest('default', 2);
      await ingest('leeds', 3);
      const leeds = await streams.leedsPublic.until(
        (e) => e.filter((x) => x.type === 'observation').length >= 2,
      );
      expect(leeds.map((e) => e.sensorId)).toEqual([fx.leeds.sensor, fx.leeds.sensor]);
      for (const s of [streams.rutlandPlanner, streams.homePublic]) {
        const got = await s.until((e) => e.some((x) => x.type === 'observation'));
        expect(got.map((e) => e.sensorId)).toEqual([fx.default.sensor]);
      }
    } finally {
      for (const s of Object.values(streams)) s.close();
    }
  });
});

describe('stored building calibrations', () => {
  it('another area’s building cannot be calibrated, read or reset (404, as a missing one); its calibration stays', async () => {
    for (const asker of AREAS) {
      const theirs = fx[other(asker)].building;
      const headers = staff[asker].planner;
      const post = (buildingId: string) =>
        app.inject({
          method: 'POST',
          url: '/api/energy/calibration',
          headers,
          payload: { buildingId, csv: 'time,indoor_c\n', fileName: 'x.csv' },
        });
      const [oth, missing] = [await post(theirs), await post(MISSING.building)];
      expect(oth.statusCode, `POST by a planner of ${asker}`).toBe(404);
      expect(problemType(oth)).toBe(problemType(missing));
      // Their own building gets past the area check to the record's own problem (a CSV with no rows).
      const own = await post(fx[asker].building);
      expect(own.statusCode).toBeGreaterThanOrEqual(400);
      expect(own.statusCode).not.toBe(404);
      const url = `/api/energy/buildings/${theirs}/calibration`;
      expect((await app.inject({ url, headers })).statusCode).toBe(404);
      expect((await app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(404);
      // Still there for its own area.
      const mine = await app.inject({ url, headers: staff[other(asker)].planner });
      expect(mine.json().sourceFile).toBe(`Calibration record ${other(asker)}.csv`);
    }
  });
});

describe('imports through the API stay in the caller’s area', () => {
  /** The job, as the area's planner sees it once it has ended (worked by the app's own worker). */
  const ended = async (area: AreaId, id: string) => {
    for (let i = 0; i < 1200; i++) {
      const listed = await app.inject({ url: '/api/jobs', headers: staff[area].planner });
      const job = listed.json().jobs.find((j: { id: string }) => j.id === id);
      if (job && ['completed', 'failed'].includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not end`);
  };
  const upload = (area: AreaId, dataset: string) =>
    app.inject({
      method: 'POST',
      url: `/api/imports?fileName=delft.city.json&dataset=${dataset}`,
      payload: readFileSync(BUILDINGS),
      headers: { ...staff[area].planner, 'content-type': 'application/json' },
    });

  it('a planner’s upload is their own area’s dataset and job; over another area’s dataset it is refused before queueing, changing nothing', async () => {
    const res = await upload('leeds', 'leeds-upload');
    expect(res.statusCode).toBe(202);
    const job = await ended('leeds', res.json().id);
    expect(job.state).toBe('completed');
    expect(await recordArea(db, 'dataset', 'leeds-upload')).toBe('leeds');
    const theirJobs = await app.inject({ url: '/api/jobs', headers: staff.default.planner });
    expect(theirJobs.json().jobs.map((j: { id: string }) => j.id)).not.toContain(job.id);
    const theirDatasets = await app.inject({ url: '/api/datasets', headers: staff.default.planner });
    expect(theirDatasets.body).not.toContain('leeds-upload');

    const target = fx.default.dataset;
    const count = `SELECT count(*)::int AS n, min(d.imported_at)::text AS at FROM buildings b
      JOIN datasets d ON d.id = b.dataset_id WHERE d.name = $1`;
    const before = (await db.query(count, [target])).rows[0];
    const jobsBefore = (await app.inject({ url: '/api/jobs', headers: staff.leeds.planner })).json().jobs
      .length;
    const over = await upload('leeds', target);
    expect(over.statusCode).toBe(400);
    expect(over.json().type).toMatch(/dataset-name-taken$/);
    const jobsAfter = (await app.inject({ url: '/api/jobs', headers: staff.leeds.planner })).json().jobs
      .length;
    expect(jobsAfter).toBe(jobsBefore);
    expect((await db.query(count, [target])).rows[0]).toEqual(before);
    expect(await recordArea(db, 'dataset', target)).toBe('default');
  });
});

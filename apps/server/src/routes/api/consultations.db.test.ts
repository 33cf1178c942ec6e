/**
 * Roles, sessions, CSRF, consultations, comments and the public consultation site, through app.inject() on the
 * real Rutland baseline (../shared/data/rutland, © OpenStreetMap contributors, ODbL). The proposal: on Station
 * Approach, Oakham, the builders' merchant is demolished and a four-storey block of flats built on its yard.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendChanges,
  createScenario,
  createUser,
  type Db,
  getBuilding,
  listComments,
  openTestDb,
  type Role,
  setScenarioStatus,
} from '@placetwin/db';
import { type Change, type FootprintGeoJson, localFrame } from '@placetwin/scenario';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rutlandFeatures } from '../../../../../test/support/test-db';
import { type AppOptions, buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { staffHeaders } from '../../testing/staff-session';
import { COMMENT_RECEIVED } from './consultations';

const TRAVIS_PERKINS = 'rutland:w178280261';
const PASSWORD = 'correct horse battery';
const HASHING = { logN: 10 };

function rectangle(lon: number, lat: number, widthM: number, depthM: number): FootprintGeoJson {
  const f = localFrame(lon, lat);
  const dx = widthM / f.mPerDegLon;
  const dy = depthM / f.mPerDegLat;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dx, lat],
        [lon + dx, lat + dy],
        [lon, lat + dy],
        [lon, lat],
      ],
    ],
  };
}
const CHANGES: Change[] = [
  { op: 'demolish', id: TRAVIS_PERKINS },
  {
    op: 'add',
    id: 'new/block-b',
    footprint: rectangle(-0.73342, 52.67322, 14, 40),
    use: 'residential',
    storeys: 4,
  },
];

/** Payloads that would run script if any page or client rendered them as HTML. */
const XSS = [
  '<script>alert("xss")</script>',
  '"><img src=x onerror=alert(1)>',
  "';alert(String.fromCharCode(88,83,83))//",
  '<svg/onload=alert(1)>',
  '{{ 7*7 }} {% raw %}',
];

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let publishedScenarioId: number;
let draftScenarioId: number;

const appOptions = (over: Partial<AppOptions> = {}): AppOptions => ({
  db,
  tilesetsDir: join(root, 'tilesets'),
  dataDir: join(root, 'data'),
  auth: { passwordHashing: HASHING },
  // Every test comments from the same address; the rate-limit test builds its own app with a small limit.
  commentRateLimit: { max: 10_000, timeWindowMs: 60_000 },
  ...over,
});

interface Session {
  role: Role | 'public';
  cookie?: string;
  csrf?: string;
}
const PUBLIC: Session = { role: 'public' };
const sessions = {} as Record<Role, Session>;

const cookieOf = (res: LightMyRequestResponse): string => {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = set.find((c) => c.startsWith('placetwin_session='));
  if (!session) throw new Error(`no session cookie in ${JSON.stringify(set)}`);
  return session.split(';')[0];
};

async function login(role: Role, on: FastifyInstance = app): Promise<Session> {
  const res = await on.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: `${role}@rutland.gov.uk`, password: PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  return { role, cookie: cookieOf(res), csrf: res.json().csrfToken };
}

/** A request as someone: their cookie, and their CSRF token on writes (unless `csrf: false`). */
function as(
  s: Session,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  { csrf = true, on = app }: { csrf?: boolean; on?: FastifyInstance } = {},
) {
  const headers: Record<string, string> = {};
  if (s.cookie) headers.cookie = s.cookie;
  if (csrf && s.csrf && method !== 'GET') headers['x-csrf-token'] = s.csrf;
  return on.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const day = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

async function newConsultation(scenarioId = publishedScenarioId, over: Record<string, unknown> = {}) {
  const res = await as(sessions.planner, 'POST', '/api/staff/consultations', {
    title: 'Homes on Station Approach',
    summary: 'Four storeys of flats on the builders’ yard by the station.\n\nAbout 40 homes.',
    scenarioId,
    opensAt: iso(-day),
    closesAt: iso(28 * day),
    ...over,
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; status: string };
}
async function openOne(over: Record<string, unknown> = {}) {
  const c = await newConsultation(publishedScenarioId, over);
  expect((await as(sessions.planner, 'POST', `/api/staff/consultations/${c.id}/open`)).statusCode).toBe(200);
  return c.id;
}
const sendComment = (id: number, body: Record<string, unknown>, on = app) =>
  on.inject({ method: 'POST', url: `/api/consultations/${id}/comments`, payload: body });

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandFeatures));
  root = await mkdtemp(join(tmpdir(), 'placetwin-consult-'));
  const s = await createScenario(db, {
    dataset: 'rutland',
    name: 'Station Approach',
    description: 'Scheme A, as submitted.',
    site: rectangle(-0.7342, 52.6729, 70, 90),
  });
  const edited = await appendChanges(db, s.id, 1, CHANGES);
  publishedScenarioId = (await setScenarioStatus(db, s.id, edited.scenario.version, 'published')).id;
  draftScenarioId = (await createScenario(db, { dataset: 'rutland', name: 'Station Approach B' })).id;
  for (const role of ['admin', 'planner', 'councillor'] as const) {
    await createUser(
      db,
      { email: `${role}@rutland.gov.uk`, displayName: `Test ${role}`, role, password: PASSWORD },
      HASHING,
    );
  }
  app = buildApp(appOptions());
  for (const role of ['admin', 'planner', 'councillor'] as const) sessions[role] = await login(role);
  // The helper other route tests use to act as staff works the same way.
  const helper = await staffHeaders(app, db, 'planner');
  expect((await app.inject({ url: '/api/auth/me', headers: helper })).json().user.role).toBe('planner');
});

// On a PostgreSQL server the apps of this file share their rate-limit counters, as API processes on one database
// do (sign-ins and comments from one address add up across them): each test starts from zero.
beforeEach(async () => {
  await db.query('DELETE FROM rate_limit_counters');
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('sessions and cookies', () => {
  it('sets an HttpOnly, Secure, SameSite=Lax session cookie at sign-in, and never on a failed one', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'planner@rutland.gov.uk', password: PASSWORD },
    });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^placetwin_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; Max-Age=43200/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({ user: { role: 'planner', email: 'planner@rutland.gov.uk' } });
    expect(JSON.stringify(res.json())).not.toMatch(/scrypt|password/i);

    for (const payload of [
      { email: 'planner@rutland.gov.uk', password: 'wrong password!' },
      { email: 'nobody@rutland.gov.uk', password: PASSWORD },
    ]) {
      const bad = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(bad.statusCode).toBe(401);
      expect(bad.json()).toMatchObject({ type: `${PROBLEM_BASE}invalid-credentials` });
      expect(bad.headers['set-cookie']).toBeUndefined();
    }
  });

  it('leaves out Secure only when configured for plain-http development', async () => {
    const dev = buildApp(appOptions({ secureCookies: false }));
    try {
      const res = await dev.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@rutland.gov.uk', password: PASSWORD },
      });
      expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
      expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
    } finally {
      await dev.close();
    }
  });

  it('accepts sign-in only as JSON (a cross-site form cannot sign anyone in)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=admin%40rutland.gov.uk&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('tells staff who they are, and the public that they are not signed in', async () => {
    const me = await as(sessions.councillor, 'GET', '/api/auth/me');
    expect(me.json()).toEqual({
      user: {
        id: expect.any(Number),
        email: 'councillor@rutland.gov.uk',
        displayName: 'Test councillor',
        role: 'councillor',
      },
      csrfToken: sessions.councillor.csrf,
    });
    const pub = await as(PUBLIC, 'GET', '/api/auth/me');
    expect(pub.statusCode).toBe(401);
    expect(pub.json().type).toBe(`${PROBLEM_BASE}unauthenticated`);
    const forged = await as(
      { role: 'admin', cookie: 'placetwin_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      'GET',
      '/api/auth/me',
    );
    expect(forged.statusCode).toBe(401);
  });

  it('gives a new token at every sign-in, so a planted cookie is never promoted (session fixation)', async () => {
    const planted = 'placetwin_session=plantedplantedplantedplantedplantedplanted123';
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: planted },
      payload: { email: 'admin@rutland.gov.uk', password: PASSWORD },
    });
    expect(cookieOf(res)).not.toBe(planted);
    expect((await as({ role: 'admin', cookie: planted }, 'GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('shares sessions between server processes, and signing out on one ends it on both', async () => {
    const other = buildApp(appOptions());
    try {
      const s = await login('admin', app);
      expect((await as(s, 'GET', '/api/auth/me', undefined, { on: other })).statusCode).toBe(200);
      const noToken = await as(s, 'POST', '/api/auth/logout', undefined, { csrf: false });
      expect(noToken.statusCode).toBe(403);
      expect((await as(s, 'GET', '/api/auth/me', undefined, { on: other })).statusCode).toBe(200);
      const out = await as(s, 'POST', '/api/auth/logout');
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(
        /^placetwin_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/,
      );
      expect((await as(s, 'GET', '/api/auth/me', undefined, { on: other })).statusCode).toBe(401);
      expect((await as(s, 'GET', '/api/auth/me')).statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('CSRF protection of cookie-authenticated writes', () => {
  const create = { title: 't', summary: 's', scenarioId: 0, opensAt: iso(0), closesAt: iso(day) };

  it('refuses a write with no token, a wrong token or another session’s token, and changes nothing', async () => {
    const before = (await as(sessions.planner, 'GET', '/api/staff/consultations')).json().length;
    const body = { ...create, scenarioId: publishedScenarioId };
    const cases = [
      as(sessions.planner, 'POST', '/api/staff/consultations', body, { csrf: false }),
      app.inject({
        method: 'POST',
        url: '/api/staff/consultations',
        headers: { cookie: sessions.planner.cookie!, 'x-csrf-token': 'guess' },
        payload: body,
      }),
      app.inject({
        method: 'POST',
        url: '/api/staff/consultations',
        headers: { cookie: sessions.planner.cookie!, 'x-csrf-token': sessions.admin.csrf! },
        payload: body,
      }),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().type).toBe(`${PROBLEM_BASE}csrf-token-invalid`);
    }
    expect((await as(sessions.planner, 'GET', '/api/staff/consultations')).json().length).toBe(before);
    expect((await as(sessions.planner, 'POST', '/api/staff/consultations', body)).statusCode).toBe(201);
  });

  it('does not ask for a token on reads', async () => {
    expect((await as(sessions.councillor, 'GET', '/api/staff/consultations')).statusCode).toBe(200);
  });
});

describe('authorization matrix', () => {
  type Who = Session['role'];
  const ROLES_ALL: Who[] = ['public', 'councillor', 'planner', 'admin'];
  const STAFF = new Set<Who>(['councillor', 'planner', 'admin']);
  const PLANNERS = new Set<Who>(['planner', 'admin']);
  const EVERYONE = new Set<Who>(ROLES_ALL);

  interface Endpoint {
    method: 'GET' | 'POST' | 'PATCH';
    /** Called once per role, so each role acts on its own fresh object where an action can happen only once. */
    url: (who: Who) => Promise<string>;
    body?: (who: Who) => Record<string, unknown>;
    allowed: Set<Who>;
    ok: number;
  }

  let openId: number;
  let commentIds: number[];
  beforeAll(async () => {
    openId = await openOne();
    commentIds = [];
    for (let i = 0; i < 4; i++) {
      const r = await sendComment(openId, {
        name: `Resident ${i}`,
        category: 'support',
        text: 'Yes please.',
      });
      commentIds.push(r.json().id);
    }
  });

  const fixed = (u: string) => async () => u;
  const ENDPOINTS: Record<string, Endpoint> = {
    'GET /api/staff/consultations': {
      method: 'GET',
      url: fixed('/api/staff/consultations'),
      allowed: STAFF,
      ok: 200,
    },
    'POST /api/staff/consultations': {
      method: 'POST',
      url: fixed('/api/staff/consultations'),
      body: () => ({
        title: 'Matrix',
        summary: 'Matrix test.',
        scenarioId: publishedScenarioId,
        opensAt: iso(-day),
        closesAt: iso(day),
      }),
      allowed: PLANNERS,
      ok: 201,
    },
    'GET /api/staff/consultations/:id': {
      method: 'GET',
      url: async () => `/api/staff/consultations/${openId}`,
      allowed: STAFF,
      ok: 200,
    },
    'PATCH /api/staff/consultations/:id': {
      method: 'PATCH',
      url: async () => `/api/staff/consultations/${openId}`,
      body: (who) => ({ summary: `Edited by ${who}.` }),
      allowed: PLANNERS,
      ok: 200,
    },
    'POST /api/staff/consultations/:id/open': {
      method: 'POST',
      url: async () => `/api/staff/consultations/${(await newConsultation()).id}/open`,
      allowed: PLANNERS,
      ok: 200,
    },
    'POST /api/staff/consultations/:id/close': {
      method: 'POST',
      url: async () => `/api/staff/consultations/${await openOne()}/close`,
      allowed: PLANNERS,
      ok: 200,
    },
    'GET /api/staff/consultations/:id/comments': {
      method: 'GET',
      url: async () => `/api/staff/consultations/${openId}/comments`,
      allowed: PLANNERS,
      ok: 200,
    },
    'GET /api/staff/consultations/:id/comments.geojson': {
      method: 'GET',
      url: async () => `/api/staff/consultations/${openId}/comments.geojson`,
      allowed: STAFF,
      ok: 200,
    },
    'GET /api/staff/consultations/:id/summary': {
      method: 'GET',
      url: async () => `/api/staff/consultations/${openId}/summary`,
      allowed: STAFF,
      ok: 200,
    },
    'GET /api/staff/consultations/:id/comments.csv': {
      method: 'GET',
      url: async () => `/api/staff/consultations/${openId}/comments.csv`,
      allowed: PLANNERS,
      ok: 200,
    },
    'POST /api/staff/comments/:id/moderation': {
      method: 'POST',
      url: async (who) => `/api/staff/comments/${commentIds[ROLES_ALL.indexOf(who)]}/moderation`,
      body: () => ({ decision: 'approve' }),
      allowed: PLANNERS,
      ok: 200,
    },
    'GET /api/auth/me': { method: 'GET', url: fixed('/api/auth/me'), allowed: STAFF, ok: 200 },
    'GET /api/consultations': { method: 'GET', url: fixed('/api/consultations'), allowed: EVERYONE, ok: 200 },
    'GET /api/consultations/:id': {
      method: 'GET',
      url: async () => `/api/consultations/${openId}`,
      allowed: EVERYONE,
      ok: 200,
    },
    'GET /api/consultations/:id/comments': {
      method: 'GET',
      url: async () => `/api/consultations/${openId}/comments`,
      allowed: EVERYONE,
      ok: 200,
    },
    'GET /api/consultations/:id/comments.geojson': {
      method: 'GET',
      url: async () => `/api/consultations/${openId}/comments.geojson`,
      allowed: EVERYONE,
      ok: 200,
    },
    'POST /api/consultations/:id/comments': {
      method: 'POST',
      url: async () => `/api/consultations/${openId}/comments`,
      body: (who) => ({ anonymous: true, category: 'question', text: `A question from ${who}` }),
      allowed: EVERYONE,
      ok: 201,
    },
  };

  for (const [name, e] of Object.entries(ENDPOINTS)) {
    it(`${name}: ${[...e.allowed].join(', ')} only`, async () => {
      for (const who of ROLES_ALL) {
        const s = who === 'public' ? PUBLIC : sessions[who];
        const res = await as(s, e.method, await e.url(who), e.body?.(who));
        const expected = e.allowed.has(who) ? e.ok : who === 'public' ? 401 : 403;
        expect({ who, status: res.statusCode }).toEqual({ who, status: expected });
        if (!e.allowed.has(who)) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.json().type).toBe(
            `${PROBLEM_BASE}${who === 'public' ? 'unauthenticated' : 'forbidden'}`,
          );
        }
      }
    });
  }
});

describe('scenario routes: writes need a planner or admin, the public reads published scenarios only', () => {
  type Who = Session['role'];
  const WHO: Who[] = ['public', 'councillor', 'planner', 'admin'];
  const sessionOf = (who: Who) => (who === 'public' ? PUBLIC : sessions[who]);
  let n = 0;
  const freshDraft = async () =>
    createScenario(db, {
      dataset: 'rutland',
      name: `Matrix scenario ${++n}`,
      site: rectangle(-0.7342, 52.6729, 70, 90),
    });

  const WRITES: Record<
    string,
    (who: Who) => Promise<[method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: object]>
  > = {
    'POST /api/scenarios': async (who) => [
      'POST',
      '/api/scenarios',
      { dataset: 'rutland', name: `New by ${who}` },
    ],
    'PATCH /api/scenarios/:id': async () => {
      const s = await freshDraft();
      return ['PATCH', `/api/scenarios/${s.id}`, { expectedVersion: s.version, description: 'edited' }];
    },
    'DELETE /api/scenarios/:id': async () => {
      const s = await freshDraft();
      return ['DELETE', `/api/scenarios/${s.id}?expectedVersion=${s.version}`];
    },
    'POST /api/scenarios/:id/publish': async () => {
      const s = await freshDraft();
      return ['POST', `/api/scenarios/${s.id}/publish`, { expectedVersion: s.version }];
    },
    'POST /api/scenarios/:id/changes': async () => {
      const s = await freshDraft();
      return [
        'POST',
        `/api/scenarios/${s.id}/changes`,
        { expectedVersion: s.version, changes: [CHANGES[0]] },
      ];
    },
  };
  for (const [name, prepare] of Object.entries(WRITES)) {
    it(`${name}: planner, admin only`, async () => {
      for (const who of WHO) {
        const [method, url, body] = await prepare(who);
        const res = await as(sessionOf(who), method, url, body);
        const expected = who === 'public' ? 401 : who === 'councillor' ? 403 : res.statusCode;
        expect({ who, status: res.statusCode }).toEqual({ who, status: expected });
        if (who === 'planner' || who === 'admin')
          expect(res.statusCode, `${who}: ${res.body}`).toBeLessThan(300);
      }
    });
  }

  it('lists and returns only published scenarios to the public; staff see drafts', async () => {
    const listed = (who: Who, q = '') =>
      as(sessionOf(who), 'GET', `/api/scenarios${q}`).then((r) => r.json().map((s: { id: number }) => s.id));
    expect(await listed('public')).toContain(publishedScenarioId);
    expect(await listed('public')).not.toContain(draftScenarioId);
    expect(await listed('public', '?status=draft')).toEqual([]);
    expect(await listed('councillor', '?status=draft')).toContain(draftScenarioId);
    for (const suffix of ['', '/changes', '/indicators', '/buildings']) {
      expect((await as(PUBLIC, 'GET', `/api/scenarios/${draftScenarioId}${suffix}`)).statusCode, suffix).toBe(
        404,
      );
      expect(
        (await as(sessions.councillor, 'GET', `/api/scenarios/${draftScenarioId}${suffix}`)).statusCode,
      ).toBe(200);
      expect((await as(PUBLIC, 'GET', `/api/scenarios/${publishedScenarioId}${suffix}`)).statusCode).toBe(
        200,
      );
    }
    const compare = (a: number) => `/api/scenarios/compare?a=baseline&b=${a}`;
    expect((await as(PUBLIC, 'GET', compare(draftScenarioId))).statusCode).toBe(404);
    expect((await as(PUBLIC, 'GET', compare(publishedScenarioId))).statusCode).toBe(200);
    expect((await as(sessions.planner, 'GET', compare(draftScenarioId))).statusCode).toBe(200);
  });
});

describe('what the public can see', () => {
  let openId: number;
  let draftId: number;
  let draftScenarioConsultation: number;
  beforeAll(async () => {
    openId = await openOne();
    draftId = (await newConsultation()).id;
    draftScenarioConsultation = (await newConsultation(draftScenarioId)).id;
    const sent = await sendComment(openId, {
      name: 'Sam Jones',
      email: 'sam@example.org',
      category: 'object',
      text: 'Too tall.',
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toEqual({ id: expect.any(Number), status: 'pending', message: COMMENT_RECEIVED });
    await sendComment(openId, {
      name: 'Pending Person',
      email: 'pending@example.org',
      category: 'support',
      text: 'Pending.',
    });
    await as(sessions.planner, 'POST', `/api/staff/comments/${sent.json().id}/moderation`, {
      decision: 'approve',
    });
  });

  it('never lists or returns draft consultations, or ones whose scenario is a draft', async () => {
    const listed = (await as(PUBLIC, 'GET', '/api/consultations')).json().map((c: { id: number }) => c.id);
    expect(listed).toContain(openId);
    expect(listed).not.toContain(draftId);
    expect(listed).not.toContain(draftScenarioConsultation);
    for (const id of [draftId, draftScenarioConsultation]) {
      for (const url of [`/api/consultations/${id}`, `/api/consultations/${id}/comments`]) {
        const res = await as(PUBLIC, 'GET', url);
        expect(res.statusCode).toBe(404);
      }
      const post = await sendComment(id, { anonymous: true, category: 'support', text: 'x' });
      expect(post.statusCode).toBe(404);
    }
    // Opening a consultation on a draft scenario is refused, so it can never become public.
    const refused = await as(
      sessions.planner,
      'POST',
      `/api/staff/consultations/${draftScenarioConsultation}/open`,
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json().type).toBe(`${PROBLEM_BASE}scenario-not-published`);
  });

  it('returns approved comments only, without email addresses or moderation details', async () => {
    const comments = (await as(PUBLIC, 'GET', `/api/consultations/${openId}/comments`)).json();
    expect(comments.map((c: { name: string }) => c.name)).toEqual(['Sam Jones']);
    const staff = (await as(sessions.planner, 'GET', `/api/staff/consultations/${openId}/comments`)).json();
    expect(staff.map((c: { email: string }) => c.email).sort()).toEqual([
      'pending@example.org',
      'sam@example.org',
    ]);
    for (const url of [
      '/api/consultations',
      `/api/consultations/${openId}`,
      `/api/consultations/${openId}/comments`,
      `/api/consultations/${openId}/comments.geojson`,
      `/consult/${openId}`,
      `/consult/${openId}/text`,
      `/consult/${openId}/comments`,
    ]) {
      const body = (await as(PUBLIC, 'GET', url)).body;
      expect(body, url).not.toContain('@example.org');
      expect(body, url).not.toContain('Pending Person');
      expect(body, url).not.toMatch(/"(status|email|moderatedBy)":"(pending|approved|sam)/);
    }
  });

  it('shows the published scenario and its key facts with a public consultation', async () => {
    const c = (await as(PUBLIC, 'GET', `/api/consultations/${openId}`)).json();
    expect(c.scenario).toMatchObject({
      id: publishedScenarioId,
      name: 'Station Approach',
      dataset: 'rutland',
    });
    expect(c.facts).toMatchObject({ buildingsAdded: 1, buildingsDemolished: 1, studyArea: 'site' });
    expect(c.facts.after.floorAreaM2).toBeGreaterThan(c.facts.before.floorAreaM2);
    expect(c).not.toHaveProperty('comments');
  });
});

describe('comments from the public', () => {
  it('are refused when the honeypot is filled in, and nothing is stored', async () => {
    const id = await openOne();
    const bot = await sendComment(id, {
      name: 'Bot',
      category: 'support',
      text: 'Great post! Visit my site.',
      website: 'http://spam.example',
    });
    expect(bot.statusCode).toBe(400);
    expect(bot.json().type).toBe(`${PROBLEM_BASE}comment-refused`);
    const form = await app.inject({
      method: 'POST',
      url: `/consult/${id}/comment`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'category=support&text=Buy+now&anonymous=yes&website=http%3A%2F%2Fspam.example',
    });
    expect(form.statusCode).toBe(400);
    expect(form.headers['content-type']).toMatch(/^text\/html/);
    expect(await listComments(db, id)).toEqual([]);
  });

  it('name each field at fault (API problem and GOV.UK error summary)', async () => {
    const id = await openOne();
    const api = await sendComment(id, { category: 'support', text: '   ' });
    expect(api.statusCode).toBe(400);
    expect(api.json().errors).toEqual([
      { in: 'body', field: 'name', reason: 'Enter your name, or choose to comment anonymously' },
      { in: 'body', field: 'text', reason: 'Enter your comment' },
    ]);
    const tooLong = await sendComment(id, { anonymous: true, category: 'support', text: 'x'.repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    const form = await app.inject({
      method: 'POST',
      url: `/consult/${id}/comment`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'text=&name=&email=nope',
    });
    expect(form.statusCode).toBe(400);
    const html = form.body;
    expect(html).toContain('<title>Error: ');
    expect(html).toContain('govuk-error-summary');
    expect(html).toMatch(
      /href="#category">Select whether you support the proposal, object to it, or have a question/,
    );
    expect(html).toMatch(/href="#text">Enter your comment/);
    expect(html).toMatch(/href="#name">Enter your name, or choose to comment anonymously/);
    expect(html).toMatch(/href="#email">Enter an email address in the correct format/);
    expect(await listComments(db, id)).toEqual([]);
  });

  it('are rate-limited per address: the next one is a 429 problem (API) or page (form)', async () => {
    const limited = buildApp(appOptions({ commentRateLimit: { max: 2, timeWindowMs: 60_000 } }));
    try {
      const id = await openOne();
      const body = { anonymous: true, category: 'support', text: 'Yes.' };
      expect((await sendComment(id, body, limited)).statusCode).toBe(201);
      expect((await sendComment(id, body, limited)).statusCode).toBe(201);
      const third = await sendComment(id, body, limited);
      expect(third.statusCode).toBe(429);
      expect(third.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(third.json().type).toBe(`${PROBLEM_BASE}rate-limited`);
      expect(third.headers['retry-after']).toBeDefined();
      const form = (n: number) =>
        limited.inject({
          method: 'POST',
          url: `/consult/${id}/comment`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: `category=support&text=Form+${n}&anonymous=yes`,
        });
      expect((await form(1)).statusCode).toBe(303);
      expect((await form(2)).statusCode).toBe(303);
      const page = await form(3);
      expect(page.statusCode).toBe(429);
      expect(page.body).toContain('You have sent too many comments');
      expect((await listComments(db, id)).length).toBe(4);
    } finally {
      await limited.close();
    }
  });

  it('render inert in HTML and JSON, whatever they contain', async () => {
    const id = await openOne({ title: `Station <b>Approach</b> ${XSS[1]}` });
    for (const payload of XSS) {
      const r = await sendComment(id, { name: payload, category: 'question', text: `Question: ${payload}` });
      await as(sessions.planner, 'POST', `/api/staff/comments/${r.json().id}/moderation`, {
        decision: 'approve',
      });
    }
    const json = await as(PUBLIC, 'GET', `/api/consultations/${id}/comments`);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['x-content-type-options']).toBe('nosniff');
    // JSON carries the text exactly as sent: it is data, for clients to escape when they display it.
    expect(json.json().map((c: { name: string }) => c.name)).toEqual(XSS);

    for (const url of [`/consult/${id}/comments`, `/consult/${id}`, `/consult/${id}/text`, '/consult']) {
      const page = await as(PUBLIC, 'GET', url);
      expect(page.statusCode, url).toBe(200);
      const html = page.body;
      expect(html, url).not.toContain('<script>alert');
      expect(html, url).not.toContain('<img src=x');
      expect(html, url).not.toContain('<svg/onload');
      expect(html, url).not.toContain('<b>Approach</b>');
      expect(html, url).toContain('Station &lt;b&gt;Approach&lt;/b&gt;');
      // Every <script> on the page is ours: the nonce'd inline line of the GOV.UK template, and our module.
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, url).toBe(2);
      if (url.endsWith('/comments')) {
        expect(html).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
        expect(html).toContain('{{ 7*7 }} {% raw %}');
        expect(html).not.toContain('>49<');
      }
    }
    const csv = await as(sessions.planner, 'GET', `/api/staff/consultations/${id}/comments.csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain(',"<script>alert(""xss"")</script>",');
  });
});

describe('staff views of comments', () => {
  it('summarise by category and status, map the pinned ones and export all as CSV', async () => {
    const id = await openOne();
    const a = await sendComment(id, {
      name: 'A',
      email: 'a@example.org',
      category: 'support',
      text: 'Good.',
      lon: -0.7335,
      lat: 52.6733,
    });
    await sendComment(id, { name: 'B', category: 'object', text: 'Bad.' });
    await as(sessions.admin, 'POST', `/api/staff/comments/${a.json().id}/moderation`, {
      decision: 'approve',
    });
    const summary = (await as(sessions.councillor, 'GET', `/api/staff/consultations/${id}/summary`)).json();
    expect(summary).toMatchObject({
      total: 2,
      byStatus: { pending: 1, approved: 1, rejected: 0 },
      byCategory: { support: { total: 1, approved: 1 }, object: { total: 1, pending: 1 } },
      withPoint: 1,
      // The pin is inside the scenario's site; the other comment is not pinned.
      byArea: { site: 1, nearby: 0, further: 0, unpinned: 1 },
    });
    const map = await as(sessions.councillor, 'GET', `/api/staff/consultations/${id}/comments.geojson`);
    expect(map.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(map.json().features).toEqual([
      {
        type: 'Feature',
        id: a.json().id,
        geometry: { type: 'Point', coordinates: [-0.7335, 52.6733] },
        properties: { category: 'support', status: 'approved', text: 'Good.', createdAt: expect.any(String) },
      },
    ]);
    const csv = await as(sessions.planner, 'GET', `/api/staff/consultations/${id}/comments.csv`);
    expect(csv.headers['cache-control']).toBe('no-store');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="consultation-${id}-comments.csv"`);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('id,created_at,status,category,name,email,lon,lat,text,moderated_at,moderated_by');
    expect(lines.slice(1).map((l) => l.split(',').slice(2, 6))).toEqual([
      ['approved', 'support', 'A', 'a@example.org'],
      ['pending', 'object', 'B', ''],
    ]);
  });
});

describe('the consultation site (/consult)', () => {
  let id: number;
  beforeAll(async () => {
    id = await openOne({ title: 'Flats on Station Approach' });
  });

  it('lists open consultations, not drafts, with a strict CSP whose nonce is the inline script’s', async () => {
    const draft = await newConsultation(publishedScenarioId, { title: 'Secret draft' });
    const res = await as(PUBLIC, 'GET', '/consult');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Flats on Station Approach');
    expect(res.body).not.toContain('Secret draft');
    const csp = String(res.headers['content-security-policy']);
    const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(res.body).toContain(`<script nonce="${nonce}">`);
    // A new nonce every time.
    expect(String((await as(PUBLIC, 'GET', '/consult')).headers['content-security-policy'])).not.toContain(
      nonce,
    );
    expect((await as(PUBLIC, 'GET', `/consult/${draft.id}`)).statusCode).toBe(404);
  });

  it('shows the key facts, a link to the 3D view over the site with the proposal swiped against today, and a text-only version with the same facts', async () => {
    const page = (await as(PUBLIC, 'GET', `/consult/${id}`)).body;
    const text = (await as(PUBLIC, 'GET', `/consult/${id}/text`)).body;
    for (const html of [page, text]) {
      expect(html).toContain('Key facts');
      expect(html).toContain('1 new building');
      expect(html).toMatch(/Homes \(estimated\)/);
      expect(html).toContain('Four storeys of flats on the builders’ yard by the station.');
      expect(html).toContain('© OpenStreetMap contributors');
    }
    expect(page).toMatch(/href="\/#cam=-0\.73\d+,52\.6\d+,[\d.]+,0\.0,-45\.0&amp;t=/);
    // The viewer opens the published scenario, compared with the area today by a before/after swipe.
    expect(page).toContain(`scn=${publishedScenarioId}&amp;cmp=swipe`);
    expect(page).toContain(`href="/consult/${id}/text"`);
    expect(text).not.toContain('Open the 3D view');
    const tp = await getBuilding(db, TRAVIS_PERKINS);
    expect(text).toContain(`${tp?.name ?? 'Building w178280261'} would be demolished.`);
    expect(text).toContain('New building “block-b” would be built for homes (4 storeys).');
    expect(text).toContain('Scheme A, as submitted.');
  });

  it('takes a comment through the form (post, redirect, confirmation) and shows it only once approved', async () => {
    const form = await as(PUBLIC, 'GET', `/consult/${id}/comment`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('How we use your information');
    expect(form.body).toContain('We do not record your IP address.');
    expect(form.body).toMatch(/We will delete your name and email address after \d{1,2} \w+ \d{4}\./);
    const sent = await app.inject({
      method: 'POST',
      url: `/consult/${id}/comment`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'category=object&text=Too+tall+for+Oakham.&name=Alex+Smith&email=alex%40example.org',
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/consult/${id}/comment/sent`);
    const confirm = await as(PUBLIC, 'GET', sent.headers.location as string);
    expect(confirm.body).toContain('Your comment will appear after moderation.');
    const stored = await listComments(db, id);
    expect(stored.map((c) => [c.name, c.email, c.category, c.text, c.status])).toEqual([
      ['Alex Smith', 'alex@example.org', 'object', 'Too tall for Oakham.', 'pending'],
    ]);
    expect((await as(PUBLIC, 'GET', `/consult/${id}/comments`)).body).not.toContain('Too tall for Oakham.');
    await as(sessions.planner, 'POST', `/api/staff/comments/${stored[0].id}/moderation`, {
      decision: 'approve',
    });
    const list = (await as(PUBLIC, 'GET', `/consult/${id}/comments`)).body;
    expect(list).toContain('Too tall for Oakham.');
    expect(list).toContain('Alex Smith');
    expect(list).not.toContain('alex@example.org');
  });

  it('says a closed consultation no longer takes comments, and refuses one sent anyway', async () => {
    const closed = await openOne();
    await as(sessions.planner, 'POST', `/api/staff/consultations/${closed}/close`);
    expect((await as(PUBLIC, 'GET', `/consult/${closed}/comment`)).body).toContain(
      'This consultation is not taking comments',
    );
    const res = await app.inject({
      method: 'POST',
      url: `/consult/${closed}/comment`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'category=object&text=Late&anonymous=yes',
    });
    expect(res.statusCode).toBe(409);
    const api = await sendComment(closed, { anonymous: true, category: 'object', text: 'Late' });
    expect(api.statusCode).toBe(409);
    expect(await listComments(db, closed)).toEqual([]);
  });

  it('serves GOV.UK Frontend and its own assets from this server, and not the package’s sources', async () => {
    const js = await as(PUBLIC, 'GET', '/consult/assets/govuk/govuk-frontend.min.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await as(PUBLIC, 'GET', '/consult/assets/govuk/index.scss')).statusCode).toBe(404);
    expect((await as(PUBLIC, 'GET', '/consult/assets/govuk/template.njk')).statusCode).toBe(404);
    expect((await as(PUBLIC, 'GET', '/consult/assets/app/consult.js')).statusCode).toBe(200);
    const page = (await as(PUBLIC, 'GET', '/consult')).body;
    const cssUrl = /<link rel="stylesheet" href="([^"]+)">/.exec(page)?.[1] ?? '';
    expect(cssUrl).toMatch(/^\/consult\/assets\/css\/consult-[0-9a-f]{16}\.css$/);
    const css = await as(PUBLIC, 'GET', cssUrl);
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Arial, not GDS Transport (licensed for GOV.UK services only), and every url() on this server.
    expect(css.body).not.toContain('GDS Transport');
    expect(css.body).toMatch(/font-family:arial,sans-serif/);
    for (const url of css.body.match(/url\([^)]*\)/g) ?? [])
      expect(url).toMatch(/^url\("?\/consult\/assets\//);
    expect((await as(PUBLIC, 'GET', '/consult/assets/css/consult-0000000000000000.css')).statusCode).toBe(
      404,
    );
  });

  it('answers unknown pages with a GOV.UK 404 page, not the viewer', async () => {
    const res = await as(PUBLIC, 'GET', '/consult/999999');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
    expect((await as(PUBLIC, 'GET', '/consult/nothing/here')).statusCode).toBe(404);
  });
});

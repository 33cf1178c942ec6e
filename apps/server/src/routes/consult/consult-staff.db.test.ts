/**
 * The consultation site's comment pins (a place from the list without JavaScript, or the map's lon/lat, checked
 * against the area) and its staff pages (sign-in, list, summary by category and area, moderation with
 * Approve/Reject forms), through app.inject() on the real Rutland baseline (../shared/data/rutland,
 * © OpenStreetMap contributors, ODbL): who may see and do what, CSRF on every form, and residents' text inert.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendChanges,
  createConsultation,
  createScenario,
  createUser,
  type Db,
  listComments,
  openConsultation,
  openTestDb,
  type Role,
  setScenarioStatus,
  submitComment,
} from '@placetwin/db';
import { type Change, type FootprintGeoJson, localFrame } from '@placetwin/scenario';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rutlandFeatures } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';

const PASSWORD = 'correct horse battery';
const HASHING = { logN: 10 };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

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
const SITE = rectangle(-0.7342, 52.6729, 70, 90);
const BLOCK_B = rectangle(-0.73342, 52.67322, 14, 40);
const CHANGES: Change[] = [
  { op: 'demolish', id: 'rutland:w178280261' },
  { op: 'add', id: 'new/block-b', footprint: BLOCK_B, use: 'residential', storeys: 4 },
];
const middleOf = (g: FootprintGeoJson): [number, number] => {
  const ring = g.coordinates[0] as [number, number][];
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return [(Math.min(...lons) + Math.max(...lons)) / 2, (Math.min(...lats) + Math.max(...lats)) / 2];
};

/** Payloads that would run script if the staff pages rendered them as HTML. */
const XSS = [
  '<script>alert("xss")</script>',
  '"><img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '{{ 7*7 }}',
];

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let consultationId: number;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const cookiesOf = (res: LightMyRequestResponse): Record<string, string> =>
  Object.fromEntries(
    ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0].split('='))
      .map(([k, ...v]) => [k, v.join('=')]),
  );
const hiddenValue = (html: string, name: string) =>
  new RegExp(`<input type="hidden" name="${name}"[^>]* value="([^"]*)"`).exec(html)?.[1];

interface Staff {
  cookie: string;
  csrf: string;
}
const staff = {} as Record<Role, Staff>;

/** Signs in through the HTML form, as a browser would: the form's token and its cookie, then the password. */
async function signIn(
  role: Role,
  next = '/consult/staff',
): Promise<{ res: LightMyRequestResponse; cookie: string }> {
  const page = await app.inject({ url: `/consult/staff/sign-in?next=${encodeURIComponent(next)}` });
  const token = hiddenValue(page.body, 'token')!;
  const signInCookie = cookiesOf(page).placetwin_sign_in;
  expect(token).toBe(signInCookie);
  const res = await app.inject({
    method: 'POST',
    url: '/consult/staff/sign-in',
    headers: { ...FORM, cookie: `placetwin_sign_in=${signInCookie}` },
    payload: form({ token, next, email: `${role}@rutland.gov.uk`, password: PASSWORD }),
  });
  return { res, cookie: `placetwin_session=${cookiesOf(res).placetwin_session}` };
}

const commentOf = async (id: number) => (await listComments(db, consultationId)).find((c) => c.id === id);
const get = (url: string, s?: Staff) => app.inject({ url, headers: s ? { cookie: s.cookie } : {} });
const moderate = (commentId: number, decision: string, s?: Staff, csrf?: string) =>
  app.inject({
    method: 'POST',
    url: `/consult/staff/comments/${commentId}/moderation`,
    headers: { ...FORM, ...(s ? { cookie: s.cookie } : {}) },
    payload: form({ decision, back: 'pending', ...(csrf === undefined ? {} : { _csrf: csrf }) }),
  });

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandFeatures));
  root = await mkdtemp(join(tmpdir(), 'placetwin-consult-staff-'));
  const s = await createScenario(db, { dataset: 'rutland', name: 'Station Approach', site: SITE });
  const edited = await appendChanges(db, s.id, 1, CHANGES);
  await setScenarioStatus(db, s.id, edited.scenario.version, 'published');
  const c = await createConsultation(db, {
    title: 'Homes on Station Approach',
    summary: 'Four storeys of flats on the builders’ yard.',
    scenarioId: s.id,
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 28 * 86_400_000).toISOString(),
  });
  consultationId = (await openConsultation(db, c.id)).id;
  for (const role of ['admin', 'planner', 'councillor'] as const) {
    await createUser(
      db,
      { email: `${role}@rutland.gov.uk`, displayName: `Test ${role}`, role, password: PASSWORD },
      HASHING,
    );
  }
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: HASHING },
    commentRateLimit: { max: 10_000, timeWindowMs: 60_000 },
  });
  for (const role of ['admin', 'planner', 'councillor'] as const) {
    const { res, cookie } = await signIn(role);
    expect(res.statusCode).toBe(303);
    const page = await get('/consult/staff', { cookie, csrf: '' });
    staff[role] = { cookie, csrf: hiddenValue(page.body, '_csrf')! };
  }
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const postComment = (fields: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: `/consult/${consultationId}/comment`,
    headers: FORM,
    payload: form({ category: 'question', anonymous: 'yes', ...fields }),
  });

describe('pinning a comment to a place', () => {
  it('offers the proposal’s places in a list, and the map picker over this server’s basemap', async () => {
    const page = (await get(`/consult/${consultationId}/comment`)).body;
    expect(page).toContain('Where is your comment about? (optional)');
    const options = [...page.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(options.slice(0, 4).map((o) => o[0])).toEqual([
      '',
      'site',
      'building:rutland:w178280261',
      'building:new/block-b',
    ]);
    // Then the named streets within 100 m of the site, from the OpenStreetMap data.
    const streets = options.slice(4);
    expect(streets.map((o) => o[1])).toContain('Station Approach (street)');
    for (const [value, text] of streets) expect(text).toBe(`${value.slice('street:'.length)} (street)`);
    expect(options[3][1]).toBe('New building “block-b”');
    expect(options[2][1]).toMatch(/\(to be demolished\)$/);
    expect(page).toContain('data-module="app-map-picker"');
    expect(page).toContain('data-tiles="/basemap/{z}/{x}/{y}.png"');
    expect(page).toContain('<link rel="stylesheet" href="/consult/assets/leaflet/leaflet.css">');
    // Leaflet comes from this server, its sources only what a browser needs.
    const leaflet = await get('/consult/assets/leaflet/leaflet-src.esm.js');
    expect(leaflet.statusCode).toBe(200);
    expect(leaflet.body).toContain('Leaflet 1.9');
    expect((await get('/consult/assets/leaflet/images/marker-icon.png')).statusCode).toBe(200);
    expect((await get('/consult/assets/leaflet/../package.json')).statusCode).toBe(404);
    expect((await get('/consult/assets/app/map.js')).statusCode).toBe(200);
  });

  it('stores the middle of a place chosen from the list, or the map’s point as sent', async () => {
    expect(
      (await postComment({ text: 'How tall is block B?', place: 'building:new/block-b' })).statusCode,
    ).toBe(303);
    expect(
      (await postComment({ text: 'Pinned by the map.', place: 'map', lon: '-0.73301', lat: '52.6731' }))
        .statusCode,
    ).toBe(303);
    const stored = await listComments(db, consultationId);
    const byText = Object.fromEntries(stored.map((c) => [c.text, c.point]));
    const [lon, lat] = middleOf(BLOCK_B);
    expect(byText['How tall is block B?']![0]).toBeCloseTo(lon, 6);
    expect(byText['How tall is block B?']![1]).toBeCloseTo(lat, 6);
    expect(byText['Pinned by the map.']).toEqual([-0.73301, 52.6731]);
    // A street: its point nearest the site, so within 100 m of the site's box.
    expect(
      (await postComment({ text: 'Traffic on Station Approach.', place: 'street:Station Approach' }))
        .statusCode,
    ).toBe(303);
    const street = (await listComments(db, consultationId)).find((c) => c.text.startsWith('Traffic'))?.point;
    expect(street).not.toBeNull();
    const [w, s, e, n] = [-0.7342, 52.6729, -0.73317, 52.67371];
    expect(street![0]).toBeGreaterThan(w - 0.0015);
    expect(street![0]).toBeLessThan(e + 0.0015);
    expect(street![1]).toBeGreaterThan(s - 0.001);
    expect(street![1]).toBeLessThan(n + 0.001);
  });

  it('refuses a point outside the area, or an unknown place, naming the place question', async () => {
    const before = (await listComments(db, consultationId)).length;
    // Trafalgar Square: far outside Rutland.
    const far = await postComment({ text: 'Somewhere else.', place: 'map', lon: '-0.1281', lat: '51.508' });
    expect(far.statusCode).toBe(400);
    expect(far.body).toContain('govuk-error-summary');
    expect(far.body).toMatch(/href="#place">The place on the map must be in the area of the proposal/);
    expect(far.body).toContain('id="place-error"');
    // The form comes back with what was typed and the pin where it was.
    expect(far.body).toContain('Somewhere else.');
    expect(hiddenValue(far.body, 'lon')).toBe('-0.1281');
    const unknown = await postComment({ text: '', place: 'building:nowhere' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toMatch(/href="#text">Enter your comment/);
    expect(unknown.body).toMatch(/href="#place">Select a place from the list, or ‘No particular place’/);
    const api = await app.inject({
      method: 'POST',
      url: `/api/consultations/${consultationId}/comments`,
      payload: { anonymous: true, category: 'object', text: 'x', lon: -0.1281, lat: 51.508 },
    });
    expect(api.statusCode).toBe(400);
    expect(api.json().type).toBe(`${PROBLEM_BASE}invalid-comment`);
    expect(api.json().errors).toEqual([
      { in: 'body', field: 'point', reason: 'The place on the map must be in the area of the proposal' },
    ]);
    expect((await listComments(db, consultationId)).length).toBe(before);
  });
});

describe('staff pages', () => {
  let pendingId: number;
  beforeAll(async () => {
    pendingId = (
      await submitComment(db, consultationId, {
        name: 'Pat Lee',
        email: 'pat@example.org',
        category: 'object',
        text: 'Too tall.',
      })
    ).id;
  });

  it('send the public to sign in, and refuse their forms', async () => {
    for (const url of [
      '/consult/staff',
      `/consult/staff/${consultationId}`,
      `/consult/staff/${consultationId}/comments`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/consult/staff/sign-in?next=${encodeURIComponent(url)}`);
      expect(res.body).not.toContain('pat@example.org');
    }
    const post = await moderate(pendingId, 'approve');
    expect(post.statusCode).toBe(403);
    expect((await commentOf(pendingId))?.status).toBe('pending');
  });

  it('show councillors the list and the summary, but not the comments, the CSV or moderation', async () => {
    const c = staff.councillor;
    const list = await get('/consult/staff', c);
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.body).toContain('Homes on Station Approach');
    expect(list.body).toContain('Signed in as Test councillor (councillor)');
    const summary = await get(`/consult/staff/${consultationId}`, c);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('Comments by view and moderation status');
    expect(summary.body).not.toContain('comments.csv');
    expect(summary.body).not.toContain('pat@example.org');
    const queue = await get(`/consult/staff/${consultationId}/comments`, c);
    expect(queue.statusCode).toBe(403);
    expect(queue.body).not.toContain('pat@example.org');
    const post = await moderate(pendingId, 'approve', c, c.csrf);
    expect(post.statusCode).toBe(403);
    expect((await commentOf(pendingId))?.status).toBe('pending');
  });

  it('let planners moderate with the session’s CSRF token, and only with it', async () => {
    const p = staff.planner;
    const queue = await get(`/consult/staff/${consultationId}/comments`, p);
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('pat@example.org');
    expect(queue.body).toContain(`action="/consult/staff/comments/${pendingId}/moderation"`);
    expect(hiddenValue(queue.body, '_csrf')).toBe(p.csrf);
    // No token, a wrong one, another session's: refused, nothing changed.
    for (const csrf of [undefined, 'x'.repeat(p.csrf.length), staff.admin.csrf]) {
      const res = await moderate(pendingId, 'approve', p, csrf);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('This form has expired');
      expect((await commentOf(pendingId))?.status).toBe('pending');
    }
    const ok = await moderate(pendingId, 'approve', p, p.csrf);
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(
      `/consult/staff/${consultationId}/comments?status=pending&done=approved&comment=${pendingId}`,
    );
    const after = await commentOf(pendingId);
    expect(after?.status).toBe('approved');
    expect(after?.moderatedBy).toBe('Test planner');
    const banner = await get(ok.headers.location as string, p);
    expect(banner.body).toContain(`Comment ${pendingId} approved.`);
    expect(banner.body).not.toContain('pat@example.org');
    // The public now sees it.
    expect((await get(`/consult/${consultationId}/comments`)).body).toContain('Too tall.');
    // And a planner can take the decision back.
    expect((await moderate(pendingId, 'reject', p, p.csrf)).statusCode).toBe(303);
    expect((await commentOf(pendingId))?.status).toBe('rejected');
    expect((await moderate(999_999, 'reject', p, p.csrf)).statusCode).toBe(404);
  });

  it('summarise comments by view and by area, link the CSV and map the pinned ones', async () => {
    const nearbyLonLat = ['-0.7317', '52.6733'];
    expect(
      (
        await postComment({
          text: 'Near the site.',
          place: 'map',
          lon: nearbyLonLat[0],
          lat: nearbyLonLat[1],
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (await postComment({ text: 'In the town centre.', place: 'map', lon: '-0.7265', lat: '52.6702' }))
        .statusCode,
    ).toBe(303);
    const comments = await listComments(db, consultationId);
    const page = await get(`/consult/${'staff'}/${consultationId}`, staff.planner);
    expect(page.statusCode).toBe(200);
    const cell = (label: string) =>
      new RegExp(
        `${label}</th>\\s*<td class="govuk-table__cell govuk-table__cell--numeric">(\\d+)</td>`,
      ).exec(page.body)?.[1];
    // On the site: block B's middle, and the point of Station Approach nearest the site's middle (the road
    // crosses the site); nearby: the map pins 10 m and 100 m east of the site; further: the town centre.
    expect(cell('On the site of the proposal')).toBe('2');
    expect(cell('Within 250 metres of the site')).toBe('2');
    expect(cell('Further away')).toBe('1');
    expect(cell('Not pinned to a place')).toBe(String(comments.filter((c) => !c.point).length));
    expect(cell('Asks a question')).toBe(String(comments.filter((c) => c.category === 'question').length));
    expect(page.body).toContain(`href="/api/staff/consultations/${consultationId}/comments.csv"`);
    expect(page.body).toContain(
      `data-comments="/api/staff/consultations/${consultationId}/comments.geojson"`,
    );
    const csv = await get(`/api/staff/consultations/${consultationId}/comments.csv`, staff.planner);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('pat@example.org');
  });

  it('render residents’ text inert', async () => {
    for (const payload of XSS) {
      await submitComment(db, consultationId, { name: payload, category: 'question', text: `Q: ${payload}` });
    }
    const html = (await get(`/consult/staff/${consultationId}/comments`, staff.planner)).body;
    for (const payload of XSS.slice(0, 3)) expect(html).not.toContain(payload);
    expect(html).toContain('Q: &lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<img[^>]+onerror/);
    expect(html).not.toMatch(/<svg/);
    expect(html).toContain('Q: {{ 7*7 }}');
    expect(html).not.toContain('Q: 49');
  });

  it('sign in only through the site’s own form, go only to staff pages after, and sign out', async () => {
    // Without the form's cookie (a page on another site posting here): refused.
    const forged = await app.inject({
      method: 'POST',
      url: '/consult/staff/sign-in',
      headers: FORM,
      payload: form({ token: 'abc', email: 'planner@rutland.gov.uk', password: PASSWORD }),
    });
    expect(forged.statusCode).toBe(403);
    expect(cookiesOf(forged).placetwin_session).toBeUndefined();
    const page = await app.inject({ url: '/consult/staff/sign-in' });
    const token = hiddenValue(page.body, 'token')!;
    const wrong = await app.inject({
      method: 'POST',
      url: '/consult/staff/sign-in',
      headers: { ...FORM, cookie: `placetwin_sign_in=${token}` },
      payload: form({ token, email: 'planner@rutland.gov.uk', password: 'not the password' }),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toMatch(/href="#email">Enter a correct email address and password/);
    expect(cookiesOf(wrong).placetwin_session).toBeUndefined();
    // Elsewhere after sign-in: never (an open redirect); the staff home instead.
    const { res, cookie } = await signIn('planner', 'https://evil.example/');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/consult/staff');
    const set = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('placetwin_session='));
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    const home = await get('/consult/staff', { cookie, csrf: '' });
    expect(home.statusCode).toBe(200);
    const csrf = hiddenValue(home.body, '_csrf')!;
    const out = await app.inject({
      method: 'POST',
      url: '/consult/staff/sign-out',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: csrf }),
    });
    expect(out.statusCode).toBe(303);
    expect((await get('/consult/staff', { cookie, csrf })).statusCode).toBe(303);
    // The other sessions are still signed in.
    expect((await get('/consult/staff', staff.planner)).statusCode).toBe(200);
  });
});

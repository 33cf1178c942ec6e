/**
 * The stories API on real PostGIS through app.inject(): who may do what (each role × each endpoint, with real
 * sessions and CSRF tokens), bad input, stale versions, and the committee report PDF read back by text
 * extraction (pdf.js).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createScenario,
  type Db,
  importFeatures,
  openTestDb,
  type Role,
  type ScenarioRecord,
  type StorySlide,
  setScenarioStatus,
} from '@placetwin/db';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { type StaffHeaders, staffHeaders } from '../../testing/staff-session';

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let draftScenario: ScenarioRecord;
let publishedScenario: ScenarioRecord;
const heads = {} as Record<Role, StaffHeaders>;

type Who = Role | 'public';
const WHO: Who[] = ['public', 'councillor', 'planner', 'admin'];

const slide = (over: Partial<StorySlide> = {}): StorySlide => ({
  title: 'Oakham market place',
  text: 'The buttercross, from the south.',
  camera: { lon: -0.7275, lat: 52.667, heightM: 420, headingDeg: 10, pitchDeg: -35 },
  time: '2026-06-21T11:00:00Z',
  layers: { basemap: true, buildings: { rutland: true } },
  shadows: false,
  colourBy: 'height',
  scenarioId: null,
  compare: false,
  ...over,
});

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-stories-'));
  await importFeatures(
    db,
    {
      name: 'rutland',
      title: 'Rutland buildings',
      source: 'rutland-2022-11.osm.pbf',
      licence: 'ODbL-1.0',
      attribution: '© OpenStreetMap contributors',
      vintage: '2022-11',
      crs: 'EPSG:4326',
    },
    [],
  );
  draftScenario = await createScenario(db, { dataset: 'rutland', name: 'Station quarter, draft' });
  const p = await createScenario(db, { dataset: 'rutland', name: 'Station quarter, option A' });
  publishedScenario = await setScenarioStatus(db, p.id, p.version, 'published');
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: { logN: 10 } },
    councilName: 'Rutland County Council',
  });
  for (const role of ['councillor', 'planner', 'admin'] as const)
    heads[role] = await staffHeaders(app, db, role);
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

function as(
  who: Who,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  { csrf = true } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (who !== 'public') {
    headers.cookie = heads[who].cookie;
    if (csrf) headers['x-csrf-token'] = heads[who]['x-csrf-token'];
  }
  return app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** A story made by a planner (draft), optionally published. */
async function story(title: string, slides: StorySlide[] = [slide()], publish = false) {
  const res = await as('planner', 'POST', '/api/stories', { title, summary: `About ${title}.`, slides });
  expect(res.statusCode).toBe(201);
  let s = res.json();
  if (publish) {
    const p = await as('planner', 'PATCH', `/api/stories/${s.id}`, {
      expectedVersion: s.version,
      status: 'published',
    });
    expect(p.statusCode).toBe(200);
    s = p.json();
  }
  return s as { id: number; version: number; title: string; status: string };
}

async function pdfText(body: Buffer): Promise<{ pages: string[]; images: number }> {
  const doc = await getDocument({ data: new Uint8Array(body), verbosity: 0 }).promise;
  const pages: string[] = [];
  let images = 0;
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    pages.push(
      content.items
        .map((i) => ('str' in i ? i.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
    const ops = await page.getOperatorList();
    images += ops.fnArray.filter((f) => f === OPS.paintImageXObject).length;
  }
  await doc.destroy();
  return { pages, images };
}

describe('authorization matrix', () => {
  it('reads: staff see drafts, the public only published stories (a draft is 404 to them)', async () => {
    const draft = await story('Matrix draft');
    const pub = await story('Matrix published', [slide({ scenarioId: publishedScenario.id })], true);
    for (const who of WHO) {
      const list = await as(who, 'GET', '/api/stories');
      expect(list.statusCode, who).toBe(200);
      const ids = list.json().map((s: { id: number }) => s.id);
      expect(ids, who).toContain(pub.id);
      if (who === 'public') expect(ids, who).not.toContain(draft.id);
      else expect(ids, who).toContain(draft.id);

      expect((await as(who, 'GET', `/api/stories/${pub.id}`)).statusCode, who).toBe(200);
      const d = await as(who, 'GET', `/api/stories/${draft.id}`);
      expect(d.statusCode, who).toBe(who === 'public' ? 404 : 200);
      if (who === 'public') expect(d.body).not.toContain('Matrix draft');

      const pdf = await as(who, 'GET', `/api/stories/${draft.id}/report.pdf`);
      expect(pdf.statusCode, who).toBe(who === 'public' ? 404 : 200);
      expect((await as(who, 'GET', `/api/stories/${pub.id}/report.pdf`)).statusCode, who).toBe(200);
    }
  });

  it('writes: planners and admins only (401 public, 403 councillor), and only with the CSRF token', async () => {
    const expected: Record<Who, number[]> = {
      public: [401, 401, 401],
      councillor: [403, 403, 403],
      planner: [201, 200, 204],
      admin: [201, 200, 204],
    };
    for (const who of WHO) {
      const target = await story(`Write target for ${who}`);
      const create = await as(who, 'POST', '/api/stories', { title: `By ${who}` });
      const patch = await as(who, 'PATCH', `/api/stories/${target.id}`, {
        expectedVersion: target.version,
        title: `Renamed by ${who}`,
      });
      const version = patch.statusCode === 200 ? patch.json().version : target.version;
      const del = await as(who, 'DELETE', `/api/stories/${target.id}?expectedVersion=${version}`);
      expect([create.statusCode, patch.statusCode, del.statusCode], who).toEqual(expected[who]);
      if (who === 'public') expect(create.json().type).toBe(`${PROBLEM_BASE}unauthenticated`);
      if (who === 'councillor') expect(patch.json().type).toBe(`${PROBLEM_BASE}forbidden`);
    }
    // Nothing a refused write asked for happened.
    const titles = (await as('planner', 'GET', '/api/stories')).json().map((s: { title: string }) => s.title);
    expect(titles).not.toContain('By public');
    expect(titles).not.toContain('By councillor');
    expect(titles).toContain('Write target for public');

    for (const who of ['planner', 'admin'] as const) {
      const target = await story(`CSRF target for ${who}`);
      const noToken = [
        await as(who, 'POST', '/api/stories', { title: 'No token' }, { csrf: false }),
        await as(
          who,
          'PATCH',
          `/api/stories/${target.id}`,
          { expectedVersion: 1, title: 'x' },
          { csrf: false },
        ),
        await as(who, 'DELETE', `/api/stories/${target.id}?expectedVersion=1`, undefined, { csrf: false }),
        await as(who, 'POST', `/api/stories/${target.id}/report.pdf`, { images: [] }, { csrf: false }),
      ];
      for (const r of noToken) {
        expect(r.statusCode, who).toBe(403);
        expect(r.json().type).toBe(`${PROBLEM_BASE}csrf-token-invalid`);
      }
      expect((await as(who, 'GET', `/api/stories/${target.id}`)).json().title).toBe(`CSRF target for ${who}`);
    }
  });

  it('the report with rendered images: staff only (councillors too), never the public', async () => {
    const s = await story('Report rights', [slide()], true);
    const expected: Record<Who, number> = { public: 401, councillor: 200, planner: 200, admin: 200 };
    for (const who of WHO) {
      const r = await as(who, 'POST', `/api/stories/${s.id}/report.pdf`, { images: [null] });
      expect(r.statusCode, who).toBe(expected[who]);
    }
  });

  it('publishing a story that shows a draft scenario is refused (409); the public never sees it', async () => {
    const s = await story('Shows a draft', [slide({ scenarioId: draftScenario.id })]);
    const r = await as('planner', 'PATCH', `/api/stories/${s.id}`, {
      expectedVersion: 1,
      status: 'published',
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().detail).toMatch(new RegExp(`publish scenario ${draftScenario.id} first`));
    expect((await as('public', 'GET', `/api/stories/${s.id}`)).statusCode).toBe(404);
  });
});

describe('editing', () => {
  it('reorders, edits and deletes slides as one versioned write; a stale version is 409 with currentVersion', async () => {
    const s = await story('Three slides', [
      slide({ title: 'A' }),
      slide({ title: 'B' }),
      slide({ title: 'C' }),
    ]);
    const got = (await as('councillor', 'GET', `/api/stories/${s.id}`)).json();
    const [a, b, c] = got.slides;
    const edited = await as('planner', 'PATCH', `/api/stories/${s.id}`, {
      expectedVersion: 1,
      slides: [c, { ...a, text: 'Edited caption' }],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().version).toBe(2);
    expect(edited.json().slides.map((x: StorySlide) => [x.title, x.text])).toEqual([
      ['C', c.text],
      ['A', 'Edited caption'],
    ]);
    expect(b.title).toBe('B');

    const stale = await as('admin', 'PATCH', `/api/stories/${s.id}`, {
      expectedVersion: 1,
      title: 'Lost edit',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: `${PROBLEM_BASE}version-conflict`, currentVersion: 2 });
    const staleDelete = await as('admin', 'DELETE', `/api/stories/${s.id}?expectedVersion=1`);
    expect(staleDelete.statusCode).toBe(409);
    expect((await as('planner', 'GET', `/api/stories/${s.id}`)).json()).toMatchObject({
      title: 'Three slides',
      version: 2,
    });
  });

  it('bad input is a 400 problem naming the field, and nothing is stored', async () => {
    const before = (await as('planner', 'GET', '/api/stories')).json().length;
    const bad: [unknown, RegExp][] = [
      [{}, /title/],
      [{ title: '' }, /title/],
      [{ title: 'x'.repeat(151) }, /title/],
      [
        { title: 'Bad camera', slides: [{ ...slide(), camera: { ...slide().camera, lat: 95 } }] },
        /slides\.0\.camera\.lat/,
      ],
      [{ title: 'Bad time', slides: [{ ...slide(), time: 'teatime' }] }, /slides\.0\.time/],
      [
        {
          title: 'No camera',
          slides: [{ title: 'x', text: '', time: slide().time, layers: slide().layers }],
        },
        /camera/,
      ],
      [{ title: 'Unknown scenario', slides: [slide({ scenarioId: 987_654 })] }, /slides\[0\]\.scenarioId/],
      [{ title: 'Compare nothing', slides: [slide({ compare: true })] }, /slides\[0\]\.compare/],
      [{ title: 'Too many', slides: Array(51).fill(slide()) }, /slides/],
    ];
    for (const [payload, field] of bad) {
      const r = await as('planner', 'POST', '/api/stories', payload);
      expect(r.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.json().detail).toMatch(field);
    }
    expect((await as('planner', 'GET', '/api/stories')).json().length).toBe(before);
    // Fields the schema does not know are dropped (Fastify's removeAdditional), never stored.
    const extra = await as('planner', 'POST', '/api/stories', {
      title: 'Extra field',
      slides: [{ ...slide(), script: '<script>alert(1)</script>' }],
    });
    expect(extra.statusCode).toBe(201);
    expect(extra.json().slides[0]).toEqual(slide());

    expect((await as('planner', 'GET', '/api/stories/0')).statusCode).toBe(400);
    expect((await as('planner', 'GET', '/api/stories/999999')).statusCode).toBe(404);
    const s = await story('Patch target');
    const noVersion = await as('planner', 'PATCH', `/api/stories/${s.id}`, { title: 'x' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().detail).toMatch(/expectedVersion/);
    expect(
      (await as('planner', 'PATCH', `/api/stories/${s.id}`, { expectedVersion: 1, status: 'open' }))
        .statusCode,
    ).toBe(400);
    expect((await as('planner', 'DELETE', `/api/stories/${s.id}`)).statusCode).toBe(400);
  });
});

describe('committee report PDF', () => {
  it('has a title page, one page per slide with its title, image and indicators, and the sources', async () => {
    const s = await story('Station quarter for committee', [
      slide({ title: 'Where the site is', text: 'Oakham station and the yard beside it.' }),
      slide({ title: 'Option A in 3D', scenarioId: publishedScenario.id, compare: true }),
      slide({ title: 'Winter shadows at noon', time: '2026-12-21T12:00:00Z', shadows: true }),
    ]);
    const png = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#1d70b8' } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#00703c' } })
      .jpeg()
      .toBuffer();
    const res = await as('planner', 'POST', `/api/stories/${s.id}/report.pdf`, {
      images: [
        `data:image/png;base64,${png.toString('base64')}`,
        `data:image/jpeg;base64,${jpeg.toString('base64')}`,
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`story-${s.id}-report.pdf`);
    const { pages, images } = await pdfText(res.rawPayload);
    expect(pages).toHaveLength(1 + 3 + 1);
    expect(pages[0]).toContain('Station quarter for committee');
    expect(pages[0]).toContain('About Station quarter for committee.');
    expect(pages[1]).toContain('1. Where the site is');
    expect(pages[1]).toContain('Oakham station and the yard beside it.');
    expect(pages[2]).toContain('2. Option A in 3D');
    expect(pages[2]).toContain('Station quarter, option A');
    expect(pages[2]).toMatch(/Homes \(estimated\)/);
    expect(pages[2]).toMatch(/Floor area/);
    expect(pages[1]).not.toMatch(/Homes \(estimated\)/);
    // The development's carbon, as the API gives it, on the scenario's slide only.
    const carbon = (await as('planner', 'GET', `/api/scenarios/${publishedScenario.id}/carbon`)).json();
    const flat = pages[2].replace(/\s+/g, ' ');
    expect(flat).toContain('Carbon of the development');
    expect(flat).toContain(`${Math.round(carbon.embodied.value).toLocaleString('en-GB')} tCO2e embodied`);
    expect(pages[1]).not.toContain('Carbon of the development');
    expect(pages[4]).toContain('Behind the carbon figures');
    expect(pages[3]).toContain('3. Winter shadows at noon');
    expect(pages[3]).toContain('21 December 2026 at 12:00');
    expect(pages[3]).toContain('No image was rendered for this slide.');
    expect(images).toBe(2);
    expect(pages[4]).toContain('Data sources and attributions');
    expect(pages[4]).toContain('© OpenStreetMap contributors');
    expect(pages[4]).toContain('ODbL');
    expect(pages.join(' ')).toContain('Rutland County Council');
  });

  it('prints each of two scenarios with its own indicators and carbon (the area stock read once for both)', async () => {
    const s = await story('Two options for committee', [
      slide({ title: 'Option A', scenarioId: publishedScenario.id, compare: true }),
      slide({ title: 'The draft option', scenarioId: draftScenario.id }),
    ]);
    const res = await as('planner', 'GET', `/api/stories/${s.id}/report.pdf`);
    expect(res.statusCode).toBe(200);
    const { pages } = await pdfText(res.rawPayload);
    expect(pages).toHaveLength(1 + 2 + 1);
    expect(pages[1]).toContain('Baseline compared with "Station quarter, option A"');
    expect(pages[2]).toContain('Scenario "Station quarter, draft"');
    for (const [page, scenario] of [
      [pages[1], publishedScenario],
      [pages[2], draftScenario],
    ] as const) {
      const carbon = (await as('planner', 'GET', `/api/scenarios/${scenario.id}/carbon`)).json();
      expect(page).toMatch(/Homes \(estimated\)/);
      expect(page).toContain(`${Math.round(carbon.embodied.value).toLocaleString('en-GB')} tCO2e embodied`);
      expect(page).toMatch(
        /from its buildings in use \(heating [+-][\d,]+ tCO2e, electricity [+-][\d,]+ tCO2e\)/,
      );
    }
    expect(pages[3]).toMatch(/Heating: .*boiler|Heating: no heating fuel/);
  });

  it('refuses images that are not what they claim, or more images than slides', async () => {
    const s = await story('Image checks', [slide()]);
    const notPng = `data:image/png;base64,${Buffer.from('GIF89a not a png').toString('base64')}`;
    const r = await as('planner', 'POST', `/api/stories/${s.id}/report.pdf`, { images: [notPng] });
    expect(r.statusCode).toBe(400);
    expect(r.json().detail).toMatch(/images\[0\] is not a PNG/);
    const html = await as('planner', 'POST', `/api/stories/${s.id}/report.pdf`, {
      images: ['data:text/html;base64,PHNjcmlwdD4='],
    });
    expect(html.statusCode).toBe(400);
    const many = await as('planner', 'POST', `/api/stories/${s.id}/report.pdf`, { images: [null, null] });
    expect(many.statusCode).toBe(400);
    expect(many.json().detail).toMatch(/2 images for 1 slides/);
  });
});

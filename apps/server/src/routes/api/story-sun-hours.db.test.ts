/**
 * A story slide that carries a sun-hours request, on real PostGIS with Rutland's OpenStreetMap buildings: the
 * request is checked when the story is saved (400 naming the slide, nothing stored; 409 on a stale version), and
 * the committee report prints the result of the same request as `POST /api/solar/sun-hours` gives it (read back
 * from the PDF with pdf.js), while a slide without one prints no sun-hours section.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOstn15 } from '@placetwin/cli';
import { buildingsInBbox, type Db, openTestDb, type StorySlide } from '@placetwin/db';
import { transformer } from '@placetwin/geo';
import type { FastifyInstance } from 'fastify';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataDir } from '../../../../../test/support/paths';
import { rutlandImported } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { type StaffHeaders, staffHeaders } from '../../testing/staff-session';

const toWgs = transformer('EPSG:27700', 'EPSG:4326');
const toBng = transformer('EPSG:4326', 'EPSG:27700');

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let planner: StaffHeaders;

/** A BNG rectangle as the WGS84 GeoJSON Polygon a client sends. */
const bngRect = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ].map(([e, n]) => toWgs(e, n)),
  ],
});

/** Garden 20 × 20 m; a block 160 m wide, 12 m deep, 2 m south of it (as in the solar API test). */
const layout = (x: number, y: number) => ({
  garden: [x, y, x + 20, y + 20] as const,
  block: [x - 70, y - 14, x + 90, y - 2] as const,
});

/** Open ground near Oakham's centre: no real building within 5 m of the garden or the block. */
async function openGround(): Promise<[number, number]> {
  const [cx, cy] = toBng(-0.7262, 52.6697);
  for (let ring = 0; ring < 40; ring++)
    for (let i = -ring; i <= ring; i++)
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        const x = cx + i * 25;
        const y = cy + j * 25;
        const { block } = layout(x, y);
        const [w, s] = toWgs(block[0] - 5, block[1] - 5);
        const [e, n] = toWgs(block[2] + 5, y + 25);
        if ((await buildingsInBbox(db, [w, s, e, n], { dataset: 'rutland', limit: 1 })).length === 0)
          return [x, y];
      }
  throw new Error('no open ground found near Oakham');
}

const slide = (over: Partial<StorySlide> = {}): StorySlide => ({
  title: 'Oakham market place',
  text: 'The buttercross, from the south.',
  camera: { lon: -0.7275, lat: 52.667, heightM: 420, headingDeg: 10, pitchDeg: -35 },
  time: '2026-03-21T12:00:00Z',
  layers: { basemap: true, buildings: { rutland: true } },
  shadows: true,
  colourBy: 'height',
  scenarioId: null,
  compare: false,
  ...over,
});

let scenarioId: number;
let garden: ReturnType<typeof bngRect>;

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandImported));
  root = await mkdtemp(join(tmpdir(), 'placetwin-story-sun-'));
  await loadOstn15(sampleDataDir);
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: { logN: 10 } },
    councilName: 'Rutland County Council',
  });
  planner = await staffHeaders(app, db, 'planner');
  const [x, y] = await openGround();
  const l = layout(x, y);
  garden = bngRect(...l.garden);
  const created = await app.inject({
    method: 'POST',
    url: '/api/scenarios',
    headers: planner,
    payload: { dataset: 'rutland', name: 'Tall block south of the gardens', site: null },
  });
  expect(created.statusCode).toBe(201);
  const added = await app.inject({
    method: 'POST',
    url: `/api/scenarios/${created.json().id}/changes`,
    headers: planner,
    payload: {
      expectedVersion: created.json().version,
      changes: [
        { op: 'add', id: 'new/tall-block', footprint: bngRect(...l.block), use: 'residential', heightM: 40 },
      ],
    },
  });
  expect(added.statusCode).toBe(200);
  scenarioId = created.json().id;
}, 300_000);

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const sunRequest = (over: Record<string, unknown> = {}) => ({
  dataset: 'rutland',
  area: garden,
  date: '2025-03-21',
  cellSizeM: 1,
  stepMinutes: 10,
  areaName: 'garden',
  ...over,
});

const send = (method: 'POST' | 'PATCH', url: string, payload: unknown) =>
  app.inject({ method, url, headers: planner, payload: payload as object });

async function pdfPages(body: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(body), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((i) => ('str' in i ? i.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await doc.destroy();
  return pages;
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

describe("a slide's sun-hours request", () => {
  it('is kept with the slide as sent, and refused (400 naming the slide, nothing stored) when bad', async () => {
    const good = await send('POST', '/api/stories', {
      title: 'Gardens',
      slides: [slide({ scenarioId, sunHours: sunRequest({ scenario: scenarioId }) })],
    });
    expect(good.statusCode).toBe(201);
    expect(good.json().slides[0].sunHours).toEqual(sunRequest({ scenario: scenarioId }));

    const before = (await app.inject({ url: '/api/stories', headers: planner })).json().length;
    const paris = bngRect(0, 0, 1, 1);
    paris.coordinates[0] = [
      [2.35, 48.85],
      [2.351, 48.85],
      [2.351, 48.851],
      [2.35, 48.85],
    ];
    const open = sunRequest();
    open.area = { type: 'Polygon', coordinates: [garden.coordinates[0].slice(0, 4).concat([[-0.7, 52.6]])] };
    const bad: [unknown, RegExp][] = [
      // Its scenario must be the slide's (the public sees a story only when the slide's scenario is published).
      [slide({ sunHours: sunRequest({ scenario: scenarioId }) }), /slides\[0\]\.sunHours\.scenario/],
      [slide({ sunHours: sunRequest({ area: paris }) }), /slides\[0\]\.sunHours: .*Great Britain/],
      [slide({ sunHours: open }), /slides\[0\]\.sunHours: .*not closed/],
      [slide({ sunHours: sunRequest({ cellSizeM: 50 }) }), /sunHours\/cellSizeM|sunHours\.cellSizeM/],
      [slide({ sunHours: sunRequest({ date: '21/03/2025' }) }), /sunHours\/date|sunHours\.date/],
      [
        { ...slide(), sunHours: { ...sunRequest(), area: { type: 'Point', coordinates: [0, 52] } } },
        /sunHours/,
      ],
      [slide({ sunHours: sunRequest({ date: '2025-02-30' }) }), /slides\[0\]\.sunHours: .*date/],
    ];
    for (const [s, detail] of bad) {
      const r = await send('POST', '/api/stories', { title: 'Bad sun', slides: [s] });
      expect(r.statusCode, JSON.stringify(s).slice(0, 120)).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.json().detail).toMatch(detail);
    }
    expect((await app.inject({ url: '/api/stories', headers: planner })).json().length).toBe(before);

    // The same checks on an edit, and an edit on a stale version is 409 as for any other field.
    const id = good.json().id;
    const badEdit = await send('PATCH', `/api/stories/${id}`, {
      expectedVersion: 1,
      slides: [slide({ sunHours: sunRequest({ area: paris }) })],
    });
    expect(badEdit.statusCode).toBe(400);
    expect(badEdit.json().detail).toMatch(/slides\[0\]\.sunHours/);
    const edited = await send('PATCH', `/api/stories/${id}`, {
      expectedVersion: 1,
      slides: [slide({ sunHours: sunRequest({ date: '2025-06-21' }) })],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().version).toBe(2);
    const stale = await send('PATCH', `/api/stories/${id}`, {
      expectedVersion: 1,
      slides: [slide({ sunHours: sunRequest() })],
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: `${PROBLEM_BASE}version-conflict`, currentVersion: 2 });
    const now = (await app.inject({ url: `/api/stories/${id}`, headers: planner })).json();
    expect(now.version).toBe(2);
    expect(now.slides[0].sunHours.date).toBe('2025-06-21');
  });
});

describe('the committee report with sun-hours', () => {
  it("prints each slide's result as the sun-hours API gives it, and nothing on a slide without one", async () => {
    const withBlock = sunRequest({ scenario: scenarioId });
    const midsummer = sunRequest({ date: '2025-06-21' });
    const s = await send('POST', '/api/stories', {
      title: 'Gardens and the block',
      slides: [
        slide({ title: 'The gardens with the block', scenarioId, sunHours: withBlock }),
        slide({ title: 'The town centre' }),
        slide({ title: 'The garden at midsummer', sunHours: midsummer }),
      ],
    });
    expect(s.statusCode).toBe(201);

    // The same requests through the sun-hours API: the figures the report must print.
    const api = async (body: unknown) => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/solar/sun-hours',
        headers: { ...planner, prefer: 'wait=60' },
        payload: body as object,
      });
      expect(r.statusCode).toBe(200);
      return r.json().result;
    };
    const pair = await api(withBlock);
    const c = pair.comparison;
    const summer = await api(midsummer);
    expect(c.bre209).not.toBeNull();
    expect(summer.bre209).toBeNull(); // BRE 209's test is for 21 March

    const res = await app.inject({ url: `/api/stories/${s.json().id}/report.pdf`, headers: planner });
    expect(res.statusCode).toBe(200);
    const pages = await pdfPages(res.rawPayload);
    expect(pages).toHaveLength(1 + 3 + 1);

    const block = pages[1];
    expect(block).toContain('Sun on the garden (BRE 209)');
    expect(block).toContain('Day: 21 March 2025');
    expect(block).toContain('Threshold: at least 2 hours of direct sun');
    expect(block).toContain(
      `Area with at least 2 hours: ${pct(c.shareBefore)} before, ${pct(c.shareAfter)} after`,
    );
    expect(block).toContain(`Sunlit area after ÷ before: ${c.ratio.toFixed(2)} (BRE 209: at least 0.80)`);
    expect(block).toContain(`BRE 209: ${c.bre209.meetsGuidance ? 'PASS' : 'FAIL'}.`);
    // A 40 m block 2 m south of a 20 m garden: independently of the figures, it must fail.
    expect(c.bre209.meetsGuidance).toBe(false);
    expect(block).toContain('Method: hours of direct sun counted on a grid');
    expect(block).toContain(`${Math.round(c.areaM2After).toLocaleString('en-GB')} m² of open ground`);

    const plain = pages[2];
    expect(plain).toContain('2. The town centre');
    expect(plain).not.toContain('BRE 209');
    expect(plain).not.toContain('Sun on the');
    expect(plain).not.toContain('Method: hours of direct sun');

    const summerPage = pages[3];
    expect(summerPage).toContain('Day: 21 June 2025');
    expect(summerPage).toContain(
      `Area with at least 2 hours: ${pct(summer.summary.shareAtLeast2h)} (the city as it is`,
    );
    expect(summerPage).toContain('BRE 209: not assessed');
    expect(summerPage).not.toContain('after ÷ before');
  }, 300_000);
});

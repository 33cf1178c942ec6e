/**
 * Each council's branding on the public consultation site, through app.inject(): Rutland (the install's home area)
 * and Leeds side by side on one install, and Caerphilly, a Welsh council declaring Welsh and English. Each area is
 * added as `placetwin area add` adds it, with its real boundary and names (English `lad17nm`, Welsh `lad17nmw`)
 * from the ONS Local Authority Districts (December 2017) file in ../shared/data/boundaries (OGL v3).
 *
 * The colours, logos and privacy contacts are constructed settings (not the councils' own), as a council admin
 * would type them. No building data is needed for the header and the privacy notice, and the sample data has none
 * for Leeds or Caerphilly: each area gets an empty dataset row and a published scenario on it, constructed here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAreaFromArgs, parseAreaArgs } from '@placetwin/cli';
import { CATALOGUES, contrastRatio, type MessageKey } from '@placetwin/consult';
import { createConsultation, createUser, type Db, openConsultation, openTestDb } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';

const BOUNDARIES = sample('boundaries/local-authority-districts-2017-uk.geojson');
const RUTLAND = {
  primaryColour: '#1d4f91',
  secondaryColour: '#f3b229',
  logoUrl: '/consult/assets/app/favicon.svg',
  privacyContact: 'dpo@rutland.example',
};
const LEEDS = {
  primaryColour: '#ffd530',
  // A logo on another host: the public site fetches nothing from elsewhere, so it is not shown.
  logoUrl: 'https://www.leeds.example/logo.svg',
  privacyContact: 'Data Protection Officer, Leeds City Council, Civic Hall, Leeds LS1 1UR',
};

const CAERPHILLY_ADMIN = { email: 'admin@caerphilly.example', password: 'correct horse battery' };

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
const consultationOf: Record<string, number> = {};

/** An empty dataset and a published scenario in the area, and an open consultation on it (see the file comment). */
async function consultationIn(areaId: string, title: string): Promise<number> {
  const scenario = (
    await db.query<{ id: number }>(
      `WITH d AS (INSERT INTO datasets (name, title, source, licence, attribution, crs, area_id)
         VALUES ($1, $1, 'constructed', 'none', 'none', 'EPSG:4326', $2) RETURNING id)
       INSERT INTO scenarios (dataset_id, name, status, area_id, published_at)
       SELECT id, 'Proposal', 'published', $2, now() FROM d RETURNING id`,
      [`town-${areaId}`, areaId],
    )
  ).rows[0].id;
  const c = await createConsultation(db, {
    title,
    summary: 'A proposal to comment on.',
    scenarioId: scenario,
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: '2030-06-30T22:59:00Z',
  });
  return (await openConsultation(db, c.id)).id;
}

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-consult-branding-'));
  await addAreaFromArgs(db, parseAreaArgs({ id: 'default', lad17cd: 'E06000017', ...RUTLAND }), BOUNDARIES);
  await addAreaFromArgs(db, parseAreaArgs({ id: 'leeds', lad17cd: 'E08000035', ...LEEDS }), BOUNDARIES);
  await addAreaFromArgs(
    db,
    parseAreaArgs({ id: 'caerphilly', lad17cd: 'W06000018', languages: 'cy,en' }),
    BOUNDARIES,
  );
  consultationOf.default = await consultationIn('default', 'Homes in Oakham');
  consultationOf.leeds = await consultationIn('leeds', 'A cycle route in Leeds');
  consultationOf.caerphilly = await consultationIn('caerphilly', 'A new library');
  await createUser(
    db,
    { ...CAERPHILLY_ADMIN, displayName: 'Ceri Admin', role: 'admin', areaId: 'caerphilly' },
    { logN: 10 },
  );
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: { logN: 10 } },
    commentRateLimit: { max: 10_000, timeWindowMs: 60_000 },
  });
  await app.ready();
}, 300_000);

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const page = async (url: string) => {
  const res = await app.inject({ url });
  expect(res.statusCode, url).toBe(200);
  return res.body;
};
const header = (html: string) => /<div class="govuk-generic-header[^"]*"[\s\S]*?<\/a>/.exec(html)?.[0] ?? '';
const brandCssHref = (html: string) =>
  /<link rel="stylesheet" href="(\/consult\/assets\/css\/brand-[^"]+)">/.exec(html)?.[1] ?? null;
/** The custom properties of an area's stylesheet, by name. */
async function brandColours(html: string): Promise<Record<string, string>> {
  const href = brandCssHref(html);
  expect(href).not.toBeNull();
  const res = await app.inject({ url: href! });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/css/);
  return Object.fromEntries(
    [...res.body.matchAll(/(--app-brand-[a-z-]+):\s*(#[0-9a-f]{6})/g)].map((m) => [m[1], m[2]]),
  );
}

describe("each council's branding on its own consultation pages", () => {
  it("shows Rutland's name, logo and colours on Rutland's pages", async () => {
    for (const url of ['/consult', `/consult/${consultationOf.default}`]) {
      const html = await page(url);
      const h = header(html);
      expect(h, url).toContain('app-brand-header');
      expect(h).toContain('Rutland');
      expect(h).not.toContain('Leeds');
      expect(h).toContain(`<img class="app-brand-logo" src="${RUTLAND.logoUrl}" alt="">`);
      const colours = await brandColours(html);
      expect(colours['--app-brand-primary']).toBe(RUTLAND.primaryColour);
      expect(colours['--app-brand-secondary']).toBe(RUTLAND.secondaryColour);
      // Dark blue: white text, and at least WCAG AA's 4.5:1.
      expect(colours['--app-brand-on-primary']).toBe('#ffffff');
      expect(
        contrastRatio(colours['--app-brand-primary'], colours['--app-brand-on-primary']),
      ).toBeGreaterThanOrEqual(4.5);
    }
    // The logo the header shows is served by this site.
    expect((await app.inject({ url: RUTLAND.logoUrl })).statusCode).toBe(200);
  });

  it("shows Leeds's name and colours on Leeds's pages, and no logo from another host", async () => {
    for (const url of [
      '/consult?council=leeds',
      '/consult?council=E08000035',
      `/consult/${consultationOf.leeds}`,
    ]) {
      const html = await page(url);
      const h = header(html);
      expect(h, url).toContain('Leeds');
      expect(h).not.toContain('Rutland');
      expect(h).not.toContain('<img');
      expect(html).not.toContain('leeds.example');
      const colours = await brandColours(html);
      expect(colours['--app-brand-primary']).toBe(LEEDS.primaryColour);
      expect(colours['--app-brand-secondary']).toBeUndefined();
      // Yellow: black text.
      expect(colours['--app-brand-on-primary']).toBe('#000000');
      expect(
        contrastRatio(colours['--app-brand-primary'], colours['--app-brand-on-primary']),
      ).toBeGreaterThanOrEqual(4.5);
    }
    // Leeds's list shows its own consultation only.
    const list = await page('/consult?council=leeds');
    expect(list).toContain('A cycle route in Leeds');
    expect(list).not.toContain('Homes in Oakham');
  });

  it("gives each area's privacy contact in the privacy notice of its comment form", async () => {
    const rutland = await page(`/consult/${consultationOf.default}/comment`);
    expect(rutland).toContain(`<span class="app-privacy-contact">${RUTLAND.privacyContact}</span>`);
    expect(rutland).not.toContain('Civic Hall');
    const leeds = await page(`/consult/${consultationOf.leeds}/comment`);
    expect(leeds).toContain('To ask about your personal data, contact:');
    expect(leeds).toContain(`<span class="app-privacy-contact">${LEEDS.privacyContact}</span>`);
    expect(leeds).not.toContain(RUTLAND.privacyContact);
    // An area without a contact shows no empty sentence.
    const caerphilly = await page(`/consult/${consultationOf.caerphilly}/comment?lang=en`);
    expect(caerphilly).not.toContain('data-privacy-contact');
  });

  it('names a Welsh council in Welsh on its Welsh pages (lad17nmw) and in English on its English ones', async () => {
    const cy = await page(`/consult/${consultationOf.caerphilly}`);
    expect(cy).toMatch(/<html lang="cy"/);
    expect(header(cy)).toContain('Caerffili');
    expect(header(cy)).not.toContain('Caerphilly');
    const en = await page(`/consult/${consultationOf.caerphilly}?lang=en`);
    expect(header(en)).toContain('Caerphilly');
    expect(header(en)).not.toContain('Caerffili');
    // An area without colours links no stylesheet of its own and keeps GOV.UK's header.
    expect(brandCssHref(en)).toBeNull();
  });

  it("serves an area's stylesheet only under its current name", async () => {
    const href = brandCssHref(await page('/consult?council=leeds'))!;
    expect(
      (await app.inject({ url: href.replace(/-[0-9a-f]{12}\.css$/, '-000000000000.css') })).statusCode,
    ).toBe(404);
    expect((await app.inject({ url: '/consult/assets/css/brand-nowhere-000000000000.css' })).statusCode).toBe(
      404,
    );
  });

  it('finds an area by its ONS district code as well as its id', async () => {
    const res = await app.inject({ url: '/api/area?council=E08000035' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'leeds', name: 'Leeds', lad17cd: 'E08000035' });
    expect((await app.inject({ url: '/api/area?council=E09999999' })).statusCode).toBe(404);
  });
});

describe('the staff Area settings page in Welsh', () => {
  it('is in Welsh with ?lang=cy for an area that declares Welsh, from the catalogues, and in English without', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: CAERPHILLY_ADMIN });
    expect(login.statusCode).toBe(200);
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('placetwin_session='))!
      .split(';')[0];
    const get = async (url: string) => {
      const res = await app.inject({ url, headers: { cookie } });
      expect(res.statusCode, url).toBe(200);
      return res.body;
    };
    const staffKeys = (Object.keys(CATALOGUES.en) as MessageKey[]).filter((k) => k.startsWith('staffArea.'));
    const cy = await get('/staff/area?lang=cy');
    expect(cy).toMatch(/<html lang="cy"/);
    expect(cy).toContain('Gosodiadau’r ardal: Caerffili');
    expect(cy).toContain(CATALOGUES.cy['staffArea.save']);
    // No English label, hint or heading of the page is left (the placeholders' words aside).
    for (const key of staffKeys) {
      const english = CATALOGUES.en[key]
        .replace(/\{[a-z]+\}/g, '')
        .replace(/[:–]/g, '')
        .trim();
      if (english.length > 3 && !/Placetwin/.test(english)) expect(cy, key).not.toContain(english);
    }
    const en = await get('/staff/area');
    expect(en).toMatch(/<html lang="en"/);
    expect(en).toContain('Area settings: Caerphilly');
    expect(en).toContain('Save settings');
  });
});

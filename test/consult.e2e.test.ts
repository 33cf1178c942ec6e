/**
 * The public consultation site in real Chromium: every page checked with axe-core (0 serious or critical WCAG 2.2
 * AA violations), under the site's strict Content Security Policy (no violations, nothing fetched from anywhere
 * but the server), a comment sent and pinned on the map with the keyboard alone, and the staff pages (sign-in,
 * list, summary with the map of pinned comments, moderation) used with the keyboard; no cookie set for the public;
 * an admin's Personal data page (find, export, erase). Screenshots in test-artifacts/.
 *
 * The server runs in this process on a real port (buildApp + listen) over the embedded PostGIS, so the test can
 * set up staff, a published scenario and an open consultation directly; the real Rutland extract is the baseline
 * (../shared/data/rutland, © OpenStreetMap contributors, ODbL). It needs no viewer build.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addArea,
  appendChanges,
  createConsultation,
  createScenario,
  createUser,
  type Db,
  importFeatures,
  listComments,
  moderateComment,
  openConsultation,
  openDb,
  setAreaLanguages,
  setConsultationWelsh,
  setScenarioStatus,
  submitComment,
  updateArea,
} from '@placetwin/db';
import { importerFor } from '@placetwin/importers';
import { type Change, type FootprintGeoJson, localFrame } from '@placetwin/scenario';
import { buildApp } from '@placetwin/server';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { repoRoot, sample } from './support/paths';
import { freePort } from './support/placetwin-server';

const require = createRequire(import.meta.url);
const artifacts = join(repoRoot, 'test-artifacts');
const PLANNER = { email: 'planner@rutland.gov.uk', password: 'correct horse battery' };
const ADMIN = { email: 'dpo@rutland.gov.uk', password: 'another horse battery' };
const HASHING = { logN: 10 };
const WELSH_TITLE = 'Cartrefi ar Ddynesfa’r Orsaf, Oakham';
/** Branding as a council admin would set it (constructed colours, not the councils' own); the logo is on this site. */
const RUTLAND_BRAND = {
  name: 'Rutland County Council',
  colours: { primary: '#1d4f91', secondary: '#f3b229' },
  logoUrl: '/consult/assets/app/favicon.svg',
  privacyContact: 'dpo@rutland.example',
};
const LEEDS_BRAND = { id: 'leeds', name: 'Leeds City Council', colours: { primary: '#ffd530' } };
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

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
  { op: 'demolish', id: 'rutland:w178280261' },
  {
    op: 'add',
    id: 'new/block-b',
    footprint: rectangle(-0.73342, 52.67322, 14, 40),
    use: 'residential',
    storeys: 4,
  },
];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let root: string;
let db: Db;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let context: BrowserContext;
let consultationId: number;
let axeSource: string;
const requests: string[] = [];
const cspViolations: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'placetwin-consult-e2e-'));
  db = await openDb({ dataDir: join(root, 'db') });
  const file = 'rutland-2022-11.osm.pbf';
  const bytes = new Uint8Array(await readFile(sample('rutland', file)));
  await importFeatures(
    db,
    {
      name: 'rutland',
      title: 'Rutland',
      source: file,
      licence: 'ODbL-1.0',
      attribution: '© OpenStreetMap contributors',
      vintage: '2022-11',
      crs: 'EPSG:4326',
    },
    importerFor(bytes, file).parse(bytes, { fileName: file, skipInvalid: true }),
  );
  const s = await createScenario(db, {
    dataset: 'rutland',
    name: 'Station Approach',
    description: 'Scheme A, as submitted.',
    site: rectangle(-0.7342, 52.6729, 70, 90),
  });
  const edited = await appendChanges(db, s.id, 1, CHANGES);
  await setScenarioStatus(db, s.id, edited.scenario.version, 'published');
  const c = await createConsultation(db, {
    title: 'Homes on Station Approach, Oakham',
    summary:
      'We propose a four-storey block of about 40 flats on the builders’ yard by the station.\n\n' +
      'The builders’ merchant would move to the industrial estate.',
    scenarioId: s.id,
    opensAt: new Date(Date.now() - 86_400_000).toISOString(),
    closesAt: new Date(Date.now() + 28 * 86_400_000).toISOString(),
  });
  consultationId = (await openConsultation(db, c.id)).id;
  // Rutland declares English only; here its area declares Welsh too (as a Welsh council's would), with the
  // planner's Welsh title and summary.
  await setAreaLanguages(db, 'default', ['en', 'cy']);
  await setConsultationWelsh(db, consultationId, {
    titleCy: WELSH_TITLE,
    summaryCy: 'Rydym yn cynnig bloc pedwar llawr o tua 40 o fflatiau ar iard yr adeiladwyr wrth yr orsaf.',
  });
  const approved = await submitComment(db, consultationId, {
    name: '<script>alert("xss")</script>',
    category: 'question',
    text: 'Where will residents park?\n\n<img src=x onerror=alert(1)>',
  });
  await moderateComment(db, approved.id, 'approve', null);
  // Every page below is checked in Rutland's colours; Leeds, a second council, has its own.
  await updateArea(db, 'default', RUTLAND_BRAND);
  await addArea(db, LEEDS_BRAND);
  await createUser(db, { ...PLANNER, displayName: 'Pat Planner', role: 'planner' }, HASHING);
  await createUser(db, { ...ADMIN, displayName: 'Dee Admin', role: 'admin' }, HASHING);
  await mkdir(artifacts, { recursive: true });

  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    secureCookies: false,
    auth: { passwordHashing: HASHING },
  });
  const port = await freePort();
  await app.listen({ port, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${port}`;

  axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  browser = await launchChromium();
  context = await watchedContext();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await db?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

/** axe-core (its source evaluated in the page, which the CSP does not govern) over the whole page. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Presses Tab until the focused element matches `selector` (keyboard only: no clicks anywhere). */
async function tabTo(page: Page, selector: string, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** As tabTo, backwards (Shift+Tab). */
async function shiftTabTo(page: Page, selector: string, maxPresses = 30): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('Shift+Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`Shift+Tab never reached ${selector}`);
}

const pinInputs = (page: Page) =>
  page.evaluate(() => ({
    lon: (document.getElementById('lon') as HTMLInputElement).value,
    lat: (document.getElementById('lat') as HTMLInputElement).value,
    place: (document.getElementById('place') as HTMLSelectElement).value,
  }));

/** The map has drawn: Leaflet's container and at least one loaded basemap tile. */
async function mapDrawn(page: Page): Promise<void> {
  await page.locator('.leaflet-container').first().waitFor();
  await expect
    .poll(() => page.locator('img.leaflet-tile-loaded').count(), { timeout: 120_000 })
    .toBeGreaterThan(0);
}

/**
 * A browser profile (no cookies from any other), watched: its requests and any Content Security Policy violation
 * are collected. The first page compiles the stylesheet (seconds on a busy machine): be patient with loads.
 */
async function watchedContext(): Promise<BrowserContext> {
  const c = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  c.setDefaultTimeout(120_000);
  c.setDefaultNavigationTimeout(120_000);
  c.on('request', (r) => {
    requests.push(r.url());
  });
  c.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return c;
}

/** A browser profile of its own (watchedContext) and a page in it, the page's errors collected. */
async function openVisitor(): Promise<{ visitor: BrowserContext; page: Page }> {
  const visitor = await watchedContext();
  const page = await visitor.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return { visitor, page };
}

/** Presses Enter on what has the focus and waits for the page it leads to (a link followed, a form sent). */
async function enterTo(page: Page, url: string): Promise<void> {
  await Promise.all([page.waitForURL(url), page.keyboard.press('Enter')]);
}

/** Clicks `selector` and waits for the page it leads to. */
async function clickTo(page: Page, selector: string, url: string): Promise<void> {
  await Promise.all([page.waitForURL(url), page.locator(selector).click()]);
}

/** Follows a link or presses a button with the keyboard alone: Tab to `selector`, Enter, wait for `url`. */
async function followWithKeyboard(page: Page, selector: string, url: string): Promise<void> {
  await tabTo(page, selector);
  await enterTo(page, url);
}

/** Types `text` into the field `selector`, reached with Tab. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

/** Opens consultation `id`'s page and follows its "comment" link with the keyboard (`query`: e.g. `?lang=cy`). */
async function openCommentForm(page: Page, id: number, query = ''): Promise<void> {
  await page.goto(`${baseUrl}/consult/${id}${query}`);
  await followWithKeyboard(
    page,
    `a[href="/consult/${id}/comment${query}"]`,
    `**/consult/${id}/comment${query}`,
  );
}

/** Every page in `found` had no serious or critical accessibility violation. */
function expectNoViolations(found: Record<string, AxeViolation[]>): void {
  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
}

describe('consultation site in Chromium', () => {
  it('has no serious or critical accessibility violations on any page', async () => {
    const id = consultationId;
    const pages: [string, string][] = [
      ['list', '/consult'],
      ['consultation', `/consult/${id}`],
      ['text-only', `/consult/${id}/text`],
      ['comments', `/consult/${id}/comments`],
      ['comment form', `/consult/${id}/comment`],
      ['confirmation', `/consult/${id}/comment/sent`],
      ['not found', '/consult/999999'],
    ];
    const page = await newPage();
    const found: Record<string, AxeViolation[]> = {};
    for (const [name, path] of pages) {
      await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
      // The comment form's map picker is checked as it is once drawn.
      if (name === 'comment form') await mapDrawn(page);
      found[name] = await axeViolations(page);
    }
    // The form after a submission with every field wrong: error summary, messages, and focus on the summary.
    await page.goto(`${baseUrl}/consult/${id}/comment`);
    await page.locator('button[type="submit"].govuk-button').click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);
    // GOV.UK Frontend moves focus to the error summary, so screen readers announce it first. Its script does that
    // once it has run on the new page, which may be just after the summary is drawn: wait for it (up to 10 s).
    const summaryFocused = () => document.activeElement?.classList.contains('govuk-error-summary') === true;
    await page.waitForFunction(summaryFocused, undefined, { timeout: 10_000 }).catch(() => {});
    expect(await page.evaluate(summaryFocused)).toBe(true);
    found['comment form with errors'] = await axeViolations(page);
    // The comments page renders the script-like comment as text.
    await page.goto(`${baseUrl}/consult/${id}/comments`);
    expect(await page.locator('text=<script>alert("xss")</script>').count()).toBe(1);
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
    await page.close();

    expectNoViolations(found);
    expect(pageErrors).toEqual([]);
  });

  it('sends a comment with the keyboard alone', async () => {
    const page = await newPage();
    await openCommentForm(page, consultationId);

    await tabTo(page, 'input[name="category"]');
    // Arrow keys move through a radio group and select as they go: Down from "support" selects "object".
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    const typed = 'Four storeys is too tall next to the station.';
    await typeInto(page, 'textarea[name="text"]', typed);

    // The place, on the map with the keyboard: move the map (arrow keys on the focused map), put the pin in its
    // middle, then move the pin itself (arrow keys on the focused pin).
    await mapDrawn(page);
    await tabTo(page, '.leaflet-container');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await tabTo(page, 'button[data-action="pin-centre"]');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await pinInputs(page)).lon).not.toBe('');
    const centred = await pinInputs(page);
    expect(centred.place).toBe('map');
    expect(await page.locator('#place-map-status').textContent()).toContain(
      'Pin put in the middle of the map.',
    );
    await shiftTabTo(page, '.leaflet-marker-icon');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    const moved = await pinInputs(page);
    // South: a smaller latitude, (nearly) the same longitude.
    expect(Number(moved.lat)).toBeLessThan(Number(centred.lat));
    // (Leaflet rounds to whole pixels: about a metre at this zoom.)
    expect(Number(moved.lon)).toBeCloseTo(Number(centred.lon), 4);
    await page.screenshot({ path: join(artifacts, 'consult-comment-pin.png'), fullPage: true });

    // GOV.UK Frontend's JavaScript runs under the CSP: the nonce'd inline line marked the page, and the character
    // count now tells how many characters are left.
    expect(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'))).toBe(
      true,
    );
    expect(await page.locator('.govuk-character-count__status').textContent()).toContain(
      `You have ${(2000 - typed.length).toLocaleString('en-GB')} characters remaining`,
    );
    await typeInto(page, 'input[name="name"]', 'Alex Smith');
    await typeInto(page, 'input[name="email"]', 'alex@example.org');
    await followWithKeyboard(page, 'button.govuk-button', `**/consult/${consultationId}/comment/sent`);
    expect((await page.locator('h1').textContent())?.trim()).toBe('Comment sent');
    expect(await page.locator('main').textContent()).toContain('Your comment will appear after moderation.');
    await page.close();

    const stored = await listComments(db, consultationId, { status: 'pending' });
    expect(stored.map((c) => [c.category, c.text, c.name, c.email, c.point])).toEqual([
      [
        'object',
        'Four storeys is too tall next to the station.',
        'Alex Smith',
        'alex@example.org',
        [Number(moved.lon), Number(moved.lat)],
      ],
    ]);
  });

  it('set no cookie and asked no other host for anything while the public browsed every page and commented', async () => {
    // Privacy by design (README, Privacy): the public site needs no cookie (no session, no tracking, no consent
    // banner), so none is set before or after sending a comment; cookies start only when staff sign in.
    expect(await context.cookies()).toEqual([]);
    const publicRequests = [...requests];
    expect(publicRequests.some((u) => u.endsWith('/comment'))).toBe(true);
    expect(publicRequests.filter((u) => new URL(u).origin !== baseUrl)).toEqual([]);
  });

  it('lets a planner sign in, see the summary and map, and approve a comment, with the keyboard alone', async () => {
    const page = await newPage();
    const found: Record<string, AxeViolation[]> = {};
    await page.goto(`${baseUrl}/consult/staff`);
    // The public is sent to sign in.
    expect(page.url()).toBe(`${baseUrl}/consult/staff/sign-in?next=%2Fconsult%2Fstaff`);
    found['sign in'] = await axeViolations(page);
    await typeInto(page, 'input[name="email"]', PLANNER.email);
    await typeInto(page, 'input[name="password"]', PLANNER.password);
    await enterTo(page, `${baseUrl}/consult/staff`);
    expect(await page.locator('.app-staff-bar').textContent()).toContain(
      'Signed in as Pat Planner (planner)',
    );
    found['staff list'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'consult-staff-list.png'), fullPage: true });

    await followWithKeyboard(
      page,
      `a[href="/consult/staff/${consultationId}"]`,
      `**/consult/staff/${consultationId}`,
    );
    await mapDrawn(page);
    // The pinned comment from the test before, on the map (from the staff GeoJSON).
    await expect
      .poll(() => page.locator('[data-module="app-comment-map"]').getAttribute('data-loaded'))
      .toBe('1');
    expect(await page.locator('path.leaflet-interactive').count()).toBe(1);
    found['staff summary'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'consult-staff-summary.png'), fullPage: true });

    await followWithKeyboard(
      page,
      `a.govuk-button[href="/consult/staff/${consultationId}/comments"]`,
      '**/comments',
    );
    expect(await page.locator('main').textContent()).toContain('alex@example.org');
    found['staff moderation'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'consult-staff-moderation.png'), fullPage: true });
    await followWithKeyboard(page, 'button[value="approve"]', '**/comments?status=pending&done=approved*');
    expect(await page.locator('.govuk-notification-banner').textContent()).toMatch(/Comment \d+ approved\./);
    found['staff moderation after approving'] = await axeViolations(page);
    await page.close();

    expectNoViolations(found);
    const approved = await listComments(db, consultationId, { status: 'approved' });
    expect(approved.map((c) => c.text)).toContain('Four storeys is too tall next to the station.');
    expect(pageErrors).toEqual([]);
  });

  it('lets an admin find, export and erase a commenter’s data from the Personal data page', async () => {
    // A separate browser profile: the planner stays signed in in the other one.
    const { visitor: admin, page } = await openVisitor();
    const found: Record<string, AxeViolation[]> = {};
    await page.goto(`${baseUrl}/consult/staff/sign-in`);
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await enterTo(page, `${baseUrl}/consult/staff`);
    await clickTo(page, 'a[href="/consult/staff/privacy"]', '**/consult/staff/privacy');
    // The comment sent with alex@example.org is counted: one name, one email address.
    expect(await page.locator('h1').textContent()).toBe('Personal data');
    found['personal data'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'privacy-personal-data.png'), fullPage: true });

    await page.locator('input#email').fill('Alex@Example.org');
    await clickTo(page, 'button:has-text("Find their data")', '**/privacy/subject');
    expect(await page.locator('main').textContent()).toContain(
      'Four storeys is too tall next to the station.',
    );
    found['a person’s data'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'privacy-subject.png'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('button:has-text("Download as JSON")').click(),
    ]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported.comments.map((c: { email: string; name: string }) => [c.name, c.email])).toEqual([
      ['Alex Smith', 'alex@example.org'],
    ]);

    await clickTo(page, 'button:has-text("Erase this person’s data")', '**/privacy/erase');
    found['erase: confirm'] = await axeViolations(page);
    await page.locator('input[name="policy"][value="keep"]').check();
    await page.screenshot({ path: join(artifacts, 'privacy-erase-confirm.png'), fullPage: true });
    await clickTo(page, 'button:has-text("Erase their data")', '**/consult/staff/privacy?erased=1*');
    expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
      'Erased: 1 approved comment kept as text only, 0 comments deleted.',
    );
    // The URL never carried the email address.
    expect(page.url()).not.toContain('alex');
    found['after erasing'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'privacy-erased.png'), fullPage: true });
    await admin.close();

    expectNoViolations(found);
    const kept = (await listComments(db, consultationId, { status: 'approved' })).find(
      (c) => c.text === 'Four storeys is too tall next to the station.',
    );
    expect([kept?.name, kept?.email, kept?.point]).toEqual([null, null, null]);
    expect(pageErrors).toEqual([]);
  });

  it('serves Welsh pages, switched to with the keyboard, accessible, and sets no cookie', async () => {
    // A visitor of its own: no staff session, nothing from the tests before.
    const { visitor, page } = await openVisitor();
    const id = consultationId;
    const found: Record<string, AxeViolation[]> = {};
    const lang = () => page.evaluate(() => document.documentElement.lang);

    await page.goto(`${baseUrl}/consult/${id}`);
    expect(await lang()).toBe('en');
    // The toggle, with the keyboard: "Cymraeg" in the header, marked as Welsh.
    await tabTo(page, 'a[hreflang="cy"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('lang'))).toBe('cy');
    await enterTo(page, `**/consult/${id}?lang=cy`);
    expect(await lang()).toBe('cy');
    expect((await page.locator('h1').textContent())?.trim()).toBe(WELSH_TITLE);
    expect(await page.locator('.govuk-skip-link').textContent()).toBe('Neidio i’r prif gynnwys');
    found['consultation (cy)'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'consult-welsh.png'), fullPage: true });

    // On through the site: links keep the language.
    await followWithKeyboard(
      page,
      `a[href="/consult/${id}/comment?lang=cy"]`,
      `**/consult/${id}/comment?lang=cy`,
    );
    expect(await lang()).toBe('cy');
    await mapDrawn(page);
    expect(await page.locator('#place-map-status').textContent()).toBe('Nid oes pin ar unrhyw le.');
    await typeInto(page, 'textarea[name="text"]', 'Syniad da.');
    // GOV.UK Frontend's character count, with our Welsh message (it formats the count itself: 1990 or 1,990).
    await expect
      .poll(() => page.locator('.govuk-character-count__status').textContent())
      .toMatch(/Mae gennych 1,?990 nod yn weddill/);
    found['comment form (cy)'] = await axeViolations(page);
    await page.screenshot({ path: join(artifacts, 'consult-welsh-form.png'), fullPage: true });
    await followWithKeyboard(
      page,
      'button.govuk-button:not([data-action])',
      `**/consult/${id}/comment?lang=cy`,
    );
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary__title').textContent()).toContain(
      'Mae problem wedi codi',
    );
    found['comment form with errors (cy)'] = await axeViolations(page);

    for (const [name, path] of [
      ['list (cy)', '/consult?lang=cy'],
      ['text-only (cy)', `/consult/${id}/text?lang=cy`],
      ['comments (cy)', `/consult/${id}/comments?lang=cy`],
      ['not found (cy)', '/consult/999999?lang=cy'],
    ]) {
      await page.goto(`${baseUrl}${path}`);
      expect(await lang(), name).toBe('cy');
      found[name] = await axeViolations(page);
    }
    // Back to English with the keyboard.
    await page.goto(`${baseUrl}/consult?lang=cy`);
    await followWithKeyboard(page, 'a[hreflang="en"]', '**/consult?lang=en');
    expect(await lang()).toBe('en');

    // The choice lives in the address: no cookie of any kind was set on the way.
    expect(await visitor.cookies()).toEqual([]);
    await visitor.close();
    expectNoViolations(found);
    expect(pageErrors).toEqual([]);
  });

  it("shows each council's own name, logo and colours, accessible in both", async () => {
    // A context of its own: `?council=` is remembered in a cookie, which the public-cookie checks above forbid.
    const { visitor, page } = await openVisitor();
    const found: Record<string, AxeViolation[]> = {};
    const councils = [
      ['Rutland', `/consult/${consultationId}/comment`, RUTLAND_BRAND, '#ffffff'],
      ['Leeds', '/consult?council=leeds', LEEDS_BRAND, '#000000'],
    ] as const;
    for (const [name, path, brand, text] of councils) {
      await page.goto(`${baseUrl}${path}`);
      const header = page.locator('.app-brand-header');
      expect(await header.locator('.govuk-generic-header__homepage-link').textContent()).toContain(
        brand.name,
      );
      const style = await header.evaluate((el) => {
        const s = getComputedStyle(el);
        const link = getComputedStyle(el.querySelector('a') as Element);
        return { background: s.backgroundColor, text: link.color };
      });
      expect(style.background, name).toBe(rgb(brand.colours.primary));
      expect(style.text, name).toBe(rgb(text));
      found[name] = await axeViolations(page);
      await page.screenshot({ path: join(artifacts, `consult-brand-${name.toLowerCase()}.png`) });
    }
    await page.goto(`${baseUrl}/consult/${consultationId}/comment`);
    // Rutland's logo loaded (from this server), and its privacy contact is in the notice.
    expect(
      await page.locator('.app-brand-logo').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.locator('[data-privacy-contact]').textContent()).toContain(
      RUTLAND_BRAND.privacyContact,
    );
    await visitor.close();
    expect(found).toEqual({ Rutland: [], Leeds: [] });
  });

  it('fetched nothing from anywhere but this server, and broke no Content Security Policy rule', () => {
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((u) => !u.startsWith(baseUrl))).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});

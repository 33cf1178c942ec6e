/**
 * Sun and shadows in real Chromium over Oakham (Rutland's OpenStreetMap buildings, imported and tiled on first
 * start): the noon shadows of winter cover far more ground than those of summer in the same view, and a planner
 * draws an area on the ground, computes its sun-hours map and sees it draped on the map with its legend and the
 * BRE 209 sentence. A share link with a sun-hours request and a published scenario (a tall block south of a
 * garden) reopens the before/after comparison: ratio, verdict, and the before/after toggle of the draped map.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CameraView } from '@placetwin/viewer';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ViewerWindow, waitForLoaded, waitForViewerReady } from './support/chromium';
import { repoRoot } from './support/paths';
import { type RunningPlacetwin, staffApiHeaders, startPlacetwinWithStaff } from './support/placetwin-server';

const artifacts = join(repoRoot, 'test-artifacts');
const VIEWPORT = { width: 1280, height: 800 };
/** Straight down over Oakham's centre: roofs, streets and the ground between them. */
const OAKHAM_TOP: CameraView = { lon: -0.7262, lat: 52.6697, heightM: 380, headingDeg: 0, pitchDeg: -90 };
/** UK noon at midwinter (GMT) and midsummer (BST): the sun at about 14° and 61°. */
const WINTER_NOON = '2024-12-21T12:00:00Z';
const SUMMER_NOON = '2024-06-21T11:00:00Z';
/** A pixel counts as shadow when switching shadows on darkens it by this much (0–255 luminance). */
const SHADOW_DARKENING = 24;
const EMAIL = 'planner@example.org';
const PASSWORD = 'sun and shadows planner 2025';
/**
 * Open ground in the Station Approach yard by Oakham station (the scenario e2e test's site: no baseline building
 * within 10 m of lon −0.7338…−0.73355, lat 52.6733…52.67355, about 17 × 28 m). The scenario builds a 40 m U round
 * a narrow garden: its south 8 m and 5 m arms up both sides, so that no 21 March sun reaches the garden, which
 * is sunlit all day before.
 */
const W = -0.7338;
const E = -0.73355;
const ARM = 0.0000735; // 5 m of longitude
const GAP = 0.00001; // 0.7 m
const [S, S2, N] = [52.6733, 52.67337, 52.67355];
const ring = (points: number[][]) => ({ type: 'Polygon', coordinates: [[...points, points[0]]] });
const BLOCK = ring([
  [W, S],
  [E, S],
  [E, N],
  [E - ARM, N],
  [E - ARM, S2],
  [W + ARM, S2],
  [W + ARM, N],
  [W, N],
]);
const GARDEN = ring([
  [W + ARM + GAP, S2 + 0.00001],
  [E - ARM - GAP, S2 + 0.00001],
  [E - ARM - GAP, N - 0.00001],
  [W + ARM + GAP, N - 0.00001],
]);

const hooks = (page: Page) => ({
  area: () => page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.area()),
  sun: () => page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.sun()),
  sunHours: () => page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.sunHours()),
  worldToScreen: (lon: number, lat: number) =>
    page.evaluate(([x, y]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(x, y, 0), [
      lon,
      lat,
    ] as const),
});

/** Waits until the scene has drawn `n` more frames (the shadow map and lighting follow a change a frame later). */
async function framesPass(page: Page, n: number): Promise<void> {
  const start = await page.evaluate(
    () => (window as unknown as ViewerWindow).__placetwin.frameStats().frames,
  );
  await page.waitForFunction(
    ([s, k]) => (window as unknown as ViewerWindow).__placetwin.frameStats().frames >= s + k,
    [start, n] as const,
    { timeout: 120_000, polling: 200 },
  );
}

/** Luminance (Rec. 709) of each pixel of a PNG. */
async function luminance(png: Buffer): Promise<{ lum: Float32Array; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const lum = new Float32Array(info.width * info.height);
  for (let i = 0; i < lum.length; i++)
    lum[i] = 0.2126 * data[3 * i] + 0.7152 * data[3 * i + 1] + 0.0722 * data[3 * i + 2];
  return { lum, width: info.width, height: info.height };
}

describe('sun and shadows (Chromium, offline Cesium)', () => {
  let server: RunningPlacetwin;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const badResponses: string[] = [];

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // A planner account in a fresh copy of the sample city, made with the CLI before the server opens it.
    server = await startPlacetwinWithStaff({ email: EMAIL, password: PASSWORD, role: 'planner' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.on('response', (r) => {
      if (r.status() >= 400) badResponses.push(`${r.status()} ${r.url()}`);
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.baseUrl}/`);
    await waitForViewerReady(page);
    await page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), OAKHAM_TOP);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The canvas as a PNG at a given time, shadows on or off (set through the share-link fragment). */
  async function shot(time: string, shadows: boolean, name: string): Promise<Buffer> {
    const cam = [
      OAKHAM_TOP.lon,
      OAKHAM_TOP.lat,
      OAKHAM_TOP.heightM,
      OAKHAM_TOP.headingDeg,
      OAKHAM_TOP.pitchDeg,
    ].join(',');
    await page.evaluate(
      (hash) => {
        window.location.hash = hash;
      },
      `cam=${cam}&t=${time}${shadows ? '&shadows=1' : ''}&colour=none`,
    );
    await page.waitForFunction(
      ([t, s]) => {
        const st = (window as unknown as ViewerWindow).__placetwin.state();
        return st.time === t && st.shadows === s;
      },
      [time, shadows] as const,
    );
    await waitForLoaded(page, { globe: true });
    await framesPass(page, 6);
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    return page.screenshot({ path: join(artifacts, `${name}.png`), clip: canvas });
  }

  /** Share of the view that the shadows darken: compare the same view with shadows off and on. */
  async function shadowShare(time: string, season: string): Promise<number> {
    const off = await luminance(await shot(time, false, `solar-${season}-noon-no-shadows`));
    const on = await luminance(await shot(time, true, `solar-${season}-noon-shadows`));
    expect([on.width, on.height]).toEqual([off.width, off.height]);
    let dark = 0;
    for (let i = 0; i < on.lum.length; i++) if (off.lum[i] - on.lum[i] > SHADOW_DARKENING) dark++;
    return dark / on.lum.length;
  }

  it('draws longer shadows at winter noon than at summer noon over the same view', async () => {
    const winter = await shadowShare(WINTER_NOON, 'winter');
    const summer = await shadowShare(SUMMER_NOON, 'summer');
    await writeFile(
      join(artifacts, 'solar-shadow-shares.json'),
      `${JSON.stringify({ winter, summer, view: OAKHAM_TOP, WINTER_NOON, SUMMER_NOON }, null, 2)}\n`,
    );
    // Noon shadows are h/tan(14°) = 4.0 h long in December and h/tan(61°) = 0.55 h in June.
    expect(summer).toBeGreaterThan(0.002);
    expect(winter).toBeGreaterThan(summer * 2.5);
    expect(winter - summer).toBeGreaterThan(0.05);

    const sun = await hooks(page).sun();
    expect(sun?.apparentElevationDeg).toBeGreaterThan(55);
    const readout = await page.getByTestId('sun-readout').textContent();
    expect(readout).toContain(`Azimuth ${sun?.azimuthDeg.toFixed(1)}° (`);
    expect(readout).toContain(`elevation ${sun?.apparentElevationDeg.toFixed(1)}°`);
  });

  it('draws an area on the ground, computes its sun hours and drapes them with a legend and the BRE 209 sentence', async () => {
    await shot(SUMMER_NOON, false, 'solar-before-area');
    const corners: [number, number][] = [
      [-0.72685, 52.66935],
      [-0.72555, 52.66935],
      [-0.72555, 52.67005],
      [-0.72685, 52.67005],
    ];
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');

    // Escape abandons a drawing.
    await page.getByRole('button', { name: 'Draw area on the map' }).click();
    await page.mouse.click(canvas.x + 300, canvas.y + 300);
    await page.keyboard.press('Escape');
    expect((await hooks(page).area()).mode).toBe('idle');

    // Click four corners where they appear on the canvas, then Enter.
    await page.getByRole('button', { name: 'Draw area on the map' }).click();
    for (const [lon, lat] of corners) {
      const at = await hooks(page).worldToScreen(lon, lat);
      if (!at) throw new Error(`corner ${lon}, ${lat} is off screen`);
      await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
      await page.waitForTimeout(400); // two clicks in a row would be a double-click
    }
    await expect.poll(async () => (await hooks(page).area()).points.length).toBe(4);
    await page.keyboard.press('Enter');
    const area = await hooks(page).area();
    expect(area.mode).toBe('closed');
    const mPerDegLon = 111_320 * Math.cos((52.67 * Math.PI) / 180);
    area.points.forEach(([lon, lat], i) => {
      expect(Math.abs(lon - corners[i][0]) * mPerDegLon).toBeLessThan(1.5);
      expect(Math.abs(lat - corners[i][1]) * 111_250).toBeLessThan(1.5);
    });
    await expect
      .poll(() => page.getByTestId('sun-hours-area').textContent())
      .toMatch(/Area: [\d,]+ m², 4 corners/);

    await page.getByRole('button', { name: 'Compute sun hours' }).click();
    await page.waitForFunction(
      () => {
        const s = (window as unknown as ViewerWindow).__placetwin.sunHours();
        return s.status === 'failed' || (s.status === 'done' && s.overlayLoaded);
      },
      null,
      { timeout: 300_000, polling: 500 },
    );
    const result = await hooks(page).sunHours();
    expect(result.status).toBe('done');
    expect(result.sentence).toMatch(
      /^(Meets|Does not meet) BRE 209 guidance: \d+(\.\d)?% of the garden receives/,
    );
    await expect.poll(() => page.locator('.bre-sentence').textContent()).toBe(result.sentence);
    const legend = page.getByRole('list', { name: 'Hours of direct sun' });
    expect(await legend.getByRole('listitem').count()).toBe(9);
    expect(await legend.textContent()).toContain('2 to 3 hours');
    await framesPass(page, 4);
    const withOverlay = await luminance(
      await page.screenshot({ path: join(artifacts, 'solar-sun-hours-overlay.png'), clip: canvas }),
    );
    await page.screenshot({ path: join(artifacts, 'solar-sun-hours-panel.png') });

    // The draped map changes the ground inside the area: compare with the overlay hidden.
    await page.getByRole('checkbox', { name: 'Show on the map' }).uncheck();
    await framesPass(page, 4);
    const without = await luminance(await page.screenshot({ clip: canvas }));
    const inside = await Promise.all(corners.map(([lon, lat]) => hooks(page).worldToScreen(lon, lat)));
    const xs = inside.map((p) => p?.x ?? 0);
    const ys = inside.map((p) => p?.y ?? 0);
    let changed = 0;
    let total = 0;
    for (let y = Math.ceil(Math.min(...ys)) + 3; y < Math.max(...ys) - 3; y++)
      for (let x = Math.ceil(Math.min(...xs)) + 3; x < Math.max(...xs) - 3; x++) {
        const i = Math.round(y) * without.width + Math.round(x);
        total++;
        if (Math.abs(withOverlay.lum[i] - without.lum[i]) > 8) changed++;
      }
    expect(total).toBeGreaterThan(1000);
    expect(changed / total).toBeGreaterThan(0.3);

    // The export links answer with the files.
    for (const [name, type] of [
      ['PNG', 'image/png'],
      ['GeoJSON', 'application/geo+json'],
      ['CSV', 'text/csv'],
    ]) {
      const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
      const res = await fetch(`${server.baseUrl}${href}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
    }
  });

  it('takes an area pasted as GeoJSON (the keyboard way)', async () => {
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [-0.7266, 52.6694],
          [-0.7259, 52.6694],
          [-0.7259, 52.6699],
          [-0.7266, 52.6694],
        ],
      ],
    };
    await page.getByText('Or paste GeoJSON').click();
    await page.getByLabel('GeoJSON Polygon (WGS84)').fill(JSON.stringify(polygon));
    await page.getByRole('button', { name: 'Use this area' }).click();
    const area = await hooks(page).area();
    expect(area).toEqual({ mode: 'closed', points: polygon.coordinates[0].slice(0, 3) });
  });

  it('reopens a shared before/after comparison with a scenario: ratio, verdict and the before/after map', async () => {
    // The planner publishes a scenario with a 40 m block south of the garden (through the API).
    const staff = await staffApiHeaders(server.baseUrl, EMAIL, PASSWORD);
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${server.baseUrl}${path}`, {
        method: 'POST',
        headers: staff,
        body: JSON.stringify(body),
      });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return res.json();
    };
    const created = await api('/api/scenarios', { dataset: 'rutland', name: 'Yard tower', site: null });
    const edited = await api(`/api/scenarios/${created.id}/changes`, {
      expectedVersion: created.version,
      changes: [{ op: 'add', id: 'new/yard-tower', footprint: BLOCK, use: 'residential', heightM: 40 }],
    });
    await api(`/api/scenarios/${created.id}/publish`, { expectedVersion: edited.scenario.version });

    // A share link with the request (the public's browser: no session) reopens the comparison.
    const ring = GARDEN.coordinates[0].slice(0, -1).map(([x, y]) => `${x.toFixed(6)},${y.toFixed(6)}`);
    const sun = ['rutland', '2025-03-21', '1', '10', String(created.id), 'garden', ring.join(',')].join('~');
    const cam = `${-0.733675},${52.67342},150,0,-90`;
    await page.evaluate(
      (hash) => {
        window.location.hash = hash;
        window.location.reload();
      },
      `cam=${cam}&t=2025-03-21T12:00:00Z&colour=none&sun=${encodeURIComponent(sun)}`,
    );
    await waitForViewerReady(page);
    await page.waitForFunction(
      () => {
        const s = (window as unknown as ViewerWindow).__placetwin.sunHours();
        return s.status === 'failed' || (s.status === 'done' && s.overlayLoaded);
      },
      null,
      { timeout: 300_000, polling: 500 },
    );
    const shown = await hooks(page).sunHours();
    expect(shown.status).toBe('done');
    const c = shown.comparison;
    if (!c) throw new Error('no comparison on show');
    expect(c.scenarioId).toBe(created.id);
    expect(c.shareAfter).toBeLessThan(c.shareBefore);
    expect(c.ratio).not.toBeNull();
    expect(c.ratio ?? 1).toBeLessThan(1);
    expect(c.side).toBe('after');
    const box = page.locator('.sun-hours-comparison');
    await expect.poll(() => box.getAttribute('data-verdict')).toBe(c.meetsGuidance ? 'pass' : 'fail');
    expect(await box.locator('.verdict').textContent()).toContain(
      `ratio ${(c.ratio ?? 0).toFixed(2)} (0.8 needed)`,
    );
    expect(await page.locator('.bre-sentence').textContent()).toMatch(
      c.meetsGuidance
        ? /^Meets BRE 209 guidance: with the development/
        : /^Does not meet BRE 209 guidance: with the development/,
    );
    // The panel shows the link's own settings, and the link stays in the address bar.
    expect(await page.getByLabel('Area is a').inputValue()).toBe('garden');
    expect(decodeURIComponent(await page.evaluate(() => window.location.hash))).toContain(
      `~${created.id}~garden~`,
    );
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    await framesPass(page, 4);
    const after = await luminance(
      await page.screenshot({ path: join(artifacts, 'solar-sun-hours-after.png'), clip: canvas }),
    );
    await box.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'solar-sun-hours-comparison-panel.png') });

    // Before: the baseline's grid is draped instead, and the garden looks sunnier.
    await page.getByRole('radio', { name: 'Before (baseline)' }).check();
    await page.waitForFunction(
      () => {
        const s = (window as unknown as ViewerWindow).__placetwin.sunHours();
        return s.comparison?.side === 'before' && s.overlayLoaded;
      },
      null,
      { timeout: 120_000, polling: 250 },
    );
    const before = await hooks(page).sunHours();
    expect(before.comparison?.overlayUrl).not.toBe(c.overlayUrl);
    await framesPass(page, 4);
    const beforeShot = await luminance(
      await page.screenshot({ path: join(artifacts, 'solar-sun-hours-before.png'), clip: canvas }),
    );
    const corners = await Promise.all(
      GARDEN.coordinates[0].slice(0, 4).map(([lon, lat]) => hooks(page).worldToScreen(lon, lat)),
    );
    const xs = corners.map((p) => p?.x ?? 0);
    const ys = corners.map((p) => p?.y ?? 0);
    let changed = 0;
    let total = 0;
    for (let y = Math.ceil(Math.min(...ys)) + 2; y < Math.max(...ys) - 2; y++)
      for (let x = Math.ceil(Math.min(...xs)) + 2; x < Math.max(...xs) - 2; x++) {
        const i = Math.round(y) * after.width + Math.round(x);
        total++;
        if (Math.abs(after.lum[i] - beforeShot.lum[i]) > 8) changed++;
      }
    expect(total).toBeGreaterThan(200);
    expect(changed / total).toBeGreaterThan(0.1);

    // The downloads carry both: the CSV has the hours before and after per cell.
    const csvHref = await page.getByRole('link', { name: 'CSV', exact: true }).getAttribute('href');
    const csv = await (await fetch(`${server.baseUrl}${csvHref}`)).text();
    expect(csv.split('\n')[0]).toBe('row,col,easting_m,northing_m,lon,lat,hours_before,hours_after');
    expect(await page.getByRole('link', { name: 'PNG before' }).getAttribute('href')).toMatch(
      /^\/api\/solar\/sun-hours\/[0-9a-f]{32}\.png$/,
    );
  });

  it('answered every sun-hours and solar request without error', async () => {
    // Other panels' failures (and page errors from code outside the sun tools) are kept for the record; the
    // viewer's own end-to-end test guards those. Every request of the sun tools must have succeeded.
    await writeFile(
      join(artifacts, 'solar-page-log.txt'),
      `page errors:\n${pageErrors.join('\n')}\nfailed responses:\n${badResponses.join('\n')}\n`,
    );
    expect(badResponses.filter((r) => r.includes('/api/solar/'))).toEqual([]);
    expect(pageErrors.filter((e) => /sun|solar|imagery|SingleTile/i.test(e))).toEqual([]);
  });
});

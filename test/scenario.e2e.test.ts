/**
 * The scenario editor in real Chromium over Oakham (Rutland's OpenStreetMap buildings, imported and tiled on first
 * start): a planner signs in, creates a scenario, draws a new building's footprint on open ground in the Station
 * Approach yard by Oakham station with mouse clicks on the canvas, sets its storeys, and sees it rendered (the
 * pixels of its footprint change); Undo removes it (the pixels come back). Then, on that scenario: a new building's
 * height dragged with the mouse on its handle, an architect's glTF massing imported, the sun-hours, energy and carbon
 * deltas in the compare panel, the floor-area chart downloaded as PNG, and the compare table at 1280 × 720. And a
 * baseline building's footprint reshaped by dragging one corner with the mouse (one undoable change).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CameraView } from '@placetwin/viewer';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ViewerWindow, waitForLoaded, waitForViewerReady } from './support/chromium';
import { repoRoot } from './support/paths';
import { type RunningPlacetwin, startPlacetwinWithStaff } from './support/placetwin-server';

const artifacts = join(repoRoot, 'test-artifacts');
const VIEWPORT = { width: 1280, height: 800 };
/**
 * Open ground in the yard between Travis Perkins (rutland:w178280261, west edge −0.73343) and the Station
 * Approach road, south of rutland:w178280264 (south edge 52.67376): no baseline building within 10 m (checked
 * against rutland-2022-11.osm.pbf). About 17 × 28 m.
 */
const FOOTPRINT: [number, number][] = [
  [-0.7338, 52.6733],
  [-0.73355, 52.6733],
  [-0.73355, 52.67355],
  [-0.7338, 52.67355],
];
const STOREYS = 6; // 18 m at 3 m a storey
const CAMERA: CameraView = { lon: -0.733675, lat: 52.673425, heightM: 260, headingDeg: 0, pitchDeg: -90 };
const EMAIL = 'planner@example.org';
const PASSWORD = 'station quarter planner 2025';
/** Polls of the compare and link checks: generous, the machine may be loaded. */
const SLOW = { timeout: 60_000 };
/** A pixel has changed when its luminance moved by more than this (0–255). */
const CHANGED = 20;

type Hooks = ViewerWindow['__placetwin'];
const scenario = (page: Page) =>
  page.evaluate(() => ((window as unknown as ViewerWindow).__placetwin as Hooks).scenario?.() ?? null);

async function luminance(png: Buffer): Promise<{ lum: Float32Array; width: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const lum = new Float32Array(info.width * info.height);
  for (let i = 0; i < lum.length; i++)
    lum[i] = 0.2126 * data[3 * i] + 0.7152 * data[3 * i + 1] + 0.0722 * data[3 * i + 2];
  return { lum, width: info.width };
}

/** Share of the pixels inside a screen box whose luminance differs by more than CHANGED between two shots. */
async function changedShare(a: Buffer, b: Buffer, box: { x0: number; y0: number; x1: number; y1: number }) {
  const [la, lb] = await Promise.all([luminance(a), luminance(b)]);
  let changed = 0;
  let total = 0;
  for (let y = Math.ceil(box.y0); y < box.y1; y++)
    for (let x = Math.ceil(box.x0); x < box.x1; x++) {
      total++;
      if (Math.abs(la.lum[y * la.width + x] - lb.lum[y * lb.width + x]) > CHANGED) changed++;
    }
  return changed / total;
}

describe('scenario editor (Chromium, offline Cesium)', () => {
  let server: RunningPlacetwin;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** What the test was doing (named in page errors). */
  let step = 'loading';

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // A planner account in a fresh copy of the sample city, made with the CLI before the server opens it.
    server = await startPlacetwinWithStaff({ email: EMAIL, password: PASSWORD, role: 'planner' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(120_000); // the machine may be loaded: actions wait for a busy page longer
    page.on('pageerror', (e) => pageErrors.push(`${step}: ${e.name}: ${e.message}\n${e.stack ?? ''}`));
    await page.goto(`${server.baseUrl}/#colour=none`);
    await waitForViewerReady(page);
    await page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), CAMERA);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Waits until the scenario is open with this many active changes, its overlay drawn (and built, or not). */
  async function waitForScenario(changes: number, overlayBuilt: boolean, timeout = 180_000): Promise<void> {
    await page.waitForFunction(
      ([n, built]) => {
        const s = (window as unknown as ViewerWindow).__placetwin.scenario?.();
        return Boolean(
          s && s.id !== null && s.changes === n && s.overlayDrawn && (!built || s.tilesetUrl !== null),
        );
      },
      [changes, overlayBuilt] as const,
      { timeout, polling: 250 },
    );
  }

  /** Signs the planner in from the Scenarios panel, unless an earlier test in this file already has. */
  async function signIn(panel: Locator): Promise<void> {
    step = 'signing in';
    const email = panel.getByLabel('Email');
    const signOut = panel.getByRole('button', { name: 'Sign out' });
    // The panel asks the server who is signed in first: wait for the form or the signed-in line.
    await expect.poll(async () => (await email.count()) + (await signOut.count()), SLOW).toBeGreaterThan(0);
    if ((await email.count()) === 0) return;
    await email.fill(EMAIL);
    await panel.getByLabel('Password').fill(PASSWORD);
    await panel.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => signOut.count(), SLOW).toBe(1);
  }

  async function shot(name: string): Promise<Buffer> {
    await waitForLoaded(page, { globe: true });
    const start = await page.evaluate(
      () => (window as unknown as ViewerWindow).__placetwin.frameStats().frames,
    );
    await page.waitForFunction(
      (s) => (window as unknown as ViewerWindow).__placetwin.frameStats().frames >= s + 4,
      start,
      { timeout: 120_000 },
    );
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    return page.screenshot({ path: join(artifacts, `${name}.png`), clip: canvas });
  }

  it('signs in, draws a building by the station, renders it, and undo removes it', async () => {
    const panel = page.getByRole('region', { name: 'Scenarios' });
    await signIn(panel);
    step = 'creating';
    await panel.getByLabel('New scenario name').fill('E2E station yard');
    await panel.getByRole('button', { name: 'Create' }).click();
    await waitForScenario(0, false);
    const before = await shot('scenario-before');

    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    const screen = async (lon: number, lat: number, h: number) => {
      const p = await page.evaluate(
        ([x, y, z]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(x, y, z),
        [lon, lat, h] as const,
      );
      if (!p) throw new Error(`${lon}, ${lat} is off screen`);
      return p;
    };

    step = 'drawing';
    await panel.getByRole('button', { name: 'Draw footprint on the map' }).click();
    for (const [lon, lat] of FOOTPRINT) {
      const at = await screen(lon, lat, 0);
      await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
      await page.waitForTimeout(400); // two quick clicks would be a double-click
    }
    await expect.poll(async () => (await scenario(page))?.points.length).toBe(4);
    await page.keyboard.press('Enter');
    expect((await scenario(page))?.mode).toBe('closed');

    const form = panel.getByRole('form', { name: 'New building' });
    await form.getByLabel('Name').fill('E2E block');
    await form.getByLabel('Storeys').fill(String(STOREYS));
    step = 'adding';
    await form.getByRole('button', { name: 'Add building' }).click();
    await waitForScenario(1, true);
    expect((await scenario(page))?.message).toBeNull();
    await expect.poll(() => panel.getByRole('listitem').first().textContent()).toMatch(/Add “E2E block”/);
    const after = await shot('scenario-drawn');

    // The footprint's screen box (ground and roof), shrunk by 3 px so edges that merely shift do not count.
    const corners = await Promise.all(
      FOOTPRINT.flatMap(([lon, lat]) => [screen(lon, lat, 0), screen(lon, lat, STOREYS * 3)]),
    );
    const box = {
      x0: Math.min(...corners.map((c) => c.x)) + 3,
      y0: Math.min(...corners.map((c) => c.y)) + 3,
      x1: Math.max(...corners.map((c) => c.x)) - 3,
      y1: Math.max(...corners.map((c) => c.y)) - 3,
    };
    expect(box.x1 - box.x0).toBeGreaterThan(30);
    const drawn = await changedShare(before, after, box);

    // Compare: the swipe divider at the right edge shows the baseline everywhere, at the left edge the scenario.
    step = 'comparing';
    await panel.getByLabel(/Compare with the baseline/).check();
    const divider = page.getByRole('separator', { name: /Compare divider/ });
    await divider.focus();
    await page.keyboard.press('End');
    await expect.poll(async () => (await scenario(page))?.split).toBe(1);
    const swipedBaseline = await changedShare(before, await shot('scenario-compare-baseline'), box);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await scenario(page))?.split).toBe(0);
    const swipedScenario = await changedShare(before, await shot('scenario-compare-scenario'), box);
    expect(swipedBaseline).toBeLessThan(0.05);
    expect(swipedScenario).toBeGreaterThan(0.5);

    // Side by side: a second view on the left with its camera linked to the main one, both ways; the comparison
    // table and chart; and the share link carries the scenario and the layout.
    step = 'side by side';
    await panel.getByRole('radio', { name: /Side by side/ }).check();
    const split = async () => (await scenario(page))?.splitView ?? null;
    await expect.poll(async () => (await split())?.leftLoaded, { timeout: 180_000 }).toBe(true);
    await expect.poll(async () => (await split())?.cameraGapM ?? 1e9, SLOW).toBeLessThan(1);
    const id = (await scenario(page))?.id;
    await expect.poll(() => page.evaluate(() => window.location.hash), SLOW).toContain(`scn=${id}&cmp=split`);
    await expect
      .poll(async () => (await scenario(page))?.comparison?.gfaDeltaM2 ?? 0, SLOW)
      .toBeGreaterThan(100);
    await expect
      .poll(() => panel.getByTestId('compare-chart').locator('canvas').isVisible(), SLOW)
      .toBe(true);
    const camBefore = await page.evaluate(() =>
      new URLSearchParams(window.location.hash.slice(1)).get('cam'),
    );
    const scene = await page.locator('.scene').boundingBox();
    if (!scene) throw new Error('no scene');
    await page.mouse.move(scene.x + scene.width / 4, scene.y + scene.height / 2);
    await page.mouse.wheel(0, -400); // zoom in the left view: the main (right) view must follow
    await expect.poll(async () => (await split())?.driver, SLOW).toBe('left');
    await expect
      .poll(() => page.evaluate(() => new URLSearchParams(window.location.hash.slice(1)).get('cam')), {
        timeout: 60_000,
      })
      .not.toBe(camBefore);
    await expect.poll(async () => (await split())?.cameraGapM ?? 1e9, SLOW).toBeLessThan(1);
    await expect.poll(async () => (await split())?.leftLoaded, { timeout: 180_000 }).toBe(true);
    const layers = await split();
    expect(layers?.leftLayers).toBe(layers?.mainLayers); // the globe and the OSM basemap on both sides
    await page.locator('.scene').screenshot({ path: join(artifacts, 'scenario-compare-split.png') });
    const link = await page.evaluate(() => window.location.hash);
    await panel.getByLabel(/Compare with the baseline/).uncheck();
    await expect.poll(() => page.evaluate(() => window.location.hash), SLOW).not.toContain('cmp=');
    // The link, opened again, brings the side-by-side compare back.
    await page.evaluate((h) => {
      window.location.hash = h;
    }, link);
    await expect
      .poll(async () => (await scenario(page))?.splitView?.leftLoaded, { timeout: 180_000 })
      .toBe(true);
    expect((await scenario(page))?.id).toBe(id);
    await panel.getByLabel(/Compare with the baseline/).uncheck();
    await expect.poll(async () => (await scenario(page))?.splitView ?? null, SLOW).toBeNull();
    await page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), CAMERA);

    // The new building's details (an added `new/…` building) open from the scenario's buildings endpoint.
    step = 'building details';
    const centre = await screen(
      (FOOTPRINT[0][0] + FOOTPRINT[1][0]) / 2,
      (FOOTPRINT[0][1] + FOOTPRINT[2][1]) / 2,
      STOREYS * 3,
    );
    await page.mouse.click(canvas.x + centre.x, canvas.y + centre.y);
    await expect
      .poll(() => page.locator('.info-panel h2').textContent(), { timeout: 60_000 })
      .toBe('E2E block');
    await page.keyboard.press('Escape');

    // Two scenarios: a second, empty one on the right, the first (with the block) on the left of the swipe.
    step = 'two scenarios';
    await panel.getByLabel('New scenario name').fill('E2E option 2');
    await panel.getByRole('button', { name: 'Create' }).click();
    await expect.poll(async () => (await scenario(page))?.id, SLOW).not.toBe(id);
    await waitForScenario(0, false);
    await panel.getByLabel(/Compare with the baseline/).check();
    await panel.getByRole('radio', { name: 'Swipe' }).check();
    await panel.getByLabel('Compare with', { exact: true }).selectOption({ label: 'E2E station yard' });
    await expect.poll(async () => (await scenario(page))?.comparison?.a, SLOW).toBe('E2E station yard');
    expect((await scenario(page))?.comparison?.gfaDeltaM2).toBeLessThan(-100); // right − left: the block
    await page.locator('.side-panel').screenshot({ path: join(artifacts, 'scenario-compare-panel.png') });
    await divider.focus();
    await page.keyboard.press('End');
    await expect.poll(async () => (await scenario(page))?.split, SLOW).toBe(1);
    await expect
      .poll(async () => (await scenario(page))?.otherOverlayLoaded, { timeout: 120_000 })
      .toBe(true);
    expect(await changedShare(before, await shot('scenario-compare-two-left'), box)).toBeGreaterThan(0.5);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await scenario(page))?.split, SLOW).toBe(0);
    expect(await changedShare(before, await shot('scenario-compare-two-right'), box)).toBeLessThan(0.05);
    await panel.getByLabel(/Compare with the baseline/).uncheck();
    await panel.getByRole('combobox', { name: /^Scenario/ }).selectOption({ label: 'E2E station yard' });
    await expect.poll(async () => (await scenario(page))?.id, SLOW).toBe(id);
    await waitForScenario(1, true);

    step = 'undoing';
    await panel.getByRole('button', { name: 'Undo' }).click();
    await waitForScenario(0, false);
    const undone = await shot('scenario-undone');
    const back = await changedShare(before, undone, box);
    await writeFile(
      join(artifacts, 'scenario-pixels.json'),
      `${JSON.stringify({ box, drawn, back, footprint: FOOTPRINT, camera: CAMERA }, null, 2)}\n`,
    );
    expect(drawn).toBeGreaterThan(0.5); // the new building covers its footprint
    expect(back).toBeLessThan(0.05); // and is gone after undo
    expect(pageErrors).toEqual([]);
  });
  it('drags a new building’s height, imports a glTF massing, and shows sun, energy and carbon deltas', async () => {
    const panel = page.getByRole('region', { name: 'Scenarios' });
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    const screen = async (lon: number, lat: number, h: number) => {
      const p = await page.evaluate(
        ([x, y, z]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(x, y, z),
        [lon, lat, h] as const,
      );
      if (!p) throw new Error(`${lon}, ${lat} is off screen`);
      return p;
    };
    // A scenario of its own (signed in already when the first test ran), so this test also runs alone (-t).
    await signIn(panel);
    step = 'creating';
    const before = (await scenario(page))?.id ?? null;
    await panel.getByLabel('New scenario name').fill('E2E drag and import');
    await panel.getByRole('button', { name: 'Create' }).click();
    await expect.poll(async () => (await scenario(page))?.id ?? null, SLOW).not.toBe(before);
    await waitForScenario(0, false);
    const id = (await scenario(page))?.id;
    expect(id).toBeTruthy();

    // Looking north at the yard from 300 m south (straight down, up/down on screen would not be height).
    step = 'dragging the height';
    await page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), {
      lon: -0.733675,
      lat: 52.67085,
      heightM: 220,
      headingDeg: 0,
      pitchDeg: -35,
    } satisfies CameraView);
    await panel.getByRole('button', { name: 'Draw footprint on the map' }).click();
    for (const [lon, lat] of FOOTPRINT) {
      const at = await screen(lon, lat, 0);
      await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
      await page.waitForTimeout(400);
    }
    await page.keyboard.press('Enter');
    const form = panel.getByRole('form', { name: 'New building' });
    await form.getByLabel('Name').fill('E2E dragged');
    await expect.poll(async () => (await scenario(page))?.previewHeightM).toBe(12); // 4 storeys, the default
    await expect.poll(async () => (await scenario(page))?.previewDrawnM, SLOW).toBe(12);
    const low = await shot('scenario-drag-before');
    const mid: [number, number] = [
      FOOTPRINT.reduce((a, p) => a + p[0], 0) / FOOTPRINT.length,
      FOOTPRINT.reduce((a, p) => a + p[1], 0) / FOOTPRINT.length,
    ];
    const handle = await screen(mid[0], mid[1], 12);
    const foot = await screen(mid[0], mid[1], 0);
    const pxPerM = (foot.y - handle.y) / 12;
    // 24 m up the screen at the building: 4 + 8 = 12 storeys (36 m).
    await page.mouse.move(canvas.x + handle.x, canvas.y + handle.y);
    await page.mouse.down();
    for (let k = 1; k <= 8; k++)
      await page.mouse.move(canvas.x + handle.x, canvas.y + handle.y - k * 3 * pxPerM);
    await page.mouse.up();
    await expect.poll(() => form.getByLabel('Storeys').inputValue()).toBe('12');
    await expect.poll(async () => (await scenario(page))?.previewHeightM).toBe(36);
    // Cesium builds the entity's new geometry in a web worker: the shot waits until the 36 m block is drawn.
    await expect.poll(async () => (await scenario(page))?.previewDrawnM, SLOW).toBe(36);
    const high = await shot('scenario-drag-after');
    // Above the old roof line, between 12 m and 36 m over the footprint's middle: the block now fills it.
    const top36 = await screen(mid[0], mid[1], 34);
    const top14 = await screen(mid[0], mid[1], 14);
    const grown = await changedShare(low, high, {
      x0: top36.x - 10,
      x1: top36.x + 10,
      y0: top36.y,
      y1: top14.y,
    });
    expect(grown).toBeGreaterThan(0.3);
    await form.getByRole('button', { name: 'Add building' }).click();
    await waitForScenario(1, true);
    const added = await page.evaluate(async (sid) => {
      const r = await fetch(`/api/scenarios/${sid}/buildings`);
      return (await r.json()).features.map(
        (f: { properties: { name: string; storeys: number; heightM: number } }) => f.properties,
      );
    }, id);
    expect(added).toEqual([expect.objectContaining({ name: 'E2E dragged', storeys: 12, heightM: 36 })]);

    // Moving it 8 m west (the yard is clear for 10 m round it): select it, "Move on the map", drag its footprint
    // along the ground; one undoable change.
    step = 'moving';
    const centreOf = (bid: string) =>
      page.evaluate(
        async ([sid, b]) => {
          const r = await fetch(`/api/scenarios/${sid}/buildings/${encodeURIComponent(b)}`);
          const xy: number[][] = (await r.json()).footprint.coordinates.flat(2);
          const mid = (k: number) =>
            (Math.min(...xy.map((p) => p[k])) + Math.max(...xy.map((p) => p[k]))) / 2;
          return [mid(0), mid(1)] as [number, number];
        },
        [id, bid] as const,
      );
    const roof = await screen(mid[0], mid[1], 34);
    // The overlay's block must be in the scene under that pixel before the user's click can select it (its tile is
    // drawn a frame or more after the change list says it is built).
    await expect
      .poll(
        () =>
          page.evaluate(([x, y]) => (window as unknown as ViewerWindow).__placetwin.pickAt(x, y), [
            roof.x,
            roof.y,
          ] as const),
        SLOW,
      )
      .toMatch(/^new\//);
    await page.mouse.click(canvas.x + roof.x, canvas.y + roof.y);
    const selected = panel.getByRole('form', { name: 'Selected building' });
    await expect.poll(() => selected.getByRole('heading').first().textContent(), SLOW).toMatch(/new\//);
    const movedId = ((await selected.getByRole('heading').first().textContent()) ?? '').replace(
      /^Selected: /,
      '',
    );
    const start = await centreOf(movedId);
    await selected.getByRole('button', { name: 'Move on the map' }).click();
    await expect.poll(async () => (await scenario(page))?.moving?.id, SLOW).toBe(movedId);
    const mPerDegLon = 111_320 * Math.cos((mid[1] * Math.PI) / 180); // near enough for an 8 m drag (±0.2 %)
    const from = await screen(mid[0], mid[1], 0);
    const to = await screen(mid[0] - 8 / mPerDegLon, mid[1], 0);
    await page.mouse.move(canvas.x + from.x, canvas.y + from.y);
    await page.mouse.down();
    for (let k = 1; k <= 5; k++)
      await page.mouse.move(
        canvas.x + from.x + ((to.x - from.x) * k) / 5,
        canvas.y + from.y + ((to.y - from.y) * k) / 5,
      );
    await page.mouse.up();
    await waitForScenario(2, true);
    const end = await centreOf(movedId);
    expect((start[0] - end[0]) * mPerDegLon).toBeGreaterThan(6.5);
    expect((start[0] - end[0]) * mPerDegLon).toBeLessThan(9.5);
    expect(Math.abs(end[1] - start[1]) * 111_250).toBeLessThan(2);
    await expect.poll(() => panel.locator('.change-list').textContent()).toMatch(/moved or redrawn/);
    expect((await scenario(page))?.moving).toBeNull();
    await page.keyboard.press('Escape');

    // An architect's glTF (two boxes, test/fixtures/README.md) placed on open ground west of the station.
    step = 'importing glTF';
    await page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), CAMERA);
    await panel.getByText('Or import a massing file').click();
    await panel
      .getByLabel('Massing file')
      .setInputFiles(join(repoRoot, 'test/fixtures/massing-two-blocks.glb'));
    await panel.getByLabel('Site origin (lon, lat)').fill('-0.7348, 52.6734');
    await panel.getByRole('button', { name: 'Import massing-two-blocks.glb' }).click();
    await waitForScenario(4, true);
    expect((await scenario(page))?.message).toBeNull();
    await expect.poll(() => panel.locator('.change-list').textContent()).toMatch(/Block A.*Block B/s);

    // The compare panel: sun-hours, energy and carbon, baseline / scenario / change, computed when opened.
    step = 'impacts';
    await panel.getByLabel(/Compare with the baseline/).check();
    // Against the baseline (the compare remembers the other scenario the first test chose).
    await panel.getByLabel('Compare with', { exact: true }).selectOption({ label: 'Baseline (today)' });
    await panel.getByRole('radio', { name: 'Swipe' }).check();
    const impacts = panel.getByTestId('scenario-impacts');
    await impacts.getByText('Sun, energy and carbon against Baseline (today)').click();
    const table = impacts.getByTestId('impacts-table');
    await expect.poll(() => table.textContent(), SLOW).toContain('computing…');
    await expect.poll(() => table.textContent(), { timeout: 240_000 }).not.toContain('computing…');
    const cells = async (key: string) =>
      (await table.locator(`tr[data-key="${key}"] td`).allTextContents()).map((t) => t.trim());
    const heat = await cells('heat');
    expect(heat[2]).toMatch(/^\+[\d,.]+$/); // three new buildings: more heat demand
    expect(Number(heat[1].replaceAll(',', '')) - Number(heat[0].replaceAll(',', ''))).toBeGreaterThan(0);
    expect((await cells('embodied'))[2]).toMatch(/^\+/);
    const sunShare = await cells('sun-share');
    expect(sunShare.slice(0, 2).every((t) => /^[\d.]+$/.test(t))).toBe(true); // before and after, %
    expect(await impacts.locator('.impact-errors').count()).toBe(0);
    expect(await impacts.textContent()).toMatch(/TM46/);

    // The floor-area chart as a PNG: the chart canvas on white with a title and a source line.
    step = 'chart png';
    await expect
      .poll(() => panel.getByTestId('compare-chart').locator('canvas').isVisible(), SLOW)
      .toBe(true);
    const chartSize = await panel
      .getByTestId('compare-chart')
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => ({ w: c.width, h: c.height }));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download chart (PNG)' }).click(),
    ]);
    const pngPath = join(artifacts, 'scenario-compare-chart.png');
    await download.saveAs(pngPath);
    const png = await readFile(pngPath);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(chartSize.w + 32); // 16 px of white each side
    expect(meta.height).toBeGreaterThan(chartSize.h);

    // At 1280 × 720 the tables scroll sideways inside the panel: their Change columns are reachable, not cut off.
    step = 'narrow';
    await page.setViewportSize({ width: 1280, height: 720 });
    const scroll = impacts.locator('.table-scroll');
    const sizes = await scroll.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    const panelBox = await page.locator('.side-panel').boundingBox();
    const scrollBox = await scroll.boundingBox();
    expect(scrollBox && panelBox && scrollBox.x + scrollBox.width <= panelBox.x + panelBox.width + 1).toBe(
      true,
    );
    await scroll.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'scenario-impacts-1280x720.png') });
    if (sizes.scroll > sizes.client) {
      await scroll.evaluate((el) => {
        el.scrollLeft = el.scrollWidth;
      });
      const lastHead = await scroll.locator('thead th').last().boundingBox();
      expect(lastHead && scrollBox && lastHead.x + lastHead.width <= scrollBox.x + scrollBox.width + 1).toBe(
        true,
      );
      await page.screenshot({ path: join(artifacts, 'scenario-impacts-1280x720-scrolled.png') });
    }
    await page.setViewportSize(VIEWPORT);
    expect(pageErrors).toEqual([]);
  });

  it('reshapes a baseline building by dragging a corner on the map, and undo takes it back', async () => {
    const panel = page.getByRole('region', { name: 'Scenarios' });
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    const screen = async (lon: number, lat: number, h: number) => {
      const p = await page.evaluate(
        ([x, y, z]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(x, y, z),
        [lon, lat, h] as const,
      );
      if (!p) throw new Error(`${lon}, ${lat} is off screen`);
      return p;
    };
    await signIn(panel);
    step = 'creating';
    const before = (await scenario(page))?.id ?? null;
    await panel.getByLabel('New scenario name').fill('E2E reshape');
    await panel.getByRole('button', { name: 'Create' }).click();
    await expect.poll(async () => (await scenario(page))?.id ?? null, SLOW).not.toBe(before);
    await waitForScenario(0, false);
    const id = (await scenario(page))?.id;
    const compare = panel.getByLabel(/Compare with the baseline/);
    if ((await compare.count()) > 0 && (await compare.isChecked())) await compare.uncheck();
    await page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), CAMERA);

    // Travis Perkins (a baseline OSM building east of the yard, 6 m): its footprint as the scenario has it.
    const TP = 'rutland:w178280261';
    const ringOf = (g: { type: string; coordinates: number[][][] | number[][][][] }) => {
      const ring = (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0]) as number[][];
      const closed = ring.length > 1 && ring[0][0] === ring.at(-1)?.[0] && ring[0][1] === ring.at(-1)?.[1];
      return (closed ? ring.slice(0, -1) : ring) as [number, number][];
    };
    const original = ringOf(
      await page.evaluate(
        async ([sid, b]) =>
          (await (await fetch(`/api/scenarios/${sid}/buildings/${encodeURIComponent(b)}`)).json()).footprint,
        [id, TP] as const,
      ),
    );
    expect(original.length).toBeGreaterThanOrEqual(4);
    const mid: [number, number] = [
      original.reduce((a, p) => a + p[0], 0) / original.length,
      original.reduce((a, p) => a + p[1], 0) / original.length,
    ];
    const mPerDegLon = 111_320 * Math.cos((mid[1] * Math.PI) / 180);
    const mPerDegLat = 111_250;
    const metres = (a: [number, number], b: [number, number]) =>
      Math.hypot((a[0] - b[0]) * mPerDegLon, (a[1] - b[1]) * mPerDegLat);
    // Its westmost corner (the south-west one) dragged 8 m west, onto the open yard.
    const corner = original.reduce((w, p) => (p[0] < w[0] ? p : w));
    const target: [number, number] = [corner[0] - 8 / mPerDegLon, corner[1]];

    step = 'selecting the baseline building';
    const roof = await screen(mid[0], mid[1], 5);
    await expect
      .poll(
        () =>
          page.evaluate(([x, y]) => (window as unknown as ViewerWindow).__placetwin.pickAt(x, y), [
            roof.x,
            roof.y,
          ] as const),
        SLOW,
      )
      .toBe(TP);
    await page.mouse.click(canvas.x + roof.x, canvas.y + roof.y);
    const selected = panel.getByRole('form', { name: 'Selected building' });
    await expect
      .poll(() => selected.getByRole('heading').first().textContent(), SLOW)
      .toBe(`Selected: ${TP}`);
    await selected.getByRole('button', { name: 'Edit footprint' }).click();
    await expect.poll(async () => (await scenario(page))?.editing?.id, SLOW).toBe(TP);

    step = 'dragging a corner';
    const from = await screen(corner[0], corner[1], 0);
    const to = await screen(target[0], target[1], 0);
    await page.mouse.move(canvas.x + from.x, canvas.y + from.y);
    await page.mouse.down();
    for (let k = 1; k <= 5; k++)
      await page.mouse.move(
        canvas.x + from.x + ((to.x - from.x) * k) / 5,
        canvas.y + from.y + ((to.y - from.y) * k) / 5,
      );
    await page.mouse.up();
    await waitForScenario(1, true);
    expect((await scenario(page))?.message).toBeNull();
    const changes = async () =>
      (
        await page.evaluate(
          async (sid) => (await (await fetch(`/api/scenarios/${sid}/changes`)).json()).changes,
          id,
        )
      ).filter((c: { state: string }) => c.state === 'active') as {
        change: { op: string; id: string; footprint?: { type: string; coordinates: number[][][] } };
      }[];
    const stored = await changes();
    expect(stored).toHaveLength(1);
    expect(stored[0].change).toMatchObject({ op: 'modify', id: TP });
    const reshaped = ringOf(stored[0].change.footprint ?? { type: 'Polygon', coordinates: [[]] });
    expect(reshaped).toHaveLength(original.length);
    // Every other corner stays where it was (to a centimetre); the dragged one moved 8 m west, give or take.
    const nearest = (p: [number, number]) => Math.min(...reshaped.map((q) => metres(p, q)));
    for (const p of original.filter((p) => p !== corner)) expect(nearest(p)).toBeLessThan(0.01);
    const moved = reshaped.filter((q) => Math.min(...original.map((p) => metres(p, q))) > 0.01);
    expect(moved).toHaveLength(1);
    const travelled = metres(moved[0], corner);
    expect(travelled).toBeGreaterThan(6.5);
    expect(travelled).toBeLessThan(9.5);
    expect(Math.abs(moved[0][1] - corner[1]) * mPerDegLat).toBeLessThan(2); // west, not north or south
    expect((await scenario(page))?.hiddenBuildingIds).toContain(TP);
    await expect.poll(() => panel.locator('.change-list').textContent()).toMatch(/Change rutland:w178280261/);
    // Still editing, with the handles on the stored footprint (the shot shows them on the reshaped building).
    expect((await scenario(page))?.editing?.id).toBe(TP);
    await shot('scenario-reshape-corner');

    step = 'undoing the reshape';
    await panel.getByRole('button', { name: 'Undo' }).click();
    await waitForScenario(0, false);
    expect(await changes()).toEqual([]);
    expect((await scenario(page))?.hiddenBuildingIds).not.toContain(TP);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await scenario(page))?.editing ?? null).toBeNull();
    expect(pageErrors).toEqual([]);
  });
});

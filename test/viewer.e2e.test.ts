/**
 * The whole path a user takes, in real Chromium: a fresh Placetwin (embedded PostGIS, Rutland imported and tiled on
 * first start) serves the viewer; it opens over its council area (Rutland) with the area's boundary drawn on the
 * ground; Cesium loads the 3D Tiles and the offline basemap; a click on a building shows its attributes and
 * provenance; the view survives a share link; a second council (Leeds, added with `placetwin area add` from the ONS
 * boundaries file) opens over its own district with `?council=`; and nothing is fetched from anywhere but the server.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GeoJsonGeometry } from '@placetwin/geo';
import type { CameraView } from '@placetwin/viewer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  pixelAt,
  pixelStats,
  toFront,
  type ViewerWindow,
  waitForLoaded,
  waitForViewerReady,
} from './support/chromium';
import { distanceToEdgeM, footprintCentroid, insideFootprint } from './support/footprints';
import { repoRoot } from './support/paths';
import { newDataDir, type RunningPlacetwin, startPlacetwin } from './support/placetwin-server';

const artifacts = join(repoRoot, 'test-artifacts');
const VIEWPORT = { width: 1280, height: 800 };
/** Oakham, Rutland's county town: its centre, where the buildings are densest. */
const OAKHAM_BBOX = [-0.7345, 52.6665, -0.7215, 52.6735] as const;
/** Looking north-east over Oakham's centre, with the late-afternoon sun behind: lit walls, long shadows. */
const OAKHAM_VIEW: CameraView = { lon: -0.7325, lat: 52.6647, heightM: 420, headingDeg: 45, pitchDeg: -32 };

interface DatasetJson {
  name: string;
  title: string;
  attribution: string;
  tilesetUrl: string | null;
}
interface BuildingFeatureJson {
  id: string;
  geometry: GeoJsonGeometry;
  properties: {
    id: string;
    sourceId: string;
    heightM: number;
    heightSource: string;
    footprintAreaM2: number;
  };
}

interface AreaJson {
  id: string;
  name: string;
  camera: { lon: number; lat: number; height: number } | null;
  boundary: GeoJsonGeometry | null;
}

const hooks = (page: Page) => ({
  state: () => page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.state()),
  cameraTo: (view: CameraView) =>
    page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), view),
  tilesetsLoaded: () => page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.tilesetsLoaded()),
  worldToScreen: (lon: number, lat: number, heightM: number) =>
    page.evaluate(([x, y, z]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(x, y, z), [
      lon,
      lat,
      heightM,
    ] as const),
  boundary: () => page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.boundary?.() ?? null),
  pickAt: (x: number, y: number) =>
    page.evaluate(([px, py]) => (window as unknown as ViewerWindow).__placetwin.pickAt(px, py), [
      x,
      y,
    ] as const),
});

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * A building that a click at its centroid must hit: a large footprint whose centroid lies well inside it, preferring
 * one with a measured height. Chosen from the real data, so the same one every run.
 */
function chooseBuilding(features: BuildingFeatureJson[]) {
  const candidates = features
    .map((f) => ({ f, c: footprintCentroid(f.geometry) }))
    .filter(
      (x): x is { f: BuildingFeatureJson; c: { lon: number; lat: number } } =>
        x.c !== null &&
        x.f.properties.footprintAreaM2 > 120 &&
        insideFootprint(x.f.geometry, x.c.lon, x.c.lat) &&
        distanceToEdgeM(x.f.geometry, x.c.lon, x.c.lat) > 4,
    )
    .sort(
      (a, b) =>
        Number(b.f.properties.heightSource === 'measured') -
          Number(a.f.properties.heightSource === 'measured') ||
        b.f.properties.footprintAreaM2 - a.f.properties.footprintAreaM2 ||
        a.f.id.localeCompare(b.f.id),
    );
  if (!candidates[0]) throw new Error('no building in Oakham fits the test');
  return candidates[0];
}

/** The boundary line's pink (#d53880): far more red and blue than green, unlike the basemap's roads and fields. */
const isBoundaryPink = ([r, g, b]: number[]) => r > g + 100 && b > g + 40;

/**
 * After the viewer opened over an area: the camera stands inside the area's boundary, the boundary is a ground
 * primitive in the scene, built and shown, and it is drawn where one of its vertices appears on screen.
 */
async function expectOpenedOver(browser: Browser, page: Page, area: AreaJson, shot: string) {
  const { boundary } = area;
  if (!boundary) throw new Error(`area ${area.id} has no boundary`);
  const camera = (await hooks(page).state()).camera;
  expect(camera).not.toBeNull();
  expect(insideFootprint(boundary, camera!.lon, camera!.lat)).toBe(true);
  await expect.poll(async () => (await hooks(page).boundary())?.ready, { timeout: 60_000 }).toBe(true);
  const drawn = await hooks(page).boundary();
  expect(drawn).toMatchObject({ areaId: area.id, inScene: true, show: true });
  const rings =
    boundary.type === 'MultiPolygon'
      ? boundary.coordinates.flat()
      : boundary.type === 'Polygon'
        ? boundary.coordinates
        : [];
  expect(drawn!.rings).toBe(rings.length);
  expect(drawn!.vertices).toBe(rings.reduce((n, r) => n + r.length, 0));

  const png = await page.screenshot({ path: join(artifacts, shot) });
  const canvas = await page.locator('.scene canvas').boundingBox();
  if (!canvas) throw new Error('no Cesium canvas');
  // Boundary vertices well inside the canvas (every 10th, enough to find some on screen), in page pixels.
  const onScreen: { x: number; y: number }[] = [];
  for (const ring of rings)
    for (let i = 0; i < ring.length && onScreen.length < 12; i += 10) {
      const at = await hooks(page).worldToScreen(ring[i][0], ring[i][1], 0);
      if (at && at.x > 10 && at.y > 10 && at.x < canvas.width - 10 && at.y < canvas.height - 10)
        onScreen.push({ x: Math.round(canvas.x + at.x), y: Math.round(canvas.y + at.y) });
    }
  expect(onScreen.length).toBeGreaterThan(0);
  // The 7×7 pixels around each vertex, read from the screenshot in one page (pixelAt opens one per pixel).
  const decoder = await browser.newContext();
  const neighbourhoods = await (await decoder.newPage()).evaluate(
    async ([base64, points]) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
      if (!ctx) throw new Error('no 2D canvas');
      ctx.drawImage(bitmap, 0, 0);
      return points.map(({ x, y }) => {
        const d = ctx.getImageData(x - 3, y - 3, 7, 7).data;
        const out: number[][] = [];
        for (let i = 0; i < d.length; i += 4) out.push([d[i], d[i + 1], d[i + 2]]);
        return out;
      });
    },
    [png.toString('base64'), onScreen] as const,
  );
  await decoder.close();
  const pink = neighbourhoods.filter((around) => around.some(isBoundaryPink)).length;
  expect(pink).toBeGreaterThanOrEqual(Math.ceil(onScreen.length / 2));
}

describe('viewer (Chromium, offline Cesium)', () => {
  let server: RunningPlacetwin;
  let dataDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let datasets: DatasetJson[];
  const requests: string[] = [];
  const badResponses: string[] = [];
  const pageErrors: string[] = [];

  /** A browser context whose requests and failed responses the last test checks. */
  async function watchedContext(): Promise<BrowserContext> {
    const c = await browser.newContext({ viewport: VIEWPORT });
    c.on('request', (r) => {
      requests.push(r.url());
    });
    c.on('response', (r) => {
      // 401 from /api/auth/me is the expected "nobody is signed in" answer the scenario panel asks for.
      if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/auth/me')))
        badResponses.push(`${r.status()} ${r.url()}`);
    });
    return c;
  }

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // A second council beside the sample city's Rutland, added by the CLI before the server opens the database.
    dataDir = await newDataDir('placetwin-viewer-e2e-');
    const cliEnv: NodeJS.ProcessEnv = { ...process.env, PLACETWIN_DATA_DIR: dataDir };
    delete cliEnv.DATABASE_URL;
    await promisify(execFile)(
      process.execPath,
      [
        join(repoRoot, 'packages/cli/bin/placetwin.mjs'),
        'area',
        'add',
        '--id',
        'leeds',
        '--lad17cd',
        'E08000035',
      ],
      { cwd: repoRoot, env: cliEnv },
    );
    server = await startPlacetwin({ env: { PLACETWIN_DATA_DIR: dataDir } });
    datasets = await getJson<DatasetJson[]>(`${server.baseUrl}/api/datasets`);
    browser = await launchChromium();
    context = await watchedContext();
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('opens on the sample city with its buildings loaded, on a basemap, with credits', async () => {
    expect(datasets.length).toBeGreaterThan(0);
    expect(datasets.every((d) => d.tilesetUrl)).toBe(true);
    await page.goto(`${server.baseUrl}/`);
    await waitForViewerReady(page);
    await waitForLoaded(page, { globe: true });
    expect(await hooks(page).tilesetsLoaded()).toBe(true);

    const state = await hooks(page).state();
    expect(state.camera).not.toBeNull();
    expect(state.colourBy).toBe('height');

    const credits = page.getByRole('region', { name: 'Data credits' });
    await expect.poll(() => credits.textContent()).toContain('© OpenStreetMap contributors');
    for (const d of datasets) expect(await credits.textContent()).toContain(d.attribution);
    await expect.poll(() => page.locator('.app-header').textContent()).toContain(datasets[0].title);

    const shot = await page.screenshot({ path: join(artifacts, 'viewer-home.png') });
    const pixels = await pixelStats(browser, shot);
    expect(pixels.width).toBe(VIEWPORT.width);
    expect(pixels.distinctColours).toBeGreaterThan(200);
    expect(pixels.nonBackgroundShare).toBeGreaterThan(0.3);
    expect(pageErrors).toEqual([]);
  });

  it("opens at the area's default camera, inside Rutland's boundary, with the boundary drawn on the ground", async () => {
    const rutland = await getJson<AreaJson>(`${server.baseUrl}/api/area`);
    expect(rutland.name).toBe('Rutland');
    expect(rutland.camera).not.toBeNull();
    const camera = (await hooks(page).state()).camera!;
    expect(camera.lon).toBeCloseTo(rutland.camera!.lon, 4);
    expect(camera.lat).toBeCloseTo(rutland.camera!.lat, 4);
    await expectOpenedOver(browser, page, rutland, 'viewer-rutland-boundary.png');
  });

  it('opens over Leeds with ?council= (its id or its ONS district code), with Leeds’s boundary', async () => {
    const leeds = await getJson<AreaJson>(`${server.baseUrl}/api/area?council=leeds`);
    expect(leeds.name).toBe('Leeds');
    // A context of its own: the page remembers the council it was opened for (a cookie), which would follow the
    // Rutland page's later requests.
    const leedsContext = await watchedContext();
    const other = await leedsContext.newPage();
    other.on('pageerror', (e) => pageErrors.push(e.message));
    await other.goto(`${server.baseUrl}/?council=E08000035`);
    await waitForViewerReady(other);
    await waitForLoaded(other, { globe: true });
    await expectOpenedOver(browser, other, leeds, 'viewer-leeds-boundary.png');
    const camera = (await hooks(other).state()).camera!;
    // Leeds is not Rutland: the camera is outside Rutland's boundary.
    const rutland = await getJson<AreaJson>(`${server.baseUrl}/api/area`);
    expect(insideFootprint(rutland.boundary!, camera.lon, camera.lat)).toBe(false);
    await leedsContext.close();
    await toFront(page);
  });

  it('picks a known building where its centroid appears, and shows its attributes on click', async () => {
    const dataset = datasets[0].name;
    const list = await getJson<{ features: BuildingFeatureJson[] }>(
      `${server.baseUrl}/api/buildings?bbox=${OAKHAM_BBOX.join(',')}&dataset=${dataset}&limit=5000`,
    );
    const { f: building, c: centroid } = chooseBuilding(list.features);

    // Straight down from above the building: its centroid is then under the same pixel at any roof or ground height.
    await hooks(page).cameraTo({ ...centroid, heightM: 300, headingDeg: 0, pitchDeg: -90 });
    await waitForLoaded(page);
    const at = await hooks(page).worldToScreen(centroid.lon, centroid.lat, building.properties.heightM);
    expect(at).not.toBeNull();
    const { x, y } = at as { x: number; y: number };
    expect(await hooks(page).pickAt(x, y)).toBe(building.id);

    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    await page.mouse.click(canvas.x + x, canvas.y + y);
    const panel = page.locator(`.info-panel[data-building-id="${building.id}"]`);
    const osmNumber = building.properties.sourceId.replace(/^[wrn]/, '');
    await expect.poll(() => panel.locator('.osm-id').textContent(), { timeout: 30_000 }).toContain(osmNumber);
    const badge = panel.locator('[data-height-source]');
    expect(await badge.getAttribute('data-height-source')).toBe(building.properties.heightSource);
    expect(await badge.textContent()).toBe(
      building.properties.heightSource === 'measured' ? 'Measured' : 'Estimated',
    );
    expect(await panel.textContent()).toContain(datasets[0].attribution);
    expect((await hooks(page).state()).selected).toBe(building.id);
    await page.screenshot({ path: join(artifacts, 'viewer-selected.png') });

    // The selected building is drawn in the highlight colour (amber) where it was clicked.
    const shot = await page.screenshot({
      clip: { x: canvas.x + x - 2, y: canvas.y + y - 2, width: 5, height: 5 },
    });
    const rgb = await pixelAt(browser, shot, 2, 2);
    expect(rgb[0]).toBeGreaterThan(rgb[2] + 80);
    expect(rgb[1]).toBeGreaterThan(rgb[2] + 50);
  });

  it('keeps the view, selection and colouring in a share link', async () => {
    await page.getByLabel('Colour buildings by').selectOption('heightSource');
    const before = await hooks(page).state();
    expect(before.colourBy).toBe('heightSource');
    await page.waitForFunction(
      (sel) =>
        window.location.hash.includes(`sel=${sel}`) && window.location.hash.includes('colour=heightSource'),
      before.selected,
    );
    const link = page.url();

    const other = await context.newPage();
    await other.goto(link);
    await waitForViewerReady(other);
    const after = await hooks(other).state();
    expect(after.selected).toBe(before.selected);
    expect(after.colourBy).toBe('heightSource');
    expect(after.time).toBe(before.time);
    expect(after.camera?.lon).toBeCloseTo(before.camera?.lon ?? Number.NaN, 5);
    expect(after.camera?.lat).toBeCloseTo(before.camera?.lat ?? Number.NaN, 5);
    expect(after.camera?.heightM).toBeCloseTo(before.camera?.heightM ?? Number.NaN, 0);
    await expect
      .poll(() => other.locator(`.info-panel[data-building-id="${before.selected}"] .osm-id`).count())
      .toBe(1);
    await other.close();
    await toFront(page);
  });

  it('sets the time in UK local time and draws sun shadows', async () => {
    await page.getByLabel('Colour buildings by').selectOption('height');
    await page.getByRole('button', { name: 'Close building details' }).click();
    await page.getByLabel('Date', { exact: true }).fill('2025-06-21');
    await page.getByLabel('Time', { exact: true }).fill('17:30');
    // Midsummer is BST: 17:30 in the UK is 16:30 UTC.
    await expect.poll(async () => (await hooks(page).state()).time).toBe('2025-06-21T16:30:00Z');
    expect(await page.locator('.side-panel').textContent()).toContain('BST, UTC+01:00');
    await page.getByRole('checkbox', { name: /Sun shadows/ }).check();
    expect((await hooks(page).state()).shadows).toBe(true);
    await hooks(page).cameraTo(OAKHAM_VIEW);
    await waitForLoaded(page, { globe: true });
    const shot = await page.screenshot({ path: join(artifacts, 'viewer-oakham-shadows.png') });
    expect((await pixelStats(browser, shot)).distinctColours).toBeGreaterThan(200);
  });

  it('runs the clock from the date and time control, and switches layers', async () => {
    await page.getByLabel('Clock speed when playing').selectOption({ label: '1 hour per second' });
    await page.getByRole('button', { name: 'Play' }).click();
    // The scene clock runs: the time shown moves on by at least an hour of scene time.
    await expect
      .poll(async () => Date.parse((await hooks(page).state()).time), { timeout: 60_000 })
      .toBeGreaterThan(Date.parse('2025-06-21T17:30:00Z'));
    await page.getByRole('button', { name: 'Pause' }).click();
    expect(await page.getByRole('button', { name: 'Play' }).getAttribute('aria-pressed')).toBe('false');

    await page.getByRole('checkbox', { name: /^Basemap/ }).uncheck();
    await page.getByRole('checkbox', { name: `${datasets[0].title} buildings` }).uncheck();
    const state = await hooks(page).state();
    expect(state.layers).toEqual({ basemap: false, buildings: { [datasets[0].name]: false } });
    await page.waitForFunction(() => window.location.hash.includes('hide=basemap,buildings:'));
    // The data's attribution stays on screen whatever is switched off.
    const credits = page.getByRole('region', { name: 'Data credits' });
    expect(await credits.textContent()).toContain('© OpenStreetMap contributors');
  });

  it('fetched everything from its own origin (no ion, no Bing, no CDN) and nothing failed', async () => {
    await writeFile(join(artifacts, 'viewer-requests.txt'), `${requests.join('\n')}\n`);
    expect(requests.length).toBeGreaterThan(10);
    const offOrigin = requests.filter((u) => {
      const url = new URL(u);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== server.baseUrl;
    });
    expect(offOrigin).toEqual([]);
    expect(requests.some((u) => u.includes('/tilesets/'))).toBe(true);
    expect(requests.some((u) => u.includes('/basemap/'))).toBe(true);
    expect(requests.some((u) => u.includes('/cesium/'))).toBe(true);
    expect(badResponses).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

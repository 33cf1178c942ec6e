/**
 * Public transport in real Chromium on the real Newport BODS GTFS feed (imported on first start with the sample
 * city): choosing the feed flies to Newport and draws its routes and stops; at rush hour the scheduled buses are on
 * the map and move as the twin's clock runs; clicking a stop lists that day's departures; picking a point draws
 * the 15/30/45-minute isochrones on the ground with their legend and counts; over Oakham (Rutland, walking only)
 * the 15-minute city score map and a point score.
 *
 * Lean on purpose (SwiftShader on two loaded cores): one page, one server, no waiting on building tiles (there are
 * none in Newport).
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CameraView, PlacetwinTestHooks } from '@placetwin/viewer';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type ViewerWindow, waitForViewerReady } from './support/chromium';
import { repoRoot, sampleDataDir } from './support/paths';
import { type RunningPlacetwin, startPlacetwin } from './support/placetwin-server';

type TransportState = ReturnType<NonNullable<PlacetwinTestHooks['transport']>>;

const artifacts = join(repoRoot, 'test-artifacts');
const VIEWPORT = { width: 1280, height: 800 };
/** Newport city centre (the bus station area) and a stop with many departures there. */
const NEWPORT_CENTRE = { lon: -2.9977, lat: 51.5886 };
/** The Newport feed starts on Monday 2023-06-05; today is outside it, so rush hour is Tuesday 08:00 BST. */
const RUSH_HOUR = '2023-06-06T07:00:00Z';
const M_PER_DEG_LAT = 111_195;
/** The recorded Metro Transit VehiclePositions message (route 2, 2019-05-01), served by a local HTTP server. */
const RT_PB = join(
  sampleDataDir,
  'transport/gtfs-rt/minneapolis-metrotransit-route2-20190501/vehicle_positions.pb',
);

const hooks = (page: Page) => ({
  transport: () =>
    page.evaluate(
      () => (window as unknown as ViewerWindow).__placetwin.transport?.() ?? null,
    ) as Promise<TransportState | null>,
  state: () => page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.state()),
  cameraTo: (view: CameraView) =>
    page.evaluate((v) => (window as unknown as ViewerWindow).__placetwin.cameraTo(v), view),
  worldToScreen: (lon: number, lat: number, h: number) =>
    page.evaluate(([x, y, z]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(x, y, z), [
      lon,
      lat,
      h,
    ] as const),
});

describe('public transport (Chromium, offline Cesium, Newport GTFS)', () => {
  let server: RunningPlacetwin;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const badResponses: string[] = [];

  let rtServer: Server;
  let rtRequests = 0;

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    // A local stand-in for a GTFS-Realtime endpoint (no internet): it answers the recorded message.
    const pb = readFileSync(RT_PB);
    rtServer = createServer((_req, res) => {
      rtRequests++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(pb);
    });
    await new Promise<void>((r) => rtServer.listen(0, '127.0.0.1', r));
    const rtUrl = `http://127.0.0.1:${(rtServer.address() as AddressInfo).port}/vehicle-positions`;
    server = await startPlacetwin({
      env: {
        PLACETWIN_GTFS_RT_URL: rtUrl,
        PLACETWIN_GTFS_RT_FEED: 'minneapolis-route-2',
        PLACETWIN_GTFS_RT_POLL_S: '5',
      },
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.on('response', (r) => {
      if (r.status() >= 400) badResponses.push(`${r.status()} ${r.url()}`);
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.baseUrl}/`);
    await waitForViewerReady(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => rtServer?.close(r));
  });

  it('flies to the chosen feed and moves its buses on the twin’s clock', async () => {
    await page.getByLabel('GTFS feed').selectOption('newport');
    await expect
      .poll(async () => (await hooks(page).transport())?.stops ?? 0, { timeout: 120_000, interval: 500 })
      .toBeGreaterThan(600); // 655 stops that trips call at
    expect((await hooks(page).transport())?.routes).toBe(16);
    // The camera went to Newport's busiest part (the sample city is Rutland, 200 km away).
    await expect
      .poll(async () => Math.abs(((await hooks(page).state()).camera?.lon ?? 0) - NEWPORT_CENTRE.lon), {
        timeout: 60_000,
      })
      .toBeLessThan(0.05);

    // By keyboard: the panel above it reflows as the vehicle count and the other panels load, so a pointer click
    // can wait a long time for the button to hold still under SwiftShader.
    await page.getByRole('button', { name: 'Jump to rush hour (08:00)' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await hooks(page).state()).time).toBe(RUSH_HOUR);
    await hooks(page).cameraTo({
      ...NEWPORT_CENTRE,
      lat: NEWPORT_CENTRE.lat - 0.06,
      heightM: 9000,
      headingDeg: 0,
      pitchDeg: -55,
    });
    await expect
      .poll(async () => (await hooks(page).transport())?.vehiclesAtMs, { timeout: 120_000, interval: 500 })
      .toBe(Date.parse(RUSH_HOUR));
    const before = (await hooks(page).transport()) as TransportState;
    expect(before.vehicles.length).toBeGreaterThan(5);
    await expect
      .poll(() => page.getByTestId('transport-status').textContent())
      .toContain(`${before.vehicles.length} vehicles on the road`);
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    await page.screenshot({ path: join(artifacts, 'transport-rush-hour.png'), clip: canvas });

    // Play at a minute per second for a few real seconds: the clock advances and the buses with it.
    await page.getByLabel('Clock speed when playing').selectOption('60');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await expect
      .poll(async () => ((await hooks(page).transport())?.vehiclesAtMs ?? 0) - Date.parse(RUSH_HOUR), {
        timeout: 120_000,
        interval: 500,
      })
      .toBeGreaterThan(120_000);
    await page.getByRole('button', { name: 'Pause' }).click();
    const after = (await hooks(page).transport()) as TransportState;
    const was = new Map(before.vehicles.map((v) => [v.runId, v]));
    const moved = after.vehicles.filter((v) => {
      const w = was.get(v.runId);
      if (!w) return false;
      const dx = (v.lon - w.lon) * M_PER_DEG_LAT * Math.cos((v.lat * Math.PI) / 180);
      const dy = (v.lat - w.lat) * M_PER_DEG_LAT;
      return Math.hypot(dx, dy) > 100;
    });
    // Over 2+ minutes of timetable most running buses cover more than 100 m (some wait at a stop or end).
    expect(moved.length).toBeGreaterThan(before.vehicles.length / 3);
    await page.screenshot({ path: join(artifacts, 'transport-after-two-minutes.png'), clip: canvas });
  });

  it('lists a stop’s departures for the day when the stop is clicked', async () => {
    const stops = (await (await fetch(`${server.baseUrl}/api/transport/feeds/newport/stops`)).json()) as {
      features: { id: string; geometry: { coordinates: [number, number] }; properties: { name: string } }[];
    };
    // The stop nearest the centre with buses that day (some central stops serve only other days' coaches):
    // straight down on it from 400 m, then click where it appears.
    const near = (f: (typeof stops.features)[number]) =>
      Math.hypot(
        f.geometry.coordinates[0] - NEWPORT_CENTRE.lon,
        f.geometry.coordinates[1] - NEWPORT_CENTRE.lat,
      );
    const departuresOf = async (stopId: string) =>
      (
        (await (
          await fetch(
            `${server.baseUrl}/api/transport/feeds/newport/stops/${stopId}/departures?date=2023-06-06`,
          )
        ).json()) as { departures: unknown[] }
      ).departures.length;
    let stop = stops.features[0];
    let expected = 0;
    for (const candidate of [...stops.features].sort((a, b) => near(a) - near(b)).slice(0, 20)) {
      stop = candidate;
      expected = await departuresOf(candidate.id);
      if (expected > 0) break;
    }
    expect(expected).toBeGreaterThan(0);
    const [lon, lat] = stop.geometry.coordinates;
    await hooks(page).cameraTo({ lon, lat, heightM: 400, headingDeg: 0, pitchDeg: -90 });
    const at = await hooks(page).worldToScreen(lon, lat, 3);
    if (!at) throw new Error('the stop is off screen');
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    const list = page.getByRole('list', { name: `Departures from ${stop.properties.name}` });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const first = await list.getByRole('listitem').first().textContent();
    expect(first).toMatch(/^\d\d:\d\d /);
    expect(await list.getByRole('listitem').count()).toBe(expected);
    // The share link carries the feed and the stop.
    await expect
      .poll(() => page.evaluate(() => window.location.hash))
      .toContain(`feed=newport&stop=${stop.id}`);
    await expect
      .poll(() => page.getByTestId('transport-departures').textContent())
      .toContain('on 2023-06-06');
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'transport-departures.png') });
  });

  it('draws 15/30/45-minute isochrones from a picked point, with a legend and counts', async () => {
    await hooks(page).cameraTo({
      ...NEWPORT_CENTRE,
      lat: NEWPORT_CENTRE.lat - 0.12,
      heightM: 16_000,
      headingDeg: 0,
      pitchDeg: -60,
    });
    const at = await hooks(page).worldToScreen(NEWPORT_CENTRE.lon, NEWPORT_CENTRE.lat, 0);
    if (!at) throw new Error('the centre is off screen');
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    await page.waitForTimeout(2000);
    const before = await page.screenshot({ clip: canvas });
    await page.getByRole('button', { name: 'Pick a point on the map' }).click();
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    const legend = page.getByTestId('isochrone-legend');
    await expect.poll(() => legend.getByRole('listitem').count(), { timeout: 120_000 }).toBe(3);
    expect((await hooks(page).transport())?.isochroneBands).toEqual([15, 30, 45]);
    const text = await legend.textContent();
    expect(text).toMatch(/15 min · \d+ stops/);
    expect(text).toMatch(/45 min · \d+ stops/);
    await expect
      .poll(() => page.locator('.transport-panel').textContent())
      .toContain('only GTFS stops are counted');
    // Ground polygons are drawn asynchronously (GroundPrimitive): give the scene a few frames.
    await page.waitForTimeout(3000);
    const after = await page.screenshot({ path: join(artifacts, 'transport-isochrones.png'), clip: canvas });
    // The bands tint the ground around the origin: kilometres across, a few per cent of this wide view.
    const raw = (png: Buffer) => sharp(png).removeAlpha().raw().toBuffer();
    const [a, b] = await Promise.all([raw(before), raw(after)]);
    let changed = 0;
    for (let i = 0; i < a.length; i += 3)
      if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 30)
        changed++;
    expect(changed / (a.length / 3)).toBeGreaterThan(0.02);
    await page.screenshot({ path: join(artifacts, 'transport-isochrones-panel.png') });
    expect(pageErrors).toEqual([]);
    // Only this layer's requests: other panels probe endpoints that answer 4xx by design (401 from /api/auth/me
    // when nobody is signed in).
    expect(badResponses.filter((r) => r.includes('/api/transport/'))).toEqual([]);
  });

  it('maps the 15-minute city score over Oakham on foot, and scores a picked point', async () => {
    // Oakham (Rutland): the sample points of interest; no GTFS feed there, so walking only.
    const OAKHAM = { lon: -0.7268, lat: 52.6706 };
    await hooks(page).cameraTo({ ...OAKHAM, heightM: 9000, headingDeg: 0, pitchDeg: -90 });
    await page.getByRole('button', { name: 'Score map of this view' }).click();
    await expect
      .poll(async () => (await hooks(page).transport())?.scoreCellsDrawn ?? 0, { timeout: 120_000 })
      .toBeGreaterThan(50);
    expect(await page.getByTestId('score-map-summary').textContent()).toContain('on foot only');
    expect(await page.getByTestId('score-map-summary').textContent()).toContain(
      'outside every imported GTFS feed’s area',
    );
    expect(await page.getByTestId('score-legend').getByRole('listitem').count()).toBe(8);
    const at = await hooks(page).worldToScreen(OAKHAM.lon, OAKHAM.lat, 0);
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!at || !canvas) throw new Error('Oakham is off screen');
    await page.getByRole('button', { name: 'Score a point on the map' }).click();
    await page.mouse.click(canvas.x + at.x, canvas.y + at.y);
    await expect
      .poll(() => page.getByTestId('point-score').textContent(), { timeout: 60_000 })
      .toMatch(/\d of 7 services within 15 minutes/);
    expect((await hooks(page).transport())?.pointScore).toBeGreaterThan(0.5); // a county town's centre
    // Oakham has no bus feed: the panel says plainly that transit is not available there.
    await expect
      .poll(() => page.getByTestId('transit-unavailable').textContent())
      .toContain('public transport is not available here, so this score is walking only');
    await page.screenshot({ path: join(artifacts, 'transport-fifteen-minute.png') });
    expect(pageErrors).toEqual([]);
    expect(badResponses.filter((r) => r.includes('/api/transport/'))).toEqual([]);
  });
  it('shows the live GTFS-Realtime vehicles at their recorded positions instead of the timetable’s', async () => {
    // The recorded message, decoded here with the bindings directly (not through the twin's decoder).
    const message = GtfsRealtimeBindings.transit_realtime.FeedMessage.decode(readFileSync(RT_PB));
    const messageAt = new Date(Number(message.header.timestamp) * 1000).toISOString();
    const recorded = new Map<string, { longitude: number; latitude: number }>(
      message.entity.flatMap((e) =>
        e.vehicle?.position ? [[`live:${e.vehicle.vehicle?.id ?? e.id}`, e.vehicle.position] as const] : [],
      ),
    );
    expect(recorded.size).toBe(11);
    await expect
      .poll(
        async () =>
          (
            (await (await fetch(`${server.baseUrl}/api/transport/realtime`)).json()) as {
              messageAt: string | null;
            }
          ).messageAt,
        { timeout: 60_000 },
      )
      .toBe(messageAt);
    expect(rtRequests).toBeGreaterThan(0);

    await page.getByLabel('GTFS feed').selectOption('minneapolis-route-2');
    // The clock goes to the latest message and the live vehicles replace the scheduled ones.
    await expect
      .poll(async () => Date.parse((await hooks(page).state()).time ?? ''), { timeout: 60_000 })
      .toBe(Date.parse(messageAt));
    await expect
      .poll(async () => (await hooks(page).transport())?.vehiclesLive, { timeout: 120_000, interval: 500 })
      .toBe(true);
    const live = (await hooks(page).transport()) as TransportState;
    expect(live.vehicles.map((v) => v.runId).sort()).toEqual([...recorded.keys()].sort());
    for (const v of live.vehicles) {
      const p = recorded.get(v.runId);
      if (!p) throw new Error(`${v.runId} is not in the recorded message`);
      // Drawn where the message puts it (the API rounds to 6 decimals: < 0.2 m). Speeds are 0 in this message, so
      // dead reckoning leaves every bus where it was seen.
      expect(Math.abs(v.lon - p.longitude)).toBeLessThan(2e-6);
      expect(Math.abs(v.lat - p.latitude)).toBeLessThan(2e-6);
    }
    await expect
      .poll(() => page.getByTestId('transport-status').textContent())
      .toContain('11 vehicles on the road (live, GTFS-Realtime)');
    await expect
      .poll(() => page.getByTestId('transport-live').textContent())
      .toContain(messageAt.replace('.000Z', 'Z'));
    // Frame the buses (route 2 runs east–west across Minneapolis) and look.
    const lons = live.vehicles.map((v) => v.lon);
    const lats = live.vehicles.map((v) => v.lat);
    await hooks(page).cameraTo({
      lon: (Math.min(...lons) + Math.max(...lons)) / 2,
      lat: (Math.min(...lats) + Math.max(...lats)) / 2 - 0.03,
      heightM: 6000,
      headingDeg: 0,
      pitchDeg: -60,
    });
    await page.waitForTimeout(2000);
    const canvas = await page.locator('.scene canvas').boundingBox();
    if (!canvas) throw new Error('no Cesium canvas');
    await page.screenshot({ path: join(artifacts, 'transport-live-gtfs-rt.png'), clip: canvas });
    // Every recorded bus is on screen where the hooks say it is.
    for (const v of live.vehicles) {
      const at = await hooks(page).worldToScreen(v.lon, v.lat, 0);
      expect(at).not.toBeNull();
    }
    expect(pageErrors).toEqual([]);
    expect(badResponses.filter((r) => r.includes('/api/transport/'))).toEqual([]);
  });
});

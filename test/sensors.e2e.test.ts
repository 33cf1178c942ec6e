/**
 * The sensor layer in real Chromium against a real server: the 8 Leeds City Council footfall sites are registered
 * with the admin token and a week of their real counts (1–7 December 2016, shared/data/leeds-footfall) posted over
 * HTTP with each site's device key. Turning the layer on and going to the sensors (Leeds; the sample city is
 * Rutland) draws 8 points coloured by their latest count; a new reading posted with a device key recolours its
 * point through the server-sent events stream; clicking a sensor charts its series (raw, then daily, compared with
 * a second site); replaying at a past clock time shows each site's count at that time, as in the file.
 *
 * Lean on purpose: one page, one server, no building tiles to wait for (there are none in Leeds).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readLeedsFootfall } from '@placetwin/sensors';
import type { PlacetwinTestHooks } from '@placetwin/viewer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pixelAt, type ViewerWindow, waitForViewerReady } from './support/chromium';
import { repoRoot, sample } from './support/paths';
import { type RunningPlacetwin, startPlacetwin } from './support/placetwin-server';

type SensorsState = ReturnType<NonNullable<PlacetwinTestHooks['sensors']>>;

const artifacts = join(repoRoot, 'test-artifacts');
const VIEWPORT = { width: 1280, height: 800 };
const ADMIN = 'e2e-admin-token-0123456789abcdef';
const SITES = join(repoRoot, 'packages/sensors/fixtures/leeds-footfall-sites.geojson');
const FROM = Date.UTC(2016, 11, 1);
const TO = Date.UTC(2016, 11, 8);
/** The replayed instant: Saturday 3 December 2016, 15:00 (GMT, so UK local time is UTC). */
const REPLAY_AT = Date.UTC(2016, 11, 3, 15);
const WARNING = '#fc8d59';

const sensors = (page: Page) =>
  page.evaluate(
    () => (window as unknown as ViewerWindow).__placetwin.sensors?.() ?? null,
  ) as Promise<SensorsState | null>;

describe('sensor layer (Chromium, Leeds footfall)', () => {
  let server: RunningPlacetwin;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /** The file's counts in [FROM, TO) by sensor id: time (ms) → count. */
  const counts = new Map<string, Map<number, number>>();
  const keys = new Map<string, string>();

  const post = async (sensorId: string, readings: { time: string; value: number }[]) => {
    const res = await fetch(`${server.baseUrl}/api/sensors/${sensorId}/observations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.get(sensorId)}` },
      body: JSON.stringify(readings),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { accepted: number };
  };

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    server = await startPlacetwin({ env: { PLACETWIN_ADMIN_TOKEN: ADMIN } });
    const text = readFileSync(SITES, 'utf8');
    const reg = await fetch(`${server.baseUrl}/api/sensors/import?fileName=leeds-footfall-sites.geojson`, {
      method: 'POST',
      headers: { 'content-type': 'application/geo+json', authorization: `Bearer ${ADMIN}` },
      body: text,
    });
    expect(reg.status).toBe(200);
    for (const k of ((await reg.json()) as { keys: { sensorId: string; deviceKey: string }[] }).keys) {
      keys.set(k.sensorId, k.deviceKey);
    }
    const sensorOf = new Map(
      (JSON.parse(text) as { features: { id: string; properties: { sourceName: string } }[] }).features.map(
        (f) => [f.properties.sourceName, f.id],
      ),
    );
    const file = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');
    for await (const row of readLeedsFootfall(createReadStream(file), { fileName: file })) {
      if (row.phenomenonTimeMs < FROM || row.phenomenonTimeMs >= TO) continue;
      const id = sensorOf.get(row.site) as string;
      counts.set(id, (counts.get(id) ?? new Map()).set(row.phenomenonTimeMs, row.count));
    }
    for (const [id, m] of counts) {
      const r = await post(
        id,
        [...m].map(([t, value]) => ({ time: new Date(t).toISOString(), value })),
      );
      expect(r.accepted).toBe(m.size);
    }
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.baseUrl}/`);
    await waitForViewerReady(page);
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const lastOf = (id: string) => {
    const m = counts.get(id) ?? new Map<number, number>();
    const t = Math.max(...m.keys());
    return { t, value: m.get(t) as number };
  };

  it('draws the 8 Leeds footfall sites, coloured by their latest count, after going to them', async () => {
    expect(counts.size).toBe(8);
    await page.getByRole('checkbox', { name: /^Sensors/ }).check();
    await expect
      .poll(async () => (await sensors(page))?.points.filter((p) => p.drawn).length ?? 0, {
        timeout: 60_000,
        interval: 500,
      })
      .toBe(8);
    await page.getByRole('button', { name: /Go to sensors/ }).click();
    await expect
      .poll(
        async () => {
          const c = (await page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.state()))
            .camera;
          return c ? Math.abs(c.lon - -1.543) < 0.02 && Math.abs(c.lat - 53.797) < 0.1 : false;
        },
        { timeout: 60_000, interval: 500 },
      )
      .toBe(true);
    const s = (await sensors(page)) as SensorsState;
    expect(s.mode).toBe('live');
    for (const p of s.points) {
      const last = lastOf(p.sensorId);
      expect({ id: p.sensorId, value: p.value, time: Date.parse(p.time ?? '') }).toEqual({
        id: p.sensorId,
        value: last.value,
        time: last.t,
      });
      expect(p.cls).toBe(last.value > 8000 ? 'warning' : last.value >= 4000 ? 'high' : 'low');
    }
    // Every point is on screen once the flight ends.
    const box = await page.locator('.cesium-widget canvas').boundingBox();
    if (!box) throw new Error('no Cesium canvas');
    await expect
      .poll(
        async () => {
          const on = await page.evaluate(
            (pts) =>
              pts.map((p) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(p.lon, p.lat, 6)),
            s.points,
          );
          return on.every((xy) => xy && xy.x > 0 && xy.y > 0 && xy.x < box.width && xy.y < box.height);
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe(true);
    await expect.poll(async () => (await sensors(page))?.stream, { timeout: 30_000 }).toBe('open');
    await page.screenshot({ path: join(artifacts, 'sensors-leeds.png') });
  });

  it('recolours a point within moments of a new reading posted with its device key (SSE)', async () => {
    const site = 'leeds-briggate';
    const before = (await sensors(page))?.points.find((p) => p.sensorId === site);
    expect(before?.cls).not.toBe('warning');
    const time = new Date(lastOf(site).t + 3600_000).toISOString();
    expect((await post(site, [{ time, value: 9123 }])).accepted).toBe(1);
    await expect
      .poll(async () => (await sensors(page))?.points.find((p) => p.sensorId === site), {
        timeout: 20_000,
        interval: 200,
      })
      .toMatchObject({ value: 9123, cls: 'warning', colour: WARNING, time });
    expect((await sensors(page))?.liveReadings).toBeGreaterThanOrEqual(1);
    // The alert it raised is listed.
    await expect
      .poll(() => page.getByTestId('sensor-alerts').textContent(), { timeout: 20_000, interval: 500 })
      .toContain('Warning Briggate: 9,123');
    // And the point on screen has the warning colour.
    const p = (await sensors(page))?.points.find((x) => x.sensorId === site);
    const xy = await page.evaluate(
      ([lon, lat]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(lon, lat, 6),
      [p?.lon ?? 0, p?.lat ?? 0] as const,
    );
    const canvas = await page.locator('.cesium-widget canvas').boundingBox();
    if (!xy || !canvas) throw new Error('the point is not on screen');
    const png = await page.screenshot({ clip: canvas });
    const [r, g, b] = await pixelAt(browser, png, Math.round(xy.x), Math.round(xy.y));
    expect(Math.abs(r - 0xfc) + Math.abs(g - 0x8d) + Math.abs(b - 0x59)).toBeLessThan(60);
    await page.screenshot({ path: join(artifacts, 'sensors-live-reading.png') });
  });

  it('charts a sensor clicked on the map: raw readings for the week, daily means, and a second site to compare', async () => {
    const site = 'leeds-headrow';
    // Click its point on the map (the sensor list's buttons do the same).
    const p = (await sensors(page))?.points.find((x) => x.sensorId === site);
    const xy = await page.evaluate(
      ([lon, lat]) => (window as unknown as ViewerWindow).__placetwin.worldToScreen(lon, lat, 6),
      [p?.lon ?? 0, p?.lat ?? 0] as const,
    );
    const canvas = await page.locator('.cesium-widget canvas').boundingBox();
    if (!xy || !canvas) throw new Error('the point is not on screen');
    await page.mouse.click(canvas.x + xy.x, canvas.y + xy.y);
    await expect.poll(async () => (await sensors(page))?.selected, { timeout: 20_000 }).toBe(site);
    expect(await page.locator(`.sensor-item[data-sensor-id="${site}"]`).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const end = lastOf(site).t + 1;
    const inWeek = [...(counts.get(site)?.keys() ?? [])].filter((t) => t >= end - 7 * 86_400_000).length;
    await expect
      .poll(async () => (await sensors(page))?.chart, { timeout: 30_000, interval: 500 })
      .toMatchObject({ sensorId: site, bucket: 'raw', points: inWeek });
    await page.getByLabel('Aggregation').selectOption('day');
    await expect
      .poll(async () => (await sensors(page))?.chart, { timeout: 30_000, interval: 500 })
      .toMatchObject({ bucket: 'day', points: 7 });
    await page.getByLabel('Compare with').selectOption('leeds-briggate');
    await expect
      .poll(async () => (await sensors(page))?.chart?.comparePoints ?? 0, { timeout: 30_000, interval: 500 })
      .toBeGreaterThanOrEqual(7);
    expect(await page.getByTestId('sensor-chart').isVisible()).toBe(true);
    await page.screenshot({ path: join(artifacts, 'sensors-chart.png') });
  });

  it('replays each site’s count at a past clock time', async () => {
    await page.getByLabel("Replay at the clock's time").check();
    await page.getByLabel('Date', { exact: true }).fill('2016-12-03');
    await page.getByLabel('Time', { exact: true }).fill('15:00');
    await expect
      .poll(async () => (await sensors(page))?.replayAt, { timeout: 30_000, interval: 500 })
      .toBe(new Date(REPLAY_AT).toISOString());
    const s = (await sensors(page)) as SensorsState;
    expect(s.mode).toBe('replay');
    expect(s.points).toHaveLength(8);
    for (const p of s.points) {
      expect({ id: p.sensorId, value: p.value }).toEqual({
        id: p.sensorId,
        value: counts.get(p.sensorId)?.get(REPLAY_AT),
      });
    }
    expect(await page.getByTestId('sensor-status').textContent()).toMatch(/^Replay · values at 3 Dec/);
    await page.screenshot({ path: join(artifacts, 'sensors-replay.png') });
    expect(pageErrors).toEqual([]);
  });
});

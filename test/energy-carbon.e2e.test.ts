/**
 * The energy and carbon panels in real Chromium, on a fresh Placetwin (Rutland imported and tiled on first start,
 * the sample weather and grid intensity): the Rutland County Library's heat battery for a January day, its figures
 * against the API's own answer, the carbon plans following a lever, and the carbon of a published scenario's
 * development (a planner publishes it through the API; the public opens it from a link), and the council-owned
 * portfolio's peak headroom on the constructed sample grid (test/fixtures/README.md). Screenshots in test-artifacts/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, pixelStats, waitForViewerReady } from './support/chromium';
import { repoRoot, sample } from './support/paths';
import { type RunningPlacetwin, staffApiHeaders, startPlacetwinWithStaff } from './support/placetwin-server';

const artifacts = join(repoRoot, 'test-artifacts');
/** Rutland County Library, Oakham (OSM way 101326490, amenity=library): found with /api/buildings?bbox over Oakham. */
const LIBRARY = 'rutland:w101326490';
/** A January day of the sample year, with the twin's clock inside the evening peak window. */
const CLOCK = '2023-01-18T17:00:00Z';
const EMAIL = 'carbon.planner@example.org';
const PASSWORD = 'carbon planner e2e 2026';
/** Travis Perkins' yard by Oakham station (OSM way 178280261), and a 14 × 40 m block drawn over it. */
const TRAVIS_PERKINS = 'rutland:w178280261';
const M_PER_DEG_LAT = 111_195;
function rectangle(lon: number, lat: number, widthM: number, depthM: number) {
  const dx = widthM / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
  const dy = depthM / M_PER_DEG_LAT;
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

describe('energy and carbon panels (Chromium)', () => {
  let server: RunningPlacetwin;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(artifacts, { recursive: true });
    server = await startPlacetwinWithStaff({ email: EMAIL, password: PASSWORD, role: 'planner' });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens the library’s heat-battery flexibility and shows the API’s kW removed, with the charts', async () => {
    const library = (await (await fetch(`${server.baseUrl}/api/buildings/${LIBRARY}`)).json()) as {
      name: string;
    };
    expect(library.name).toBe('Rutland County Library');

    await page.goto(`${server.baseUrl}/#t=${CLOCK}&sel=${LIBRARY}`);
    await waitForViewerReady(page);
    const info = page.locator(`.info-panel[data-building-id="${LIBRARY}"]`);
    const energy = info.getByTestId('building-energy');
    await energy.waitFor({ timeout: 60_000 });
    expect(await energy.locator('[data-energy="heat"]').textContent()).toContain('estimated');

    await info.getByRole('button', { name: 'Heat-battery flexibility' }).click();
    const dock = page.getByRole('region', { name: 'Energy and carbon analysis' });
    await expect
      .poll(() => dock.getByRole('tab', { selected: true }).textContent())
      .toBe('Heat-battery flexibility');
    const kw = dock.locator('[data-figure="kwRemoved"] .figure-value');
    await kw.waitFor({ timeout: 120_000 });

    // The same question straight to the API: the panel sends the defaults (19–22 °C, 16:00–19:00) for the clock's day.
    const res = await fetch(`${server.baseUrl}/api/energy/flexibility`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        buildingId: LIBRARY,
        date: '2023-01-18',
        comfort: { minC: 19, maxC: 22 },
        window: { start: '16:00', end: '19:00' },
      }),
    });
    const api = (await res.json()) as {
      figures: { kwRemoved: number };
      shifted: { comfortHoursViolated: number };
    };
    expect(api.figures.kwRemoved).toBeGreaterThan(0);
    expect(await kw.textContent()).toBe(`${api.figures.kwRemoved.toFixed(1)}\u00a0kW`);
    expect(await dock.locator('[data-figure="comfort"] .figure-value').textContent()).toMatch(
      new RegExp(`^${api.shifted.comfortHoursViolated.toFixed(1)}\u00a0h`),
    );

    // Three charts on one time axis, each drawn (not blank), with a data table beside them.
    for (const id of ['flex-chart-temperature', 'flex-chart-power', 'flex-chart-intensity']) {
      const shot = await dock.getByTestId(id).screenshot();
      expect((await pixelStats(browser, shot)).distinctColours, id).toBeGreaterThan(12);
    }
    expect(await dock.getByRole('img', { name: /Indoor temperature on 2023-01-18/ }).count()).toBe(1);
    expect(await dock.locator('.chart-table table tbody tr').count()).toBe(48);
    await page.waitForFunction(() => window.location.hash.includes('panel=flexibility'));
    await page.screenshot({ path: join(artifacts, 'energy-flexibility.png') });
  });

  it('calibrates the library’s model to a measured record (blg_1, a real Dutch home), stores it and plans with it', async () => {
    // Calibrating stores the fit, so a planner does it, in their own browser context (the other tests' page stays
    // the public's). Opens the panel itself, so that it runs alone too (`-t calibrates`).
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const panelUrl = `${server.baseUrl}/#t=${CLOCK}&sel=${LIBRARY}&panel=flexibility`;
    await page.goto(panelUrl);
    const signedIn = await page.evaluate(
      async (c) =>
        (
          await fetch('/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(c),
          })
        ).status,
      { email: EMAIL, password: PASSWORD },
    );
    expect(signedIn).toBe(200);
    await page.reload();
    await waitForViewerReady(page);
    const dock = page.getByRole('region', { name: 'Energy and carbon analysis' });
    await dock.locator('[data-figure="kwRemoved"] .figure-value').waitFor({ timeout: 120_000 });
    const file = sample('energy', 'building-thermal', 'nl-homes-15min', 'blg_1.csv');
    await dock.getByTestId('calibration-file').setInputFiles(file);
    const rmse = dock.getByTestId('calibration-rmse');
    await rmse.waitFor({ timeout: 180_000 });

    // The same fit straight from the API: the panel shows its RMSE.
    const planner = await staffApiHeaders(server.baseUrl, EMAIL, PASSWORD);
    const res = await fetch(`${server.baseUrl}/api/energy/calibration`, {
      method: 'POST',
      headers: planner,
      body: JSON.stringify({ buildingId: LIBRARY, csv: await readFile(file, 'utf8'), fileName: 'blg_1.csv' }),
    });
    expect(res.status).toBe(200);
    const api = (await res.json()) as {
      id: number;
      rmseC: number;
      priorRmseC: number;
      model: Record<string, number>;
      scaledToGeometry: boolean;
    };
    expect(api.rmseC).toBeLessThan(api.priorRmseC);
    expect(Number(await rmse.getAttribute('data-value'))).toBe(api.rmseC);
    expect(await rmse.textContent()).toBe(`${api.rmseC.toFixed(2)} °C`);
    // R and C (and the solar aperture), then HTC and τ: estimated and fitted.
    const rows = dock.getByTestId('calibration-parameters').locator('tbody tr');
    expect(await rows.count()).toBe(7);
    expect(await rows.locator('th').allTextContents()).toContain('C thermal mass');
    // The chart's own pixels (the canvas as PNG): drawn, not blank. (Not an element screenshot, which waits for the
    // page to be still, and the globe beside it never is on a loaded machine.)
    const png = await dock
      .getByTestId('calibration-chart')
      .locator('canvas')
      .evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png').split(',')[1]);
    expect((await pixelStats(browser, Buffer.from(png, 'base64'))).distinctColours).toBeGreaterThan(12);
    expect(
      await dock.getByRole('img', { name: /Measured indoor temperature and the calibrated model/ }).count(),
    ).toBe(1);

    // Flexibility now plans with the calibrated model: "measured", and the API's figures for that model.
    const method = dock.getByTestId('flex-method');
    await expect
      .poll(() => method.textContent(), { timeout: 120_000 })
      .toMatch(/calibrated to measured data/);
    expect(await method.locator('.tag-measured').count()).toBe(1);
    const flex = (await (
      await fetch(`${server.baseUrl}/api/energy/flexibility`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          buildingId: LIBRARY,
          date: '2023-01-18',
          comfort: { minC: 19, maxC: 22 },
          window: { start: '16:00', end: '19:00' },
          calibration: {
            model: api.model,
            rmseC: api.rmseC,
            source: 'blg_1.csv',
            scaledToGeometry: api.scaledToGeometry,
          },
        }),
      })
    ).json()) as { figures: { kwRemoved: number } };
    await expect
      .poll(() => dock.locator('[data-figure="kwRemoved"] .figure-value').textContent(), { timeout: 60_000 })
      .toBe(`${flex.figures.kwRemoved.toFixed(1)}\u00a0kW`);
    await page.screenshot({ path: join(artifacts, 'energy-calibration.png') });

    // Stored: reopening the panel shows the building's calibration (the newest, the API's fit of the same file),
    // and flexibility still plans with it.
    await page.goto(panelUrl);
    await page.reload();
    await waitForViewerReady(page);
    const stored = dock.getByTestId('calibration-stored');
    await stored.waitFor({ timeout: 120_000 });
    expect(Number(await stored.getAttribute('data-id'))).toBe(api.id);
    expect(Number(await dock.getByTestId('calibration-stored-rmse').getAttribute('data-value'))).toBe(
      api.rmseC,
    );
    expect(await stored.textContent()).toMatch(/Calibrated to blg_1\.csv \(4,181 readings every 15 min\)/);
    await expect
      .poll(() => method.textContent(), { timeout: 120_000 })
      .toMatch(/calibrated to measured data/);

    // “Use the estimate instead” forgets it: the API has none, and flexibility says estimated again.
    await stored.getByRole('button', { name: 'Use the estimate instead' }).click();
    await dock.getByTestId('calibration-none').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => method.textContent(), { timeout: 120_000 })
      .not.toMatch(/calibrated to measured data/);
    expect(await method.locator('.tag-estimated').count()).toBe(1);
    expect((await fetch(`${server.baseUrl}/api/energy/buildings/${LIBRARY}/calibration`)).status).toBe(404);
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  it('projects two carbon plans to 2050 and follows a lever', async () => {
    const dock = page.getByRole('region', { name: 'Energy and carbon analysis' });
    await dock.getByRole('tab', { name: 'Carbon what-if' }).click();
    const planB2050 = dock.locator('[data-testid="carbon-comparison"] tr[data-row="2050"] td').nth(1);
    await planB2050.waitFor({ timeout: 180_000 });
    const before = await planB2050.textContent();
    expect(before).toMatch(/CO2e\/yr/);
    await dock.getByTestId('carbon-baseline-chart').waitFor();
    const chartBefore = await dock.getByTestId('carbon-trajectory-b').screenshot();

    // Plan B (the example plan) is being edited: heat pumps in every home instead of 80%.
    const slider = dock.getByRole('slider', { name: /Heat pumps in homes/ });
    await slider.focus();
    await slider.press('End');
    expect(await slider.getAttribute('aria-valuetext')).toBe('100% by 2040');
    await expect.poll(() => planB2050.textContent(), { timeout: 180_000 }).not.toBe(before);
    const tonnes = (text: string | null) => {
      const m = /([\d,.]+)\u00a0(kt|t)CO2e/.exec(text ?? '');
      if (!m) throw new Error(`no tonnage in "${text}"`);
      return Number(m[1].replaceAll(',', '')) * (m[2] === 'kt' ? 1000 : 1);
    };
    expect(tonnes(await planB2050.textContent())).toBeLessThan(tonnes(before));
    const chartAfter = await dock.getByTestId('carbon-trajectory-b').screenshot();
    expect(chartAfter.equals(chartBefore)).toBe(false);
    await page.screenshot({ path: join(artifacts, 'energy-carbon.png') });
    expect(pageErrors).toEqual([]);
  });

  it('shows the carbon of a published scenario’s development: embodied, car traffic, with and without', async () => {
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
    const created = await api('/api/scenarios', {
      dataset: 'rutland',
      name: 'Yard homes (carbon e2e)',
      site: null,
    });
    const edited = await api(`/api/scenarios/${created.id}/changes`, {
      expectedVersion: created.version,
      changes: [
        { op: 'demolish', id: TRAVIS_PERKINS },
        {
          op: 'add',
          id: 'new/yard-homes',
          footprint: rectangle(-0.73342, 52.67322, 14, 40),
          use: 'residential',
          storeys: 4,
        },
      ],
    });
    await api(`/api/scenarios/${created.id}/publish`, { expectedVersion: edited.scenario.version });
    // The public's answer (no session), as the panel will ask for it.
    const carbon = (await (await fetch(`${server.baseUrl}/api/scenarios/${created.id}/carbon`)).json()) as {
      embodied: { value: number };
      carVehicleKm: { value: number };
      homes: number;
    };
    expect(carbon.homes).toBeGreaterThan(0);

    await page.evaluate((hash) => {
      window.location.hash = hash;
      window.location.reload();
    }, `panel=carbon&scn=${created.id}`);
    await waitForViewerReady(page);
    const dock = page.getByRole('region', { name: 'Energy and carbon analysis' });
    const table = dock.getByTestId('scenario-carbon');
    await table.waitFor({ timeout: 180_000 });
    const cell = (row: string) => table.locator('tr', { hasText: row }).locator('td');
    const number = (text: string | null) => {
      const m = /([\d,.]+)/.exec(text ?? '');
      if (!m) throw new Error(`no number in "${text}"`);
      return Number(m[1].replaceAll(',', ''));
    };
    const embodiedText = await cell('Embodied carbon').textContent();
    const shown = number(embodiedText) * (/ktCO2e/.test(embodiedText ?? '') ? 1000 : 1);
    expect(Math.abs(shown - carbon.embodied.value) / carbon.embodied.value).toBeLessThan(0.01);
    expect(number(await cell('Car traffic of the new homes').textContent())).toBe(
      Math.round(carbon.carVehicleKm.value),
    );
    expect(await cell('Embodied carbon').textContent()).toContain('assumed');
    // The trips of the development by mode: six modes, the car drivers' vehicle-km as the API says; Oakham is
    // outside every sample GTFS feed, so the national bus share is used and the panel says so.
    const travel = dock.getByTestId('scenario-travel');
    expect(await travel.locator('tbody tr').count()).toBe(6);
    expect(
      number(await travel.locator('tr', { hasText: 'Car driver' }).locator('td').nth(3).textContent()),
    ).toBe(Math.round(carbon.carVehicleKm.value));
    expect(await dock.getByTestId('scenario-travel-access').textContent()).toContain(
      'outside every imported GTFS feed',
    );
    const chart = await dock.getByTestId('scenario-carbon-chart').screenshot();
    expect((await pixelStats(browser, chart)).distinctColours).toBeGreaterThan(12);
    await page.screenshot({ path: join(artifacts, 'energy-carbon-scenario.png') });
    expect(pageErrors).toEqual([]);
  });

  it('models every council-owned building on the sample grid: headroom before and after, labelled not real', async () => {
    const staff = await staffApiHeaders(server.baseUrl, EMAIL, PASSWORD);
    const geojson = await readFile(join(repoRoot, 'test/fixtures/rutland-grid-sample.geojson'), 'utf8');
    const imported = await fetch(`${server.baseUrl}/api/energy/grids?name=sample`, {
      method: 'POST',
      headers: staff,
      body: geojson,
    });
    expect(imported.status, await imported.clone().text()).toBe(201);
    // What the panel will ask: the clock's day, the default band and window, council-owned, on the sample grid.
    const api = (await (
      await fetch(`${server.baseUrl}/api/energy/portfolio`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          date: '2023-01-18',
          comfort: { minC: 19, maxC: 22 },
          window: { start: '16:00', end: '19:00' },
          grid: 'sample',
          dataset: 'rutland',
          filter: { councilOwned: true },
          limit: 500,
        }),
      })
    ).json()) as {
      councilOwnership: { buildings: { id: string }[] };
      grid: { assets: { id: string; headroomKw: { baseline: number; shifted: number } }[] };
    };
    expect(api.councilOwnership.buildings.map((b) => b.id)).toContain(LIBRARY);

    await page.evaluate((hash) => {
      window.location.hash = hash;
      window.location.reload();
    }, `t=${CLOCK}&panel=portfolio&cam=-0.72000,52.64300,2600.0,0.0,-45.0`);
    await waitForViewerReady(page);
    const dock = page.getByRole('region', { name: 'Energy and carbon analysis' });
    await dock.getByRole('radio', { name: /All council-owned/ }).check();
    await expect
      .poll(() => dock.getByLabel('Grid headroom on').inputValue(), { timeout: 30_000 })
      .toBe('sample');
    await dock.getByRole('button', { name: 'Model the portfolio' }).click();
    const label = dock.getByTestId('grid-label');
    await label.waitFor({ timeout: 180_000 });
    expect(await label.textContent()).toMatch(/^Sample grid, not real/);
    expect(await dock.getByTestId('council-ownership').textContent()).toMatch(
      /Council-owned \(Rutland County Council\)/,
    );
    const kw = (text: string | null) => {
      const m = /([+−])([\d,.]+)/.exec(text ?? '');
      if (!m) throw new Error(`no signed kW in "${text}"`);
      return (m[1] === '−' ? -1 : 1) * Number(m[2].replaceAll(',', ''));
    };
    const row = dock.getByRole('table', { name: 'Peak headroom on grid sample' }).locator('tr', {
      hasText: 'Oakham Substation',
    });
    const oakham = api.grid.assets.find((a) => a.id === 'osm-w87200019');
    expect(kw(await row.locator('td').nth(3).textContent())).toBeCloseTo(
      oakham?.headroomKw.baseline ?? Number.NaN,
      1,
    );
    expect(kw(await row.locator('td').nth(4).textContent())).toBeCloseTo(
      oakham?.headroomKw.shifted ?? Number.NaN,
      1,
    );
    await page.waitForTimeout(2000);
    await page.screenshot({ path: join(artifacts, 'energy-grid.png') });
    expect(pageErrors).toEqual([]);
  });
});

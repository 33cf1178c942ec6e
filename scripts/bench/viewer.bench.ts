/**
 * Viewer: Rutland drawn as 3D Tiles (the viewer's path) against the same buildings as Cesium GeoJSON extrusions
 * (`?mode=geojson`, what many web viewers do), in real Chromium with software WebGL (SwiftShader), from the same
 * camera. Measures the time from navigation to the first frame with everything loaded, and the frame rate after.
 */
import type { FrameStats } from '@placetwin/viewer';
import type { Browser } from 'playwright-core';
import { launchChromium, type ViewerWindow, waitForViewerReady } from '../../test/support/chromium';
import { startPlacetwin } from '../../test/support/placetwin-server';
import type { BenchResult } from './harness';

const VIEWPORT = { width: 1280, height: 800 };
/** Frames are sampled for this long once the scene is complete. */
const STEADY_SAMPLE_MS = 8000;
const LOAD_TIMEOUT_MS = 10 * 60_000;
/** Over Oakham, where most of Rutland's buildings are in view, at a fixed time so lighting is the same. */
const VIEW_FRAGMENT = '#cam=-0.719500,52.655000,1500.0,330.0,-35.0&t=2025-06-21T11:00:00Z';

async function measure(browser: Browser, baseUrl: string, mode: 'tiles' | 'geojson'): Promise<FrameStats> {
  // A fresh context per run: nothing cached from the other mode.
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    const query = mode === 'geojson' ? '?mode=geojson' : '';
    await page.goto(`${baseUrl}/${query}${VIEW_FRAGMENT}`);
    await waitForViewerReady(page, LOAD_TIMEOUT_MS);
    await page.waitForFunction(
      () => (window as unknown as ViewerWindow).__placetwin.frameStats().firstCompleteFrameMs !== null,
      null,
      { timeout: LOAD_TIMEOUT_MS, polling: 250 },
    );
    await page.waitForTimeout(STEADY_SAMPLE_MS);
    return await page.evaluate(() => (window as unknown as ViewerWindow).__placetwin.frameStats());
  } finally {
    await context.close();
  }
}

export default async function viewerBench(): Promise<BenchResult[]> {
  const server = await startPlacetwin();
  const browser = await launchChromium();
  try {
    const datasets = (await (await fetch(`${server.baseUrl}/api/datasets`)).json()) as {
      buildingCount: number;
    }[];
    const buildings = datasets.reduce((n, d) => n + d.buildingCount, 0).toLocaleString('en-GB');
    const tiles = await measure(browser, server.baseUrl, 'tiles');
    const geojson = await measure(browser, server.baseUrl, 'geojson');
    const seconds = (s: FrameStats) => (s.firstCompleteFrameMs ?? Number.NaN) / 1000;
    const note = 'Chromium + SwiftShader (software WebGL2), 1280×800; one run each, fresh browser cache';
    return [
      {
        name: `viewer: time to first complete frame, 3D Tiles (${buildings} buildings, Oakham view)`,
        value: seconds(tiles),
        unit: 's',
        baseline: { name: 'same buildings as GeoJSON extrusions', value: seconds(geojson), unit: 's' },
        ratio: seconds(geojson) / seconds(tiles),
        ratioMeaning: 'GeoJSON time / 3D Tiles time, higher is better',
        note,
      },
      {
        name: 'viewer: frame rate once loaded, 3D Tiles',
        value: tiles.fps,
        unit: 'fps',
        baseline: { name: 'GeoJSON extrusions', value: geojson.fps, unit: 'fps' },
        ratio: tiles.fps / geojson.fps,
        ratioMeaning: '3D Tiles fps / GeoJSON fps, higher is better',
        note: `${note}; mean frame ${tiles.meanFrameMs.toFixed(0)} ms vs ${geojson.meanFrameMs.toFixed(0)} ms`,
      },
    ];
  } finally {
    await browser.close();
    await server.stop();
  }
}

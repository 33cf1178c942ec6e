/**
 * Real Chromium for end-to-end tests and the viewer benchmark: WebGL2 through SwiftShader (software, so it runs on
 * CI machines without a GPU: slow, but the same Cesium code paths).
 */
import type { PlacetwinTestHooks } from '@placetwin/viewer';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Window type inside the page, for `page.evaluate` callbacks. */
export type ViewerWindow = Window & { __placetwin: PlacetwinTestHooks };

/** Waits until the viewer's test hooks say the scene exists and the datasets are known. */
export async function waitForViewerReady(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as ViewerWindow).__placetwin?.isReady === true, null, {
    timeout: timeoutMs,
    polling: 250,
  });
}

/** Waits until every visible building layer (and, with `globe`, the globe imagery) is loaded for the view. */
export async function waitForLoaded(page: Page, { globe = false, timeoutMs = 300_000 } = {}): Promise<void> {
  await page.waitForFunction(
    (withGlobe) => {
      const hooks = (window as unknown as ViewerWindow).__placetwin;
      return withGlobe ? hooks.sceneLoaded() : hooks.tilesetsLoaded();
    },
    globe,
    { timeout: timeoutMs, polling: 250 },
  );
}

export interface PixelStats {
  width: number;
  height: number;
  /** Distinct colours after dropping the 2 low bits of each channel (noise-tolerant). */
  distinctColours: number;
  /** Share of pixels that differ from the most common colour. */
  nonBackgroundShare: number;
}

/**
 * Counts the colours in a PNG (a screenshot). Decoded by Chromium itself in a blank page of its own browser context,
 * so the tests need no image library and the viewer's request log stays clean.
 */
export async function pixelStats(browser: Browser, png: Buffer): Promise<PixelStats> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    return await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas');
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const counts = new Map<number, number>();
      for (let i = 0; i < data.length; i += 4) {
        const key = ((data[i] >> 2) << 12) | ((data[i + 1] >> 2) << 6) | (data[i + 2] >> 2);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const pixels = bitmap.width * bitmap.height;
      const commonest = Math.max(...counts.values());
      return {
        width: bitmap.width,
        height: bitmap.height,
        distinctColours: counts.size,
        nonBackgroundShare: (pixels - commonest) / pixels,
      };
    }, png.toString('base64'));
  } finally {
    await context.close();
  }
}

/** The RGBA of one pixel of a PNG (decoded as in pixelStats). */
export async function pixelAt(browser: Browser, png: Buffer, x: number, y: number): Promise<number[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    return await page.evaluate(
      async ([base64, px, py]) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
        if (!ctx) throw new Error('no 2D canvas');
        ctx.drawImage(bitmap, 0, 0);
        return Array.from(ctx.getImageData(px, py, 1, 1).data);
      },
      [png.toString('base64'), x, y] as const,
    );
  } finally {
    await context.close();
  }
}

/**
 * Chromium stops animation frames in a page that is not in front, and Cesium renders (and loads tiles) from them:
 * call after opening and closing another page.
 */
export async function toFront(page: Page): Promise<void> {
  await page.bringToFront();
}

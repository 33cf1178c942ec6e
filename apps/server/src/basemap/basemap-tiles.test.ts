import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BBox } from '@placetwin/geo';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BasemapSource, BasemapTiles } from './basemap-tiles';
import type { BasemapFeature } from './render-svg';
import { tileBbox } from './tile-math';

// A counting stand-in for the database: these tests are about when the source is asked, not what it holds.
// The database tests draw real Rutland tiles.
const OAKHAM_Z14 = { z: 14, x: 8158, y: 5361 };
const RUTLAND: BBox = [-0.83, 52.52, -0.42, 52.77];

function countingSource(version = 'v1') {
  const [w, s, e, n] = tileBbox(OAKHAM_Z14);
  const field: BasemapFeature = {
    layer: 'landuse',
    class: 'farmland',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
        ],
      ],
    },
  };
  const calls = { coverage: 0, features: 0, tolerance: 0 };
  const source: BasemapSource & { calls: typeof calls; version: string } = {
    calls,
    version,
    async coverage() {
      calls.coverage++;
      return { version: this.version, extents: [RUTLAND] };
    },
    async features(_bbox, { toleranceDeg }) {
      calls.features++;
      calls.tolerance = toleranceDeg;
      return [field];
    },
  };
  return source;
}

let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'placetwin-basemap-'));
});
afterAll(() => rm(cacheDir, { recursive: true, force: true }));

describe('BasemapTiles', () => {
  it('answers tiles outside the data with one transparent PNG, without asking for features', async () => {
    const source = countingSource();
    const tiles = new BasemapTiles(source, { cacheDir: null });
    const atlantic = await tiles.tile({ z: 14, x: 7000, y: 5000 });
    expect(atlantic.drawn).toBe(false);
    expect(source.calls.features).toBe(0);
    const png = PNG.sync.read(atlantic.png);
    expect([png.width, png.height]).toEqual([256, 256]);
    expect(png.data.every((_, i) => i % 4 !== 3 || png.data[i] === 0)).toBe(true);
  });

  it('draws a tile inside the data once, then serves it from memory', async () => {
    const source = countingSource();
    const tiles = new BasemapTiles(source, { cacheDir: null });
    const first = await tiles.tile(OAKHAM_Z14);
    const again = await tiles.tile(OAKHAM_Z14);
    expect(first.drawn).toBe(true);
    expect(again.png).toBe(first.png);
    expect(source.calls.features).toBe(1);
    // Simplification of about half a pixel: a z14 pixel is ~6e-5° of latitude here.
    expect(source.calls.tolerance).toBeGreaterThan(1e-5);
    expect(source.calls.tolerance).toBeLessThan(6e-5);
  });

  it('shares one render between concurrent requests for the same tile', async () => {
    const source = countingSource();
    const tiles = new BasemapTiles(source, { cacheDir: null });
    const results = await Promise.all([1, 2, 3, 4].map(() => tiles.tile(OAKHAM_Z14)));
    expect(source.calls.features).toBe(1);
    expect(new Set(results.map((t) => t.etag)).size).toBe(1);
  });

  it('keeps drawn tiles on disk under their data version, reused after a restart', async () => {
    const dir = join(cacheDir, 'restart');
    const first = countingSource();
    const a = await new BasemapTiles(first, { cacheDir: dir }).tile(OAKHAM_Z14);
    const [versionDir] = await readdir(dir);
    expect(versionDir).toMatch(/^[0-9a-f]{16}$/);
    expect(existsSync(join(dir, versionDir, '14', '8158', '5361.png'))).toBe(true);
    const second = countingSource();
    const b = await new BasemapTiles(second, { cacheDir: dir }).tile(OAKHAM_Z14);
    expect(second.calls.features).toBe(0);
    expect(b.etag).toBe(a.etag);
  });

  it('draws again after the data changes, and removes tiles of the old version', async () => {
    const dir = join(cacheDir, 'reimport');
    const source = countingSource('imported-at-1');
    const tiles = new BasemapTiles(source, { cacheDir: dir, coverageTtlMs: 0 });
    await tiles.tile(OAKHAM_Z14);
    const [oldVersion] = await readdir(dir);
    await mkdir(join(dir, 'not-a-version'));
    await writeFile(
      join(dir, 'not-a-version', 'keep.txt'),
      'the cache must not delete what it did not write',
    );
    source.version = 'imported-at-2';
    await tiles.tile(OAKHAM_Z14);
    expect(source.calls.features).toBe(2);
    const after = await readdir(dir);
    expect(after).not.toContain(oldVersion);
    expect(after).toContain('not-a-version');
    expect(after.filter((d) => /^[0-9a-f]{16}$/.test(d))).toHaveLength(1);
  });

  it('does not remember a failed coverage lookup', async () => {
    const source = countingSource();
    let fail = true;
    const flaky: BasemapSource = {
      coverage: () => (fail ? Promise.reject(new Error('database restarting')) : source.coverage()),
      features: (b, o) => source.features(b, o),
    };
    const tiles = new BasemapTiles(flaky, { cacheDir: null });
    await expect(tiles.tile(OAKHAM_Z14)).rejects.toThrow('database restarting');
    fail = false;
    expect((await tiles.tile(OAKHAM_Z14)).drawn).toBe(true);
  });
});

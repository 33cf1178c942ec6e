import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { svgToPng, transparentTilePng, unpremultiply } from './render-png';

describe('svgToPng', () => {
  it('keeps the colour of half-transparent pixels (straight alpha, not premultiplied)', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">' +
      '<rect width="256" height="256" fill="#aad3df" fill-opacity="0.5"/></svg>';
    const png = PNG.sync.read(await svgToPng(svg));
    const [r, g, b, a] = png.data.subarray(0, 4);
    expect(a).toBeGreaterThanOrEqual(127);
    expect(a).toBeLessThanOrEqual(128);
    expect(Math.abs(r - 0xaa)).toBeLessThanOrEqual(2);
    expect(Math.abs(g - 0xd3)).toBeLessThanOrEqual(2);
    expect(Math.abs(b - 0xdf)).toBeLessThanOrEqual(2);
  });

  it('writes a compact palette PNG', async () => {
    const png = await svgToPng(
      '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="128" fill="#f2efe9"/></svg>',
    );
    // Byte 25 of a PNG is the IHDR colour type: 3 = indexed (palette).
    expect(png[25]).toBe(3);
    expect(png.byteLength).toBeLessThan(1000);
  });

  it('has a fully transparent 256 px tile for outside the data', async () => {
    const png = PNG.sync.read(await transparentTilePng());
    expect([png.width, png.height]).toEqual([256, 256]);
    expect(png.data.every((v, i) => i % 4 !== 3 || v === 0)).toBe(true);
  });

  it('unpremultiplies only partly transparent pixels', () => {
    const px = Buffer.from([64, 32, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
    expect([...unpremultiply(px)]).toEqual([128, 64, 0, 128, 10, 20, 30, 255, 0, 0, 0, 0]);
  });
});

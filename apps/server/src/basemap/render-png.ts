import { type ResvgRenderOptions, renderAsync } from '@resvg/resvg-js';
import sharp from 'sharp';
import { TILE_SIZE_PX } from './tile-math';

/** No text on the basemap, so no fonts: loading system fonts would cost time on every render. */
const RESVG_OPTIONS: ResvgRenderOptions = {
  fitTo: { mode: 'original' },
  font: { loadSystemFonts: false },
  logLevel: 'off',
};

/**
 * Rasterises an SVG tile to PNG. resvg draws on libuv's thread pool (the event loop stays free); the pixels are
 * then written as an 8-bit palette PNG, about a third of the size of full colour for flat map colours, undithered
 * so that fills stay flat.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, RESVG_OPTIONS);
  return sharp(unpremultiply(image.pixels), {
    raw: { width: image.width, height: image.height, channels: 4 },
  })
    .png({ palette: true, dither: 0, compressionLevel: 9 })
    .toBuffer();
}

/**
 * resvg hands out premultiplied RGBA; PNG stores straight alpha. Without this, anti-aliased edges against
 * transparency (the data's boundary) come out dark.
 */
export function unpremultiply(rgba: Buffer): Buffer {
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3];
    if (alpha === 0 || alpha === 255) continue;
    for (let c = i; c < i + 3; c++) rgba[c] = Math.min(255, Math.round((rgba[c] * 255) / alpha));
  }
  return rgba;
}

let transparent: Promise<Buffer> | null = null;

/** A fully transparent 256 px PNG, rendered once: the answer for every tile outside the data. */
export const transparentTilePng = (): Promise<Buffer> => {
  transparent ??= svgToPng(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${TILE_SIZE_PX}" height="${TILE_SIZE_PX}"></svg>`,
  );
  return transparent;
};

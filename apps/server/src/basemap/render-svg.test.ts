import type { BBox } from '@placetwin/geo';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { svgToPng } from './render-png';
import { type BasemapFeature, renderTileSvg } from './render-svg';
import { LAND_COLOUR, LANDUSE_STYLES, ROAD_STYLES, WATER_AREA_STYLE } from './style';
import { type TileAddress, tileBbox } from './tile-math';

// Small constructed features: each pins one drawing rule at an exact pixel, which the real OSM extract cannot
// do. The database tests draw real Rutland tiles through the whole server.

const OAKHAM_Z14: TileAddress = { z: 14, x: 8158, y: 5361 };
const [W, S, E, N] = tileBbox(OAKHAM_Z14);
/** lon/lat at a fraction (0..1) across and down the tile. */
const at = (fx: number, fy: number): [number, number] => [W + (E - W) * fx, N - (N - S) * fy];
const rect = (fx0: number, fy0: number, fx1: number, fy1: number): number[][] => [
  at(fx0, fy0),
  at(fx1, fy0),
  at(fx1, fy1),
  at(fx0, fy1),
];
const wholeTile: BBox = [W - 1, S - 1, E + 1, N + 1];

async function pixels(svg: string) {
  const png = PNG.sync.read(await svgToPng(svg));
  return (px: number, py: number) => {
    const i = (py * png.width + px) * 4;
    const hex = [0, 1, 2].map((k) => png.data[i + k].toString(16).padStart(2, '0')).join('');
    return { rgb: `#${hex}`, alpha: png.data[i + 3] };
  };
}

describe('renderTileSvg', () => {
  it('paints land colour inside the data extent only; outside stays transparent', async () => {
    const leftHalf: BBox = [W - 1, S - 1, W + (E - W) / 2, N + 1];
    const px = await pixels(renderTileSvg(OAKHAM_Z14, [], { landExtents: [leftHalf] }));
    expect(px(64, 128)).toEqual({ rgb: LAND_COLOUR, alpha: 255 });
    expect(px(192, 128).alpha).toBe(0);
  });

  it('clips everything to the data extent, so roads end at its edge', async () => {
    const topHalf: BBox = [W - 1, S + (N - S) / 2, E + 1, N + 1];
    const road: BasemapFeature = {
      layer: 'road',
      class: 'primary',
      geometry: { type: 'LineString', coordinates: [at(0.5, 0), at(0.5, 1)] },
    };
    const px = await pixels(renderTileSvg(OAKHAM_Z14, [road], { landExtents: [topHalf] }));
    expect(px(128, 64)).toEqual({ rgb: ROAD_STYLES.primary.stroke, alpha: 255 });
    expect(px(128, 192).alpha).toBe(0);
    const unclipped = await pixels(renderTileSvg(OAKHAM_Z14, [road], { landExtents: [] }));
    expect(unclipped(128, 192).rgb).toBe(ROAD_STYLES.primary.stroke);
  });

  it('projects a water polygon onto the right pixels', async () => {
    const lake: BasemapFeature = {
      layer: 'water',
      class: 'water',
      geometry: { type: 'Polygon', coordinates: [rect(0.25, 0.25, 0.75, 0.75)] },
    };
    const px = await pixels(renderTileSvg(OAKHAM_Z14, [lake], { landExtents: [wholeTile] }));
    expect(px(128, 128).rgb).toBe(WATER_AREA_STYLE.fill);
    expect(px(20, 20).rgb).toBe(LAND_COLOUR);
    expect(px(236, 236).rgb).toBe(LAND_COLOUR);
  });

  it('cuts polygon holes (an island in a lake shows the land use beneath)', async () => {
    const field: BasemapFeature = {
      layer: 'landuse',
      class: 'farmland',
      geometry: { type: 'Polygon', coordinates: [rect(0, 0, 1, 1)] },
    };
    const lakeWithIsland: BasemapFeature = {
      layer: 'water',
      class: 'water',
      geometry: {
        type: 'Polygon',
        coordinates: [rect(0.1, 0.1, 0.9, 0.9), rect(0.4, 0.4, 0.6, 0.6).reverse()],
      },
    };
    const px = await pixels(renderTileSvg(OAKHAM_Z14, [field, lakeWithIsland], { landExtents: [wholeTile] }));
    expect(px(128, 128).rgb).toBe(LANDUSE_STYLES.farmland.fill);
    expect(px(64, 64).rgb).toBe(WATER_AREA_STYLE.fill);
  });

  it('draws roads casing first, minor roads under major ones, with zoom-dependent widths', () => {
    const road = (cls: string, fy: number): BasemapFeature => ({
      layer: 'road',
      class: cls,
      geometry: { type: 'LineString', coordinates: [at(0, fy), at(1, fy)] },
    });
    const svg = renderTileSvg(OAKHAM_Z14, [road('primary', 0.3), road('residential', 0.6)], {
      landExtents: [wholeTile],
    });
    const order = (s: string) => svg.indexOf(`stroke="${s}"`);
    expect(order(ROAD_STYLES.residential.casing!)).toBeGreaterThan(-1);
    expect(order(ROAD_STYLES.residential.casing!)).toBeLessThan(order(ROAD_STYLES.primary.casing!));
    expect(order(ROAD_STYLES.primary.casing!)).toBeLessThan(order(ROAD_STYLES.residential.stroke));
    expect(order(ROAD_STYLES.residential.stroke)).toBeLessThan(order(ROAD_STYLES.primary.stroke));
    const z16 = renderTileSvg({ z: 16, x: OAKHAM_Z14.x * 4, y: OAKHAM_Z14.y * 4 }, [road('primary', 0.3)], {
      landExtents: [],
    });
    const width = (s: string) => Number(/stroke="#fcd6a4" stroke-width="([\d.]+)"/.exec(s)?.[1]);
    expect(width(z16)).toBeCloseTo(width(svg) * 2 ** (2 * 0.6), 1);
  });

  it('leaves out classes below their minimum zoom, and `_link` ramps take their road style', () => {
    const line = (cls: string): BasemapFeature => ({
      layer: 'road',
      class: cls,
      geometry: { type: 'LineString', coordinates: [at(0, 0.5), at(1, 0.5)] },
    });
    const z10 = renderTileSvg({ z: 10, x: 509, y: 335 }, [line('residential'), line('primary_link')], {
      landExtents: [],
    });
    expect(z10).not.toContain(`stroke="${ROAD_STYLES.residential.casing}"`);
    expect(z10).toContain(`stroke="${ROAD_STYLES.primary.stroke}"`);
  });

  it('draws railways as a line with white dashes', () => {
    const rail: BasemapFeature = {
      layer: 'rail',
      class: 'rail',
      geometry: { type: 'MultiLineString', coordinates: [[at(0, 0.2), at(1, 0.8)]] },
    };
    const svg = renderTileSvg(OAKHAM_Z14, [rail], { landExtents: [] });
    expect(svg).toMatch(/stroke="#707070"/);
    expect(svg).toMatch(/stroke="#ffffff" stroke-width="[\d.]+" stroke-dasharray="/);
  });

  it('drops geometry smaller than half a pixel and geometry far off the tile', () => {
    const speck: BasemapFeature = {
      layer: 'landuse',
      class: 'farmland',
      geometry: { type: 'Polygon', coordinates: [rect(0.5, 0.5, 0.5005, 0.5005)] },
    };
    const far: BasemapFeature = {
      layer: 'water',
      class: 'water',
      geometry: {
        type: 'Polygon',
        coordinates: [[at(3, 3), at(4, 3), at(4, 4)]],
      },
    };
    expect(renderTileSvg(OAKHAM_Z14, [speck, far], { landExtents: [] })).not.toContain('<path');
  });

  it('is deterministic', () => {
    const f: BasemapFeature = {
      layer: 'landuse',
      class: 'residential',
      geometry: {
        type: 'MultiPolygon',
        coordinates: [[rect(0.1, 0.1, 0.4, 0.4)], [rect(0.6, 0.6, 0.9, 0.9)]],
      },
    };
    expect(renderTileSvg(OAKHAM_Z14, [f], { landExtents: [wholeTile] })).toBe(
      renderTileSvg(OAKHAM_Z14, [f], { landExtents: [wholeTile] }),
    );
  });
});

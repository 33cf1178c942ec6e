import { describe, expect, it } from 'vitest';
import {
  bboxesIntersect,
  isValidTile,
  latToTileY,
  lonToTileX,
  MAX_MERCATOR_LAT,
  tileBbox,
  tileProjector,
} from './tile-math';

describe('Web Mercator tile maths', () => {
  it('puts the whole world in tile 0/0/0, square at ±85.05°', () => {
    const [w, s, e, n] = tileBbox({ z: 0, x: 0, y: 0 });
    expect([w, e]).toEqual([-180, 180]);
    expect(n).toBeCloseTo(MAX_MERCATOR_LAT, 9);
    expect(s).toBeCloseTo(-MAX_MERCATOR_LAT, 9);
  });

  it('puts the equator on the prime meridian at the centre of the world', () => {
    expect(lonToTileX(0, 1)).toBe(1);
    expect(latToTileY(0, 1)).toBeCloseTo(1, 12);
    expect(latToTileY(MAX_MERCATOR_LAT, 0)).toBeCloseTo(0, 9);
  });

  it('finds the z14 tile of Oakham market place (52.6703 N, 0.7272 W): x 8158, y 5361', () => {
    expect(Math.floor(lonToTileX(-0.7272, 14))).toBe(8158);
    expect(Math.floor(latToTileY(52.6703, 14))).toBe(5361);
  });

  it('round-trips: a tile corner projects to its pixel corner', () => {
    const tile = { z: 14, x: 8159, y: 5392 };
    const [w, s, e, n] = tileBbox(tile);
    const project = tileProjector(tile);
    const [x0, y0] = project(w, n);
    const [x1, y1] = project(e, s);
    expect(x0).toBeCloseTo(0, 6);
    expect(y0).toBeCloseTo(0, 6);
    expect(x1).toBeCloseTo(256, 6);
    expect(y1).toBeCloseTo(256, 6);
  });

  it('grows the box by a pixel margin on every side', () => {
    const tile = { z: 10, x: 509, y: 337 };
    const inner = tileBbox(tile);
    const outer = tileBbox(tile, 16);
    expect(outer[0]).toBeLessThan(inner[0]);
    expect(outer[1]).toBeLessThan(inner[1]);
    expect(outer[2]).toBeGreaterThan(inner[2]);
    expect(outer[3]).toBeGreaterThan(inner[3]);
    expect(inner[0] - outer[0]).toBeCloseTo(((inner[2] - inner[0]) * 16) / 256, 9);
  });

  it('accepts only tiles that exist at their zoom', () => {
    expect(isValidTile({ z: 0, x: 0, y: 0 })).toBe(true);
    expect(isValidTile({ z: 2, x: 3, y: 3 })).toBe(true);
    expect(isValidTile({ z: 2, x: 4, y: 0 })).toBe(false);
    expect(isValidTile({ z: 2, x: 0, y: -1 })).toBe(false);
    expect(isValidTile({ z: 2.5, x: 0, y: 0 })).toBe(false);
  });

  it('tests box intersection, touching edges included', () => {
    expect(bboxesIntersect([0, 0, 1, 1], [1, 1, 2, 2])).toBe(true);
    expect(bboxesIntersect([0, 0, 1, 1], [1.1, 0, 2, 1])).toBe(false);
    expect(bboxesIntersect([0, 0, 1, 1], [0, 1.1, 1, 2])).toBe(false);
  });
});

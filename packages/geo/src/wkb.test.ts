import { describe, expect, it } from 'vitest';
import { decodePolygonalWkb, encodeMultiPolygonWkb, multiPolygonToGeoJson } from './wkb';

// Constructed: a square with a square hole, and a triangle — a multipolygon with a hole, which WKB must keep.
const square = new Float64Array([0, 0, 10, 0, 10, 10, 0, 10]);
const hole = new Float64Array([2, 2, 2, 8, 8, 8, 8, 2]);
const triangle = new Float64Array([20, 0, 30, 0, 25, 5]);

describe('WKB polygon codec', () => {
  it('round-trips a multipolygon with a hole exactly', () => {
    const mp = [[square, hole], [triangle]];
    const back = decodePolygonalWkb(encodeMultiPolygonWkb(mp));
    expect(back).toHaveLength(2);
    expect(Array.from(back[0][0])).toEqual(Array.from(square));
    expect(Array.from(back[0][1])).toEqual(Array.from(hole));
    expect(Array.from(back[1][0])).toEqual(Array.from(triangle));
  });

  it('closes rings on the wire (WKB rings repeat the first vertex)', () => {
    const bytes = encodeMultiPolygonWkb([[triangle]]);
    // header 9 + polygon header 9 + ring count 4 + 4 points × 16
    expect(bytes.byteLength).toBe(9 + 9 + 4 + 4 * 16);
  });

  it('reads an EWKB polygon with Z and SRID, dropping Z', () => {
    const pts = [
      [0, 0, 5],
      [1, 0, 5],
      [1, 1, 5],
      [0, 0, 5],
    ];
    const buf = new ArrayBuffer(1 + 4 + 4 + 4 + 4 + pts.length * 24);
    const v = new DataView(buf);
    v.setUint8(0, 1);
    v.setUint32(1, 3 | 0x80000000 | 0x20000000, true);
    v.setUint32(5, 4326, true);
    v.setUint32(9, 1, true);
    v.setUint32(13, pts.length, true);
    for (const [i, p] of pts.entries()) {
      for (const [k, c] of p.entries()) v.setFloat64(17 + i * 24 + k * 8, c, true);
    }
    expect(Array.from(decodePolygonalWkb(new Uint8Array(buf))[0][0])).toEqual([0, 0, 1, 0, 1, 1]);
  });

  it('writes GeoJSON with closed rings', () => {
    const g = multiPolygonToGeoJson([[triangle]]);
    expect(g.coordinates[0][0]).toEqual([
      [20, 0],
      [30, 0],
      [25, 5],
      [20, 0],
    ]);
  });
});

import { DataError } from './errors';
import type { MultiPolygon2, Polygon2, Ring2 } from './types';

/**
 * Well-Known Binary for polygonal geometry, straight to and from the typed-array rings used everywhere else,
 * so the database round trip of 100k footprints costs no object churn. Rings in WKB are closed; ours are not.
 */
const WKB_POLYGON = 3;
const WKB_MULTIPOLYGON = 6;

export function encodeMultiPolygonWkb(mp: MultiPolygon2): Uint8Array {
  let size = 9;
  for (const poly of mp) {
    size += 9;
    for (const ring of poly) size += 4 + (ring.length + 2) * 8;
  }
  const buf = new ArrayBuffer(size);
  const v = new DataView(buf);
  let o = 0;
  const header = (type: number, count: number) => {
    v.setUint8(o, 1);
    v.setUint32(o + 1, type, true);
    v.setUint32(o + 5, count, true);
    o += 9;
  };
  header(WKB_MULTIPOLYGON, mp.length);
  for (const poly of mp) {
    header(WKB_POLYGON, poly.length);
    for (const ring of poly) {
      const n = ring.length / 2;
      v.setUint32(o, n + 1, true);
      o += 4;
      for (let i = 0; i <= n; i++) {
        const k = (i % n) * 2;
        v.setFloat64(o, ring[k], true);
        v.setFloat64(o + 8, ring[k + 1], true);
        o += 16;
      }
    }
  }
  return new Uint8Array(buf);
}

/** Decodes a WKB/EWKB Polygon or MultiPolygon (Z/M dropped) into unclosed 2D rings. */
export function decodePolygonalWkb(bytes: Uint8Array): MultiPolygon2 {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const readHeader = () => {
    const le = v.getUint8(o) === 1;
    let type = v.getUint32(o + 1, le);
    o += 5;
    let dims = 2;
    if (type & 0x20000000) o += 4; // EWKB SRID
    if (type & 0x80000000) dims++;
    if (type & 0x40000000) dims++;
    type &= 0x0fffffff;
    if (type > 1000) {
      dims = type >= 3000 ? 4 : 3; // ISO WKB: Z in the 1000s, M in the 2000s, ZM in the 3000s
      type %= 1000;
    }
    return { le, type, dims };
  };
  const readPolygon = (le: boolean, dims: number): Polygon2 => {
    const nRings = v.getUint32(o, le);
    o += 4;
    const rings: Ring2[] = [];
    for (let r = 0; r < nRings; r++) {
      const n = v.getUint32(o, le);
      o += 4;
      const ring = new Float64Array((n - 1) * 2);
      for (let i = 0; i < n; i++) {
        if (i < n - 1) {
          ring[i * 2] = v.getFloat64(o, le);
          ring[i * 2 + 1] = v.getFloat64(o + 8, le);
        }
        o += dims * 8;
      }
      rings.push(ring);
    }
    return rings;
  };
  const h = readHeader();
  if (h.type === WKB_POLYGON) return [readPolygon(h.le, h.dims)];
  if (h.type !== WKB_MULTIPOLYGON)
    throw new DataError('invalid-geometry', `expected a polygon in WKB, got type ${h.type}`);
  const n = v.getUint32(o, h.le);
  o += 4;
  const out: MultiPolygon2 = [];
  for (let i = 0; i < n; i++) {
    const p = readHeader();
    out.push(readPolygon(p.le, p.dims));
  }
  return out;
}

/** GeoJSON MultiPolygon coordinates (closed rings) from typed-array rings. */
export function multiPolygonToGeoJson(mp: MultiPolygon2): {
  type: 'MultiPolygon';
  coordinates: number[][][][];
} {
  return {
    type: 'MultiPolygon',
    coordinates: mp.map((poly) =>
      poly.map((ring) => {
        const pts: number[][] = [];
        for (let i = 0; i < ring.length; i += 2) pts.push([ring[i], ring[i + 1]]);
        if (pts.length) pts.push([ring[0], ring[1]]);
        return pts;
      }),
    ),
  };
}

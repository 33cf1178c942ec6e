/**
 * Footprints: GeoJSON ↔ the typed-array MultiPolygon2 of @placetwin/geo, and metric measures (area, overlap)
 * on the WGS84 ellipsoid through a local frame at each footprint.
 */
import {
  type BBox,
  cleanRing,
  findRingContact,
  type MultiPolygon2,
  orientPolygon,
  pointInRing,
  polygonProblem,
  signedRingArea,
  WGS84_A,
  WGS84_F,
} from '@placetwin/geo';
import { intersection } from 'polyclip-ts';
import type { FootprintGeoJson } from './types';

/** More vertices than this in one footprint is a drawing or import mistake, not a building. */
export const MAX_FOOTPRINT_VERTICES = 10_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function ringFromPositions(positions: unknown, where: string): Float64Array | string {
  if (!Array.isArray(positions)) return `${where} must be an array of [lon, lat] positions`;
  const flat = new Float64Array(positions.length * 2);
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i];
    if (!Array.isArray(p) || p.length < 2) return `${where} position ${i} must be [lon, lat]`;
    const [lon, lat] = p as unknown[];
    if (
      typeof lon !== 'number' ||
      typeof lat !== 'number' ||
      !Number.isFinite(lon) ||
      !Number.isFinite(lat)
    ) {
      return `${where} position ${i} must be two finite numbers [lon, lat]`;
    }
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      return `${where} position ${i} (${lon}, ${lat}) is not a longitude/latitude in degrees: give EPSG:4326 coordinates, longitude first`;
    }
    flat[i * 2] = lon;
    flat[i * 2 + 1] = lat;
  }
  const ring = cleanRing(flat);
  if (ring.length / 2 < 3) return `${where} has fewer than 3 distinct vertices: draw at least a triangle`;
  return ring;
}

/**
 * A GeoJSON Polygon/MultiPolygon → MultiPolygon2 (open rings, outer counter-clockwise, holes clockwise), or the
 * reason it is not a valid footprint (not simple, rings crossing, polygons overlapping…) with what to fix.
 */
export function footprintFromGeoJson(g: unknown): { footprint: MultiPolygon2 } | { problem: string } {
  if (!isRecord(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
    return {
      problem: 'must be a GeoJSON geometry { "type": "Polygon" | "MultiPolygon", "coordinates": [...] }',
    };
  }
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  if (polygons.length === 0) return { problem: 'has no polygons' };
  const footprint: MultiPolygon2 = [];
  let vertices = 0;
  for (let p = 0; p < polygons.length; p++) {
    const rings = polygons[p];
    const label = polygons.length > 1 ? `polygon ${p + 1}` : 'polygon';
    if (!Array.isArray(rings) || rings.length === 0) return { problem: `${label} has no rings` };
    const out: Float64Array[] = [];
    for (let r = 0; r < rings.length; r++) {
      const ring = ringFromPositions(rings[r], `${label} ${r === 0 ? 'outer ring' : `inner ring ${r}`}`);
      if (typeof ring === 'string') return { problem: ring };
      vertices += ring.length / 2;
      out.push(ring);
    }
    if (vertices > MAX_FOOTPRINT_VERTICES) {
      return {
        problem: `has more than ${MAX_FOOTPRINT_VERTICES} vertices: simplify the outline before adding it`,
      };
    }
    const problem = polygonProblem(out);
    if (problem)
      return { problem: `${label}: ${problem}; redraw the outline so that its edges do not cross` };
    footprint.push(orientPolygon(out));
  }
  const overlap = polygonsOverlap(footprint);
  if (overlap) return { problem: overlap };
  return { footprint };
}

/** Polygons of one footprint must be apart (touching at a point is allowed, as in OGC Simple Features). */
function polygonsOverlap(footprint: MultiPolygon2): string | null {
  for (let i = 0; i < footprint.length; i++) {
    for (let j = i + 1; j < footprint.length; j++) {
      const a = footprint[i][0];
      const b = footprint[j][0];
      const c = findRingContact([a, b]);
      const inside = pointInRing(b[0], b[1], a) || pointInRing(a[0], a[1], b);
      if ((c && c.kind !== 'touch') || (!c && inside)) {
        return `polygons ${i + 1} and ${j + 1} overlap: merge them into one polygon or move them apart`;
      }
    }
  }
  return null;
}

/** MultiPolygon2 → GeoJSON MultiPolygon with closed rings (RFC 7946), coordinates rounded to 1e-7° (~1 cm). */
export function footprintToGeoJson(footprint: MultiPolygon2): FootprintGeoJson {
  const round = (v: number) => Math.round(v * 1e7) / 1e7;
  return {
    type: 'MultiPolygon',
    coordinates: footprint.map((polygon) =>
      polygon.map((ring) => {
        const pos: number[][] = [];
        for (let i = 0; i < ring.length; i += 2) pos.push([round(ring[i]), round(ring[i + 1])]);
        pos.push([...pos[0]]);
        return pos;
      }),
    ),
  };
}

/** West, south, east, north of a footprint. */
export function footprintBBox(footprint: MultiPolygon2): BBox {
  let w = Number.POSITIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  for (const polygon of footprint) {
    for (const ring of polygon) {
      for (let i = 0; i < ring.length; i += 2) {
        w = Math.min(w, ring[i]);
        e = Math.max(e, ring[i]);
        s = Math.min(s, ring[i + 1]);
        n = Math.max(n, ring[i + 1]);
      }
    }
  }
  return [w, s, e, n];
}

export const bboxesIntersect = (a: BBox, b: BBox): boolean =>
  a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * A plane tangent to the WGS84 ellipsoid at (lon0, lat0): x east and y north in metres, scaled by the meridian
 * and prime-vertical radii of curvature there. Over a building or a town site (< a few km) the areas it gives
 * differ from geodesic areas by parts per million.
 */
export interface LocalFrame {
  lon0: number;
  lat0: number;
  mPerDegLon: number;
  mPerDegLat: number;
}

export function localFrame(lon0: number, lat0: number): LocalFrame {
  const e2 = WGS84_F * (2 - WGS84_F);
  const phi = (lat0 * Math.PI) / 180;
  const w = 1 - e2 * Math.sin(phi) ** 2;
  const meridian = (WGS84_A * (1 - e2)) / w ** 1.5;
  const primeVertical = WGS84_A / Math.sqrt(w);
  const perDeg = Math.PI / 180;
  return { lon0, lat0, mPerDegLon: primeVertical * Math.cos(phi) * perDeg, mPerDegLat: meridian * perDeg };
}

const frameAt = (footprint: MultiPolygon2): LocalFrame => {
  const [w, s, e, n] = footprintBBox(footprint);
  return localFrame((w + e) / 2, (s + n) / 2);
};

function ringToLocal(ring: Float64Array, f: LocalFrame): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ring.length; i += 2) {
    out.push([(ring[i] - f.lon0) * f.mPerDegLon, (ring[i + 1] - f.lat0) * f.mPerDegLat]);
  }
  return out;
}

const toLocal = (footprint: MultiPolygon2, f: LocalFrame): [number, number][][][] =>
  footprint.map((polygon) => polygon.map((ring) => ringToLocal(ring, f)));

function localArea(polygons: [number, number][][][]): number {
  let area = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => {
      const flat = new Float64Array(ring.flat());
      const a = Math.abs(signedRingArea(flat));
      area += i === 0 ? a : -a;
    });
  }
  return area;
}

/** Footprint area in m² (outer rings less holes) on the WGS84 ellipsoid. */
export const footprintAreaM2 = (footprint: MultiPolygon2): number =>
  localArea(toLocal(footprint, frameAt(footprint)));

/** Area in m² of the part of `a` that lies inside `b`. */
export function intersectionAreaM2(a: MultiPolygon2, b: MultiPolygon2): number {
  if (!bboxesIntersect(footprintBBox(a), footprintBBox(b))) return 0;
  const f = frameAt(a);
  return localArea(intersection(toLocal(a, f), toLocal(b, f)));
}

/** A bbox as a one-polygon footprint. */
export const bboxFootprint = ([w, s, e, n]: BBox): MultiPolygon2 => [
  [new Float64Array([w, s, e, s, e, n, w, n])],
];

/** The centre of a footprint's bounding box, [lon, lat]. */
export function footprintCentre(footprint: MultiPolygon2): [number, number] {
  const [w, s, e, n] = footprintBBox(footprint);
  return [(w + e) / 2, (s + n) / 2];
}

/** Every vertex of a footprint mapped through `f` (east, north metres in the local frame at `frame`). */
function mapLocal(
  footprint: MultiPolygon2,
  frame: LocalFrame,
  f: (e: number, n: number) => [number, number],
): MultiPolygon2 {
  return footprint.map((polygon) =>
    polygon.map((ring) => {
      const out = new Float64Array(ring.length);
      for (let i = 0; i < ring.length; i += 2) {
        const [e, n] = f(
          (ring[i] - frame.lon0) * frame.mPerDegLon,
          (ring[i + 1] - frame.lat0) * frame.mPerDegLat,
        );
        out[i] = frame.lon0 + e / frame.mPerDegLon;
        out[i + 1] = frame.lat0 + n / frame.mPerDegLat;
      }
      return out;
    }),
  );
}

/**
 * A footprint turned clockwise as seen from above (as a compass bearing turns) by `deg` degrees about `about`
 * ([lon, lat]; default the centre of its bounding box), distances kept in metres through the local frame there.
 * A rotation keeps each ring's winding, so the result is as valid as the input.
 */
export function rotateFootprint(
  footprint: MultiPolygon2,
  deg: number,
  about: readonly [number, number] = footprintCentre(footprint),
): MultiPolygon2 {
  const t = (deg * Math.PI) / 180;
  const [c, s] = [Math.cos(t), Math.sin(t)];
  return mapLocal(footprint, localFrame(about[0], about[1]), (e, n) => [e * c + n * s, -e * s + n * c]);
}

/** A footprint moved `eastM` east and `northM` north (metres in the local frame at its centre). */
export function translateFootprint(footprint: MultiPolygon2, eastM: number, northM: number): MultiPolygon2 {
  const [lon, lat] = footprintCentre(footprint);
  return mapLocal(footprint, localFrame(lon, lat), (e, n) => [e + eastM, n + northM]);
}

/**
 * Small planar helpers over GeoJSON footprints (lon/lat degrees; at town scale the distortion of treating them as
 * a plane does not matter for "is this point inside").
 */
import type { GeoJsonGeometry } from '@placetwin/geo';

type Ring = number[][];

function outerRings(g: GeoJsonGeometry): Ring[] {
  if (g.type === 'Polygon') return [g.coordinates[0]];
  if (g.type === 'MultiPolygon') return g.coordinates.map((p) => p[0]);
  return [];
}

function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  }
  return a / 2;
}

/** Area-weighted centroid of the largest outer ring. */
export function footprintCentroid(g: GeoJsonGeometry): { lon: number; lat: number } | null {
  const ring = outerRings(g).sort((a, b) => Math.abs(ringArea(b)) - Math.abs(ringArea(a)))[0];
  if (!ring || ring.length < 3) return null;
  const a = ringArea(ring);
  if (a === 0) return null;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    cx += (ring[j][0] + ring[i][0]) * f;
    cy += (ring[j][1] + ring[i][1]) * f;
  }
  return { lon: cx / (6 * a), lat: cy / (6 * a) };
}

/** Whether a point lies inside a footprint (even-odd rule over every ring, so holes count as outside). */
export function insideFootprint(g: GeoJsonGeometry, lon: number, lat: number): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  let inside = false;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** Smallest distance (metres, approximate) from a point to a footprint's edges: how far a pick may drift. */
export function distanceToEdgeM(g: GeoJsonGeometry, lon: number, lat: number): number {
  const mPerDegLat = 111_320;
  const mPerDegLon = 111_320 * Math.cos((lat * Math.PI) / 180);
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  let best = Number.POSITIVE_INFINITY;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const ax = (ring[j][0] - lon) * mPerDegLon;
        const ay = (ring[j][1] - lat) * mPerDegLat;
        const bx = (ring[i][0] - lon) * mPerDegLon;
        const by = (ring[i][1] - lat) * mPerDegLat;
        const dx = bx - ax;
        const dy = by - ay;
        const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)));
        best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
      }
    }
  }
  return best;
}

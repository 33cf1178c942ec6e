import type { TileableBuilding } from './types';

function ringProblem(ring: unknown, stride: 2 | 3): string | null {
  if (!(ring instanceof Float64Array)) return 'a ring is not a Float64Array';
  if (ring.length % stride !== 0) return `a ring's length ${ring.length} is not a multiple of ${stride}`;
  if (ring.length < 3 * stride) return 'a ring has fewer than 3 vertices';
  for (let i = 0; i < ring.length; i += stride) {
    const lon = ring[i];
    const lat = ring[i + 1];
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      return `a vertex is not a lon/lat in degrees: ${lon}, ${lat}`;
    }
    if (stride === 3 && !Number.isFinite(ring[i + 2]))
      return `a vertex has a non-finite height: ${ring[i + 2]}`;
  }
  return null;
}

/** Why the tiler cannot draw a building, or null when it can. */
export function buildingProblem(b: TileableBuilding): string | null {
  if (typeof b.id !== 'string' || b.id.length === 0) return 'the building has no id';
  if (!Number.isFinite(b.minHeightM) || !Number.isFinite(b.heightM)) {
    return `non-finite height (minHeightM ${b.minHeightM}, heightM ${b.heightM})`;
  }
  if (!(b.heightM > b.minHeightM)) return `heightM ${b.heightM} is not above minHeightM ${b.minHeightM}`;
  if (!Array.isArray(b.footprint) || b.footprint.length === 0) return 'the footprint is empty';
  for (const polygon of b.footprint) {
    if (!Array.isArray(polygon) || polygon.length === 0) return 'a footprint polygon has no rings';
    for (const ring of polygon) {
      const p = ringProblem(ring, 2);
      if (p) return `footprint: ${p}`;
    }
  }
  for (const surface of b.surfaces ?? []) {
    if (!Array.isArray(surface.rings) || surface.rings.length === 0) return 'a surface has no rings';
    for (const ring of surface.rings) {
      const p = ringProblem(ring, 3);
      if (p) return `surface: ${p}`;
    }
  }
  if (b.properties === null || typeof b.properties !== 'object') return 'properties is not an object';
  for (const [key, v] of Object.entries(b.properties)) {
    const t = typeof v;
    if (v !== null && t !== 'string' && t !== 'boolean' && t !== 'number') {
      return `property "${key}" is a ${t}, not a string, number, boolean or null`;
    }
    if (t === 'number' && !Number.isFinite(v)) return `property "${key}" is not a finite number: ${v}`;
  }
  return null;
}

/**
 * Turns the server's building list into a GeoJSON FeatureCollection for the benchmark's GeoJSON path. Pure.
 */
import type { BBox, GeoJsonGeometry } from '@placetwin/geo';

/** A dataset's buildings inside a bbox (by default: all of them), with footprints. */
export const buildingsGeoJsonUrl = (dataset: string, bbox: BBox, limit = 100_000): string =>
  `/api/buildings?bbox=${bbox.join(',')}&dataset=${encodeURIComponent(dataset)}&limit=${limit}`;

/** A point standing for a footprint: the mean of its first outer ring's vertices. Null for non-polygons. */
export function footprintAnchor(g: GeoJsonGeometry): { lon: number; lat: number } | null {
  const ring =
    g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? g.coordinates[0]?.[0] : null;
  if (!ring || ring.length === 0) return null;
  return {
    lon: ring.reduce((a, p) => a + p[0], 0) / ring.length,
    lat: ring.reduce((a, p) => a + p[1], 0) / ring.length,
  };
}

export interface BuildingFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    id: string;
    geometry: GeoJsonGeometry;
    properties: Record<string, unknown>;
  }[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isPolygonal = (g: unknown): g is GeoJsonGeometry =>
  isObject(g) && (g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates);

/**
 * Accepts a GeoJSON FeatureCollection of buildings, or a list of building records (a bare array, or
 * `{ buildings: [...] }`/`{ items: [...] }`) each with a GeoJSON `footprint`; keeps those with a polygon.
 */
export function toFeatureCollection(body: unknown): BuildingFeatureCollection {
  const features: BuildingFeatureCollection['features'] = [];
  if (isObject(body) && body.type === 'FeatureCollection' && Array.isArray(body.features)) {
    for (const f of body.features) {
      if (!isObject(f) || !isPolygonal(f.geometry)) continue;
      const properties = isObject(f.properties) ? f.properties : {};
      const id = typeof properties.id === 'string' ? properties.id : String(f.id ?? '');
      features.push({ type: 'Feature', id, geometry: f.geometry, properties: { ...properties, id } });
    }
    return { type: 'FeatureCollection', features };
  }
  const list = Array.isArray(body)
    ? body
    : isObject(body) && Array.isArray(body.buildings)
      ? body.buildings
      : isObject(body) && Array.isArray(body.items)
        ? body.items
        : [];
  for (const b of list) {
    if (!isObject(b) || typeof b.id !== 'string' || !isPolygonal(b.footprint)) continue;
    const { footprint, ...properties } = b;
    features.push({ type: 'Feature', id: b.id, geometry: footprint, properties });
  }
  return { type: 'FeatureCollection', features };
}

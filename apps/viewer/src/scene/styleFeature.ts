import type { Cesium3DTileFeature } from 'cesium';

/**
 * A stand-in for a 3D Tiles feature, so Cesium3DTileStyle expressions can be evaluated over plain properties (the
 * GeoJSON benchmark path, tests). Style expressions only read properties, through these two methods.
 */
export function propertyFeature(props: Record<string, unknown>): Cesium3DTileFeature {
  const get = (name: string): unknown => props[name];
  return { getProperty: get, getPropertyInherited: get } as unknown as Cesium3DTileFeature;
}

import { type Cartesian2, Cesium3DTileFeature, Entity, JulianDate, type Scene } from 'cesium';

/**
 * The building id under a canvas pixel: a 3D Tiles feature carries it as its `id` property (EXT_structural_metadata);
 * a GeoJSON entity (benchmark path) as its `id` GeoJSON property.
 */
export function pickBuildingId(scene: Scene, position: Cartesian2): string | null {
  const picked: unknown = scene.pick(position);
  if (picked instanceof Cesium3DTileFeature) {
    const id: unknown = picked.getProperty('id');
    return typeof id === 'string' && id ? id : null;
  }
  if (typeof picked === 'object' && picked !== null && 'id' in picked && picked.id instanceof Entity) {
    const id: unknown = picked.id.properties?.getValue(JulianDate.now())?.id;
    return typeof id === 'string' && id ? id : null;
  }
  return null;
}

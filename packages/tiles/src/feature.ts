import type { BuildingFeature } from '@placetwin/geo';
import type { TileableBuilding } from './types';

/**
 * An imported building as the tiler takes it, with the few properties worth a column in every tile
 * (picking and styling); everything else is one API call away by `id`.
 */
export function toTileable(feature: BuildingFeature, id: string): TileableBuilding {
  return {
    id,
    footprint: feature.footprint,
    minHeightM: feature.minHeightM,
    heightM: feature.heightM,
    ...(feature.surfaces ? { surfaces: feature.surfaces } : {}),
    properties: {
      name: feature.name,
      use: feature.use,
      storeys: feature.storeys,
      heightSource: feature.heightSource,
    },
  };
}

import { type Db, listDatasets, mapFeaturesInBbox } from '@placetwin/db';
import type { BBox } from '@placetwin/geo';
import type { BasemapSource } from './basemap-tiles';

/** The basemap drawn from the map features in PostGIS; its version follows every (re-)import. */
export const dbBasemapSource = (db: Db): BasemapSource => ({
  async coverage() {
    const datasets = await listDatasets(db);
    return {
      version: datasets.map((d) => `${d.name}@${d.importedAt}`).join('|'),
      extents: datasets.flatMap((d): BBox[] => (d.bbox ? [d.bbox] : [])),
    };
  },
  features: (bbox, { limit, toleranceDeg }) => mapFeaturesInBbox(db, bbox, { limit, toleranceDeg }),
});

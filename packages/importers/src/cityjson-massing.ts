/**
 * An architect's massing as CityJSON: the project's CityJSON importer (cityjson.ts) reads the file, and each
 * Building (not its BuildingParts: a building's footprint and height already cover its parts) becomes one block
 * with its footprint (WGS84, from its ground surfaces or lowest outline) and its height (highest − lowest vertex).
 */
import { DataError, type MultiPolygon2 } from '@placetwin/geo';
import { cityJsonImporter } from './cityjson';

export interface GeoMassing {
  /** The CityObject's id: names the building in messages. */
  name: string;
  /** Longitude/latitude degrees. */
  footprint: MultiPolygon2;
  heightM: number;
}

/** The buildings of a CityJSON massing file; a DataError names the file and the object at fault. */
export async function cityJsonMassing(bytes: Uint8Array, fileName: string): Promise<GeoMassing[]> {
  const out: GeoMassing[] = [];
  for await (const f of cityJsonImporter.parse(bytes, { fileName })) {
    if (!('kind' in f) || f.kind !== 'building') continue;
    const height = f.heightM - (f.minHeightM ?? 0);
    if (!(height > 0))
      throw new DataError('invalid-geometry', 'has no height: its geometry is flat', {
        file: fileName,
        featureId: f.sourceId,
      });
    out.push({ name: f.sourceId, footprint: f.footprint, heightM: Math.round(height * 100) / 100 });
  }
  if (out.length === 0)
    throw new DataError('invalid-cityjson', 'has no Building objects with geometry', { file: fileName });
  return out;
}

import { DataError } from '@placetwin/geo';
import { cityGmlImporter } from './citygml';
import { cityJsonImporter } from './cityjson';
import { geoJsonImporter } from './geojson';
import { osmPbfImporter, osmXmlImporter } from './osm/importer';
import { baseName, type Importer } from './types';

/** Every format Placetwin imports, most specific first (CityJSON before GeoJSON: both are JSON). */
export const importers: Importer[] = [
  osmPbfImporter,
  osmXmlImporter,
  cityJsonImporter,
  cityGmlImporter,
  geoJsonImporter,
];

/** How many leading bytes `detect` sees. */
export const DETECT_BYTES = 64 * 1024;

/**
 * The importer for a file: the first whose `detect` accepts its leading bytes (magic bytes and content),
 * else, for an empty or unrecognised head, none. Throws DataError `unsupported-format` naming the formats.
 */
export function importerFor(bytes: Uint8Array, fileName: string): Importer {
  const head = bytes.subarray(0, DETECT_BYTES);
  const found = importers.find((i) => i.detect(head, fileName));
  if (found) return found;
  const byExtension = importers.find((i) => i.extensions.some((e) => baseName(fileName).endsWith(e)));
  const why = byExtension
    ? `its name says ${byExtension.name} but its content does not look like it`
    : 'its content matches no known format';
  throw new DataError(
    'unsupported-format',
    `cannot import this file: ${why} (supported: ${importers.map((i) => `${i.name} ${i.extensions.join('/')}`).join(', ')})`,
    { file: fileName },
  );
}

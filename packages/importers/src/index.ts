export { cityGmlImporter } from './citygml';
export { cityJsonImporter } from './cityjson';
export { cityJsonMassing, type GeoMassing } from './cityjson-massing';
export { coordinateCheck, horizontalCrs } from './crs';
export { geoJsonImporter } from './geojson';
export { glbMassing, groundHull, type LocalMassing, MAX_MASSING_VERTICES } from './glb-massing';
export {
  type DerivedHeight,
  deriveHeight,
  type HeightTags,
  LEVEL_HEIGHT_M,
  parseLengthM,
  parseLevels,
  ROOF_ALLOWANCE_M,
  TYPE_DEFAULTS,
  type TypeDefault,
} from './height';
export { MAP_RULES, type OsmAssemblyStats } from './osm/assemble';
export { osmPbfImporter, osmXmlImporter, parseOsmWithStats } from './osm/importer';
export { type OsmPoint, osmPointsOfInterest } from './osm/points';
export { DETECT_BYTES, importerFor, importers } from './registry';
export type { Importer, ImportOptions, ImportProgress, ImportReject } from './types';
export {
  OS_OPEN_UPRN_COLUMNS,
  parseOsOpenUprnCsv,
  UPRN_PATTERN,
  type UprnPoint,
} from './uprn';
export { USE_CLASSES, USE_TABLE, type UseClass, useClass, useFromProperty } from './use';

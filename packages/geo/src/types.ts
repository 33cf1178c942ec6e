/**
 * Geometry and building types shared by importers, db, tiles and the apps.
 *
 * Geometry travels as typed arrays with explicit strides:
 * - a 2D ring is a Float64Array of [lon, lat, lon, lat, ...] in degrees (EPSG:4326), NOT closed
 *   (the first vertex is not repeated at the end);
 * - a polygon is an array of rings: the outer ring first (counter-clockwise), then holes (clockwise);
 * - a 3D ring (LoD2 surfaces) is a Float64Array of [lon, lat, z, ...] with z in metres above the
 *   building's ground (its lowest vertex), also not closed.
 */
export type Ring2 = Float64Array;
export type Polygon2 = Ring2[];
export type MultiPolygon2 = Polygon2[];
export type Ring3 = Float64Array;

/** West, south, east, north in degrees. */
export type BBox = [west: number, south: number, east: number, north: number];

/** How a building's height was obtained. `measured`: a surveyed/modelled height (OSM `height`, a 3D model). */
export type HeightSource = 'measured' | 'levels' | 'type-default';

/** One planar surface of an LoD2 (or LoD1 solid) model, with its CityGML/CityJSON semantic if known. */
export interface Surface {
  /** Outer ring then holes, each stride 3 (lon, lat, zAboveGroundM). */
  rings: Ring3[];
  semantic: 'roof' | 'wall' | 'ground' | 'other';
}

/** A building (or building part) as importers produce it and the database stores it. */
export interface BuildingFeature {
  kind: 'building' | 'part';
  /** Stable id within its source: OSM `w123`/`r45`, CityJSON object id, CityGML gml:id. */
  sourceId: string;
  /** For a part: the sourceId of the building it belongs to, when known. */
  parentSourceId: string | null;
  footprint: MultiPolygon2;
  /** Bottom of the extrusion above ground (OSM `min_height`, elevated parts); 0 for most buildings. */
  minHeightM: number;
  /** Top of the building above ground, metres. */
  heightM: number;
  heightSource: HeightSource;
  /** Plain-language note on how the height was derived, e.g. "OSM building:levels=3 × 3.0 m + 1.0 m roof". */
  heightMethod: string;
  storeys: number | null;
  /** Use class, e.g. OSM `building`/`amenity` value mapped to residential, commercial, ... */
  use: string | null;
  name: string | null;
  /** Ground elevation in metres above the source's vertical datum (ODN in GB), when known. */
  groundElevationM: number | null;
  attributes: Record<string, string | number | boolean | null>;
  /** LoD1/LoD2 3D geometry when the source has it (CityJSON, CityGML); otherwise the footprint is extruded. */
  surfaces?: Surface[];
}

/** Non-building OSM geometry drawn on the offline basemap (land use, water, roads, railways). */
export interface MapFeature {
  kind: 'map';
  sourceId: string;
  layer: 'landuse' | 'water' | 'road' | 'rail' | 'building-outline' | 'other';
  /** The OSM tag value (e.g. `residential`, `primary`, `river`). */
  class: string;
  name: string | null;
  /** GeoJSON geometry in EPSG:4326. */
  geometry: GeoJsonGeometry;
}

export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export type ImportedFeature = BuildingFeature | MapFeature;

/** Descriptive metadata of a dataset, shown as credits and provenance. */
export interface DatasetMeta {
  name: string;
  title: string;
  source: string;
  licence: string;
  attribution: string;
  vintage: string | null;
  /** CRS of the source file, e.g. EPSG:27700. */
  crs: string;
}

import type { MultiPolygon2, Surface } from '@placetwin/geo';

export type PropertyValue = string | number | boolean | null;

/** A building as the tiler takes it (docs/adr/0001): `db.buildingsForTiling` or `toTileable` produce it. */
export interface TileableBuilding {
  /** Dataset-unique id, e.g. `rutland:w123456`; becomes the `id` property Cesium picks and styles by. */
  id: string;
  /** lon/lat degrees (EPSG:4326); each polygon: outer ring then holes. Extruded when there are no `surfaces`. */
  footprint: MultiPolygon2;
  /** Bottom of the extrusion above ground, metres. */
  minHeightM: number;
  /** Top of the extrusion above ground, metres. */
  heightM: number;
  /** LoD2 planar surfaces (lon, lat, z above ground); when present they are drawn instead of the extrusion. */
  surfaces?: Surface[];
  /** One metadata column each in the tiles' property table (names made schema-safe, see README). */
  properties: Record<string, PropertyValue>;
}

export interface TilesetOptions {
  /**
   * A quadtree cell holding more buildings than this is split in four. 1,000 keeps Rutland to ~10 tiles of
   * ~0.3 MB each (few requests, still culled per area); see README for the measurements.
   */
  maxFeaturesPerTile: number;
  /**
   * Meshopt compression with 16-bit quantised positions (KHR_mesh_quantization; step = the tile's largest
   * extent / 65534, e.g. 1.5 cm for a 1 km tile). `false` writes plain float32.
   */
  compress: boolean;
  /**
   * Which buildings get a floor (bottom cap, facing down): `elevated` only those with minHeightM > 0 (a floor on
   * the ground is never seen and costs ~10% of the bytes), `all`, or `none`. Also applies to LoD2 ground surfaces.
   */
  floors: 'elevated' | 'all' | 'none';
  /**
   * Parent geometricError = max(largest building in the subtree, content diagonal / this), in metres. With
   * Cesium's default maximumScreenSpaceError of 16 px, a divisor of 10 draws a town's tiles from ~10 km away.
   */
  geometricErrorDivisor: number;
  /** Base colour (linear RGB, 0-1); the viewer restyles by property. */
  baseColor: [number, number, number];
  /** Skip (and report) invalid buildings instead of throwing DataError. */
  skipInvalid: boolean;
  onReject?: (r: { featureId: string | null; reason: string }) => void;
}

export const TILESET_DEFAULTS: Readonly<TilesetOptions> = Object.freeze({
  maxFeaturesPerTile: 1000,
  compress: true,
  floors: 'elevated',
  geometricErrorDivisor: 10,
  baseColor: [0.8, 0.8, 0.8] as [number, number, number],
  skipInvalid: false,
});

/** West, south, east, north (radians), minimum and maximum height (metres above the WGS84 ellipsoid). */
export type Region = [
  west: number,
  south: number,
  east: number,
  north: number,
  minHeightM: number,
  maxHeightM: number,
];

/** A tile of tileset.json (3D Tiles 1.1). */
export interface Tile {
  boundingVolume: { region: Region };
  geometricError: number;
  refine?: 'ADD' | 'REPLACE';
  /** Column-major 4×4: the content's ENU frame → ECEF (EPSG:4978). */
  transform?: number[];
  content?: { uri: string };
  children?: Tile[];
}

/** The tileset.json object. */
export interface Tileset {
  asset: { version: '1.1'; generator: string };
  geometricError: number;
  root: Tile;
}

export interface TilesetStats {
  /** Buildings tiled (each in exactly one content tile). */
  buildings: number;
  /** Invalid buildings skipped (only with `skipInvalid`). */
  rejected: number;
  /** Tiles with content (= glb files). */
  contentTiles: number;
  /** All tiles of the hierarchy. */
  tiles: number;
  /** Deepest level below the root (root = 0). */
  maxDepth: number;
  /** Sum of the glb sizes. */
  bytes: number;
  vertices: number;
  triangles: number;
}

export interface TilesetResult {
  tileset: Tileset;
  /** Content-addressed glb files: `<first 16 hex of sha256>.glb` → bytes. tileset.json is not included. */
  files: Map<string, Uint8Array>;
  stats: TilesetStats;
}

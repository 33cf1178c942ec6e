export { TILE_EXTENSIONS } from './content';
export { toTileable } from './feature';
export { schemaPropertyId } from './metadata';
export { readTileContent, type TileContentData } from './read';
export {
  assembleTileset,
  buildCell,
  buildTileset,
  type CellResult,
  planTileset,
  type TilePlan,
  type TilePlanCell,
  TilePlanner,
} from './tileset';
export {
  type PropertyValue,
  type Region,
  TILESET_DEFAULTS,
  type Tile,
  type TileableBuilding,
  type Tileset,
  type TilesetOptions,
  type TilesetResult,
  type TilesetStats,
} from './types';

import type { BBox } from '@placetwin/geo';

/** Web Mercator (EPSG:3857) XYZ tile address, as in OSM/Google slippy maps. */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

export const TILE_SIZE_PX = 256;

/** Web Mercator stops at ±85.0511° so the world is square. */
export const MAX_MERCATOR_LAT = 85.0511287798066;

const clampLat = (lat: number) => Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));

/** Longitude → fractional tile column at zoom z. */
export const lonToTileX = (lon: number, z: number): number => ((lon + 180) / 360) * 2 ** z;

/** Latitude → fractional tile row at zoom z (row 0 at the top). */
export const latToTileY = (lat: number, z: number): number => {
  const phi = (clampLat(lat) * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * 2 ** z;
};

const tileXToLon = (x: number, z: number): number => (x / 2 ** z) * 360 - 180;
const tileYToLat = (y: number, z: number): number =>
  (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI;

/** The tile's extent in degrees, optionally grown by `marginPx` pixels on every side. */
export function tileBbox({ z, x, y }: TileAddress, marginPx = 0): BBox {
  const m = marginPx / TILE_SIZE_PX;
  return [tileXToLon(x - m, z), tileYToLat(y + 1 + m, z), tileXToLon(x + 1 + m, z), tileYToLat(y - m, z)];
}

/** True when z/x/y names a tile that exists (0 ≤ x, y < 2^z). */
export const isValidTile = ({ z, x, y }: TileAddress): boolean =>
  Number.isInteger(z) &&
  Number.isInteger(x) &&
  Number.isInteger(y) &&
  x >= 0 &&
  y >= 0 &&
  x < 2 ** z &&
  y < 2 ** z;

export const bboxesIntersect = (a: BBox, b: BBox): boolean =>
  a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** A projection from lon/lat degrees to this tile's pixel space (0..256, y down). */
export function tileProjector({ z, x, y }: TileAddress): (lon: number, lat: number) => [number, number] {
  return (lon, lat) => [(lonToTileX(lon, z) - x) * TILE_SIZE_PX, (latToTileY(lat, z) - y) * TILE_SIZE_PX];
}

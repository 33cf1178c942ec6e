/** WGS84 ellipsoid, as used by CesiumJS and 3D Tiles (EPSG:4978). */
export const WGS84_A = 6378137;
export const WGS84_F = 1 / 298.257223563;
const E2 = WGS84_F * (2 - WGS84_F);
const DEG = Math.PI / 180;

/** Geodetic lon/lat (degrees) and ellipsoidal height (m) → Earth-centred, Earth-fixed x, y, z (m). */
export function geodeticToEcef(lonDeg: number, latDeg: number, heightM: number): [number, number, number] {
  const lon = lonDeg * DEG;
  const lat = latDeg * DEG;
  const sinLat = Math.sin(lat);
  const n = WGS84_A / Math.sqrt(1 - E2 * sinLat * sinLat);
  const r = (n + heightM) * Math.cos(lat);
  return [r * Math.cos(lon), r * Math.sin(lon), (n * (1 - E2) + heightM) * sinLat];
}

/** ECEF x, y, z (m) → geodetic [lon°, lat°, height m] (Bowring's method, iterated; sub-millimetre on Earth). */
export function ecefToGeodetic(x: number, y: number, z: number): [number, number, number] {
  const lon = Math.atan2(y, x);
  const p = Math.hypot(x, y);
  let lat = Math.atan2(z, p * (1 - E2));
  let h = 0;
  for (let i = 0; i < 6; i++) {
    const sinLat = Math.sin(lat);
    const n = WGS84_A / Math.sqrt(1 - E2 * sinLat * sinLat);
    h = p / Math.cos(lat) - n;
    lat = Math.atan2(z, p * (1 - (E2 * n) / (n + h)));
  }
  return [lon / DEG, lat / DEG, h];
}

/**
 * A local east-north-up frame at an origin: the frame 3D Tiles content is authored in, with
 * `matrix` the column-major 4×4 ENU → ECEF transform to use as a tile's `transform`.
 */
export interface EnuFrame {
  origin: [lon: number, lat: number, heightM: number];
  matrix: Float64Array;
  /** lon/lat (degrees), height (m) → east, north, up (m). */
  toEnu(lonDeg: number, latDeg: number, heightM: number): [number, number, number];
  fromEnu(e: number, n: number, u: number): [number, number, number];
}

export function enuFrame(lonDeg: number, latDeg: number, heightM = 0): EnuFrame {
  const lon = lonDeg * DEG;
  const lat = latDeg * DEG;
  const [ox, oy, oz] = geodeticToEcef(lonDeg, latDeg, heightM);
  const east = [-Math.sin(lon), Math.cos(lon), 0];
  const north = [-Math.sin(lat) * Math.cos(lon), -Math.sin(lat) * Math.sin(lon), Math.cos(lat)];
  const up = [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
  const matrix = new Float64Array([...east, 0, ...north, 0, ...up, 0, ox, oy, oz, 1]);
  return {
    origin: [lonDeg, latDeg, heightM],
    matrix,
    toEnu(lo, la, h) {
      const [x, y, z] = geodeticToEcef(lo, la, h);
      const dx = x - ox;
      const dy = y - oy;
      const dz = z - oz;
      return [
        east[0] * dx + east[1] * dy + east[2] * dz,
        north[0] * dx + north[1] * dy + north[2] * dz,
        up[0] * dx + up[1] * dy + up[2] * dz,
      ];
    },
    fromEnu(e, n, u) {
      return ecefToGeodetic(
        ox + east[0] * e + north[0] * n + up[0] * u,
        oy + east[1] * e + north[1] * n + up[1] * u,
        oz + east[2] * e + north[2] * n + up[2] * u,
      );
    },
  };
}

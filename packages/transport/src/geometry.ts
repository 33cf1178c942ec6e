/** Mean Earth radius (IUGG R1), metres: spherical distances are within 0.5% of the ellipsoid's. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Initial bearing from point 1 to point 2, degrees clockwise from north in [0, 360). */
export function bearingDeg(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const y = Math.sin((lon2 - lon1) * RAD) * Math.cos(lat2 * RAD);
  const x =
    Math.cos(lat1 * RAD) * Math.sin(lat2 * RAD) -
    Math.sin(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.cos((lon2 - lon1) * RAD);
  return (((Math.atan2(y, x) / RAD) % 360) + 360) % 360;
}

/** Cumulative length in metres at each vertex of a lon/lat polyline (first 0). */
export function cumulativeLengthsM(lonLat: Float64Array): Float64Array {
  const n = lonLat.length / 2;
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++)
    cum[i] = cum[i - 1] + haversineM(lonLat[2 * i - 2], lonLat[2 * i - 1], lonLat[2 * i], lonLat[2 * i + 1]);
  return cum;
}

/** Index i of the last element ≤ x in a non-decreasing array (0 when x is before the first). */
export function searchSorted(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  if (hi <= 0 || x < values[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (values[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The point at `distM` along a polyline with cumulative lengths `cumM`, and the bearing of its segment. */
export function pointAlong(
  lonLat: Float64Array,
  cumM: Float64Array,
  distM: number,
): { lon: number; lat: number; bearingDeg: number } {
  const n = cumM.length;
  const d = Math.min(Math.max(distM, 0), cumM[n - 1]);
  let i = searchSorted(cumM, d);
  if (i >= n - 1) i = n - 2;
  // Skip zero-length segments so that the bearing is defined.
  let j = i + 1;
  while (j < n - 1 && cumM[j] === cumM[i]) j++;
  const len = cumM[j] - cumM[i];
  const f = len > 0 ? (d - cumM[i]) / len : 0;
  const lon = lonLat[2 * i] + f * (lonLat[2 * j] - lonLat[2 * i]);
  const lat = lonLat[2 * i + 1] + f * (lonLat[2 * j + 1] - lonLat[2 * i + 1]);
  return {
    lon,
    lat,
    bearingDeg: bearingDeg(lonLat[2 * i], lonLat[2 * i + 1], lonLat[2 * j], lonLat[2 * j + 1]),
  };
}

/**
 * Projects a point onto segments [fromSegment, …] of a polyline in a local equirectangular frame (metres around the
 * point). Returns, per segment, the offset from the point (m) and the distance along the line (m) of the foot.
 */
export function projectOntoSegment(
  lonLat: Float64Array,
  cumM: Float64Array,
  segment: number,
  lon: number,
  lat: number,
): { offsetM: number; alongM: number } {
  const kx = Math.cos(lat * RAD) * RAD * EARTH_RADIUS_M;
  const ky = RAD * EARTH_RADIUS_M;
  const ax = (lonLat[2 * segment] - lon) * kx;
  const ay = (lonLat[2 * segment + 1] - lat) * ky;
  const bx = (lonLat[2 * segment + 2] - lon) * kx;
  const by = (lonLat[2 * segment + 3] - lat) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
  const px = ax + t * dx;
  const py = ay + t * dy;
  return {
    offsetM: Math.hypot(px, py),
    alongM: cumM[segment] + t * (cumM[segment + 1] - cumM[segment]),
  };
}

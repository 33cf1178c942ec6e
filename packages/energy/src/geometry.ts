import type { MultiPolygon2 } from '@placetwin/geo';

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Plan area (outer rings minus holes) and exposed perimeter (all ring edges) of a footprint in lon/lat degrees,
 * on a local equirectangular plane at the footprint's mean latitude. For a building (< 1 km across) the scale
 * error is below 0.01 %, which is far inside the uncertainty of everything else in the thermal model.
 */
export function footprintMetrics(footprint: MultiPolygon2): { areaM2: number; perimeterM: number } {
  let latSum = 0;
  let count = 0;
  for (const poly of footprint)
    for (const ring of poly)
      for (let i = 1; i < ring.length; i += 2) {
        latSum += ring[i];
        count++;
      }
  if (count === 0) return { areaM2: 0, perimeterM: 0 };
  const lat0 = ((latSum / count) * Math.PI) / 180;
  const kx = (EARTH_RADIUS_M * Math.PI * Math.cos(lat0)) / 180;
  const ky = (EARTH_RADIUS_M * Math.PI) / 180;
  let areaM2 = 0;
  let perimeterM = 0;
  for (const poly of footprint)
    poly.forEach((ring, r) => {
      const n = ring.length / 2;
      let twice = 0;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        const x0 = ring[2 * i] * kx;
        const y0 = ring[2 * i + 1] * ky;
        const x1 = ring[2 * j] * kx;
        const y1 = ring[2 * j + 1] * ky;
        twice += x0 * y1 - x1 * y0;
        perimeterM += Math.hypot(x1 - x0, y1 - y0);
      }
      areaM2 += (r === 0 ? 1 : -1) * Math.abs(twice / 2);
    });
  return { areaM2, perimeterM };
}

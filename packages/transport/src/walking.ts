import KDBush from 'kdbush';
import { EARTH_RADIUS_M, haversineM } from './geometry';

/**
 * Walking assumptions. Speed 1.33 m/s (4.8 km/h) is the usual planning figure for an average adult (it is, for
 * instance, OpenTripPlanner's default walk speed). The detour factor turns straight-line distance into distance
 * along streets: urban street networks are typically 1.2–1.4 times longer than the straight line (network
 * "circuity"); 1.3 is an assumption in that range, not a measurement for any particular town.
 */
export const WALKING_DEFAULTS = {
  speedMps: 1.33,
  detourFactor: 1.3,
  /** Longest walk between two stops when changing vehicles (straight-line metres). */
  maxTransferM: 400,
};

export type WalkingOptions = typeof WALKING_DEFAULTS;

/** Walks between stops in compressed-row form: stop s reaches targets[offsets[s] .. offsets[s+1]). */
export interface Footpaths {
  offsets: Int32Array;
  targets: Int32Array;
  seconds: Float64Array;
}

/** Stops reachable on foot from a point, with the walking time to each. */
export interface WalkAccess {
  stops: Int32Array;
  seconds: Float64Array;
}

/** How people walk to, between and from stops: what the router needs of a walking network. */
export interface WalkModel {
  footpaths: Footpaths;
  /** Stops within `maxSeconds` of walking from a point. */
  access(lon: number, lat: number, maxSeconds: number): WalkAccess;
  options: WalkingOptions;
}

/** Straight-line walking time: distance × detour factor ÷ speed. */
export const walkSeconds = (distM: number, o: WalkingOptions = WALKING_DEFAULTS): number =>
  (distM * o.detourFactor) / o.speedMps;

/** A lon/lat point index (KDBush) answering "which points lie within r metres?" exactly (haversine). */
export interface PointIndex {
  within(lon: number, lat: number, radiusM: number): number[];
}

export function pointIndex(lonLat: Float64Array): PointIndex {
  const ids: number[] = [];
  for (let i = 0; i < lonLat.length / 2; i++) if (Number.isFinite(lonLat[2 * i])) ids.push(i);
  const index = new KDBush(Math.max(ids.length, 1));
  for (const i of ids) index.add(lonLat[2 * i], lonLat[2 * i + 1]);
  if (ids.length === 0) index.add(0, 0);
  index.finish();
  const degPerM = 180 / (Math.PI * EARTH_RADIUS_M);
  return {
    within(lon, lat, radiusM) {
      if (ids.length === 0) return [];
      const dLat = radiusM * degPerM;
      const cos = Math.cos((Math.min(89, Math.abs(lat) + dLat) * Math.PI) / 180);
      const dLon = dLat / cos;
      const out: number[] = [];
      for (const k of index.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
        const i = ids[k];
        if (haversineM(lon, lat, lonLat[2 * i], lonLat[2 * i + 1]) <= radiusM) out.push(i);
      }
      return out.sort((a, b) => a - b);
    },
  };
}

/** Builds compressed-row footpaths from per-stop neighbour lists. */
export function footpathsFromLists(lists: { stop: number; seconds: number }[][]): Footpaths {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => {
    offsets[i + 1] = offsets[i] + l.length;
  });
  const targets = new Int32Array(offsets[lists.length]);
  const seconds = new Float64Array(offsets[lists.length]);
  lists.forEach((l, i) => {
    l.forEach((x, j) => {
      targets[offsets[i] + j] = x.stop;
      seconds[offsets[i] + j] = x.seconds;
    });
  });
  return { offsets, targets, seconds };
}

/**
 * Walking as straight lines between points, lengthened by the detour factor: for a town whose street network is
 * not loaded. Footpaths join every pair of stops within `maxTransferM` (at least 1 s apart, so that a walk always
 * takes time); access reaches every stop within the walking time asked for.
 */
export function straightLineWalking(
  stopLonLat: Float64Array,
  options: Partial<WalkingOptions> = {},
): WalkModel {
  const o = { ...WALKING_DEFAULTS, ...options };
  const index = pointIndex(stopLonLat);
  const n = stopLonLat.length / 2;
  const lists: { stop: number; seconds: number }[][] = [];
  for (let s = 0; s < n; s++) {
    const lon = stopLonLat[2 * s];
    const lat = stopLonLat[2 * s + 1];
    lists.push(
      Number.isFinite(lon)
        ? index
            .within(lon, lat, o.maxTransferM)
            .filter((u) => u !== s)
            .map((u) => ({
              stop: u,
              seconds: Math.max(
                1,
                walkSeconds(haversineM(lon, lat, stopLonLat[2 * u], stopLonLat[2 * u + 1]), o),
              ),
            }))
        : [],
    );
  }
  return {
    footpaths: footpathsFromLists(lists),
    options: o,
    access(lon, lat, maxSeconds) {
      const stops = index.within(lon, lat, (maxSeconds * o.speedMps) / o.detourFactor);
      return {
        stops: Int32Array.from(stops),
        seconds: Float64Array.from(stops, (s) =>
          walkSeconds(haversineM(lon, lat, stopLonLat[2 * s], stopLonLat[2 * s + 1]), o),
        ),
      };
    },
  };
}

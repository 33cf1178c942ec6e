import { pointAlong, searchSorted } from './geometry';
import type { DayTrips, Schedule, TripRun } from './schedule';

/** Where a scheduled vehicle is at one instant. */
export interface VehiclePosition {
  lon: number;
  lat: number;
  /** Direction of travel along the path, degrees clockwise from north. */
  bearingDeg: number;
  /** Metres along the trip's path. */
  distM: number;
  /** Index into the trip's stops of the stop the vehicle is standing at, or -1 between stops. */
  atStop: number;
}

/**
 * The scheduled position of one run at `tS` (seconds after the day's start), or null when it is not running then.
 * Between two stops the vehicle moves at constant speed along the path from the departure at the first to the
 * arrival at the second; between its arrival and departure at a stop it stands at the stop.
 */
export function runPositionAt(schedule: Schedule, run: TripRun, tS: number): VehiclePosition | null {
  const trip = schedule.trips[run.trip];
  const t = tS - run.offsetS;
  const last = trip.arrivalS.length - 1;
  if (t < trip.departureS[0] || t > trip.arrivalS[last]) return null;
  const k = searchSorted(trip.arrivalS, t);
  let distM: number;
  let atStop = -1;
  if (t <= trip.departureS[k] || k === last) {
    distM = trip.stopDistM[k];
    atStop = k;
  } else {
    const t0 = trip.departureS[k];
    const t1 = trip.arrivalS[k + 1];
    const f = t1 > t0 ? (t - t0) / (t1 - t0) : 1;
    distM = trip.stopDistM[k] + f * (trip.stopDistM[k + 1] - trip.stopDistM[k]);
  }
  const path = schedule.paths[trip.path];
  const p = pointAlong(path.lonLat, path.cumM, distM);
  return { lon: p.lon, lat: p.lat, bearingDeg: p.bearingDeg, distM, atStop };
}

/** Every running vehicle at one instant, in a compact form for drawing or sending (typed arrays, one per field). */
export interface VehicleSnapshot {
  /** Seconds after the day's start. */
  tS: number;
  runs: TripRun[];
  /** lon, lat per vehicle. */
  lonLat: Float64Array;
  bearingDeg: Float32Array;
}

/** Scheduled positions of every run of the day that is running at `tS`: a pure function of time. */
export function vehiclesAt(schedule: Schedule, day: DayTrips, tS: number): VehicleSnapshot {
  const runs: TripRun[] = [];
  const lonLat: number[] = [];
  const bearing: number[] = [];
  for (const run of day.runs) {
    const p = runPositionAt(schedule, run, tS);
    if (!p) continue;
    runs.push(run);
    lonLat.push(p.lon, p.lat);
    bearing.push(p.bearingDeg);
  }
  return { tS, runs, lonLat: Float64Array.from(lonLat), bearingDeg: Float32Array.from(bearing) };
}

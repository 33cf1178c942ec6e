import { ALIGHT, BOARD, type DayTrips, type Schedule } from './schedule';
import type { WalkModel } from './walking';

/**
 * A day's elementary connections (one vehicle going from one stop to the next) sorted by departure time: the
 * input of the Connection Scan Algorithm. Times are seconds after the day's start.
 */
export interface Timetable {
  day: DayTrips;
  stopCount: number;
  depStop: Int32Array;
  arrStop: Int32Array;
  depS: Int32Array;
  arrS: Int32Array;
  /** Index into `day.runs`. */
  run: Int32Array;
  /** BOARD: passengers may board at depStop; ALIGHT: may alight at arrStop. */
  flags: Uint8Array;
}

/** Builds the connection array of a day. Ties in departure are broken by arrival, then run, then stop order. */
export function buildTimetable(schedule: Schedule, day: DayTrips): Timetable {
  let n = 0;
  for (const r of day.runs) n += schedule.trips[r.trip].stops.length - 1;
  const dep = new Int32Array(n);
  const arr = new Int32Array(n);
  const ds = new Int32Array(n);
  const as = new Int32Array(n);
  const run = new Int32Array(n);
  const fl = new Uint8Array(n);
  let c = 0;
  day.runs.forEach((r, ri) => {
    const t = schedule.trips[r.trip];
    for (let k = 0; k + 1 < t.stops.length; k++, c++) {
      dep[c] = t.stops[k];
      arr[c] = t.stops[k + 1];
      ds[c] = t.departureS[k] + r.offsetS;
      as[c] = t.arrivalS[k + 1] + r.offsetS;
      run[c] = ri;
      fl[c] = (t.flags[k] & BOARD) | (t.flags[k + 1] & ALIGHT);
    }
  });
  // Connections were written run by run in stop order, so the index breaks the last tie.
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => ds[a] - ds[b] || as[a] - as[b] || run[a] - run[b] || a - b,
  );
  const pick = <T extends Int32Array | Uint8Array>(src: T, out: T) => {
    for (let i = 0; i < n; i++) out[i] = src[order[i]];
    return out;
  };
  return {
    day,
    stopCount: schedule.stopIds.length,
    depStop: pick(dep, new Int32Array(n)),
    arrStop: pick(arr, new Int32Array(n)),
    depS: pick(ds, new Int32Array(n)),
    arrS: pick(as, new Int32Array(n)),
    run: pick(run, new Int32Array(n)),
    flags: pick(fl, new Uint8Array(n)),
  };
}

export const ROUTER_DEFAULTS = {
  /** Time to change from one vehicle to another at the same stop, seconds (a walk to another stop replaces it). */
  minTransferS: 60,
  /** Nothing departing later than this after the start is scanned, seconds. */
  maxTravelS: 2 * 3600,
  /** Longest walk from the origin to the first stop, seconds. */
  maxAccessS: 20 * 60,
};

export type RouterOptions = typeof ROUTER_DEFAULTS;

/** Where a query starts: a point (walk to nearby stops) or a stop. */
export type Origin = { lon: number; lat: number } | { stop: number };

/** Earliest arrival at every stop, seconds after the day's start (Infinity where not reached). */
export interface Arrivals {
  departureS: number;
  arrivalS: Float64Array;
}

interface Labels {
  arrival: Float64Array;
  /** The earliest arrival at a stop on a vehicle (footpaths are walked from this one). */
  byVehicle: Float64Array;
  /** The earliest time a vehicle can be boarded at a stop (arrival by vehicle + change time, or by walking). */
  ready: Float64Array;
}

function initialLabels(
  stopCount: number,
  walk: WalkModel,
  origin: Origin,
  departureS: number,
  o: RouterOptions,
): Labels {
  const arrival = new Float64Array(stopCount).fill(Number.POSITIVE_INFINITY);
  const byVehicle = new Float64Array(stopCount).fill(Number.POSITIVE_INFINITY);
  const ready = new Float64Array(stopCount).fill(Number.POSITIVE_INFINITY);
  const set = (s: number, t: number) => {
    if (t < arrival[s]) arrival[s] = t;
    if (t < ready[s]) ready[s] = t;
  };
  if ('stop' in origin) {
    set(origin.stop, departureS);
    const f = walk.footpaths;
    for (let e = f.offsets[origin.stop]; e < f.offsets[origin.stop + 1]; e++)
      if (f.seconds[e] <= o.maxAccessS) set(f.targets[e], departureS + f.seconds[e]);
  } else {
    const a = walk.access(origin.lon, origin.lat, o.maxAccessS);
    for (let i = 0; i < a.stops.length; i++) set(a.stops[i], departureS + a.seconds[i]);
  }
  return { arrival, byVehicle, ready };
}

/**
 * A vehicle arrives at stop s at time t. When that is the stop's earliest arrival by vehicle, update its labels
 * and walk on to its footpath neighbours. Gating on the vehicle label rather than the overall one keeps the result
 * independent of the order arrivals are found in (a stop first reached on foot still passes a vehicle arrival on).
 */
function arriveByVehicle(
  labels: Labels,
  walk: WalkModel,
  s: number,
  t: number,
  minTransferS: number,
): boolean {
  if (t >= labels.byVehicle[s]) return false;
  labels.byVehicle[s] = t;
  if (t < labels.arrival[s]) labels.arrival[s] = t;
  if (t + minTransferS < labels.ready[s]) labels.ready[s] = t + minTransferS;
  const f = walk.footpaths;
  for (let e = f.offsets[s]; e < f.offsets[s + 1]; e++) {
    const u = f.targets[e];
    const tu = t + f.seconds[e];
    if (tu < labels.arrival[u]) labels.arrival[u] = tu;
    if (tu < labels.ready[u]) labels.ready[u] = tu;
  }
  return true;
}

const lowerBound = (a: Int32Array, x: number) => {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * One-to-all earliest arrival by the Connection Scan Algorithm (Dibbelt, Pajor, Strasser & Wagner, "Connection
 * Scan Algorithm", ACM JEA 23, 2018): one pass over the connections in departure order from `departureS`. A
 * connection is taken if its run was already boarded, or boarding is allowed and the stop was reached in time;
 * arriving relaxes the stop's footpaths (one walk between two vehicles, up to `maxTransferM`).
 */
export function earliestArrivals(
  tt: Timetable,
  walk: WalkModel,
  origin: Origin,
  departureS: number,
  options: Partial<RouterOptions> = {},
): Arrivals {
  const o = { ...ROUTER_DEFAULTS, ...options };
  const labels = initialLabels(tt.stopCount, walk, origin, departureS, o);
  const reached = new Uint8Array(tt.day.runs.length);
  const end = departureS + o.maxTravelS;
  const { depStop, arrStop, depS, arrS, run, flags } = tt;
  for (let c = lowerBound(depS, departureS); c < depS.length; c++) {
    const dep = depS[c];
    if (dep > end) break;
    const r = run[c];
    if (reached[r] === 0) {
      if ((flags[c] & BOARD) === 0 || labels.ready[depStop[c]] > dep) continue;
      reached[r] = 1;
    }
    if ((flags[c] & ALIGHT) !== 0) arriveByVehicle(labels, walk, arrStop[c], arrS[c], o.minTransferS);
  }
  return { departureS, arrivalS: labels.arrival };
}

/**
 * The naive reference for the same question: scan every run from its first stop, again and again, until no
 * arrival improves (label correcting, like Bellman–Ford over runs). Each pass costs as much as one whole CSA
 * query; it needs as many passes as the longest chain of vehicles, plus one. For tests and the benchmark baseline.
 */
export function earliestArrivalsNaive(
  schedule: Schedule,
  day: DayTrips,
  walk: WalkModel,
  origin: Origin,
  departureS: number,
  options: Partial<RouterOptions> = {},
): Arrivals {
  const o = { ...ROUTER_DEFAULTS, ...options };
  const labels = initialLabels(schedule.stopIds.length, walk, origin, departureS, o);
  const end = departureS + o.maxTravelS;
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of day.runs) {
      const t = schedule.trips[r.trip];
      let onBoard = false;
      for (let k = 0; k + 1 < t.stops.length; k++) {
        const dep = t.departureS[k] + r.offsetS;
        if (dep < departureS || dep > end) continue;
        if (!onBoard && (t.flags[k] & BOARD) !== 0 && labels.ready[t.stops[k]] <= dep) onBoard = true;
        if (onBoard && (t.flags[k + 1] & ALIGHT) !== 0)
          changed =
            arriveByVehicle(labels, walk, t.stops[k + 1], t.arrivalS[k + 1] + r.offsetS, o.minTransferS) ||
            changed;
      }
    }
  }
  return { departureS, arrivalS: labels.arrival };
}

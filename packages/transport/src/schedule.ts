import type { Route } from 'gtfs-types';
import { isServiceActive, type ServiceCalendar, serviceCalendar } from './calendar';
import type { GtfsFeed, GtfsFrequency, GtfsShape, GtfsStopTime } from './feed';
import { cumulativeLengthsM, haversineM, pointAlong, projectOntoSegment, searchSorted } from './geometry';
import { addDays, formatGtfsTime, type ServiceDate, serviceDayStartMs } from './time';

/** The line a trip runs along: its shape, or straight lines between its stops when it has none. */
export interface TripPath {
  /** `shape:<shape_id>`, or `stops:<stop ids>` for a stop-to-stop line. */
  key: string;
  shapeId: string | null;
  /** lon, lat pairs. */
  lonLat: Float64Array;
  /** Cumulative metres at each vertex. */
  cumM: Float64Array;
}

/** A trip compiled for routing and interpolation: stop indices and times as typed arrays. */
export interface ScheduledTrip {
  tripId: string;
  routeId: string;
  serviceId: string;
  headsign: string | null;
  /** Indices into `Schedule.stopIds`. */
  stops: Int32Array;
  /** GTFS seconds after the service day's start (may exceed 86,400). */
  arrivalS: Int32Array;
  departureS: Int32Array;
  /** Bit 1: passengers may board here (pickup_type ≠ 1); bit 2: may alight (drop_off_type ≠ 1). */
  flags: Uint8Array;
  /** Index into `Schedule.paths`. */
  path: number;
  /** Metres along the path at each stop (non-decreasing). */
  stopDistM: Float64Array;
  /** frequencies.txt rows: the trip then runs once per headway with the same travel times. */
  frequencies: GtfsFrequency[];
}

export const BOARD = 1;
export const ALIGHT = 2;

/** A feed compiled once for routing, departures and vehicle positions (pure data; cache it per feed). */
export interface Schedule {
  timeZone: string;
  stopIds: string[];
  stopIndex: Map<string, number>;
  stopNames: (string | null)[];
  /** lon, lat per stop (NaN where the stop has no position). */
  stopLonLat: Float64Array;
  routes: Map<string, Route>;
  trips: ScheduledTrip[];
  paths: TripPath[];
  calendar: ServiceCalendar;
  /** The latest GTFS time in the feed, seconds (over 86,400 when trips run past midnight). */
  maxTimeS: number;
}

export const PROJECTION_DEFAULTS = {
  /**
   * A stop projects onto the first stretch of the shape that comes within this many metres of the best fit further
   * on, so that a route passing a stop twice (a loop) uses the pass that comes first.
   */
  loopToleranceM: 30,
};

/** Distances along a shape for a trip's stops, from shape_dist_traveled in both files (any unit, same in both). */
function stopDistFromShapeDist(shape: GtfsShape, cumM: Float64Array, stopTimes: GtfsStopTime[]) {
  const d = shape.distTraveled!;
  return Float64Array.from(stopTimes, (st) => {
    const v = st.shape_dist_traveled!;
    const i = Math.min(searchSorted(d, v), d.length - 2);
    const span = d[i + 1] - d[i];
    const f = span > 0 ? Math.min(1, Math.max(0, (v - d[i]) / span)) : 0;
    return cumM[i] + f * (cumM[i + 1] - cumM[i]);
  });
}

/**
 * Distances along a shape for stops without shape_dist_traveled: each stop is projected onto the shape, moving
 * only forward, at the first local minimum of its distance to the shape within `loopToleranceM` of the best.
 */
export function projectStopsOntoPath(
  path: Pick<TripPath, 'lonLat' | 'cumM'>,
  stopLonLat: ArrayLike<number>,
  options = PROJECTION_DEFAULTS,
): Float64Array {
  const segments = path.cumM.length - 1;
  const count = stopLonLat.length / 2;
  const out = new Float64Array(count);
  const offsets = new Float64Array(segments);
  const along = new Float64Array(segments);
  let from = 0;
  let prevAlong = 0;
  for (let k = 0; k < count; k++) {
    const lon = stopLonLat[2 * k];
    const lat = stopLonLat[2 * k + 1];
    let best = Number.POSITIVE_INFINITY;
    for (let s = from; s < segments; s++) {
      const p = projectOntoSegment(path.lonLat, path.cumM, s, lon, lat);
      if (p.alongM < prevAlong) {
        // The foot lies behind the previous stop: the nearest place still ahead is the previous stop's.
        const q = pointAlong(path.lonLat, path.cumM, prevAlong);
        p.alongM = prevAlong;
        p.offsetM = haversineM(lon, lat, q.lon, q.lat);
      }
      offsets[s] = p.offsetM;
      along[s] = p.alongM;
      if (p.offsetM < best) best = p.offsetM;
    }
    let s = from;
    while (s < segments - 1 && offsets[s] > best + options.loopToleranceM) s++;
    while (s < segments - 1 && offsets[s + 1] < offsets[s]) s++;
    prevAlong = Math.max(prevAlong, along[s]);
    out[k] = prevAlong;
    from = s;
  }
  return out;
}

/** Compiles a parsed feed: trips as typed arrays, their paths, stop distances along them, the calendar. */
export function compileSchedule(feed: GtfsFeed, options = PROJECTION_DEFAULTS): Schedule {
  const stopIds = feed.stops.map((s) => s.stop_id);
  const stopIndex = new Map(stopIds.map((id, i) => [id, i]));
  const stopLonLat = new Float64Array(stopIds.length * 2).fill(Number.NaN);
  feed.stops.forEach((s, i) => {
    if (s.stop_lon !== undefined && s.stop_lat !== undefined) {
      stopLonLat[2 * i] = s.stop_lon;
      stopLonLat[2 * i + 1] = s.stop_lat;
    }
  });
  const shapes = new Map(feed.shapes.map((s) => [s.shape_id, s]));
  const frequencies = new Map<string, GtfsFrequency[]>();
  for (const f of feed.frequencies) {
    const list = frequencies.get(f.trip_id) ?? [];
    list.push(f);
    frequencies.set(f.trip_id, list);
  }
  const paths: TripPath[] = [];
  const pathIndex = new Map<string, number>();
  const stopDistCache = new Map<string, Float64Array>();
  const pathFor = (key: string, shapeId: string | null, lonLat: Float64Array) => {
    let i = pathIndex.get(key);
    if (i === undefined) {
      i = paths.push({ key, shapeId, lonLat, cumM: cumulativeLengthsM(lonLat) }) - 1;
      pathIndex.set(key, i);
    }
    return i;
  };

  const tripById = new Map(feed.trips.map((t) => [t.trip_id, t]));
  const trips: ScheduledTrip[] = [];
  let maxTimeS = 0;
  let start = 0;
  while (start < feed.stopTimes.length) {
    let end = start + 1;
    const tripId = feed.stopTimes[start].trip_id;
    while (end < feed.stopTimes.length && feed.stopTimes[end].trip_id === tripId) end++;
    const sts = feed.stopTimes.slice(start, end);
    start = end;
    if (sts.length < 2) continue;
    const trip = tripById.get(tripId)!;
    const stops = Int32Array.from(sts, (st) => stopIndex.get(st.stop_id)!);
    const lonLatOfStops = new Float64Array(stops.length * 2);
    stops.forEach((s, i) => {
      lonLatOfStops[2 * i] = stopLonLat[2 * s];
      lonLatOfStops[2 * i + 1] = stopLonLat[2 * s + 1];
    });
    const shape = trip.shape_id ? shapes.get(trip.shape_id) : undefined;
    const stopKey = sts.map((st) => st.stop_id).join('\u0000');
    let path: number;
    let stopDistM: Float64Array;
    if (shape) {
      path = pathFor(`shape:${shape.shape_id}`, shape.shape_id, shape.lonLat);
      const useDist = shape.distTraveled !== null && sts.every((st) => st.shape_dist_traveled !== undefined);
      const cacheKey = `${path}\u0001${stopKey}\u0001${useDist ? sts.map((s) => s.shape_dist_traveled).join() : ''}`;
      let cached = stopDistCache.get(cacheKey);
      if (!cached) {
        cached = useDist
          ? stopDistFromShapeDist(shape, paths[path].cumM, sts)
          : projectStopsOntoPath(paths[path], lonLatOfStops, options);
        stopDistCache.set(cacheKey, cached);
      }
      stopDistM = cached;
    } else {
      path = pathFor(`stops:${stopKey}`, null, lonLatOfStops);
      stopDistM = paths[path].cumM;
    }
    const arrivalS = Int32Array.from(sts, (st) => st.arrivalS);
    const departureS = Int32Array.from(sts, (st) => st.departureS);
    maxTimeS = Math.max(maxTimeS, arrivalS[arrivalS.length - 1]);
    trips.push({
      tripId,
      routeId: trip.route_id,
      serviceId: trip.service_id,
      headsign: trip.trip_headsign ?? null,
      stops,
      arrivalS,
      departureS,
      flags: Uint8Array.from(
        sts,
        (st) =>
          (Number(st.pickup_type ?? 0) === 1 ? 0 : BOARD) |
          (Number(st.drop_off_type ?? 0) === 1 ? 0 : ALIGHT),
      ),
      path,
      stopDistM,
      frequencies: frequencies.get(tripId) ?? [],
    });
  }
  for (const t of trips)
    for (const f of t.frequencies)
      maxTimeS = Math.max(maxTimeS, f.endS + t.arrivalS[t.arrivalS.length - 1] - t.departureS[0]);
  return {
    timeZone: feed.timeZone,
    stopIds,
    stopIndex,
    stopNames: feed.stops.map((s) => s.stop_name ?? null),
    stopLonLat,
    routes: new Map(feed.routes.map((r) => [r.route_id, r])),
    trips,
    paths,
    calendar: serviceCalendar(feed),
    maxTimeS,
  };
}

/** One vehicle journey on one day: a trip (or one departure of a frequency-based trip) at a time offset. */
export interface TripRun {
  /** `<service date>/<trip_id>`, plus `@HH:MM:SS` for a departure of a frequency-based trip. */
  id: string;
  /** Index into `Schedule.trips`. */
  trip: number;
  /** The service day the trip belongs to (the day before, for a trip still running after midnight). */
  serviceDate: ServiceDate;
  /** Seconds to add to the trip's GTFS times to count from the start of the day asked for. */
  offsetS: number;
}

/** Every vehicle journey that runs during one service day, times counted from that day's start. */
export interface DayTrips {
  date: ServiceDate;
  /** Epoch ms of the day's start ("noon minus 12h" in the feed's zone). */
  dayStartMs: number;
  runs: TripRun[];
}

/**
 * The runs of a day: trips whose service runs that day (frequency-based trips expanded into one run per headway,
 * exact_times or not), plus trips of earlier service days still running after midnight (times past 24:00:00),
 * shifted by the true length of the days between (23 or 25 hours across a clock change).
 */
export function tripsOnDay(schedule: Schedule, date: ServiceDate): DayTrips {
  const dayStartMs = serviceDayStartMs(date, schedule.timeZone);
  const runs: TripRun[] = [];
  const lookback = Math.floor(schedule.maxTimeS / 86_400);
  for (let back = lookback; back >= 0; back--) {
    const serviceDate = addDays(date, -back);
    const shiftS = Math.round((serviceDayStartMs(serviceDate, schedule.timeZone) - dayStartMs) / 1000);
    schedule.trips.forEach((t, ti) => {
      if (!isServiceActive(schedule.calendar, t.serviceId, serviceDate)) return;
      const lastS = t.arrivalS[t.arrivalS.length - 1];
      const add = (offsetS: number, suffix: string) => {
        // Runs of earlier days matter only while they are still running on this day.
        if (back > 0 && lastS + offsetS <= 0) return;
        runs.push({ id: `${serviceDate}/${t.tripId}${suffix}`, trip: ti, serviceDate, offsetS });
      };
      if (t.frequencies.length === 0) add(shiftS, '');
      for (const f of t.frequencies)
        for (let s = f.startS; s < f.endS; s += f.headwayS)
          add(shiftS + s - t.departureS[0], `@${formatGtfsTime(s)}`);
    });
  }
  return { date, dayStartMs, runs };
}

/** The paths each route runs along (indices into `schedule.paths`), for drawing routes as lines. */
export function routePaths(schedule: Schedule): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const t of schedule.trips) {
    let set = out.get(t.routeId);
    if (!set) {
      set = new Set();
      out.set(t.routeId, set);
    }
    set.add(t.path);
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
}

/**
 * The transport layer's pure logic: the server's GTFS answers checked at the edge, the vehicles between two
 * "vehicles at t" snapshots (linear in time, per run), the snapshot windows a running clock needs, dates and
 * times in a feed's own time zone, "rush hour" on a day the feed runs, and the isochrone legend.
 */

/** A GTFS feed as `/api/transport/feeds` lists it. */
export interface TransportFeed {
  name: string;
  source: string;
  licence: string | null;
  attribution: string | null;
  timeZone: string;
  /** `YYYY-MM-DD` (first and last service date), or null. */
  startDate: string | null;
  endDate: string | null;
  bbox: [number, number, number, number] | null;
  agencies: string[];
  routes: number;
  trips: number;
  stops: number;
}

/** Vehicles at one instant: `lonLat[2i..2i+1]` and `bearingDeg[i]` belong to `runIds[i]`. */
export interface VehicleSnapshot {
  tMs: number;
  runIds: string[];
  routeIds: string[];
  lonLat: Float64Array;
  bearingDeg: Float32Array;
  /** Observed positions from a GTFS-Realtime feed rather than the timetable's. */
  live?: boolean;
}

export interface VehiclePosition {
  runId: string;
  routeId: string;
  lon: number;
  lat: number;
  bearingDeg: number;
}

export interface Departure {
  runId: string;
  routeId: string;
  routeShortName: string | null;
  headsign: string | null;
  /** GTFS time of day, `HH:MM:SS` (may pass 24:00:00 for a trip of the day before). */
  time: string;
  departureAt: string;
}

export interface StopDepartures {
  stopId: string;
  stopName: string | null;
  date: string;
  timeZone: string;
  departures: Departure[];
}

export interface BandCount {
  minutes: number;
  stops: number;
  buildings: number;
  buildingsByUse: Record<string, number>;
}

/** Polygons as [lon, lat] rings: outer ring first, then holes. */
export type LonLatPolygon = [number, number][][];

export interface IsochroneResult {
  origin: [number, number];
  departure: string;
  reachedStops: number;
  bands: { minutes: number; polygons: LonLatPolygon[] }[];
  counts: BandCount[];
}

const fail = (what: string): never => {
  throw new Error(`unexpected answer from the Placetwin server: ${what}`);
};
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const str = (x: unknown, what: string): string => (typeof x === 'string' ? x : fail(what));
const strOrNull = (x: unknown, what: string): string | null => (x === null ? null : str(x, what));
const num = (x: unknown, what: string): number => (typeof x === 'number' ? x : fail(what));

/** `YYYYMMDD` or `YYYY-MM-DD` → `YYYY-MM-DD`. */
const isoDate = (x: unknown, what: string): string | null => {
  if (x === null) return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(str(x, what));
  return m ? `${m[1]}-${m[2]}-${m[3]}` : fail(what);
};

export function parseFeeds(body: unknown): TransportFeed[] {
  if (!Array.isArray(body)) return fail('the feed list is not an array');
  return body.map((f, i): TransportFeed => {
    if (!isObject(f)) return fail(`feed ${i} is not an object`);
    const bbox = f.bbox;
    return {
      name: str(f.name, 'feed name'),
      source: str(f.source, 'feed source'),
      licence: strOrNull(f.licence, 'feed licence'),
      attribution: strOrNull(f.attribution, 'feed attribution'),
      timeZone: str(f.timeZone, 'feed time zone'),
      startDate: isoDate(f.startDate, 'feed start date'),
      endDate: isoDate(f.endDate, 'feed end date'),
      bbox:
        Array.isArray(bbox) && bbox.length === 4 && bbox.every((v) => typeof v === 'number')
          ? [bbox[0], bbox[1], bbox[2], bbox[3]]
          : null,
      agencies: Array.isArray(f.agencies) ? f.agencies.map((a) => str(a, 'agency')) : [],
      routes: num(f.routes, 'route count'),
      trips: num(f.trips, 'trip count'),
      stops: num(f.stops, 'stop count'),
    };
  });
}

export function parseVehicles(body: unknown): VehicleSnapshot {
  if (!isObject(body)) return fail('vehicles is not an object');
  const tMs = Date.parse(str(body.t, 'vehicles t'));
  const runIds = Array.isArray(body.runIds) ? body.runIds.map((r) => str(r, 'run id')) : fail('runIds');
  const routeIds = Array.isArray(body.routeIds)
    ? body.routeIds.map((r) => str(r, 'route id'))
    : fail('routeIds');
  const positions = Array.isArray(body.positions) ? body.positions : fail('positions');
  if (body.stride !== 3 || positions.length !== runIds.length * 3 || routeIds.length !== runIds.length)
    return fail('vehicle positions do not match their runs');
  const lonLat = new Float64Array(runIds.length * 2);
  const bearingDeg = new Float32Array(runIds.length);
  for (let i = 0; i < runIds.length; i++) {
    lonLat[2 * i] = num(positions[3 * i], 'lon');
    lonLat[2 * i + 1] = num(positions[3 * i + 1], 'lat');
    bearingDeg[i] = num(positions[3 * i + 2], 'bearing');
  }
  return { tMs, runIds, routeIds, lonLat, bearingDeg, live: body.source === 'live' };
}

export function parseDepartures(body: unknown): StopDepartures {
  if (!isObject(body) || !Array.isArray(body.departures)) return fail('departures');
  return {
    stopId: str(body.stopId, 'stop id'),
    stopName: strOrNull(body.stopName, 'stop name'),
    date: str(body.date, 'date'),
    timeZone: str(body.timeZone, 'time zone'),
    departures: body.departures.map((d): Departure => {
      if (!isObject(d)) return fail('departure');
      return {
        runId: str(d.runId, 'run id'),
        routeId: str(d.routeId, 'route id'),
        routeShortName: strOrNull(d.routeShortName, 'route name'),
        headsign: strOrNull(d.headsign, 'headsign'),
        time: str(d.time, 'departure time'),
        departureAt: str(d.departureAt, 'departure instant'),
      };
    }),
  };
}

const ring = (r: unknown): [number, number][] =>
  Array.isArray(r)
    ? r.map((c) => (Array.isArray(c) ? [num(c[0], 'lon'), num(c[1], 'lat')] : fail('coordinate')))
    : fail('ring');

export function parseIsochrones(body: unknown): IsochroneResult {
  if (!isObject(body) || !Array.isArray(body.features)) return fail('isochrones');
  const origin = Array.isArray(body.origin) ? body.origin : fail('origin');
  return {
    origin: [num(origin[0], 'origin lon'), num(origin[1], 'origin lat')],
    departure: str(body.departure, 'departure'),
    reachedStops: num(body.reachedStops, 'reached stops'),
    bands: body.features.map((f) => {
      if (!isObject(f) || !isObject(f.geometry) || !isObject(f.properties)) return fail('band');
      const g = f.geometry;
      const coordinates = Array.isArray(g.coordinates) ? g.coordinates : fail('band coordinates');
      const polygons =
        g.type === 'MultiPolygon'
          ? coordinates.map((p) => (Array.isArray(p) ? p.map(ring) : fail('polygon')))
          : g.type === 'Polygon'
            ? [coordinates.map(ring)]
            : fail(`band geometry ${String(g.type)}`);
      return { minutes: num(f.properties.minutes, 'band minutes'), polygons };
    }),
    counts: Array.isArray(body.counts)
      ? body.counts.map((c): BandCount => {
          if (!isObject(c) || !isObject(c.buildingsByUse)) return fail('band count');
          return {
            minutes: num(c.minutes, 'count minutes'),
            stops: num(c.stops, 'stop count'),
            buildings: num(c.buildings, 'building count'),
            buildingsByUse: Object.fromEntries(
              Object.entries(c.buildingsByUse).map(([k, v]) => [k, num(v, 'count by use')]),
            ),
          };
        })
      : [],
  };
}

/**
 * How far apart (scene seconds) the snapshots of a running clock are: about one request per real second, never
 * closer than 20 s (a bus covers ~150 m: the straight chord between two snapshots stays on its street) nor wider
 * than 15 minutes (at an hour per second, nobody follows a single bus).
 */
export function snapshotStepS(multiplier: number): number {
  return Math.min(900, Math.max(20, Math.round(Math.abs(multiplier))));
}

/** The two snapshot instants around `tMs` on a grid of `stepS` (equal when `tMs` is on the grid). */
export function snapshotWindow(tMs: number, stepS: number): [number, number] {
  const stepMs = stepS * 1000;
  const t0 = Math.floor(tMs / stepMs) * stepMs;
  return [t0, t0 === tMs ? t0 : t0 + stepMs];
}

const lerpAngle = (a: number, b: number, f: number): number => {
  const d = ((((b - a) % 360) + 540) % 360) - 180;
  return (a + d * f + 360) % 360;
};

/**
 * Vehicles at `tMs` between two snapshots `a` (at or before) and `b` (at or after): a run in both moves in a
 * straight line between its two positions in proportion to time; a run in one only (it starts or ends in between)
 * is shown for the half of the interval nearer its snapshot, where it is.
 */
export function interpolateVehicles(a: VehicleSnapshot, b: VehicleSnapshot, tMs: number): VehiclePosition[] {
  const span = b.tMs - a.tMs;
  const f = span > 0 ? Math.min(1, Math.max(0, (tMs - a.tMs) / span)) : 0;
  const inB = new Map(b.runIds.map((id, i) => [id, i]));
  const out: VehiclePosition[] = [];
  a.runIds.forEach((runId, i) => {
    const j = inB.get(runId);
    if (j === undefined) {
      if (f <= 0.5)
        out.push({
          runId,
          routeId: a.routeIds[i],
          lon: a.lonLat[2 * i],
          lat: a.lonLat[2 * i + 1],
          bearingDeg: a.bearingDeg[i],
        });
      return;
    }
    out.push({
      runId,
      routeId: a.routeIds[i],
      lon: a.lonLat[2 * i] + (b.lonLat[2 * j] - a.lonLat[2 * i]) * f,
      lat: a.lonLat[2 * i + 1] + (b.lonLat[2 * j + 1] - a.lonLat[2 * i + 1]) * f,
      bearingDeg: lerpAngle(a.bearingDeg[i], b.bearingDeg[j], f),
    });
  });
  const inA = new Set(a.runIds);
  if (f > 0.5)
    b.runIds.forEach((runId, j) => {
      if (!inA.has(runId))
        out.push({
          runId,
          routeId: b.routeIds[j],
          lon: b.lonLat[2 * j],
          lat: b.lonLat[2 * j + 1],
          bearingDeg: b.bearingDeg[j],
        });
    });
  return out;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date (`YYYY-MM-DD`) and time (`HH:MM`) of an instant in a time zone. */
export function zonedDateTime(ms: number, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    zoneFormat(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

const offsetMs = (ms: number, timeZone: string): number => {
  const { date, time } = zonedDateTime(ms, timeZone);
  const seconds = new Date(ms).getUTCSeconds();
  return Date.parse(`${date}T${time}:${String(seconds).padStart(2, '0')}Z`) - (ms - (ms % 1000));
};

/** The instant a wall-clock date and time (`HH:MM`) denote in a time zone (the first one, across a change). */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const naive = Date.parse(`${date}T${time}:00Z`);
  // Two rounds: the offset at the naive guess, then at the corrected instant (right unless inside a change).
  const first = naive - offsetMs(naive, timeZone);
  return naive - offsetMs(first, timeZone);
}

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Rush hour is 08:00 local time: the morning peak of UK (and most) bus timetables. */
export const RUSH_HOUR = '08:00';

/**
 * The instant of the morning rush hour on a weekday the feed runs: the scene's own date when it is a weekday inside
 * the feed's dates, else the first Tuesday-to-Thursday from the feed's start (a typical working day, away from the
 * Monday and Friday variations).
 */
export function rushHourInstant(
  feed: Pick<TransportFeed, 'timeZone' | 'startDate' | 'endDate'>,
  nowMs: number,
): number {
  const today = zonedDateTime(nowMs, feed.timeZone).date;
  const weekday = (d: string) => new Date(`${d}T12:00:00Z`).getUTCDay();
  const inFeed = (d: string) =>
    (!feed.startDate || d >= feed.startDate) && (!feed.endDate || d <= feed.endDate);
  let date = today;
  if (!inFeed(today) || weekday(today) === 0 || weekday(today) === 6) {
    date = feed.startDate ?? today;
    for (let i = 0; i < 7 && ![2, 3, 4].includes(weekday(date)); i++) date = addDays(date, 1);
  }
  return zonedInstant(date, RUSH_HOUR, feed.timeZone);
}

/**
 * The scene time to use on choosing a feed: unchanged when the feed runs that day, else the same local time of day
 * on the feed's first typical weekday (so vehicles are on the map at once).
 */
export function timeForFeed(
  feed: Pick<TransportFeed, 'timeZone' | 'startDate' | 'endDate'>,
  nowMs: number,
): number {
  const { date, time } = zonedDateTime(nowMs, feed.timeZone);
  if ((!feed.startDate || date >= feed.startDate) && (!feed.endDate || date <= feed.endDate)) return nowMs;
  const rush = zonedDateTime(rushHourInstant(feed, nowMs), feed.timeZone);
  return zonedInstant(rush.date, time, feed.timeZone);
}

/** Colours for routes whose feed gives none (Tableau 10, less its grey): routes stay apart on the map. */
export const ROUTE_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
];

/**
 * A route's colour as CSS: its GTFS `route_color` (`RRGGBB`, no `#`), or, where the feed gives none or GTFS's
 * default white (invisible on a map), the palette colour of the route's place in the feed.
 */
export function routeCss(color: unknown, index: number): string {
  return typeof color === 'string' && /^[0-9a-f]{6}$/i.test(color) && color.toUpperCase() !== 'FFFFFF'
    ? `#${color}`
    : ROUTE_PALETTE[index % ROUTE_PALETTE.length];
}

/** The isochrone bands' colours, nearest first (the legend and the map use the same list). */
export const BAND_COLOURS: readonly string[] = ['#1a9850', '#fee08b', '#d73027', '#7b3294', '#5e3c99'];

import type {
  Agency,
  Calendar,
  CalendarDates,
  ExceptionType,
  FeedInfo,
  LocationType,
  Route,
  Stop,
  Trip,
  VehicleType,
} from 'gtfs-types';
import { GtfsDataError } from './errors';
import type { GtfsFeed, GtfsFiles, GtfsFrequency, GtfsShape, GtfsStopTime } from './feed';
import { haversineM } from './geometry';
import { type CsvRow, type CsvTable, readTable } from './read';
import { isTimeZone, parseGtfsDate, parseGtfsTime } from './time';

/** Required files and the columns each must have (GTFS Schedule reference, "Dataset Files" and "Field Definitions"). */
export const GTFS_REQUIRED = {
  'agency.txt': ['agency_name', 'agency_url', 'agency_timezone'],
  'stops.txt': ['stop_id'],
  'routes.txt': ['route_id', 'route_type'],
  'trips.txt': ['route_id', 'service_id', 'trip_id'],
  'stop_times.txt': ['trip_id', 'stop_id', 'stop_sequence'],
} as const;

const OPTIONAL_COLUMNS = {
  'calendar.txt': [
    'service_id',
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
    'start_date',
    'end_date',
  ],
  'calendar_dates.txt': ['service_id', 'date', 'exception_type'],
  'shapes.txt': ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence'],
  'frequencies.txt': ['trip_id', 'start_time', 'end_time', 'headway_secs'],
  'feed_info.txt': ['feed_publisher_name', 'feed_publisher_url', 'feed_lang'],
} as const;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Field access for one table: every failure is a GtfsDataError naming the file and line. */
class Fields {
  constructor(
    private readonly source: string,
    private readonly table: CsvTable,
  ) {}

  fail(row: CsvRow | null, type: string, reason: string, featureId?: string): GtfsDataError {
    return new GtfsDataError(type, reason, {
      source: this.source,
      gtfsFile: this.table.file,
      line: row?.line ?? null,
      featureId,
    });
  }

  opt(row: CsvRow, col: string): string | undefined {
    const v = row.values[col];
    return v === undefined || v === '' ? undefined : v;
  }

  req(row: CsvRow, col: string): string {
    const v = this.opt(row, col);
    if (v === undefined) throw this.fail(row, 'missing-value', `${col} is empty`);
    return v;
  }

  num(row: CsvRow, col: string, min: number, max: number, integer: boolean): number | undefined {
    const v = this.opt(row, col);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
      throw this.fail(
        row,
        'invalid-value',
        `${col} "${v}" is not ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`,
      );
    return n;
  }

  reqNum(row: CsvRow, col: string, min: number, max: number, integer: boolean): number {
    const n = this.num(row, col, min, max, integer);
    if (n === undefined) throw this.fail(row, 'missing-value', `${col} is empty`);
    return n;
  }

  time(row: CsvRow, col: string): number | undefined {
    const v = this.opt(row, col);
    if (v === undefined) return undefined;
    const s = parseGtfsTime(v);
    if (s === null) throw this.fail(row, 'bad-time', `${col} "${v}" is not a time HH:MM:SS`);
    return s;
  }

  date(row: CsvRow, col: string): string {
    const v = this.req(row, col);
    if (!parseGtfsDate(v)) throw this.fail(row, 'bad-date', `${col} "${v}" is not a date YYYYMMDD`);
    return v;
  }
}

interface Table {
  t: CsvTable;
  f: Fields;
}

function table(input: GtfsFiles, file: string, columns: readonly string[], required: boolean): Table | null {
  const t = readTable(input, file, columns);
  if (!t) {
    if (required)
      throw new GtfsDataError('missing-file', `required file ${file} is missing from the feed`, {
        source: input.source,
        gtfsFile: file,
      });
    return null;
  }
  return { t, f: new Fields(input.source, t) };
}

function uniqueId(seen: Set<string>, f: Fields, row: CsvRow, col: string): string {
  const id = f.req(row, col);
  if (seen.has(id)) throw f.fail(row, 'duplicate-id', `${col} "${id}" occurs twice`, id);
  seen.add(id);
  return id;
}

function parseAgencies(input: GtfsFiles): { agencies: Agency[]; timeZone: string } {
  const { t, f } = table(input, 'agency.txt', GTFS_REQUIRED['agency.txt'], true)!;
  if (t.rows.length === 0) throw f.fail(null, 'empty-file', 'agency.txt has no agency');
  const seen = new Set<string>();
  let timeZone = '';
  const agencies = t.rows.map((row) => {
    const tz = f.req(row, 'agency_timezone');
    if (!isTimeZone(tz))
      throw f.fail(row, 'invalid-value', `agency_timezone "${tz}" is not an IANA time zone`);
    if (timeZone && tz !== timeZone)
      throw f.fail(
        row,
        'invalid-value',
        `agency_timezone "${tz}" differs from "${timeZone}" of the other agencies`,
      );
    timeZone = tz;
    const id = f.opt(row, 'agency_id');
    if (t.rows.length > 1 && id === undefined)
      throw f.fail(row, 'missing-value', 'agency_id is empty but the feed has several agencies');
    if (id !== undefined) uniqueId(seen, f, row, 'agency_id');
    return {
      agency_id: id,
      agency_name: f.req(row, 'agency_name'),
      agency_url: f.req(row, 'agency_url'),
      agency_timezone: tz,
      agency_lang: f.opt(row, 'agency_lang'),
      agency_phone: f.opt(row, 'agency_phone'),
      agency_fare_url: f.opt(row, 'agency_fare_url'),
      agency_email: f.opt(row, 'agency_email'),
    };
  });
  return { agencies, timeZone };
}

function parseStops(input: GtfsFiles): Stop[] {
  const { t, f } = table(input, 'stops.txt', GTFS_REQUIRED['stops.txt'], true)!;
  const seen = new Set<string>();
  const stops = t.rows.map((row): Stop & { line: number } => {
    const id = uniqueId(seen, f, row, 'stop_id');
    const locationType = (f.num(row, 'location_type', 0, 4, true) ?? 0) as LocationType;
    // Coordinates are required for stops, stations and entrances (location_type 0–2).
    const needsPosition = locationType <= 2;
    const lat = f.num(row, 'stop_lat', -90, 90, false);
    const lon = f.num(row, 'stop_lon', -180, 180, false);
    if (needsPosition && (lat === undefined || lon === undefined))
      throw f.fail(row, 'missing-value', 'stop_lat and stop_lon are required for this location_type', id);
    return {
      stop_id: id,
      stop_code: f.opt(row, 'stop_code'),
      stop_name: f.opt(row, 'stop_name'),
      stop_desc: f.opt(row, 'stop_desc'),
      stop_lat: lat,
      stop_lon: lon,
      zone_id: f.opt(row, 'zone_id'),
      location_type: locationType,
      parent_station: f.opt(row, 'parent_station'),
      platform_code: f.opt(row, 'platform_code'),
      line: row.line,
    };
  });
  for (const s of stops)
    if (s.parent_station !== undefined && !seen.has(s.parent_station))
      throw f.fail(
        { values: {}, line: s.line },
        'unknown-reference',
        `parent_station "${s.parent_station}" is not in stops.txt`,
        s.stop_id,
      );
  return stops.map(({ line: _line, ...s }) => s);
}

function parseRoutes(input: GtfsFiles, agencies: Agency[]): Route[] {
  const { t, f } = table(input, 'routes.txt', GTFS_REQUIRED['routes.txt'], true)!;
  const agencyIds = new Set(agencies.map((a) => a.agency_id).filter((a) => a !== undefined));
  const seen = new Set<string>();
  return t.rows.map((row) => {
    const id = uniqueId(seen, f, row, 'route_id');
    const agencyId = f.opt(row, 'agency_id');
    if (agencyId === undefined && agencies.length > 1)
      throw f.fail(row, 'missing-value', 'agency_id is empty but the feed has several agencies', id);
    if (agencyId !== undefined && agencyIds.size > 0 && !agencyIds.has(agencyId))
      throw f.fail(row, 'unknown-reference', `agency_id "${agencyId}" is not in agency.txt`, id);
    const color = (col: string) => {
      const c = f.opt(row, col);
      if (c !== undefined && !/^[0-9A-Fa-f]{6}$/.test(c))
        throw f.fail(row, 'invalid-value', `${col} "${c}" is not a six-digit hex colour`, id);
      return c?.toUpperCase();
    };
    const shortName = f.opt(row, 'route_short_name');
    const longName = f.opt(row, 'route_long_name');
    if (shortName === undefined && longName === undefined)
      throw f.fail(row, 'missing-value', 'route_short_name and route_long_name are both empty', id);
    return {
      route_id: id,
      agency_id: agencyId,
      route_short_name: shortName,
      route_long_name: longName,
      route_desc: f.opt(row, 'route_desc'),
      route_type: f.reqNum(row, 'route_type', 0, 1799, true) as VehicleType,
      route_url: f.opt(row, 'route_url'),
      route_color: color('route_color'),
      route_text_color: color('route_text_color'),
      route_sort_order: f.num(row, 'route_sort_order', 0, Number.MAX_SAFE_INTEGER, true),
    };
  });
}

function parseCalendars(input: GtfsFiles): { calendar: Calendar[]; calendarDates: CalendarDates[] } {
  const cal = table(input, 'calendar.txt', OPTIONAL_COLUMNS['calendar.txt'], false);
  const dates = table(input, 'calendar_dates.txt', OPTIONAL_COLUMNS['calendar_dates.txt'], false);
  if (!cal && !dates)
    throw new GtfsDataError('missing-file', 'the feed has neither calendar.txt nor calendar_dates.txt', {
      source: input.source,
      gtfsFile: 'calendar.txt',
    });
  const calendar: Calendar[] = [];
  if (cal) {
    const { t, f } = cal;
    const seen = new Set<string>();
    for (const row of t.rows) {
      const id = uniqueId(seen, f, row, 'service_id');
      const flags = WEEKDAYS.map((d) => f.reqNum(row, d, 0, 1, true) as 0 | 1);
      const start = f.date(row, 'start_date');
      const end = f.date(row, 'end_date');
      if (end < start)
        throw f.fail(row, 'invalid-value', `end_date ${end} is before start_date ${start}`, id);
      calendar.push({
        service_id: id,
        monday: flags[0],
        tuesday: flags[1],
        wednesday: flags[2],
        thursday: flags[3],
        friday: flags[4],
        saturday: flags[5],
        sunday: flags[6],
        start_date: start,
        end_date: end,
      });
    }
  }
  const calendarDates: CalendarDates[] = [];
  if (dates) {
    const { t, f } = dates;
    const seen = new Set<string>();
    for (const row of t.rows) {
      const service = f.req(row, 'service_id');
      const date = f.date(row, 'date');
      const key = `${service}\u0000${date}`;
      if (seen.has(key))
        throw f.fail(row, 'duplicate-id', `service ${service} has two exceptions on ${date}`);
      seen.add(key);
      calendarDates.push({
        service_id: service,
        date,
        exception_type: f.reqNum(row, 'exception_type', 1, 2, true) as ExceptionType,
      });
    }
  }
  return { calendar, calendarDates };
}

function parseShapes(input: GtfsFiles, warnings: string[]): GtfsShape[] {
  const s = table(input, 'shapes.txt', OPTIONAL_COLUMNS['shapes.txt'], false);
  if (!s) return [];
  const { t, f } = s;
  const points = new Map<string, { seq: number; lon: number; lat: number; dist?: number; row: CsvRow }[]>();
  for (const row of t.rows) {
    const id = f.req(row, 'shape_id');
    let list = points.get(id);
    if (!list) {
      list = [];
      points.set(id, list);
    }
    list.push({
      seq: f.reqNum(row, 'shape_pt_sequence', 0, Number.MAX_SAFE_INTEGER, true),
      lat: f.reqNum(row, 'shape_pt_lat', -90, 90, false),
      lon: f.reqNum(row, 'shape_pt_lon', -180, 180, false),
      dist: f.num(row, 'shape_dist_traveled', 0, Number.MAX_VALUE, false),
      row,
    });
  }
  const shapes: GtfsShape[] = [];
  let repeated = 0;
  for (const [id, all] of points) {
    all.sort((a, b) => a.seq - b.seq || a.row.line - b.row.line);
    // A row repeated exactly (some exports join shapes twice) is dropped; two different points with the same
    // sequence number are an error.
    const list = all.filter((p, i) => {
      const q = all[i - 1];
      if (!q || q.seq !== p.seq) return true;
      if (q.lon === p.lon && q.lat === p.lat && q.dist === p.dist) {
        repeated++;
        return false;
      }
      throw f.fail(
        p.row,
        'duplicate-id',
        `shape_pt_sequence ${p.seq} occurs twice with different points`,
        id,
      );
    });
    if (list.length < 2) throw f.fail(list[0].row, 'invalid-shape', 'a shape needs at least two points', id);
    const lonLat = new Float64Array(list.length * 2);
    list.forEach((p, i) => {
      lonLat[2 * i] = p.lon;
      lonLat[2 * i + 1] = p.lat;
    });
    let distTraveled: Float64Array | null = null;
    if (list.every((p) => p.dist !== undefined)) {
      distTraveled = Float64Array.from(list, (p) => p.dist!);
      for (let i = 1; i < list.length; i++)
        if (distTraveled[i] < distTraveled[i - 1])
          throw f.fail(list[i].row, 'invalid-value', 'shape_dist_traveled decreases along the shape', id);
    }
    shapes.push({ shape_id: id, lonLat, distTraveled });
  }
  if (repeated > 0)
    warnings.push(`shapes.txt: ${repeated} rows repeat an earlier row exactly and were dropped`);
  return shapes;
}

function parseTrips(
  input: GtfsFiles,
  routes: Route[],
  serviceIds: Set<string>,
  shapeIds: Set<string>,
): Trip[] {
  const { t, f } = table(input, 'trips.txt', GTFS_REQUIRED['trips.txt'], true)!;
  const routeIds = new Set(routes.map((r) => r.route_id));
  const seen = new Set<string>();
  return t.rows.map((row) => {
    const id = uniqueId(seen, f, row, 'trip_id');
    const route = f.req(row, 'route_id');
    if (!routeIds.has(route))
      throw f.fail(row, 'unknown-reference', `route_id "${route}" is not in routes.txt`, id);
    const service = f.req(row, 'service_id');
    if (!serviceIds.has(service))
      throw f.fail(
        row,
        'unknown-reference',
        `service_id "${service}" is in neither calendar.txt nor calendar_dates.txt`,
        id,
      );
    const shape = f.opt(row, 'shape_id');
    if (shape !== undefined && !shapeIds.has(shape))
      throw f.fail(row, 'unknown-reference', `shape_id "${shape}" is not in shapes.txt`, id);
    return {
      route_id: route,
      service_id: service,
      trip_id: id,
      trip_headsign: f.opt(row, 'trip_headsign'),
      trip_short_name: f.opt(row, 'trip_short_name'),
      direction_id: f.num(row, 'direction_id', 0, 1, true) as 0 | 1 | undefined,
      block_id: f.opt(row, 'block_id'),
      shape_id: shape,
    };
  });
}

interface RawStopTime extends GtfsStopTime {
  row: CsvRow;
}

/** Fills blank times between timed stops in proportion to distance (shape_dist_traveled, else straight line). */
function interpolateBlankTimes(list: RawStopTime[], stopPos: Map<string, Stop>) {
  const dist = new Float64Array(list.length);
  const useShapeDist = list.every((s) => s.shape_dist_traveled !== undefined);
  for (let i = 1; i < list.length; i++) {
    if (useShapeDist) {
      dist[i] = list[i].shape_dist_traveled!;
      continue;
    }
    const a = stopPos.get(list[i - 1].stop_id)!;
    const b = stopPos.get(list[i].stop_id)!;
    const step =
      a.stop_lon !== undefined && b.stop_lon !== undefined
        ? haversineM(a.stop_lon, a.stop_lat!, b.stop_lon, b.stop_lat!)
        : 1;
    dist[i] = dist[i - 1] + step;
  }
  let prev = 0;
  for (let i = 1; i < list.length; i++) {
    if (!list[i].timed) continue;
    const t0 = list[prev].departureS;
    const t1 = list[i].arrivalS;
    const span = dist[i] - dist[prev];
    for (let k = prev + 1; k < i; k++) {
      const f = span > 0 ? (dist[k] - dist[prev]) / span : (k - prev) / (i - prev);
      list[k].arrivalS = list[k].departureS = Math.round(t0 + f * (t1 - t0));
    }
    prev = i;
  }
}

function parseStopTimes(input: GtfsFiles, trips: Trip[], stops: Stop[], warnings: string[]): GtfsStopTime[] {
  const { t, f } = table(input, 'stop_times.txt', GTFS_REQUIRED['stop_times.txt'], true)!;
  const tripOrder = new Map(trips.map((tr, i) => [tr.trip_id, i]));
  const stopById = new Map(stops.map((s) => [s.stop_id, s]));
  const byTrip: RawStopTime[][] = trips.map(() => []);
  for (const row of t.rows) {
    const tripId = f.req(row, 'trip_id');
    const ti = tripOrder.get(tripId);
    if (ti === undefined)
      throw f.fail(row, 'orphan-stop-time', `trip_id "${tripId}" is not in trips.txt`, tripId);
    const stopId = f.req(row, 'stop_id');
    const stop = stopById.get(stopId);
    if (!stop) throw f.fail(row, 'orphan-stop-time', `stop_id "${stopId}" is not in stops.txt`, tripId);
    if ((stop.location_type ?? 0) !== 0 && stop.location_type !== 4)
      throw f.fail(row, 'invalid-value', `stop_id "${stopId}" is a station or entrance, not a stop`, tripId);
    const arr = f.time(row, 'arrival_time');
    const dep = f.time(row, 'departure_time');
    const timed = arr !== undefined || dep !== undefined;
    if (arr !== undefined && dep !== undefined && dep < arr)
      throw f.fail(row, 'bad-time', `departure_time is before arrival_time`, tripId);
    byTrip[ti].push({
      trip_id: tripId,
      arrival_time: f.opt(row, 'arrival_time') ?? f.opt(row, 'departure_time'),
      departure_time: f.opt(row, 'departure_time') ?? f.opt(row, 'arrival_time'),
      stop_id: stopId,
      stop_sequence: f.reqNum(row, 'stop_sequence', 0, Number.MAX_SAFE_INTEGER, true),
      stop_headsign: f.opt(row, 'stop_headsign'),
      pickup_type: f.num(row, 'pickup_type', 0, 3, true) as GtfsStopTime['pickup_type'],
      drop_off_type: f.num(row, 'drop_off_type', 0, 3, true) as GtfsStopTime['drop_off_type'],
      shape_dist_traveled: f.num(row, 'shape_dist_traveled', 0, Number.MAX_VALUE, false),
      timepoint: f.num(row, 'timepoint', 0, 1, true) as 0 | 1 | undefined,
      arrivalS: arr ?? dep ?? Number.NaN,
      departureS: dep ?? arr ?? Number.NaN,
      timed,
      row,
    });
  }
  const out: GtfsStopTime[] = [];
  byTrip.forEach((list, ti) => {
    const tripId = trips[ti].trip_id;
    if (list.length === 0) {
      warnings.push(`trips.txt: trip ${tripId} has no stop_times and is ignored`);
      return;
    }
    list.sort((a, b) => a.stop_sequence - b.stop_sequence);
    for (let i = 1; i < list.length; i++)
      if (list[i].stop_sequence === list[i - 1].stop_sequence)
        throw f.fail(
          list[i].row,
          'duplicate-id',
          `stop_sequence ${list[i].stop_sequence} occurs twice`,
          tripId,
        );
    for (const end of [list[0], list[list.length - 1]])
      if (!end.timed)
        throw f.fail(end.row, 'bad-time', 'the first and last stop of a trip must have times', tripId);
    let prev: RawStopTime | null = null;
    for (const st of list) {
      if (!st.timed) continue;
      if (prev && st.arrivalS < prev.departureS)
        throw f.fail(
          st.row,
          'bad-time',
          `arrival_time ${st.arrival_time} is before the previous stop's departure ${prev.departure_time}`,
          tripId,
        );
      prev = st;
    }
    if (list.length === 1) warnings.push(`stop_times.txt: trip ${tripId} has a single stop and is ignored`);
    if (list.some((s) => !s.timed)) interpolateBlankTimes(list, stopById);
    for (const { row: _row, ...st } of list) out.push(st);
  });
  return out;
}

function parseFrequencies(input: GtfsFiles, trips: Trip[]): GtfsFrequency[] {
  const fr = table(input, 'frequencies.txt', OPTIONAL_COLUMNS['frequencies.txt'], false);
  if (!fr) return [];
  const { t, f } = fr;
  const tripIds = new Set(trips.map((tr) => tr.trip_id));
  return t.rows.map((row) => {
    const tripId = f.req(row, 'trip_id');
    if (!tripIds.has(tripId))
      throw f.fail(row, 'unknown-reference', `trip_id "${tripId}" is not in trips.txt`);
    const start = f.time(row, 'start_time');
    const end = f.time(row, 'end_time');
    if (start === undefined || end === undefined)
      throw f.fail(row, 'missing-value', 'start_time and end_time are required', tripId);
    if (end <= start) throw f.fail(row, 'bad-time', 'end_time is not after start_time', tripId);
    return {
      trip_id: tripId,
      startS: start,
      endS: end,
      headwayS: f.reqNum(row, 'headway_secs', 1, 86_400, true),
      exactTimes: f.num(row, 'exact_times', 0, 1, true) === 1,
    };
  });
}

function parseFeedInfo(input: GtfsFiles): FeedInfo | null {
  const fi = table(input, 'feed_info.txt', OPTIONAL_COLUMNS['feed_info.txt'], false);
  const row = fi?.t.rows[0];
  if (!fi || !row) return null;
  const v = (c: string) => fi.f.opt(row, c) ?? '';
  for (const c of ['feed_start_date', 'feed_end_date']) if (v(c)) fi.f.date(row, c);
  return {
    feed_publisher_name: v('feed_publisher_name'),
    feed_publisher_url: v('feed_publisher_url'),
    feed_lang: v('feed_lang'),
    default_lang: v('default_lang'),
    feed_start_date: v('feed_start_date'),
    feed_end_date: v('feed_end_date'),
    feed_version: v('feed_version'),
    feed_contact_email: v('feed_contact_email'),
    feed_contact_url: v('feed_contact_url'),
  };
}

/**
 * Parses and validates a GTFS feed. Throws a GtfsDataError (a DataError) naming the file inside the feed and the
 * line for: a missing required file or column, malformed CSV, bad values, times or dates, duplicate ids, and rows
 * that refer to something the feed does not define (orphan stop_times, unknown routes, services, shapes).
 */
export function parseGtfs(input: GtfsFiles): GtfsFeed {
  for (const file of Object.keys(GTFS_REQUIRED))
    if (!input.files.has(file))
      throw new GtfsDataError('missing-file', `required file ${file} is missing from the feed`, {
        source: input.source,
        gtfsFile: file,
      });
  const warnings: string[] = [];
  const { agencies, timeZone } = parseAgencies(input);
  const stops = parseStops(input);
  const routes = parseRoutes(input, agencies);
  const { calendar, calendarDates } = parseCalendars(input);
  const shapes = parseShapes(input, warnings);
  const serviceIds = new Set([
    ...calendar.map((c) => c.service_id),
    ...calendarDates.map((c) => c.service_id),
  ]);
  const trips = parseTrips(input, routes, serviceIds, new Set(shapes.map((s) => s.shape_id)));
  const stopTimes = parseStopTimes(input, trips, stops, warnings);
  const frequencies = parseFrequencies(input, trips);
  return {
    source: input.source,
    timeZone,
    agencies,
    stops,
    routes,
    trips,
    stopTimes,
    calendar,
    calendarDates,
    shapes,
    frequencies,
    feedInfo: parseFeedInfo(input),
    warnings,
  };
}

/** First and last service dates the feed's calendars mention (`YYYYMMDD`), or null. */
export function feedDateRange(feed: Pick<GtfsFeed, 'calendar' | 'calendarDates'>): [string, string] | null {
  const dates = [
    ...feed.calendar.flatMap((c) => [c.start_date, c.end_date]),
    ...feed.calendarDates.map((c) => c.date),
  ].sort(); // YYYYMMDD sorts as text
  return dates.length ? [dates[0], dates[dates.length - 1]] : null;
}

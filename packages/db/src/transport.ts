import { DataError } from '@placetwin/geo';
import {
  compileSchedule,
  feedDateRange,
  type GtfsFeed,
  type GtfsFiles,
  type GtfsStopTime,
  parseGtfs,
  parseGtfsDate,
  routePaths,
} from '@placetwin/transport';
import type { Db } from './db';
import { clearFifteenScores } from './fifteen';

/** What an import wrote. */
export interface GtfsImportCounts {
  feedId: number;
  agencies: number;
  stops: number;
  routes: number;
  trips: number;
  stopTimes: number;
  shapes: number;
  services: number;
  calendarDates: number;
  frequencies: number;
  warnings: string[];
}

export interface GtfsFeedSummary {
  id: number;
  name: string;
  source: string;
  licence: string | null;
  attribution: string | null;
  timeZone: string;
  startDate: string | null;
  endDate: string | null;
  bbox: [number, number, number, number] | null;
  importedAt: string;
  agencies: string[];
  routes: number;
  trips: number;
  stops: number;
}

/** A GeoJSON FeatureCollection as PostGIS writes it (geometry in EPSG:4326). */
export interface GtfsFeatureCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    id: string;
    geometry: { type: string; coordinates: unknown };
    properties: Record<string, unknown>;
  }[];
}

const FEED_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Rows per INSERT (sent as one JSON parameter and unpacked with jsonb_to_recordset). */
const BATCH = 4000;

/** Inserts rows through `jsonb_to_recordset`: one JSON parameter per batch, same SQL in PGlite and PostgreSQL. */
async function insertJson(
  tx: Db,
  rows: Record<string, unknown>[],
  sql: (recordset: string) => string,
  feedId: number,
) {
  for (let i = 0; i < rows.length; i += BATCH)
    await tx.query(sql('jsonb_to_recordset($2::jsonb)'), [feedId, JSON.stringify(rows.slice(i, i + BATCH))]);
}

const dateOrNull = (yyyymmdd: string | undefined) => (yyyymmdd ? parseGtfsDate(yyyymmdd) : null);

/** Route lines from the trips' shapes (stop-to-stop where a trip has none), as GeoJSON MultiLineString text. */
function routeGeometries(feed: GtfsFeed): Map<string, string> {
  const schedule = compileSchedule(feed);
  const out = new Map<string, string>();
  for (const [routeId, paths] of routePaths(schedule)) {
    const coordinates = paths.map((p) => {
      const ll = schedule.paths[p].lonLat;
      return Array.from({ length: ll.length / 2 }, (_, i) => [ll[2 * i], ll[2 * i + 1]]);
    });
    out.set(routeId, JSON.stringify({ type: 'MultiLineString', coordinates }));
  }
  return out;
}

/**
 * Imports a GTFS feed (a zip read with `gtfsFilesFromZip`, or a directory's files) into the named feed, replacing
 * any earlier import of that name, in ONE transaction. The feed is parsed and validated first: malformed GTFS
 * throws the parser's GtfsDataError (file and line) and nothing is written; any later failure (including one
 * thrown by `onProgress`) rolls the whole import back, leaving an earlier import of the name as it was.
 */
export async function importGtfs(
  db: Db,
  name: string,
  files: GtfsFiles,
  options: {
    licence?: string;
    attribution?: string;
    onProgress?: (p: { table: string; rows: number }) => void;
    /** The council area the feed belongs to (default `default`); another area's feed name is refused. */
    areaId?: string;
  } = {},
): Promise<GtfsImportCounts> {
  if (!FEED_NAME.test(name))
    throw new DataError(
      'invalid-name',
      `feed name "${name}" must be lower-case letters, digits and hyphens`,
      {
        file: files.source,
      },
    );
  const feed = parseGtfs(files);
  const routeGeom = routeGeometries(feed);
  const range = feedDateRange(feed);
  const progress = (table: string, rows: number) => options.onProgress?.({ table, rows });

  return db.transaction(async (tx) => {
    const areaId = options.areaId ?? 'default';
    const owner = (
      await tx.query<{ a: string }>('SELECT area_id AS a FROM gtfs_feeds WHERE name = $1', [name])
    ).rows[0]?.a;
    if (owner !== undefined && owner !== areaId) {
      throw new DataError(
        'feed-in-other-area',
        `feed "${name}" belongs to another area: use another --feed name`,
        {
          file: files.source,
        },
      );
    }
    await tx.query('DELETE FROM gtfs_feeds WHERE name = $1', [name]);
    // The area's stored 15-minute scores may have ridden the feed replaced (or not known the new one).
    await clearFifteenScores(tx, areaId);
    const feedId = (
      await tx.query<{ id: number }>(
        `INSERT INTO gtfs_feeds (name, source, time_zone, feed_info, start_date, end_date, warnings, licence,
           attribution, area_id)
         VALUES ($1, $2, $3, $4::jsonb, $5::date, $6::date, $7::jsonb, $8, $9, $10) RETURNING id`,
        [
          name,
          feed.source,
          feed.timeZone,
          feed.feedInfo ? JSON.stringify(feed.feedInfo) : null,
          range ? parseGtfsDate(range[0]) : null,
          range ? parseGtfsDate(range[1]) : null,
          JSON.stringify(feed.warnings),
          options.licence ?? null,
          options.attribution ?? null,
          areaId,
        ],
      )
    ).rows[0].id;

    await insertJson(
      tx,
      feed.agencies.map((a) => ({
        agency_id: a.agency_id ?? '',
        name: a.agency_name,
        url: a.agency_url,
        time_zone: a.agency_timezone,
        lang: a.agency_lang ?? null,
        phone: a.agency_phone ?? null,
      })),
      (r) => `INSERT INTO gtfs_agencies (feed_id, agency_id, name, url, time_zone, lang, phone)
        SELECT $1, agency_id, name, url, time_zone, lang, phone
        FROM ${r} AS x(agency_id text, name text, url text, time_zone text, lang text, phone text)`,
      feedId,
    );
    progress('agencies', feed.agencies.length);

    await insertJson(
      tx,
      feed.stops.map((s) => ({
        stop_id: s.stop_id,
        code: s.stop_code ?? null,
        name: s.stop_name ?? null,
        description: s.stop_desc ?? null,
        location_type: s.location_type ?? 0,
        parent_station: s.parent_station ?? null,
        platform_code: s.platform_code ?? null,
        lon: s.stop_lon ?? null,
        lat: s.stop_lat ?? null,
      })),
      (
        r,
      ) => `INSERT INTO gtfs_stops (feed_id, stop_id, code, name, description, location_type, parent_station,
          platform_code, geom)
        SELECT $1, stop_id, code, name, description, location_type, parent_station, platform_code,
          CASE WHEN lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END
        FROM ${r} AS x(stop_id text, code text, name text, description text, location_type smallint,
          parent_station text, platform_code text, lon float8, lat float8)`,
      feedId,
    );
    progress('stops', feed.stops.length);

    await insertJson(
      tx,
      feed.routes.map((rt) => ({
        route_id: rt.route_id,
        agency_id: rt.agency_id ?? null,
        short_name: rt.route_short_name ?? null,
        long_name: rt.route_long_name ?? null,
        description: rt.route_desc ?? null,
        route_type: rt.route_type,
        url: rt.route_url ?? null,
        color: rt.route_color ?? null,
        text_color: rt.route_text_color ?? null,
        sort_order: rt.route_sort_order ?? null,
        geom: routeGeom.get(rt.route_id) ?? null,
      })),
      (
        r,
      ) => `INSERT INTO gtfs_routes (feed_id, route_id, agency_id, short_name, long_name, description, route_type,
          url, color, text_color, sort_order, geom)
        SELECT $1, route_id, agency_id, short_name, long_name, description, route_type, url, color, text_color,
          sort_order, CASE WHEN geom IS NULL THEN NULL ELSE ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326) END
        FROM ${r} AS x(route_id text, agency_id text, short_name text, long_name text, description text,
          route_type integer, url text, color text, text_color text, sort_order integer, geom text)`,
      feedId,
    );
    progress('routes', feed.routes.length);

    await insertJson(
      tx,
      feed.calendar.map((c) => ({
        service_id: c.service_id,
        days: [c.monday, c.tuesday, c.wednesday, c.thursday, c.friday, c.saturday, c.sunday].map(Number),
        start_date: parseGtfsDate(c.start_date),
        end_date: parseGtfsDate(c.end_date),
      })),
      (
        r,
      ) => `INSERT INTO gtfs_calendar (feed_id, service_id, monday, tuesday, wednesday, thursday, friday, saturday,
          sunday, start_date, end_date)
        SELECT $1, service_id, (days->>0)::int = 1, (days->>1)::int = 1, (days->>2)::int = 1, (days->>3)::int = 1,
          (days->>4)::int = 1, (days->>5)::int = 1, (days->>6)::int = 1, start_date, end_date
        FROM ${r} AS x(service_id text, days jsonb, start_date date, end_date date)`,
      feedId,
    );
    await insertJson(
      tx,
      feed.calendarDates.map((c) => ({
        service_id: c.service_id,
        date: dateOrNull(c.date),
        exception_type: c.exception_type,
      })),
      (r) => `INSERT INTO gtfs_calendar_dates (feed_id, service_id, date, exception_type)
        SELECT $1, service_id, date, exception_type FROM ${r} AS x(service_id text, date date, exception_type smallint)`,
      feedId,
    );
    progress('calendar', feed.calendar.length + feed.calendarDates.length);

    await insertJson(
      tx,
      feed.shapes.map((s) => ({
        shape_id: s.shape_id,
        geom: JSON.stringify({
          type: 'LineString',
          coordinates: Array.from({ length: s.lonLat.length / 2 }, (_, i) => [
            s.lonLat[2 * i],
            s.lonLat[2 * i + 1],
          ]),
        }),
        dist: s.distTraveled ? Array.from(s.distTraveled) : null,
      })),
      (r) => `INSERT INTO gtfs_shapes (feed_id, shape_id, geom, dist_traveled)
        SELECT $1, shape_id, ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326),
          CASE WHEN dist IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(dist)::float8) END
        FROM ${r} AS x(shape_id text, geom text, dist jsonb)`,
      feedId,
    );
    progress('shapes', feed.shapes.length);

    await insertJson(
      tx,
      feed.trips.map((t, ord) => ({
        trip_id: t.trip_id,
        ord,
        route_id: t.route_id,
        service_id: t.service_id,
        headsign: t.trip_headsign ?? null,
        short_name: t.trip_short_name ?? null,
        direction_id: t.direction_id ?? null,
        block_id: t.block_id ?? null,
        shape_id: t.shape_id ?? null,
      })),
      (
        r,
      ) => `INSERT INTO gtfs_trips (feed_id, trip_id, ord, route_id, service_id, headsign, short_name, direction_id,
          block_id, shape_id)
        SELECT $1, trip_id, ord, route_id, service_id, headsign, short_name, direction_id, block_id, shape_id
        FROM ${r} AS x(trip_id text, ord integer, route_id text, service_id text, headsign text, short_name text,
          direction_id smallint, block_id text, shape_id text)`,
      feedId,
    );
    progress('trips', feed.trips.length);

    await insertJson(
      tx,
      feed.stopTimes.map((s) => ({
        trip_id: s.trip_id,
        stop_sequence: s.stop_sequence,
        stop_id: s.stop_id,
        arrival_s: s.arrivalS,
        departure_s: s.departureS,
        timed: s.timed,
        stop_headsign: s.stop_headsign ?? null,
        pickup_type: s.pickup_type ?? null,
        drop_off_type: s.drop_off_type ?? null,
        shape_dist_traveled: s.shape_dist_traveled ?? null,
        timepoint: s.timepoint ?? null,
      })),
      (
        r,
      ) => `INSERT INTO gtfs_stop_times (feed_id, trip_id, stop_sequence, stop_id, arrival_s, departure_s, timed,
          stop_headsign, pickup_type, drop_off_type, shape_dist_traveled, timepoint)
        SELECT $1, trip_id, stop_sequence, stop_id, arrival_s, departure_s, timed, stop_headsign, pickup_type,
          drop_off_type, shape_dist_traveled, timepoint
        FROM ${r} AS x(trip_id text, stop_sequence integer, stop_id text, arrival_s integer, departure_s integer,
          timed boolean, stop_headsign text, pickup_type smallint, drop_off_type smallint,
          shape_dist_traveled float8, timepoint smallint)`,
      feedId,
    );
    progress('stop_times', feed.stopTimes.length);

    await insertJson(
      tx,
      feed.frequencies.map((f) => ({
        trip_id: f.trip_id,
        start_s: f.startS,
        end_s: f.endS,
        headway_s: f.headwayS,
        exact_times: f.exactTimes,
      })),
      (r) => `INSERT INTO gtfs_frequencies (feed_id, trip_id, start_s, end_s, headway_s, exact_times)
        SELECT $1, trip_id, start_s, end_s, headway_s, exact_times
        FROM ${r} AS x(trip_id text, start_s integer, end_s integer, headway_s integer, exact_times boolean)`,
      feedId,
    );
    progress('frequencies', feed.frequencies.length);

    await tx.query(
      `UPDATE gtfs_feeds SET bbox = (
         SELECT ST_MakeEnvelope(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e), 4326)
         FROM (SELECT ST_Extent(s.geom) AS e FROM gtfs_stops s
         WHERE s.feed_id = $1 AND s.geom IS NOT NULL
           AND EXISTS (SELECT 1 FROM gtfs_stop_times st WHERE st.feed_id = $1 AND st.stop_id = s.stop_id)) x
         WHERE e IS NOT NULL)
       WHERE id = $1`,
      [feedId],
    );
    return {
      feedId,
      agencies: feed.agencies.length,
      stops: feed.stops.length,
      routes: feed.routes.length,
      trips: feed.trips.length,
      stopTimes: feed.stopTimes.length,
      shapes: feed.shapes.length,
      services: feed.calendar.length,
      calendarDates: feed.calendarDates.length,
      frequencies: feed.frequencies.length,
      warnings: feed.warnings,
    };
  });
}

const FEED_COLUMNS = `
  f.id, f.name, f.source, f.licence, f.attribution, f.time_zone AS "timeZone",
  to_char(f.start_date, 'YYYY-MM-DD') AS "startDate", to_char(f.end_date, 'YYYY-MM-DD') AS "endDate",
  CASE WHEN f.bbox IS NULL THEN NULL ELSE
    json_build_array(ST_XMin(f.bbox), ST_YMin(f.bbox), ST_XMax(f.bbox), ST_YMax(f.bbox)) END AS bbox,
  to_char(f.imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "importedAt",
  ARRAY(SELECT a.name FROM gtfs_agencies a WHERE a.feed_id = f.id ORDER BY a.name) AS agencies,
  (SELECT count(*) FROM gtfs_routes r WHERE r.feed_id = f.id)::int AS routes,
  (SELECT count(*) FROM gtfs_trips t WHERE t.feed_id = f.id)::int AS trips,
  (SELECT count(*) FROM gtfs_stops s WHERE s.feed_id = f.id)::int AS stops`;

/** The feeds of one area, or (no area: install-wide jobs) of every area. */
export async function listGtfsFeeds(db: Db, areaId?: string): Promise<GtfsFeedSummary[]> {
  return (
    await db.query<GtfsFeedSummary>(
      `SELECT ${FEED_COLUMNS} FROM gtfs_feeds f WHERE ($1::text IS NULL OR f.area_id = $1) ORDER BY f.name`,
      [areaId ?? null],
    )
  ).rows;
}

export async function getGtfsFeed(db: Db, name: string): Promise<GtfsFeedSummary | null> {
  return (
    (await db.query<GtfsFeedSummary>(`SELECT ${FEED_COLUMNS} FROM gtfs_feeds f WHERE f.name = $1`, [name]))
      .rows[0] ?? null
  );
}

export async function deleteGtfsFeed(db: Db, name: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const gone = (
      await tx.query<{ area_id: string }>('DELETE FROM gtfs_feeds WHERE name = $1 RETURNING area_id', [name])
    ).rows;
    for (const { area_id } of gone) await clearFifteenScores(tx, area_id);
    return gone.length > 0;
  });
}

const undef = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const ymd = (col: string) => `to_char(${col}, 'YYYYMMDD')`;

/** Reads an imported feed back as a GtfsFeed (for routing, departures and vehicle positions), or null. */
export async function loadGtfsFeed(db: Db, name: string): Promise<GtfsFeed | null> {
  const f = (
    await db.query<{
      id: number;
      source: string;
      time_zone: string;
      feed_info: GtfsFeed['feedInfo'];
      warnings: string[];
    }>('SELECT id, source, time_zone, feed_info, warnings FROM gtfs_feeds WHERE name = $1', [name])
  ).rows[0];
  if (!f) return null;
  const q = async <R>(sql: string) => (await db.query<R>(sql, [f.id])).rows;
  type Row = Record<string, string | number | boolean | null>;
  const [agencies, stops, routes, calendar, calendarDates, shapes, trips, stopTimes, frequencies] =
    await Promise.all([
      q<Row>('SELECT * FROM gtfs_agencies WHERE feed_id = $1 ORDER BY agency_id'),
      q<Row>(
        'SELECT *, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM gtfs_stops WHERE feed_id = $1 ORDER BY stop_id',
      ),
      q<Row>('SELECT * FROM gtfs_routes WHERE feed_id = $1 ORDER BY route_id'),
      q<Row>(
        `SELECT *, ${ymd('start_date')} AS start_ymd, ${ymd('end_date')} AS end_ymd
         FROM gtfs_calendar WHERE feed_id = $1 ORDER BY service_id`,
      ),
      q<Row>(
        `SELECT service_id, ${ymd('date')} AS date_ymd, exception_type
         FROM gtfs_calendar_dates WHERE feed_id = $1 ORDER BY service_id, date`,
      ),
      q<{ shape_id: string; coords: string; dist_traveled: number[] | null }>(
        `SELECT shape_id, ST_AsGeoJSON(geom, 9) AS coords, dist_traveled FROM gtfs_shapes
         WHERE feed_id = $1 ORDER BY shape_id`,
      ),
      q<Row>('SELECT * FROM gtfs_trips WHERE feed_id = $1 ORDER BY ord'),
      q<Row>(
        `SELECT st.* FROM gtfs_stop_times st JOIN gtfs_trips t USING (feed_id, trip_id)
         WHERE st.feed_id = $1 ORDER BY t.ord, st.stop_sequence`,
      ),
      q<Row>('SELECT * FROM gtfs_frequencies WHERE feed_id = $1 ORDER BY trip_id, start_s'),
    ]);
  const s = (v: string | number | boolean | null) => undef(v as string | null);
  const n = (v: string | number | boolean | null) => undef(v as number | null);
  const flag = (v: string | number | boolean | null): 0 | 1 => (v ? 1 : 0);
  return {
    source: f.source,
    timeZone: f.time_zone,
    agencies: agencies.map((a) => ({
      agency_id: a.agency_id === '' ? undefined : (a.agency_id as string),
      agency_name: a.name as string,
      agency_url: a.url as string,
      agency_timezone: a.time_zone as string,
      agency_lang: s(a.lang),
      agency_phone: s(a.phone),
    })),
    stops: stops.map((st) => ({
      stop_id: st.stop_id as string,
      stop_code: s(st.code),
      stop_name: s(st.name),
      stop_desc: s(st.description),
      stop_lat: n(st.lat),
      stop_lon: n(st.lon),
      location_type: st.location_type as number,
      parent_station: s(st.parent_station),
      platform_code: s(st.platform_code),
    })),
    routes: routes.map((r) => ({
      route_id: r.route_id as string,
      agency_id: s(r.agency_id),
      route_short_name: s(r.short_name),
      route_long_name: s(r.long_name),
      route_desc: s(r.description),
      route_type: r.route_type as number,
      route_url: s(r.url),
      route_color: s(r.color),
      route_text_color: s(r.text_color),
      route_sort_order: n(r.sort_order),
    })),
    trips: trips.map((t) => ({
      trip_id: t.trip_id as string,
      route_id: t.route_id as string,
      service_id: t.service_id as string,
      trip_headsign: s(t.headsign),
      trip_short_name: s(t.short_name),
      direction_id: n(t.direction_id) as 0 | 1 | undefined,
      block_id: s(t.block_id),
      shape_id: s(t.shape_id),
    })),
    stopTimes: stopTimes.map(
      (st): GtfsStopTime => ({
        trip_id: st.trip_id as string,
        stop_id: st.stop_id as string,
        stop_sequence: st.stop_sequence as number,
        arrivalS: st.arrival_s as number,
        departureS: st.departure_s as number,
        timed: st.timed as boolean,
        stop_headsign: s(st.stop_headsign),
        pickup_type: n(st.pickup_type),
        drop_off_type: n(st.drop_off_type),
        shape_dist_traveled: n(st.shape_dist_traveled),
        timepoint: n(st.timepoint) as 0 | 1 | undefined,
      }),
    ),
    calendar: calendar.map((c) => ({
      service_id: c.service_id as string,
      monday: flag(c.monday),
      tuesday: flag(c.tuesday),
      wednesday: flag(c.wednesday),
      thursday: flag(c.thursday),
      friday: flag(c.friday),
      saturday: flag(c.saturday),
      sunday: flag(c.sunday),
      start_date: c.start_ymd as string,
      end_date: c.end_ymd as string,
    })),
    calendarDates: calendarDates.map((c) => ({
      service_id: c.service_id as string,
      date: c.date_ymd as string,
      exception_type: c.exception_type as number,
    })),
    shapes: shapes.map((sh) => ({
      shape_id: sh.shape_id,
      lonLat: Float64Array.from((JSON.parse(sh.coords) as { coordinates: number[][] }).coordinates.flat()),
      distTraveled: sh.dist_traveled ? Float64Array.from(sh.dist_traveled) : null,
    })),
    frequencies: frequencies.map((fr) => ({
      trip_id: fr.trip_id as string,
      startS: fr.start_s as number,
      endS: fr.end_s as number,
      headwayS: fr.headway_s as number,
      exactTimes: fr.exact_times as boolean,
    })),
    feedInfo: f.feed_info,
    warnings: f.warnings,
  };
}

/** Stops of a feed as GeoJSON points, optionally only those trips call at and/or inside a bbox. */
export async function gtfsStopsGeoJson(
  db: Db,
  name: string,
  options: { bbox?: [number, number, number, number]; usedOnly?: boolean } = {},
): Promise<GtfsFeatureCollection> {
  const params: unknown[] = [name];
  const where = ['f.name = $1', 's.geom IS NOT NULL'];
  if (options.bbox) {
    params.push(...options.bbox);
    where.push('s.geom && ST_MakeEnvelope($2, $3, $4, $5, 4326)');
  }
  if (options.usedOnly)
    where.push(
      'EXISTS (SELECT 1 FROM gtfs_stop_times st WHERE st.feed_id = s.feed_id AND st.stop_id = s.stop_id)',
    );
  const rows = (
    await db.query<{ feature: GtfsFeatureCollection['features'][number] }>(
      `SELECT json_build_object('type', 'Feature', 'id', s.stop_id,
         'geometry', ST_AsGeoJSON(s.geom, 6)::json,
         'properties', json_build_object('stopId', s.stop_id, 'code', s.code, 'name', s.name,
           'locationType', s.location_type, 'parentStation', s.parent_station)) AS feature
       FROM gtfs_stops s JOIN gtfs_feeds f ON f.id = s.feed_id
       WHERE ${where.join(' AND ')} ORDER BY s.stop_id`,
      params,
    )
  ).rows;
  return { type: 'FeatureCollection', features: rows.map((r) => r.feature) };
}

/** Routes of a feed as GeoJSON MultiLineStrings with their names, type and colours. */
export async function gtfsRoutesGeoJson(db: Db, name: string): Promise<GtfsFeatureCollection> {
  const rows = (
    await db.query<{ feature: GtfsFeatureCollection['features'][number] }>(
      `SELECT json_build_object('type', 'Feature', 'id', r.route_id,
         'geometry', ST_AsGeoJSON(r.geom, 6)::json,
         'properties', json_build_object('routeId', r.route_id, 'agencyId', r.agency_id,
           'shortName', r.short_name, 'longName', r.long_name, 'routeType', r.route_type,
           'color', r.color, 'textColor', r.text_color,
           'trips', (SELECT count(*) FROM gtfs_trips t WHERE t.feed_id = r.feed_id AND t.route_id = r.route_id))
         ) AS feature
       FROM gtfs_routes r JOIN gtfs_feeds f ON f.id = r.feed_id
       WHERE f.name = $1 ORDER BY r.sort_order NULLS LAST, r.route_id`,
      [name],
    )
  ).rows;
  return { type: 'FeatureCollection', features: rows.map((r) => r.feature) };
}

/** Building centroids in a bbox with their use class: what an accessibility band can count. */
export interface BuildingPoints {
  /** lon, lat of each building's footprint centroid (point on surface), stride 2. */
  lonLat: Float64Array;
  /** The building's use class, or `unknown`. */
  uses: string[];
}

/** Whole buildings (not parts) whose footprints meet a bbox, as points; at most `limit` of them. */
export async function buildingPointsInBbox(
  db: Db,
  bbox: [number, number, number, number],
  limit = 200_000,
): Promise<BuildingPoints> {
  const rows = (
    await db.query<{ lon: number; lat: number; use: string | null }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, use FROM (
         SELECT ST_PointOnSurface(b.footprint) AS p, b.use_class AS use FROM buildings b
         WHERE b.kind = 'building' AND b.footprint && ST_MakeEnvelope($1, $2, $3, $4, 4326)
         ORDER BY b.id LIMIT $5) q`,
      [...bbox, limit],
    )
  ).rows;
  const lonLat = new Float64Array(rows.length * 2);
  rows.forEach((r, i) => {
    lonLat[2 * i] = Number(r.lon);
    lonLat[2 * i + 1] = Number(r.lat);
  });
  return { lonLat, uses: rows.map((r) => r.use ?? 'unknown') };
}

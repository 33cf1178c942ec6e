import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  buildingPointsInBbox,
  type Db,
  getGtfsFeed,
  gtfsRoutesGeoJson,
  gtfsStopsGeoJson,
  listGtfsFeeds,
  loadGtfsFeed,
} from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import {
  assertServiceDate,
  buildTimetable,
  compileSchedule,
  countPointsInBands,
  type DayTrips,
  departuresAt,
  extrapolatePosition,
  ISOCHRONE_DEFAULTS,
  isochrones,
  parseInstant,
  type Schedule,
  serviceTimeOf,
  straightLineWalking,
  type Timetable,
  tripsOnDay,
  vehiclesAt,
  type WalkModel,
} from '@placetwin/transport';
import { LRUCache } from 'lru-cache';
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
import { BBoxSchema, GeometrySchema, ProblemSchema } from '../schemas';
import { parseBboxParam } from './bbox';
import { registerFifteenMinuteRoutes } from './transport-fifteen';
import { type GtfsRealtimeOptions, isLiveFor, startRealtimePoller } from './transport-realtime';

export interface TransportRoutesOptions {
  db: Db;
  /** Poll a GTFS-Realtime VehiclePositions URL for one feed (unset: scheduled positions only, no network). */
  gtfsRealtime?: GtfsRealtimeOptions;
}

/** A feed compiled for queries, kept while it is the current import of its name. */
interface CompiledFeed {
  schedule: Schedule;
  walk: WalkModel;
  /** Stops that trips call at (the ones a band can count), stride 2. */
  usedStopLonLat: Float64Array;
  days: LRUCache<string, { day: DayTrips; timetable: Timetable }>;
}

const FeedParams = Type.Object({
  feed: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'Feed name' }),
});

const FeedSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    source: Type.String(),
    licence: Type.Union([Type.String(), Type.Null()]),
    attribution: Type.Union([Type.String(), Type.Null()]),
    timeZone: Type.String(),
    startDate: Type.Union([Type.String(), Type.Null()]),
    endDate: Type.Union([Type.String(), Type.Null()]),
    bbox: Type.Union([BBoxSchema, Type.Null()]),
    importedAt: Type.String(),
    agencies: Type.Array(Type.String()),
    routes: Type.Integer(),
    trips: Type.Integer(),
    stops: Type.Integer(),
  },
  { title: 'GtfsFeed' },
);

const FeatureCollectionSchema = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      id: Type.Optional(Type.String()),
      geometry: GeometrySchema,
      properties: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});

const DepartureSchema = Type.Object({
  runId: Type.String(),
  tripId: Type.String(),
  routeId: Type.String(),
  routeShortName: Type.Union([Type.String(), Type.Null()]),
  headsign: Type.Union([Type.String(), Type.Null()]),
  time: Type.String({ description: 'GTFS time of day (HH:MM:SS after the service day start)' }),
  departureAt: Type.String({ description: 'ISO 8601 instant (UTC)' }),
});

const BandCountSchema = Type.Object({
  minutes: Type.Integer(),
  stops: Type.Integer({ description: 'stops of the feed that trips call at, inside the band' }),
  buildings: Type.Integer({ description: 'buildings of the twin (any dataset) whose centroid is inside' }),
  buildingsByUse: Type.Record(Type.String(), Type.Integer(), {
    description: 'the same buildings by use class (`unknown` when the source says nothing)',
  }),
});

/** Positions of the stops that at least one trip calls at. */
function usedStops(schedule: Schedule): Float64Array {
  const used = new Set<number>();
  for (const trip of schedule.trips) for (const s of trip.stops) used.add(s);
  const out: number[] = [];
  for (const s of [...used].sort((a, b) => a - b)) {
    const lon = schedule.stopLonLat[2 * s];
    if (Number.isFinite(lon)) out.push(lon, schedule.stopLonLat[2 * s + 1]);
  }
  return Float64Array.from(out);
}

/** The bbox of a band's outer rings. */
function bandBbox(rings: number[][][][]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of rings)
    for (const [x, y] of poly[0]) {
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    }
  return b;
}

const instant = (description: string) =>
  Type.String({ description: `${description}: ISO 8601 with Z or an offset`, maxLength: 40 });

const transportRoutes: FastifyPluginAsyncTypebox<TransportRoutesOptions> = async (
  app,
  { db, gtfsRealtime },
) => {
  const realtime = gtfsRealtime ? startRealtimePoller(gtfsRealtime, { warn: (m) => app.log.warn(m) }) : null;
  app.addHook('onClose', async () => realtime?.stop());

  // Compiled feeds by feed id: a re-import gets a new id, so a stale entry is simply never asked for again.
  const compiled = new LRUCache<number, Promise<CompiledFeed>>({ max: 4 });

  const feedFor = async (name: string): Promise<CompiledFeed> => {
    const summary = await getGtfsFeed(db, name);
    if (!summary) throw notFound(`no GTFS feed named "${name}"`);
    let entry = compiled.get(summary.id);
    if (!entry) {
      entry = (async () => {
        const feed = await loadGtfsFeed(db, name);
        if (!feed) throw notFound(`no GTFS feed named "${name}"`);
        const schedule = compileSchedule(feed);
        return {
          schedule,
          walk: straightLineWalking(schedule.stopLonLat),
          usedStopLonLat: usedStops(schedule),
          days: new LRUCache({ max: 8 }),
        };
      })();
      compiled.set(summary.id, entry);
      entry.catch(() => compiled.delete(summary.id));
    }
    return entry;
  };

  const dayOf = (feed: CompiledFeed, date: string) => {
    let d = feed.days.get(date);
    if (!d) {
      const day = tripsOnDay(feed.schedule, date);
      d = { day, timetable: buildTimetable(feed.schedule, day) };
      feed.days.set(date, d);
    }
    return d;
  };

  registerFifteenMinuteRoutes(app, {
    db,
    feedFor,
    timetableFor: async (name, date) => dayOf(await feedFor(name), date).timetable,
  });

  app.get(
    '/api/transport/realtime',
    {
      schema: {
        tags: ['transport'],
        summary: 'The GTFS-Realtime vehicle positions feed, when one is configured (PLACETWIN_GTFS_RT_URL)',
        response: {
          200: Type.Object({
            configured: Type.Boolean(),
            feed: Type.Union([Type.String(), Type.Null()]),
            host: Type.Union([Type.String(), Type.Null()]),
            pollS: Type.Union([Type.Number(), Type.Null()]),
            lastFetchAt: Type.Union([Type.String(), Type.Null()]),
            lastError: Type.Union([Type.String(), Type.Null()]),
            messageAt: Type.Union([Type.String(), Type.Null()]),
            vehicles: Type.Integer(),
          }),
        },
      },
    },
    async () =>
      realtime
        ? { configured: true, ...realtime.status() }
        : {
            configured: false,
            feed: null,
            host: null,
            pollS: null,
            lastFetchAt: null,
            lastError: null,
            messageAt: null,
            vehicles: 0,
          },
  );

  app.get(
    '/api/transport/feeds',
    {
      schema: {
        tags: ['transport'],
        summary: 'Imported GTFS feeds with their extent, dates and credits',
        response: { 200: Type.Array(FeedSchema) },
      },
    },
    async (request) => listGtfsFeeds(db, await request.area()),
  );

  app.get(
    '/api/transport/feeds/:feed/stops',
    {
      schema: {
        tags: ['transport'],
        summary: 'Stops of a feed as GeoJSON points (by default only those that trips call at)',
        params: FeedParams,
        querystring: Type.Object({
          bbox: Type.Optional(
            Type.String({ maxLength: 200, description: 'west,south,east,north (EPSG:4326)' }),
          ),
          used: Type.Boolean({ default: true, description: 'only stops that trips call at' }),
        }),
        response: { 200: FeatureCollectionSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { feed } = request.params;
      if (!(await getGtfsFeed(db, feed))) throw notFound(`no GTFS feed named "${feed}"`);
      const bbox = request.query.bbox ? parseBboxParam(request.query.bbox) : undefined;
      return gtfsStopsGeoJson(db, feed, { bbox, usedOnly: request.query.used });
    },
  );

  app.get(
    '/api/transport/feeds/:feed/routes',
    {
      schema: {
        tags: ['transport'],
        summary:
          'Routes of a feed as GeoJSON lines (their shapes, or stop-to-stop lines) with names and colours',
        params: FeedParams,
        response: { 200: FeatureCollectionSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { feed } = request.params;
      if (!(await getGtfsFeed(db, feed))) throw notFound(`no GTFS feed named "${feed}"`);
      return gtfsRoutesGeoJson(db, feed);
    },
  );

  app.get(
    '/api/transport/feeds/:feed/stops/:stopId/departures',
    {
      schema: {
        tags: ['transport'],
        summary:
          'Departures from a stop during one day (trips of the day before still running after midnight included)',
        params: Type.Object({ ...FeedParams.properties, stopId: Type.String({ maxLength: 200 }) }),
        querystring: Type.Object({ date: Type.String({ description: 'YYYY-MM-DD', maxLength: 10 }) }),
        response: {
          200: Type.Object({
            feed: Type.String(),
            stopId: Type.String(),
            stopName: Type.Union([Type.String(), Type.Null()]),
            date: Type.String(),
            timeZone: Type.String(),
            departures: Type.Array(DepartureSchema),
          }),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { feed: name, stopId } = request.params;
      const date = assertServiceDate(request.query.date);
      const feed = await feedFor(name);
      const stop = feed.schedule.stopIndex.get(stopId);
      if (stop === undefined) throw notFound(`feed "${name}" has no stop "${stopId}"`);
      const departures = departuresAt(feed.schedule, dayOf(feed, date).day, stopId).map((d) => ({
        runId: d.runId,
        tripId: d.tripId,
        routeId: d.routeId,
        routeShortName: d.routeShortName,
        headsign: d.headsign,
        time: d.time,
        departureAt: new Date(d.departureMs).toISOString(),
      }));
      return {
        feed: name,
        stopId,
        stopName: feed.schedule.stopNames[stop],
        date,
        timeZone: feed.schedule.timeZone,
        departures,
      };
    },
  );

  app.get(
    '/api/transport/feeds/:feed/vehicles',
    {
      schema: {
        tags: ['transport'],
        summary: 'Vehicle positions at an instant, compact: flat [lon, lat, bearing] triples',
        description:
          'Positions are interpolated along each trip’s shape from its timetable (a pure function of time), ' +
          'so a client can ask for any instant of its clock. `positions[3i..3i+2]` belong to `runIds[i]`. When a ' +
          'GTFS-Realtime feed is configured for this feed (PLACETWIN_GTFS_RT_URL) and `t` is near its latest ' +
          'message, the message’s observed positions are served instead (`source: live`).',
        params: FeedParams,
        querystring: Type.Object({ t: instant('The instant') }),
        response: {
          200: Type.Object({
            feed: Type.String(),
            t: Type.String(),
            serviceDate: Type.String(),
            count: Type.Integer(),
            stride: Type.Literal(3),
            positions: Type.Array(Type.Number(), { description: 'lon, lat (6 dp), bearing° (integer)' }),
            runIds: Type.Array(Type.String()),
            routeIds: Type.Array(Type.String()),
            source: Type.Union([Type.Literal('scheduled'), Type.Literal('live')]),
            liveAt: Type.Union([Type.String(), Type.Null()], {
              description: 'when live: the GTFS-Realtime message time',
            }),
          }),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const ms = parseInstant(request.query.t, 't');
      const feed = await feedFor(request.params.feed);
      const live = realtime?.options.feed === request.params.feed ? realtime.latest() : null;
      if (live && isLiveFor(live, ms, realtime!.options.pollMs)) {
        const round = (x: number) => Math.round(x * 1e6) / 1e6;
        return {
          feed: request.params.feed,
          t: new Date(ms).toISOString(),
          serviceDate: serviceTimeOf(ms, feed.schedule.timeZone).date,
          count: live.vehicles.length,
          stride: 3 as const,
          // Dead reckoning from each observation (at most two polls ahead), so the viewer's snapshots move smoothly.
          positions: live.vehicles.flatMap((v) => {
            const p = extrapolatePosition(v, ms, (2 * realtime!.options.pollMs) / 1000);
            return [round(p.lon), round(p.lat), Math.round(v.bearingDeg ?? 0)];
          }),
          runIds: live.vehicles.map((v) => `live:${v.vehicleId ?? v.entityId}`),
          routeIds: live.vehicles.map((v) => v.routeId ?? ''),
          source: 'live' as const,
          liveAt: new Date(live.timestampMs).toISOString(),
        };
      }
      const { date, seconds } = serviceTimeOf(ms, feed.schedule.timeZone);
      const snap = vehiclesAt(feed.schedule, dayOf(feed, date).day, seconds);
      const positions: number[] = [];
      for (let i = 0; i < snap.runs.length; i++)
        positions.push(
          Math.round(snap.lonLat[2 * i] * 1e6) / 1e6,
          Math.round(snap.lonLat[2 * i + 1] * 1e6) / 1e6,
          Math.round(snap.bearingDeg[i]),
        );
      return {
        feed: request.params.feed,
        t: new Date(ms).toISOString(),
        serviceDate: date,
        count: snap.runs.length,
        stride: 3 as const,
        positions,
        runIds: snap.runs.map((r) => r.id),
        routeIds: snap.runs.map((r) => feed.schedule.trips[r.trip].routeId),
        source: 'scheduled' as const,
        liveAt: null,
      };
    },
  );

  app.get(
    '/api/transport/feeds/:feed/isochrones',
    {
      schema: {
        tags: ['transport'],
        summary: 'Walking + public transport isochrones from a point at a departure time (nested bands)',
        description:
          'Earliest arrivals by the Connection Scan Algorithm; each band is the union of walking circles from ' +
          'the places reached (straight-line walking × 1.3 at 1.33 m/s), so smaller bands lie inside larger ones.',
        params: FeedParams,
        querystring: Type.Object({
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          departure: instant('Departure'),
          bands: Type.String({
            default: ISOCHRONE_DEFAULTS.bandsMin.join(','),
            pattern: '^\\d{1,3}(,\\d{1,3}){0,4}$',
            description: 'minutes, comma-separated, at most 5 bands of at most 120 minutes',
          }),
        }),
        response: {
          200: Type.Object({
            type: Type.Literal('FeatureCollection'),
            feed: Type.String(),
            departure: Type.String(),
            origin: Type.Tuple([Type.Number(), Type.Number()]),
            reachedStops: Type.Integer(),
            counts: Type.Array(BandCountSchema, {
              description:
                'What lies inside each band (a point in a smaller band counts in every larger one): stops, and ' +
                'the twin’s buildings by use class where building data covers the area',
            }),
            features: Type.Array(
              Type.Object({
                type: Type.Literal('Feature'),
                geometry: GeometrySchema,
                properties: Type.Object({ minutes: Type.Integer() }),
              }),
            ),
          }),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
      // Each answer is a routing query and a polygon union (~0.1–0.3 s): a stricter limit than the global one.
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (request) => {
      const { lon, lat } = request.query;
      const bandsMin = [...new Set(request.query.bands.split(',').map(Number))].sort((a, b) => a - b);
      if (bandsMin.some((m) => m < 1 || m > 120))
        throw new DataError(
          'invalid-bands',
          `bands must be between 1 and 120 minutes, got ${request.query.bands}`,
        );
      const ms = parseInstant(request.query.departure, 'departure');
      const feed = await feedFor(request.params.feed);
      const { date, seconds } = serviceTimeOf(ms, feed.schedule.timeZone);
      const { arrivals, bands } = isochrones(
        dayOf(feed, date).timetable,
        feed.walk,
        feed.schedule.stopLonLat,
        { lon, lat },
        seconds,
        { bandsMin },
      );
      const horizon = seconds + bandsMin[bandsMin.length - 1] * 60;
      const outer = bands[bands.length - 1];
      const buildings = outer
        ? await buildingPointsInBbox(db, bandBbox(outer.geometry.coordinates))
        : { lonLat: new Float64Array(), uses: [] };
      const stopCounts = countPointsInBands(bands, { lonLat: feed.usedStopLonLat });
      const buildingCounts = countPointsInBands(bands, {
        lonLat: buildings.lonLat,
        categories: buildings.uses,
      });
      return {
        type: 'FeatureCollection' as const,
        feed: request.params.feed,
        departure: new Date(ms).toISOString(),
        origin: [lon, lat] as [number, number],
        reachedStops: Array.from(arrivals.arrivalS).filter((a) => a < horizon).length,
        counts: bands.map((b, i) => ({
          minutes: b.minutes,
          stops: stopCounts[i].total,
          buildings: buildingCounts[i].total,
          buildingsByUse: buildingCounts[i].byCategory,
        })),
        features: bands.map((b) => ({
          type: 'Feature' as const,
          geometry: b.geometry,
          properties: { minutes: b.minutes },
        })),
      };
    },
  );
};

export default transportRoutes;

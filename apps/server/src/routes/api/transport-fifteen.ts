/**
 * The 15-minute city score (`@placetwin/transport` fifteenMinuteScore) for a point and as a map over an area:
 * walking, plus public transport where an imported feed has stops within reach of the point.
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  allPois,
  type Db,
  type FifteenScoreKey,
  fifteenScoreInputs,
  getFifteenScore,
  listGtfsFeeds,
  poiVersion,
  saveFifteenScore,
} from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import {
  ESSENTIAL_SERVICES,
  earliestArrivals,
  FIFTEEN_MINUTE_DEFAULTS,
  fifteenMinuteScore,
  parseInstant,
  type ReachedPoints,
  reachedPoints,
  type Schedule,
  type ServiceIndex,
  scoreGrid,
  scoreGridSize,
  serviceIndex,
  serviceTimeOf,
  type Timetable,
  WALKING_DEFAULTS,
  type WalkModel,
} from '@placetwin/transport';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ProblemSchema } from '../schemas';
import { parseBboxParam } from './bbox';

/** What the score needs of a compiled feed (the transport plugin's cache provides it). */
export interface FeedForScore {
  schedule: Schedule;
  walk: WalkModel;
}

export interface FifteenMinuteDeps {
  db: Db;
  feedFor(name: string): Promise<FeedForScore>;
  timetableFor(name: string, date: string): Promise<Timetable>;
}

/** Most cells one map request may ask for (Rutland at 500 m is ~1,800). */
export const MAX_SCORE_CELLS = 5000;
/** Points further than this outside the bbox of every set of points of interest are not scored. */
const COVERAGE_MARGIN_DEG = 0.01;

const ServiceReachSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  minutes: Type.Union([Type.Number(), Type.Null()], {
    description: 'minutes to the nearest one (in time) when within the limit',
  }),
  count: Type.Integer({ description: 'how many lie within the limit' }),
});

const ModeSchema = Type.Union([Type.Literal('walk'), Type.Literal('walk+transit')], {
  description: '`walk+transit` when a feed has stops within reach, else walking only',
});

const limitQuery = Type.Integer({
  minimum: 5,
  maximum: 60,
  default: FIFTEEN_MINUTE_DEFAULTS.limitMin,
  description: 'minutes, door to door',
});
const feedQuery = Type.Optional(
  Type.String({
    pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
    description: 'GTFS feed to ride; default: any imported feed with stops within reach',
  }),
);
const timeQuery = Type.String({
  maxLength: 40,
  description: 'Departure: ISO 8601 with Z or an offset (the timetable of that day applies)',
});

type Bbox = [number, number, number, number];

const computedAtSchema = Type.String({
  format: 'date-time',
  description:
    'when this score was computed: scores are stored per area, feed and parameters, and reused until the ' +
    "area's points of interest or GTFS feeds are imported again",
});

interface PoiCache {
  version: string;
  services: ServiceIndex;
  /** Where each set has points of interest (west, south, east, north): the areas a score is given for. */
  coverage: Bbox[];
}

export function registerFifteenMinuteRoutes(app: FastifyInstance, deps: FifteenMinuteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // Per council area: a score uses the area's own points of interest and feeds only (the request's area: staff's
  // own, the public's `?council=`), so one area's data never shapes another's answers.
  const poisByArea = new Map<string, Promise<PoiCache>>();

  /**
   * The stored score for the key (computed once, in the table fifteen_scores: shared by every API process and
   * kept over restarts), else `compute()`'s, stored. The response says when it was computed.
   */
  const stored = async <T extends object>(
    key: Omit<FifteenScoreKey, 'inputs'>,
    compute: () => Promise<T>,
  ): Promise<T & { computedAt: string }> => {
    const full = { ...key, inputs: await fifteenScoreInputs(deps.db, key.areaId) };
    const hit =
      (await getFifteenScore<T>(deps.db, full)) ?? (await saveFifteenScore(deps.db, full, await compute()));
    return { ...hit.body, computedAt: hit.computedAt };
  };

  const poisNow = async (areaId: string): Promise<PoiCache> => {
    const version = await poiVersion(deps.db, areaId);
    const current = poisByArea.get(areaId);
    const cached = current ? await current.catch(() => null) : null;
    if (cached && cached.version === version) return cached;
    const pois = (async () => {
      const p = await allPois(deps.db, areaId);
      const bySet = new Map<number, Bbox>();
      p.setIds.forEach((set, i) => {
        const x = p.lonLat[2 * i];
        const y = p.lonLat[2 * i + 1];
        const b = bySet.get(set);
        bySet.set(
          set,
          b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y],
        );
      });
      return {
        version,
        services: serviceIndex({ lonLat: p.lonLat, services: p.services }),
        coverage: [...bySet.values()],
      };
    })();
    poisByArea.set(areaId, pois);
    return pois;
  };

  const covered = (c: PoiCache, lon: number, lat: number) =>
    c.coverage.some(
      (b) =>
        lon >= b[0] - COVERAGE_MARGIN_DEG &&
        lon <= b[2] + COVERAGE_MARGIN_DEG &&
        lat >= b[1] - COVERAGE_MARGIN_DEG &&
        lat <= b[3] + COVERAGE_MARGIN_DEG,
    );

  /**
   * A scorer for one departure instant over an area: for each origin, the places reached (the origin, and stops
   * by public transport where a candidate feed has stops within the limit's walk of it).
   */
  const scorerFor = async (
    ms: number,
    limitMin: number,
    area: [number, number, number, number],
    feedName: string | undefined,
    areaId: string,
  ) => {
    const limitS = limitMin * 60;
    const names = feedName
      ? [feedName]
      : (await listGtfsFeeds(deps.db, areaId))
          .filter(
            (f) =>
              f.bbox &&
              f.bbox[0] <= area[2] &&
              f.bbox[2] >= area[0] &&
              f.bbox[1] <= area[3] &&
              f.bbox[3] >= area[1],
          )
          .map((f) => f.name);
    const feeds = await Promise.all(
      names.map(async (name) => {
        const feed = await deps.feedFor(name);
        const { date, seconds } = serviceTimeOf(ms, feed.schedule.timeZone);
        return { name, feed, seconds, timetable: await deps.timetableFor(name, date) };
      }),
    );
    return (
      lon: number,
      lat: number,
    ): { reached: ReachedPoints; departureS: number; feed: string | null } => {
      for (const f of feeds) {
        if (f.feed.walk.access(lon, lat, limitS).stops.length === 0) continue;
        const arrivals = earliestArrivals(f.timetable, f.feed.walk, { lon, lat }, f.seconds, {
          maxAccessS: limitS,
          maxTravelS: limitS,
        });
        return {
          reached: reachedPoints(arrivals, f.feed.schedule.stopLonLat, { lon, lat }, f.seconds + limitS),
          departureS: f.seconds,
          feed: f.name,
        };
      }
      return {
        reached: { lonLat: Float64Array.from([lon, lat]), arrivalS: Float64Array.from([0]) },
        departureS: 0,
        feed: null,
      };
    };
  };

  const basis =
    'Share of the essential services (ESSENTIAL_SERVICES: food shop, school, GP or health centre, pharmacy, park or ' +
    'green space, post office, library or community centre; after Moreno et al. 2021 and the TCPA 20-minute ' +
    'neighbourhood guide) with at least one OpenStreetMap place reachable within the limit by walking (straight line ' +
    '× 1.3 at 1.33 m/s) and, where a GTFS feed has stops within reach, public transport (CSA earliest arrival).';

  r.get(
    '/api/transport/fifteen-minute',
    {
      schema: {
        tags: ['transport'],
        summary: '15-minute city score of a point at a departure time',
        description: basis,
        querystring: Type.Object({
          lon: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          time: timeQuery,
          limit: limitQuery,
          feed: feedQuery,
        }),
        response: {
          200: Type.Object({
            origin: Type.Tuple([Type.Number(), Type.Number()]),
            time: Type.String(),
            limitMinutes: Type.Integer(),
            mode: ModeSchema,
            feed: Type.Union([Type.String(), Type.Null()]),
            covered: Type.Boolean({ description: 'false: no points-of-interest data covers the point' }),
            score: Type.Union([Type.Number(), Type.Null()], {
              description: 'reachable ÷ total, 0…1; null where no points-of-interest data covers the point',
            }),
            reachable: Type.Integer(),
            total: Type.Integer(),
            services: Type.Array(ServiceReachSchema),
            basis: Type.String(),
            computedAt: computedAtSchema,
          }),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { lon, lat, limit, feed } = request.query;
      const ms = parseInstant(request.query.time, 'time');
      const areaId = await request.area();
      return stored(
        { areaId, kind: 'point', feed: feed ?? null, params: [lon, lat, ms, limit] },
        async () => {
          const poi = await poisNow(areaId);
          const origin = (await scorerFor(ms, limit, [lon, lat, lon, lat], feed, areaId))(lon, lat);
          const s = fifteenMinuteScore(origin.reached, origin.departureS, poi.services, WALKING_DEFAULTS, {
            limitMin: limit,
          });
          const isCovered = covered(poi, lon, lat);
          return {
            origin: [lon, lat] as [number, number],
            time: new Date(ms).toISOString(),
            limitMinutes: limit,
            mode: origin.reached.arrivalS.length > 1 ? ('walk+transit' as const) : ('walk' as const),
            feed: origin.feed,
            covered: isCovered,
            score: isCovered ? s.score : null,
            reachable: s.reachable,
            total: s.total,
            services: s.services,
            basis,
          };
        },
      );
    },
  );

  /** The map's FeatureCollection, computed (for `stored`). */
  const computeMap = async (
    areaId: string,
    bbox: Bbox,
    ms: number,
    cell: number,
    limit: number,
    feed: string | undefined,
  ) => {
    const poi = await poisNow(areaId);
    const score = await scorerFor(ms, limit, bbox, feed, areaId);
    const grid = scoreGrid(bbox, cell);
    const features = [];
    const feedsUsed = new Set<string>();
    let uncovered = 0;
    for (let i = 0; i < grid.cells.length; i++) {
      const lon = grid.centres[2 * i];
      const lat = grid.centres[2 * i + 1];
      if (!covered(poi, lon, lat)) {
        uncovered++;
        continue;
      }
      const o = score(lon, lat);
      if (o.feed) feedsUsed.add(o.feed);
      const s = fifteenMinuteScore(o.reached, o.departureS, poi.services, WALKING_DEFAULTS, {
        limitMin: limit,
      });
      const [w, so, e, no] = grid.cells[i];
      const round = (x: number) => Math.round(x * 1e6) / 1e6;
      features.push({
        type: 'Feature' as const,
        geometry: {
          type: 'Polygon' as const,
          coordinates: [
            [
              [round(w), round(so)],
              [round(e), round(so)],
              [round(e), round(no)],
              [round(w), round(no)],
              [round(w), round(so)],
            ] as [number, number][],
          ],
        },
        properties: {
          score: Math.round(s.score * 1000) / 1000,
          reachable: s.reachable,
          mode: o.reached.arrivalS.length > 1 ? ('walk+transit' as const) : ('walk' as const),
          missing: s.services.filter((x) => x.count === 0).map((x) => x.id),
        },
      });
    }
    const body = {
      type: 'FeatureCollection' as const,
      time: new Date(ms).toISOString(),
      limitMinutes: limit,
      cellM: cell,
      services: ESSENTIAL_SERVICES.map((s) => ({ id: s.id, label: s.label })),
      feeds: [...feedsUsed].sort(),
      uncoveredCells: uncovered,
      features,
      basis,
    };
    return body;
  };

  r.get(
    '/api/transport/fifteen-minute/map',
    {
      schema: {
        tags: ['transport'],
        summary: '15-minute city score over an area: a GeoJSON grid of square cells scored at their centres',
        description: `${basis} Cells outside the points-of-interest data are left out.`,
        querystring: Type.Object({
          bbox: Type.String({ maxLength: 200, description: 'west,south,east,north (EPSG:4326)' }),
          time: timeQuery,
          cell: Type.Integer({ minimum: 100, maximum: 2000, default: 500, description: 'cell size, metres' }),
          limit: limitQuery,
          feed: feedQuery,
        }),
        response: {
          200: Type.Object({
            type: Type.Literal('FeatureCollection'),
            time: Type.String(),
            limitMinutes: Type.Integer(),
            cellM: Type.Integer(),
            services: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
            feeds: Type.Array(Type.String(), { description: 'feeds ridden from at least one cell' }),
            uncoveredCells: Type.Integer({ description: 'cells left out: no points-of-interest data there' }),
            features: Type.Array(
              Type.Object({
                type: Type.Literal('Feature'),
                geometry: Type.Object({
                  type: Type.Literal('Polygon'),
                  coordinates: Type.Array(Type.Array(Type.Tuple([Type.Number(), Type.Number()]))),
                }),
                properties: Type.Object({
                  score: Type.Number(),
                  reachable: Type.Integer(),
                  mode: ModeSchema,
                  missing: Type.Array(Type.String(), { description: 'ids of the services not within reach' }),
                }),
              }),
            ),
            basis: Type.String(),
            computedAt: computedAtSchema,
          }),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
    },
    async (request) => {
      const { cell, limit, feed } = request.query;
      const bbox = parseBboxParam(request.query.bbox) as [number, number, number, number];
      const n = scoreGridSize(bbox, cell);
      if (n > MAX_SCORE_CELLS)
        throw new DataError(
          'too-many-cells',
          `a ${cell} m grid over that bbox has ${n} cells, more than ${MAX_SCORE_CELLS}: use larger cells or a smaller area`,
        );
      const ms = parseInstant(request.query.time, 'time');
      const areaId = await request.area();
      return stored({ areaId, kind: 'map', feed: feed ?? null, params: [bbox, ms, cell, limit] }, () =>
        computeMap(areaId, bbox, ms, cell, limit, feed),
      );
    },
  );
}

/**
 * The sun and building shadows at an instant: `GET /api/solar/position` (NREL SPA) and `GET /api/solar/shadows`
 * (ground shadows of a dataset's buildings over a box, computed in British National Grid metres).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { groundShadows, MAX_SHADOW_REACH_M } from '@placetwin/cli';
import { type Db, getDataset } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { sunPosition } from '@placetwin/solar';
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
import { DatasetNameSchema, GeometrySchema, ProblemSchema } from '../schemas';
import { parseBboxParam } from './bbox';

export interface SolarRoutesOptions {
  db: Db;
}

/** Largest box one shadows request may cover: a town centre (the union of its shadows is the cost). */
export const MAX_SHADOW_BBOX_KM2 = 4;

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 instant from a query parameter: a calendar date and time with `Z` or a UTC offset. A time
 * without one is refused (it names no instant: the server's zone is not the user's), as is a date that does not exist.
 */
export function parseInstantParam(text: string, field: string): number {
  const m = INSTANT.exec(text.trim());
  if (!m)
    throw new DataError(
      'invalid-time',
      `${field} "${text}" is not an ISO 8601 instant such as 2024-03-21T12:00:00Z or 2024-06-21T13:00:00+01:00`,
    );
  if (!m[7])
    throw new DataError(
      'invalid-time',
      `${field} "${text}" has no UTC offset: add Z for UTC or an offset such as +01:00 (UK summer time)`,
    );
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // days in that month of a leap year
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > days || (month === 2 && day === 29 && !leap))
    throw new DataError('invalid-time', `${field} "${text}" is not a calendar date`);
  if (hour > 23 || minute > 59 || second > 59)
    throw new DataError('invalid-time', `${field} "${text}" is not a time of day`);
  const ms = Date.parse(m[7].length === 5 ? text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : text);
  if (!Number.isFinite(ms)) throw new DataError('invalid-time', `${field} "${text}" is not an instant`);
  return ms;
}

const SunPositionSchema = Type.Object(
  {
    azimuthDeg: Type.Number({
      description: 'Topocentric azimuth, degrees clockwise from true north (0–360)',
    }),
    elevationDeg: Type.Number({
      description: "Elevation of the sun's centre above the horizon, no refraction",
    }),
    apparentElevationDeg: Type.Number({
      description:
        'Elevation with standard atmospheric refraction (1013.25 hPa, 10 °C): where the sun is seen',
    }),
  },
  { additionalProperties: false, title: 'SunPosition' },
);

const ShadowsSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        properties: Type.Object({
          areaM2: Type.Number({ description: 'Ground area of this shadow polygon, m²' }),
        }),
        geometry: GeometrySchema,
      }),
    ),
    dataset: Type.String(),
    time: Type.String({ description: 'The instant, UTC' }),
    bbox: Type.Array(Type.Number()),
    sun: Type.Object({
      azimuthDeg: Type.Number(),
      elevationDeg: Type.Number(),
      apparentElevationDeg: Type.Number(),
      aboveHorizon: Type.Boolean({ description: 'False: the sun is down, the whole ground is in shadow' }),
    }),
    shadowLengthPerHeightM: Type.Union([Type.Number(), Type.Null()], {
      description: 'Shadow length per metre of building height, 1/tan(apparent elevation); null at night',
    }),
    shadowBearingDeg: Type.Number({
      description: 'Direction the shadows point, degrees clockwise from true north',
    }),
    buildings: Type.Integer({ description: 'Buildings whose shadows reach the box' }),
    computedIn: Type.Literal('EPSG:27700'),
  },
  { title: 'GroundShadows' },
);

const TIME_DESCRIPTION = 'ISO 8601 instant with Z or an offset, e.g. `2024-03-21T12:00:00Z`';

const solarRoutes: FastifyPluginAsyncTypebox<SolarRoutesOptions> = async (app, { db }) => {
  app.get(
    '/api/solar/position',
    {
      schema: {
        tags: ['solar'],
        summary: 'Where the sun is at an instant, seen from a place (NREL SPA)',
        description:
          "Topocentric azimuth and elevation of the sun's centre by the NREL Solar Position Algorithm (Reda & Andreas 2004/2008, ±0.0003°). `apparentElevationDeg` adds standard refraction (1013.25 hPa, 10 °C).",
        querystring: Type.Object({
          lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, degrees north' }),
          lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, degrees east' }),
          time: Type.String({ maxLength: 64, description: TIME_DESCRIPTION }),
          elevationM: Type.Optional(
            Type.Number({
              minimum: -500,
              maximum: 9000,
              description: 'Height above sea level, metres (default 0)',
            }),
          ),
        }),
        response: { 200: SunPositionSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const { lat, lon, time, elevationM } = request.query;
      const p = sunPosition(parseInstantParam(time, 'time'), { latDeg: lat, lonDeg: lon, elevationM });
      return {
        azimuthDeg: p.azimuthDeg,
        elevationDeg: p.elevationDeg,
        apparentElevationDeg: p.apparentElevationDeg,
      };
    },
  );

  app.get(
    '/api/solar/shadows',
    {
      schema: {
        tags: ['solar'],
        summary: "Ground shadows of a dataset's buildings over a box at an instant, as GeoJSON",
        description: `Computed in British National Grid metres (EPSG:27700) from the buildings' footprints and heights (flat ground, prisms), unioned, clipped to the box, returned in WGS84; the ground under the buildings counts as shadow. Buildings up to ${MAX_SHADOW_REACH_M} m outside the box cast shadows into it. The box may cover at most ${MAX_SHADOW_BBOX_KM2} km².`,
        querystring: Type.Object({
          dataset: DatasetNameSchema,
          time: Type.String({ maxLength: 64, description: TIME_DESCRIPTION }),
          bbox: Type.String({ maxLength: 200, description: 'west,south,east,north in degrees (EPSG:4326)' }),
        }),
        response: { 200: ShadowsSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
    },
    async (request) => {
      const { dataset, time } = request.query;
      const ms = parseInstantParam(time, 'time');
      const bbox = parseBboxParam(request.query.bbox, MAX_SHADOW_BBOX_KM2);
      if (!(await getDataset(db, dataset))) throw notFound(`no dataset named "${dataset}"`);
      return groundShadows(db, { dataset, time: ms, bbox });
    },
  );
};

export default solarRoutes;

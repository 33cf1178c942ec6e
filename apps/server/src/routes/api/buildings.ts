import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { buildingsInBbox, type Db, getBuilding } from '@placetwin/db';
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
import {
  BuildingFeatureCollectionSchema,
  BuildingSchema,
  DatasetNameSchema,
  ProblemSchema,
} from '../schemas';
import { MAX_BBOX_AREA_KM2, parseBboxParam } from './bbox';

export interface BuildingRoutesOptions {
  db: Db;
}

export const DEFAULT_BUILDINGS_LIMIT = 1000;
/** Enough for a whole town in one answer (Rutland has 4,557 buildings), small enough to bound the response. */
export const MAX_BUILDINGS_LIMIT = 100_000;

const buildingRoutes: FastifyPluginAsyncTypebox<BuildingRoutesOptions> = async (app, { db }) => {
  app.get(
    '/api/buildings/:id',
    {
      schema: {
        tags: ['buildings'],
        summary: 'One building with all its attributes, how its height was obtained, and its provenance',
        params: Type.Object({
          id: Type.String({
            pattern: '^[a-z0-9][a-z0-9-]{0,62}:.+$',
            maxLength: 300,
            description: '`<dataset>:<sourceId>`, e.g. `rutland:w123456`',
          }),
        }),
        response: { 200: BuildingSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const building = await getBuilding(db, request.params.id);
      if (!building) throw notFound(`no building with id "${request.params.id}"`);
      return building;
    },
  );

  app.get(
    '/api/buildings',
    {
      schema: {
        tags: ['buildings'],
        summary: 'Buildings whose footprints intersect a bounding box, as a GeoJSON FeatureCollection',
        description: `The box may cover at most ${MAX_BBOX_AREA_KM2} km². Features are ordered by id.`,
        querystring: Type.Object({
          bbox: Type.String({
            description: 'west,south,east,north in degrees (EPSG:4326), e.g. `-0.74,52.66,-0.71,52.68`',
            maxLength: 200,
          }),
          dataset: Type.Optional(DatasetNameSchema),
          limit: Type.Integer({ minimum: 1, maximum: MAX_BUILDINGS_LIMIT, default: DEFAULT_BUILDINGS_LIMIT }),
        }),
        response: { 200: BuildingFeatureCollectionSchema, 400: ProblemSchema },
      },
      // Each answer can be megabytes of geometry: a stricter limit than the global one.
      config: { rateLimit: { max: 300, timeWindow: 60_000 } },
    },
    async (request) => {
      const { dataset, limit } = request.query;
      const bbox = parseBboxParam(request.query.bbox);
      const features = await buildingsInBbox(db, bbox, { dataset, limit });
      return { type: 'FeatureCollection' as const, features, numberReturned: features.length, limit };
    },
  );
};

export default buildingRoutes;

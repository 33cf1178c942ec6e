import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { buildingsByUprn, buildingsInBbox, type Db, getBuilding, uprnsOfBuilding } from '@placetwin/db';
import { UPRN_PATTERN } from '@placetwin/importers';
import Type from 'typebox';
import { HttpProblem, notFound } from '../../plugins/app/problems';
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

/** A building's answer with the UPRNs linked to it. */
const BuildingWithUprnsSchema = Type.Object(
  {
    ...BuildingSchema.properties,
    uprns: Type.Array(
      Type.Object({
        uprn: Type.String({ description: 'Unique Property Reference Number' }),
        source: Type.Union([Type.Literal('osm-tag'), Type.Literal('os-open-uprn')], {
          description: 'OSM `ref:GB:uprn` tag, or OS Open UPRN point in the footprint',
        }),
      }),
      { description: 'UPRNs linked to the building (see README "UPRN links")' },
    ),
  },
  { title: 'Building' },
);

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
        response: { 200: BuildingWithUprnsSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const building = await getBuilding(db, request.params.id);
      if (!building) throw notFound(`no building with id "${request.params.id}"`);
      return { ...building, uprns: await uprnsOfBuilding(db, building.id) };
    },
  );

  app.get(
    '/api/buildings',
    {
      schema: {
        tags: ['buildings'],
        summary:
          'Buildings whose footprints intersect a bounding box, or that a UPRN is linked to, as a GeoJSON FeatureCollection',
        description: `Give \`bbox\` (at most ${MAX_BBOX_AREA_KM2} km²) or \`uprn\` (404 when no building is linked to it). Features are ordered by id.`,
        querystring: Type.Object({
          bbox: Type.Optional(
            Type.String({
              description: 'west,south,east,north in degrees (EPSG:4326), e.g. `-0.74,52.66,-0.71,52.68`',
              maxLength: 200,
            }),
          ),
          uprn: Type.Optional(
            Type.String({
              pattern: UPRN_PATTERN.source,
              description: 'a UPRN (1 to 12 digits, no leading zero), e.g. `100032045137`',
            }),
          ),
          dataset: Type.Optional(DatasetNameSchema),
          limit: Type.Integer({ minimum: 1, maximum: MAX_BUILDINGS_LIMIT, default: DEFAULT_BUILDINGS_LIMIT }),
        }),
        response: { 200: BuildingFeatureCollectionSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
      // Each answer can be megabytes of geometry: a stricter limit than the global one.
      config: { rateLimit: { max: 300, timeWindow: 60_000 } },
    },
    async (request) => {
      const { dataset, limit, uprn } = request.query;
      if (uprn !== undefined) {
        if (request.query.bbox !== undefined)
          throw new HttpProblem(400, 'validation', 'querystring: give either bbox or uprn, not both');
        const areaId = await request.area();
        const features = (await buildingsByUprn(db, uprn, { dataset, areaId })).slice(0, limit);
        if (features.length === 0)
          throw notFound(`no building is linked to UPRN ${uprn}${dataset ? ` in dataset "${dataset}"` : ''}`);
        return { type: 'FeatureCollection' as const, features, numberReturned: features.length, limit };
      }
      if (request.query.bbox === undefined)
        throw new HttpProblem(400, 'validation', 'querystring bbox (or uprn) is required');
      const bbox = parseBboxParam(request.query.bbox);
      const features = await buildingsInBbox(db, bbox, { dataset, limit, areaId: await request.area() });
      return { type: 'FeatureCollection' as const, features, numberReturned: features.length, limit };
    },
  );
};

export default buildingRoutes;

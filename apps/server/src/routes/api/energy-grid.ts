/**
 * The energy layer's grid: import and read substation/feeder networks, and the headroom a portfolio leaves on
 * them. Parsing, assignment and headroom maths are @placetwin/energy's (grid.ts, which states the rule).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  buildingReferencePoints,
  type Db,
  getGridNetwork,
  importGridNetwork,
  listGridNetworks,
} from '@placetwin/db';
import {
  assignBuildings,
  GRID_DEFAULTS,
  type GridAsset,
  gridHeadroom,
  parseGridGeoJson,
} from '@placetwin/energy';
import Type from 'typebox';
import { HttpProblem, notFound } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

export const GridNameSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  description: 'Grid network name (lower-case letters, digits, hyphens)',
});

const GridSummarySchema = Type.Object({
  name: Type.String(),
  source: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  constructed: Type.Boolean({
    description: 'True when positions or capacities are made up (a sample, not real)',
  }),
  attribution: Type.Union([Type.String(), Type.Null()]),
  substations: Type.Integer(),
  feeders: Type.Integer(),
  importedAt: Type.String(),
});

export const GridHeadroomSchema = Type.Object(
  {
    name: Type.String(),
    label: Type.Union([Type.String(), Type.Null()]),
    constructed: Type.Boolean(),
    attribution: Type.Union([Type.String(), Type.Null()]),
    maxRadiusM: Type.Number(),
    rule: Type.String(),
    assets: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.Union([Type.String(), Type.Null()]),
        kind: Type.Union([Type.Literal('substation'), Type.Literal('feeder')]),
        coordinates: Type.Array(Type.Array(Type.Number())),
        capacityKw: Type.Number(),
        baseLoadKw: Type.Number(),
        buildings: Type.Integer(),
        peakKw: Type.Object({ baseline: Type.Number(), shifted: Type.Number() }),
        headroomKw: Type.Object({ baseline: Type.Number(), shifted: Type.Number() }),
      }),
    ),
    assignments: Type.Array(
      Type.Object({
        buildingId: Type.String(),
        assetId: Type.Union([Type.String(), Type.Null()]),
        rule: Type.String(),
        distanceM: Type.Union([Type.Number(), Type.Null()]),
      }),
    ),
    unassigned: Type.Integer(),
  },
  { title: 'GridHeadroom' },
);

export const GRID_RULE =
  'A building is served by the asset its grid:feeder or grid:substation attribute names, else by the nearest substation point or feeder line within maxRadiusM, else by none. Headroom = capacity (kW; kVA × power factor) − base load − the day’s peak of the summed electric load of the modelled buildings it serves (a feeder’s also count at its substation).';

/** Headroom of a stored network of the area under a portfolio's loads (per building, per step). */
export async function portfolioGridHeadroom(
  db: Db,
  areaId: string,
  name: string,
  loads: Map<string, { baselineKw: Float64Array; shiftedKw: Float64Array }>,
  buildings: { id: string; attributes?: Record<string, unknown> }[],
  steps: number,
  maxRadiusM: number = GRID_DEFAULTS.maxRadiusM,
) {
  const g = await getGridNetwork(db, name, areaId);
  if (!g) throw notFound(`no grid network "${name}"`);
  const assets = g.assets as GridAsset[];
  const modelled = buildings.filter((b) => loads.has(b.id));
  const points = await buildingReferencePoints(
    db,
    modelled.map((b) => b.id),
  );
  const assignments = assignBuildings(
    modelled.flatMap((b) => {
      const point = points.get(b.id);
      return point ? [{ id: b.id, point, attributes: b.attributes }] : [];
    }),
    assets,
    { maxRadiusM },
  );
  const byId = new Map(assets.map((a) => [a.id, a]));
  return {
    name,
    label: g.network.label,
    constructed: g.network.constructed,
    attribution: g.network.attribution,
    maxRadiusM,
    rule: GRID_RULE,
    assets: gridHeadroom(assets, assignments, loads, steps).map((h) => ({
      ...h,
      coordinates: (byId.get(h.id) as GridAsset).coordinates,
    })),
    assignments,
    unassigned: assignments.filter((a) => a.assetId === null).length,
  };
}

const gridRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const planners = app.requireRole('planner', 'admin');

  app.get(
    '/api/energy/grids',
    {
      schema: {
        tags: ['energy'],
        summary:
          'Grid networks (substations and feeders) of the caller’s area, imported for the energy layer',
        response: { 200: Type.Array(GridSummarySchema) },
      },
    },
    async (request) => listGridNetworks(db, await request.area()),
  );

  app.get(
    '/api/energy/grids/:name',
    {
      schema: {
        tags: ['energy'],
        summary: 'A grid network as GeoJSON, with its label (a constructed sample says so)',
        params: Type.Object({ name: GridNameSchema }),
        response: {
          200: Type.Object({
            type: Type.Literal('FeatureCollection'),
            properties: GridSummarySchema,
            features: Type.Array(
              Type.Object({
                type: Type.Literal('Feature'),
                id: Type.String(),
                geometry: Type.Object({ type: Type.String(), coordinates: Type.Unknown() }),
                properties: Type.Object({
                  name: Type.Union([Type.String(), Type.Null()]),
                  kind: Type.String(),
                  capacityKw: Type.Number(),
                  rated: Type.Object({
                    value: Type.Number(),
                    unit: Type.String(),
                    powerFactor: Type.Union([Type.Number(), Type.Null()]),
                  }),
                  baseLoadKw: Type.Number(),
                  substationId: Type.Union([Type.String(), Type.Null()]),
                }),
              }),
            ),
          }),
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const g = await getGridNetwork(db, request.params.name, await request.area());
      if (!g) throw notFound(`no grid network "${request.params.name}"`);
      return {
        type: 'FeatureCollection' as const,
        properties: g.network,
        features: g.assets.map((a) => ({
          type: 'Feature' as const,
          id: a.id,
          geometry:
            a.kind === 'substation'
              ? { type: 'Point', coordinates: a.coordinates[0] }
              : { type: 'LineString', coordinates: a.coordinates },
          properties: {
            name: a.name,
            kind: a.kind,
            capacityKw: a.capacityKw,
            rated: a.rated,
            baseLoadKw: a.baseLoadKw,
            substationId: a.substationId,
          },
        })),
      };
    },
  );

  app.post(
    '/api/energy/grids',
    {
      preHandler: planners,
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ['energy'],
        summary:
          'Import a grid network: GeoJSON substations (points) and feeders (lines) with their capacity',
        description:
          'Each feature needs an id and `capacity_kw`, or `capacity_kva` with `power_factor` (0–1]; optional `name`, `base_load_kw` (other load on the asset), and for feeders `substation` (the id it hangs off). Collection `properties.label`/`constructed`/`attribution` are kept and shown. Replaces a network of the same name; a bad feature is a 400 naming it, and nothing is written.',
        querystring: Type.Object({ name: GridNameSchema }),
        body: Type.Object(
          { type: Type.String(), features: Type.Array(Type.Unknown(), { maxItems: 50_000 }) },
          { additionalProperties: true },
        ),
        response: { 201: GridSummarySchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const name = request.query.name;
      const areaId = await request.area();
      const grid = parseGridGeoJson(JSON.stringify(request.body), `${name}.geojson`);
      await importGridNetwork(db, name, grid.assets, {
        source: `${name}.geojson (API upload)`,
        label: grid.label,
        constructed: grid.constructed,
        attribution: grid.attribution,
        areaId,
      });
      const summary = (await listGridNetworks(db, areaId)).find((n) => n.name === name);
      if (!summary) throw new HttpProblem(500, 'internal', 'the network was not stored');
      reply.code(201);
      return summary;
    },
  );
};

export default gridRoutes;

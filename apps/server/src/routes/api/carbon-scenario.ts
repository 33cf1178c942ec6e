/**
 * The carbon of a scenario's development (issue "carbon what-if"): embodied carbon of its new floor area (RIBA 2030
 * Climate Challenge benchmarks by use, overridable), the operational emissions of that floor area from its
 * completion year under a lever set, the car traffic of its new homes (national travel averages, or the site's own
 * figure), and the change to the area's trajectory. Reads follow the scenario's: drafts are staff-only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { developmentImpact, type EmbodiedLevel, homeCarTravel, type NewBuilding } from '@placetwin/carbon';
import { type Db, scenarioIndicators, scenarioOverlayInput } from '@placetwin/db';
import { apply, footprintAreaM2, type ScenarioBuilding, storeysForFloorArea } from '@placetwin/scenario';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { sendProblem } from '../../plugins/app/problem-handler';
import { scenarioAccess } from '../../plugins/app/scenario-access';
import { ProblemSchema } from '../schemas';
import { areaStock, inputsOf, leversNamed, NO_LEVERS, seriesJson } from './carbon';
import { LeverSetNameSchema, QuantitySchema, SeriesSchema } from './carbon-schemas';
import { scenarioProblem } from './scenarios';

export interface CarbonScenarioRoutesOptions {
  db: Db;
}

/** Completion year when none is asked for. */
export const DEFAULT_COMPLETION_YEAR = 2030;

const floorAreaM2 = (b: ScenarioBuilding): number => footprintAreaM2(b.footprint) * storeysForFloorArea(b);

/**
 * The floor area a scenario adds, as buildings for the embodied-carbon model: each added building whole, and the
 * growth of each modified one (a change of use counts its whole floor area as new: it is refitted). Demolitions
 * and shrinking are not credited (their embodied carbon is already spent; their operational saving is left out).
 */
export function newFloorArea(
  baseline: readonly ScenarioBuilding[],
  result: ReturnType<typeof apply>,
  completionYear: number,
): NewBuilding[] {
  const before = new Map(baseline.map((b) => [b.id, b]));
  const after = new Map(result.buildings.map((b) => [b.id, b]));
  const out: NewBuilding[] = [];
  for (const id of result.added) {
    const b = after.get(id);
    if (b) out.push({ id, use: b.use ?? 'unknown', giaM2: floorAreaM2(b), completionYear });
  }
  for (const id of result.modified) {
    const a = before.get(id);
    const b = after.get(id);
    if (!a || !b) continue;
    const grown = b.use !== a.use ? floorAreaM2(b) : floorAreaM2(b) - floorAreaM2(a);
    if (grown > 0) out.push({ id, use: b.use ?? 'unknown', giaM2: grown, completionYear });
  }
  return out;
}

export interface ScenarioCarbonOptions {
  /** A saved lever set of the scenario's dataset; `baseline`: the grid path only. */
  leverSet?: string;
  completionYear?: number;
  embodiedLevel?: EmbodiedLevel;
  /** The site's own car vehicle-km per home per year (else the national averages). */
  carVehicleKmPerHome?: number;
}

/** The carbon of a scenario's development (the route's answer; also printed in committee reports). */
export async function scenarioCarbonImpact(db: Db, id: number, options: ScenarioCarbonOptions = {}) {
  const leverName = options.leverSet ?? NO_LEVERS;
  const completionYear = options.completionYear ?? DEFAULT_COMPLETION_YEAR;
  const embodiedLevel = options.embodiedLevel ?? 'business-as-usual';
  const carVehicleKmPerHome = options.carVehicleKmPerHome;
  const { scenario, changes, baseline } = await scenarioOverlayInput(db, id);
  const dataset = scenario.dataset;
  const levers = await leversNamed(db, dataset, leverName);
  const inputs = await inputsOf(db, dataset);
  const { stock } = await areaStock(db, dataset);
  const buildings = newFloorArea(baseline, apply(baseline, changes), completionYear);
  const homes = Math.max(0, (await scenarioIndicators(db, scenario.id)).delta.homes);
  const travel = homeCarTravel(homes, carVehicleKmPerHome);
  const d = developmentImpact(
    { startYear: inputs.startYear, stock, transport: inputs.transport, other: inputs.other },
    levers,
    { name: scenario.name, buildings, carVehicleKm: travel.carVehicleKm },
    { level: embodiedLevel as EmbodiedLevel },
  );
  return {
    scenarioId: scenario.id,
    dataset,
    name: scenario.name,
    leverSet: leverName,
    completionYear,
    years: d.without.years,
    newFloorAreaM2: buildings.reduce((a, b) => a + b.giaM2, 0),
    homes,
    buildings: d.embodied.buildings.map((b) => ({
      id: b.id,
      use: b.use,
      gia: b.gia,
      intensity: b.intensity,
      embodied: b.embodied,
    })),
    embodied: d.embodied.total,
    carTrips: travel.carTrips,
    carVehicleKm: travel.carVehicleKm,
    embodiedByYear: seriesJson(d.embodiedByYear),
    operationalChange: seriesJson(d.operationalChange),
    transportChange: seriesJson(d.transportChange),
    without: seriesJson(d.without.total),
    with: seriesJson({
      ...d.with.total,
      values: d.with.total.values.map((v, i) => v + d.transportChange.values[i] + d.embodiedByYear.values[i]),
    }),
    cumulativeChange: d.cumulativeChange,
    notes: [
      'Floor area: added buildings whole; modified buildings their growth (a change of use: all of it). Demolitions are not credited.',
      'Operational energy of the new floor area is assumed per m² by use; car traffic from new homes only (jobs and visitors are not counted).',
      '"with" adds the development’s operational, transport and embodied emissions (embodied in its completion year).',
    ],
  };
}

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Query = Type.Object(
  {
    levers: Type.String({ ...LeverSetNameSchema, default: NO_LEVERS }),
    completionYear: Type.Integer({ minimum: 2000, maximum: 2100, default: DEFAULT_COMPLETION_YEAR }),
    embodiedLevel: Type.Union(
      [Type.Literal('business-as-usual'), Type.Literal('2025'), Type.Literal('2030')],
      { default: 'business-as-usual' },
    ),
    carVehicleKmPerHome: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100_000,
        description: "The site's own figure (transport assessment)",
      }),
    ),
  },
  { additionalProperties: false },
);

const ImpactSchema = Type.Object(
  {
    scenarioId: Type.Integer(),
    dataset: Type.String(),
    name: Type.String(),
    leverSet: Type.String(),
    completionYear: Type.Integer(),
    years: Type.Array(Type.Integer()),
    newFloorAreaM2: Type.Number(),
    homes: Type.Number(),
    buildings: Type.Array(
      Type.Object({
        id: Type.String(),
        use: Type.String(),
        gia: QuantitySchema,
        intensity: QuantitySchema,
        embodied: QuantitySchema,
      }),
    ),
    embodied: QuantitySchema,
    carTrips: QuantitySchema,
    carVehicleKm: QuantitySchema,
    embodiedByYear: SeriesSchema,
    operationalChange: SeriesSchema,
    transportChange: SeriesSchema,
    without: SeriesSchema,
    with: SeriesSchema,
    cumulativeChange: QuantitySchema,
    notes: Type.Array(Type.String()),
  },
  { title: 'ScenarioCarbonImpact' },
);

const carbonScenarioRoutes: FastifyPluginAsyncTypebox<CarbonScenarioRoutesOptions> = async (app, { db }) => {
  const access = scenarioAccess(db);
  app.setErrorHandler(async (error, request, reply: FastifyReply) => {
    const problem = scenarioProblem(error, request);
    if (!problem) throw error;
    return sendProblem(reply, problem);
  });

  app.get(
    '/api/scenarios/:id/carbon',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags: ['carbon', 'scenarios'],
        summary: "The carbon of a scenario's development and its change to the area trajectory",
        description:
          'Embodied carbon of the new floor area (RIBA 2030 Climate Challenge by use), its operational emissions from `completionYear` under the lever set (`baseline`: the grid path only), and the car traffic of its new homes (DfT National Travel Survey 2023 and Census 2021 averages, or `carVehicleKmPerHome`). Every number carries its unit and basis.',
        params: Params,
        querystring: Query,
        response: { 200: ImpactSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { levers, completionYear, embodiedLevel, carVehicleKmPerHome } = request.query;
      return scenarioCarbonImpact(db, request.params.id, {
        leverSet: levers,
        completionYear,
        embodiedLevel: embodiedLevel as EmbodiedLevel,
        carVehicleKmPerHome,
      });
    },
  );
};

export default carbonScenarioRoutes;

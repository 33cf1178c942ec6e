/**
 * Carbon what-if for a dataset: baseline inventory from the twin's stock, the area's own inputs, saved lever sets,
 * trajectories against targets and budget, comparison of two lever sets, CSV. Buildings' energy is assumed per m²
 * by use class (`assumedBuildingEnergy` of @placetwin/carbon) until the energy layer provides it.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  assessBudget,
  assessTargets,
  assumedBuildingEnergy,
  CARBON_MODEL_VERSION,
  carbonBaseline,
  compareTrajectories,
  comparisonCsv,
  compileStock,
  DEFAULT_GRID_PATH,
  DESNZ_2023,
  FLOOR_AREA_ENERGY,
  type LeverSet,
  type Series,
  type Trajectory,
  trajectory,
  trajectoryCsv,
  UK_TARGETS,
} from '@placetwin/carbon';
import {
  type CarbonAreaInputs,
  carbonStockBuildings,
  carbonStockVersion,
  type Db,
  deleteLeverSet,
  getCarbonAreaInputs,
  getCarbonResult,
  getDataset,
  getLeverSet,
  listLeverSets,
  saveCarbonAreaInputs,
  saveCarbonResult,
  saveLeverSet,
} from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import Type, { type Static } from 'typebox';
import { HttpProblem, notFound } from '../../plugins/app/problems';
import { DatasetNameSchema, ProblemSchema } from '../schemas';
import {
  AreaInputsSchema,
  BaselineSchema,
  BasisSchema,
  CarbonResultSchema,
  ComparisonSchema,
  LeverSetNameSchema,
  LeverSetRecordSchema,
  LeverSetSchema,
} from './carbon-schemas';

export interface CarbonRoutesOptions {
  db: Db;
}

/** Without saved inputs: the DESNZ factors' year, buildings only, the UK's targets. */
const DEFAULT_START_YEAR = DESNZ_2023.provenance.year;
/** The lever-set name that means "no levers": the baseline with only the grid path applied. */
export const NO_LEVERS = 'baseline';

type CarbonResult = Static<typeof CarbonResultSchema>;
type SeriesJson = { unit: string; basis: Series['basis']; values: (number | null)[] };

export const seriesJson = (s: Series): SeriesJson => ({
  unit: s.unit,
  basis: s.basis,
  values: Array.from(s.values, (v) => (Number.isFinite(v) ? v : null)),
});
const seriesFromJson = (s: SeriesJson): Series => ({
  unit: s.unit,
  basis: s.basis,
  values: Float64Array.from(s.values, (v) => v ?? Number.NaN),
});

function trajectoryJson(t: Trajectory): CarbonResult['trajectory'] {
  return {
    name: t.name,
    years: t.years,
    sectors: {
      domestic: seriesJson(t.sectors.domestic),
      'non-domestic': seriesJson(t.sectors['non-domestic']),
      transport: seriesJson(t.sectors.transport),
      other: seriesJson(t.sectors.other),
    },
    total: seriesJson(t.total),
    gridFactor: seriesJson(t.gridFactor),
    memo: {
      electricityDemandKwh: seriesJson(t.memo.electricityDemandKwh),
      heatPumpKwh: seriesJson(t.memo.heatPumpKwh),
      solarSelfUseKwh: seriesJson(t.memo.solarSelfUseKwh),
      solarExportKwh: seriesJson(t.memo.solarExportKwh),
    },
    assumptions: t.assumptions,
  };
}

function trajectoryFromJson(j: CarbonResult['trajectory']): Trajectory {
  return {
    name: j.name,
    years: j.years,
    sectors: {
      domestic: seriesFromJson(j.sectors.domestic),
      'non-domestic': seriesFromJson(j.sectors['non-domestic']),
      transport: seriesFromJson(j.sectors.transport),
      other: seriesFromJson(j.sectors.other),
    },
    total: seriesFromJson(j.total),
    gridFactor: seriesFromJson(j.gridFactor),
    memo: {
      electricityDemandKwh: seriesFromJson(j.memo.electricityDemandKwh),
      heatPumpKwh: seriesFromJson(j.memo.heatPumpKwh),
      solarSelfUseKwh: seriesFromJson(j.memo.solarSelfUseKwh),
      solarExportKwh: seriesFromJson(j.memo.solarExportKwh),
    },
    assumptions: j.assumptions,
  };
}

const ENERGY_METHOD = `assumed per m² by use class: ${FLOOR_AREA_ENERGY.provenance.note}`;

/** The dataset's stock as the carbon model's input (energy assumed per m² by use class). */
export async function areaStock(db: Db, dataset: string) {
  const buildings = await carbonStockBuildings(db, dataset);
  const assumed = assumedBuildingEnergy(buildings);
  return {
    stock: compileStock(assumed.energy, { file: `dataset ${dataset}` }),
    summary: {
      buildings: buildings.length,
      withEnergy: assumed.energy.length,
      counts: assumed.counts,
      energyMethod: ENERGY_METHOD,
    },
  };
}

export const inputsOf = async (db: Db, dataset: string): Promise<CarbonAreaInputs> =>
  (await getCarbonAreaInputs(db, dataset)) ?? { startYear: DEFAULT_START_YEAR };

async function requireDataset(db: Db, dataset: string): Promise<void> {
  if (!(await getDataset(db, dataset))) throw notFound(`no dataset named "${dataset}"`);
}

export async function leversNamed(db: Db, dataset: string, name: string): Promise<LeverSet> {
  if (name === NO_LEVERS) return { name: 'baseline (grid path only)' };
  const set = await getLeverSet(db, dataset, name);
  if (!set) throw notFound(`dataset "${dataset}" has no lever set "${name}"`);
  return { ...set.levers, name: set.title };
}

/**
 * A trajectory result for a lever set, from the cache when its inputs are unchanged: the hash covers the model
 * version, the stock version (import time and row count), the area inputs and the levers.
 */
async function resultFor(db: Db, dataset: string, label: string, levers: LeverSet): Promise<CarbonResult> {
  const version = await carbonStockVersion(db, dataset);
  if (version === null) throw notFound(`no dataset named "${dataset}"`);
  const inputs = await inputsOf(db, dataset);
  const inputsHash = createHash('sha256')
    .update(JSON.stringify({ model: CARBON_MODEL_VERSION, version, inputs, levers, label }))
    .digest('hex');
  const cached = await getCarbonResult<CarbonResult>(db, dataset, inputsHash);
  if (cached) return cached;
  const { stock, summary } = await areaStock(db, dataset);
  const t = trajectory(
    { startYear: inputs.startYear, stock, transport: inputs.transport, other: inputs.other },
    levers,
  );
  const targets = inputs.targets ?? [UK_TARGETS.uk2035(), UK_TARGETS.ukNetZero2050()];
  const budget = inputs.budget ? assessBudget(t, inputs.budget) : null;
  const result: CarbonResult = {
    dataset,
    leverSet: label,
    inputsHash,
    trajectory: trajectoryJson(t),
    targets: assessTargets(t, targets).map((a) => ({ ...a, line: a.line && seriesJson(a.line) })),
    budget: budget && { ...budget, cumulative: seriesJson(budget.cumulative) },
    stock: summary,
  };
  await saveCarbonResult(db, dataset, inputsHash, result);
  return result;
}

const FormatQuery = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
});
const DatasetParams = Type.Object({ dataset: DatasetNameSchema });
const LeverSetParams = Type.Object({ dataset: DatasetNameSchema, name: LeverSetNameSchema });
const CSV_TYPE = 'text/csv; charset=utf-8';
const CsvSchema = Type.String({ description: 'CSV (RFC 4180): one value per row with its unit and basis' });

const carbonRoutes: FastifyPluginAsyncTypebox<CarbonRoutesOptions> = async (app, { db }) => {
  const tags = ['carbon'];

  app.get(
    '/api/carbon/:dataset/baseline',
    {
      schema: {
        tags,
        summary: 'Baseline inventory by sector (buildings from the twin, transport and other as entered)',
        description:
          'Each line is activity × factor = tCO2e/yr, with unit, basis and source. Building energy is assumed per m² by use class until the energy layer lands.',
        params: DatasetParams,
        response: { 200: BaselineSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { dataset } = request.params;
      await requireDataset(db, dataset);
      const inputs = await inputsOf(db, dataset);
      const { stock, summary } = await areaStock(db, dataset);
      const inventory = carbonBaseline({
        startYear: inputs.startYear,
        stock,
        transport: inputs.transport,
        other: inputs.other,
      });
      return {
        dataset,
        year: inventory.year,
        sectors: inventory.sectors,
        total: inventory.total,
        biogenicOutsideScopes: inventory.biogenicOutsideScopes,
        factors: {
          source: inventory.factorSource,
          licence: DESNZ_2023.provenance.licence,
          attribution: DESNZ_2023.provenance.attribution,
        },
        gridPath: `${DEFAULT_GRID_PATH.name}: ${DEFAULT_GRID_PATH.description}`,
        stock: summary,
      };
    },
  );

  app.get(
    '/api/carbon/:dataset/area',
    {
      schema: {
        tags,
        summary: "The area's own inputs: baseline year, transport, other sectors, targets, budget",
        params: DatasetParams,
        response: { 200: AreaInputsSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      await requireDataset(db, request.params.dataset);
      return inputsOf(db, request.params.dataset);
    },
  );

  app.put(
    '/api/carbon/:dataset/area',
    {
      schema: {
        tags,
        summary: "Replaces the area's own inputs",
        params: DatasetParams,
        body: AreaInputsSchema,
        response: { 200: AreaInputsSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { dataset } = request.params;
      const inputs = request.body as CarbonAreaInputs;
      // Check them the way a trajectory will use them, so nothing unusable is stored.
      const t = trajectory({
        startYear: inputs.startYear,
        stock: compileStock([]),
        transport: inputs.transport,
        other: inputs.other,
      });
      assessTargets(t, inputs.targets ?? []);
      if (inputs.budget) assessBudget(t, inputs.budget);
      if (!(await saveCarbonAreaInputs(db, dataset, inputs))) throw notFound(`no dataset named "${dataset}"`);
      return inputs;
    },
  );

  app.get(
    '/api/carbon/:dataset/lever-sets',
    {
      schema: {
        tags,
        summary: 'Saved lever sets of a dataset',
        params: DatasetParams,
        response: { 200: Type.Array(LeverSetRecordSchema), 404: ProblemSchema },
      },
    },
    async (request) => {
      await requireDataset(db, request.params.dataset);
      return listLeverSets(db, request.params.dataset);
    },
  );

  app.get(
    '/api/carbon/:dataset/lever-sets/:name',
    {
      schema: {
        tags,
        summary: 'One lever set',
        params: LeverSetParams,
        response: { 200: LeverSetRecordSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { dataset, name } = request.params;
      const set = await getLeverSet(db, dataset, name);
      if (!set) throw notFound(`dataset "${dataset}" has no lever set "${name}"`);
      return set;
    },
  );

  app.put(
    '/api/carbon/:dataset/lever-sets/:name',
    {
      schema: {
        tags,
        summary: 'Creates or replaces a lever set',
        description: `"${NO_LEVERS}" is reserved: it means no levers.`,
        params: LeverSetParams,
        body: Type.Object(
          { title: Type.String({ minLength: 1, maxLength: 200 }), levers: LeverSetSchema },
          { additionalProperties: false },
        ),
        response: { 200: LeverSetRecordSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { dataset, name } = request.params;
      if (name === NO_LEVERS)
        throw new HttpProblem(400, 'reserved-name', `"${NO_LEVERS}" is reserved: it means no levers`);
      const levers = request.body.levers as LeverSet;
      const inputs = await inputsOf(db, dataset);
      // Validates every lever against the area's years before anything is stored.
      trajectory({ startYear: inputs.startYear, stock: compileStock([]) }, levers);
      const saved = await saveLeverSet(db, dataset, { name, title: request.body.title, levers });
      if (!saved) throw notFound(`no dataset named "${dataset}"`);
      return saved;
    },
  );

  app.delete(
    '/api/carbon/:dataset/lever-sets/:name',
    {
      schema: {
        tags,
        summary: 'Deletes a lever set',
        params: LeverSetParams,
        response: { 204: Type.Null(), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { dataset, name } = request.params;
      if (!(await deleteLeverSet(db, dataset, name)))
        throw notFound(`dataset "${dataset}" has no lever set "${name}"`);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/carbon/:dataset/lever-sets/:name/trajectory',
    {
      schema: {
        tags,
        summary: `Trajectory to 2050 of a saved lever set ("${NO_LEVERS}": no levers), with targets and budget`,
        params: LeverSetParams,
        querystring: FormatQuery,
        response: { 200: Type.Union([CarbonResultSchema, CsvSchema]), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { dataset, name } = request.params;
      const result = await resultFor(db, dataset, name, await leversNamed(db, dataset, name));
      if (request.query.format === 'csv')
        return reply
          .type(CSV_TYPE)
          .header('content-disposition', `attachment; filename="${dataset}-${name}-trajectory.csv"`)
          .send(trajectoryCsv(trajectoryFromJson(result.trajectory)));
      return result;
    },
  );

  app.post(
    '/api/carbon/:dataset/trajectory',
    {
      schema: {
        tags,
        summary: 'Trajectory of an unsaved lever set (for trying levers before saving them)',
        params: DatasetParams,
        querystring: FormatQuery,
        body: Type.Object({ levers: LeverSetSchema }, { additionalProperties: false }),
        response: {
          200: Type.Union([CarbonResultSchema, CsvSchema]),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const levers = request.body.levers as LeverSet;
      const result = await resultFor(db, request.params.dataset, levers.name ?? 'unsaved', levers);
      if (request.query.format === 'csv')
        return reply.type(CSV_TYPE).send(trajectoryCsv(trajectoryFromJson(result.trajectory)));
      return result;
    },
  );

  app.post(
    '/api/carbon/:dataset/buildings',
    {
      schema: {
        tags,
        summary: 'Operational carbon of every building in one year under a lever set, for colouring a map',
        description:
          'tCO2e/yr per building (parallel arrays in id order) from the same model as the trajectory, with each figure’s basis. Levers apply as expected values, so a building’s figure is an average over the share the levers reach. Buildings without energy (unheated uses) are not listed.',
        params: DatasetParams,
        body: Type.Object(
          {
            levers: Type.Optional(LeverSetSchema),
            year: Type.Optional(
              Type.Integer({ minimum: 1990, maximum: 2100, description: 'Default: the start year' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              dataset: Type.String(),
              year: Type.Integer(),
              unit: Type.Literal('tCO2e/yr'),
              count: Type.Integer(),
              ids: Type.Array(Type.String()),
              tco2e: Type.Array(Type.Number()),
              basis: Type.Array(BasisSchema),
              energyMethod: Type.String(),
              gridPath: Type.String(),
            },
            { title: 'BuildingCarbon' },
          ),
          400: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { dataset } = request.params;
      await requireDataset(db, dataset);
      const inputs = await inputsOf(db, dataset);
      const levers = (request.body.levers ?? {}) as LeverSet;
      const { stock, summary } = await areaStock(db, dataset);
      const t = trajectory({ startYear: inputs.startYear, stock }, levers, { perBuilding: true });
      const year = request.body.year ?? inputs.startYear;
      const k = t.years.indexOf(year);
      if (k < 0)
        throw new DataError(
          'invalid-year',
          `year ${year} is outside the trajectory's years ${t.years[0]}–${t.years.at(-1)}`,
        );
      const per = t.perBuilding;
      if (!per) throw new Error('the trajectory did not return per-building figures');
      const T = t.years.length;
      const names = ['measured', 'modelled', 'assumed'] as const;
      return {
        dataset,
        year,
        unit: 'tCO2e/yr' as const,
        count: per.ids.length,
        ids: [...per.ids],
        tco2e: per.ids.map((_, i) => Math.round(per.tco2e[i * T + k] * 1e4) / 1e4),
        // Emissions are computed from energy, never metered: at best modelled.
        basis: per.ids.map((_, i) => names[Math.max(1, per.basis[i])]),
        energyMethod: summary.energyMethod,
        gridPath: levers.grid
          ? `${levers.grid.name}: ${levers.grid.description}`
          : `${DEFAULT_GRID_PATH.name}: ${DEFAULT_GRID_PATH.description}`,
      };
    },
  );

  app.get(
    '/api/carbon/:dataset/compare',
    {
      schema: {
        tags,
        summary: `Two lever sets side by side: b − a per sector and year ("${NO_LEVERS}" for no levers)`,
        params: DatasetParams,
        querystring: Type.Object({
          a: LeverSetNameSchema,
          b: LeverSetNameSchema,
          format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
        }),
        response: { 200: Type.Union([ComparisonSchema, CsvSchema]), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { dataset } = request.params;
      const { a, b, format } = request.query;
      const [ra, rb] = [
        await resultFor(db, dataset, a, await leversNamed(db, dataset, a)),
        await resultFor(db, dataset, b, await leversNamed(db, dataset, b)),
      ];
      const [ta, tb] = [trajectoryFromJson(ra.trajectory), trajectoryFromJson(rb.trajectory)];
      if (format === 'csv')
        return reply
          .type(CSV_TYPE)
          .header('content-disposition', `attachment; filename="${dataset}-${a}-vs-${b}.csv"`)
          .send(comparisonCsv(ta, tb));
      const c = compareTrajectories(ta, tb);
      return {
        a: c.a,
        b: c.b,
        years: c.years,
        difference: {
          domestic: seriesJson(c.difference.domestic),
          'non-domestic': seriesJson(c.difference['non-domestic']),
          transport: seriesJson(c.difference.transport),
          other: seriesJson(c.difference.other),
          total: seriesJson(c.difference.total),
        },
        cumulativeDifference: c.cumulativeDifference,
      };
    },
  );
};

export default carbonRoutes;

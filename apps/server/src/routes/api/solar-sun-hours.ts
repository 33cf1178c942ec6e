/**
 * Sun-hours maps: `POST /api/solar/sun-hours` starts (or finds) the analysis of an area, which runs in a worker
 * thread; `GET /api/solar/sun-hours/:id` says how far it has got and gives the result, and `:id.png`, `:id.csv`,
 * `:id.geojson` the files. Results are named by the hash of their inputs, so they never change: files are
 * served as immutable.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  checkFormat,
  loadScenarioSunHoursJobs,
  loadSunHoursJob,
  planSunHours,
  type ScenarioSunHoursJobs,
  SUN_HOURS_LEGEND,
  SUN_HOURS_LIMITS,
  type SunHoursFormat,
  type SunHoursReport,
  sunHoursCsv,
  sunHoursGeoJson,
  sunHoursPairCsv,
  sunHoursPairGeoJson,
} from '@placetwin/cli';
import { type Db, getDataset, getScenario, recordArea, ScenarioNotFoundError } from '@placetwin/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { areaParam } from '../../plugins/app/areas';
import { HttpProblem, notFound } from '../../plugins/app/problems';
import { ServerQueue } from '../../server-queue';
import { DatasetNameSchema, ProblemSchema } from '../schemas';
import type { ComparisonRecord } from './solar-compare';
import type { JobView } from './solar-jobs';
import { SunHoursStore } from './solar-store';

export interface SunHoursRoutesOptions {
  db: Db;
  /** Results are kept under `<dataDir>/sun-hours`. */
  dataDir: string;
  /** The app's job queue (when no store is given). */
  queue?: ServerQueue;
  /** The jobs and comparisons, when shared with the committee report (else this plugin makes its own). */
  store?: SunHoursStore;
}

/** How long a POST waits for the answer before replying 202 (a client can ask otherwise with `Prefer: wait=N`). */
export const DEFAULT_WAIT_S = 3;
const MAX_WAIT_S = 60;

const L = SUN_HOURS_LIMITS;

const PositionSchema = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const PolygonSchema = Type.Object(
  {
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(PositionSchema, { minItems: 4, maxItems: L.maxVertices }), {
      minItems: 1,
      maxItems: 100,
    }),
  },
  { description: 'GeoJSON Polygon in WGS84 longitude/latitude (RFC 7946): closed rings, outer ring first' },
);

const SunHoursBodySchema = Type.Object({
  dataset: DatasetNameSchema,
  area: PolygonSchema,
  date: Type.Optional(
    Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: `YYYY-MM-DD, ${L.firstDate} to ${L.lastDate}; default the next 21 March (BRE 209's date)`,
    }),
  ),
  cellSizeM: Type.Optional(
    Type.Number({ description: `Cell size, ${L.minCellM}–${L.maxCellM} m (default 1)` }),
  ),
  stepMinutes: Type.Optional(
    Type.Number({ description: `Time step, ${L.minStepMinutes}–${L.maxStepMinutes} min (default 10)` }),
  ),
  areaName: Type.Optional(
    Type.String({ maxLength: 40, description: 'What the area is, for the sentence: "garden"' }),
  ),
  format: Type.Optional(
    Type.Union(
      ['json', 'geojson', 'csv', 'png'].map((f) => Type.Literal(f)),
      {
        description: 'What to answer with when the result is ready at once (default json)',
      },
    ),
  ),
  scenario: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[1-9][0-9]{0,9}$' })], {
      description:
        'A scenario over the same dataset: the analysis is run for the baseline and with the scenario applied, and `result.comparison` gives both shares, the ratio of the sunlit areas after ÷ before and (on 21 March) the BRE 209 0.8 test. Drafts need a staff session; the public may compare published scenarios only.',
    }),
  ),
});

const LinksSchema = Type.Object({
  self: Type.String(),
  geojson: Type.String(),
  csv: Type.String(),
  png: Type.String({ description: 'One pixel per cell, British National Grid north up' }),
  overlayPng: Type.String({
    description: 'Resampled to longitude/latitude over `result.bbox`, for draping on a globe',
  }),
  beforePng: Type.Optional(Type.String({ description: 'With a scenario: the baseline grid (png is after)' })),
  beforeOverlayPng: Type.Optional(
    Type.String({ description: 'With a scenario: the baseline grid for draping (overlayPng is after)' }),
  ),
});

const JobSchema = Type.Object(
  {
    id: Type.String({
      description: 'First 32 hex digits of the SHA-256 of the inputs (request and buildings)',
    }),
    status: Type.Union([
      Type.Literal('queued'),
      Type.Literal('running'),
      Type.Literal('done'),
      Type.Literal('failed'),
    ]),
    progress: Type.Number({ description: '0–1' }),
    queuedAhead: Type.Integer(),
    error: Type.Union([Type.Object({ type: Type.String(), detail: Type.String() }), Type.Null()]),
    links: LinksSchema,
    result: Type.Optional(
      Type.Unsafe<SunHoursReport>({
        type: 'object',
        additionalProperties: true,
        description:
          "With a scenario the result is the one after (scenario applied) with `before` (the baseline result) and `comparison` {scenario {id, name, status, version}, baselineId, scenarioResultId, shareBefore, shareAfter, areaM2Before, areaM2After, ratio, cells {lostTwoHours, builtOn, gainedTwoHours, lessSun, moreSun}, bre209 {meetsGuidance, meetsTwoHourTest, meetsRatioTest, minRatio} or null off 21 March, sentence}; `sentence` is the comparison's. The GeoJSON and CSV files carry the hours before and after per cell. When done: id, dataset, date, cellSizeM, stepMinutes, areaName, area, location, sunrise, sunset, steps, grid (EPSG:27700 origin, cellM, cols, rows), bbox (WGS84), summary {areaM2, shareAtLeast2h, meanHours, daylightHours, cells}, bre209 {meetsGuidance, meetsTwoHourTest, share} or null off 21 March, sentence, legend [{fromHours, toHours, colour, label}], buildings",
      }),
    ),
  },
  { title: 'SunHoursJob' },
);

/** `Prefer: respond-async` → 0 s; `Prefer: wait=N` → N s (RFC 7240); else the default. */
function preferredWaitS(prefer: string | undefined): { seconds: number; applied: string | null } {
  const p = (prefer ?? '').toLowerCase();
  if (/(^|[,;\s])respond-async\b/.test(p)) return { seconds: 0, applied: 'respond-async' };
  const m = /(^|[,;\s])wait=(\d+)/.exec(p);
  if (m) {
    const seconds = Math.min(MAX_WAIT_S, Number(m[2]));
    return { seconds, applied: `wait=${seconds}` };
  }
  return { seconds: DEFAULT_WAIT_S, applied: null };
}

const REF = /^([0-9a-f]{32})(?:\.(json|geojson|csv|png))?$/;

const sunHoursRoutes: FastifyPluginAsyncTypebox<SunHoursRoutesOptions> = async (
  app,
  { db, dataDir, store, queue },
) => {
  const { jobs, comparisons } = store ?? new SunHoursStore(dataDir, { queue: queue ?? new ServerQueue(db) });
  app.addHook('onClose', async () => jobs.close());

  const base = '/api/solar/sun-hours';
  const links = (id: string) => ({
    self: `${base}/${id}`,
    geojson: `${base}/${id}.geojson`,
    csv: `${base}/${id}.csv`,
    png: `${base}/${id}.png`,
    overlayPng: `${base}/${id}.png?crs=EPSG:4326`,
  });

  const withResult = async (view: JobView) => {
    const body = { ...view, links: links(view.id) };
    if (view.status !== 'done') return body;
    const r = await jobs.result(view.id);
    return r ? { ...body, result: r.report } : body;
  };

  /** A finished job in the asked format. */
  const sendResult = async (
    reply: FastifyReply,
    id: string,
    format: SunHoursFormat,
    crs: 'EPSG:27700' | 'EPSG:4326',
    view: JobView,
  ) => {
    if (format === 'json') return reply.send(await withResult(view));
    const r = await jobs.result(id);
    if (!r) throw notFound(`no sun-hours result ${id}`);
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    if (format === 'png') {
      const image = await jobs.image(id, crs);
      if (!image) throw notFound(`no sun-hours result ${id}`);
      if (image.bbox) reply.header('x-placetwin-bbox', image.bbox.join(','));
      return reply.type('image/png').send(image.png);
    }
    const name = `sun-hours-${r.report.dataset}-${r.report.date}-${id.slice(0, 8)}`;
    if (format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(Readable.from(sunHoursCsv(r.grid)));
    return reply
      .type('application/geo+json')
      .header('content-disposition', `attachment; filename="${name}.geojson"`)
      .send(
        Readable.from(
          sunHoursGeoJson(r.grid, {
            dataset: r.report.dataset,
            date: r.report.date,
            summary: r.report.summary,
            sentence: r.report.sentence,
            legend: SUN_HOURS_LEGEND,
          }),
        ),
      );
  };

  const notReady = (id: string, view: JobView) =>
    new HttpProblem(
      409,
      'not-ready',
      view.status === 'failed'
        ? `sun-hours job ${id} failed: ${view.error?.detail}`
        : `sun-hours job ${id} is ${view.status} (${Math.round(view.progress * 100)}%): ask again when its status is done`,
    );

  /** Staff read every scenario; the public published ones only (a draft is "not found" to them). */
  const mayReadScenario = async (request: FastifyRequest, id: number, missing?: string) => {
    const s = await getScenario(db, id);
    if (!s || (s.status !== 'published' && !(await request.staff())))
      throw notFound(missing ?? `no scenario with id ${id}`);
  };

  /**
   * A result belongs to the area of its dataset (a comparison: of its scenario). For staff, and for the public
   * when the URL names an area (`?council=`), another area's result is "not found", exactly as an unknown id; a
   * public link without `?council=` opens in its own area, as a shared link to a published record does.
   */
  const mustBeOfRequestArea = async (
    request: FastifyRequest,
    owner: { kind: 'dataset'; name: string } | { kind: 'scenario'; id: number },
    missing: string,
  ) => {
    if (areaParam(request.url) === null && !(await request.staff())) return;
    const area =
      owner.kind === 'dataset'
        ? await recordArea(db, 'dataset', owner.name)
        : await recordArea(db, 'scenario', owner.id);
    if (area !== null && area !== (await request.area())) throw notFound(missing);
  };

  const comparisonLinks = (record: ComparisonRecord) => ({
    ...links(record.id),
    png: links(record.afterId).png,
    overlayPng: links(record.afterId).overlayPng,
    beforePng: links(record.baselineId).png,
    beforeOverlayPng: links(record.baselineId).overlayPng,
  });

  /** A comparison as a job: the result after, with the one before and the comparison, once both are done. */
  const withComparison = async (record: ComparisonRecord, view: JobView) => {
    const body = { ...view, links: comparisonLinks(record) };
    if (view.status !== 'done') return body;
    const r = await comparisons.result(record);
    if (!r) return body;
    return {
      ...body,
      result: {
        ...r.after.report,
        sentence: r.comparison.sentence,
        before: r.before.report,
        comparison: r.comparison,
      },
    };
  };

  const sendComparison = async (
    reply: FastifyReply,
    record: ComparisonRecord,
    format: SunHoursFormat,
    crs: 'EPSG:27700' | 'EPSG:4326',
    view: JobView,
  ) => {
    if (format === 'json') return reply.send(await withComparison(record, view));
    if (format === 'png') return sendResult(reply, record.afterId, format, crs, view);
    const r = await comparisons.result(record);
    if (!r) throw notFound(`no sun-hours result ${record.id}`);
    // A draft's comparison is staff-only: no shared cache may keep it (publishing makes a new comparison id).
    reply.header(
      'cache-control',
      `${record.scenario.status === 'published' ? 'public' : 'private'}, max-age=31536000, immutable`,
    );
    const name = `sun-hours-${r.after.report.dataset}-${r.after.report.date}-scenario-${record.scenario.id}-v${record.scenario.version}-${record.id.slice(0, 8)}`;
    if (format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(Readable.from(sunHoursPairCsv(r.before.grid, r.after.grid)));
    return reply
      .type('application/geo+json')
      .header('content-disposition', `attachment; filename="${name}.geojson"`)
      .send(
        Readable.from(
          sunHoursPairGeoJson(r.before.grid, r.after.grid, {
            dataset: r.after.report.dataset,
            date: r.after.report.date,
            comparison: r.comparison,
            legend: SUN_HOURS_LEGEND,
          }),
        ),
      );
  };

  app.post(
    base,
    {
      schema: {
        tags: ['solar'],
        summary: 'Hours of direct sun over an area on one day, on a grid (and the BRE 209 garden test)',
        description: `Runs as a job on the queue (staff see it in GET /api/jobs, with its progress, and may cancel it), worked by the server in a worker thread. Answers 200 with the result when it is ready within ${DEFAULT_WAIT_S} s (at once when the same inputs were computed before), else 202 with the job and a Location to poll. \`Prefer: respond-async\` always answers 202 at once; \`Prefer: wait=N\` waits up to N s. Limits: at most ${L.maxCells.toLocaleString('en-GB')} cells (1 km² at 1 m), ${L.maxAreaKm2} km², cells ${L.minCellM}–${L.maxCellM} m, steps ${L.minStepMinutes}–${L.maxStepMinutes} min, dates ${L.firstDate}–${L.lastDate}.`,
        body: SunHoursBodySchema,
        response: {
          200: JobSchema,
          202: JobSchema,
          400: ProblemSchema,
          404: ProblemSchema,
          503: ProblemSchema,
        },
      },
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const body = request.body;
      const plan = planSunHours(body);
      if (!(await getDataset(db, body.dataset))) throw notFound(`no dataset named "${body.dataset}"`);
      const wait = preferredWaitS(String(request.headers.prefer ?? ''));
      if (wait.applied) reply.header('preference-applied', wait.applied);
      const format = checkFormat(body.format ?? 'json');
      if (body.scenario !== undefined) {
        const scenarioId = Number(body.scenario);
        await mayReadScenario(request, scenarioId);
        let pair: ScenarioSunHoursJobs;
        try {
          pair = await loadScenarioSunHoursJobs(db, plan, scenarioId);
        } catch (e) {
          if (e instanceof ScenarioNotFoundError) throw notFound(e.message);
          throw e;
        }
        const record = await comparisons.save(pair);
        await jobs.submit(pair.baseline);
        await jobs.submit(pair.after, scenarioId);
        const until = Date.now() + wait.seconds * 1000;
        for (const id of [pair.baseline.id, pair.after.id]) await jobs.wait(id, until - Date.now());
        const view = await comparisons.view(record);
        if (!view) throw new Error(`sun-hours comparison ${record.id} lost its jobs`);
        if (view.status === 'failed')
          throw await jobs.failure(
            (await jobs.get(pair.baseline.id))?.status === 'failed' ? pair.baseline.id : pair.after.id,
          );
        if (view.status === 'done') return sendComparison(reply, record, format, 'EPSG:27700', view);
        reply.header('location', links(view.id).self);
        return reply.code(202).send(await withComparison(record, view));
      }
      const input = await loadSunHoursJob(db, plan);
      const submitted = await jobs.submit(input);
      const finished = await jobs.wait(submitted.id, wait.seconds * 1000);
      const view = (await jobs.get(submitted.id)) ?? submitted;
      if (finished && view.status === 'failed') throw await jobs.failure(view.id);
      if (finished && view.status === 'done') return sendResult(reply, view.id, format, 'EPSG:27700', view);
      reply.header('location', links(view.id).self);
      return reply.code(202).send(await withResult(view));
    },
  );

  app.get(
    `${base}/:ref`,
    {
      schema: {
        tags: ['solar'],
        summary: 'A sun-hours job: its progress, then its result; `.png`, `.csv`, `.geojson` for the files',
        params: Type.Object({
          ref: Type.String({
            pattern: REF.source,
            description: 'The job id, optionally with .json, .geojson, .csv or .png',
          }),
        }),
        querystring: Type.Object({
          format: Type.Optional(
            Type.Union([
              Type.Literal('json'),
              Type.Literal('geojson'),
              Type.Literal('csv'),
              Type.Literal('png'),
            ]),
          ),
          crs: Type.Optional(
            Type.Union([Type.Literal('EPSG:27700'), Type.Literal('EPSG:4326')], {
              description: 'For png: EPSG:27700 (default, a pixel per cell) or EPSG:4326 (for draping)',
            }),
          ),
        }),
        response: { 200: JobSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const m = REF.exec(request.params.ref);
      const id = m?.[1] ?? '';
      const format = checkFormat(m?.[2] ?? request.query.format ?? 'json');
      const view = await jobs.get(id);
      if (!view) {
        const record = await comparisons.get(id);
        const compared = record ? await comparisons.view(record) : null;
        if (!record || !compared) throw notFound(`no sun-hours job ${id}`);
        // A draft's comparison is for staff: to the public it does not exist.
        await mayReadScenario(request, record.scenario.id, `no sun-hours job ${id}`);
        await mustBeOfRequestArea(
          request,
          { kind: 'scenario', id: record.scenario.id },
          `no sun-hours job ${id}`,
        );
        if (format === 'json') return reply.send(await withComparison(record, compared));
        if (compared.status !== 'done') throw notReady(id, compared);
        return sendComparison(reply, record, format, request.query.crs ?? 'EPSG:27700', compared);
      }
      const dataset = await jobs.dataset(id);
      if (dataset !== null)
        await mustBeOfRequestArea(request, { kind: 'dataset', name: dataset }, `no sun-hours job ${id}`);
      if (format === 'json') return reply.send(await withResult(view));
      if (view.status !== 'done') throw notReady(id, view);
      return sendResult(reply, id, format, request.query.crs ?? 'EPSG:27700', view);
    },
  );
};

export default sunHoursRoutes;

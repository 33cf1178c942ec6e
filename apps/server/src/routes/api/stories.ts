/**
 * `/api/stories`: committee stories (ordered slides of saved views with a short text) and their PDF report.
 *
 * Reads: staff (admin, planner, councillor) read every story; the public reads published stories whose scenarios
 * are all published, and any other is "not found" to them. Writes: planners and admins, with the session's CSRF
 * token; every edit names the `expectedVersion` it was made on, and a stale one is a 409 with `currentVersion`.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { planSunHours } from '@placetwin/cli';
import {
  createStory,
  type Db,
  deleteStory,
  getStory,
  listDatasets,
  listStories,
  type ScenarioIndicatorsResult,
  StoryConflictError,
  StoryNotFoundError,
  type StoryRecord,
  StoryStateError,
  type StorySunHours,
  scenarioIndicators,
  updateStory,
} from '@placetwin/db';
import { DataError, isDataError } from '@placetwin/geo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { sendProblem } from '../../plugins/app/problem-handler';
import { HttpProblem, type Problem, toProblem } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';
import { areaStockCache, scenarioCarbonImpact } from './carbon-scenario';
import type { ReportSunHours, SunHoursStore } from './solar-store';
import { type ReportCarbon, type ReportSource, storyReportPdf } from './story-report';

/** The figures a report prints from the development's carbon (its default lever set and completion year). */
function reportCarbon(c: Awaited<ReturnType<typeof scenarioCarbonImpact>>): ReportCarbon {
  const at = (series: { values: (number | null)[] }, i: number) => series.values[i] ?? 0;
  const annualYear = 2035;
  const i = c.years.indexOf(annualYear);
  return {
    completionYear: c.completionYear,
    embodiedT: c.embodied.value,
    annualT: i < 0 ? null : at(c.operationalChange, i) + at(c.transportChange, i),
    heatingT: i < 0 ? null : at(c.operationalHeating, i),
    electricityT: i < 0 ? null : at(c.operationalElectricity, i),
    annualYear,
    cumulativeT: c.cumulativeChange.value,
    endYear: c.years[c.years.length - 1],
    vehicleKm: c.carVehicleKm.value,
    basis: c.cumulativeChange.basis,
    sources: [
      ...new Set([
        ...c.buildings.map((b) => `Embodied carbon: ${b.intensity.source ?? ''}`),
        `Car traffic: ${c.carVehicleKm.source ?? ''}`,
        `Operational energy of new floor area: assumed per m² by use (CIBSE TM46:2008; Ofgem TDCV 2023 for homes). Heating: ${c.heatingSupply}. Electricity: the grid factor on its stated path.`,
      ]),
    ],
  };
}

import {
  ConflictProblemSchema,
  DeleteStoryQuery,
  NewStoryBody,
  ReportBody,
  SLIDE_IMAGE_MAX_BYTES,
  StoryIdParams,
  StorySchema,
  StorySummarySchema,
  UpdateStoryBody,
} from './story-schemas';

export interface StoryRoutesOptions {
  db: Db;
  /** Printed in the report's footer. */
  publisher?: string;
  /** The server's sun-hours jobs, for slides that carry a sun-hours request (none: those slides say so). */
  sunHours?: SunHoursStore;
}

/** How long the report waits for a slide's sun-hours result that is not computed yet. */
export const REPORT_SUN_HOURS_WAIT_MS = 60_000;

/**
 * Every slide's sun-hours request checked as the sun-hours API checks it (Great Britain, a simple polygon, the
 * cell limits), so a story never keeps a request the report cannot compute: a 400 naming the slide.
 */
function checkSunHoursRequests(slides: readonly { sunHours?: StorySunHours | null }[] | undefined): void {
  slides?.forEach((s, i) => {
    if (!s.sunHours) return;
    try {
      planSunHours(s.sunHours);
    } catch (e) {
      if (isDataError(e)) throw new DataError(e.type, `slides[${i}].sunHours: ${e.reason}`);
      throw e;
    }
  });
}

const tags = ['stories'];

/** The story errors as problems: 404 unknown (or not public), 409 stale version or not publishable. */
function storyProblem(error: unknown, request: FastifyRequest): Problem | null {
  const ctx = { url: request.url, requestId: String(request.id) };
  if (error instanceof StoryNotFoundError)
    return { ...toProblem(error, ctx), status: 404, title: 'Not Found' };
  if (error instanceof StoryConflictError) {
    return {
      ...toProblem(error, ctx),
      status: 409,
      title: 'Conflict',
      currentVersion: error.currentVersion,
    } as Problem;
  }
  if (error instanceof StoryStateError) return { ...toProblem(error, ctx), status: 409, title: 'Conflict' };
  return null;
}

const PNG = [0x89, 0x50, 0x4e, 0x47];
const JPEG = [0xff, 0xd8, 0xff];

/** A data URL's image bytes, checked to be the PNG or JPEG it claims to be. */
export function slideImage(dataUrl: string | null, index: number): Uint8Array | null {
  if (dataUrl === null) return null;
  const comma = dataUrl.indexOf(',');
  const bytes = Buffer.from(dataUrl.slice(comma + 1), 'base64');
  const magic = dataUrl.startsWith('data:image/png') ? PNG : JPEG;
  if (bytes.length > SLIDE_IMAGE_MAX_BYTES || !magic.every((b, i) => bytes[i] === b)) {
    throw new HttpProblem(
      400,
      'invalid-slide-image',
      `images[${index}] is not a ${magic === PNG ? 'PNG' : 'JPEG'} image of at most ${SLIDE_IMAGE_MAX_BYTES / 1048576} MB`,
    );
  }
  return bytes;
}

const storyRoutes: FastifyPluginAsyncTypebox<StoryRoutesOptions> = async (app, options) => {
  const { db } = options;
  const planners = app.requireRole('planner', 'admin');
  const staff = app.requireRole('admin', 'planner', 'councillor');

  app.setErrorHandler(async (error, request, reply: FastifyReply) => {
    const problem = storyProblem(error, request);
    if (!problem) throw error;
    request.log.info({ problem: problem.type, detail: problem.detail }, 'request rejected');
    return sendProblem(reply, problem);
  });

  // Drafts are staff material: never kept by a shared cache.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/stories')) reply.header('cache-control', 'private, no-store');
  });

  /** The story as this caller may see it: staff any, the public only a public one. */
  const readable = async (request: FastifyRequest, id: number): Promise<StoryRecord> => {
    const publicOnly = (await request.staff()) === null;
    const story = await getStory(db, id, { publicOnly });
    if (!story) throw new StoryNotFoundError(id);
    return story;
  };

  app.get(
    '/api/stories',
    {
      schema: {
        tags,
        summary: 'Stories, most recently changed first (staff: all; the public: published ones)',
        response: { 200: Type.Array(StorySummarySchema) },
      },
    },
    async (request) =>
      listStories(db, { publicOnly: (await request.staff()) === null, areaId: await request.area() }),
  );

  app.get(
    '/api/stories/:id',
    {
      schema: {
        tags,
        summary: 'One story with its slides (a draft is not found for the public)',
        params: StoryIdParams,
        response: { 200: StorySchema, 404: ProblemSchema },
      },
    },
    async (request) => readable(request, request.params.id),
  );

  app.post(
    '/api/stories',
    {
      preHandler: planners,
      schema: {
        tags,
        summary: 'Create a story, in draft (planners, admins)',
        body: NewStoryBody,
        response: { 201: StorySchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const user = (await request.staff())!;
      checkSunHoursRequests(request.body.slides);
      return reply.code(201).send(await createStory(db, request.body, user.id, user.areaId));
    },
  );

  app.patch(
    '/api/stories/:id',
    {
      preHandler: planners,
      schema: {
        tags,
        summary: 'Change a story: title, summary, the whole slide list (reorder, edit, delete) or status',
        description:
          'One write on `expectedVersion`; a stale one is 409 with `currentVersion`. Publishing needs every ' +
          'slide’s scenario published (409 otherwise).',
        params: StoryIdParams,
        body: UpdateStoryBody,
        response: {
          200: StorySchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ConflictProblemSchema,
        },
      },
    },
    async (request) => {
      const { expectedVersion, ...patch } = request.body;
      checkSunHoursRequests(patch.slides);
      return updateStory(db, request.params.id, expectedVersion, patch);
    },
  );

  app.delete(
    '/api/stories/:id',
    {
      preHandler: planners,
      schema: {
        tags,
        summary: 'Delete a story (planners, admins)',
        params: StoryIdParams,
        querystring: DeleteStoryQuery,
        response: {
          204: Type.Null(),
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ConflictProblemSchema,
        },
      },
    },
    async (request, reply) => {
      await deleteStory(db, request.params.id, request.query.expectedVersion);
      return reply.code(204).send(null);
    },
  );

  /** Reads everything the report prints besides the images, and lays it out. */
  const report = async (story: StoryRecord, images: (Uint8Array | null)[], reply: FastifyReply) => {
    const scenarioIds = [...new Set(story.slides.flatMap((s) => (s.scenarioId ? [s.scenarioId] : [])))];
    const indicators = new Map<number, ScenarioIndicatorsResult>();
    const carbon = new Map<number, ReportCarbon>();
    // The area's building stock is read once for the whole report, not once per scenario.
    const stocks = areaStockCache(db);
    for (const id of scenarioIds) {
      indicators.set(id, await scenarioIndicators(db, id));
      carbon.set(id, reportCarbon(await scenarioCarbonImpact(db, id, { stocks })));
    }
    const shown = new Set([...indicators.values()].map((i) => i.dataset));
    const datasets = await listDatasets(db, await reply.request.area());
    for (const d of datasets) {
      if (story.slides.some((s) => s.layers.buildings[d.name] !== false)) shown.add(d.name);
    }
    const sources: ReportSource[] = datasets.filter((d) => shown.has(d.name));
    // One at a time: the sun-hours worker computes one job at once anyway.
    const sunHours: (ReportSunHours | null)[] = [];
    for (const slide of story.slides) {
      const r = slide.sunHours;
      if (!r) sunHours.push(null);
      else if (!options.sunHours)
        sunHours.push({
          status: 'failed',
          areaName: r.areaName,
          date: r.date,
          detail: 'no sun-hours service',
        });
      else sunHours.push(await options.sunHours.forSlide(db, r, REPORT_SUN_HOURS_WAIT_MS));
    }
    const pdf = await storyReportPdf({
      story,
      slides: story.slides.map((slide, i) => ({
        slide,
        image: images[i] ?? null,
        indicators: slide.scenarioId ? (indicators.get(slide.scenarioId) ?? null) : null,
        carbon: slide.scenarioId ? (carbon.get(slide.scenarioId) ?? null) : null,
        sunHours: sunHours[i],
      })),
      sources,
      publisher: options.publisher ?? 'Placetwin',
      generatedAt: new Date(),
    });
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="story-${story.id}-report.pdf"`)
      .send(pdf);
  };

  app.get(
    '/api/stories/:id/report.pdf',
    {
      schema: {
        tags,
        summary: 'The committee report as PDF, without rendered images (whoever may read the story)',
        params: StoryIdParams,
        response: { 200: Type.String({ description: 'application/pdf' }), 404: ProblemSchema },
      },
    },
    async (request, reply) => report(await readable(request, request.params.id), [], reply),
  );

  app.post(
    '/api/stories/:id/report.pdf',
    {
      preHandler: staff,
      bodyLimit: 48 * 1024 * 1024,
      schema: {
        tags,
        summary: 'The committee report as PDF, with the slides’ images rendered by the viewer (staff)',
        description:
          'The viewer renders each slide’s view and sends it as a PNG or JPEG data URL, one per slide in order.',
        params: StoryIdParams,
        body: ReportBody,
        response: {
          200: Type.String({ description: 'application/pdf' }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const story = await readable(request, request.params.id);
      if (request.body.images.length > story.slides.length) {
        throw new HttpProblem(
          400,
          'invalid-slide-image',
          `${request.body.images.length} images for ${story.slides.length} slides`,
        );
      }
      return report(story, request.body.images.map(slideImage), reply);
    },
  );
};

export default storyRoutes;

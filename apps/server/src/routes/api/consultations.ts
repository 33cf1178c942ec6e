/**
 * `/api/consultations` (public) and `/api/staff/consultations` (staff): consultations on published scenarios and
 * the comments residents send.
 *
 * Public routes never look at a session: they read only what `@placetwin/db`'s public queries return (open or
 * closed consultations on published scenarios, approved comments without email addresses). Staff routes all
 * carry `requireRole`: planners and admins manage and moderate; councillors read the summary and the map.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CONSULTATION_LIMITS,
  CommentNotFoundError,
  CommentValidationError,
  ConsultationNotFoundError,
  ConsultationStateError,
  closeConsultation,
  commentSummary,
  commentsByArea,
  consultationFacts,
  createConsultation,
  type Db,
  getConsultation,
  getConsultationsWelsh,
  getPublicConsultation,
  getScenario,
  HONEYPOT_FIELD,
  listComments,
  listConsultations,
  listPublicComments,
  listPublicConsultations,
  moderateComment,
  openConsultation,
  removeExpiredPersonalData,
  type ScenarioRecord,
  setConsultationWelsh,
  submitComment,
  updateConsultation,
} from '@placetwin/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { sendProblem } from '../../plugins/app/problem-handler';
import { HttpProblem, type Problem, toProblem } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';
import { commentsCsv } from './consultations-csv';
import {
  CommentAcceptedSchema,
  CommentFeatureCollectionSchema,
  CommentSchema,
  CommentStatusSchema,
  CommentSummarySchema,
  ConsultationSchema,
  ConsultationStatusSchema,
  IdParams,
  ModerationBody,
  NewCommentBody,
  NewConsultationBody,
  PublicCommentSchema,
  PublicConsultationSchema,
  PublicConsultationSummarySchema,
  UpdateConsultationBody,
} from './consultations-schemas';

export interface CommentRateLimit {
  /** Comments per client address per window. */
  max: number;
  timeWindowMs: number;
}

/**
 * Public comments per client address: 10 per 15 minutes. Enough for a household or a library computer, too few
 * to flood the moderation queue. The HTML form on /consult has its own allowance of the same size.
 */
export const COMMENT_RATE_LIMIT_DEFAULT: CommentRateLimit = { max: 10, timeWindowMs: 15 * 60_000 };

/** How often names and email addresses past their retention period are deleted. */
export const RETENTION_SWEEP_MS = 6 * 3600_000;
export const RETENTION_FIRST_SWEEP_MS = 60_000;

export interface ConsultationRoutesOptions {
  db: Db;
  commentRateLimit?: CommentRateLimit;
  /** How often the retention job runs (first RETENTION_FIRST_SWEEP_MS after start); 0 or absent: never. */
  retentionEveryMs?: number;
}

const tags = ['consultations'];
const staffTags = ['consultations (staff)'];

export const COMMENT_RECEIVED = 'Thank you. Your comment has been received and will appear after moderation.';

/** The consultation errors as problems: 404 unknown, 409 wrong state, 400 per field for invalid comments. */
function consultationProblem(error: unknown, request: FastifyRequest): Problem | null {
  const ctx = { url: request.url, requestId: String(request.id) };
  if (error instanceof ConsultationNotFoundError || error instanceof CommentNotFoundError) {
    return { ...toProblem(error, ctx), status: 404, title: 'Not Found' };
  }
  if (error instanceof ConsultationStateError)
    return { ...toProblem(error, ctx), status: 409, title: 'Conflict' };
  if (error instanceof CommentValidationError) {
    return {
      ...toProblem(error, ctx),
      errors: error.errors.map((e) => ({ in: 'body', field: e.field, reason: e.message })),
    };
  }
  return null;
}

/** The scenario as the public may see it: the overlay only when it was built for the current change set. */
export function publicScenario(s: ScenarioRecord) {
  const current = s.overlay && s.overlay.changesVersion === s.changesVersion ? s.overlay : null;
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    dataset: s.dataset,
    site: s.site,
    publishedAt: s.publishedAt,
    overlayTilesetUrl: current?.tilesetUrl ?? null,
    hiddenBuildingIds: current?.hiddenBuildingIds ?? [],
  };
}

type Pinned = { id: number; point: [number, number] | null };

/** Pinned comments as a GeoJSON FeatureCollection; `properties` picks what each audience may see. */
export function commentFeatures<C extends Pinned, P>(comments: C[], properties: (c: C) => P) {
  return {
    type: 'FeatureCollection' as const,
    features: comments
      .filter((c) => c.point)
      .map((c) => ({
        type: 'Feature' as const,
        id: c.id,
        geometry: { type: 'Point', coordinates: c.point! },
        properties: properties(c),
      })),
  };
}

const consultationRoutes: FastifyPluginAsyncTypebox<ConsultationRoutesOptions> = async (app, options) => {
  const { db } = options;
  const limit = options.commentRateLimit ?? COMMENT_RATE_LIMIT_DEFAULT;
  const staff = app.requireRole('admin', 'planner', 'councillor');
  const planners = app.requireRole('admin', 'planner');

  app.setErrorHandler(async (error, request, reply: FastifyReply) => {
    const problem = consultationProblem(error, request);
    if (!problem) throw error;
    request.log.info({ problem: problem.type, detail: problem.detail }, 'request rejected');
    return sendProblem(reply, problem);
  });

  // Staff answers carry personal data (emails in comments, CSV): never kept by a browser or proxy cache.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/staff/')) reply.header('cache-control', 'no-store');
  });

  const removeExpired = () =>
    removeExpiredPersonalData(db)
      .then((r) => {
        if (r.anonymised || r.rejectedDeleted) app.log.info(r, 'retention: personal data removed');
      })
      .catch((e) => app.log.error({ err: e }, 'retention sweep failed'));
  // First a minute after start (not during it: a starting server has enough to do), then every
  // retentionEveryMs (server.ts: PLACETWIN_RETENTION_HOURS, default 6; off in tests, which run it directly).
  let first: NodeJS.Timeout | undefined;
  let sweep: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    const every = options.retentionEveryMs ?? 0;
    if (every <= 0) return;
    first = setTimeout(() => void removeExpired(), RETENTION_FIRST_SWEEP_MS);
    sweep = setInterval(() => void removeExpired(), every);
    first.unref();
    sweep.unref();
  });
  app.addHook('onClose', async () => {
    clearTimeout(first);
    clearInterval(sweep);
  });

  const publicOne = async (id: number) => {
    const c = await getPublicConsultation(db, id);
    if (!c) throw new ConsultationNotFoundError(id);
    return c;
  };
  const staffOne = async (id: number) => {
    const c = await getConsultation(db, id);
    if (!c) throw new ConsultationNotFoundError(id);
    return c;
  };

  // ---- public ----

  app.get(
    '/api/consultations',
    {
      schema: {
        tags,
        summary: 'Consultations the public can see: open ones (closing soonest first), then closed ones',
        response: { 200: Type.Array(PublicConsultationSummarySchema) },
      },
    },
    async (request) => listPublicConsultations(db, await request.area()),
  );

  app.get(
    '/api/consultations/:id',
    {
      schema: {
        tags,
        summary: 'One public consultation with its published scenario and key facts',
        params: IdParams,
        response: { 200: PublicConsultationSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const c = await publicOne(request.params.id);
      const scenario = await getScenario(db, c.scenarioId);
      if (scenario?.status !== 'published') throw new ConsultationNotFoundError(c.id);
      return { ...c, scenario: publicScenario(scenario), facts: await consultationFacts(db, c.scenarioId) };
    },
  );

  app.get(
    '/api/consultations/:id/comments',
    {
      schema: {
        tags,
        summary: 'Approved comments, oldest first (never pending or rejected ones, never email addresses)',
        params: IdParams,
        response: { 200: Type.Array(PublicCommentSchema), 404: ProblemSchema },
      },
    },
    async (request) => {
      await publicOne(request.params.id);
      return listPublicComments(db, request.params.id);
    },
  );

  app.get(
    '/api/consultations/:id/comments.geojson',
    {
      schema: {
        tags,
        summary: 'Approved comments pinned to a place, as GeoJSON',
        params: IdParams,
        response: { 200: CommentFeatureCollectionSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      await publicOne(request.params.id);
      const comments = await listPublicComments(db, request.params.id);
      reply.type('application/geo+json');
      return commentFeatures(comments, (c) => ({
        name: c.name,
        category: c.category,
        text: c.text,
        createdAt: c.createdAt,
      }));
    },
  );

  app.post(
    '/api/consultations/:id/comments',
    {
      schema: {
        tags,
        summary: 'Send a comment (no account needed). It is published only after moderation.',
        description:
          'Give a name or `anonymous: true`; an email address only if you want a reply (never published). ' +
          `Limited to ${limit.max} comments per ${limit.timeWindowMs / 60_000} minutes per address (429 after).`,
        params: IdParams,
        body: NewCommentBody,
        response: {
          201: CommentAcceptedSchema,
          400: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
          429: ProblemSchema,
        },
      },
      bodyLimit: 16 * 1024,
      config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } },
    },
    async (request, reply) => {
      const body = request.body;
      if (body[HONEYPOT_FIELD]) {
        request.log.info({ consultation: request.params.id }, 'comment refused: honeypot filled in');
        throw new HttpProblem(400, 'comment-refused', 'this comment looks automated and was not accepted');
      }
      const r = await submitComment(db, request.params.id, body);
      return reply.code(201).send({ ...r, message: COMMENT_RECEIVED });
    },
  );

  // ---- staff ----

  app.get(
    '/api/staff/consultations',
    {
      preHandler: staff,
      schema: {
        tags: staffTags,
        summary: 'Every consultation, drafts included, newest first (staff)',
        querystring: Type.Object({ status: Type.Optional(ConsultationStatusSchema) }),
        response: { 200: Type.Array(ConsultationSchema), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => listConsultations(db, { ...request.query, areaId: await request.area() }),
  );

  app.post(
    '/api/staff/consultations',
    {
      preHandler: planners,
      schema: {
        tags: staffTags,
        summary: 'Create a consultation in draft (planners, admins)',
        body: NewConsultationBody,
        response: { 201: ConsultationSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const user = (await request.staff())!;
      return reply.code(201).send(await createConsultation(db, request.body, user.id, user.areaId));
    },
  );

  app.get(
    '/api/staff/consultations/:id',
    {
      preHandler: staff,
      schema: {
        tags: staffTags,
        summary: 'One consultation in any state, with its comment counts (staff)',
        params: IdParams,
        response: { 200: ConsultationSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => staffOne(request.params.id),
  );

  app.patch(
    '/api/staff/consultations/:id',
    {
      preHandler: planners,
      schema: {
        tags: staffTags,
        summary: 'Change a consultation (its scenario only while a draft) (planners, admins)',
        params: IdParams,
        body: UpdateConsultationBody,
        response: {
          200: ConsultationSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          409: ProblemSchema,
        },
      },
    },
    async (request) => updateConsultation(db, request.params.id, request.body),
  );

  // Welsh and English: the planner's title, summary and privacy notice in Welsh, for areas that declare Welsh
  // (null removes one: the Welsh page then shows the English, marked lang="en").
  const welshText = (max: number) => Type.Union([Type.String({ minLength: 1, maxLength: max }), Type.Null()]);
  const WelshFields = {
    titleCy: welshText(CONSULTATION_LIMITS.titleMax),
    summaryCy: welshText(CONSULTATION_LIMITS.summaryMax),
    privacyNoticeCy: welshText(CONSULTATION_LIMITS.privacyNoticeMax),
  };
  app.patch(
    '/api/staff/consultations/:id/welsh',
    {
      preHandler: planners,
      schema: {
        tags: staffTags,
        summary: 'Set the Welsh title, summary and privacy notice of a consultation (planners, admins)',
        params: IdParams,
        body: Type.Partial(Type.Object(WelshFields), { additionalProperties: false }),
        response: {
          200: Type.Object(WelshFields),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await setConsultationWelsh(db, id, request.body))) throw new ConsultationNotFoundError(id);
      const w = (await getConsultationsWelsh(db, [id])).get(id);
      if (!w) throw new ConsultationNotFoundError(id);
      return { titleCy: w.titleCy, summaryCy: w.summaryCy, privacyNoticeCy: w.privacyNoticeCy };
    },
  );

  for (const [action, summary, run] of [
    ['open', 'Open to the public (its scenario must be published) (planners, admins)', openConsultation],
    [
      'close',
      'Close: no more comments; stays public with its approved comments (planners, admins)',
      closeConsultation,
    ],
  ] as const) {
    app.post(
      `/api/staff/consultations/:id/${action}`,
      {
        preHandler: planners,
        schema: {
          tags: staffTags,
          summary,
          params: IdParams,
          response: {
            200: ConsultationSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            404: ProblemSchema,
            409: ProblemSchema,
          },
        },
      },
      async (request) => run(db, request.params.id),
    );
  }

  app.get(
    '/api/staff/consultations/:id/comments',
    {
      preHandler: planners,
      schema: {
        tags: staffTags,
        summary: 'Comments to moderate, with email addresses (planners, admins)',
        params: IdParams,
        querystring: Type.Object({ status: Type.Optional(CommentStatusSchema) }),
        response: {
          200: Type.Array(CommentSchema),
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      await staffOne(request.params.id);
      return listComments(db, request.params.id, request.query);
    },
  );

  app.get(
    '/api/staff/consultations/:id/comments.geojson',
    {
      preHandler: staff,
      schema: {
        tags: staffTags,
        summary: 'Every pinned comment with its status, as GeoJSON (no names or email addresses) (staff)',
        params: IdParams,
        response: {
          200: CommentFeatureCollectionSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      await staffOne(request.params.id);
      const comments = await listComments(db, request.params.id);
      reply.type('application/geo+json');
      return commentFeatures(comments, (c) => ({
        category: c.category,
        status: c.status,
        text: c.text,
        createdAt: c.createdAt,
      }));
    },
  );

  app.get(
    '/api/staff/consultations/:id/summary',
    {
      preHandler: staff,
      schema: {
        tags: staffTags,
        summary: 'Comment counts by category and status, and by where they are pinned (staff)',
        params: IdParams,
        response: { 200: CommentSummarySchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      await staffOne(request.params.id);
      const [summary, byArea] = await Promise.all([
        commentSummary(db, request.params.id),
        commentsByArea(db, request.params.id),
      ]);
      return { ...summary, byArea };
    },
  );

  app.get(
    '/api/staff/consultations/:id/comments.csv',
    {
      preHandler: planners,
      schema: {
        tags: staffTags,
        summary: 'Every comment as CSV (UTF-8, RFC 4180), with email addresses (planners, admins)',
        params: IdParams,
        response: {
          200: Type.String({ description: 'text/csv' }),
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const c = await staffOne(request.params.id);
      const csv = commentsCsv(await listComments(db, c.id));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="consultation-${c.id}-comments.csv"`)
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.post(
    '/api/staff/comments/:id/moderation',
    {
      preHandler: planners,
      schema: {
        tags: staffTags,
        summary: 'Approve a comment (it becomes public) or reject it (planners, admins)',
        params: IdParams,
        body: ModerationBody,
        response: {
          200: CommentSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const user = (await request.staff())!;
      return moderateComment(db, request.params.id, request.body.decision, user.id);
    },
  );
};

export default consultationRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { jobsSchema, listJobs } from '@placetwin/cli';
import type { Db } from '@placetwin/db';
import Type from 'typebox';
import { ProblemSchema } from '../schemas';

export interface JobRoutesOptions {
  db: Db;
  /** The job queue's schema (PLACETWIN_JOBS_SCHEMA); default from the environment. */
  jobsSchema?: string;
}

const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'tile (plans a run), tile-cell (one quadtree cell), tile-finish' }),
  state: Type.Enum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed']),
  dataset: Type.Union([Type.String(), Type.Null()]),
  retries: Type.Integer({ minimum: 0 }),
  retryLimit: Type.Integer({ minimum: 0 }),
  createdAt: Type.String(),
  progress: Type.Optional(
    Type.Object({
      done: Type.Integer({ minimum: 0 }),
      total: Type.Integer({ minimum: 0 }),
      runState: Type.Enum(['running', 'done', 'cancelled', 'failed']),
    }),
  ),
});

/** Staff: the job queue (tiling runs with their progress, retries and failures). */
const jobRoutes: FastifyPluginAsyncTypebox<JobRoutesOptions> = async (app, options) => {
  const staff = app.requireRole('admin', 'planner', 'councillor');
  app.get(
    '/api/jobs',
    {
      preHandler: staff,
      schema: {
        tags: ['jobs'],
        summary:
          'Queued and recent jobs (staff): tile runs with cells built / in all, and cell jobs retrying or failed',
        querystring: Type.Object({
          all: Type.Optional(Type.Boolean({ description: 'every cell job too' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: {
          200: Type.Object({
            queue: Type.Enum(['postgresql', 'inline'], {
              description: 'inline: the embedded database runs jobs in the process that asks for them',
            }),
            jobs: Type.Array(JobSchema),
          }),
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      const jobs = await listJobs(options.db, {
        schema: options.jobsSchema ?? jobsSchema(),
        cells: request.query.all ?? false,
        limit: request.query.limit,
      });
      return { queue: options.db.kind === 'server' ? ('postgresql' as const) : ('inline' as const), jobs };
    },
  );
};

export default jobRoutes;

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { cancelJob, jobsSchema, listJobs, queueAdmin, retryJob } from '@placetwin/cli';
import { StaffJobRefused, type StaffJobs } from '@placetwin/consult';
import type { Db } from '@placetwin/db';
import { isDataError } from '@placetwin/geo';
import Type from 'typebox';
import { HttpProblem } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

export interface JobRoutesOptions {
  db: Db;
  /** The job queue's schema (PLACETWIN_JOBS_SCHEMA); default from the environment. */
  jobsSchema?: string;
}

export const JobSchema = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['import', 'sun-hours', 'tile', 'tile-cell', 'tile-finish'], {
    description:
      'import (a file into a dataset), sun-hours (a grid analysis), tile (plans a run), tile-cell (one quadtree cell), tile-finish',
  }),
  state: Type.Enum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed']),
  areaId: Type.String(),
  dataset: Type.Union([Type.String(), Type.Null()]),
  file: Type.Union([Type.String(), Type.Null()]),
  retries: Type.Integer({ minimum: 0 }),
  retryLimit: Type.Integer({ minimum: 0 }),
  createdAt: Type.String(),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()], { description: 'the last attempt’s error message' }),
  progress: Type.Optional(
    Type.Object({
      phase: Type.String({
        description: 'parse, write, done (imports); compute (sun hours); cells (tile runs)',
      }),
      done: Type.Integer({ minimum: 0 }),
      total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
      unit: Type.String({ description: 'features, bytes, strips, cells' }),
      runState: Type.Optional(Type.Enum(['running', 'done', 'cancelled', 'failed'])),
    }),
  ),
});

/** A DataError of the job commands as the API's answer: another area's job is "not found", as a missing one. */
function jobProblem(e: unknown): unknown {
  if (!isDataError(e)) return e;
  if (e.type === 'unknown-job' || e.type === 'invalid-job-id')
    return new HttpProblem(404, 'unknown-job', e.message);
  if (e.type === 'job-ended' || e.type === 'job-not-retryable')
    return new HttpProblem(409, e.type, e.message);
  if (e.type === 'jobs-need-postgresql') return new HttpProblem(404, 'unknown-job', e.message);
  return e;
}

/** Cancels or retries a job of `areaId` (in the queue's `schema`): the one way the API and the staff page act. */
async function act(db: Db, schema: string, verb: 'cancel' | 'retry', id: string, areaId: string) {
  const boss = queueAdmin(db, schema);
  if (verb === 'cancel')
    return { id, state: 'cancelled', cancelled: await cancelJob(db, boss, id, schema, areaId) };
  return { id, state: await retryJob(db, boss, id, schema, areaId) };
}

/** The job queue for the consultation site's staff Jobs page, over the same functions as these routes. */
export function staffJobs(db: Db, schema?: string): StaffJobs {
  const queueSchema = () => schema ?? jobsSchema();
  const page = async (verb: 'cancel' | 'retry', areaId: string, id: string) => {
    try {
      await act(db, queueSchema(), verb, id, areaId);
      return true;
    } catch (e) {
      const p = jobProblem(e);
      if (p instanceof HttpProblem && p.status === 404) return false;
      if (p instanceof HttpProblem && p.status === 409) throw new StaffJobRefused((e as Error).message);
      throw e;
    }
  };
  return {
    // The API server's own jobs (sun hours, uploaded imports) are queued on both databases.
    list: async (areaId) => ({
      queue: true,
      jobs: await listJobs(db, { schema: queueSchema(), areaId }),
    }),
    cancel: (areaId, id) => page('cancel', areaId, id),
    retry: (areaId, id) => page('retry', areaId, id),
  };
}

/**
 * Staff: the job queue of their own area (imports and tiling runs with their progress, retries and failures),
 * and Cancel and Retry for planners and admins. Jobs carry their area; another area's job is not found.
 */
const jobRoutes: FastifyPluginAsyncTypebox<JobRoutesOptions> = async (app, options) => {
  const staff = app.requireRole('admin', 'planner', 'councillor');
  const operators = app.requireRole('admin', 'planner');
  const schema = () => options.jobsSchema ?? jobsSchema();
  app.get(
    '/api/jobs',
    {
      preHandler: staff,
      schema: {
        tags: ['jobs'],
        summary:
          'Queued and recent jobs of the caller’s area (staff): imports with features done, tile runs with cells built / in all, and cell jobs retrying or failed',
        querystring: Type.Object({
          all: Type.Optional(Type.Boolean({ description: 'every cell job too' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: {
          200: Type.Object({
            queue: Type.Enum(['postgresql', 'inline'], {
              description:
                'inline: the embedded database (CLI imports and tiling run in the command; the API server queues and works its own jobs, sun hours and uploads, in its process)',
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
        schema: schema(),
        cells: request.query.all ?? false,
        limit: request.query.limit,
        areaId: await request.area(),
      });
      return { queue: options.db.kind === 'server' ? ('postgresql' as const) : ('inline' as const), jobs };
    },
  );

  const action = (verb: 'cancel' | 'retry', summary: string) =>
    app.post(
      `/api/jobs/:id/${verb}`,
      {
        preHandler: operators,
        schema: {
          tags: ['jobs'],
          summary,
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          response: {
            200: Type.Object({
              id: Type.String(),
              state: Type.String({ description: 'the job’s state now' }),
              cancelled: Type.Optional(
                Type.Integer({ description: 'jobs cancelled (a tile run’s cells too)' }),
              ),
            }),
            401: ProblemSchema,
            403: ProblemSchema,
            404: ProblemSchema,
            409: ProblemSchema,
          },
        },
      },
      async (request) => {
        try {
          return await act(options.db, schema(), verb, request.params.id, await request.area());
        } catch (e) {
          throw jobProblem(e);
        }
      },
    );
  action(
    'cancel',
    'Cancel a job of the caller’s area (planners, admins): a running import stops and writes nothing; a tile job cancels its run',
  );
  action(
    'retry',
    'Run a failed or cancelled import, sun-hours or tile job of the caller’s area again (planners, admins)',
  );
};

export default jobRoutes;

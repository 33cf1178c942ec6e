/**
 * The "Jobs" page for staff, under `/consult/staff/jobs`: their own area's queued and recent jobs (imports,
 * tiling runs) with state, progress and attempts, and, for planners and admins, Cancel and Retry buttons. The
 * buttons post (with the session's CSRF token, checked by `guard`) to this site, which acts through the same
 * functions as `POST /api/jobs/:id/cancel` and `/retry`, given by the server (`StaffJobs`): another area's job is
 * not found, a job that cannot be cancelled or retried says why.
 */
import type { Role, SessionUser } from '@placetwin/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatNumber, ukDateTime } from './format';
import { type Render, renderError } from './render';

/** One job as the page shows it (the fields of @placetwin/cli's JobRow it needs). */
export interface StaffJob {
  id: string;
  kind: string;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  dataset: string | null;
  file: string | null;
  retries: number;
  retryLimit: number;
  createdAt: string;
  error: string | null;
  progress?: { phase: string; done: number; total: number | null; unit: string; runState?: string };
}

/** Why a job could not be cancelled or retried: shown to the member of staff as it is. */
export class StaffJobRefused extends Error {}

/** The job queue, as the server gives it to the staff pages (all scoped to one area). */
export interface StaffJobs {
  /** The area's latest jobs, newest first; `queue: false` when the install has no queue. */
  list(areaId: string): Promise<{ queue: boolean; jobs: StaffJob[] }>;
  /** Cancels the area's job; false when the area has no such job; StaffJobRefused when it has ended. */
  cancel(areaId: string, id: string): Promise<boolean>;
  /** Runs the area's failed or cancelled job again; false when no such job; StaffJobRefused when it cannot. */
  retry(areaId: string, id: string): Promise<boolean>;
}

export interface JobPagesOptions {
  jobs: StaffJobs;
  /** The staff pages' path (e.g. `/consult/staff`). */
  staff: string;
  render: Render;
  guard: (request: FastifyRequest, reply: FastifyReply, roles: Role[]) => Promise<SessionUser | null>;
  staffContext: (user: SessionUser) => Record<string, unknown>;
  /** Thrown for a job that is not found (the site's 404 page). */
  notFound: () => Error;
}

const STAFF: Role[] = ['admin', 'planner', 'councillor'];
const OPERATORS: Role[] = ['admin', 'planner'];
const KIND_WORDS: Record<string, string> = {
  import: 'Import',
  'sun-hours': 'Sun hours',
  tile: 'Tiling',
  'tile-cell': 'Tiling (one cell)',
  'tile-finish': 'Tiling (tileset.json)',
};
const STATE_WORDS: Record<StaffJob['state'], { text: string; colour: string }> = {
  created: { text: 'Queued', colour: 'grey' },
  retry: { text: 'Waiting to retry', colour: 'yellow' },
  active: { text: 'Running', colour: 'blue' },
  completed: { text: 'Done', colour: 'green' },
  cancelled: { text: 'Cancelled', colour: 'orange' },
  failed: { text: 'Failed', colour: 'red' },
};
const NOTICES: Record<string, string> = { cancel: 'cancelled', retry: 'queued to run again' };
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const progressWords = (p: StaffJob['progress']): string => {
  if (!p) return 'Not started';
  const of = p.total === null ? '' : ` of ${formatNumber(p.total)}`;
  return `${formatNumber(p.done)}${of} ${p.unit} (${p.runState ?? p.phase})`;
};

export async function jobPages(app: FastifyInstance, options: JobPagesOptions): Promise<void> {
  const { jobs, staff, render, guard, staffContext } = options;
  const home = `${staff}/jobs`;

  app.get('/staff/jobs', { schema: { hide: true } }, async (request, reply) => {
    const user = await guard(request, reply, STAFF);
    if (!user) return reply;
    const { queue, jobs: rows } = await jobs.list(user.areaId);
    const q = request.query as { done?: string; job?: string };
    const operator = OPERATORS.includes(user.role);
    return render(request, reply, 'staff-jobs.njk', {
      ...staffContext(user),
      pageTitle: 'Jobs (staff)',
      backLink: { href: staff, text: 'All consultations' },
      queue,
      notice:
        q.done && NOTICES[q.done] && q.job && JOB_ID.test(q.job) ? `Job ${q.job} ${NOTICES[q.done]}.` : null,
      operator,
      rows: rows.map((j) => ({
        id: j.id,
        kind: KIND_WORDS[j.kind] ?? j.kind,
        what: j.dataset ?? '',
        file: j.file,
        state: STATE_WORDS[j.state],
        progress: progressWords(j.progress),
        attempts: `${formatNumber(j.retries + 1)} (up to ${formatNumber(j.retryLimit + 1)})`,
        created: ukDateTime(j.createdAt),
        error: j.error,
        cancelHref:
          operator && !['completed', 'cancelled', 'failed'].includes(j.state)
            ? `${home}/${j.id}/cancel`
            : null,
        retryHref:
          operator &&
          (j.kind === 'import' || j.kind === 'tile') &&
          (j.state === 'failed' || j.state === 'cancelled')
            ? `${home}/${j.id}/retry`
            : null,
      })),
    });
  });

  const idParams = {
    type: 'object',
    properties: { id: { type: 'string', maxLength: 64 } },
    required: ['id'],
  } as const;

  for (const verb of ['cancel', 'retry'] as const) {
    app.post(
      `/staff/jobs/:id/${verb}`,
      { schema: { hide: true, params: idParams } },
      async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
        const user = await guard(request, reply, OPERATORS);
        if (!user) return reply;
        const id = request.params.id.toLowerCase();
        if (!JOB_ID.test(id)) throw options.notFound();
        try {
          if (!(await jobs[verb](user.areaId, id))) throw options.notFound();
        } catch (e) {
          if (!(e instanceof StaffJobRefused)) throw e;
          return renderError(render, request, reply, staffContext(user), {
            title: verb === 'cancel' ? 'This job cannot be cancelled' : 'This job cannot be run again',
            lines: [e.message],
            backLink: { href: home, text: 'Jobs' },
          });
        }
        return reply.redirect(`${home}?done=${verb}&job=${id}`, 303);
      },
    );
  }
}

/**
 * Staff pages of the consultation site, under `/consult/staff`: sign-in, every consultation with its comment
 * counts, one consultation's summary (by category and status, by area) with a map of the pinned comments and
 * the CSV export, and the moderation queue with Approve and Reject buttons.
 *
 * Who may do what follows the JSON API (`/api/staff/…`): councillors, planners and admins see the list, the
 * summary and the map; only planners and admins see the comments themselves (with email addresses), moderate
 * them and export them. The public is sent to sign in (pages) or refused (forms). Every form that changes
 * something carries the session's CSRF token in `_csrf` (the synchronizer token the API takes in
 * `x-csrf-token`); the sign-in form carries a token bound to a short-lived cookie (double submit), so no other
 * site can sign anyone in.
 */
import {
  COMMENT_CATEGORIES,
  COMMENT_STATUSES,
  CommentNotFoundError,
  type CommentStatus,
  commentSummary,
  commentsByArea,
  csrfTokenMatches,
  type Db,
  getConsultation,
  getDataset,
  getScenario,
  listComments,
  listConsultations,
  moderateComment,
  type Role,
  type SessionUser,
} from '@placetwin/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CATEGORY_LABELS, formatNumber, paragraphs, ukDate, ukDateTime } from './format';
import { jobPages, type StaffJobs } from './jobs';
import { geometryBbox } from './places';
import { privacyPages } from './privacy';
import type { Render } from './render';

/** How the site signs staff in and out: given by the server, which owns the session cookie. */
export interface StaffAuth {
  /** The signed-in staff member (with their session's CSRF token), or null. */
  user(request: FastifyRequest): Promise<SessionUser | null>;
  /** Checks the password; on success starts a session (sets its cookie) and returns who signed in. */
  signIn(
    request: FastifyRequest,
    reply: FastifyReply,
    email: string,
    password: string,
  ): Promise<SessionUser | null>;
  /** Ends the session everywhere and clears its cookie. */
  signOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** A new token for the sign-in form, also set in a short-lived cookie. */
  issueSignInToken(reply: FastifyReply): string;
  /** Whether the form's token is the one in the sign-in cookie. */
  signInTokenMatches(request: FastifyRequest, token: unknown): boolean;
}

export const CSRF_FIELD = '_csrf';
const STAFF_ROLES: Role[] = ['admin', 'planner', 'councillor'];
const MODERATORS: Role[] = ['admin', 'planner'];
const ROLE_NAMES: Record<Role, string> = { admin: 'admin', planner: 'planner', councillor: 'councillor' };
const STATUS_WORDS: Record<CommentStatus, string> = {
  pending: 'Awaiting moderation',
  approved: 'Approved',
  rejected: 'Rejected',
};
const AREA_WORDS = {
  site: 'On the site of the proposal',
  nearby: 'Within 250 metres of the site',
  further: 'Further away',
  unpinned: 'Not pinned to a place',
} as const;

export interface StaffPagesOptions {
  db: Db;
  auth: StaffAuth;
  /** The site's path (e.g. `/consult`). */
  base: string;
  render: Render;
  basemapTiles: string;
  /** Sign-in attempts per minute per address through the form (the API has its own allowance). */
  signInPerMinute: number;
  /** The job queue (the Jobs page); absent → no such page. */
  jobs?: StaffJobs;
}

type FormBody = Record<string, string | undefined>;

class NotFound extends Error {}

export async function staffPages(app: FastifyInstance, options: StaffPagesOptions): Promise<void> {
  const { db, auth, base, render } = options;
  const staff = `${base}/staff`;
  const signInHref = `${staff}/sign-in`;

  // Staff pages hold personal data: never kept by a browser or proxy cache.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith(staff)) reply.header('cache-control', 'no-store');
  });

  const refuse = (request: FastifyRequest, reply: FastifyReply, title: string, lines: string[]) =>
    render(request, reply, 'error.njk', { pageTitle: title, lines, staffArea: true }, 403);

  /**
   * The signed-in member of staff if they may do this, else the answer has been sent: to the sign-in page (a
   * page of the public), or a 403 page (another role, a form without the session's token).
   */
  const guard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    roles: Role[],
  ): Promise<SessionUser | null> => {
    const user = await auth.user(request);
    if (!user) {
      if (request.method === 'GET') {
        reply.redirect(`${signInHref}?next=${encodeURIComponent(request.url)}`, 303);
      } else refuse(request, reply, 'Sign in to do this', ['Your session has ended. Sign in and try again.']);
      return null;
    }
    if (!roles.includes(user.role)) {
      refuse(request, reply, 'You cannot see this page', [
        `This page is for ${roles.map((r) => `${ROLE_NAMES[r]}s`).join(' and ')}. You are signed in as a ${ROLE_NAMES[user.role]}.`,
      ]);
      return null;
    }
    if (request.method !== 'GET') {
      const body = (request.body ?? {}) as FormBody;
      if (!csrfTokenMatches(user.csrfToken, body[CSRF_FIELD])) {
        refuse(request, reply, 'This form has expired', [
          'Go back, reload the page and try again. Nothing was changed.',
        ]);
        return null;
      }
    }
    return user;
  };

  const staffContext = (user: SessionUser) => ({
    staffUser: { name: user.displayName, role: ROLE_NAMES[user.role] },
    csrfToken: user.csrfToken,
    csrfField: CSRF_FIELD,
    signOutHref: `${staff}/sign-out`,
    staffHome: staff,
    staffArea: true,
  });

  /** Only paths inside the staff pages: never somewhere else after sign-in (open redirect). */
  const safeNext = (next: unknown) =>
    typeof next === 'string' &&
    /^\/[\w\-/?=&%.]*$/.test(next) &&
    next.startsWith(`${staff}`) &&
    !next.startsWith('//')
      ? next
      : staff;

  // ---- sign in and out ----

  const signInPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormBody,
    errors: { field: string; message: string }[] = [],
    status = 200,
  ) =>
    render(
      request,
      reply,
      'staff-sign-in.njk',
      {
        pageTitle: 'Sign in',
        staffArea: true,
        actionHref: signInHref,
        form: { email: form.email, next: safeNext(form.next) },
        token: auth.issueSignInToken(reply),
        errors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
        errorList: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
      },
      errors.length ? status : 200,
    );

  app.get(
    '/staff/sign-in',
    { schema: { hide: true } },
    async (request: FastifyRequest<{ Querystring: { next?: string } }>, reply) => {
      if (await auth.user(request)) return reply.redirect(safeNext(request.query.next), 303);
      return signInPage(request, reply, { next: request.query.next });
    },
  );

  app.post(
    '/staff/sign-in',
    {
      schema: { hide: true },
      config: { rateLimit: { max: options.signInPerMinute, timeWindow: 60_000 } },
    },
    async (request: FastifyRequest<{ Body: FormBody }>, reply) => {
      const form: FormBody = typeof request.body === 'object' && request.body ? request.body : {};
      if (!auth.signInTokenMatches(request, form.token)) {
        return signInPage(
          request,
          reply,
          form,
          [{ field: 'email', message: 'The sign-in form expired: sign in again' }],
          403,
        );
      }
      const errors: { field: string; message: string }[] = [];
      const email = (form.email ?? '').trim();
      if (!email) errors.push({ field: 'email', message: 'Enter your email address' });
      if (!form.password) errors.push({ field: 'password', message: 'Enter your password' });
      if (errors.length) return signInPage(request, reply, form, errors, 400);
      const user = await auth.signIn(request, reply, email, form.password!);
      if (!user) {
        request.log.info('staff sign-in refused');
        return signInPage(
          request,
          reply,
          form,
          [
            { field: 'email', message: 'Enter a correct email address and password' },
            { field: 'password', message: 'Enter a correct email address and password' },
          ],
          401,
        );
      }
      return reply.redirect(safeNext(form.next), 303);
    },
  );

  app.post('/staff/sign-out', { schema: { hide: true } }, async (request, reply) => {
    const user = await guard(request, reply, STAFF_ROLES);
    if (!user) return reply;
    await auth.signOut(request, reply);
    return reply.redirect(signInHref, 303);
  });

  // ---- consultations ----

  app.get('/staff', { schema: { hide: true } }, async (request, reply) => {
    const user = await guard(request, reply, STAFF_ROLES);
    if (!user) return reply;
    const all = await listConsultations(db, { areaId: user.areaId });
    return render(request, reply, 'staff-list.njk', {
      ...staffContext(user),
      pageTitle: 'Consultations (staff)',
      jobsHref: options.jobs ? `${staff}/jobs` : null,
      rows: all.map((c) => ({
        href: `${staff}/${c.id}`,
        title: c.title,
        status: c.status,
        scenario: c.scenarioName,
        closes: ukDate(c.closesAt),
        pending: formatNumber(c.comments.pending),
        approved: formatNumber(c.comments.approved),
        rejected: formatNumber(c.comments.rejected),
      })),
    });
  });

  const idParams = {
    type: 'object',
    properties: { id: { type: 'integer', minimum: 1 } },
    required: ['id'],
  } as const;

  const consultationOf = async (id: number) => {
    const c = await getConsultation(db, id);
    if (!c) throw new NotFound();
    return c;
  };

  app.get(
    '/staff/:id',
    { schema: { hide: true, params: idParams } },
    async (request: FastifyRequest<{ Params: { id: number } }>, reply) => {
      const user = await guard(request, reply, STAFF_ROLES);
      if (!user) return reply;
      const c = await consultationOf(request.params.id);
      const [summary, areas, scenario, dataset] = await Promise.all([
        commentSummary(db, c.id),
        commentsByArea(db, c.id),
        getScenario(db, c.scenarioId),
        getDataset(db, c.dataset),
      ]);
      const moderator = MODERATORS.includes(user.role);
      const siteBox = scenario?.site ? geometryBbox(scenario.site) : null;
      return render(request, reply, 'staff-consultation.njk', {
        ...staffContext(user),
        pageTitle: `${c.title} (staff)`,
        backLink: { href: staff, text: 'All consultations' },
        c: { ...c, closesText: ukDateTime(c.closesAt), opensText: ukDateTime(c.opensAt) },
        publicHref: c.status === 'draft' ? null : `${base}/${c.id}`,
        moderator,
        moderationHref: `${staff}/${c.id}/comments`,
        csvHref: `/api/staff/consultations/${c.id}/comments.csv`,
        summary,
        categoryRows: COMMENT_CATEGORIES.map((cat) => [
          { text: CATEGORY_LABELS[cat] },
          { text: formatNumber(summary.byCategory[cat].total), format: 'numeric' },
          ...COMMENT_STATUSES.map((s) => ({
            text: formatNumber(summary.byCategory[cat][s]),
            format: 'numeric',
          })),
        ]),
        areaRows: (Object.keys(AREA_WORDS) as (keyof typeof AREA_WORDS)[]).map((k) => [
          { text: AREA_WORDS[k] },
          { text: formatNumber(areas[k]), format: 'numeric' },
        ]),
        map:
          dataset?.bbox && summary.withPoint > 0
            ? {
                bounds: JSON.stringify(dataset.bbox),
                focus: JSON.stringify(siteBox ?? dataset.bbox),
                outline: scenario?.site ? JSON.stringify(scenario.site) : '',
                tiles: options.basemapTiles,
                attribution: dataset.attribution ?? '',
                comments: `/api/staff/consultations/${c.id}/comments.geojson`,
              }
            : null,
        mapAssets: Boolean(dataset?.bbox && summary.withPoint > 0),
      });
    },
  );

  app.get(
    '/staff/:id/comments',
    {
      schema: {
        hide: true,
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: [...COMMENT_STATUSES] },
            done: { type: 'string', enum: ['approved', 'rejected'] },
            comment: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    async (
      request: FastifyRequest<{
        Params: { id: number };
        Querystring: { status?: CommentStatus; done?: 'approved' | 'rejected'; comment?: number };
      }>,
      reply,
    ) => {
      const user = await guard(request, reply, MODERATORS);
      if (!user) return reply;
      const c = await consultationOf(request.params.id);
      const status = request.query.status ?? 'pending';
      const comments = await listComments(db, c.id, { status });
      const { done, comment } = request.query;
      return render(request, reply, 'staff-comments.njk', {
        ...staffContext(user),
        pageTitle: `${STATUS_WORDS[status]}: ${c.title} (staff)`,
        backLink: { href: `${staff}/${c.id}`, text: 'Back to the summary' },
        c,
        status,
        statusWords: STATUS_WORDS[status],
        notice: done && comment ? `Comment ${comment} ${done}.` : null,
        filters: COMMENT_STATUSES.map((s) => ({
          href: `${staff}/${c.id}/comments?status=${s}`,
          text: `${STATUS_WORDS[s]} (${formatNumber(c.comments[s])})`,
          current: s === status,
        })),
        comments: comments.map((m) => ({
          id: m.id,
          name: m.name ?? 'Anonymous',
          email: m.email,
          categoryLabel: CATEGORY_LABELS[m.category],
          sentText: ukDateTime(m.createdAt),
          point: m.point ? `${m.point[1].toFixed(5)}, ${m.point[0].toFixed(5)}` : null,
          paragraphs: paragraphs(m.text),
          moderatedText: m.moderatedAt
            ? `${ukDateTime(m.moderatedAt)}${m.moderatedBy ? ` by ${m.moderatedBy}` : ''}`
            : null,
          actionHref: `${staff}/comments/${m.id}/moderation`,
          canApprove: m.status !== 'approved',
          canReject: m.status !== 'rejected',
        })),
      });
    },
  );

  app.post(
    '/staff/comments/:id/moderation',
    { schema: { hide: true, params: idParams } },
    async (request: FastifyRequest<{ Params: { id: number }; Body: FormBody }>, reply) => {
      const user = await guard(request, reply, MODERATORS);
      if (!user) return reply;
      const form = request.body ?? {};
      const decision = form.decision;
      if (decision !== 'approve' && decision !== 'reject') {
        return render(
          request,
          reply,
          'error.njk',
          { pageTitle: 'There is a problem with your request', lines: ['Choose Approve or Reject.'] },
          400,
        );
      }
      let m: Awaited<ReturnType<typeof moderateComment>>;
      try {
        m = await moderateComment(db, request.params.id, decision, user.id);
      } catch (e) {
        if (e instanceof CommentNotFoundError) throw new NotFound();
        throw e;
      }
      const back = COMMENT_STATUSES.find((s) => s === form.back) ?? 'pending';
      return reply.redirect(
        `${staff}/${m.consultationId}/comments?status=${back}&done=${m.status}&comment=${m.id}`,
        303,
      );
    },
  );

  // ---- personal data (admins: the data protection officer's view) ----
  await privacyPages(app, { db, staff, render, guard, staffContext });

  // ---- jobs (imports, tiling) of the member's area ----
  if (options.jobs) {
    await jobPages(app, {
      jobs: options.jobs,
      staff,
      render,
      guard,
      staffContext,
      notFound: () => new NotFound(),
    });
  }
}

export { NotFound as StaffPageNotFound };

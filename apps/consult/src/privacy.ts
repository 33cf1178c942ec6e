/**
 * The "Personal data" pages for admins (the data protection officer's view), under `/consult/staff/privacy`:
 * what personal data the install holds (per consultation and for staff), the retention settings per area with
 * each consultation's next due date, the privacy log, and subject access and erasure by email address (with a
 * confirmation step). The email address travels only in form bodies (POST), never in a URL, so it does not reach
 * access logs or browser history. Every form carries the session's CSRF token (checked by `guard`).
 */
import {
  type Db,
  eraseSubject,
  LastAdminError,
  listPrivacyLog,
  normaliseSubjectEmail,
  type PrivacyLogEntry,
  privacyInventory,
  type Role,
  type SessionUser,
  subjectData,
  userActor,
} from '@placetwin/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CATEGORY_LABELS, formatNumber, plural, ukDate, ukDateTime } from './format';
import { type Render, renderError } from './render';

export interface PrivacyPagesOptions {
  db: Db;
  /** The staff pages' path (e.g. `/consult/staff`). */
  staff: string;
  render: Render;
  guard: (request: FastifyRequest, reply: FastifyReply, roles: Role[]) => Promise<SessionUser | null>;
  staffContext: (user: SessionUser) => Record<string, unknown>;
}

type FormBody = Record<string, string | undefined>;

const ADMINS: Role[] = ['admin'];
const LOG_SHOWN = 50;

const ACTION_WORDS: Record<PrivacyLogEntry['action'], string> = {
  'anonymise-comment': 'Comment anonymised',
  'delete-comment': 'Comment deleted',
  'delete-session': 'Expired sign-in session deleted',
  'delete-user': 'Staff account deleted',
  'export-subject': 'Personal data looked up or exported',
};
const REASON_WORDS: Record<string, string> = {
  'retention-period-ended': 'Retention period ended',
  'session-expired': 'Session expired',
  'erasure-request': 'Erasure request',
  'subject-access-request': 'Subject access request',
};
const STATUS_WORDS: Record<string, string> = {
  pending: 'Awaiting moderation',
  approved: 'Approved',
  rejected: 'Rejected',
};
const POLICY_CHOICES = ['area', 'keep', 'delete'] as const;

export async function privacyPages(app: FastifyInstance, options: PrivacyPagesOptions): Promise<void> {
  const { db, staff, render, guard, staffContext } = options;
  const home = `${staff}/privacy`;
  const backLink = { href: home, text: 'Personal data' };

  app.get('/staff/privacy', { schema: { hide: true } }, async (request, reply) => {
    const user = await guard(request, reply, ADMINS);
    if (!user) return reply;
    const [inv, log] = await Promise.all([
      privacyInventory(db, new Date(), user.areaId),
      listPrivacyLog(db, { limit: LOG_SHOWN, areaId: user.areaId }),
    ]);
    const q = request.query as { erased?: string; kept?: string; deleted?: string; account?: string };
    const notice =
      q.erased === '1'
        ? `Erased: ${plural(Number(q.kept) || 0, 'approved comment')} kept as text only, ` +
          `${plural(Number(q.deleted) || 0, 'comment')} deleted` +
          (q.account === '1' ? ', and the staff account deleted.' : '.')
        : null;
    const totals = inv.consultations.reduce(
      (t, c) => ({
        names: t.names + c.withName,
        emails: t.emails + c.withEmail,
        points: t.points + c.withPoint,
      }),
      { names: 0, emails: 0, points: 0 },
    );
    return render(request, reply, 'staff-privacy.njk', {
      ...staffContext(user),
      pageTitle: 'Personal data (staff)',
      backLink: { href: staff, text: 'All consultations' },
      notice,
      totals: {
        names: plural(totals.names, 'comment'),
        emails: plural(totals.emails, 'comment'),
        points: plural(totals.points, 'comment'),
        staff: formatNumber(inv.staff.accounts),
        disabled: formatNumber(inv.staff.disabled),
        sessions: formatNumber(inv.staff.liveSessions),
        roles: Object.entries(inv.staff.byRole)
          .map(([r, n]) => `${formatNumber(n)} ${r}${n === 1 ? '' : 's'}`)
          .join(', '),
      },
      consultations: inv.consultations.map((c) => ({
        title: c.title,
        href: `${staff}/${c.id}`,
        area: c.areaId,
        comments: formatNumber(c.comments),
        names: formatNumber(c.withName),
        emails: formatNumber(c.withEmail),
        points: formatNumber(c.withPoint),
        retention: `${formatNumber(c.retentionDays)} days${c.retentionFromArea ? ' (area default)' : ''}`,
        due: c.dueAt
          ? Date.parse(c.dueAt) <= Date.now()
            ? `${ukDate(c.dueAt)} (due: removed at the next run)`
            : ukDate(c.dueAt)
          : 'Not yet (a draft)',
      })),
      areas: inv.areas.map((a) => ({
        name: a.name,
        id: a.id,
        retention: `${formatNumber(a.retentionDays)} days after a consultation closes`,
        erasure: a.eraseKeepsApprovedText
          ? 'Keep the text of approved comments, without name, email or place'
          : 'Delete the comments',
        contact: a.privacyContact ?? 'Not set',
      })),
      log: log.map((e) => ({
        at: ukDateTime(e.at),
        action: ACTION_WORDS[e.action] ?? e.action,
        record: e.recordId === null ? '' : `${e.recordType} ${e.recordId}`,
        area: e.areaId ?? '',
        reason: REASON_WORDS[e.reason] ?? e.reason,
        actor: e.actor === 'retention-job' ? 'Retention job' : e.actor,
      })),
      logShown: LOG_SHOWN,
      subjectHref: `${home}/subject`,
      apiLogHref: '/api/admin/privacy/log?limit=1000',
    });
  });

  /** The email address from a form, or the form again with the error. */
  const emailOf = (form: FormBody): string | { error: string } => {
    try {
      return normaliseSubjectEmail(form.email);
    } catch (e) {
      if ((e as Error).name === 'DataError')
        return { error: 'Enter an email address in the correct format, like name@example.org' };
      throw e;
    }
  };

  const findPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    user: SessionUser,
    form: FormBody,
    error: string,
  ) =>
    render(
      request,
      reply,
      'staff-privacy-find.njk',
      {
        ...staffContext(user),
        pageTitle: 'Find a person’s data (staff)',
        backLink,
        actionHref: `${home}/subject`,
        email: form.email ?? '',
        error,
      },
      400,
    );

  app.post('/staff/privacy/subject', { schema: { hide: true } }, async (request, reply) => {
    const user = await guard(request, reply, ADMINS);
    if (!user) return reply;
    const form = (request.body ?? {}) as FormBody;
    const email = emailOf(form);
    if (typeof email !== 'string') return findPage(request, reply, user, form, email.error);
    const data = await subjectData(db, email, userActor(user.id), user.areaId);
    return render(request, reply, 'staff-privacy-subject.njk', {
      ...staffContext(user),
      pageTitle: 'A person’s data (staff)',
      backLink,
      email: data.email,
      comments: data.comments.map((m) => ({
        id: m.id,
        consultation: m.consultationTitle,
        consultationHref: `${staff}/${m.consultationId}`,
        area: m.areaId,
        name: m.name ?? 'Anonymous',
        category: CATEGORY_LABELS[m.category as keyof typeof CATEGORY_LABELS] ?? m.category,
        status: STATUS_WORDS[m.status] ?? m.status,
        sent: ukDateTime(m.createdAt),
        pinned: m.point ? 'Yes' : 'No',
        text: m.text,
      })),
      account: data.staffAccount && {
        ...data.staffAccount,
        created: ukDateTime(data.staffAccount.createdAt),
        disabled: data.staffAccount.disabledAt ? ukDateTime(data.staffAccount.disabledAt) : null,
        sessions: formatNumber(data.staffAccount.sessions.length),
      },
      exportHref: `${home}/export`,
      eraseHref: `${home}/erase`,
    });
  });

  app.post('/staff/privacy/export', { schema: { hide: true } }, async (request, reply) => {
    const user = await guard(request, reply, ADMINS);
    if (!user) return reply;
    const form = (request.body ?? {}) as FormBody;
    const email = emailOf(form);
    if (typeof email !== 'string') return findPage(request, reply, user, form, email.error);
    const data = await subjectData(db, email, userActor(user.id), user.areaId);
    return reply
      .type('application/json; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="personal-data-${data.generatedAt.slice(0, 10)}.json"`,
      )
      .send(`${JSON.stringify(data, null, 2)}\n`);
  });

  /** First the confirmation (what will go, the policy choice), then, with `confirm=yes`, the erasure. */
  app.post('/staff/privacy/erase', { schema: { hide: true } }, async (request, reply) => {
    const user = await guard(request, reply, ADMINS);
    if (!user) return reply;
    const form = (request.body ?? {}) as FormBody;
    const email = emailOf(form);
    if (typeof email !== 'string') return findPage(request, reply, user, form, email.error);
    const policy = POLICY_CHOICES.find((p) => p === form.policy) ?? 'area';
    if (form.confirm !== 'yes') {
      const data = await subjectData(db, email, undefined, user.areaId);
      return render(request, reply, 'staff-privacy-erase.njk', {
        ...staffContext(user),
        pageTitle: 'Erase a person’s data (staff)',
        backLink,
        email: data.email,
        comments: plural(data.comments.length, 'comment'),
        approved: formatNumber(data.comments.filter((m) => m.status === 'approved').length),
        account: data.staffAccount ? `${data.staffAccount.displayName} (${data.staffAccount.role})` : null,
        policy,
        actionHref: `${home}/erase`,
      });
    }
    try {
      const r = await eraseSubject(db, email, {
        actor: userActor(user.id),
        keepApprovedText: policy === 'area' ? undefined : policy === 'keep',
        areaId: user.areaId,
      });
      // Only counts in the address: never the email address.
      return reply.redirect(
        `${home}?erased=1&kept=${r.anonymisedComments.length}&deleted=${r.deletedComments.length}&account=${r.deletedUser ? 1 : 0}`,
        303,
      );
    } catch (e) {
      if (!(e instanceof LastAdminError)) throw e;
      return renderError(render, request, reply, staffContext(user), {
        title: 'This is the only admin account',
        lines: [
          'Nothing was erased. Erasing the only admin account would leave nobody able to run the service.',
          'Add another admin first (npx placetwin user add --role admin), then erase this one.',
        ],
      });
    }
  });
}

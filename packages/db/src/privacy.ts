/**
 * Privacy by design: what personal data the install holds, the retention job that deletes or anonymises it when
 * its period ends, and subject access and erasure by email address. Every deletion or anonymisation writes a row
 * to `privacy_log` (which never holds the personal data itself).
 *
 * Personal data held: a commenter's name, email address and pinned place (comments); a staff member's email
 * address, display name, role and password hash (users) and their sessions (only the SHA-256 of the token).
 *
 * Retention rule (`retentionDue`): a consultation's period is its own `retention_days` when staff set one, else its
 * area's (`areas.retention_days`, 365 days by default). The period starts when the consultation closed: at
 * `closed_at` if staff closed it early, else at `closes_at` (an open consultation past `closes_at` takes no more
 * comments, so it counts as closed then too). Drafts never start the clock. When the period has ended (due at or
 * before now), rejected comments are deleted and the others lose their name and email address; their text, category
 * and pinned place stay (the record of the consultation and its by-area summary), no longer linked to a person.
 * Expired staff sessions are deleted at the same time.
 *
 * The job is a plain function of (db, now): the server runs it on a timer and `placetwin privacy retention` runs
 * it by hand, and it can move onto a job queue unchanged.
 */
import { DataError } from '@placetwin/geo';
import { SESSION_DEFAULTS } from './auth';
import type { Db } from './db';

const DAY_MS = 86_400_000;

/** Who did it, in `privacy_log.actor`. */
export const RETENTION_ACTOR = 'retention-job';
export const userActor = (userId: number) => `user:${userId}`;

export type PrivacyAction =
  | 'anonymise-comment'
  | 'delete-comment'
  | 'delete-session'
  | 'delete-user'
  | 'export-subject';

/** What the retention rule needs to know about a consultation. */
export interface RetentionCandidate {
  status: 'draft' | 'open' | 'closed';
  closesAt: Date;
  /** When staff closed it (may be before closesAt), or null. */
  closedAt: Date | null;
  /** The consultation's own period in days, or null for the area's. */
  retentionDays: number | null;
  areaRetentionDays: number;
}

/** The period that applies: the consultation's own, else its area's. */
export const effectiveRetentionDays = (c: Pick<RetentionCandidate, 'retentionDays' | 'areaRetentionDays'>) =>
  c.retentionDays ?? c.areaRetentionDays;

/** When the consultation stopped taking comments, or null if it never will without staff (a draft). */
export function retentionStartsAt(c: RetentionCandidate): Date | null {
  if (c.status === 'draft') return null;
  const closes = c.closesAt.getTime();
  const closed = c.closedAt ? Math.min(c.closedAt.getTime(), closes) : closes;
  return new Date(closed);
}

/** When the commenters' personal data is due for deletion, or null (a draft: never while it is one). */
export function retentionDueAt(c: RetentionCandidate): Date | null {
  const start = retentionStartsAt(c);
  return start ? new Date(start.getTime() + effectiveRetentionDays(c) * DAY_MS) : null;
}

/** Whether the period has ended at `now`: due exactly at the due time, not a millisecond before. */
export function retentionDue(c: RetentionCandidate, now: Date): boolean {
  const due = retentionDueAt(c);
  return due !== null && due.getTime() <= now.getTime();
}

export interface RetentionOptions {
  /** The job's clock (default: now). */
  now?: Date;
  /** Work out and report everything, then roll it back. */
  dryRun?: boolean;
  /** Sessions unused this long have expired too (default SESSION_DEFAULTS.idleMs, as sign-in uses). */
  sessionIdleMs?: number;
  /** Only this area's consultations and staff sessions (an area admin's run); unset → the whole install. */
  areaId?: string;
}

export interface RetentionReport {
  now: string;
  dryRun: boolean;
  /** Consultations whose period has ended and that still held personal data or rejected comments. */
  consultations: { id: number; areaId: string; dueAt: string }[];
  anonymisedComments: number[];
  deletedComments: number[];
  deletedSessions: number;
}

class DryRunRollback extends Error {}

interface CandidateRow {
  id: number;
  areaId: string;
  status: RetentionCandidate['status'];
  closesAt: Date;
  closedAt: Date | null;
  retentionDays: number | null;
  areaRetentionDays: number;
}

/**
 * The retention job: in one transaction, deletes rejected comments and anonymises the others on every
 * consultation whose retention period has ended, deletes expired sessions, and logs each record it changed.
 * Running it again at the same time changes nothing.
 */
export async function runRetention(db: Db, options: RetentionOptions = {}): Promise<RetentionReport> {
  const now = options.now ?? new Date();
  const idleMs = options.sessionIdleMs ?? SESSION_DEFAULTS.idleMs;
  const dryRun = options.dryRun ?? false;
  let report: RetentionReport | undefined;
  try {
    await db.transaction(async (tx) => {
      // Only consultations with something left to remove; the rule itself is retentionDue, in one place.
      const candidates = (
        await tx.query<CandidateRow>(
          `SELECT c.id, c.area_id AS "areaId", c.status, c.closes_at AS "closesAt", c.closed_at AS "closedAt",
             c.retention_days AS "retentionDays", a.retention_days AS "areaRetentionDays"
           FROM consultations c JOIN areas a ON a.id = c.area_id
           WHERE c.status <> 'draft' AND ($1::text IS NULL OR c.area_id = $1)
             AND EXISTS (SELECT 1 FROM comments m WHERE m.consultation_id = c.id
             AND (m.name IS NOT NULL OR m.email IS NOT NULL OR m.status = 'rejected'))
           ORDER BY c.id
           FOR UPDATE OF c`,
          [options.areaId ?? null],
        )
      ).rows;
      const due = candidates
        .map((c) => ({ ...c, closesAt: new Date(c.closesAt), closedAt: c.closedAt && new Date(c.closedAt) }))
        .filter((c) => retentionDue(c, now));
      const ids = due.map((c) => c.id);
      const deleted = ids.length
        ? (
            await tx.query<{ id: number; c: number }>(
              `DELETE FROM comments WHERE status = 'rejected' AND consultation_id = ANY($1::bigint[])
               RETURNING id, consultation_id AS c`,
              [ids],
            )
          ).rows
        : [];
      const anonymised = ids.length
        ? (
            await tx.query<{ id: number; c: number }>(
              `UPDATE comments SET name = NULL, email = NULL, personal_data_removed_at = $2
               WHERE consultation_id = ANY($1::bigint[]) AND (name IS NOT NULL OR email IS NOT NULL)
               RETURNING id, consultation_id AS c`,
              [ids, now],
            )
          ).rows
        : [];
      const areaOf = new Map(due.map((c) => [c.id, c.areaId]));
      const entry = (action: PrivacyAction, r: { id: number; c: number }): LogEntry => ({
        action,
        recordType: 'comment',
        recordId: r.id,
        areaId: areaOf.get(r.c) ?? null,
        reason: 'retention-period-ended',
        actor: RETENTION_ACTOR,
        detail: { consultationId: r.c },
      });
      await logActions(
        tx,
        [
          ...deleted.map((r) => entry('delete-comment', r)),
          ...anonymised.map((r) => entry('anonymise-comment', r)),
        ],
        now,
      );
      const sessions = (
        await tx.query<{ userId: number; areaId: string }>(
          `WITH d AS (DELETE FROM sessions
               WHERE (expires_at <= $1 OR last_seen_at <= $1 - make_interval(secs => $2))
                 AND ($3::text IS NULL OR user_id IN (SELECT id FROM users WHERE area_id = $3))
             RETURNING user_id)
           SELECT d.user_id AS "userId", u.area_id AS "areaId" FROM d JOIN users u ON u.id = d.user_id`,
          [now, idleMs / 1000, options.areaId ?? null],
        )
      ).rows;
      await logActions(
        tx,
        sessions.map((s) => ({
          action: 'delete-session',
          recordType: 'session',
          recordId: s.userId,
          areaId: s.areaId,
          reason: 'session-expired',
          actor: RETENTION_ACTOR,
        })),
        now,
      );
      report = {
        now: now.toISOString(),
        dryRun,
        consultations: due.map((c) => ({
          id: c.id,
          areaId: c.areaId,
          dueAt: retentionDueAt(c)!.toISOString(),
        })),
        anonymisedComments: anonymised.map((r) => r.id).sort((a, b) => a - b),
        deletedComments: deleted.map((r) => r.id).sort((a, b) => a - b),
        deletedSessions: sessions.length,
      };
      if (dryRun) throw new DryRunRollback();
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return report!;
}

interface LogEntry {
  action: PrivacyAction;
  recordType: 'comment' | 'session' | 'user' | 'subject';
  recordId: number | null;
  areaId: string | null;
  reason: string;
  actor: string;
  detail?: Record<string, unknown>;
}

async function logActions(tx: Db, entries: LogEntry[], at: Date | null = null): Promise<void> {
  if (!entries.length) return;
  await tx.query(
    `INSERT INTO privacy_log (at, action, record_type, record_id, area_id, reason, actor, detail)
     SELECT coalesce($1::timestamptz, now()), e.action, e.record_type, e.record_id, e.area_id, e.reason, e.actor,
       e.detail
     FROM jsonb_to_recordset($2::jsonb) AS e(action text, record_type text, record_id bigint, area_id text,
       reason text, actor text, detail jsonb)`,
    [
      at,
      JSON.stringify(
        entries.map((e) => ({
          action: e.action,
          record_type: e.recordType,
          record_id: e.recordId,
          area_id: e.areaId,
          reason: e.reason,
          actor: e.actor,
          detail: e.detail ?? {},
        })),
      ),
    ],
  );
}

// ---- subject access and erasure ----

export const EMAIL_MAX = 254;

/** An email address as stored and matched: trimmed, lower case; a DataError if it cannot be one. */
export function normaliseSubjectEmail(email: unknown): string {
  const e = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (e.length < 3 || e.length > EMAIL_MAX || !/^[^\s@]+@[^\s@]+$/.test(e)) {
    throw new DataError('invalid-email', 'email must be an email address, e.g. name@example.org');
  }
  return e;
}

export interface SubjectComment {
  id: number;
  consultationId: number;
  consultationTitle: string;
  areaId: string;
  name: string | null;
  email: string | null;
  category: string;
  text: string;
  /** [lon, lat] or null. */
  point: [number, number] | null;
  status: string;
  createdAt: string;
  moderatedAt: string | null;
}

export interface SubjectStaffAccount {
  id: number;
  email: string;
  displayName: string;
  role: string;
  areaId: string;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  /** Sign-ins that are still stored (when, not the tokens). */
  sessions: { createdAt: string; lastSeenAt: string; expiresAt: string }[];
}

/** Everything held about one email address (a subject access request). Never a password hash or a token. */
export interface SubjectData {
  email: string;
  generatedAt: string;
  comments: SubjectComment[];
  staffAccount: SubjectStaffAccount | null;
}

const ts = (col: string) => `to_char((${col}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const tsOrNull = (col: string) => `CASE WHEN ${col} IS NULL THEN NULL ELSE ${ts(col)} END`;

/**
 * Everything held for this email address: the comments sent with it (on any consultation, in any area) and the
 * staff account that signs in with it. When `actor` is given the look-up is logged (an export of personal data).
 */
export async function subjectData(
  db: Db,
  email: string,
  actor?: string,
  /** Only what this area holds (an area admin's look-up); unset → the whole install (the CLI). */
  areaId?: string,
): Promise<SubjectData> {
  const e = normaliseSubjectEmail(email);
  const comments = (
    await db.query<SubjectComment & { lon: number | null; lat: number | null }>(
      `SELECT m.id, m.consultation_id AS "consultationId", c.title AS "consultationTitle", c.area_id AS "areaId",
         m.name, m.email, m.category, m.body AS text, ST_X(m.point) AS lon, ST_Y(m.point) AS lat, m.status,
         ${ts('m.created_at')} AS "createdAt", ${tsOrNull('m.moderated_at')} AS "moderatedAt"
       FROM comments m JOIN consultations c ON c.id = m.consultation_id
       WHERE lower(m.email) = $1 AND ($2::text IS NULL OR c.area_id = $2) ORDER BY m.id`,
      [e, areaId ?? null],
    )
  ).rows.map(({ lon, lat, ...m }) => ({ ...m, point: lon === null || lat === null ? null : [lon, lat] }));
  const user = (
    await db.query<Omit<SubjectStaffAccount, 'sessions'>>(
      `SELECT id, email, display_name AS "displayName", role, area_id AS "areaId",
         ${ts('created_at')} AS "createdAt", ${ts('updated_at')} AS "updatedAt",
         ${tsOrNull('disabled_at')} AS "disabledAt"
       FROM users WHERE email = $1 AND ($2::text IS NULL OR area_id = $2)`,
      [e, areaId ?? null],
    )
  ).rows[0];
  const staffAccount = user
    ? {
        ...user,
        sessions: (
          await db.query<SubjectStaffAccount['sessions'][number]>(
            `SELECT ${ts('created_at')} AS "createdAt", ${ts('last_seen_at')} AS "lastSeenAt",
               ${ts('expires_at')} AS "expiresAt"
             FROM sessions WHERE user_id = $1 ORDER BY created_at`,
            [user.id],
          )
        ).rows,
      }
    : null;
  const data: SubjectData = {
    email: e,
    generatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    comments: comments as SubjectComment[],
    staffAccount,
  };
  if (actor) {
    await logActions(db, [
      {
        action: 'export-subject',
        recordType: 'subject',
        recordId: null,
        areaId: null,
        reason: 'subject-access-request',
        actor,
        detail: { comments: comments.length, staffAccount: Boolean(staffAccount) },
      },
    ]);
  }
  return data;
}

/** Erasing the only enabled admin would lock everyone out of the install. */
export class LastAdminError extends DataError {
  constructor() {
    super(
      'last-admin',
      'this email address is the only enabled admin account: add another admin first, then erase this one',
    );
  }
}

export interface ErasureOptions {
  /** Who asked (privacy_log.actor), e.g. userActor(id). */
  actor: string;
  /**
   * Keep the text of approved comments (anonymised)? Default: each comment's area policy
   * (`areas.erase_keeps_approved_text`). Pending and rejected comments are always deleted.
   */
  keepApprovedText?: boolean;
  /** Only what this area holds (an area admin's erasure); unset → the whole install (the CLI). */
  areaId?: string;
}

export interface ErasureReport {
  email: string;
  /** Approved comments kept as text only: no name, email address or pinned place. */
  anonymisedComments: number[];
  deletedComments: number[];
  /** The staff account deleted (its sessions with it), or null if there was none. */
  deletedUser: number | null;
}

/**
 * Erases one person's personal data by email address, in one transaction: their comments lose their name,
 * email address and pinned place and keep only their text (approved comments, when the policy keeps it) or are
 * deleted (the rest), and their staff account and its sessions are deleted (refused if it is the last enabled
 * admin; nothing is changed then). Each record is logged in privacy_log.
 */
export async function eraseSubject(db: Db, email: string, options: ErasureOptions): Promise<ErasureReport> {
  const e = normaliseSubjectEmail(email);
  return db.transaction(async (tx) => {
    const user = (
      await tx.query<{ id: number; role: string; disabled: boolean; areaId: string }>(
        `SELECT id, role, disabled_at IS NOT NULL AS disabled, area_id AS "areaId" FROM users
         WHERE email = $1 AND ($2::text IS NULL OR area_id = $2) FOR UPDATE`,
        [e, options.areaId ?? null],
      )
    ).rows[0];
    if (user && user.role === 'admin' && !user.disabled) {
      const others = (
        await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM users
           WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1 AND area_id = $2`,
          [user.id, user.areaId],
        )
      ).rows[0].n;
      if (others === 0) throw new LastAdminError();
    }
    const comments = (
      await tx.query<{ id: number; status: string; areaId: string; keeps: boolean; consultationId: number }>(
        `SELECT m.id, m.status, c.area_id AS "areaId", a.erase_keeps_approved_text AS keeps,
           m.consultation_id AS "consultationId"
         FROM comments m JOIN consultations c ON c.id = m.consultation_id JOIN areas a ON a.id = c.area_id
         WHERE lower(m.email) = $1 AND ($2::text IS NULL OR c.area_id = $2) ORDER BY m.id FOR UPDATE OF m`,
        [e, options.areaId ?? null],
      )
    ).rows;
    const keep = comments.filter((m) => m.status === 'approved' && (options.keepApprovedText ?? m.keeps));
    const drop = comments.filter((m) => !keep.includes(m));
    if (keep.length) {
      await tx.query(
        `UPDATE comments SET name = NULL, email = NULL, point = NULL, personal_data_removed_at = now()
         WHERE id = ANY($1::bigint[])`,
        [keep.map((m) => m.id)],
      );
    }
    if (drop.length) {
      await tx.query('DELETE FROM comments WHERE id = ANY($1::bigint[])', [drop.map((m) => m.id)]);
    }
    if (user) await tx.query('DELETE FROM users WHERE id = $1', [user.id]);
    const policy = options.keepApprovedText === undefined ? 'area' : 'request';
    await logActions(tx, [
      ...keep.map(
        (m): LogEntry => ({
          action: 'anonymise-comment',
          recordType: 'comment',
          recordId: m.id,
          areaId: m.areaId,
          reason: 'erasure-request',
          actor: options.actor,
          detail: { consultationId: m.consultationId, textKept: true, policy },
        }),
      ),
      ...drop.map(
        (m): LogEntry => ({
          action: 'delete-comment',
          recordType: 'comment',
          recordId: m.id,
          areaId: m.areaId,
          reason: 'erasure-request',
          actor: options.actor,
          detail: { consultationId: m.consultationId, status: m.status, policy },
        }),
      ),
      ...(user
        ? [
            {
              action: 'delete-user',
              recordType: 'user',
              recordId: user.id,
              areaId: user.areaId,
              reason: 'erasure-request',
              actor: options.actor,
              detail: { role: user.role },
            } satisfies LogEntry,
          ]
        : []),
    ]);
    return {
      email: e,
      anonymisedComments: keep.map((m) => m.id),
      deletedComments: drop.map((m) => m.id),
      deletedUser: user?.id ?? null,
    };
  });
}

// ---- what the data protection officer reads ----

export interface PrivacyLogEntry {
  id: number;
  at: string;
  action: PrivacyAction;
  recordType: string;
  recordId: number | null;
  areaId: string | null;
  reason: string;
  actor: string;
  detail: Record<string, unknown>;
}

export async function listPrivacyLog(
  db: Db,
  options: { limit?: number; areaId?: string } = {},
): Promise<PrivacyLogEntry[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 1), 1000);
  return (
    await db.query<PrivacyLogEntry>(
      `SELECT id, ${ts('at')} AS at, action, record_type AS "recordType", record_id AS "recordId",
         area_id AS "areaId", reason, actor, detail
       FROM privacy_log WHERE ($2::text IS NULL OR area_id = $2) ORDER BY at DESC, id DESC LIMIT $1`,
      [limit, options.areaId ?? null],
    )
  ).rows;
}

export interface ConsultationPersonalData {
  id: number;
  title: string;
  areaId: string;
  status: string;
  comments: number;
  withName: number;
  withEmail: number;
  withPoint: number;
  /** The period that applies, and whether it is the area's (the consultation has none of its own). */
  retentionDays: number;
  retentionFromArea: boolean;
  /** Null for a draft (the clock has not started). */
  dueAt: string | null;
}

export interface AreaPrivacySettings {
  id: string;
  name: string;
  retentionDays: number;
  eraseKeepsApprovedText: boolean;
  privacyContact: string | null;
}

export interface PrivacyInventory {
  consultations: ConsultationPersonalData[];
  staff: { accounts: number; disabled: number; byRole: Record<string, number>; liveSessions: number };
  areas: AreaPrivacySettings[];
}

/**
 * What personal data the install (or one area, for its admin) holds, per consultation and for staff, and the
 * retention settings per area.
 */
export async function privacyInventory(
  db: Db,
  now: Date = new Date(),
  areaId?: string,
): Promise<PrivacyInventory> {
  const rows = (
    await db.query<
      CandidateRow & Omit<ConsultationPersonalData, 'retentionDays' | 'retentionFromArea' | 'dueAt'>
    >(
      `SELECT c.id, c.title, c.area_id AS "areaId", c.status, c.closes_at AS "closesAt", c.closed_at AS "closedAt",
         c.retention_days AS "retentionDays", a.retention_days AS "areaRetentionDays",
         count(m.id)::int AS comments, count(m.name)::int AS "withName", count(m.email)::int AS "withEmail",
         count(m.point)::int AS "withPoint"
       FROM consultations c JOIN areas a ON a.id = c.area_id LEFT JOIN comments m ON m.consultation_id = c.id
       WHERE ($1::text IS NULL OR c.area_id = $1)
       GROUP BY c.id, a.retention_days ORDER BY c.id DESC`,
      [areaId ?? null],
    )
  ).rows;
  const consultations = rows.map((r) => {
    const candidate = {
      status: r.status,
      closesAt: new Date(r.closesAt),
      closedAt: r.closedAt && new Date(r.closedAt),
      retentionDays: r.retentionDays,
      areaRetentionDays: r.areaRetentionDays,
    } as RetentionCandidate;
    const due = retentionDueAt(candidate);
    return {
      id: r.id,
      title: r.title,
      areaId: r.areaId,
      status: r.status,
      comments: r.comments,
      withName: r.withName,
      withEmail: r.withEmail,
      withPoint: r.withPoint,
      retentionDays: effectiveRetentionDays(candidate),
      retentionFromArea: r.retentionDays === null,
      dueAt: due ? due.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
    };
  });
  const staff = (
    await db.query<{
      accounts: number;
      disabled: number;
      byRole: Record<string, number> | null;
      live: number;
    }>(
      `SELECT count(*)::int AS accounts, count(disabled_at)::int AS disabled,
         (SELECT json_object_agg(role, n) FROM (SELECT role, count(*)::int AS n FROM users
           WHERE $2::text IS NULL OR area_id = $2 GROUP BY role) r) AS "byRole",
         (SELECT count(*)::int FROM sessions s JOIN users su ON su.id = s.user_id
           WHERE s.expires_at > $1 AND ($2::text IS NULL OR su.area_id = $2)) AS live
       FROM users WHERE $2::text IS NULL OR area_id = $2`,
      [now, areaId ?? null],
    )
  ).rows[0];
  const areas = (
    await db.query<AreaPrivacySettings>(
      `SELECT id, name, retention_days AS "retentionDays", erase_keeps_approved_text AS "eraseKeepsApprovedText",
         privacy_contact AS "privacyContact" FROM areas WHERE $1::text IS NULL OR id = $1 ORDER BY id`,
      [areaId ?? null],
    )
  ).rows;
  return {
    consultations,
    staff: {
      accounts: staff.accounts,
      disabled: staff.disabled,
      byRole: staff.byRole ?? {},
      liveSessions: staff.live,
    },
    areas,
  };
}

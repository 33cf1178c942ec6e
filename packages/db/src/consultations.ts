/**
 * Public consultations on published scenarios, and residents' comments on them.
 *
 * What the public may see is decided here, in SQL, not left to callers: the `public*` functions return only
 * consultations that are open or closed (never drafts) whose scenario is published, and only approved comments,
 * without email addresses. Staff functions return everything.
 *
 * Personal data is kept to the minimum: a name (or nothing, for anonymous comments) and an optional email
 * address for replies; no IP address is stored. `removeExpiredPersonalData` deletes names and email addresses
 * (and rejected comments) once a consultation's retention period after closing has passed.
 */
import { DataError } from '@placetwin/geo';
import type { Db } from './db';
import { runRetention } from './privacy';
import { getDataset } from './repositories';
import { compareScenarios, getScenario, ScenarioNotFoundError, type ScenarioStatus } from './scenarios';

export const CONSULTATION_STATUSES = ['draft', 'open', 'closed'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];
export const COMMENT_CATEGORIES = ['support', 'object', 'question'] as const;
export type CommentCategory = (typeof COMMENT_CATEGORIES)[number];
export const COMMENT_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** Limits on what staff write (the database enforces the same). */
export const CONSULTATION_LIMITS = Object.freeze({
  titleMax: 150,
  summaryMax: 5000,
  privacyNoticeMax: 10_000,
  retentionDaysMin: 1,
  retentionDaysMax: 3650,
});

/** Limits on what the public writes. */
export const COMMENT_LIMITS = Object.freeze({ nameMax: 100, emailMax: 254, textMax: 2000 });

/**
 * A form field that people never see and bots fill in. A comment that arrives with it filled is refused and
 * not stored.
 */
export const HONEYPOT_FIELD = 'website';

/** Keep commenters' names and email addresses this long after a consultation closes, unless staff say otherwise. */
export const DEFAULT_RETENTION_DAYS = 365;

/**
 * The privacy notice a new consultation starts with; the council should name itself and its data protection
 * officer. The page shows the actual deletion date next to it.
 */
export const DEFAULT_PRIVACY_NOTICE = [
  'The council uses what you send on this form to consider this proposal, under its public task as the local ' +
    'planning authority (UK GDPR Article 6(1)(e)).',
  'We check every comment before it is published. We publish your comment with your name, or as ' +
    '"Anonymous" if you choose. We never publish your email address: we use it only to reply to you about this ' +
    'consultation.',
  'We do not record your IP address. We delete your name and email address when the retention period after the ' +
    'consultation closes ends; we keep the comment itself, without them, as part of the record of the decision.',
  'You can ask to see, correct or delete your comment by contacting the council’s data protection officer.',
].join('\n\n');

export interface ConsultationCommentCounts {
  pending: number;
  approved: number;
  rejected: number;
}

export interface ConsultationRecord {
  id: number;
  title: string;
  summary: string;
  scenarioId: number;
  scenarioName: string;
  scenarioStatus: ScenarioStatus;
  dataset: string;
  status: ConsultationStatus;
  opensAt: string;
  closesAt: string;
  /** Open, and now is between opensAt and closesAt. */
  acceptingComments: boolean;
  privacyNotice: string;
  /** The consultation's own period, or (when it has none) its area's. */
  retentionDays: number;
  /** When names and email addresses will be deleted: the closing date (or earlier closing) plus the retention period. */
  personalDataDeletedAfter: string;
  createdAt: string;
  updatedAt: string;
  openedAt: string | null;
  closedAt: string | null;
  comments: ConsultationCommentCounts;
}

/** What anyone may read about a consultation (no draft ever becomes one). */
export type PublicConsultation = Omit<
  ConsultationRecord,
  'scenarioStatus' | 'createdAt' | 'updatedAt' | 'comments' | 'status'
> & { status: 'open' | 'closed'; approvedComments: number };

const ts = (col: string) => `to_char((${col}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const tsOrNull = (col: string) => `CASE WHEN ${col} IS NULL THEN NULL ELSE ${ts(col)} END`;

/** The consultation's own retention period, else its area's (the rule of `retentionDue` in privacy.ts). */
const EFFECTIVE_RETENTION_DAYS =
  '(coalesce(c.retention_days, (SELECT a.retention_days FROM areas a WHERE a.id = c.area_id)))';

const CONSULTATION_COLUMNS = `
  c.id, c.title, c.summary, c.scenario_id AS "scenarioId", s.name AS "scenarioName",
  s.status AS "scenarioStatus", d.name AS dataset, c.status,
  ${ts('c.opens_at')} AS "opensAt", ${ts('c.closes_at')} AS "closesAt",
  (c.status = 'open' AND now() >= c.opens_at AND now() < c.closes_at) AS "acceptingComments",
  c.privacy_notice AS "privacyNotice", ${EFFECTIVE_RETENTION_DAYS} AS "retentionDays",
  ${ts(`least(coalesce(c.closed_at, c.closes_at), c.closes_at) + make_interval(days => ${EFFECTIVE_RETENTION_DAYS})`)} AS "personalDataDeletedAfter",
  ${ts('c.created_at')} AS "createdAt", ${ts('c.updated_at')} AS "updatedAt",
  ${tsOrNull('c.opened_at')} AS "openedAt", ${tsOrNull('c.closed_at')} AS "closedAt",
  (SELECT json_build_object(
     'pending', count(*) FILTER (WHERE m.status = 'pending'),
     'approved', count(*) FILTER (WHERE m.status = 'approved'),
     'rejected', count(*) FILTER (WHERE m.status = 'rejected'))
   FROM comments m WHERE m.consultation_id = c.id) AS comments`;
const CONSULTATION_FROM = `consultations c JOIN scenarios s ON s.id = c.scenario_id
  JOIN datasets d ON d.id = s.dataset_id`;
/** The one rule for what the public sees. */
const PUBLIC_WHERE = `c.status IN ('open', 'closed') AND s.status = 'published'`;

const toPublic = (c: ConsultationRecord): PublicConsultation => {
  const { scenarioStatus: _s, createdAt: _c, updatedAt: _u, comments, status, ...rest } = c;
  return { ...rest, status: status as 'open' | 'closed', approvedComments: comments.approved };
};

export async function getConsultation(db: Db, id: number): Promise<ConsultationRecord | null> {
  const r = await db.query<ConsultationRecord>(
    `SELECT ${CONSULTATION_COLUMNS} FROM ${CONSULTATION_FROM} WHERE c.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

/** Every consultation, newest first (staff), optionally of one status. */
export async function listConsultations(
  db: Db,
  filter: { status?: ConsultationStatus; areaId?: string } = {},
): Promise<ConsultationRecord[]> {
  const r = await db.query<ConsultationRecord>(
    `SELECT ${CONSULTATION_COLUMNS} FROM ${CONSULTATION_FROM}
     WHERE ($1::text IS NULL OR c.status = $1) AND ($2::text IS NULL OR c.area_id = $2)
     ORDER BY c.created_at DESC, c.id DESC`,
    [filter.status ?? null, filter.areaId ?? null],
  );
  return r.rows;
}

/** A consultation the public may see, or null (a draft, or its scenario is not published). */
export async function getPublicConsultation(db: Db, id: number): Promise<PublicConsultation | null> {
  const r = await db.query<ConsultationRecord>(
    `SELECT ${CONSULTATION_COLUMNS} FROM ${CONSULTATION_FROM} WHERE c.id = $1 AND ${PUBLIC_WHERE}`,
    [id],
  );
  return r.rows[0] ? toPublic(r.rows[0]) : null;
}

/** Open consultations first (closing soonest first), then closed ones (most recently closed first). */
export async function listPublicConsultations(db: Db, areaId?: string): Promise<PublicConsultation[]> {
  const r = await db.query<ConsultationRecord>(
    `SELECT ${CONSULTATION_COLUMNS} FROM ${CONSULTATION_FROM}
     WHERE ${PUBLIC_WHERE} AND ($1::text IS NULL OR c.area_id = $1)
     ORDER BY (c.status = 'open') DESC,
       CASE WHEN c.status = 'open' THEN c.closes_at END ASC,
       coalesce(c.closed_at, c.closes_at) DESC, c.id`,
    [areaId ?? null],
  );
  return r.rows.map(toPublic);
}

export interface ConsultationInput {
  title: string;
  summary: string;
  scenarioId: number;
  /** ISO 8601 instants. */
  opensAt: string;
  closesAt: string;
  privacyNotice?: string;
  retentionDays?: number;
}

const isIsoInstant = (v: unknown): v is string =>
  typeof v === 'string' &&
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) &&
  !Number.isNaN(Date.parse(v));

function checkText(field: string, v: unknown, max: number): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (t.length < 1 || t.length > max) {
    throw new DataError('invalid-consultation', `${field} must be 1–${max} characters`);
  }
  return t;
}

function checkConsultation(c: Partial<ConsultationInput>, partial: boolean) {
  const L = CONSULTATION_LIMITS;
  const out: Record<string, unknown> = {};
  if (!partial || c.title !== undefined) out.title = checkText('title', c.title, L.titleMax);
  if (!partial || c.summary !== undefined) out.summary = checkText('summary', c.summary, L.summaryMax);
  if (!partial || c.privacyNotice !== undefined) {
    out.privacyNotice = checkText(
      'privacy notice',
      c.privacyNotice ?? DEFAULT_PRIVACY_NOTICE,
      L.privacyNoticeMax,
    );
  }
  for (const key of ['opensAt', 'closesAt'] as const) {
    if (partial && c[key] === undefined) continue;
    if (!isIsoInstant(c[key])) {
      throw new DataError(
        'invalid-consultation',
        `${key} must be an ISO 8601 date or instant, e.g. 2026-03-31`,
      );
    }
    out[key] = c[key];
  }
  // Omitted on a new consultation: null, the area's period (areas.retention_days, see privacy.ts).
  if (c.retentionDays !== undefined) {
    const d = c.retentionDays;
    if (!Number.isInteger(d) || d < L.retentionDaysMin || d > L.retentionDaysMax) {
      throw new DataError(
        'invalid-consultation',
        `retentionDays must be a whole number of days from ${L.retentionDaysMin} to ${L.retentionDaysMax}`,
      );
    }
    out.retentionDays = d;
  }
  if (!partial || c.scenarioId !== undefined) {
    if (!Number.isInteger(c.scenarioId) || (c.scenarioId as number) < 1) {
      throw new DataError('invalid-consultation', 'scenarioId must be the id of a scenario');
    }
    out.scenarioId = c.scenarioId;
  }
  return out as Partial<Required<ConsultationInput>>;
}

/** Maps the database's own refusals (dates the wrong way round) to a DataError naming the fields. */
async function explainChecks<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { code?: string }).code === '23514') {
      throw new DataError('invalid-consultation', 'closesAt must be after opensAt');
    }
    throw e;
  }
}

/** A new consultation, in draft (the public does not see it until it is opened). */
export async function createConsultation(
  db: Db,
  input: ConsultationInput,
  createdBy: number | null = null,
  areaId?: string,
): Promise<ConsultationRecord> {
  const c = checkConsultation(input, false);
  // The consultation belongs to its scenario's area; another area's scenario is "no scenario" to the caller.
  const area = (
    await db.query<{ a: string }>('SELECT area_id AS a FROM scenarios WHERE id = $1', [c.scenarioId])
  ).rows[0]?.a;
  if (!area || (areaId !== undefined && area !== areaId)) throw new ScenarioNotFoundError(c.scenarioId!);
  const r = await explainChecks(() =>
    db.query<{ id: number }>(
      `INSERT INTO consultations (title, summary, scenario_id, opens_at, closes_at, privacy_notice, retention_days, created_by,
         area_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        c.title,
        c.summary,
        c.scenarioId,
        c.opensAt,
        c.closesAt,
        c.privacyNotice,
        c.retentionDays,
        createdBy,
        area,
      ],
    ),
  );
  return (await getConsultation(db, r.rows[0].id))!;
}

export class ConsultationNotFoundError extends DataError {
  constructor(readonly consultationId: number) {
    super('unknown-consultation', `no consultation with id ${consultationId}`);
  }
}

/** The consultation's state does not allow the action (maps to HTTP 409). */
export class ConsultationStateError extends DataError {}

/** Changes a consultation. The scenario can change only while it is a draft. */
export async function updateConsultation(
  db: Db,
  id: number,
  patch: Partial<ConsultationInput>,
): Promise<ConsultationRecord> {
  const c = checkConsultation(patch, true);
  return db.transaction(async (tx) => {
    const row = (
      await tx.query<{ status: ConsultationStatus }>(
        'SELECT status FROM consultations WHERE id = $1 FOR UPDATE',
        [id],
      )
    ).rows[0];
    if (!row) throw new ConsultationNotFoundError(id);
    if (c.scenarioId !== undefined) {
      if (row.status !== 'draft') {
        throw new ConsultationStateError(
          'consultation-not-draft',
          `consultation ${id} is ${row.status}: its scenario can only change while it is a draft`,
        );
      }
      if (!(await getScenario(tx, c.scenarioId))) throw new ScenarioNotFoundError(c.scenarioId);
    }
    await explainChecks(() =>
      tx.query(
        `UPDATE consultations SET title = coalesce($2, title), summary = coalesce($3, summary),
           scenario_id = coalesce($4, scenario_id), opens_at = coalesce($5::timestamptz, opens_at),
           closes_at = coalesce($6::timestamptz, closes_at), privacy_notice = coalesce($7, privacy_notice),
           retention_days = coalesce($8, retention_days), updated_at = now()
         WHERE id = $1`,
        [
          id,
          c.title ?? null,
          c.summary ?? null,
          c.scenarioId ?? null,
          c.opensAt ?? null,
          c.closesAt ?? null,
          c.privacyNotice ?? null,
          c.retentionDays ?? null,
        ],
      ),
    );
    return (await getConsultation(tx, id))!;
  });
}

/**
 * Opens a consultation to the public (from draft, or re-opens a closed one). Its scenario must be published:
 * the public must see exactly what it is asked about.
 */
export async function openConsultation(db: Db, id: number): Promise<ConsultationRecord> {
  return db.transaction(async (tx) => {
    const row = (
      await tx.query<{ status: ConsultationStatus; scenarioStatus: ScenarioStatus; scenarioId: number }>(
        `SELECT c.status, s.status AS "scenarioStatus", s.id AS "scenarioId"
         FROM consultations c JOIN scenarios s ON s.id = c.scenario_id WHERE c.id = $1 FOR UPDATE OF c`,
        [id],
      )
    ).rows[0];
    if (!row) throw new ConsultationNotFoundError(id);
    if (row.status === 'open')
      throw new ConsultationStateError('already-open', `consultation ${id} is already open`);
    if (row.scenarioStatus !== 'published') {
      throw new ConsultationStateError(
        'scenario-not-published',
        `scenario ${row.scenarioId} is a draft: publish it before opening consultation ${id}, so that the public sees what it is asked about`,
      );
    }
    await tx.query(
      `UPDATE consultations SET status = 'open', opened_at = now(), closed_at = NULL, updated_at = now()
       WHERE id = $1`,
      [id],
    );
    return (await getConsultation(tx, id))!;
  });
}

/** Closes an open consultation: no more comments; the public still sees it and its approved comments. */
export async function closeConsultation(db: Db, id: number): Promise<ConsultationRecord> {
  return db.transaction(async (tx) => {
    const row = (
      await tx.query<{ status: ConsultationStatus }>(
        'SELECT status FROM consultations WHERE id = $1 FOR UPDATE',
        [id],
      )
    ).rows[0];
    if (!row) throw new ConsultationNotFoundError(id);
    if (row.status !== 'open') {
      throw new ConsultationStateError('not-open', `consultation ${id} is ${row.status}, not open`);
    }
    await tx.query(
      `UPDATE consultations SET status = 'closed', closed_at = now(), updated_at = now() WHERE id = $1`,
      [id],
    );
    return (await getConsultation(tx, id))!;
  });
}

/** A comment as staff see it. */
export interface CommentRecord {
  id: number;
  consultationId: number;
  /** Null: anonymous (or removed after the retention period). */
  name: string | null;
  email: string | null;
  category: CommentCategory;
  text: string;
  /** [lon, lat] in degrees, or null. */
  point: [number, number] | null;
  status: CommentStatus;
  createdAt: string;
  moderatedAt: string | null;
  moderatedBy: string | null;
}

/** A comment as the public sees it: approved only, never an email address. */
export interface PublicComment {
  id: number;
  /** "Anonymous" when the commenter gave no name. */
  name: string;
  category: CommentCategory;
  text: string;
  point: [number, number] | null;
  createdAt: string;
}

export const ANONYMOUS = 'Anonymous';

/** A comment as it arrives from a form or the API, before checking. */
export interface CommentInput {
  name?: unknown;
  anonymous?: unknown;
  email?: unknown;
  category?: unknown;
  text?: unknown;
  lon?: unknown;
  lat?: unknown;
}

export interface NewComment {
  name: string | null;
  email: string | null;
  category: CommentCategory;
  text: string;
  point: [number, number] | null;
}

/** One thing wrong with a comment, in words for the person who wrote it (GOV.UK error message style). */
export interface CommentFieldError {
  field: 'name' | 'email' | 'category' | 'text' | 'point';
  message: string;
}

/**
 * Tidies text from a form: Windows line ends, and control characters other than tab and newline (which no
 * person types, and which PostgreSQL cannot store when NUL), are removed.
 */
const cleanText = (v: unknown): string =>
  typeof v === 'string'
    ? v
        .replace(/\r\n?/g, '\n')
        // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
        .trim()
    : '';

const truthy = (v: unknown) => v === true || v === 'true' || v === 'on' || v === 'yes' || v === '1';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const toNumber = (v: unknown): number | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * Checks a comment from the public and returns it tidied, or every problem with it (so a form can show them
 * all at once). Shared by the JSON API and the HTML form so both apply the same rules.
 */
export function checkComment(
  input: CommentInput,
): { ok: true; comment: NewComment } | { ok: false; errors: CommentFieldError[] } {
  const L = COMMENT_LIMITS;
  const errors: CommentFieldError[] = [];
  const anonymous = truthy(input.anonymous);
  const name = anonymous ? '' : cleanText(input.name);
  if (!anonymous && name.length === 0) {
    errors.push({ field: 'name', message: 'Enter your name, or choose to comment anonymously' });
  } else if (name.length > L.nameMax) {
    errors.push({ field: 'name', message: `Name must be ${L.nameMax} characters or fewer` });
  }
  const email = cleanText(input.email).toLowerCase();
  if (email.length > L.emailMax) {
    errors.push({ field: 'email', message: `Email address must be ${L.emailMax} characters or fewer` });
  } else if (email && !EMAIL.test(email)) {
    errors.push({
      field: 'email',
      message: 'Enter an email address in the correct format, like name@example.com',
    });
  }
  const category = COMMENT_CATEGORIES.find((c) => c === input.category);
  if (!category) {
    errors.push({
      field: 'category',
      message: 'Select whether you support the proposal, object to it, or have a question',
    });
  }
  const text = cleanText(input.text);
  if (text.length === 0) errors.push({ field: 'text', message: 'Enter your comment' });
  else if (text.length > L.textMax) {
    errors.push({ field: 'text', message: `Comment must be ${L.textMax} characters or fewer` });
  }
  const lon = toNumber(input.lon);
  const lat = toNumber(input.lat);
  const anyPoint = (input.lon ?? '') !== '' || (input.lat ?? '') !== '';
  let point: [number, number] | null = null;
  if (anyPoint) {
    if (lon === null || lat === null || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      errors.push({
        field: 'point',
        message: 'The place on the map is not valid: choose it again or remove it',
      });
    } else point = [lon, lat];
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    comment: { name: name || null, email: email || null, category: category!, text, point },
  };
}

/** A comment the public sent is not valid: every field at fault, with a message for the person. */
export class CommentValidationError extends DataError {
  constructor(readonly errors: CommentFieldError[]) {
    super('invalid-comment', errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  }
}

/** How far outside its dataset's extent a pinned point may be (degrees, about 1 km): a comment on the edge counts. */
const POINT_MARGIN_DEG = 0.01;

/**
 * Stores a comment from the public as pending (it appears only after a planner approves it). Refused when the
 * consultation is not public, not open or outside its dates, or when the pinned place is far from the area.
 */
export async function submitComment(
  db: Db,
  consultationId: number,
  input: CommentInput,
): Promise<{ id: number; status: 'pending' }> {
  const checked = checkComment(input);
  if (!checked.ok) throw new CommentValidationError(checked.errors);
  const c = checked.comment;
  const consultation = await getPublicConsultation(db, consultationId);
  if (!consultation) throw new ConsultationNotFoundError(consultationId);
  if (!consultation.acceptingComments) {
    throw new ConsultationStateError(
      'consultation-not-accepting-comments',
      consultation.status === 'closed' || Date.parse(consultation.closesAt) <= Date.now()
        ? `consultation ${consultationId} closed on ${consultation.closesAt}: it no longer takes comments`
        : `consultation ${consultationId} opens for comments on ${consultation.opensAt}`,
    );
  }
  if (c.point) {
    const bbox = (await getDataset(db, consultation.dataset))?.bbox;
    const m = POINT_MARGIN_DEG;
    const [lon, lat] = c.point;
    if (bbox && (lon < bbox[0] - m || lon > bbox[2] + m || lat < bbox[1] - m || lat > bbox[3] + m)) {
      throw new CommentValidationError([
        { field: 'point', message: 'The place on the map must be in the area of the proposal' },
      ]);
    }
  }
  const r = await db.query<{ id: number }>(
    `INSERT INTO comments (consultation_id, name, email, category, body, point)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($6, $7), 4326) END)
     RETURNING id`,
    [consultationId, c.name, c.email, c.category, c.text, c.point?.[0] ?? null, c.point?.[1] ?? null],
  );
  return { id: r.rows[0].id, status: 'pending' };
}

const POINT_SQL = `CASE WHEN m.point IS NULL THEN NULL ELSE json_build_array(ST_X(m.point), ST_Y(m.point)) END`;

/** Approved comments of a public consultation, oldest first; never emails, never pending or rejected ones. */
export async function listPublicComments(db: Db, consultationId: number): Promise<PublicComment[]> {
  const r = await db.query<PublicComment>(
    `SELECT m.id, coalesce(m.name, $2) AS name, m.category, m.body AS text, ${POINT_SQL} AS point,
       ${ts('m.created_at')} AS "createdAt"
     FROM comments m JOIN consultations c ON c.id = m.consultation_id JOIN scenarios s ON s.id = c.scenario_id
     WHERE m.consultation_id = $1 AND m.status = 'approved' AND ${PUBLIC_WHERE}
     ORDER BY m.created_at, m.id`,
    [consultationId, ANONYMOUS],
  );
  return r.rows;
}

const COMMENT_COLUMNS = `m.id, m.consultation_id AS "consultationId", m.name, m.email, m.category, m.body AS text,
  ${POINT_SQL} AS point, m.status, ${ts('m.created_at')} AS "createdAt",
  ${tsOrNull('m.moderated_at')} AS "moderatedAt", u.display_name AS "moderatedBy"`;
const COMMENT_FROM = 'comments m LEFT JOIN users u ON u.id = m.moderated_by';

/** Comments of a consultation for staff (every status, or one), oldest first. */
export async function listComments(
  db: Db,
  consultationId: number,
  filter: { status?: CommentStatus } = {},
): Promise<CommentRecord[]> {
  const r = await db.query<CommentRecord>(
    `SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM}
     WHERE m.consultation_id = $1 AND ($2::text IS NULL OR m.status = $2) ORDER BY m.created_at, m.id`,
    [consultationId, filter.status ?? null],
  );
  return r.rows;
}

export class CommentNotFoundError extends DataError {
  constructor(readonly commentId: number) {
    super('unknown-comment', `no comment with id ${commentId}`);
  }
}

/**
 * Approves a comment (it becomes public) or rejects it (it never is, or stops being). A decision can be
 * changed; the moderator and time are recorded.
 */
export async function moderateComment(
  db: Db,
  commentId: number,
  decision: 'approve' | 'reject',
  moderatorId: number | null,
): Promise<CommentRecord> {
  const status: CommentStatus = decision === 'approve' ? 'approved' : 'rejected';
  const r = await db.query<{ id: number }>(
    `UPDATE comments SET status = $2, moderated_at = now(), moderated_by = $3 WHERE id = $1 RETURNING id`,
    [commentId, status, moderatorId],
  );
  if (!r.rows[0]) throw new CommentNotFoundError(commentId);
  return (
    await db.query<CommentRecord>(`SELECT ${COMMENT_COLUMNS} FROM ${COMMENT_FROM} WHERE m.id = $1`, [
      commentId,
    ])
  ).rows[0];
}

export interface CommentSummary {
  consultationId: number;
  total: number;
  byStatus: Record<CommentStatus, number>;
  /** Counts by category, all statuses together and split by status. */
  byCategory: Record<CommentCategory, { total: number } & Record<CommentStatus, number>>;
  /** Comments pinned to a place. */
  withPoint: number;
}

export async function commentSummary(db: Db, consultationId: number): Promise<CommentSummary> {
  const rows = (
    await db.query<{ category: CommentCategory; status: CommentStatus; n: number; pinned: number }>(
      `SELECT category, status, count(*)::int AS n, count(point)::int AS pinned FROM comments
       WHERE consultation_id = $1 GROUP BY category, status`,
      [consultationId],
    )
  ).rows;
  const zero = () => ({ total: 0, pending: 0, approved: 0, rejected: 0 });
  const byCategory = { support: zero(), object: zero(), question: zero() };
  const byStatus = { pending: 0, approved: 0, rejected: 0 };
  let withPoint = 0;
  for (const r of rows) {
    byCategory[r.category][r.status] += r.n;
    byCategory[r.category].total += r.n;
    byStatus[r.status] += r.n;
    withPoint += r.pinned;
  }
  const total = byStatus.pending + byStatus.approved + byStatus.rejected;
  return { consultationId, total, byStatus, byCategory, withPoint };
}

/** A named street of a dataset near an area, and its point nearest the middle of the area. */
export interface NearbyStreet {
  name: string;
  /** [lon, lat] in degrees. */
  point: [number, number];
}

/**
 * Named streets (OpenStreetMap highways in the dataset's map features) within `distanceM` of an area, nearest
 * first, each once however many ways it is drawn with: the places a resident may mean besides the buildings.
 */
export async function streetsNear(
  db: Db,
  dataset: string,
  area: { type: string; coordinates: unknown },
  distanceM = 100,
  limit = 5,
): Promise<NearbyStreet[]> {
  const r = await db.query<{ name: string; lon: number; lat: number }>(
    `WITH area AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($2), 4326) AS g),
     near AS (
       SELECT f.name, f.geom FROM map_features f JOIN datasets d ON d.id = f.dataset_id, area
       WHERE d.name = $1 AND f.layer = 'road' AND coalesce(f.name, '') <> ''
         AND f.geom && ST_Expand(area.g, $3 / 50000.0)
         AND ST_DWithin(f.geom::geography, area.g::geography, $3))
     SELECT name, ST_X(pt) AS lon, ST_Y(pt) AS lat FROM (
       SELECT near.name, ST_ClosestPoint(ST_Collect(near.geom), ST_Centroid(area.g)) AS pt,
         min(ST_Distance(near.geom::geography, area.g::geography)) AS d
       FROM near, area GROUP BY near.name, area.g) x
     ORDER BY d, name LIMIT $4`,
    [dataset, JSON.stringify(area), distanceM, limit],
  );
  return r.rows.map((row) => ({ name: row.name, point: [row.lon, row.lat] }));
}

/** How far from a proposal's site a pinned comment still counts as "nearby" (metres). */
export const NEARBY_SITE_M = 250;

/** Comments (every status) by where they are pinned, against the site of the consultation's scenario. */
export interface CommentAreaCounts {
  /** Pinned inside the site. */
  site: number;
  /** Pinned outside the site but within NEARBY_SITE_M of it. */
  nearby: number;
  /** Pinned further away (or the scenario has no site). */
  further: number;
  unpinned: number;
}

export async function commentsByArea(db: Db, consultationId: number): Promise<CommentAreaCounts> {
  const r = await db.query<CommentAreaCounts>(
    `SELECT
       count(*) FILTER (WHERE m.point IS NOT NULL AND s.site IS NOT NULL AND ST_Intersects(m.point, s.site))::int AS site,
       count(*) FILTER (WHERE m.point IS NOT NULL AND s.site IS NOT NULL AND NOT ST_Intersects(m.point, s.site)
         AND ST_DWithin(m.point::geography, s.site::geography, $2))::int AS nearby,
       count(*) FILTER (WHERE m.point IS NOT NULL
         AND (s.site IS NULL OR NOT ST_DWithin(m.point::geography, s.site::geography, $2)))::int AS further,
       count(*) FILTER (WHERE m.point IS NULL)::int AS unpinned
     FROM comments m JOIN consultations c ON c.id = m.consultation_id JOIN scenarios s ON s.id = c.scenario_id
     WHERE m.consultation_id = $1`,
    [consultationId, NEARBY_SITE_M],
  );
  return r.rows[0];
}

/**
 * Deletes names and email addresses of comments on consultations whose retention period after closing has
 * ended, and deletes their rejected comments outright. Approved and pending comment texts stay, anonymised.
 * The retention job (`runRetention` in privacy.ts, which also logs each change and ends expired sessions).
 */
export async function removeExpiredPersonalData(
  db: Db,
): Promise<{ anonymised: number; rejectedDeleted: number }> {
  const r = await runRetention(db);
  return { anonymised: r.anonymisedComments.length, rejectedDeleted: r.deletedComments.length };
}

/** The figures a resident needs about a consultation's scenario, measured against the baseline. */
export interface ConsultationFacts {
  scenarioId: number;
  scenarioVersion: number;
  /** Buildings the scenario adds, demolishes and changes (height, use, footprint, …). */
  buildingsAdded: number;
  buildingsDemolished: number;
  buildingsChanged: number;
  /** Over the scenario's site when it has one, else over the dataset's extent. */
  studyArea: 'site' | 'dataset-extent' | null;
  studyAreaM2: number | null;
  before: FactFigures;
  after: FactFigures;
}

export interface FactFigures {
  /** Estimated from floor area (see @placetwin/scenario ratios), unless the scenario states them. */
  homes: number;
  jobs: number;
  floorAreaM2: number;
  maxHeightM: number;
}

const factCache = new WeakMap<Db, Map<string, Promise<ConsultationFacts>>>();
const FACT_CACHE_SIZE = 64;

/**
 * The key facts of a scenario (its version at the time), computed with the same indicators as the planners'
 * tools. Kept per scenario version and dataset import, so a busy consultation page does not recompute them.
 */
export async function consultationFacts(db: Db, scenarioId: number): Promise<ConsultationFacts> {
  const s = await getScenario(db, scenarioId);
  if (!s) throw new ScenarioNotFoundError(scenarioId);
  const imported = (
    await db.query<{ at: string }>(`SELECT imported_at::text AS at FROM datasets WHERE name = $1`, [
      s.dataset,
    ])
  ).rows[0]?.at;
  const key = `${scenarioId}:${s.version}:${imported}`;
  let cache = factCache.get(db);
  if (!cache) {
    cache = new Map();
    factCache.set(db, cache);
  }
  const hit = cache.get(key);
  if (hit) return hit;
  const computed = compareScenarios(db, 'baseline', scenarioId).then((c) => {
    const figures = (i: (typeof c)['a']['indicators']): FactFigures => ({
      homes: i.homes,
      jobs: i.jobs,
      floorAreaM2: i.gfaM2.total,
      maxHeightM: i.maxHeightM,
    });
    return {
      scenarioId,
      scenarioVersion: s.version,
      buildingsAdded: c.diff.added.length,
      buildingsDemolished: c.diff.removed.length,
      buildingsChanged: c.diff.changed.length,
      studyArea: c.studyArea?.source ?? null,
      studyAreaM2: c.studyArea?.areaM2 ?? null,
      before: figures(c.a.indicators),
      after: figures(c.b.indicators),
    };
  });
  computed.catch(() => cache.delete(key));
  if (cache.size >= FACT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, computed);
  return computed;
}

/**
 * Staff accounts and sessions. The public needs no account; staff sign in with an email and a password.
 *
 * Passwords: scrypt (RFC 7914) from node:crypto with a 16-byte random salt per user and the OWASP Password Storage
 * Cheat Sheet's parameters (N = 2^17, r = 8, p = 1: 128 MiB, about a second of one core), compared in constant
 * time. The parameters are stored with the hash (`$scrypt$ln=17,r=8,p=1$salt$hash`), so raising them later only
 * affects new hashes, and `verifyPassword` says when a stored hash is weaker than today's default.
 *
 * Sessions: a 256-bit random token in the cookie; only its SHA-256 is stored, with the user, a CSRF token, an
 * absolute expiry and the time last seen (idle expiry). They live in the database, so every server process sees
 * the same sessions and signing out ends the session everywhere.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DataError } from '@placetwin/geo';
import type { Db } from './db';

export const ROLES = ['admin', 'planner', 'councillor'] as const;
/** Staff roles. The public is not a role in the table: it is the absence of a session. */
export type Role = (typeof ROLES)[number];
export const isRole = (v: unknown): v is Role =>
  typeof v === 'string' && (ROLES as readonly string[]).includes(v);

export interface User {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
  disabled: boolean;
  /** The area (council) the account belongs to: staff act only on their area's records. */
  areaId: string;
}

/** A signed-in staff member, as a request sees them. */
export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  /** The area (council) the account belongs to. */
  areaId: string;
  /** The token each write made with this session must carry (header `x-csrf-token` or form field `_csrf`). */
  csrfToken: string;
}

export interface ScryptOptions {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/** OWASP Password Storage Cheat Sheet (2025): N = 2^17, r = 8, p = 1. */
export const SCRYPT_DEFAULTS: Readonly<ScryptOptions> = Object.freeze({ logN: 17, r: 8, p: 1 });

/** NCSC and NIST SP 800-63B favour length over composition rules; the maximum bounds the hashing work. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const SALT_BYTES = 16;
const KEY_BYTES = 32;

function scryptKey(password: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> {
  const N = 2 ** o.logN;
  return new Promise((resolve, reject) => {
    // Node refuses to use more than maxmem (default 32 MiB); scrypt needs 128·N·r bytes.
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_BYTES,
      { N, r: o.r, p: o.p, maxmem: 256 * N * o.r },
      (e, k) => (e ? reject(e) : resolve(k)),
    );
  });
}

export function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < PASSWORD_MIN_LENGTH) {
    throw new DataError('weak-password', `password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new DataError('invalid-password', `password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}

/** A new scrypt hash of `password` with a fresh random salt, in the self-describing stored form. */
export async function hashPassword(password: string, options: Partial<ScryptOptions> = {}): Promise<string> {
  const o = { ...SCRYPT_DEFAULTS, ...options };
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptKey(password, salt, o);
  return `$scrypt$ln=${o.logN},r=${o.r},p=${o.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const STORED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/**
 * Whether `password` matches a stored hash (constant-time comparison of the derived keys), and whether the hash
 * was made with weaker parameters than `target` (the caller may then store a new one).
 */
export async function verifyPassword(
  password: string,
  stored: string,
  target: Readonly<ScryptOptions> = SCRYPT_DEFAULTS,
): Promise<{ ok: boolean; needsRehash: boolean }> {
  const m = STORED.exec(stored);
  if (!m) return { ok: false, needsRehash: true };
  const o = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (o.logN < 10 || o.logN > 22 || o.r < 1 || o.p < 1) return { ok: false, needsRehash: true };
  const expected = Buffer.from(m[5], 'base64');
  const key = await scryptKey(password, Buffer.from(m[4], 'base64'), o);
  const ok = key.length === expected.length && timingSafeEqual(key, expected);
  const needsRehash = o.logN < target.logN || o.r < target.r || o.p < target.p;
  return { ok, needsRehash };
}

/** Deliberately loose: one @, something either side, no spaces. The address is checked by using it. */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function normaliseEmail(email: unknown): string {
  const e = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (!EMAIL.test(e) || e.length > 254) {
    throw new DataError('invalid-email', `"${String(email).slice(0, 80)}" is not an email address`);
  }
  return e;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  password: string;
  /** The user's area; default `default` (the install's first area). */
  areaId?: string;
}

const USER_COLUMNS = `id, email, display_name AS "displayName", role,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
  disabled_at IS NOT NULL AS disabled, area_id AS "areaId"`;

/** Adds a staff account. The email must be new (a DataError `duplicate-user` otherwise). */
export async function createUser(
  db: Db,
  u: NewUser,
  hashOptions: Partial<ScryptOptions> = {},
): Promise<User> {
  const email = normaliseEmail(u.email);
  const displayName = typeof u.displayName === 'string' ? u.displayName.trim() : '';
  if (displayName.length < 1 || displayName.length > 100) {
    throw new DataError('invalid-user', 'display name must be 1–100 characters');
  }
  if (!isRole(u.role)) {
    throw new DataError('invalid-role', `role must be one of ${ROLES.join(', ')}, not "${String(u.role)}"`);
  }
  const hash = await hashPassword(checkPassword(u.password), hashOptions);
  try {
    const r = await db.query<User>(
      `INSERT INTO users (email, display_name, role, password_hash, area_id) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${USER_COLUMNS}`,
      [email, displayName, u.role, hash, u.areaId ?? 'default'],
    );
    return r.rows[0];
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new DataError('duplicate-user', `a user with email ${email} already exists`);
    }
    if ((e as { code?: string }).code === '23503') {
      throw new DataError(
        'unknown-area',
        `there is no area "${u.areaId}" (add it with \`placetwin area add\`)`,
      );
    }
    throw e;
  }
}

/** The users of one area, or (no area: the install operator's CLI) of every area. */
export async function listUsers(db: Db, areaId?: string): Promise<User[]> {
  return (
    await db.query<User>(
      `SELECT ${USER_COLUMNS} FROM users WHERE ($1::text IS NULL OR area_id = $1) ORDER BY id`,
      [areaId ?? null],
    )
  ).rows;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const r = await db.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [
    email.trim().toLowerCase(),
  ]);
  return r.rows[0] ?? null;
}

/** Replaces a user's password; their existing sessions end. */
export async function setUserPassword(
  db: Db,
  userId: number,
  password: string,
  hashOptions: Partial<ScryptOptions> = {},
): Promise<void> {
  const hash = await hashPassword(checkPassword(password), hashOptions);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [userId, hash]);
    await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  });
}

/** Disables (or re-enables) an account; disabling ends its sessions. */
export async function setUserDisabled(db: Db, userId: number, disabled: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END,
         updated_at = now() WHERE id = $1`,
      [userId, disabled],
    );
    if (disabled) await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
  });
}

/**
 * A hash to check a password against when the email is unknown, so that an unknown email takes as long to
 * refuse as a wrong password (no user enumeration by timing). Made once per cost, on first use.
 */
const decoys = new Map<string, Promise<string>>();
const decoyHash = (o: Readonly<ScryptOptions>) => {
  const key = JSON.stringify(o);
  let h = decoys.get(key);
  if (!h) {
    h = hashPassword(randomBytes(18).toString('base64'), o);
    decoys.set(key, h);
  }
  return h;
};

/**
 * The user whose email and password these are, or null (unknown email, wrong password or disabled account: the
 * caller cannot tell which, and neither can an attacker timing it). Upgrades a hash made with weaker parameters.
 */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
  hashOptions: Partial<ScryptOptions> = {},
): Promise<User | null> {
  if (typeof password !== 'string' || password.length > PASSWORD_MAX_LENGTH) return null;
  const target = { ...SCRYPT_DEFAULTS, ...hashOptions };
  const r = await db.query<User & { passwordHash: string }>(
    `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE email = $1`,
    [typeof email === 'string' ? email.trim().toLowerCase() : ''],
  );
  const row = r.rows[0];
  const stored = row?.passwordHash ?? (await decoyHash(target));
  const { ok, needsRehash } = await verifyPassword(password, stored, target);
  if (!row || !ok || row.disabled) return null;
  const { passwordHash: _, ...user } = row;
  if (needsRehash) {
    await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
      user.id,
      await hashPassword(password, target),
    ]);
  }
  return user;
}

export interface SessionOptions {
  /** Absolute lifetime: a session ends this long after sign-in, however busy (default 12 h, a working day). */
  ttlMs: number;
  /** Idle lifetime: a session unused for this long ends (default 2 h). */
  idleMs: number;
}

export const SESSION_DEFAULTS: Readonly<SessionOptions> = Object.freeze({
  ttlMs: 12 * 3600_000,
  idleMs: 2 * 3600_000,
});

const tokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** A random 256-bit token, base64url (43 characters). */
const newToken = (): string => randomBytes(32).toString('base64url');

/**
 * Starts a session for a user and returns its token (for the cookie) and CSRF token. Sessions that have
 * expired (anyone's) are deleted at the same time, so the table does not grow without bound.
 */
export async function createSession(
  db: Db,
  userId: number,
  options: Partial<SessionOptions> = {},
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const o = { ...SESSION_DEFAULTS, ...options };
  const token = newToken();
  const csrfToken = newToken();
  return db.transaction(async (tx) => {
    await tx.query(
      `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1)`,
      [o.idleMs / 1000],
    );
    const r = await tx.query<{ expiresAt: string }>(
      `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "expiresAt"`,
      [tokenHash(token), userId, csrfToken, o.ttlMs / 1000],
    );
    return { token, csrfToken, expiresAt: r.rows[0].expiresAt };
  });
}

/**
 * The user of a live session (not expired, not idle too long, account enabled), marking it seen; null otherwise.
 * One statement, so two server processes answering the same user never disagree.
 */
export async function sessionUser(
  db: Db,
  token: string,
  options: Partial<SessionOptions> = {},
): Promise<SessionUser | null> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) return null;
  const o = { ...SESSION_DEFAULTS, ...options };
  const r = await db.query<SessionUser>(
    `WITH s AS (
       UPDATE sessions SET last_seen_at = now()
       WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2)
       RETURNING user_id, csrf_token)
     SELECT u.id, u.email, u.display_name AS "displayName", u.role, u.area_id AS "areaId",
       s.csrf_token AS "csrfToken"
     FROM s JOIN users u ON u.id = s.user_id WHERE u.disabled_at IS NULL`,
    [tokenHash(token), o.idleMs / 1000],
  );
  return r.rows[0] ?? null;
}

/** Ends a session (sign-out). Unknown tokens are ignored. */
export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash(token)]);
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfTokenMatches(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

import fastifyCookie from '@fastify/cookie';
import {
  csrfTokenMatches,
  type Db,
  type Role,
  type ScryptOptions,
  SESSION_DEFAULTS,
  type SessionOptions,
  type SessionUser,
  sessionUser,
} from '@placetwin/db';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problems';

/** The session cookie: an opaque random token; the database holds only its hash. */
export const SESSION_COOKIE = 'placetwin_session';
/** Header that carries the session's CSRF token on every cookie-authenticated write. */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthOptions {
  db: Db;
  /**
   * Mark the cookie `Secure` (sent over HTTPS only). On by default; turn off only to sign in over plain
   * http://127.0.0.1 in development (PLACETWIN_SECURE_COOKIES=false).
   */
  secureCookies: boolean;
  session?: Partial<SessionOptions>;
  /** scrypt cost for sign-in (default: @placetwin/db SCRYPT_DEFAULTS); tests lower it. */
  passwordHashing?: Partial<ScryptOptions>;
}

/** What the auth plugin gives its routes. */
export interface AuthContext {
  db: Db;
  session: SessionOptions;
  passwordHashing: Partial<ScryptOptions>;
  /** Sets the session cookie with the plugin's flags. */
  setSessionCookie(reply: FastifyReply, token: string): void;
  clearSessionCookie(reply: FastifyReply): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A preHandler that lets only signed-in staff with one of these roles through: 401 without a live session,
     * 403 for another role, and 403 for a write (POST, PUT, PATCH, DELETE) without the session's CSRF token in
     * the `x-csrf-token` header. The public (no session) never passes.
     */
    requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
    auth: AuthContext;
  }
  interface FastifyRequest {
    /** The signed-in staff member, or null for the public. Read from the database once per request, when asked. */
    staff(): Promise<SessionUser | null>;
  }
}

const staffOf = new WeakMap<FastifyRequest, Promise<SessionUser | null>>();

export const unauthenticated = () =>
  new HttpProblem(401, 'unauthenticated', 'sign in as a member of staff first (POST /api/auth/login)');

/** Throws unless the write carries the session's CSRF token (synchronizer token pattern, OWASP). */
export function checkCsrf(request: FastifyRequest, user: SessionUser): void {
  if (SAFE_METHODS.has(request.method)) return;
  if (!csrfTokenMatches(user.csrfToken, request.headers[CSRF_HEADER])) {
    throw new HttpProblem(
      403,
      'csrf-token-invalid',
      `missing or wrong CSRF token: send the csrfToken from GET /api/auth/me in the ${CSRF_HEADER} header`,
    );
  }
}

/**
 * Staff sign-in for the whole app: sessions in the database (shared by every server process), an HttpOnly,
 * SameSite=Lax, Secure cookie, a per-session CSRF token for writes, and `requireRole` for routes.
 */
async function authPlugin(app: FastifyInstance, options: AuthOptions) {
  const session: SessionOptions = { ...SESSION_DEFAULTS, ...options.session };
  await app.register(fastifyCookie);

  const cookieFlags = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: options.secureCookies,
  };
  app.decorate('auth', {
    db: options.db,
    session,
    passwordHashing: options.passwordHashing ?? {},
    setSessionCookie: (reply: FastifyReply, token: string) => {
      reply.setCookie(SESSION_COOKIE, token, { ...cookieFlags, maxAge: Math.floor(session.ttlMs / 1000) });
    },
    clearSessionCookie: (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, cookieFlags);
    },
  } satisfies AuthContext);

  app.decorateRequest('staff', function (this: FastifyRequest) {
    let user = staffOf.get(this);
    if (!user) {
      const token = this.cookies[SESSION_COOKIE];
      user = token ? sessionUser(options.db, token, session) : Promise.resolve(null);
      staffOf.set(this, user);
    }
    return user;
  });

  app.decorate('requireRole', (...roles: Role[]): preHandlerAsyncHookHandler => {
    const allowed = new Set<Role>(roles);
    return async (request) => {
      const user = await request.staff();
      if (!user) throw unauthenticated();
      if (!allowed.has(user.role)) {
        throw new HttpProblem(
          403,
          'forbidden',
          `this needs the role ${[...allowed].join(' or ')}; you are signed in as ${user.role}`,
        );
      }
      checkCsrf(request, user);
    };
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['problem-handler'] });

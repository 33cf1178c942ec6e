/**
 * The public consultation site (apps/consult), mounted by app.ts at `/consult`: server-rendered GOV.UK-style
 * pages over the same public queries as `/api/consultations`, and the staff pages (`/consult/staff`) over the
 * same sessions as the API (the auth plugin's cookie, CSRF token and scrypt sign-in).
 */
import { randomBytes } from 'node:crypto';
import { type ConsultSiteOptions, consultSite, type StaffAuth } from '@placetwin/consult';
import { authenticate, createSession, csrfTokenMatches, deleteSession, sessionUser } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../plugins/app/auth';
import { LOGIN_RATE_LIMIT_PER_MINUTE } from '../api/auth';
import { staffJobs } from '../api/jobs';

export const CONSULT_PREFIX = '/consult';

/** The sign-in form's token (double submit): in this cookie and in the form; a page from another site has neither. */
export const SIGN_IN_COOKIE = 'placetwin_sign_in';
const SIGN_IN_TOKEN_MAX_AGE_S = 3600;

export interface ConsultRoutesOptions extends Omit<ConsultSiteOptions, 'staffAuth'> {
  /** The cookies' `Secure` flag, as for the session cookie. */
  secureCookies: boolean;
  /** The job queue's schema (PLACETWIN_JOBS_SCHEMA), for the staff Jobs page. */
  jobsSchema?: string;
}

/** Staff sign-in for the site's pages, through the auth plugin's sessions (`app.auth`). */
function staffAuth(app: FastifyInstance, secure: boolean, prefix: string): StaffAuth {
  const { db } = app.auth;
  const signInCookie = { path: `${prefix}/staff`, httpOnly: true, sameSite: 'strict' as const, secure };
  return {
    user: (request) => request.staff(),
    async signIn(request, reply, email, password) {
      const user = await authenticate(db, email, password, app.auth.passwordHashing);
      if (!user) return null;
      // A new token on every sign-in (as the API does): a planted cookie is never promoted.
      const old = request.cookies[SESSION_COOKIE];
      if (old) await deleteSession(db, old);
      const s = await createSession(db, user.id, app.auth.session);
      app.auth.setSessionCookie(reply, s.token);
      reply.clearCookie(SIGN_IN_COOKIE, signInCookie);
      return sessionUser(db, s.token, app.auth.session);
    },
    async signOut(request, reply) {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(db, token);
      app.auth.clearSessionCookie(reply);
    },
    issueSignInToken(reply) {
      const token = randomBytes(24).toString('base64url');
      reply.setCookie(SIGN_IN_COOKIE, token, { ...signInCookie, maxAge: SIGN_IN_TOKEN_MAX_AGE_S });
      return token;
    },
    signInTokenMatches(request, token) {
      const cookie = request.cookies[SIGN_IN_COOKIE];
      return Boolean(cookie) && csrfTokenMatches(cookie!, token);
    },
  };
}

export default async function consultRoutes(
  app: FastifyInstance,
  options: ConsultRoutesOptions,
): Promise<void> {
  const { secureCookies, jobsSchema, ...site } = options;
  await consultSite(app, {
    ...site,
    staffJobs: staffJobs(site.db, jobsSchema),
    staffAuth: staffAuth(app, secureCookies, app.prefix),
    areaOf: (request) => request.area(),
    signInPerMinute: LOGIN_RATE_LIMIT_PER_MINUTE,
  });
}

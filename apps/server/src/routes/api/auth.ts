import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authenticate, createSession, deleteSession, PASSWORD_MAX_LENGTH } from '@placetwin/db';
import Type from 'typebox';
import { checkCsrf, SESSION_COOKIE, unauthenticated } from '../../plugins/app/auth';
import { HttpProblem } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

/** Sign-in attempts per minute per client address: enough for typos, far too few to guess passwords. */
export const LOGIN_RATE_LIMIT_PER_MINUTE = 10;

const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    displayName: Type.String(),
    role: Type.Union([Type.Literal('admin'), Type.Literal('planner'), Type.Literal('councillor')]),
  },
  { title: 'StaffUser' },
);

const SessionSchema = Type.Object(
  {
    user: UserSchema,
    csrfToken: Type.String({
      description: 'Send it in the x-csrf-token header with every write (POST, PATCH, PUT, DELETE)',
    }),
  },
  { title: 'StaffSession' },
);

/** Staff sign-in, sign-out and "who am I". The public needs none of these. */
const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.auth;

  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in as staff: sets the session cookie and returns the CSRF token for writes',
        // JSON only: a cross-site HTML form cannot send application/json, so no one can be signed in unawares.
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 254 }),
          password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
        }),
        response: { 200: SessionSchema, 401: ProblemSchema, 429: ProblemSchema },
      },
      config: { rateLimit: { max: LOGIN_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const user = await authenticate(db, email, password, app.auth.passwordHashing);
      if (!user) throw new HttpProblem(401, 'invalid-credentials', 'wrong email address or password');
      // A new token on every sign-in: a token planted before sign-in (session fixation) is never promoted.
      const old = request.cookies[SESSION_COOKIE];
      if (old) await deleteSession(db, old);
      const s = await createSession(db, user.id, app.auth.session);
      app.auth.setSessionCookie(reply, s.token);
      return {
        user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role },
        csrfToken: s.csrfToken,
      };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends the session everywhere and clears the cookie (needs the CSRF token)',
        response: { 204: Type.Null(), 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const user = await request.staff();
      if (user) {
        checkCsrf(request, user);
        await deleteSession(db, request.cookies[SESSION_COOKIE]!);
      }
      app.auth.clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in staff member and the CSRF token of their session; 401 for the public',
        response: { 200: SessionSchema, 401: ProblemSchema },
      },
    },
    async (request) => {
      const user = await request.staff();
      if (!user) throw unauthenticated();
      const { csrfToken, ...rest } = user;
      return { user: rest, csrfToken };
    },
  );
};

export default authRoutes;

/**
 * The data protection officer's API (admins only): what personal data the install holds, the privacy log, the
 * retention job on demand, and subject access and erasure by email address. Every answer is `no-store`; every
 * write needs the session's CSRF token (requireRole). Look-ups by email are logged in privacy_log (without the
 * address), and so is each record erased.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type Db,
  eraseSubject,
  LastAdminError,
  listPrivacyLog,
  privacyInventory,
  runRetention,
  subjectData,
  userActor,
} from '@placetwin/db';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { HttpProblem } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

export interface PrivacyRoutesOptions {
  db: Db;
}

const tags = ['privacy (admin)'];
const instant = Type.String({ format: 'date-time' });
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const EmailQuery = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }) });

const SubjectSchema = Type.Object(
  {
    email: Type.String(),
    generatedAt: instant,
    comments: Type.Array(
      Type.Object({
        id: Type.Integer(),
        consultationId: Type.Integer(),
        consultationTitle: Type.String(),
        areaId: Type.String(),
        name: nullable(Type.String()),
        email: nullable(Type.String()),
        category: Type.String(),
        text: Type.String(),
        point: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]),
        status: Type.String(),
        createdAt: instant,
        moderatedAt: nullable(instant),
      }),
    ),
    staffAccount: Type.Union([
      Type.Object({
        id: Type.Integer(),
        email: Type.String(),
        displayName: Type.String(),
        role: Type.String(),
        areaId: Type.String(),
        createdAt: instant,
        updatedAt: instant,
        disabledAt: nullable(instant),
        sessions: Type.Array(Type.Object({ createdAt: instant, lastSeenAt: instant, expiresAt: instant })),
      }),
      Type.Null(),
    ]),
  },
  { title: 'PrivacySubject', description: 'Everything held for one email address; never a password hash' },
);

const ErasureSchema = Type.Object(
  {
    email: Type.String(),
    anonymisedComments: Type.Array(Type.Integer()),
    deletedComments: Type.Array(Type.Integer()),
    deletedUser: Type.Union([Type.Integer(), Type.Null()]),
  },
  { title: 'PrivacyErasure' },
);

const RetentionSchema = Type.Object(
  {
    now: instant,
    dryRun: Type.Boolean(),
    consultations: Type.Array(Type.Object({ id: Type.Integer(), areaId: Type.String(), dueAt: instant })),
    anonymisedComments: Type.Array(Type.Integer()),
    deletedComments: Type.Array(Type.Integer()),
    deletedSessions: Type.Integer(),
  },
  { title: 'PrivacyRetentionRun' },
);

const InventorySchema = Type.Object(
  {
    consultations: Type.Array(
      Type.Object({
        id: Type.Integer(),
        title: Type.String(),
        areaId: Type.String(),
        status: Type.String(),
        comments: Type.Integer(),
        withName: Type.Integer(),
        withEmail: Type.Integer(),
        withPoint: Type.Integer(),
        retentionDays: Type.Integer(),
        retentionFromArea: Type.Boolean(),
        dueAt: nullable(instant),
      }),
    ),
    staff: Type.Object({
      accounts: Type.Integer(),
      disabled: Type.Integer(),
      byRole: Type.Record(Type.String(), Type.Integer()),
      liveSessions: Type.Integer(),
    }),
    areas: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        retentionDays: Type.Integer(),
        eraseKeepsApprovedText: Type.Boolean(),
        privacyContact: nullable(Type.String()),
      }),
    ),
  },
  { title: 'PrivacyInventory' },
);

const LogSchema = Type.Array(
  Type.Object({
    id: Type.Integer(),
    at: instant,
    action: Type.String(),
    recordType: Type.String(),
    recordId: Type.Union([Type.Integer(), Type.Null()]),
    areaId: nullable(Type.String()),
    reason: Type.String(),
    actor: Type.String(),
    detail: Type.Record(Type.String(), Type.Unknown()),
  }),
  { title: 'PrivacyLog' },
);

const refusals = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema };

const privacyRoutes: FastifyPluginAsyncTypebox<PrivacyRoutesOptions> = async (app, { db }) => {
  const admins = app.requireRole('admin');
  const actor = async (request: FastifyRequest) => userActor((await request.staff())!.id);
  /** An admin acts on their own area's personal data only (tenancy); the CLI covers the whole install. */
  const areaOf = async (request: FastifyRequest) => (await request.staff())!.areaId;

  // Personal data: never kept by a browser or proxy cache.
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/admin/privacy')) reply.header('cache-control', 'no-store');
  });

  app.get(
    '/api/admin/privacy/inventory',
    {
      preHandler: admins,
      schema: {
        tags,
        summary: 'What personal data the install holds: per consultation, staff accounts, retention per area',
        response: { 200: InventorySchema, ...refusals },
      },
    },
    async (request) => privacyInventory(db, new Date(), await areaOf(request)),
  );

  app.get(
    '/api/admin/privacy/log',
    {
      preHandler: admins,
      schema: {
        tags,
        summary: 'The privacy log, newest first: every deletion, anonymisation and export of personal data',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }),
        response: { 200: LogSchema, ...refusals },
      },
    },
    async (request) => listPrivacyLog(db, { limit: request.query.limit, areaId: await areaOf(request) }),
  );

  app.post(
    '/api/admin/privacy/retention',
    {
      preHandler: admins,
      schema: {
        tags,
        summary:
          'Run the retention job now (it also runs on a timer); dryRun reports without changing anything',
        body: Type.Optional(Type.Object({ dryRun: Type.Optional(Type.Boolean()) })),
        response: { 200: RetentionSchema, ...refusals },
      },
    },
    async (request) =>
      runRetention(db, { dryRun: request.body?.dryRun ?? false, areaId: await areaOf(request) }),
  );

  app.get(
    '/api/admin/privacy/subject',
    {
      preHandler: admins,
      schema: {
        tags,
        summary: 'Subject access: everything held for an email address (comments, staff account); logged',
        querystring: EmailQuery,
        response: { 200: SubjectSchema, ...refusals },
      },
    },
    async (request) => subjectData(db, request.query.email, await actor(request), await areaOf(request)),
  );

  app.get(
    '/api/admin/privacy/subject/export',
    {
      preHandler: admins,
      schema: {
        tags,
        summary: 'The same, as a JSON file to download and send to the person',
        querystring: EmailQuery,
        response: { 200: SubjectSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const data = await subjectData(db, request.query.email, await actor(request), await areaOf(request));
      reply.header(
        'content-disposition',
        `attachment; filename="personal-data-${data.generatedAt.slice(0, 10)}.json"`,
      );
      return data;
    },
  );

  app.post(
    '/api/admin/privacy/erase',
    {
      preHandler: admins,
      schema: {
        tags,
        summary:
          "Erasure: deletes an email address's comments (or keeps approved text, anonymised, per policy) and staff account",
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 254 }),
          keepModeratedText: Type.Optional(
            Type.Boolean({
              description:
                "Keep the text of approved comments without name, email or place; default: each area's policy",
            }),
          ),
        }),
        response: { 200: ErasureSchema, ...refusals, 409: ProblemSchema },
      },
    },
    async (request) => {
      try {
        return await eraseSubject(db, request.body.email, {
          actor: await actor(request),
          keepApprovedText: request.body.keepModeratedText,
          areaId: await areaOf(request),
        });
      } catch (e) {
        if (e instanceof LastAdminError) throw new HttpProblem(409, 'last-admin', e.message);
        throw e;
      }
    },
  );
};

export default privacyRoutes;

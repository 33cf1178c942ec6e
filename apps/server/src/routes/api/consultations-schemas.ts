/**
 * TypeBox schemas of the consultations API (OpenAPI at /docs): what the public reads and sends, and what staff
 * manage. Public shapes never have an email address or a moderation status in them.
 */
import { COMMENT_LIMITS, CONSULTATION_LIMITS, HONEYPOT_FIELD } from '@placetwin/db';
import Type from 'typebox';
import { GeometrySchema } from '../schemas';

export const CategorySchema = Type.Union(
  [Type.Literal('support'), Type.Literal('object'), Type.Literal('question')],
  {
    description: 'support, object or question',
  },
);
export const CommentStatusSchema = Type.Union(
  [Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')],
  { description: 'Only approved comments are ever public' },
);
export const ConsultationStatusSchema = Type.Union(
  [Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed')],
  {
    description: 'draft (staff only), open (taking comments between opensAt and closesAt), closed',
  },
);

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const instant = (description: string) => Type.String({ format: 'date-time', description });
const PointSchema = Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()], {
  description: '[lon, lat] in degrees (EPSG:4326), or null when not pinned',
});

/** The published scenario a consultation is about, as the public may see it. */
export const PublicScenarioSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    dataset: Type.String(),
    site: Type.Union([GeometrySchema, Type.Null()], { description: 'The red line, GeoJSON MultiPolygon' }),
    publishedAt: Type.Union([Type.String(), Type.Null()]),
    overlayTilesetUrl: Type.Union([Type.String(), Type.Null()], {
      description: '3D Tiles of the new and changed buildings, drawn over the dataset’s tileset',
    }),
    hiddenBuildingIds: Type.Array(Type.String(), {
      description:
        'Baseline buildings the proposal replaces or demolishes (hide them in the dataset tileset)',
    }),
  },
  { title: 'PublicScenario' },
);

const Figures = Type.Object({
  homes: Type.Number({ description: 'Estimated from floor area unless the scenario states it' }),
  jobs: Type.Number(),
  floorAreaM2: Type.Number(),
  maxHeightM: Type.Number(),
});

export const FactsSchema = Type.Object(
  {
    buildingsAdded: Type.Integer(),
    buildingsDemolished: Type.Integer(),
    buildingsChanged: Type.Integer(),
    studyArea: Type.Union([Type.Literal('site'), Type.Literal('dataset-extent'), Type.Null()]),
    studyAreaM2: Type.Union([Type.Number(), Type.Null()]),
    before: Figures,
    after: Figures,
  },
  { title: 'ConsultationFacts', description: 'The proposal against today, over its site' },
);

const publicFields = {
  id: Type.Integer(),
  title: Type.String(),
  summary: Type.String({ description: 'What is proposed, in plain English' }),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  opensAt: instant('Comments are taken from'),
  closesAt: instant('Comments are taken until'),
  acceptingComments: Type.Boolean(),
  privacyNotice: Type.String(),
  retentionDays: Type.Integer(),
  personalDataDeletedAfter: instant('Names and email addresses are deleted after this'),
  approvedComments: Type.Integer(),
};

export const PublicConsultationSummarySchema = Type.Object(publicFields, {
  title: 'PublicConsultationSummary',
});

export const PublicConsultationSchema = Type.Object(
  { ...publicFields, scenario: PublicScenarioSchema, facts: FactsSchema },
  { title: 'PublicConsultation' },
);

export const PublicCommentSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String({ description: 'The commenter’s name, or "Anonymous"' }),
    category: CategorySchema,
    text: Type.String(),
    point: PointSchema,
    createdAt: instant('Sent at'),
  },
  { title: 'PublicComment' },
);

export const NewCommentBody = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: COMMENT_LIMITS.nameMax })),
    anonymous: Type.Optional(Type.Boolean({ description: 'true: publish as "Anonymous" (name not needed)' })),
    email: Type.Optional(
      Type.String({ maxLength: COMMENT_LIMITS.emailMax, description: 'For replies only; never published' }),
    ),
    category: CategorySchema,
    text: Type.String({ maxLength: COMMENT_LIMITS.textMax }),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    [HONEYPOT_FIELD]: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'Leave out: a comment with this filled in is refused as spam',
      }),
    ),
  },
  { additionalProperties: false, title: 'NewComment' },
);

export const CommentAcceptedSchema = Type.Object({
  id: Type.Integer(),
  status: Type.Literal('pending'),
  message: Type.String(),
});

export const ConsultationSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    summary: Type.String(),
    scenarioId: Type.Integer(),
    scenarioName: Type.String(),
    scenarioStatus: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
    dataset: Type.String(),
    status: ConsultationStatusSchema,
    opensAt: instant('Comments are taken from'),
    closesAt: instant('Comments are taken until'),
    acceptingComments: Type.Boolean(),
    privacyNotice: Type.String(),
    retentionDays: Type.Integer(),
    personalDataDeletedAfter: instant('Names and email addresses are deleted after this'),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    openedAt: Type.Union([Type.String(), Type.Null()]),
    closedAt: Type.Union([Type.String(), Type.Null()]),
    comments: Type.Object({ pending: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer() }),
  },
  { title: 'Consultation' },
);

const L = CONSULTATION_LIMITS;
const consultationFields = {
  title: Type.String({ minLength: 1, maxLength: L.titleMax }),
  summary: Type.String({ minLength: 1, maxLength: L.summaryMax, description: 'Plain English' }),
  scenarioId: Type.Integer({ minimum: 1, description: 'Must be published before the consultation opens' }),
  opensAt: Type.String({ description: 'ISO 8601 date or instant' }),
  closesAt: Type.String({ description: 'ISO 8601 date or instant, after opensAt' }),
  privacyNotice: Type.String({ minLength: 1, maxLength: L.privacyNoticeMax }),
  retentionDays: Type.Integer({ minimum: L.retentionDaysMin, maximum: L.retentionDaysMax }),
};

export const NewConsultationBody = Type.Object(
  {
    ...consultationFields,
    privacyNotice: Type.Optional(consultationFields.privacyNotice),
    retentionDays: Type.Optional(consultationFields.retentionDays),
  },
  { additionalProperties: false },
);

export const UpdateConsultationBody = Type.Partial(Type.Object(consultationFields), {
  additionalProperties: false,
});

export const CommentSchema = Type.Object(
  {
    id: Type.Integer(),
    consultationId: Type.Integer(),
    name: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    category: CategorySchema,
    text: Type.String(),
    point: PointSchema,
    status: CommentStatusSchema,
    createdAt: Type.String(),
    moderatedAt: Type.Union([Type.String(), Type.Null()]),
    moderatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'Comment' },
);

const Counts = Type.Object({ pending: Type.Integer(), approved: Type.Integer(), rejected: Type.Integer() });

export const CommentSummarySchema = Type.Object(
  {
    consultationId: Type.Integer(),
    total: Type.Integer(),
    byStatus: Counts,
    byCategory: Type.Object({
      support: Type.Object({ total: Type.Integer(), ...Counts.properties }),
      object: Type.Object({ total: Type.Integer(), ...Counts.properties }),
      question: Type.Object({ total: Type.Integer(), ...Counts.properties }),
    }),
    withPoint: Type.Integer(),
    byArea: Type.Object(
      {
        site: Type.Integer({ description: 'Pinned inside the site of the scenario' }),
        nearby: Type.Integer({ description: 'Pinned outside the site, within 250 m of it' }),
        further: Type.Integer({ description: 'Pinned further away (or the scenario has no site)' }),
        unpinned: Type.Integer(),
      },
      { description: 'Comments (every status) by where they are pinned' },
    ),
  },
  { title: 'CommentSummary' },
);

export const CommentFeatureCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        id: Type.Integer(),
        geometry: GeometrySchema,
        properties: Type.Object({
          category: CategorySchema,
          text: Type.String(),
          createdAt: Type.String(),
          status: Type.Optional(CommentStatusSchema),
          name: Type.Optional(Type.String()),
        }),
      }),
    ),
  },
  { title: 'CommentFeatureCollection', description: 'Comments pinned to a place, GeoJSON (RFC 7946)' },
);

export const ModerationBody = Type.Object(
  { decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) },
  { additionalProperties: false },
);

/**
 * TypeBox schemas of the stories API (OpenAPI at /docs): committee stories and their slides. The repository checks
 * the same rules again (and names the slide and field), so the database never holds a slide the viewer cannot play.
 */
import { STORY_LIMITS, STORY_SUN_HOURS_MAX_POSITIONS } from '@placetwin/db';
import Type from 'typebox';
import { DatasetNameSchema } from '../schemas';

export const StoryIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const StoryStatusSchema = Type.Union([Type.Literal('draft'), Type.Literal('published')], {
  description: 'draft (staff only) or published (the public may read it once its scenarios are published)',
});

export const StoryCameraSchema = Type.Object(
  {
    lon: Type.Number({ minimum: -180, maximum: 180, description: 'Degrees, WGS84' }),
    lat: Type.Number({ minimum: -90, maximum: 90, description: 'Degrees, WGS84' }),
    heightM: Type.Number({ minimum: -500, maximum: 5e7, description: 'Above the WGS84 ellipsoid, metres' }),
    headingDeg: Type.Number({ minimum: -360, maximum: 360, description: 'Clockwise from north' }),
    pitchDeg: Type.Number({
      minimum: -90,
      maximum: 90,
      description: '0 looks at the horizon, −90 straight down',
    }),
  },
  { title: 'StoryCamera', additionalProperties: false },
);

export const StorySunHoursSchema = Type.Object(
  {
    dataset: DatasetNameSchema,
    area: Type.Object(
      {
        type: Type.Literal('Polygon'),
        coordinates: Type.Array(
          Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), {
            minItems: 4,
            maxItems: STORY_SUN_HOURS_MAX_POSITIONS,
          }),
          { minItems: 1, maxItems: 20 },
        ),
      },
      { additionalProperties: false, description: 'GeoJSON Polygon, WGS84 longitude/latitude, closed rings' },
    ),
    date: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'YYYY-MM-DD; BRE 209 assesses 21 March',
    }),
    cellSizeM: Type.Number({ minimum: 0.5, maximum: 10 }),
    stepMinutes: Type.Integer({ minimum: 1, maximum: 60 }),
    areaName: Type.String({ minLength: 1, maxLength: 40, description: 'What the area is: "garden"' }),
    scenario: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'Before and after this scenario: must be the slide’s scenarioId',
      }),
    ),
  },
  {
    title: 'StorySunHours',
    additionalProperties: false,
    description:
      'The sun-hours analysis on show when the slide was saved (as POST /api/solar/sun-hours takes it): the report prints its result and the BRE 209 verdict',
  },
);

export const StorySlideSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: STORY_LIMITS.slideTitleMax }),
    text: Type.String({
      maxLength: STORY_LIMITS.slideTextMax,
      description: 'The caption; printed in the report',
    }),
    camera: StoryCameraSchema,
    time: Type.String({
      format: 'date-time',
      description: 'The scene time (sun, shadows), an ISO 8601 instant',
    }),
    layers: Type.Object(
      {
        basemap: Type.Boolean(),
        buildings: Type.Record(DatasetNameSchema, Type.Boolean(), {
          description: 'By dataset name; a dataset not listed is shown',
        }),
      },
      { additionalProperties: false },
    ),
    shadows: Type.Optional(Type.Boolean({ description: 'Sun shadows on (default false)' })),
    colourBy: Type.Optional(
      Type.String({ pattern: '^[A-Za-z]{1,32}$', description: 'The colour scheme (default height)' }),
    ),
    scenarioId: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
        description: 'The scenario shown, or null (default) for the baseline',
      }),
    ),
    compare: Type.Optional(
      Type.Boolean({ description: 'Baseline and scenario side by side (needs a scenario; default false)' }),
    ),
    sunHours: Type.Optional(StorySunHoursSchema),
  },
  { title: 'StorySlide', additionalProperties: false },
);

const storyFields = {
  id: Type.Integer(),
  title: Type.String(),
  summary: Type.String(),
  status: StoryStatusSchema,
  version: Type.Integer({ description: 'Send it as expectedVersion with the next edit' }),
  createdBy: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
};

export const StorySchema = Type.Object(
  { ...storyFields, slides: Type.Array(StorySlideSchema) },
  { title: 'Story' },
);

export const StorySummarySchema = Type.Object(
  { ...storyFields, slideCount: Type.Integer() },
  { title: 'StorySummary' },
);

const Slides = Type.Array(StorySlideSchema, {
  maxItems: STORY_LIMITS.slidesMax,
  description: 'In playing order',
});

export const NewStoryBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: STORY_LIMITS.titleMax }),
    summary: Type.Optional(Type.String({ maxLength: STORY_LIMITS.summaryMax })),
    slides: Type.Optional(Slides),
  },
  { additionalProperties: false },
);

export const UpdateStoryBody = Type.Object(
  {
    expectedVersion: Type.Integer({ minimum: 1, description: 'The version this edit was made on' }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: STORY_LIMITS.titleMax })),
    summary: Type.Optional(Type.String({ maxLength: STORY_LIMITS.summaryMax })),
    slides: Type.Optional(Slides),
    status: Type.Optional(StoryStatusSchema),
  },
  { additionalProperties: false },
);

export const DeleteStoryQuery = Type.Object({ expectedVersion: Type.Integer({ minimum: 1 }) });

/** The largest rendered slide image accepted, decoded. A 1920×1080 JPEG is a few hundred kilobytes. */
export const SLIDE_IMAGE_MAX_BYTES = 6 * 1024 * 1024;

export const ReportBody = Type.Object(
  {
    images: Type.Array(
      Type.Union([
        Type.String({
          pattern: '^data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+$',
          maxLength: Math.ceil((SLIDE_IMAGE_MAX_BYTES * 4) / 3) + 32,
        }),
        Type.Null(),
      ]),
      {
        maxItems: STORY_LIMITS.slidesMax,
        description: 'One rendered image per slide, in order (PNG or JPEG data URL; null: none)',
      },
    ),
  },
  { additionalProperties: false },
);

export const ConflictProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    currentVersion: Type.Optional(Type.Integer()),
    reason: Type.Optional(Type.String()),
  },
  { title: 'StoryConflictProblem' },
);

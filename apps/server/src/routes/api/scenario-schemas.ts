/**
 * TypeBox schemas of the scenarios API (OpenAPI at /docs): scenarios, their changes (the JSON forms of
 * @placetwin/scenario's Change), overlays, indicators and comparisons.
 */
import { USE_CLASSES, type UseClass } from '@placetwin/importers';
import { type AttributeValue, type FootprintGeoJson, LIMITS, NEW_BUILDING_ID } from '@placetwin/scenario';
import Type from 'typebox';
import { GeometrySchema, ProblemSchema } from '../schemas';

export const StatusSchema = Type.Union([Type.Literal('draft'), Type.Literal('published')], {
  description: 'Only `published` scenarios may be shown to the public (consultation)',
});

export const ScenarioIdParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'Scenario id' }) });

const expectedVersion = Type.Integer({
  minimum: 1,
  description:
    'The scenario `version` this edit was made on. If someone edited since, the answer is 409 with `currentVersion`: reload and redo the edit.',
});
export const VersionBody = Type.Object({ expectedVersion }, { additionalProperties: false });
export const VersionQuery = Type.Object({ expectedVersion });

export const FootprintSchema = Type.Unsafe<FootprintGeoJson>({
  type: 'object',
  required: ['type', 'coordinates'],
  properties: {
    type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] },
    coordinates: {
      type: 'array',
      description: 'GeoJSON positions [lon, lat] (EPSG:4326); rings closed or not',
    },
  },
  description: 'GeoJSON Polygon or MultiPolygon, longitude/latitude degrees (EPSG:4326)',
});

const UseSchema = Type.Unsafe<UseClass>({
  type: 'string',
  enum: [...USE_CLASSES],
  description: 'Use class (as the importers assign them)',
});
// Unions of scalar types are written as one multi-type schema: Fastify's Ajv coerces types, and within an anyOf
// it would turn 20 into "20" (or null into "") while trying the string branch.
const AttributeValueSchema = Type.Unsafe<AttributeValue>({
  type: ['string', 'number', 'boolean', 'null'],
  maxLength: LIMITS.maxAttributeLength,
});
const storeys = Type.Integer({ minimum: 1, maximum: LIMITS.maxStoreys, description: 'Storeys above ground' });
const heightM = Type.Number({ minimum: 0, maximum: LIMITS.maxHeightM, description: 'Top above ground, m' });
const minHeightM = Type.Number({
  minimum: 0,
  maximum: LIMITS.maxHeightM,
  description: 'Bottom of the mass above ground, m (default 0)',
});
const rotationDeg = Type.Number({
  minimum: -LIMITS.maxRotationDeg,
  maximum: LIMITS.maxRotationDeg,
  description:
    'Turns the footprint clockwise seen from above by this many degrees, about rotateAbout or the centre of its bounding box (modify: the footprint given, else the current one)',
});
const rotateAbout = Type.Tuple(
  [Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })],
  {
    description: 'The point [lon, lat] a rotation turns about (an imported model’s origin)',
  },
);
const buildingId = Type.String({
  minLength: 1,
  maxLength: LIMITS.maxIdLength,
  description: 'A baseline id `<dataset>:<sourceId>` (e.g. `rutland:w178280261`) or an added `new/<name>`',
});
const name = Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength: LIMITS.maxNameLength });

export const AddChangeSchema = Type.Object(
  {
    op: Type.Literal('add'),
    id: Type.String({ pattern: NEW_BUILDING_ID.source, description: '`new/<name>`, unique in the scenario' }),
    footprint: FootprintSchema,
    use: UseSchema,
    storeys: Type.Optional(storeys),
    heightM: Type.Optional(heightM),
    minHeightM: Type.Optional(minHeightM),
    name: Type.Optional(name),
    attributes: Type.Optional(Type.Record(Type.String(), AttributeValueSchema)),
    rotationDeg: Type.Optional(rotationDeg),
    rotateAbout: Type.Optional(rotateAbout),
  },
  {
    title: 'AddBuilding',
    description: 'A new building. Give storeys, heightM or both (storeys alone: 3.0 m a storey).',
  },
);

export const ModifyChangeSchema = Type.Object(
  {
    op: Type.Literal('modify'),
    id: buildingId,
    heightM: Type.Optional(heightM),
    storeys: Type.Optional(storeys),
    minHeightM: Type.Optional(minHeightM),
    use: Type.Optional(UseSchema),
    footprint: Type.Optional(FootprintSchema),
    name: Type.Optional(name),
    rotationDeg: Type.Optional(rotationDeg),
    rotateAbout: Type.Optional(rotateAbout),
  },
  {
    title: 'ModifyBuilding',
    description:
      'Changes a building. Storeys alone move the top by 3.0 m a storey; heightM alone re-derives storeys.',
  },
);

export const DemolishChangeSchema = Type.Object(
  { op: Type.Literal('demolish'), id: buildingId },
  { title: 'DemolishBuilding' },
);

export const SetAttributeChangeSchema = Type.Object(
  {
    op: Type.Literal('set-attribute'),
    id: buildingId,
    key: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_:.-]{0,63}$' }),
    value: AttributeValueSchema,
  },
  {
    title: 'SetAttribute',
    description: '`homes` and `jobs` (whole numbers) override the indicator estimates; null clears.',
  },
);

// The change kinds do not set additionalProperties: false: with Fastify's removeAdditional, trying one branch of
// the union would strip the fields of another. Unknown fields are refused by the scenario package's own checks.
export const ChangeSchema = Type.Union(
  [AddChangeSchema, ModifyChangeSchema, DemolishChangeSchema, SetAttributeChangeSchema],
  { description: 'One change, by `op`. Fields other than those listed are refused (400).' },
);

export const OverlaySchema = Type.Object(
  {
    changesVersion: Type.Integer({ description: 'The change-set version the overlay was built for' }),
    tilesetUrl: Type.Union([Type.String(), Type.Null()], {
      description:
        '3D Tiles 1.1 tileset.json of the added and modified buildings (immutable URL); null when none',
    }),
    hiddenBuildingIds: Type.Array(Type.String(), {
      description: 'Baseline feature ids to hide in the baseline tileset (modified ∪ demolished)',
    }),
    added: Type.Array(Type.String()),
    modified: Type.Array(Type.String()),
    demolished: Type.Array(Type.String()),
    builtAt: Type.String(),
  },
  { title: 'ScenarioOverlay' },
);

export const ScenarioSchema = Type.Object(
  {
    id: Type.Integer(),
    dataset: Type.String(),
    name: Type.String(),
    description: Type.String(),
    status: StatusSchema,
    version: Type.Integer({ description: 'Bumped by every edit; send it back as `expectedVersion`' }),
    changesVersion: Type.Integer({ description: 'The version of the last edit to the change set' }),
    site: Type.Union([GeometrySchema, Type.Null()], {
      description: 'Site (red line) as a GeoJSON MultiPolygon; null: indicators cover the dataset extent',
    }),
    changeCount: Type.Integer({ description: 'Active changes' }),
    redoCount: Type.Integer({ description: 'Undone changes that redo can bring back' }),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    publishedAt: Type.Union([Type.String(), Type.Null()]),
    overlay: Type.Union([OverlaySchema, Type.Null()], {
      description: 'The overlay last built (current when overlay.changesVersion = changesVersion)',
    }),
  },
  { title: 'Scenario' },
);

export const NewScenarioBody = Type.Object(
  {
    dataset: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'Baseline dataset' }),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Unique within the dataset' }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    site: Type.Optional(Type.Union([FootprintSchema, Type.Null()])),
  },
  { additionalProperties: false },
);

export const UpdateScenarioBody = Type.Object(
  {
    expectedVersion,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    site: Type.Optional(
      Type.Union([FootprintSchema, Type.Null()], { description: 'null: the dataset extent' }),
    ),
  },
  { additionalProperties: false },
);

export const AppendChangesBody = Type.Object(
  {
    expectedVersion,
    changes: Type.Array(ChangeSchema, {
      minItems: 1,
      maxItems: 1000,
      description: 'Applied in order; one undo step each',
    }),
  },
  { additionalProperties: false },
);

export const EditResultSchema = Type.Object(
  {
    scenario: ScenarioSchema,
    seqs: Type.Array(Type.Integer(), {
      description: 'Sequence numbers of the changes appended, undone or redone',
    }),
  },
  { title: 'ScenarioEdit' },
);

export const ChangeRecordSchema = Type.Object(
  {
    seq: Type.Integer(),
    state: Type.Union([Type.Literal('active'), Type.Literal('undone'), Type.Literal('discarded')], {
      description: 'active: applied; undone: on the redo stack; discarded: undone, then superseded',
    }),
    change: ChangeSchema,
    version: Type.Integer({ description: 'The scenario version that appended it' }),
    createdAt: Type.String(),
    stateChangedAt: Type.String(),
  },
  { title: 'ScenarioChange' },
);

export const ChangesResponseSchema = Type.Object({
  scenarioId: Type.Integer(),
  status: StatusSchema,
  version: Type.Integer(),
  changes: Type.Array(ChangeRecordSchema),
});

export const OverlayResponseSchema = Type.Object(
  {
    scenarioId: Type.Integer(),
    dataset: Type.String(),
    status: StatusSchema,
    version: Type.Integer(),
    baselineTilesetUrl: Type.Union([Type.String(), Type.Null()]),
    ...OverlaySchema.properties,
    hideStyle: Type.Object(
      { show: Type.String() },
      {
        description:
          'A Cesium3DTileStyle `show` expression for the baseline tileset that hides hiddenBuildingIds (merge it into your style)',
      },
    ),
  },
  { title: 'ScenarioOverlayView' },
);

const useNumbers = Type.Object(Object.fromEntries(USE_CLASSES.map((u) => [u, Type.Number()])));

const indicatorFields = {
  buildings: Type.Integer({ description: 'Buildings counted (most of the footprint inside the study area)' }),
  gfaM2: Type.Object(
    { total: Type.Number(), byUse: useNumbers },
    { description: 'Gross external floor area (footprint × storeys), m²' },
  ),
  homes: Type.Integer({
    description: 'From residential floor area and the stated ratios, or `homes` attributes',
  }),
  jobs: Type.Integer({
    description: 'FTE jobs from floor area by use and the stated densities, or `jobs` attributes',
  }),
  gfaWithoutJobsEstimateM2: Type.Number({
    description: 'Workplace floor area without a density (not counted in jobs)',
  }),
  maxHeightM: Type.Number(),
  footprintAreaM2: Type.Number(),
  coverage: Type.Union([Type.Number(), Type.Null()], {
    description: 'Share of the study area under footprints, 0–1',
  }),
};

export const IndicatorsSchema = Type.Object(
  { ...indicatorFields, siteAreaM2: Type.Union([Type.Number(), Type.Null()]) },
  { title: 'Indicators' },
);
export const IndicatorDeltaSchema = Type.Object(
  { ...indicatorFields, buildings: Type.Integer(), homes: Type.Integer(), jobs: Type.Integer() },
  { title: 'IndicatorDelta' },
);

const StudyAreaSchema = Type.Union([
  Type.Object({
    source: Type.Union([Type.Literal('site'), Type.Literal('dataset-extent')]),
    footprint: GeometrySchema,
    areaM2: Type.Number(),
  }),
  Type.Null(),
]);

const RatioSchema = Type.Object({
  id: Type.String(),
  value: Type.Number(),
  unit: Type.String(),
  description: Type.String(),
  source: Type.String(),
  kind: Type.Union([Type.Literal('cited'), Type.Literal('assumption')]),
  basis: Type.Optional(
    Type.Union([Type.Literal('NIA'), Type.Literal('GIA')], {
      description: 'Floor area a job density is per',
    }),
  ),
});

export const ScenarioIndicatorsSchema = Type.Object(
  {
    scenarioId: Type.Integer(),
    dataset: Type.String(),
    name: Type.String(),
    status: StatusSchema,
    version: Type.Integer(),
    studyArea: StudyAreaSchema,
    baseline: IndicatorsSchema,
    scenario: IndicatorsSchema,
    delta: IndicatorDeltaSchema,
    ratios: Type.Array(RatioSchema, { description: 'The ratios used, with sources' }),
  },
  { title: 'ScenarioIndicators' },
);

const SideSchema = Type.Object({
  scenarioId: Type.Union([Type.Integer(), Type.Null()], { description: 'null: the baseline' }),
  name: Type.String(),
  status: Type.Union([StatusSchema, Type.Null()]),
  version: Type.Union([Type.Integer(), Type.Null()]),
  indicators: IndicatorsSchema,
});

export const ComparisonSchema = Type.Object(
  {
    dataset: Type.String(),
    studyArea: StudyAreaSchema,
    a: SideSchema,
    b: SideSchema,
    delta: IndicatorDeltaSchema,
    diff: Type.Object({
      added: Type.Array(Type.String(), { description: 'Buildings in b, not in a' }),
      removed: Type.Array(Type.String(), { description: 'Buildings in a, not in b' }),
      changed: Type.Array(Type.Object({ id: Type.String(), fields: Type.Array(Type.String()) })),
    }),
    ratios: Type.Array(RatioSchema),
  },
  { title: 'ScenarioComparison' },
);

export const CompareQuery = Type.Object({
  a: Type.String({ pattern: '^(baseline|[1-9][0-9]{0,15})$', description: '`baseline` or a scenario id' }),
  b: Type.String({ pattern: '^(baseline|[1-9][0-9]{0,15})$', description: '`baseline` or a scenario id' }),
});

export const ConflictProblemSchema = Type.Object(
  {
    ...ProblemSchema.properties,
    currentVersion: Type.Optional(
      Type.Integer({ description: 'For a version conflict: the version to reload and edit on' }),
    ),
  },
  {
    title: 'ConflictProblem',
    description: 'application/problem+json: a stale version or a state that forbids the edit',
  },
);

export const ScenarioBuildingsSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    scenarioId: Type.Integer(),
    status: StatusSchema,
    version: Type.Integer(),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        id: Type.String(),
        geometry: GeometrySchema,
        properties: Type.Object({
          id: Type.String(),
          change: Type.Union([Type.Literal('added'), Type.Literal('modified')]),
          name: Type.Union([Type.String(), Type.Null()]),
          use: Type.Union([Type.String(), Type.Null()]),
          heightM: Type.Number(),
          minHeightM: Type.Number(),
          storeys: Type.Union([Type.Integer(), Type.Null()]),
          heightSource: Type.String(),
          heightMethod: Type.String(),
          footprintAreaM2: Type.Number(),
          attributes: Type.Record(Type.String(), Type.Unknown()),
        }),
      }),
    ),
  },
  {
    title: 'ScenarioBuildings',
    description: 'The added and modified buildings as they stand in the scenario',
  },
);

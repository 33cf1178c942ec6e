import Type from 'typebox';

/** RFC 9457 problem details, as every error leaves the server (see plugins/app/problems.ts). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable identifier of the kind of problem' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ in: Type.String(), field: Type.String(), reason: Type.String() })),
    ),
    file: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    featureId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    reason: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { title: 'Problem', description: 'application/problem+json (RFC 9457)' },
);

/** Dataset names are slugs (the database enforces the same pattern). */
export const DatasetNameSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  description: 'Dataset slug',
});

export const BBoxSchema = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], {
  description: 'west, south, east, north (degrees, EPSG:4326)',
});

export const DatasetSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String({ description: 'Slug; building ids start with it (`<name>:<sourceId>`)' }),
    title: Type.String(),
    buildingCount: Type.Integer({ description: 'Buildings, not counting building parts' }),
    attribution: Type.String({ description: 'Credit line to show with the data' }),
    licence: Type.String(),
    source: Type.String(),
    vintage: Type.Union([Type.String(), Type.Null()]),
    bbox: Type.Union([BBoxSchema, Type.Null()]),
    tilesetUrl: Type.Union([Type.String(), Type.Null()], {
      description: '3D Tiles 1.1 tileset.json, null if not tiled',
    }),
  },
  { title: 'Dataset' },
);

/** A GeoJSON geometry (RFC 7946) in EPSG:4326. Not checked further: the database wrote it. */
export const GeometrySchema = Type.Unsafe<{ type: string; coordinates: unknown }>({
  type: 'object',
  description: 'GeoJSON geometry, EPSG:4326',
  additionalProperties: true,
});

const BuildingFields = {
  id: Type.String({ description: '`<dataset>:<sourceId>`, stable across re-imports' }),
  sourceId: Type.String({ description: 'Id in the source, e.g. OSM `w123456`' }),
  kind: Type.Union([Type.Literal('building'), Type.Literal('part')]),
  parentSourceId: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  use: Type.Union([Type.String(), Type.Null()]),
  heightM: Type.Number({ description: 'Top above ground, metres' }),
  minHeightM: Type.Number({ description: 'Bottom of the extrusion above ground, metres' }),
  heightSource: Type.Union([Type.Literal('measured'), Type.Literal('levels'), Type.Literal('type-default')], {
    description: 'measured, or estimated from storeys (levels) or from the building type (type-default)',
  }),
  heightMethod: Type.String({ description: 'How the height was obtained, in plain words' }),
  storeys: Type.Union([Type.Integer(), Type.Null()]),
  footprintAreaM2: Type.Number({ description: 'Geodesic footprint area, m²' }),
  groundElevationM: Type.Union([Type.Number(), Type.Null()]),
};

export const BuildingSchema = Type.Object(
  {
    ...BuildingFields,
    attributes: Type.Record(Type.String(), Type.Unknown(), {
      description: 'All source attributes (e.g. OSM tags), as the source gave them',
    }),
    footprint: GeometrySchema,
    dataset: Type.Object(
      {
        name: Type.String(),
        title: Type.String(),
        source: Type.String(),
        licence: Type.String(),
        attribution: Type.String(),
        vintage: Type.Union([Type.String(), Type.Null()]),
      },
      { description: 'Provenance: where the building comes from and under which licence' },
    ),
  },
  { title: 'Building' },
);

export const BuildingFeatureCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        id: Type.String(),
        geometry: GeometrySchema,
        properties: Type.Object({ ...BuildingFields, dataset: Type.String() }),
      }),
    ),
    numberReturned: Type.Integer(),
    limit: Type.Integer({
      description: 'When numberReturned equals it, there may be more: ask for a smaller box',
    }),
  },
  { title: 'BuildingFeatureCollection' },
);

/**
 * TypeBox schemas of the sensor API: registrations (the JSON form of @placetwin/sensors' SensorDefinition),
 * sensors as GeoJSON points with their datastreams and latest values, series, alerts and ingest counters.
 */
import { AREA_PATTERN, OBSERVED_PROPERTIES, REJECT_REASONS, SENSOR_ID_PATTERN } from '@placetwin/sensors';
import Type from 'typebox';

export const SensorIdSchema = Type.String({
  pattern: SENSOR_ID_PATTERN,
  description: 'Sensor id, as in the MQTT topic `placetwin/<area>/sensors/<sensorId>/observations`',
});

const Level = Type.Union([Type.Literal('warning'), Type.Literal('critical')]);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ThresholdSchema = Type.Object(
  {
    level: Level,
    above: Type.Optional(Type.Number({ description: 'Breached when the value is strictly above' })),
    below: Type.Optional(Type.Number({ description: 'Breached when the value is strictly below' })),
  },
  { additionalProperties: false },
);

const propertyKeys = OBSERVED_PROPERTIES.map((p) => p.key).join(', ');

export const SensorDefinitionSchema = Type.Object(
  {
    id: SensorIdSchema,
    area: Type.String({ pattern: AREA_PATTERN, description: 'Council or area slug (MQTT topic level)' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    location: Type.Object(
      {
        lon: Type.Number({ minimum: -180, maximum: 180 }),
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        accuracyM: Type.Number({ minimum: 0, description: 'Radius (m) within which the true position lies' }),
        method: Type.String({ minLength: 1, maxLength: 500, description: 'How the position was obtained' }),
      },
      { additionalProperties: false },
    ),
    owner: Type.String({ minLength: 1, maxLength: 200 }),
    licence: Type.String({ minLength: 1, maxLength: 200 }),
    attribution: Type.Optional(Type.String({ maxLength: 500 })),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    datastreams: Type.Array(
      Type.Object(
        {
          property: Type.String({ description: `Observed property: ${propertyKeys}` }),
          unit: Type.Optional(
            Type.String({ description: "Checked against the property's unit, never converted" }),
          ),
          name: Type.Optional(Type.String({ maxLength: 200 })),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          minValue: Type.Optional(Type.Number()),
          maxValue: Type.Optional(Type.Number()),
          thresholds: Type.Optional(Type.Array(ThresholdSchema, { maxItems: 10 })),
          owner: Type.Optional(Type.String({ maxLength: 200 })),
          licence: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false, title: 'SensorDefinition' },
);

export const RegisterResultSchema = Type.Object(
  {
    created: Type.Array(Type.String()),
    updated: Type.Array(Type.String()),
    keys: Type.Array(
      Type.Object({
        sensorId: Type.String(),
        deviceKey: Type.String({ description: 'Shown once: only its scrypt hash is stored' }),
      }),
    ),
  },
  { title: 'RegisterResult' },
);

const LatestSchema = Nullable(
  Type.Object({ time: Type.String(), value: Type.Number(), quality: Nullable(Type.String()) }),
);

export const SensorFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    id: Type.String(),
    geometry: Type.Object({
      type: Type.Literal('Point'),
      coordinates: Type.Tuple([Type.Number(), Type.Number()]),
    }),
    properties: Type.Object({
      sensorId: Type.String(),
      area: Type.String(),
      name: Type.String(),
      description: Type.String(),
      locationAccuracyM: Type.Number(),
      locationMethod: Type.String(),
      owner: Type.String(),
      licence: Type.String(),
      attribution: Nullable(Type.String()),
      properties: Type.Record(Type.String(), Type.Unknown()),
      datastreams: Type.Array(
        Type.Object({
          datastreamId: Type.Integer(),
          property: Type.String(),
          name: Type.String(),
          unit: Type.Object({ name: Type.String(), symbol: Type.String() }),
          validRange: Type.Tuple([Type.Number(), Type.Number()]),
          thresholds: Type.Array(ThresholdSchema),
          owner: Type.String(),
          licence: Type.String(),
          latest: LatestSchema,
          level: Nullable(Level),
          openAlert: Nullable(Level),
        }),
      ),
    }),
  },
  { title: 'SensorFeature' },
);

export const SensorCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(SensorFeatureSchema),
    at: Nullable(Type.String({ description: 'The instant the latest values are for (null: now)' })),
  },
  { title: 'SensorCollection' },
);

export const LatestValuesSchema = Type.Object(
  {
    at: Nullable(Type.String()),
    values: Type.Array(
      Type.Object({
        sensorId: Type.String(),
        property: Type.String(),
        lon: Type.Number(),
        lat: Type.Number(),
        time: Type.String(),
        value: Type.Number(),
        unit: Type.String(),
        level: Nullable(Level),
      }),
    ),
  },
  { title: 'LatestValues' },
);

const Column = Type.Optional(Type.Array(Type.Number()));
export const SeriesSchema = Type.Object(
  {
    sensorId: Type.String(),
    property: Type.String(),
    unit: Type.String(),
    bucket: Type.Union([Type.Literal('raw'), Type.Literal('hour'), Type.Literal('day')]),
    timeZone: Type.String(),
    from: Type.String(),
    to: Type.String(),
    t: Type.Array(Type.Number(), { description: 'Epoch ms: reading times, or bucket starts' }),
    value: Column,
    min: Column,
    mean: Column,
    max: Column,
    count: Column,
    truncated: Type.Boolean(),
  },
  { title: 'Series' },
);

export const AlertSchema = Type.Object(
  {
    id: Type.Integer(),
    sensorId: Type.String(),
    property: Type.String(),
    level: Level,
    threshold: ThresholdSchema,
    value: Type.Number(),
    time: Type.String({ description: 'phenomenonTime of the reading that raised it' }),
    raisedAt: Type.String(),
    cleared: Nullable(Type.Object({ value: Type.Number(), time: Type.String() })),
  },
  { title: 'Alert' },
);

const CountersSchema = Type.Object({
  received: Type.Integer(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Object(Object.fromEntries(REJECT_REASONS.map((r) => [r, Type.Integer()]))),
  storeErrors: Type.Integer(),
});

export const IngestStatsSchema = Type.Object(
  {
    http: CountersSchema,
    mqtt: Nullable(
      Type.Object({
        connected: Type.Boolean(),
        counters: CountersSchema,
        unacknowledged: Type.Integer(),
        queued: Type.Integer(),
      }),
    ),
    liveSubscribers: Type.Integer(),
  },
  { title: 'IngestStats' },
);

export const IngestResultSchema = Type.Object(
  {
    sensorId: Type.String(),
    accepted: Type.Integer({ description: 'New readings stored' }),
    duplicates: Type.Integer({ description: 'Readings already stored for that datastream and time' }),
  },
  { title: 'IngestResult' },
);

/**
 * JSON Schemas (draft-07) of SensorThings API 1.1 responses, written from OGC 18-088 ("OGC SensorThings API
 * Part 1: Sensing Version 1.1"): the entity property tables of section 8.2 (Thing, Location, Datastream,
 * ObservedProperty, Observation; mandatory properties required, optional ones typed when present), the
 * control information of section 8 (`@iot.id`, `@iot.selfLink`, `<relation>@iot.navigationLink`), the
 * service root of section 9.2.1 and the collection form of section 9.3 (`value`, `@iot.count`,
 * `@iot.nextLink`). Used by the tests to check this server's answers; navigation links are required for the
 * relations this subset serves (Sensors, HistoricalLocations and FeaturesOfInterest are not served).
 */

/** ISO 8601 date-time, as 18-088 writes TM_Instant. */
const TM_INSTANT = { type: 'string', format: 'date-time' } as const;
/** ISO 8601 time interval `start/end` (TM_Period). */
const TM_PERIOD = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T[^/]+/\\d{4}-\\d{2}-\\d{2}T[^/]+$',
} as const;

const control = (navigation: string[]) => ({
  '@iot.id': { type: ['integer', 'string'] },
  '@iot.selfLink': { type: 'string', format: 'uri' },
  ...Object.fromEntries(
    navigation.map((n) => [`${n}@iot.navigationLink`, { type: 'string', format: 'uri' }]),
  ),
});
const requiredControl = (navigation: string[]) => [
  '@iot.id',
  '@iot.selfLink',
  ...navigation.map((n) => `${n}@iot.navigationLink`),
];

const GEOJSON_GEOMETRY = {
  type: 'object',
  required: ['type', 'coordinates'],
  properties: {
    type: { enum: ['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'] },
    coordinates: { type: 'array' },
  },
} as const;

export const datastreamSchema = {
  $id: 'sta:Datastream',
  type: 'object',
  required: [
    ...requiredControl(['Thing', 'ObservedProperty', 'Observations']),
    'name',
    'description',
    'unitOfMeasurement',
    'observationType',
  ],
  properties: {
    ...control(['Thing', 'ObservedProperty', 'Observations']),
    name: { type: 'string' },
    description: { type: 'string' },
    // "A JSON Object containing three key-value pairs": name, symbol and definition.
    unitOfMeasurement: {
      type: 'object',
      required: ['name', 'symbol', 'definition'],
      properties: {
        name: { type: ['string', 'null'] },
        symbol: { type: ['string', 'null'] },
        definition: { type: ['string', 'null'] },
      },
    },
    observationType: { type: 'string', format: 'uri' },
    observedArea: GEOJSON_GEOMETRY,
    phenomenonTime: TM_PERIOD,
    resultTime: TM_PERIOD,
    properties: { type: 'object' },
  },
} as const;

export const thingSchema = {
  $id: 'sta:Thing',
  type: 'object',
  required: [...requiredControl(['Locations', 'Datastreams']), 'name', 'description'],
  properties: {
    ...control(['Locations', 'Datastreams']),
    name: { type: 'string' },
    description: { type: 'string' },
    properties: { type: 'object' },
    Datastreams: { type: 'array', items: { $ref: 'sta:Datastream' } },
  },
} as const;

export const locationSchema = {
  $id: 'sta:Location',
  type: 'object',
  required: [...requiredControl(['Things']), 'name', 'description', 'encodingType', 'location'],
  properties: {
    ...control(['Things']),
    name: { type: 'string' },
    description: { type: 'string' },
    encodingType: { type: 'string' },
    location: {},
    properties: { type: 'object' },
  },
  // encodingType application/geo+json (or the older application/vnd.geo+json) → location is GeoJSON.
  if: { properties: { encodingType: { enum: ['application/geo+json', 'application/vnd.geo+json'] } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
  then: { properties: { location: GEOJSON_GEOMETRY } },
} as const;

export const observedPropertySchema = {
  $id: 'sta:ObservedProperty',
  type: 'object',
  required: [...requiredControl(['Datastreams']), 'name', 'definition', 'description'],
  properties: {
    ...control(['Datastreams']),
    name: { type: 'string' },
    definition: { type: 'string', format: 'uri' },
    description: { type: 'string' },
    properties: { type: 'object' },
  },
} as const;

export const observationSchema = {
  $id: 'sta:Observation',
  type: 'object',
  required: [...requiredControl(['Datastream']), 'phenomenonTime', 'result', 'resultTime'],
  properties: {
    ...control(['Datastream']),
    // TM_Object: an instant or a period.
    phenomenonTime: { anyOf: [TM_INSTANT, TM_PERIOD] },
    result: {},
    // Mandatory, but null when the service does not know it (section 8.2.6).
    resultTime: { anyOf: [TM_INSTANT, { type: 'null' }] },
    resultQuality: {},
    validTime: TM_PERIOD,
    parameters: { type: 'object' },
  },
} as const;

/** A collection of one entity type: `{ "@iot.count"?, "@iot.nextLink"?, "value": [...] }`. */
export const collectionSchema = (entityId: string) => ({
  type: 'object',
  required: ['value'],
  properties: {
    value: { type: 'array', items: { $ref: entityId } },
    '@iot.count': { type: 'integer', minimum: 0 },
    '@iot.nextLink': { type: 'string', format: 'uri' },
  },
  additionalProperties: false,
});

/** The service root of a 1.1 service: its entity sets and the server settings with conformance classes. */
export const serviceRootSchema = {
  type: 'object',
  required: ['value', 'serverSettings'],
  properties: {
    value: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'url'],
        properties: { name: { type: 'string' }, url: { type: 'string', format: 'uri' } },
      },
    },
    serverSettings: {
      type: 'object',
      required: ['conformance'],
      properties: { conformance: { type: 'array', items: { type: 'string', format: 'uri' } } },
    },
  },
} as const;

export const entitySchemas = [
  datastreamSchema,
  thingSchema,
  locationSchema,
  observedPropertySchema,
  observationSchema,
];

/**
 * Sensors: the registry (register, import a sensor list, device keys), HTTP ingest with a device key, the map's
 * sensor points with latest values (now, or at an instant for replay), chart series aggregated in the
 * database, alerts, ingest counters, and server-sent events of every new reading and alert change.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  createDeviceKey,
  type Db,
  getSensor,
  listAlerts,
  listSensors,
  observationSeries,
  registerSensors,
  revokeDeviceKeys,
  type SeriesBucket,
  verifyDeviceKey,
} from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import {
  type AcceptedReading,
  checkReading,
  chooseBucket,
  type LiveEvent,
  MAX_PAYLOAD_BYTES,
  parseInstant,
  parsePayload,
  parseSensorList,
  type RejectReason,
  type SensorDefinition,
  zoneOffsetMs,
} from '@placetwin/sensors';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { checkCsrf } from '../../plugins/app/auth';
import { HttpProblem, notFound } from '../../plugins/app/problems';
import type { SensorServices } from '../../plugins/app/sensors';
import { ProblemSchema } from '../schemas';
import {
  AlertSchema,
  IngestResultSchema,
  IngestStatsSchema,
  LatestValuesSchema,
  RegisterResultSchema,
  SensorCollectionSchema,
  SensorDefinitionSchema,
  SensorFeatureSchema,
  SensorIdSchema,
  SeriesSchema,
} from './sensor-schemas';

export interface SensorRoutesOptions {
  db: Db;
  services: SensorServices;
}

/** How long a verified device key is trusted without hashing it again (scrypt costs tens of ms by design). */
const DEVICE_KEY_CACHE_MS = 60_000;
/** Points a chart gets when it asks for `bucket=auto`: raw readings if that few, else hourly or daily. */
const AUTO_MAX_POINTS = 2000;
const RAW_MAX_POINTS = 100_000;
const DEFAULT_SPAN_MS = 7 * 86_400_000;
const MAX_SPAN_MS = 50 * 366 * 86_400_000;
/** A server-sent events client that falls this far behind is dropped (it reconnects and catches up by API). */
const SSE_MAX_BUFFER_BYTES = 1 << 20;
const SSE_HEARTBEAT_MS = 15_000;
const SENSOR_LIST_MAX_BYTES = 10 * 1024 * 1024;

const bearer = (header: string | undefined): string | null => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
};
const sha256 = (s: string) => createHash('sha256').update(s).digest();
const unauthorized = (detail: string) =>
  new HttpProblem(401, 'unauthorized', detail, { 'www-authenticate': 'Bearer realm="placetwin-sensors"' });

function instantParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = parseInstant(value);
  if (typeof t === 'string') throw new DataError('invalid-time', `${name}: ${t}`);
  return t;
}

/** What every registry write's OpenAPI description says about who may make it. */
const ADMIN_ONLY =
  'Needs a signed-in admin (session cookie and its CSRF token in `x-csrf-token`) or `Authorization: Bearer <PLACETWIN_ADMIN_TOKEN>`.';

const Instant = (description: string) =>
  Type.Optional(Type.String({ maxLength: 40, description: `${description} (ISO 8601 with Z or an offset)` }));

const sensorRoutes: FastifyPluginAsyncTypebox<SensorRoutesOptions> = async (app, { db, services }) => {
  const verifiedKeys = new Map<string, { sensorId: string; until: number }>();

  /**
   * Registry writes: the admin bearer token (PLACETWIN_ADMIN_TOKEN, for scripts), or a signed-in admin's session
   * with its CSRF token (the same rule as every other staff write). 401 without either or with a wrong token,
   * 403 for another role, a missing CSRF token, or a bearer token when none is configured.
   */
  const requireAdmin = async (request: FastifyRequest) => {
    const token = bearer(request.headers.authorization);
    if (token) {
      if (!services.adminToken) {
        throw new HttpProblem(
          403,
          'registry-disabled',
          'no admin token is configured (PLACETWIN_ADMIN_TOKEN): sign in as an admin instead',
        );
      }
      if (!timingSafeEqual(sha256(token), sha256(services.adminToken)))
        throw unauthorized('wrong admin token');
      return;
    }
    const user = await request.staff();
    if (!user) {
      throw unauthorized(
        'sign in as an admin (POST /api/auth/login) or send Authorization: Bearer <admin token>',
      );
    }
    if (user.role !== 'admin') {
      throw new HttpProblem(
        403,
        'forbidden',
        `registering sensors needs the role admin; you are signed in as ${user.role}`,
      );
    }
    checkCsrf(request, user);
  };

  /** The device key must be valid (401) and belong to this sensor (403). */
  const requireDevice = async (request: FastifyRequest, sensorId: string) => {
    const key = bearer(request.headers.authorization);
    if (!key) throw unauthorized('send Authorization: Bearer <device key>');
    const hash = sha256(key).toString('base64');
    const now = Date.now();
    let owner = verifiedKeys.get(hash);
    if (!owner || owner.until < now) {
      const v = await verifyDeviceKey(db, key);
      if (!v) throw unauthorized('unknown, revoked or malformed device key');
      owner = { sensorId: v.sensorId, until: now + DEVICE_KEY_CACHE_MS };
      if (verifiedKeys.size > 10_000) verifiedKeys.clear();
      verifiedKeys.set(hash, owner);
    }
    if (owner.sensorId !== sensorId) {
      throw new HttpProblem(403, 'forbidden', `this device key may not write to sensor ${sensorId}`);
    }
  };

  const afterRegistration = (ids: string[]) => {
    for (const id of ids) services.directory.invalidate(id);
  };

  app.get(
    '/api/sensors',
    {
      schema: {
        tags: ['sensors'],
        summary: 'Sensors as GeoJSON points with their datastreams, thresholds and latest values',
        description:
          'With `at`, each latest value is the last reading at or before that instant (replay on the clock).',
        querystring: Type.Object({
          area: Type.Optional(Type.String({ maxLength: 63 })),
          at: Instant('Latest values as of this instant'),
        }),
        response: { 200: SensorCollectionSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const atMs = instantParam('at', request.query.at);
      const features = await listSensors(db, {
        area: request.query.area,
        atMs,
        areaId: await request.area(),
      });
      return {
        type: 'FeatureCollection' as const,
        features,
        at: atMs === undefined ? null : new Date(atMs).toISOString(),
      };
    },
  );

  app.get(
    '/api/sensors/latest',
    {
      schema: {
        tags: ['sensors'],
        summary: "Every datastream's latest value with its threshold level (what the map colours by)",
        querystring: Type.Object({
          area: Type.Optional(Type.String({ maxLength: 63 })),
          at: Instant('Latest values as of this instant'),
        }),
        response: { 200: LatestValuesSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const atMs = instantParam('at', request.query.at);
      const features = await listSensors(db, {
        area: request.query.area,
        atMs,
        areaId: await request.area(),
      });
      const values = features.flatMap((f) =>
        f.properties.datastreams.flatMap((d) =>
          d.latest
            ? [
                {
                  sensorId: f.id,
                  property: d.property,
                  lon: f.geometry.coordinates[0],
                  lat: f.geometry.coordinates[1],
                  time: d.latest.time,
                  value: d.latest.value,
                  unit: d.unit.symbol,
                  level: d.level,
                },
              ]
            : [],
        ),
      );
      return { at: atMs === undefined ? null : new Date(atMs).toISOString(), values };
    },
  );

  app.get(
    '/api/sensors/alerts',
    {
      schema: {
        tags: ['sensors'],
        summary: 'Threshold alerts, newest first',
        querystring: Type.Object({
          active: Type.Optional(Type.Boolean({ description: 'Only alerts not yet cleared' })),
          sensor: Type.Optional(SensorIdSchema),
          limit: Type.Integer({ minimum: 1, maximum: 5000, default: 500 }),
        }),
        response: { 200: Type.Array(AlertSchema) },
      },
    },
    async (request) =>
      listAlerts(db, {
        active: request.query.active,
        sensorId: request.query.sensor,
        limit: request.query.limit,
        areaId: await request.area(),
      }),
  );

  app.get(
    '/api/sensors/ingest',
    {
      schema: {
        tags: ['sensors'],
        summary:
          'Ingest counters: readings received, accepted, duplicates and rejected by reason (HTTP and MQTT)',
        response: { 200: IngestStatsSchema },
      },
    },
    async () => {
      const mqtt = services.mqtt?.stats() ?? null;
      return { http: services.httpCounters.snapshot(), mqtt, liveSubscribers: services.feed.size };
    },
  );

  const openStreams = new Set<ServerResponse>();
  // Before the server stops listening: an open event stream would otherwise keep close() waiting for ever.
  app.addHook('preClose', async () => {
    for (const res of openStreams) res.end();
  });

  app.get(
    '/api/sensors/stream',
    {
      schema: {
        tags: ['sensors'],
        summary:
          'Server-sent events: `observation` for every new reading, `alert` for every alert raised or cleared',
        description:
          "text/event-stream; each event's data is JSON (see LiveEvent in @placetwin/sensors). A comment line is sent every 15 s to keep proxies from closing the stream. Only the request's area's sensors are streamed (staff: their own area; the public: `?council=`, default `default`).",
        querystring: Type.Object({
          sensor: Type.Optional(
            Type.String({
              maxLength: 5000,
              description: 'Comma-separated sensor ids; all sensors when absent',
            }),
          ),
        }),
      },
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const only = request.query.sensor ? new Set(request.query.sensor.split(',')) : null;
      // One area's readings only: each stored reading carries its sensor's area (see storeObservations).
      const areaId = await request.area();
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      openStreams.add(res);
      const send = (e: LiveEvent) => {
        if (e.areaId !== areaId || (only && !only.has(e.sensorId))) return;
        if (res.writableLength > SSE_MAX_BUFFER_BYTES) {
          res.end();
          return;
        }
        res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
      };
      const unsubscribe = services.feed.subscribe(send);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        openStreams.delete(res);
      });
    },
  );

  app.get(
    '/api/sensors/:id',
    {
      schema: {
        tags: ['sensors'],
        summary: 'One sensor with its datastreams and latest values',
        params: Type.Object({ id: SensorIdSchema }),
        querystring: Type.Object({ at: Instant('Latest values as of this instant') }),
        response: { 200: SensorFeatureSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const sensor = await getSensor(db, request.params.id, { atMs: instantParam('at', request.query.at) });
      if (!sensor) throw notFound(`no sensor "${request.params.id}"`);
      return sensor;
    },
  );

  app.get(
    '/api/sensors/:id/series',
    {
      schema: {
        tags: ['sensors'],
        summary:
          'A datastream over [from, to) for a chart: raw readings, or min/mean/max per hour or local day',
        description: `\`bucket=auto\` returns raw readings when there are at most ${AUTO_MAX_POINTS}, else hourly buckets when the span has at most ${AUTO_MAX_POINTS} hours, else daily ones. Without from/to: the 7 days up to the latest reading.`,
        params: Type.Object({ id: SensorIdSchema }),
        querystring: Type.Object({
          property: Type.Optional(
            Type.String({ maxLength: 64, description: 'Needed when the sensor has several' }),
          ),
          from: Instant('Start, inclusive'),
          to: Instant('End, exclusive'),
          bucket: Type.Union(
            [Type.Literal('auto'), Type.Literal('raw'), Type.Literal('hour'), Type.Literal('day')],
            { default: 'auto' },
          ),
          tz: Type.String({
            maxLength: 64,
            default: 'Europe/London',
            description: 'IANA zone of hours and days',
          }),
        }),
        response: { 200: SeriesSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      const q = request.query;
      zoneOffsetMs(q.tz, 0); // DataError for an unknown zone
      const sensor = await getSensor(db, id);
      if (!sensor) throw notFound(`no sensor "${id}"`);
      const streams = sensor.properties.datastreams;
      const ds = q.property
        ? streams.find((d) => d.property === q.property)
        : streams.length === 1
          ? streams[0]
          : null;
      if (!ds) {
        const has = streams.map((d) => d.property).join(', ');
        throw q.property
          ? notFound(`sensor ${id} does not observe "${q.property}" (it observes ${has})`)
          : new DataError(
              'property-required',
              `sensor ${id} observes several properties (${has}): give property`,
            );
      }
      const latestMs = ds.latest ? Date.parse(ds.latest.time) : Date.now();
      const toMs = instantParam('to', q.to) ?? latestMs + 1;
      const fromMs = instantParam('from', q.from) ?? toMs - DEFAULT_SPAN_MS;
      if (!(fromMs < toMs)) throw new DataError('invalid-time', 'from must be before to');
      if (toMs - fromMs > MAX_SPAN_MS)
        throw new DataError('invalid-time', 'the span may be at most 50 years');
      const base = { datastreamId: ds.datastreamId, fromMs, toMs, timeZone: q.tz };
      let series = await observationSeries(db, {
        ...base,
        bucket: q.bucket === 'auto' ? 'raw' : q.bucket,
        limit: q.bucket === 'auto' ? AUTO_MAX_POINTS : RAW_MAX_POINTS,
      });
      if (q.bucket === 'auto' && series.truncated) {
        const bucket = chooseBucket(toMs - fromMs, AUTO_MAX_POINTS + 1, AUTO_MAX_POINTS) as SeriesBucket;
        series = await observationSeries(db, { ...base, bucket, limit: RAW_MAX_POINTS });
      }
      return {
        sensorId: id,
        property: ds.property,
        unit: ds.unit.symbol,
        timeZone: q.tz,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        ...series,
      };
    },
  );

  // Routes that take their body as text: device payloads are parsed by @placetwin/sensors (so bad JSON and
  // firmware's bare NaN are counted by reason), sensor lists by their format.
  await app.register(async (scope) => {
    const raw = scope.withTypeProvider<TypeBoxTypeProvider>();
    raw.removeContentTypeParser('application/json');
    raw.addContentTypeParser(
      ['application/json', 'application/geo+json', 'text/csv'],
      { parseAs: 'string', bodyLimit: SENSOR_LIST_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );

    raw.post(
      '/api/sensors/:id/observations',
      {
        schema: {
          tags: ['sensors'],
          summary:
            'Post readings with a device key: `{time, value, quality?, unit?, property?}` or an array of them',
          description: `\`Authorization: Bearer <device key>\`. JSON body (at most ${MAX_PAYLOAD_BYTES} bytes, 1,000 readings): time is ISO 8601 with Z or an offset, or epoch ms; quality is good, suspect or bad; unit, when given, must be the datastream's; property is needed when the sensor observes several. All readings are stored or none (400 names each bad one). Readings already stored for the same time are duplicates, not errors.`,
          params: Type.Object({ id: SensorIdSchema }),
          response: { 200: IngestResultSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
        },
        bodyLimit: MAX_PAYLOAD_BYTES,
        config: { rateLimit: { max: 600, timeWindow: 60_000 } },
      },
      async (request) => {
        const { id } = request.params;
        await requireDevice(request, id);
        const counters = services.httpCounters;
        const body = typeof request.body === 'string' ? request.body : '';
        const parsed = parsePayload(body);
        if (!parsed.ok) {
          counters.received++;
          counters.reject(parsed.reason);
          throw new DataError(parsed.reason, parsed.detail, { featureId: id });
        }
        counters.received += parsed.readings.length;
        const sensor = await services.directory.lookup(id);
        if (!sensor) {
          counters.reject('unknown-sensor', parsed.readings.length);
          throw new DataError('unknown-sensor', `sensor ${id} is not registered`, { featureId: id });
        }
        const nowMs = Date.now();
        const accepted: AcceptedReading[] = [];
        const problems: { index: number; reason: RejectReason; detail: string }[] = [];
        parsed.readings.forEach((reading, index) => {
          const r = checkReading(reading, sensor, { nowMs, maxFutureSkewMs: services.maxFutureSkewMs });
          if (r.ok)
            accepted.push({ sensorId: id, property: r.datastream.property, observation: r.observation });
          else problems.push({ index, reason: r.reason, detail: r.detail });
        });
        if (problems.length) {
          for (const p of problems) counters.reject(p.reason);
          const reasons = new Set(problems.map((p) => p.reason));
          const listed = problems
            .slice(0, 5)
            .map((p) => `reading ${p.index + 1}: ${p.detail}`)
            .join('; ');
          const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
          throw new DataError(
            reasons.size === 1 ? problems[0].reason : 'invalid-readings',
            `${listed}${more}; nothing was stored`,
            { featureId: id },
          );
        }
        const result = await services.store.store(accepted);
        counters.accepted += result.inserted.length;
        counters.duplicates += result.duplicates;
        services.feed.publishStored(result);
        return { sensorId: id, accepted: result.inserted.length, duplicates: result.duplicates };
      },
    );

    raw.post(
      '/api/sensors/import',
      {
        preHandler: requireAdmin,
        schema: {
          tags: ['sensors'],
          summary: 'Import a sensor list (CSV or GeoJSON points): all sensors or none',
          description: `${ADMIN_ONLY} Columns/properties: id, name, lat, lon (or a Point geometry), accuracy_m, location_method, area, observed_property (\`;\`-separated), unit, owner, licence, attribution, description, warning_above/below, critical_above/below; anything else is kept as a property. Query parameters give defaults for what the file lacks. New sensors get a device key, returned once.`,
          querystring: Type.Object({
            fileName: Type.String({ maxLength: 200, default: 'sensor-list' }),
            area: Type.Optional(Type.String({ maxLength: 63 })),
            owner: Type.Optional(Type.String({ maxLength: 200 })),
            licence: Type.Optional(Type.String({ maxLength: 200 })),
            attribution: Type.Optional(Type.String({ maxLength: 500 })),
            observedProperties: Type.Optional(
              Type.String({ maxLength: 500, description: 'Comma-separated keys' }),
            ),
            accuracyM: Type.Optional(Type.Number({ minimum: 0 })),
            locationMethod: Type.Optional(Type.String({ maxLength: 500 })),
          }),
          response: {
            200: RegisterResultSchema,
            400: ProblemSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            422: ProblemSchema,
          },
        },
        bodyLimit: SENSOR_LIST_MAX_BYTES,
        config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      },
      async (request) => {
        const { fileName, observedProperties, ...defaults } = request.query;
        const text = typeof request.body === 'string' ? request.body : '';
        const defs = await parseSensorList(text, {
          fileName,
          defaults: { ...defaults, observedProperties: observedProperties?.split(',').map((s) => s.trim()) },
        });
        const result = await registerSensors(db, defs, {
          issueKeys: true,
          file: fileName,
          areaId: await request.area(),
        });
        afterRegistration(result.updated);
        return result;
      },
    );
  });

  app.post(
    '/api/sensors',
    {
      preHandler: requireAdmin,
      schema: {
        tags: ['sensors'],
        summary: 'Register a sensor (or update it: same id); a new sensor gets a device key, returned once',
        description: ADMIN_ONLY,
        body: SensorDefinitionSchema,
        response: { 200: RegisterResultSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
      config: { rateLimit: { max: 120, timeWindow: 60_000 } },
    },
    async (request) => {
      const def = { description: '', ...request.body } as SensorDefinition;
      const result = await registerSensors(db, [def], { issueKeys: true, areaId: await request.area() });
      afterRegistration(result.updated);
      return result;
    },
  );

  app.post(
    '/api/sensors/:id/keys',
    {
      preHandler: requireAdmin,
      schema: {
        tags: ['sensors'],
        summary: 'Issue a new device key (returned once); `revokeOthers` rotates',
        description: ADMIN_ONLY,
        params: Type.Object({ id: SensorIdSchema }),
        body: Type.Optional(Type.Object({ revokeOthers: Type.Optional(Type.Boolean()) })),
        response: {
          200: Type.Object({ sensorId: Type.String(), deviceKey: Type.String() }),
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const deviceKey = await createDeviceKey(db, id, { revokeOthers: request.body?.revokeOthers });
      if (!deviceKey) throw notFound(`no sensor "${id}"`);
      if (request.body?.revokeOthers) verifiedKeys.clear();
      return { sensorId: id, deviceKey };
    },
  );

  app.delete(
    '/api/sensors/:id/keys',
    {
      preHandler: requireAdmin,
      schema: {
        tags: ['sensors'],
        summary: "Revoke all of a sensor's device keys",
        description: ADMIN_ONLY,
        params: Type.Object({ id: SensorIdSchema }),
        response: { 200: Type.Object({ revoked: Type.Integer() }), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const revoked = await revokeDeviceKeys(db, request.params.id);
      verifiedKeys.clear();
      return { revoked };
    },
  );
};

export default sensorRoutes;

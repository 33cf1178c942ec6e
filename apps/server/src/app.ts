import { join, resolve } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '@placetwin/db';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { BasemapTiles } from './basemap/basemap-tiles';
import { dbBasemapSource } from './basemap/db-source';
import { requestId } from './logger';
import areas from './plugins/app/areas';
import auth, { type AuthOptions } from './plugins/app/auth';
import problemHandler from './plugins/app/problem-handler';
import { createSensorServices, type SensorServices } from './plugins/app/sensors';
import compress from './plugins/external/compress';
import helmet from './plugins/external/helmet';
import rateLimit from './plugins/external/rate-limit';
import swagger from './plugins/external/swagger';
import areaRoutes from './routes/api/areas';
import authRoutes from './routes/api/auth';
import buildingRoutes from './routes/api/buildings';
import carbonRoutes from './routes/api/carbon';
import carbonScenarioRoutes from './routes/api/carbon-scenario';
import consultationRoutes, {
  COMMENT_RATE_LIMIT_DEFAULT,
  type CommentRateLimit,
} from './routes/api/consultations';
import datasetRoutes from './routes/api/datasets';
import energyRoutes from './routes/api/energy';
import energyCalibrationRoutes from './routes/api/energy-calibration';
import energyGridRoutes from './routes/api/energy-grid';
import healthRoutes from './routes/api/health';
import importRoutes from './routes/api/imports';
import jobRoutes from './routes/api/jobs';
import privacyRoutes from './routes/api/privacy';
import scenarioEnergyRoutes from './routes/api/scenario-energy';
import scenarioMassingRoutes from './routes/api/scenario-massing';
import scenarioRoutes from './routes/api/scenarios';
import sensorRoutes from './routes/api/sensors';
import solarRoutes from './routes/api/solar';
import { SunHoursStore } from './routes/api/solar-store';
import sunHoursRoutes from './routes/api/solar-sun-hours';
import storyRoutes from './routes/api/stories';
import transportRoutes from './routes/api/transport';
import type { GtfsRealtimeOptions } from './routes/api/transport-realtime';
import uprnRoutes from './routes/api/uprns';
import basemapRoutes from './routes/basemap';
import consultRoutes, { CONSULT_PREFIX } from './routes/consult';
import staRoutes from './routes/sta';
import tilesetRoutes from './routes/tilesets';
import { viewerSite } from './routes/viewer';
import { ServerQueue } from './server-queue';

export interface AppOptions {
  db: Db;
  /** Built 3D Tiles, served at /tilesets/. */
  tilesetsDir: string;
  /** The viewer built by Vite (apps/viewer/dist); absent or unbuilt → `/` explains how to build it. */
  viewerDir?: string;
  /** Caches (basemap tiles under `<dataDir>/basemap-cache`). */
  dataDir: string;
  /** Fastify/pino logger options; off by default so tests stay quiet. */
  logger?: FastifyServerOptions['logger'];
  /** True once migrated and the sample data is loaded; /api/health answers 503 until then. Default: always. */
  ready?: () => boolean;
  /** Requests per minute per client address (global default). */
  rateLimitPerMinute?: number;
  /** Sensor services, shared with the MQTT ingester that server.ts starts; default: new ones, registry closed. */
  sensors?: SensorServices;
  /** The session cookie's `Secure` flag (default true); false only to sign in over plain http in development. */
  secureCookies?: boolean;
  /** Staff sessions' lifetimes and the scrypt cost of sign-in (defaults in @placetwin/db). */
  auth?: Pick<AuthOptions, 'session' | 'passwordHashing'>;
  /** Public comments per client address per window, for the API and for the consultation site's form (each). */
  commentRateLimit?: CommentRateLimit;
  /** The council's name, in the consultation site's header. */
  councilName?: string;
  /** How often the privacy retention job runs (PLACETWIN_RETENTION_HOURS); unset or 0 → no timer (tests). */
  retentionEveryMs?: number;
  /** GTFS-Realtime vehicle positions to poll (PLACETWIN_GTFS_RT_URL); unset → none, no network. */
  gtfsRealtime?: GtfsRealtimeOptions;
  /**
   * Redis for the rate-limit counters (REDIS_URL), shared by every API process; unset → in PostgreSQL when `db` is
   * a server (shared too), else in-process memory (the embedded database serves one process).
   */
  redisUrl?: string;
  /** Key prefix in that Redis (PLACETWIN_REDIS_PREFIX). */
  redisPrefix?: string;
  /** The job queue's schema (PLACETWIN_JOBS_SCHEMA, default `pgboss`), for GET /api/jobs. */
  jobsSchema?: string;
  /**
   * Work the jobs the API queues (sun hours, uploaded imports) in this process (default true). false: this
   * process only queues them, for other API processes sharing its database and data folder.
   */
  workJobs?: boolean;
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 6000;

/**
 * Builds the Placetwin HTTP app: no port, no globals, so tests drive it with `app.inject()`. Plugins load when
 * the app is first used (`ready()`, `inject()`, `listen()`).
 */
export function buildApp(appOptions: AppOptions): FastifyInstance {
  const options = {
    ...appOptions,
    tilesetsDir: resolve(appOptions.tilesetsDir),
    dataDir: resolve(appOptions.dataDir),
    viewerDir: appOptions.viewerDir === undefined ? undefined : resolve(appOptions.viewerDir),
  };
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: requestId,
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    // Open connections (keep-alive tile fetches) must not hold a graceful shutdown hostage.
    forceCloseConnections: 'idle',
    // Multi-type schemas (`type: ['string', 'number', …]`) are deliberate: within an anyOf, Ajv's type coercion
    // would turn 20 into "20" while trying a string branch. Allowing them keeps strict mode's other checks.
    ajv: { customOptions: { allowUnionTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const viewer = viewerSite(options.viewerDir);
  const basemap = new BasemapTiles(dbBasemapSource(options.db), {
    cacheDir: join(options.dataDir, 'basemap-cache'),
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  app.register(helmet);
  app.register(compress);
  app.register(rateLimit, {
    maxPerMinute: options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
    redisUrl: options.redisUrl,
    redisPrefix: options.redisPrefix,
    db: options.db,
  });
  app.register(swagger);
  app.register(problemHandler, { pageFallback: viewer.page });
  app.register(auth, { db: options.db, secureCookies: options.secureCookies ?? true, ...options.auth });
  app.register(areas, { db: options.db });

  app.register(healthRoutes, { ready: options.ready ?? (() => true) });
  app.register(jobRoutes, { db: options.db, jobsSchema: options.jobsSchema });
  app.register(authRoutes);
  app.register(areaRoutes, { db: options.db });
  app.register(datasetRoutes, { db: options.db, tilesetsDir: options.tilesetsDir });
  app.register(buildingRoutes, { db: options.db });
  app.register(uprnRoutes, { db: options.db });
  app.register(scenarioRoutes, { db: options.db, tilesetsDir: options.tilesetsDir });
  app.register(energyRoutes, {
    db: options.db,
    councilNames: options.councilName ? [options.councilName] : undefined,
  });
  app.register(energyGridRoutes, { db: options.db });
  app.register(energyCalibrationRoutes, { db: options.db });
  app.register(carbonRoutes, { db: options.db });
  app.register(carbonScenarioRoutes, { db: options.db });
  app.register(scenarioEnergyRoutes, { db: options.db });
  app.register(scenarioMassingRoutes, { db: options.db, tilesetsDir: options.tilesetsDir });
  app.register(solarRoutes, { db: options.db });
  const queue = new ServerQueue(options.db, { schema: options.jobsSchema, work: options.workJobs });
  const sunHoursStore = new SunHoursStore(options.dataDir, { queue });
  // A listening server works the jobs queued before it started; an app that is only injected into (tests) opens the
  // queue on its first job, so it makes no queries of its own.
  app.addHook('onListen', async () => {
    queue
      .start()
      .catch((e) =>
        app.log.warn({ err: e }, 'the job queue did not start; it is tried again on the next job'),
      );
  });
  app.register(sunHoursRoutes, { db: options.db, dataDir: options.dataDir, store: sunHoursStore });
  app.register(importRoutes, {
    db: options.db,
    queue,
    dataDir: options.dataDir,
    tilesetsDir: options.tilesetsDir,
  });
  app.register(sensorRoutes, {
    db: options.db,
    services: options.sensors ?? createSensorServices(options.db),
  });
  app.register(staRoutes, { db: options.db });
  app.register(transportRoutes, { db: options.db, gtfsRealtime: options.gtfsRealtime });
  app.register(storyRoutes, { db: options.db, publisher: options.councilName, sunHours: sunHoursStore });
  app.register(tilesetRoutes, { tilesetsDir: options.tilesetsDir, db: options.db });
  app.register(basemapRoutes, { tiles: basemap });
  const commentRateLimit = options.commentRateLimit ?? COMMENT_RATE_LIMIT_DEFAULT;
  app.register(consultationRoutes, {
    db: options.db,
    commentRateLimit,
    retentionEveryMs: options.retentionEveryMs,
  });
  app.register(privacyRoutes, { db: options.db });
  app.register(consultRoutes, {
    prefix: CONSULT_PREFIX,
    db: options.db,
    cacheDir: join(options.dataDir, 'consult-cache'),
    councilName: options.councilName,
    commentRateLimit,
    secureCookies: options.secureCookies ?? true,
    jobsSchema: options.jobsSchema,
  });
  app.register(async (site) => viewer.register(site));

  return app;
}

import { join, resolve } from 'node:path';
import { repoRoot, resolvePaths } from '@placetwin/cli';
import { DataError } from '@placetwin/geo';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

/** The environment variables the server reads; everything else comes from `@placetwin/cli`'s `resolvePaths`. */
const ServerEnv = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  PLACETWIN_VIEWER_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** Requests per minute per client address before 429; generous because a 3D view fetches many tiles. */
  PLACETWIN_RATE_LIMIT: Type.Integer({ minimum: 1, default: 6000 }),
  /** `false` lets staff sign in over plain http (development on 127.0.0.1): the session cookie drops `Secure`. */
  PLACETWIN_SECURE_COOKIES: Type.Boolean({ default: true }),
  /** The council's name, in the consultation site's header. */
  PLACETWIN_COUNCIL_NAME: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  /** MQTT broker the sensor ingester subscribes to; unset → no ingester (the server stays offline-safe). */
  MQTT_URL: Type.Optional(Type.String({ pattern: '^(mqtts?|wss?)://' })),
  MQTT_USERNAME: Type.Optional(Type.String({ minLength: 1 })),
  MQTT_PASSWORD: Type.Optional(Type.String({ minLength: 1 })),
  MQTT_CLIENT_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  MQTT_TOPIC_PREFIX: Type.Optional(Type.String({ pattern: '^[^+#]+$' })),
  /** Bearer token for the sensor registry's write routes; unset → they answer 403. */
  PLACETWIN_ADMIN_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  /** GTFS-Realtime VehiclePositions URL; unset → scheduled positions only (no network). */
  PLACETWIN_GTFS_RT_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** The imported GTFS feed those positions belong to (required with the URL). */
  PLACETWIN_GTFS_RT_FEED: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })),
  PLACETWIN_GTFS_RT_POLL_S: Type.Integer({ minimum: 5, maximum: 3600, default: 30 }),
  /** Hours between runs of the privacy retention job (the first runs a minute after start); 0 → never. */
  PLACETWIN_RETENTION_HOURS: Type.Integer({ minimum: 0, maximum: 168, default: 6 }),
  /** How far ahead of the server clock a sensor reading may be stamped, seconds. */
  SENSOR_CLOCK_SKEW_S: Type.Integer({ minimum: 0, maximum: 86_400, default: 300 }),
  /** Redis for rate-limit counters shared by API processes; unset → in PostgreSQL (DATABASE_URL), else in memory. */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  /** Key prefix in that Redis, so several twins can share one. */
  PLACETWIN_REDIS_PREFIX: Type.String({ minLength: 1, maxLength: 100, default: 'placetwin-rate-limit:' }),
});

export interface ServerConfig {
  port: number;
  host: string;
  logLevel: Static<typeof ServerEnv>['LOG_LEVEL'];
  /** PostgreSQL server URL; undefined → embedded PGlite + PostGIS under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  tilesetsDir: string;
  viewerDir: string;
  sampleDataDir: string;
  rateLimitPerMinute: number;
  secureCookies: boolean;
  councilName: string | undefined;
  /** Present when MQTT_URL is set. */
  mqtt:
    | { url: string; username?: string; password?: string; clientId?: string; topicPrefix?: string }
    | undefined;
  adminToken: string | undefined;
  sensorClockSkewMs: number;
  /** Present when PLACETWIN_GTFS_RT_URL is set. */
  gtfsRealtime: { url: string; feed: string; pollMs: number } | undefined;
  /** Between runs of the privacy retention job; 0 → never. */
  retentionEveryMs: number;
  /** Present when REDIS_URL is set. */
  redisUrl: string | undefined;
  redisPrefix: string;
}

/**
 * Reads and validates the server's configuration once, at start-up. A bad value is a `DataError` naming every
 * offending variable, so the operator can fix them all in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  // Empty variables count as unset, as a shell `PORT= npm start` means "default".
  const given = Object.fromEntries(
    Object.keys(ServerEnv.properties)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed: unknown = Value.Convert(ServerEnv, Value.Default(ServerEnv, given));
  if (!Value.Check(ServerEnv, parsed)) {
    const reasons = [...Value.Errors(ServerEnv, parsed)].map(
      (e) => `${e.instancePath.slice(1) || 'environment'} ${e.message}`,
    );
    throw new DataError(
      'invalid-config',
      `invalid server configuration: ${[...new Set(reasons)].join('; ')}`,
    );
  }
  if (parsed.PLACETWIN_GTFS_RT_URL && !parsed.PLACETWIN_GTFS_RT_FEED)
    throw new DataError(
      'invalid-config',
      'invalid server configuration: PLACETWIN_GTFS_RT_URL needs PLACETWIN_GTFS_RT_FEED, the GTFS feed it belongs to',
    );
  const paths = resolvePaths(env, cwd);
  return {
    port: parsed.PORT,
    host: parsed.HOST,
    logLevel: parsed.LOG_LEVEL,
    databaseUrl: paths.databaseUrl,
    dataDir: paths.dataDir,
    tilesetsDir: paths.tilesetsDir,
    viewerDir: parsed.PLACETWIN_VIEWER_DIR
      ? resolve(cwd, parsed.PLACETWIN_VIEWER_DIR)
      : join(repoRoot, 'apps/viewer/dist'),
    sampleDataDir: paths.sampleDataDir,
    rateLimitPerMinute: parsed.PLACETWIN_RATE_LIMIT,
    secureCookies: parsed.PLACETWIN_SECURE_COOKIES,
    councilName: parsed.PLACETWIN_COUNCIL_NAME,
    mqtt: parsed.MQTT_URL
      ? {
          url: parsed.MQTT_URL,
          username: parsed.MQTT_USERNAME,
          password: parsed.MQTT_PASSWORD,
          clientId: parsed.MQTT_CLIENT_ID,
          topicPrefix: parsed.MQTT_TOPIC_PREFIX,
        }
      : undefined,
    adminToken: parsed.PLACETWIN_ADMIN_TOKEN,
    sensorClockSkewMs: parsed.SENSOR_CLOCK_SKEW_S * 1000,
    retentionEveryMs: parsed.PLACETWIN_RETENTION_HOURS * 3600_000,
    gtfsRealtime:
      parsed.PLACETWIN_GTFS_RT_URL && parsed.PLACETWIN_GTFS_RT_FEED
        ? {
            url: parsed.PLACETWIN_GTFS_RT_URL,
            feed: parsed.PLACETWIN_GTFS_RT_FEED,
            pollMs: parsed.PLACETWIN_GTFS_RT_POLL_S * 1000,
          }
        : undefined,
    redisUrl: parsed.REDIS_URL,
    redisPrefix: parsed.PLACETWIN_REDIS_PREFIX,
  };
}

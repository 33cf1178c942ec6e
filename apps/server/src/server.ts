/**
 * `npm start` runs this: reads and checks the configuration, opens the database, listens at once (health says
 * 503 until ready), loads the sample city on first start, and shuts down cleanly on SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSampleData, ensureSampleTransport, SAMPLE_FILE } from '@placetwin/cli';
import { openDb } from '@placetwin/db';
import { isDataError } from '@placetwin/geo';
import { buildApp } from './app';
import { loadConfig } from './config';
import { loggerOptions } from './logger';
import { createSensorServices, startMqttIngest } from './plugins/app/sensors';

/** How long in-flight requests get to finish on shutdown before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let ready = false;
  const sensors = createSensorServices(db, {
    adminToken: config.adminToken,
    maxFutureSkewMs: config.sensorClockSkewMs,
  });
  const app = buildApp({
    db,
    tilesetsDir: config.tilesetsDir,
    viewerDir: config.viewerDir,
    dataDir: config.dataDir,
    logger: loggerOptions(config.logLevel),
    ready: () => ready,
    rateLimitPerMinute: config.rateLimitPerMinute,
    secureCookies: config.secureCookies,
    councilName: config.councilName,
    sensors,
    gtfsRealtime: config.gtfsRealtime,
    retentionEveryMs: config.retentionEveryMs,
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
  });
  // Only with MQTT_URL: a plain `npm start` opens no outbound connection.
  const ingester = config.mqtt
    ? startMqttIngest(sensors, {
        ...config.mqtt,
        log: {
          info: (msg, extra) => app.log.info(extra ?? {}, msg),
          warn: (msg, extra) => app.log.warn(extra ?? {}, msg),
          error: (msg, extra) => app.log.error(extra ?? {}, msg),
        },
      })
    : null;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await ingester?.stop();
      await app.close();
      await db.close();
    } finally {
      clearTimeout(force);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal));

  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`Placetwin running at http://${shownHost}:${port}/`);

  const sampleFile = join(config.sampleDataDir, SAMPLE_FILE);
  if (!existsSync(sampleFile)) {
    // A council running only its own data has no sample folder: nothing to wait for.
    app.log.warn({ sampleFile }, 'no sample data; serving the datasets already imported');
    ready = true;
    return;
  }
  try {
    await ensureSampleData(db, {
      tilesetsDir: config.tilesetsDir,
      sampleDataDir: config.sampleDataDir,
      log: (msg) => app.log.info(msg),
    });
    await ensureSampleTransport(db, { sampleDataDir: config.sampleDataDir, log: (msg) => app.log.info(msg) });
    ready = true;
    app.log.info('ready: sample data loaded');
  } catch (e) {
    // Keep serving (the API shows what is loaded) but stay unhealthy, so an orchestrator notices.
    app.log.error({ err: e }, 'loading the sample data failed; /api/health stays 503');
  }
}

main().catch((e: unknown) => {
  // Bad configuration or bad sample data is the operator's to fix: say what, without a stack trace.
  if (isDataError(e)) console.error(`Placetwin cannot start: ${e.message}`);
  else console.error('Placetwin failed to start:', e);
  process.exit(1);
});

import { type Db, loadSensorTarget, storeObservations } from '@placetwin/db';
import {
  CachedSensorDirectory,
  IngestCounters,
  LiveFeed,
  MqttIngester,
  type MqttIngestOptions,
  type ObservationStore,
  READING_CHECK_DEFAULTS,
} from '@placetwin/sensors';

/**
 * The sensor services the HTTP routes and the MQTT ingester share: one sensor directory (cached lookups), one
 * store (the database), one live feed (what `GET /api/sensors/stream` sends) and the counters. Built once per
 * app; `server.ts` passes the same object to `buildApp` and to `startMqttIngest`.
 */
export interface SensorServices {
  feed: LiveFeed;
  directory: CachedSensorDirectory;
  store: ObservationStore;
  httpCounters: IngestCounters;
  /** Bearer token that unlocks the registry's write routes; unset → those routes answer 403. */
  adminToken: string | undefined;
  maxFutureSkewMs: number;
  /** The MQTT ingester, when one runs (for its counters at `GET /api/sensors/ingest`). */
  mqtt: MqttIngester | null;
}

export interface SensorServicesOptions {
  adminToken?: string;
  maxFutureSkewMs?: number;
  /** How long a sensor's registration is cached by ingest (re-registering through the API clears it). */
  directoryTtlMs?: number;
}

export function createSensorServices(db: Db, options: SensorServicesOptions = {}): SensorServices {
  return {
    feed: new LiveFeed(),
    directory: new CachedSensorDirectory((id) => loadSensorTarget(db, id), { ttlMs: options.directoryTtlMs }),
    store: { store: (readings) => storeObservations(db, readings) },
    httpCounters: new IngestCounters(),
    adminToken: options.adminToken,
    maxFutureSkewMs: options.maxFutureSkewMs ?? READING_CHECK_DEFAULTS.maxFutureSkewMs,
    mqtt: null,
  };
}

/** Broker, credentials and tuning (see MqttIngestOptions); storage, lookup and feed come from the services. */
export type MqttIngestConfig = Omit<MqttIngestOptions, 'directory' | 'store' | 'feed' | 'maxFutureSkewMs'>;

/** Starts the MQTT ingester on the shared services (connects in the background; a down broker is retried). */
export function startMqttIngest(services: SensorServices, config: MqttIngestConfig): MqttIngester {
  const ingester = new MqttIngester({
    ...config,
    directory: services.directory,
    store: services.store,
    feed: services.feed,
    maxFutureSkewMs: services.maxFutureSkewMs,
  });
  services.mqtt = ingester;
  ingester.start();
  return ingester;
}

import type { AlertEvent } from './alerts';
import { type Observation, REJECT_REASONS, type RejectReason, type SensorTarget } from './model';

/**
 * The pieces both ingest paths (MQTT and HTTP) share: where sensors are looked up, where readings are stored,
 * the live feed that server-sent events read, and the counters. Storage is injected, so this package holds no
 * database code.
 */

/** A reading that passed validation, with what the live feed needs to say about it. */
export interface AcceptedReading {
  sensorId: string;
  /** The council area of the sensor, once stored (the store sets it): live events go to that area's listeners. */
  areaId?: string;
  property: string;
  observation: Observation;
}

export interface StoreResult {
  /** The readings that were new (the others were already stored: duplicates by datastream and time). */
  inserted: AcceptedReading[];
  duplicates: number;
  /** Readings whose datastream vanished between lookup and insert (a sensor deleted meanwhile). */
  orphaned: number;
  alerts: AlertEvent[];
}

/** Stores readings idempotently by (datastream, phenomenonTime), atomically per call. */
export interface ObservationStore {
  store(readings: AcceptedReading[]): Promise<StoreResult>;
}

export interface SensorDirectory {
  lookup(sensorId: string): Promise<SensorTarget | null>;
}

/** Live events for server-sent events (and anything else in-process that wants them). */
export type LiveEvent =
  | {
      type: 'observation';
      sensorId: string;
      /** The sensor's council area (set for stored readings; a stream sends each area only its own). */
      areaId?: string;
      property: string;
      datastreamId: number;
      time: string;
      value: number;
      quality: string | null;
    }
  | {
      type: 'alert';
      sensorId: string;
      areaId?: string;
      property: string;
      datastreamId: number;
      kind: AlertEvent['kind'];
      level: AlertEvent['level'];
      value: number;
      time: string;
    };

/** An in-process publish/subscribe bus. A listener that throws is dropped, never the publisher. */
export class LiveFeed {
  private readonly listeners = new Set<(e: LiveEvent) => void>();

  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  publish(event: LiveEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        this.listeners.delete(l);
      }
    }
  }

  /** Publishes what a store call produced: each new reading, then each alert change. */
  publishStored(result: StoreResult): void {
    if (this.listeners.size === 0) return;
    const byDatastream = new Map<number, { sensorId: string; property: string; areaId?: string }>();
    for (const r of result.inserted) {
      byDatastream.set(r.observation.datastreamId, {
        sensorId: r.sensorId,
        property: r.property,
        ...(r.areaId === undefined ? {} : { areaId: r.areaId }),
      });
      this.publish({
        type: 'observation',
        sensorId: r.sensorId,
        ...(r.areaId === undefined ? {} : { areaId: r.areaId }),
        property: r.property,
        datastreamId: r.observation.datastreamId,
        time: new Date(r.observation.phenomenonTimeMs).toISOString(),
        value: r.observation.value,
        quality: r.observation.quality,
      });
    }
    for (const a of result.alerts) {
      const who = byDatastream.get(a.datastreamId);
      if (!who) continue;
      this.publish({
        type: 'alert',
        ...who,
        datastreamId: a.datastreamId,
        kind: a.kind,
        level: a.level,
        value: a.value,
        time: new Date(a.timeMs).toISOString(),
      });
    }
  }
}

export interface IngestCountersSnapshot {
  /** Readings received (a message with an array counts each reading; an unparseable message counts 1). */
  received: number;
  /** New readings stored. */
  accepted: number;
  /** Readings already stored (same datastream and time): accepted idempotently, not stored again. */
  duplicates: number;
  rejected: Record<RejectReason, number>;
  /** Failed store attempts (retried). */
  storeErrors: number;
}

export class IngestCounters {
  received = 0;
  accepted = 0;
  duplicates = 0;
  storeErrors = 0;
  readonly rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;

  reject(reason: RejectReason, n = 1): void {
    this.rejected[reason] += n;
  }

  get rejectedTotal(): number {
    return Object.values(this.rejected).reduce((a, b) => a + b, 0);
  }

  snapshot(): IngestCountersSnapshot {
    return {
      received: this.received,
      accepted: this.accepted,
      duplicates: this.duplicates,
      rejected: { ...this.rejected },
      storeErrors: this.storeErrors,
    };
  }
}

export interface CachedDirectoryOptions {
  /** How long a found sensor is trusted before it is looked up again. */
  ttlMs?: number;
  /** How long "no such sensor" is remembered, so a flood of bad ids does not reach the database each time. */
  negativeTtlMs?: number;
  now?: () => number;
}

export const CACHED_DIRECTORY_DEFAULTS = { ttlMs: 30_000, negativeTtlMs: 5_000 } as const;

/** Wraps a lookup with a time-bounded cache; concurrent lookups of one id share one query. */
export class CachedSensorDirectory implements SensorDirectory {
  private readonly entries = new Map<string, { at: number; value: Promise<SensorTarget | null> }>();
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly load: (sensorId: string) => Promise<SensorTarget | null>,
    options: CachedDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? CACHED_DIRECTORY_DEFAULTS.ttlMs;
    this.negativeTtlMs = options.negativeTtlMs ?? CACHED_DIRECTORY_DEFAULTS.negativeTtlMs;
    this.now = options.now ?? Date.now;
  }

  async lookup(sensorId: string): Promise<SensorTarget | null> {
    const now = this.now();
    const hit = this.entries.get(sensorId);
    if (hit) {
      const value = await hit.value.catch(() => undefined);
      if (value !== undefined && now - hit.at < (value ? this.ttlMs : this.negativeTtlMs)) return value;
    }
    const value = this.load(sensorId);
    this.entries.set(sensorId, { at: now, value });
    if (this.entries.size > 100_000) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  /** Forget one sensor (after it is re-registered) or all. */
  invalidate(sensorId?: string): void {
    if (sensorId === undefined) this.entries.clear();
    else this.entries.delete(sensorId);
  }
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const BACKOFF_DEFAULTS: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/**
 * Exponential backoff with "equal jitter" (half fixed, half random; AWS Architecture Blog, "Exponential
 * Backoff and Jitter", 2015): attempt 0 waits initialMs/2…initialMs, doubling up to maxMs, so many ingesters
 * that lost one broker do not reconnect in lockstep.
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions = BACKOFF_DEFAULTS,
  random = Math.random,
) {
  const cap = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return cap / 2 + (random() * cap) / 2;
}

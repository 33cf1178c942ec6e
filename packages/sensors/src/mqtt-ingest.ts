import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import {
  type AcceptedReading,
  BACKOFF_DEFAULTS,
  type BackoffOptions,
  backoffDelayMs,
  IngestCounters,
  type IngestCountersSnapshot,
  type LiveFeed,
  type ObservationStore,
  type SensorDirectory,
} from './ingest';
import type { RejectReason, SensorTarget } from './model';
import { DEFAULT_TOPIC_PREFIX, observationTopicFilter, parseObservationTopic } from './topics';
import { checkReading, parsePayload, READING_CHECK_DEFAULTS } from './validate';

export interface MqttIngestLog {
  info(msg: string, extra?: object): void;
  warn(msg: string, extra?: object): void;
  error(msg: string, extra?: object): void;
}

export interface MqttIngestOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  directory: SensorDirectory;
  store: ObservationStore;
  /** Receives each newly stored reading and alert change (for server-sent events). */
  feed?: LiveFeed;
  counters?: IngestCounters;
  /** Fixed, so the broker keeps this ingester's session (and queues readings) while it is away. */
  clientId?: string;
  username?: string;
  password?: string;
  topicPrefix?: string;
  /** Most readings per database insert. */
  maxBatch?: number;
  /** Longest a reading waits for its batch to fill while the store is idle. */
  maxDelayMs?: number;
  /** MQTT 5 Receive Maximum: readings the broker may send before we acknowledge any. */
  receiveMaximum?: number;
  /** How long the broker keeps the session (subscriptions and queued readings) after a disconnect. */
  sessionExpirySeconds?: number;
  maxFutureSkewMs?: number;
  reconnect?: BackoffOptions;
  /** Waits between attempts to store a batch after a database error (the batch is kept, never dropped). */
  storeRetry?: BackoffOptions;
  now?: () => number;
  log?: MqttIngestLog;
  /** Called for every rejected reading (for debug logs; keep it cheap). */
  onReject?: (r: { topic: string; reason: RejectReason; detail: string }) => void;
}

export const MQTT_INGEST_DEFAULTS = {
  clientId: 'placetwin-ingest',
  topicPrefix: DEFAULT_TOPIC_PREFIX,
  maxBatch: 2000,
  maxDelayMs: 20,
  receiveMaximum: 10_000,
  sessionExpirySeconds: 7 * 24 * 3600,
  maxFutureSkewMs: READING_CHECK_DEFAULTS.maxFutureSkewMs,
} as const;

/** One received QoS 1 message awaiting its PUBACK; acknowledged only once all its readings are stored. */
interface Delivery {
  messageId: number | undefined;
  /** The connection it arrived on: a PUBACK never goes out on a later connection. */
  connection: number;
  unstored: number;
  settled: boolean;
}

/**
 * mqtt.js sends a QoS 1 PUBACK when `handleMessage` calls back, and reads no further packet until then. To
 * acknowledge only what is stored without storing one message at a time, `handleMessage` calls back with this
 * marker (mqtt.js then skips its own PUBACK and moves on) and the ingester sends each PUBACK itself, in arrival
 * order as MQTT requires [MQTT-4.6.0-2], after the batch holding the message has committed.
 */
const ACK_DEFERRED = new Error('PUBACK deferred until the reading is stored');
/** mqtt.js's packet writer (not in its public types; pinned by this package's exact mqtt version). */
type PacketWriter = { _sendPacket(packet: Packet, cb?: (err?: Error) => void): void };

const silent: MqttIngestLog = { info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Subscribes to every sensor's observation topic (QoS 1, persistent MQTT 5 session) and stores valid readings
 * in batches. A reading is acknowledged to the broker only after it is committed, so a broker or ingester
 * restart can redeliver but never lose an acknowledged reading; redelivered readings are idempotent by
 * (datastream, time). Invalid payloads are counted by reason and acknowledged (redelivery would not fix them);
 * nothing a device sends can throw out of here.
 */
export class MqttIngester {
  readonly counters: IngestCounters;
  private readonly o: Required<Omit<MqttIngestOptions, 'feed' | 'username' | 'password' | 'onReject'>> &
    Pick<MqttIngestOptions, 'feed' | 'username' | 'password' | 'onReject'>;
  private client: MqttClient | null = null;
  private connection = 0;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  /** Deliveries in arrival order from `ackHead` on: PUBACKs leave from the front as they settle. */
  private deliveries: Delivery[] = [];
  private ackHead = 0;
  private intake: Promise<void> = Promise.resolve();
  private queued: { reading: AcceptedReading; delivery: Delivery | null }[] = [];
  private flushing: Promise<void> | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  /** Set when stopping gives up on storing: retries end and nothing more is acknowledged. */
  private abandoned = false;

  constructor(options: MqttIngestOptions) {
    this.o = {
      ...MQTT_INGEST_DEFAULTS,
      counters: new IngestCounters(),
      reconnect: BACKOFF_DEFAULTS,
      storeRetry: BACKOFF_DEFAULTS,
      now: Date.now,
      log: silent,
      // An option given as undefined means "the default", not "unset".
      ...(Object.fromEntries(
        Object.entries(options).filter(([, v]) => v !== undefined),
      ) as MqttIngestOptions),
    };
    this.counters = this.o.counters;
  }

  /** Connects in the background (a broker that is down is retried with backoff) and resolves at once. */
  start(): void {
    if (this.client) return;
    const o = this.o;
    const clientOptions: IClientOptions = {
      clientId: o.clientId,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: o.sessionExpirySeconds, receiveMaximum: o.receiveMaximum },
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: 10_000,
      keepalive: 30,
      username: o.username,
      password: o.password,
    };
    const client = mqtt.connect(o.url, clientOptions);
    this.client = client;
    client.handleMessage = (packet, done) => {
      this.receive(packet);
      done(packet.qos > 0 ? ACK_DEFERRED : undefined);
    };
    client.on('connect', (connack) => {
      this.connection++;
      this.reconnectAttempt = 0;
      o.log.info('mqtt ingest connected', { url: o.url, sessionPresent: connack.sessionPresent });
      client.subscribe(observationTopicFilter(o.topicPrefix), { qos: 1 }, (err) => {
        if (err) o.log.error('mqtt subscribe failed', { err: err.message });
      });
    });
    client.on('error', (err) => o.log.warn('mqtt ingest error', { err: err.message }));
    client.on('close', () => this.scheduleReconnect());
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  stats(): { connected: boolean; counters: IngestCountersSnapshot; unacknowledged: number; queued: number } {
    return {
      connected: this.connected,
      counters: this.counters.snapshot(),
      unacknowledged: this.deliveries.length - this.ackHead,
      queued: this.queued.length,
    };
  }

  /** Resolves when everything received so far has been checked, stored and acknowledged. */
  async idle(): Promise<void> {
    for (;;) {
      await this.intake;
      if (this.abandoned) return;
      if (this.queued.length) this.flushSoon(true);
      if (this.flushing) await this.flushing;
      else if (this.queued.length === 0) return;
    }
  }

  /**
   * Stores what is in hand, acknowledges it, and disconnects. If the database cannot take it within `timeoutMs`
   * the ingester gives up storing: what it did not store it did not acknowledge, so the broker keeps it for the
   * next start.
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), options.timeoutMs ?? 5000);
    });
    const finished = await Promise.race([this.idle().then(() => true), timedOut]);
    clearTimeout(timer);
    this.abandoned = true;
    const client = this.client;
    this.client = null;
    // Gracefully (flushing the last PUBACKs) when everything was stored; at once when giving up.
    if (client) await client.endAsync(!finished);
  }

  private scheduleReconnect(): void {
    if (this.stopping || !this.client || this.reconnectTimer) return;
    const delay = backoffDelayMs(this.reconnectAttempt++, this.o.reconnect);
    this.o.log.warn('mqtt ingest disconnected; reconnecting', { inMs: Math.round(delay) });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopping && this.client && !this.client.connected) this.client.reconnect();
    }, delay);
  }

  private receive(packet: IPublishPacket): void {
    const delivery: Delivery | null =
      packet.qos > 0
        ? { messageId: packet.messageId, connection: this.connection, unstored: 0, settled: false }
        : null;
    if (delivery) this.deliveries.push(delivery);
    // Checks run in arrival order (lookups are async), so acknowledgements keep that order too.
    this.intake = this.intake.then(() => this.check(packet, delivery));
  }

  private rejectAll(topic: string, reason: RejectReason, detail: string, n = 1): void {
    this.counters.received += n;
    this.counters.reject(reason, n);
    this.o.onReject?.({ topic, reason, detail });
  }

  private async check(packet: IPublishPacket, delivery: Delivery | null): Promise<void> {
    const topic = packet.topic;
    try {
      const where = parseObservationTopic(topic, this.o.topicPrefix);
      const payload = parsePayload(packet.payload as Uint8Array);
      if (!where) this.rejectAll(topic, 'bad-topic', 'not an observation topic');
      else if (!payload.ok) this.rejectAll(topic, payload.reason, payload.detail);
      else {
        const sensor = await this.lookup(where.sensorId);
        if (!sensor || sensor.area !== where.area) {
          const detail = sensor ? `sensor ${where.sensorId} is not in area ${where.area}` : 'no such sensor';
          this.rejectAll(topic, 'unknown-sensor', detail, payload.readings.length);
        } else {
          const now = this.o.now();
          for (const raw of payload.readings) {
            const r = checkReading(raw, sensor, { nowMs: now, maxFutureSkewMs: this.o.maxFutureSkewMs });
            this.counters.received++;
            if (!r.ok) {
              this.counters.reject(r.reason);
              this.o.onReject?.({ topic, reason: r.reason, detail: r.detail });
              continue;
            }
            if (delivery) delivery.unstored++;
            this.queued.push({
              reading: {
                sensorId: sensor.sensorId,
                property: r.datastream.property,
                observation: r.observation,
              },
              delivery,
            });
          }
        }
      }
    } catch (e) {
      // A bug, not the device's fault: log it and drop the message rather than stall every sensor behind it.
      this.o.log.error('mqtt ingest failed on a message', { topic, err: (e as Error).message });
    }
    if (delivery && delivery.unstored === 0) this.settle(delivery);
    if (this.queued.length >= this.o.maxBatch) this.flushSoon(true);
    else if (this.queued.length) this.flushSoon(false);
  }

  /** Looks a sensor up, retrying while the database is unreachable (the broker holds the readings meanwhile). */
  private async lookup(sensorId: string): Promise<SensorTarget | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.o.directory.lookup(sensorId);
      } catch (e) {
        if (this.stopping) throw e;
        this.o.log.warn('sensor lookup failed; retrying', { sensorId, err: (e as Error).message });
        await sleep(backoffDelayMs(attempt, this.o.storeRetry));
      }
    }
  }

  private flushSoon(now: boolean): void {
    if (this.flushing) return;
    if (!now) {
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = null;
        this.flushSoon(true);
      }, this.o.maxDelayMs);
      return;
    }
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
    });
  }

  /** Stores queued readings, at most maxBatch per insert, until none are left; then acknowledges them. */
  private async flushLoop(): Promise<void> {
    while (this.queued.length) {
      const chunk = this.queued.splice(0, this.o.maxBatch);
      const result = await this.storeWithRetry(chunk.map((c) => c.reading));
      if (!result) return; // stopped while the database was failing: leave it all unacknowledged
      this.counters.accepted += result.inserted.length;
      this.counters.duplicates += result.duplicates;
      if (result.orphaned) this.counters.reject('unknown-sensor', result.orphaned);
      this.o.feed?.publishStored(result);
      for (const { delivery } of chunk) {
        if (delivery && --delivery.unstored === 0) delivery.settled = true;
      }
      this.releaseAcks();
    }
  }

  private async storeWithRetry(readings: AcceptedReading[]) {
    for (let attempt = 0; ; attempt++) {
      if (this.abandoned) return null;
      try {
        return await this.o.store.store(readings);
      } catch (e) {
        this.counters.storeErrors++;
        if (this.stopping) {
          this.abandoned = true;
          return null;
        }
        this.o.log.error('storing readings failed; retrying', {
          n: readings.length,
          err: (e as Error).message,
        });
        await sleep(backoffDelayMs(attempt, this.o.storeRetry));
      }
    }
  }

  private settle(delivery: Delivery): void {
    delivery.settled = true;
    this.releaseAcks();
  }

  private releaseAcks(): void {
    const client = this.client;
    const live = client?.connected ? client : null;
    // One write for a batch's PUBACKs instead of one per message.
    live?.stream.cork();
    while (this.ackHead < this.deliveries.length && this.deliveries[this.ackHead].settled) {
      const d = this.deliveries[this.ackHead++];
      if (live && d.connection === this.connection && d.messageId !== undefined) {
        (live as unknown as PacketWriter)._sendPacket({ cmd: 'puback', messageId: d.messageId });
      }
    }
    if (live) process.nextTick(() => live.stream.uncork());
    // Drop the acknowledged prefix now and then (Array#shift per message is O(n): quadratic at 10,000 in flight).
    if (this.ackHead > 1024 && this.ackHead * 2 > this.deliveries.length) {
      this.deliveries = this.deliveries.slice(this.ackHead);
      this.ackHead = 0;
    }
  }
}

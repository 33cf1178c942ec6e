/**
 * GTFS-Realtime vehicle positions, polled from a configured URL (PLACETWIN_GTFS_RT_URL; none by default, so a
 * plain start stays offline) and decoded with gtfs-realtime-bindings. The latest message is kept in memory; the
 * vehicles endpoint serves it instead of the timetable's positions for instants near the message's time.
 */
import { decodeVehiclePositions, type VehiclePositionsMessage } from '@placetwin/transport';

export interface GtfsRealtimeOptions {
  /** VehiclePositions feed URL (protobuf FeedMessage). */
  url: string;
  /** The imported GTFS feed the positions belong to. */
  feed: string;
  /** How often to fetch, ms. */
  pollMs: number;
}

export interface RealtimeStatus {
  feed: string;
  /** Host of the URL only (a URL may carry an API key). */
  host: string;
  pollS: number;
  lastFetchAt: string | null;
  lastError: string | null;
  /** Feed header time of the latest message, ISO, or null before the first good fetch. */
  messageAt: string | null;
  vehicles: number;
}

/** Longest wait for one fetch, so a hung server never stacks requests. */
const FETCH_TIMEOUT_MS = 15_000;

export interface RealtimePoller {
  readonly options: GtfsRealtimeOptions;
  latest(): VehiclePositionsMessage | null;
  status(): RealtimeStatus;
  /** Fetches once now (also what each tick does); resolves when the fetch has been recorded, good or bad. */
  poll(): Promise<void>;
  stop(): void;
}

/**
 * Starts polling at once and then every `pollMs`. A failed fetch or a message that does not decode is recorded
 * (status().lastError) and logged; the last good message stays in use.
 */
export function startRealtimePoller(
  options: GtfsRealtimeOptions,
  log: { warn(msg: string): void },
): RealtimePoller {
  let message: VehiclePositionsMessage | null = null;
  let lastFetchAt: number | null = null;
  let lastError: string | null = null;
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  const fetchOnce = async () => {
    try {
      const res = await fetch(options.url, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        headers: { accept: 'application/x-protobuf, application/octet-stream' },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      message = decodeVehiclePositions(new Uint8Array(await res.arrayBuffer()), options.url);
      lastError = null;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
      log.warn(`GTFS-Realtime fetch for feed "${options.feed}" failed: ${lastError}`);
    } finally {
      lastFetchAt = Date.now();
    }
  };
  const poll = () => {
    if (stopped) return Promise.resolve();
    inFlight ??= fetchOnce().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
  void poll();
  const timer = setInterval(() => void poll(), options.pollMs);
  timer.unref();

  return {
    options,
    latest: () => message,
    poll,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    status: () => ({
      feed: options.feed,
      host: new URL(options.url).host,
      pollS: options.pollMs / 1000,
      lastFetchAt: lastFetchAt === null ? null : new Date(lastFetchAt).toISOString(),
      lastError,
      messageAt: message ? new Date(message.timestampMs).toISOString() : null,
      vehicles: message?.vehicles.length ?? 0,
    }),
  };
}

/**
 * Whether a request for instant `tMs` gets the live message: when it is within two polls (and at least two
 * minutes) of the message's time. Other instants (the clock scrubbed to another hour or day) get the timetable.
 */
export function isLiveFor(message: VehiclePositionsMessage, tMs: number, pollMs: number): boolean {
  return Math.abs(tMs - message.timestampMs) <= Math.max(2 * pollMs, 120_000);
}

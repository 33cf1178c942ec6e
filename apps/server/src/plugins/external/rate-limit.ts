import rateLimit, {
  type FastifyRateLimitOptions,
  type FastifyRateLimitStore,
  type FastifyRateLimitStoreCtor,
} from '@fastify/rate-limit';
import { type Db, hitRateLimit, peekRateLimit, purgeEndedRateLimits } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

export interface RateLimitOptions {
  /** Requests per minute per client address, for every route unless the route sets its own. */
  maxPerMinute: number;
  /**
   * Redis URL (REDIS_URL) for the counters, so that every server process behind one address counts together;
   * unset → in PostgreSQL when `db` is a server, else in this process's memory (right for a single process only).
   */
  redisUrl?: string;
  /** Key prefix in Redis (PLACETWIN_REDIS_PREFIX), so several twins (or test runs) can share one Redis. */
  redisPrefix?: string;
  /** The app's database: a PostgreSQL server (`kind: 'server'`) holds the counters when there is no Redis. */
  db?: Db;
  /** How often ended windows are deleted from PostgreSQL (they hold client addresses). Default one minute. */
  purgeEveryMs?: number;
}

/** The counters' shape @fastify/rate-limit's stores pass around (`read` is its non-counting peek). */
type Counted = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** What the plugin passes a store: its options, with these two (missing from its typings) among them. */
type StoreOptions = FastifyRateLimitOptions & { continueExceeding?: boolean; exponentialBackoff?: boolean };

/**
 * A @fastify/rate-limit store (its documented `store` option) with the counters in PostgreSQL: one atomic upsert
 * per request (@placetwin/db `hitRateLimit`), so every API process on the database counts together. Each route
 * with its own limit gets its own keys, as in the plugin's Redis store.
 */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class PostgresRateLimitStore implements FastifyRateLimitStore {
    constructor(
      options: StoreOptions,
      private readonly prefix = 'global:',
    ) {
      // Both need a window stretched per key, which the upsert does not do: refuse rather than ignore them.
      if (options.continueExceeding || options.exponentialBackoff)
        throw new Error(
          'the PostgreSQL rate-limit store supports neither continueExceeding nor exponentialBackoff',
        );
    }

    incr(key: string, callback: Counted, timeWindow: number): void {
      hitRateLimit(db, this.prefix + key, timeWindow).then(
        (c) => callback(null, { current: c.hits, ttl: c.ttlMs }),
        (e: Error) => callback(e),
      );
    }

    read(key: string, callback: Counted): void {
      peekRateLimit(db, this.prefix + key).then(
        (c) => callback(null, { current: c.hits, ttl: c.ttlMs }),
        (e: Error) => callback(e),
      );
    }

    child(routeOptions: StoreOptions & { routeInfo?: { method?: unknown; url?: string } }) {
      const route = routeOptions.routeInfo ?? {};
      return new PostgresRateLimitStore(routeOptions, `${String(route.method ?? '')}${route.url ?? ''}:`);
    }
  }
  return PostgresRateLimitStore;
}

/**
 * A generous global limit per client address: a 3D view fetches hundreds of tiles a minute, so the default only
 * stops runaway clients. Routes that write or compute heavily set stricter limits in their own `config.rateLimit`.
 * The counters live where every API process of the service sees them: in Redis with `redisUrl` (the plugin's own
 * Redis store, via ioredis), else in PostgreSQL when the database is a server; only the embedded database (one
 * process by construction) keeps them in memory.
 */
async function rateLimitPlugin(app: FastifyInstance, options: RateLimitOptions) {
  const redis = options.redisUrl
    ? new Redis(options.redisUrl, {
        // Fail fast: a request must not hang because Redis is away (skipOnError below lets it through).
        connectTimeout: 500,
        maxRetriesPerRequest: 1,
        lazyConnect: false,
      })
    : undefined;
  if (redis) {
    redis.on('error', (e: Error) => app.log.warn({ err: e }, 'rate-limit Redis error'));
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  const db = !redis && options.db?.kind === 'server' ? options.db : undefined;
  if (db) {
    const purge = setInterval(() => {
      purgeEndedRateLimits(db).catch((e: Error) =>
        app.log.warn({ err: e }, 'purging rate-limit counters failed'),
      );
    }, options.purgeEveryMs ?? 60_000);
    purge.unref();
    app.addHook('onClose', async () => clearInterval(purge));
  }
  await app.register(rateLimit, {
    global: true,
    max: options.maxPerMinute,
    timeWindow: 60_000,
    ...(redis ? { redis, nameSpace: options.redisPrefix ?? 'placetwin-rate-limit:' } : {}),
    ...(db ? { store: postgresRateLimitStore(db) } : {}),
    // The counters' store away (Redis or PostgreSQL): serve rather than fail every request (a guard, not a gate).
    ...(redis || db ? { skipOnError: true } : {}),
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit' });

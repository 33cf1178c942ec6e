import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

export interface RateLimitOptions {
  /** Requests per minute per client address, for every route unless the route sets its own. */
  maxPerMinute: number;
  /**
   * Redis URL (REDIS_URL) for the counters, so that every server process behind one address counts together;
   * unset → counters in this process's memory (right for a single process only).
   */
  redisUrl?: string;
  /** Key prefix in Redis (PLACETWIN_REDIS_PREFIX), so several twins (or test runs) can share one Redis. */
  redisPrefix?: string;
}

/**
 * A generous global limit per client address: a 3D view fetches hundreds of tiles a minute, so the default only
 * stops runaway clients. Routes that write or compute heavily set stricter limits in their own `config.rateLimit`.
 * With `redisUrl` the counters live in Redis (@fastify/rate-limit's own Redis store, via ioredis), so the limits
 * hold across every API process of the service.
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
  await app.register(rateLimit, {
    global: true,
    max: options.maxPerMinute,
    timeWindow: 60_000,
    ...(redis
      ? {
          redis,
          nameSpace: options.redisPrefix ?? 'placetwin-rate-limit:',
          // Redis away: serve rather than fail every request (the limit is a guard, not a gate).
          skipOnError: true,
        }
      : {}),
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit' });

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface RateLimitOptions {
  /** Requests per minute per client address, for every route unless the route sets its own. */
  maxPerMinute: number;
}

/**
 * A generous global limit per client address: a 3D view fetches hundreds of tiles a minute, so the default only
 * stops runaway clients. Routes that write or compute heavily set stricter limits in their own `config.rateLimit`.
 */
async function rateLimitPlugin(app: FastifyInstance, options: RateLimitOptions) {
  await app.register(rateLimit, {
    global: true,
    max: options.maxPerMinute,
    timeWindow: 60_000,
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit' });

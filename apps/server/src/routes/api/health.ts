import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { HttpProblem } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

export interface HealthRoutesOptions {
  /** True once the database is migrated and the sample data is loaded. */
  ready: () => boolean;
}

/** Seconds a client (or load balancer) should wait before asking again while the twin starts. */
const RETRY_AFTER_S = '5';

const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (app, options) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['status'],
        summary: 'Ready to serve: 200 once the database is migrated and the sample data loaded, else 503',
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: ProblemSchema },
      },
      // Health checks are polled by orchestrators; never rate-limit them.
      config: { rateLimit: false },
    },
    async () => {
      if (!options.ready()) {
        throw new HttpProblem(
          503,
          'not-ready',
          'starting: the database or the sample data is not ready yet',
          {
            'retry-after': RETRY_AFTER_S,
          },
        );
      }
      return { status: 'ok' as const };
    },
  );
};

export default healthRoutes;

/**
 * Who may read which scenarios: staff read every scenario; the public reads published ones only, and a draft is
 * "not found" to them (its existence is not disclosed). PreHandlers for the scenario routes; writes use
 * `app.requireRole('planner', 'admin')` instead.
 */
import { type Db, getScenario, ScenarioNotFoundError } from '@placetwin/db';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';

export interface ScenarioAccess {
  /** `GET /api/scenarios`: the public's list is `status=published`, whatever it asked for. */
  publicListsPublished: preHandlerAsyncHookHandler;
  /** Routes with `:id`: a draft is 404 to the public. */
  publicReadsPublished: preHandlerAsyncHookHandler;
  /** `GET /api/scenarios/compare?a&b`: each side must be the baseline or published, for the public. */
  publicComparesPublished: preHandlerAsyncHookHandler;
}

export function scenarioAccess(db: Db): ScenarioAccess {
  const mustBePublished = async (id: number) => {
    if ((await getScenario(db, id))?.status !== 'published') throw new ScenarioNotFoundError(id);
  };
  return {
    publicListsPublished: async (request: FastifyRequest, reply: FastifyReply) => {
      if (await request.staff()) return;
      const query = request.query as { status?: string };
      if (query.status === 'draft') return reply.send([]);
      query.status = 'published';
    },
    publicReadsPublished: async (request: FastifyRequest) => {
      if (await request.staff()) return;
      await mustBePublished(Number((request.params as { id: number | string }).id));
    },
    publicComparesPublished: async (request: FastifyRequest) => {
      if (await request.staff()) return;
      const { a, b } = request.query as { a?: string; b?: string };
      for (const side of [a, b]) {
        if (side !== undefined && side !== 'baseline') await mustBePublished(Number(side));
      }
    },
  };
}

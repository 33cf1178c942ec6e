import type { FastifyReply, FastifyRequest } from 'fastify';

/** Renders a Nunjucks page of the site (the staff, jobs and privacy pages are handed the site's renderer). */
export type Render = (
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  status?: number,
) => FastifyReply;

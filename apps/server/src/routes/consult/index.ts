/**
 * The public consultation site (apps/consult), mounted by app.ts at `/consult`: server-rendered GOV.UK-style
 * pages over the same public queries as `/api/consultations`.
 */
import { type ConsultSiteOptions, consultSite } from '@placetwin/consult';
import type { FastifyInstance } from 'fastify';

export const CONSULT_PREFIX = '/consult';

export default async function consultRoutes(
  app: FastifyInstance,
  options: ConsultSiteOptions,
): Promise<void> {
  await consultSite(app, options);
}

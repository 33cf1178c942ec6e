/**
 * OGC SensorThings API 1.1 (OGC 18-088), read-only subset, at `/sta/v1.1`: Things, Locations, Datastreams,
 * ObservedProperties and Observations; entity and navigation paths; `$top`, `$skip`, `$count`, `$orderby`,
 * `$expand=Datastreams` (on Things) and `$filter` on phenomenonTime. Collections carry `@iot.count` (with
 * `$count=true`) and `@iot.nextLink` when more entities follow.
 *
 * Each request reads one council area's sensors (staff: their own; the public: `?council=`, default `default`):
 * another area's thing, datastream or observation is "not found", exactly as a missing one. Links carry the
 * `?council=` the request named, so a client following them stays in that area.
 */
import { type Db, staDatastreamsOfThings, staRead } from '@placetwin/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { areaParam } from '../../plugins/app/areas';
import { notFound } from '../../plugins/app/problems';
import { staEntity } from './entities';
import { parseQueryOptions, parseResourcePath, STA_SETS } from './request';

export interface StaRoutesOptions {
  db: Db;
}

export const STA_ROOT = '/sta/v1.1';

/** Conformance classes of 18-088 this subset implements in full. */
const CONFORMANCE = [
  'http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel',
  'http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities',
];

const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}${STA_ROOT}`;

/** The same request with other $skip (and the caller's other options kept), for @iot.nextLink. */
function pageLink(request: FastifyRequest, skip: number): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.set('$skip', String(skip));
  return url.toString();
}

export default async function staRoutes(app: FastifyInstance, { db }: StaRoutesOptions): Promise<void> {
  const schema = {
    tags: ['sensorthings'],
    summary: 'OGC SensorThings API 1.1 (read subset)',
  };

  app.get(STA_ROOT, { schema: { ...schema, summary: 'SensorThings service root' } }, async (request) => {
    const base = baseUrl(request);
    return {
      value: STA_SETS.map((name) => ({ name, url: `${base}/${name}` })),
      serverSettings: { conformance: CONFORMANCE },
    };
  });

  app.get(`${STA_ROOT}/*`, { schema }, async (request) => {
    const path = (request.params as { '*': string })['*'];
    const target = parseResourcePath(path);
    const options = parseQueryOptions(request.query as Record<string, string>, target);
    const base = baseUrl(request);
    const areaId = await request.area();
    const council = areaParam(request.url);
    const suffix = council === null ? '' : `?council=${encodeURIComponent(council)}`;
    if (target.single) {
      const { rows } = await staRead(db, target.set, { ...options, areaId, top: 1, skip: 0, count: false });
      if (!rows[0]) throw notFound(`no entity at ${STA_ROOT}/${path}`);
      const entity = staEntity(base, target.set, rows[0], suffix);
      if (options.expandDatastreams) {
        entity.Datastreams = (await staDatastreamsOfThings(db, [rows[0].id as number], areaId)).map((d) =>
          staEntity(base, 'Datastreams', d, suffix),
        );
      }
      return entity;
    }
    // One row more than asked shows whether a next page exists.
    const { rows, count } = await staRead(db, target.set, { ...options, areaId, top: options.top + 1 });
    const page = rows.slice(0, options.top);
    const value = page.map((r) => staEntity(base, target.set, r, suffix));
    if (options.expandDatastreams) {
      const datastreams = await staDatastreamsOfThings(
        db,
        page.map((r) => r.id as number),
        areaId,
      );
      for (const thing of value) {
        thing.Datastreams = datastreams
          .filter((d) => d.thingId === thing['@iot.id'])
          .map((d) => staEntity(base, 'Datastreams', d, suffix));
      }
    }
    return {
      ...(count !== undefined ? { '@iot.count': count } : {}),
      ...(rows.length > options.top
        ? { '@iot.nextLink': pageLink(request, options.skip + options.top) }
        : {}),
      value,
    };
  });

  // Anything else under /sta is an API miss (a problem body), never the viewer's page.
  app.get('/sta/*', { schema: { hide: true } }, async (request) => {
    throw notFound(`no resource at ${request.url.split('?')[0]}: the SensorThings API is at ${STA_ROOT}`);
  });
}

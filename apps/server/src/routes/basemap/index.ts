import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DataError } from '@placetwin/geo';
import Type from 'typebox';
import type { BasemapTiles } from '../../basemap/basemap-tiles';
import { isValidTile } from '../../basemap/tile-math';
import { matchesIfNoneMatch } from '../../tilesets/tileset-files';
import { ProblemSchema } from '../schemas';

export interface BasemapRoutesOptions {
  tiles: BasemapTiles;
}

/** Deepest zoom served: about 0.15 m per pixel in Britain, past which OSM geometry has nothing more to show. */
export const BASEMAP_MAX_ZOOM = 20;

/**
 * Tiles change only when the data is re-imported; a day of caching, then revalidation by ETag (cheap 304s),
 * keeps a re-import visible without making browsers ask for every tile on every pan.
 */
const BASEMAP_CACHE_CONTROL = 'public, max-age=86400';

const basemapRoutes: FastifyPluginAsyncTypebox<BasemapRoutesOptions> = async (app, { tiles }) => {
  app.get(
    '/basemap/:z/:x/:y.png',
    {
      schema: {
        tags: ['tiles'],
        summary: 'Offline basemap raster tile (Web Mercator XYZ, 256 px PNG) drawn from OpenStreetMap data',
        description:
          'Land use, water, roads and railways of the loaded datasets; transparent outside them. ' +
          'Use as an XYZ imagery layer: `/basemap/{z}/{x}/{y}.png`.',
        params: Type.Object({
          z: Type.Integer({ minimum: 0, maximum: BASEMAP_MAX_ZOOM }),
          x: Type.Integer({ minimum: 0 }),
          y: Type.Integer({ minimum: 0 }),
        }),
        response: {
          200: Type.Unsafe<Buffer>({
            description: 'PNG tile',
            type: 'string',
            contentMediaType: 'image/png',
          }),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
          400: ProblemSchema,
        },
      },
      // PNG is already compressed.
      compress: false,
    },
    async (request, reply) => {
      const { z, x, y } = request.params;
      if (!isValidTile({ z, x, y })) {
        throw new DataError(
          'invalid-tile',
          `tile ${z}/${x}/${y} does not exist: x and y must be below 2^${z}`,
        );
      }
      const tile = await tiles.tile({ z, x, y });
      reply.header('cache-control', BASEMAP_CACHE_CONTROL).header('etag', tile.etag);
      if (matchesIfNoneMatch(request.headers['if-none-match'], tile.etag.slice(1, -1)))
        return reply.code(304).send(null);
      return reply.type('image/png').send(tile.png);
    },
  );
};

export default basemapRoutes;

import negotiate from '@fastify/accept-negotiator';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
import { matchesIfNoneMatch, TilesetFiles } from '../../tilesets/tileset-files';
import { ProblemSchema } from '../schemas';

export interface TilesetRoutesOptions {
  tilesetsDir: string;
}

/**
 * `GET /tilesets/*`: the built 3D Tiles (tileset.json and content-addressed .glb files). Compression is done here,
 * once per file and coding, rather than by the global compress plugin on every request.
 */
const tilesetRoutes: FastifyPluginAsyncTypebox<TilesetRoutesOptions> = async (app, options) => {
  const files = new TilesetFiles(options.tilesetsDir);

  app.get(
    '/tilesets/*',
    {
      compress: false,
      schema: {
        tags: ['tiles'],
        summary: 'A 3D Tiles file: tileset.json (revalidate) or a content-addressed .glb (immutable)',
        params: Type.Object({ '*': Type.String() }),
        response: {
          200: Type.Unsafe<Buffer>({ description: 'The file', type: 'string', contentMediaType: 'application/octet-stream' }),
          304: Type.Null({ description: 'Not modified (If-None-Match)' }),
          404: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const encoding = negotiate(request.headers['accept-encoding'] ?? '', ['br', 'gzip']);
      const file = await files.get(request.params['*'], encoding);
      if (!file) throw notFound(`no tileset file ${request.params['*']}`);
      reply.header('cache-control', file.cacheControl).header('vary', 'accept-encoding');
      if (matchesIfNoneMatch(request.headers['if-none-match'], file.hash)) {
        return reply.header('etag', file.etag).code(304).send(null);
      }
      reply.header('etag', file.etag).type(file.contentType);
      if (file.encoding) reply.header('content-encoding', file.encoding);
      return reply.send(file.body);
    },
  );
};

export default tilesetRoutes;

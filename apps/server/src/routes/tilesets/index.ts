import negotiate from '@fastify/accept-negotiator';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '@placetwin/db';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
import { matchesIfNoneMatch, TilesetFiles } from '../../tilesets/tileset-files';
import { ProblemSchema } from '../schemas';

export interface TilesetRoutesOptions {
  tilesetsDir: string;
  db: Db;
}

/** `<dataset>/scenarios/<id>/…`: a scenario's overlay (see scenarioOverlayDir in @placetwin/cli). */
const OVERLAY = /^([^/]+)\/scenarios\/([0-9]{1,15})(?:\/|$)/;

/**
 * `GET /tilesets/*`: the built 3D Tiles (tileset.json and content-addressed .glb files). Compression is done here,
 * once per file and coding, rather than by the global compress plugin on every request.
 *
 * Baselines and published scenarios' overlays are public and cacheable by anyone. A draft scenario's overlay is
 * for the staff of the scenario's own area only: to the public and to another area's staff it is "not found" (as a
 * file that does not exist), and it is sent `private`, so no shared cache keeps it.
 */
const tilesetRoutes: FastifyPluginAsyncTypebox<TilesetRoutesOptions> = async (app, options) => {
  const files = new TilesetFiles(options.tilesetsDir);

  /** Who may read a file: 'public', 'private' (this member's area's draft) or null (not found to them). */
  const access = async (request: FastifyRequest, path: string): Promise<'public' | 'private' | null> => {
    const m = OVERLAY.exec(path);
    if (!m) return 'public';
    const s = (
      await options.db.query<{ status: string; areaId: string }>(
        `SELECT s.status, s.area_id AS "areaId" FROM scenarios s
         JOIN datasets d ON d.id = s.dataset_id AND d.area_id = s.area_id
         WHERE s.id = $1::bigint AND d.name = $2`,
        [m[2], m[1]],
      )
    ).rows[0];
    // An overlay left by a deleted scenario (or under the wrong dataset) is served to no one.
    if (!s) return null;
    if (s.status === 'published') return 'public';
    const staff = await request.staff();
    return staff && staff.areaId === s.areaId ? 'private' : null;
  };

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
      const who = await access(request, request.params['*']);
      const file = who === null ? null : await files.get(request.params['*'], encoding);
      if (!file) throw notFound(`no tileset file ${request.params['*']}`);
      const cacheControl =
        who !== 'private'
          ? file.cacheControl
          : file.cacheControl.startsWith('public')
            ? file.cacheControl.replace(/^public/, 'private')
            : `private, ${file.cacheControl}`;
      reply.header('cache-control', cacheControl).header('vary', 'accept-encoding');
      // A draft's answer depends on the session: a shared cache must not answer someone else with it.
      if (who === 'private') reply.header('vary', 'accept-encoding, cookie');
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

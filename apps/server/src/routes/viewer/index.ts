import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Vite puts hashed bundles under assets/: a new build gets new names, so old ones can be cached for ever. */
const HASHED_ASSETS = `${sep}assets${sep}`;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Placetwin</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .25rem}</style>
</head><body>
<h1>Placetwin is running, but the viewer is not built</h1>
<p>Build it with <code>npm run build</code> in the repository (or start with <code>npm start</code>, which builds it
when needed), then reload this page.</p>
<p>The API works meanwhile: <a href="/api/datasets">/api/datasets</a>, <a href="/api/health">/api/health</a>,
documentation at <a href="/docs">/docs</a>.</p>
</body></html>
`;

export interface ViewerSite {
  /** True when `viewerDir/index.html` exists. */
  built: boolean;
  /** Registers the viewer's files (or the "not built" page) on the app. */
  register(app: FastifyInstance): Promise<void>;
  /** The answer to a page path that no route matched: the viewer's index.html (it routes on the client). */
  page(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
}

/** The React/Cesium viewer built by Vite, served at `/`: hashed assets immutable, everything else revalidated. */
export function viewerSite(viewerDir: string | undefined): ViewerSite {
  const indexPath = viewerDir ? join(viewerDir, 'index.html') : null;
  const built = indexPath !== null && existsSync(indexPath);
  const notBuilt = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);

  if (!built || !viewerDir || !indexPath) {
    return {
      built: false,
      register: async (app) => {
        app.get('/', { schema: { hide: true } }, notBuilt);
      },
      page: notBuilt,
    };
  }
  return {
    built: true,
    register: async (app) => {
      await app.register(fastifyStatic, {
        root: viewerDir,
        prefix: '/',
        index: ['index.html'],
        cacheControl: false,
        // A rebuilt viewer replaces files under the same path: validators must follow the content.
        etag: true,
        lastModified: true,
        setHeaders: (reply, path) => {
          reply.header(
            'cache-control',
            path.includes(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
    },
    // Read per request: the file is small and a rebuild while the server runs must show.
    page: async (_request, reply) =>
      reply
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(await readFile(indexPath)),
  };
}

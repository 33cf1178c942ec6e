import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Routes under these prefixes are documented; the viewer's static files are not API. */
const DOCUMENTED = ['/api/', '/tilesets/', '/basemap/'];

/** OpenAPI 3 generated from the routes' TypeBox schemas, browsable at /docs (JSON at /docs/json). */
async function swaggerPlugin(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Placetwin API',
        description:
          'Datasets, buildings with provenance, 3D Tiles and the offline basemap of a Placetwin digital twin. ' +
          'Errors are RFC 9457 problem details (`application/problem+json`) with a stable `type`.',
        version: '0.1.0',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      tags: [
        { name: 'status', description: 'Health' },
        { name: 'datasets', description: 'Loaded datasets, their credits and tilesets' },
        { name: 'buildings', description: 'Buildings with attributes and provenance' },
        { name: 'tiles', description: '3D Tiles and basemap raster tiles' },
      ],
    },
    transform: ({ schema, url, route }) => ({
      schema: DOCUMENTED.some((p) => url.startsWith(p)) ? schema : { ...schema, hide: true },
      url,
      route,
    }),
  });
  // The app-wide CSP (helmet) suits Swagger UI as it is; its own staticCSP would allow any https: origin.
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

export default fp(swaggerPlugin, { name: 'swagger' });

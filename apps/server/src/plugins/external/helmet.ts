import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Content Security Policy for an offline CesiumJS viewer: everything from this origin, nothing third-party.
 * Cesium needs workers from blob: URLs and from self, images and fetches of data:/blob: URLs (textures, decoded
 * glTF buffers), and WebAssembly compilation for its Draco/meshopt decoders ('wasm-unsafe-eval', which allows
 * no JS eval). Styles allow 'unsafe-inline' because Cesium's widgets write inline style attributes.
 * No upgrade-insecure-requests: a council may serve the twin over plain HTTP on its own network.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'", 'data:', 'blob:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  frameAncestors: ["'self'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: null,
};

async function helmetPlugin(app: FastifyInstance) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    // Cesium loads nothing cross-origin here, but COEP would also block a council embedding its own imagery.
    crossOriginEmbedderPolicy: false,
  });
}

export default fp(helmetPlugin, { name: 'helmet' });

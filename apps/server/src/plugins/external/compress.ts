import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Below this a response is not worth compressing (headers and CPU outweigh the bytes saved). */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/**
 * gzip and brotli for JSON, HTML, JS, CSS and glTF, whichever the client prefers. Brotli at quality 5: close to
 * the best ratio for tile payloads at a fraction of quality 11's CPU. Tileset files are compressed once and cached
 * by their own route, which marks itself `compress: false`.
 */
async function compressPlugin(app: FastifyInstance) {
  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: COMPRESS_THRESHOLD_BYTES,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
    customTypes: /^(text\/|application\/(.+\+)?json|application\/javascript|model\/gltf)/,
  });
}

export default fp(compressPlugin, { name: 'compress' });

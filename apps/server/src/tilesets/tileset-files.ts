import { createHash } from 'node:crypto';
import { realpath, stat, readFile } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { LRUCache } from 'lru-cache';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export type ContentEncoding = 'br' | 'gzip';

/** One representation of a tileset file, ready to send. */
export interface TilesetFileResponse {
  body: Buffer;
  contentType: string;
  /** Strong validator: the content hash, suffixed by the content coding (`"…-br"`) for compressed bodies. */
  etag: string;
  /** Content hash alone, to compare with If-None-Match whatever coding the client cached. */
  hash: string;
  cacheControl: string;
  encoding: ContentEncoding | null;
}

const CONTENT_TYPES: Record<string, string> = {
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.json': 'application/json',
  '.subtree': 'application/octet-stream',
  '.b3dm': 'application/octet-stream',
  '.pnts': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ktx2': 'image/ktx2',
};
const COMPRESSIBLE = new Set(['.glb', '.gltf', '.json', '.subtree', '.b3dm', '.pnts']);

/** Content files are named by their hash (`<hex>.glb`), so a given URL never changes: cache it for a year. */
const CONTENT_ADDRESSED = /^[0-9a-f]{8,}\.[a-z0-9]+$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** tileset.json changes when a dataset is re-tiled: always revalidate (cheap, by ETag). */
export const REVALIDATE = 'no-cache';

/** A path segment we serve: no dot files, no `..`, no separators or control characters. */
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Compression is kept only when it saves at least this fraction (meshopt-compressed glTF often barely shrinks). */
const MIN_SAVING = 0.05;

interface CachedFile {
  mtimeMs: number;
  size: number;
  hash: string;
  identity: Buffer;
  /** A compressed body, or null once found not worth it; absent until first asked for. */
  encoded: Partial<Record<ContentEncoding, Buffer | null>>;
}

const byteSize = (f: CachedFile) =>
  f.identity.byteLength + (f.encoded.br?.byteLength ?? 0) + (f.encoded.gzip?.byteLength ?? 0) + 256;

/**
 * Serves the files of `tilesetsDir` (`<dataset>/tileset.json`, `<dataset>/<hash>.glb`): safe path resolution,
 * content-hash ETags, cache headers, and gzip/brotli bodies compressed once and kept in an LRU cache, so a
 * tile is compressed on its first request only. A file replaced on disk (re-tiling) is noticed by its mtime.
 */
export class TilesetFiles {
  private readonly cache: LRUCache<string, CachedFile>;

  constructor(
    private readonly rootDir: string,
    options: { maxCacheBytes?: number } = {},
  ) {
    this.cache = new LRUCache({ maxSize: options.maxCacheBytes ?? 256 * 1024 * 1024, sizeCalculation: byteSize });
  }

  /**
   * The file at `relativePath` (as in the URL, already percent-decoded) in the representation for `encoding`,
   * or null when there is no such file or the path is not one we serve (traversal, dot files, directories).
   */
  async get(relativePath: string, encoding: ContentEncoding | null): Promise<TilesetFileResponse | null> {
    const segments = relativePath.split('/');
    if (segments.length === 0 || !segments.every((s) => SAFE_SEGMENT.test(s) && s !== '..')) return null;
    const path = join(this.rootDir, ...segments);
    const file = await this.load(path);
    if (!file) return null;
    const ext = extname(path).toLowerCase();
    const name = segments[segments.length - 1];
    const base = {
      contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
      hash: file.hash,
      cacheControl: CONTENT_ADDRESSED.test(name) ? IMMUTABLE : REVALIDATE,
    };
    const encoded = encoding && COMPRESSIBLE.has(ext) ? await this.encode(path, file, encoding) : null;
    if (encoded) return { ...base, body: encoded, etag: `"${file.hash}-${encoding === 'br' ? 'br' : 'gz'}"`, encoding };
    return { ...base, body: file.identity, etag: `"${file.hash}"`, encoding: null };
  }

  private async load(path: string): Promise<CachedFile | null> {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = this.cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    // A symlink inside the tilesets folder must not lead outside it.
    const [root, real] = await Promise.all([realpath(this.rootDir), realpath(path)]);
    if (!real.startsWith(root + sep)) return null;
    const identity = await readFile(real);
    const file: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      hash: createHash('sha256').update(identity).digest('base64url').slice(0, 27),
      identity,
      encoded: {},
    };
    this.cache.set(path, file);
    return file;
  }

  private async encode(path: string, file: CachedFile, encoding: ContentEncoding): Promise<Buffer | null> {
    const known = file.encoded[encoding];
    if (known !== undefined) return known;
    const body =
      encoding === 'br'
        ? await brotli(file.identity, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 6,
              [constants.BROTLI_PARAM_SIZE_HINT]: file.identity.byteLength,
            },
          })
        : await gz(file.identity, { level: 6 });
    const worth = body.byteLength <= file.identity.byteLength * (1 - MIN_SAVING);
    file.encoded[encoding] = worth ? body : null;
    // Re-set so the LRU accounts for the added bytes.
    if (this.cache.get(path) === file) this.cache.set(path, file);
    return file.encoded[encoding] ?? null;
  }
}

/** True when an If-None-Match header names this content, in any coding (or is `*`). */
export function matchesIfNoneMatch(header: string | undefined, hash: string): boolean {
  if (!header) return false;
  return header.split(',').some((raw) => {
    const tag = raw.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return tag === '*' || tag === hash || tag === `${hash}-br` || tag === `${hash}-gz`;
  });
}

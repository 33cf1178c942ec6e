import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DataError } from '@placetwin/geo';

/**
 * Where one dataset's tiles go: a directory on disk, or a prefix in an S3-compatible bucket (behind a CDN).
 * Content files are content-addressed (`<first 16 hex of sha256>.<ext>`): a name always means the same bytes, so
 * they are written once, never overwritten, and cached forever; only the tileset JSON is replaced (atomically,
 * last) and cached briefly. Several workers may write the same store at once.
 */
export interface TileStore {
  /** Stores bytes under their content-addressed name (unless that name is there already); returns the name. */
  putContent(bytes: Uint8Array, ext: string): Promise<string>;
  /** Replaces a JSON document (tileset.json): readers see the old or the new, never part of one. */
  putJson(name: string, json: string): Promise<void>;
  /** The bytes under a name, or null. */
  get(name: string): Promise<Uint8Array | null>;
  /** Every name in the store (content and JSON), sorted. */
  list(): Promise<string[]>;
  /** Removes names (missing ones are ignored). */
  remove(names: readonly string[]): Promise<void>;
}

/** The content-addressed name of bytes: the first 16 hex digits of their SHA-256 (the tiler's glb names). */
export const contentName = (bytes: Uint8Array, ext: string): string =>
  `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${ext}`;

/** Cache-Control for content-addressed files: the name changes whenever the bytes do. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** Cache-Control for tileset JSON, replaced in place when a dataset is re-tiled. */
export const SHORT_CACHE = 'public, max-age=60, must-revalidate';

const CONTENT_TYPES: Record<string, string> = {
  glb: 'model/gltf-binary',
  json: 'application/json',
  subtree: 'application/octet-stream',
};

/** A directory (`<tilesetsDir>/<dataset>`), as the server's /tilesets/ route serves it. */
export class FsTileStore implements TileStore {
  constructor(readonly dir: string) {}

  private async atomicWrite(name: string, data: Uint8Array | string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, join(this.dir, name));
  }

  async putContent(bytes: Uint8Array, ext: string): Promise<string> {
    const name = contentName(bytes, ext);
    const there = await stat(join(this.dir, name)).then(
      () => true,
      () => false,
    );
    // Written to a temporary file and renamed: another worker writing the same name writes the same bytes.
    if (!there) await this.atomicWrite(name, bytes);
    return name;
  }

  putJson(name: string, json: string): Promise<void> {
    return this.atomicWrite(name, json);
  }

  async get(name: string): Promise<Uint8Array | null> {
    return readFile(join(this.dir, name)).then(
      (b) => new Uint8Array(b),
      () => null,
    );
  }

  async list(): Promise<string[]> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    // Plain files only: sub-folders (a dataset's scenarios/ overlays) and dot files are not the store's.
    return entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  async remove(names: readonly string[]): Promise<void> {
    for (const n of names) await rm(join(this.dir, n), { force: true });
  }
}

export interface S3TileStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix, e.g. `tilesets/rutland/` (a trailing slash is added when missing). */
  prefix: string;
}

/** S3 error codes meaning the server did not accept who we are (keys, signature, token) or what we may do. */
const REFUSED = new Set([
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'AccessDenied',
  'Forbidden',
  'ExpiredToken',
  'InvalidToken',
]);

/** An S3-compatible bucket (AWS S3, MinIO, Ceph, R2…), with the Cache-Control a CDN in front of it honours. */
export class S3TileStore implements TileStore {
  private readonly prefix: string;

  constructor(private readonly options: S3TileStoreOptions) {
    this.prefix =
      options.prefix === '' || options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`;
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  /**
   * Sends a request; a refusal of our credentials or a missing bucket becomes a DataError naming the store and
   * what to check, since the operator can fix either. Other errors pass through as they are.
   */
  private async send<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const where = { file: `s3://${this.options.bucket}/${this.prefix}` };
      const code = err.name ?? 'Error';
      if (REFUSED.has(code) || err.$metadata?.httpStatusCode === 403)
        throw new DataError(
          'tile-store-refused',
          `the S3 server refused our request (${code}): check the access key and secret (AWS_ACCESS_KEY_ID, ` +
            'AWS_SECRET_ACCESS_KEY) and that they may read and write this bucket',
          where,
        );
      if (code === 'NoSuchBucket')
        throw new DataError(
          'tile-store-no-bucket',
          `the S3 server has no bucket "${this.options.bucket}"`,
          where,
        );
      throw e;
    }
  }

  async putContent(bytes: Uint8Array, ext: string): Promise<string> {
    const name = contentName(bytes, ext);
    const { client, bucket } = this.options;
    const there = await this.send(() =>
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: this.key(name) })),
    ).then(
      () => true,
      (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
        if (e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return false;
        throw e;
      },
    );
    if (!there) {
      await this.send(() =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: this.key(name),
            Body: bytes,
            ContentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
            CacheControl: IMMUTABLE_CACHE,
          }),
        ),
      );
    }
    return name;
  }

  async putJson(name: string, json: string): Promise<void> {
    // A PUT replaces an object atomically: readers get the old or the new document.
    await this.send(() =>
      this.options.client.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.key(name),
          Body: json,
          ContentType: 'application/json',
          CacheControl: SHORT_CACHE,
        }),
      ),
    );
  }

  async get(name: string): Promise<Uint8Array | null> {
    try {
      const r = await this.send(() =>
        this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) })),
      );
      return r.Body ? await r.Body.transformToByteArray() : null;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchKey') return null;
      throw e;
    }
  }

  async list(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.send(() =>
        this.options.client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: this.prefix,
            Delimiter: '/',
            ContinuationToken: token,
          }),
        ),
      );
      for (const o of r.Contents ?? []) if (o.Key) names.push(o.Key.slice(this.prefix.length));
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return names.sort();
  }

  async remove(names: readonly string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 1000) {
      const batch = names.slice(i, i + 1000);
      if (batch.length === 0) continue;
      await this.send(() =>
        this.options.client.send(
          new DeleteObjectsCommand({
            Bucket: this.options.bucket,
            Delete: { Objects: batch.map((n) => ({ Key: this.key(n) })), Quiet: true },
          }),
        ),
      );
    }
  }
}

/** Where tilesets go, from the environment: S3 when PLACETWIN_S3_BUCKET is set, else `tilesetsDir` on disk. */
export interface TileStoreConfig {
  /** One dataset's store. */
  forDataset(dataset: string): TileStore;
  /** The URL the viewer loads a dataset's tileset.json from. */
  tilesetUrl(dataset: string): string;
}

export function tileStoreConfig(tilesetsDir: string, env: NodeJS.ProcessEnv = process.env): TileStoreConfig {
  const bucket = env.PLACETWIN_S3_BUCKET?.trim();
  if (!bucket) {
    return {
      forDataset: (dataset) => new FsTileStore(join(tilesetsDir, dataset)),
      tilesetUrl: (dataset) => `/tilesets/${dataset}/tileset.json`,
    };
  }
  const endpoint = env.PLACETWIN_S3_ENDPOINT?.trim() || undefined;
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  const client = new S3Client({
    region: env.PLACETWIN_S3_REGION?.trim() || env.AWS_REGION || 'eu-west-2',
    endpoint,
    // MinIO and most S3-compatible servers want path-style URLs.
    forcePathStyle: Boolean(endpoint),
    // Checksums only where S3 requires them: not every S3-compatible server knows the newer CRC headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Keys from this environment when given, else the SDK's usual chain (instance role, ~/.aws, …).
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  });
  const prefix = (env.PLACETWIN_S3_PREFIX ?? 'tilesets/').trim();
  const base = (env.PLACETWIN_TILES_PUBLIC_URL?.trim() || `/${prefix}`).replace(/\/+$/, '');
  return {
    forDataset: (dataset) =>
      new S3TileStore({ client, bucket, prefix: `${prefix.replace(/\/*$/, '/')}${dataset}/` }),
    tilesetUrl: (dataset) => `${base}/${dataset}/tileset.json`,
  };
}

/** Removes every name of a store that `keep` does not hold (files the new tileset.json no longer names). */
export async function pruneStore(store: TileStore, keep: ReadonlySet<string>): Promise<string[]> {
  const gone = (await store.list()).filter((n) => !keep.has(n));
  await store.remove(gone);
  return gone;
}

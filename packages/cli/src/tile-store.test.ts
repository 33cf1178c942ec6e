import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { isDataError } from '@placetwin/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FsTileStore,
  IMMUTABLE_CACHE,
  pruneStore,
  S3TileStore,
  SHORT_CACHE,
  type TileStore,
  tileStoreConfig,
} from './tile-store';

// One contract, two stores: a directory, and a real S3-compatible server (s3rver, the S3 REST API over a local
// folder) on a free port, driven by the AWS SDK v3 exactly as AWS S3 or MinIO would be, every request signed
// (SigV4) and checked by the server.
let root: string;
let s3: S3rver;
let endpoint: string;
const bucket = 'tiles';
// s3rver's one account: it knows no other access key (its `lib/models/account.js`).
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * s3rver 4 drops the trailing slash of a bucket-level path (`GET /tiles/?list-type=2`, `POST /tiles/?delete`)
 * from the canonical URI it signs, where SigV4 (and AWS S3, MinIO) use the path as sent, so it refuses the AWS
 * SDK's correct signatures for ListObjectsV2 and DeleteObjects. Corrected here, in the server under test only:
 * the canonical URI gets back the slash the request had. Everything else about the check is s3rver's own.
 */
function signBucketPathsAsSent(server: S3rver): void {
  const sentPaths = new WeakMap<object, string>();
  (
    server as unknown as { middleware: ((ctx: unknown, next: () => Promise<void>) => Promise<void>)[] }
  ).middleware.unshift((ctx, next) => {
    const c = ctx as { headers: object; path: string };
    sentPaths.set(c.headers, c.path);
    return next();
  });
  const v4 = createRequire(import.meta.url)('@20minutes/s3rver/lib/signature/v4') as {
    getStringToSign(request: { headers: object; uri: string }, signature: unknown): string;
  };
  const original = v4.getStringToSign;
  v4.getStringToSign = (request, signature) => {
    const sent = sentPaths.get(request.headers);
    return original(sent === `${request.uri}/` ? { ...request, uri: sent } : request, signature);
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'placetwin-tile-store-'));
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    // Signatures checked: a request signed with the wrong secret is refused, as AWS S3 refuses it.
    allowMismatchedSignatures: false,
    directory: join(root, 's3'),
    configureBuckets: [{ name: bucket }],
  });
  signBucketPathsAsSent(s3);
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await s3?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const sha16 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 16);
const bytes = (s: string) => new TextEncoder().encode(s);

const stores: [string, () => TileStore][] = [
  ['filesystem', () => new FsTileStore(join(root, 'fs', 'rutland'))],
  [
    'S3',
    () =>
      tileStoreConfig(join(root, 'unused'), {
        PLACETWIN_S3_BUCKET: bucket,
        PLACETWIN_S3_ENDPOINT: endpoint,
        PLACETWIN_S3_PREFIX: 'tilesets/',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      }).forDataset('rutland'),
  ],
];

describe.each(stores)('%s tile store', (_kind, make) => {
  it('names content by its SHA-256, keeps one copy, replaces the JSON, lists, prunes', async () => {
    const store = make();
    const a = bytes('glb bytes A');
    const b = bytes('glb bytes B');
    const nameA = await store.putContent(a, 'glb');
    expect(nameA).toBe(`${sha16(a)}.glb`);
    expect(await store.putContent(a, 'glb')).toBe(nameA);
    const nameB = await store.putContent(b, 'glb');
    expect(nameB).not.toBe(nameA);
    await store.putJson('tileset.json', '{"v":1}');
    await store.putJson('tileset.json', '{"v":2}');
    expect(new TextDecoder().decode((await store.get('tileset.json')) as Uint8Array)).toBe('{"v":2}');
    expect(await store.get(nameA)).toEqual(a);
    expect(await store.get('missing.glb')).toBeNull();
    expect(await store.list()).toEqual([nameA, nameB, 'tileset.json'].sort());

    expect(await pruneStore(store, new Set([nameB, 'tileset.json']))).toEqual([nameA]);
    expect(await store.list()).toEqual([nameB, 'tileset.json'].sort());
  });
});

describe('S3 tile store for a CDN', () => {
  it('stores content under its content-addressed key, immutable; tileset.json short-lived; with content types', async () => {
    const client = new S3Client({ region: 'eu-west-2', endpoint, forcePathStyle: true, credentials });
    const store = new S3TileStore({ client, bucket, prefix: 'cdn/ds' });
    const tile = bytes('a tile');
    const name = await store.putContent(tile, 'glb');
    await store.putJson('tileset.json', '{}');
    // The bucket's own listing: the object's key is the prefix and the SHA-256 of its bytes, nothing else.
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'cdn/ds/' }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      [`cdn/ds/${sha16(tile)}.glb`, 'cdn/ds/tileset.json'].sort(),
    );
    const head = (key: string) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const glb = await head(`cdn/ds/${name}`);
    expect(glb.CacheControl).toBe(IMMUTABLE_CACHE);
    expect(glb.ContentType).toBe('model/gltf-binary');
    const json = await head('cdn/ds/tileset.json');
    expect(json.CacheControl).toBe(SHORT_CACHE);
    expect(json.ContentType).toBe('application/json');
  });

  it('refuses a wrong secret with a clear error naming the store, for reads and writes alike', async () => {
    const store = tileStoreConfig(join(root, 'unused'), {
      PLACETWIN_S3_BUCKET: bucket,
      PLACETWIN_S3_ENDPOINT: endpoint,
      PLACETWIN_S3_PREFIX: 'tilesets/',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'not the secret',
    }).forDataset('rutland');
    const attempts: [string, () => Promise<unknown>][] = [
      ['putContent', () => store.putContent(bytes('refused tile'), 'glb')],
      ['putJson', () => store.putJson('tileset.json', '{}')],
      ['get', () => store.get('tileset.json')],
      ['list', () => store.list()],
      ['remove', () => store.remove(['tileset.json'])],
    ];
    for (const [what, attempt] of attempts) {
      const error = await attempt().then(
        () => new Error(`${what} was accepted`),
        (e: unknown) => e,
      );
      expect(isDataError(error), `${what}: ${String(error)}`).toBe(true);
      expect((error as { type: string }).type).toBe('tile-store-refused');
      expect((error as Error).message).toMatch(
        /^s3:\/\/tiles\/tilesets\/rutland\/: the S3 server refused our request/,
      );
      expect((error as Error).message).toMatch(/AWS_SECRET_ACCESS_KEY/);
    }
    // Nothing was written with the wrong secret.
    const right = new S3Client({ region: 'eu-west-2', endpoint, forcePathStyle: true, credentials });
    const listed = await right.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'tilesets/rutland/' }),
    );
    expect((listed.Contents ?? []).map((o) => o.Key)).not.toContain(
      `tilesets/rutland/${sha16(bytes('refused tile'))}.glb`,
    );
  });

  it('names a missing bucket', async () => {
    const client = new S3Client({ region: 'eu-west-2', endpoint, forcePathStyle: true, credentials });
    const store = new S3TileStore({ client, bucket: 'no-such-bucket', prefix: 'x' });
    await expect(store.list()).rejects.toThrow(
      's3://no-such-bucket/x/: the S3 server has no bucket "no-such-bucket"',
    );
  });

  it('gives the viewer the public (CDN) URL of a tileset', () => {
    const config = tileStoreConfig('/unused', {
      PLACETWIN_S3_BUCKET: bucket,
      PLACETWIN_TILES_PUBLIC_URL: 'https://tiles.example.gov.uk/tilesets/',
    });
    expect(config.tilesetUrl('rutland')).toBe('https://tiles.example.gov.uk/tilesets/rutland/tileset.json');
    expect(tileStoreConfig('/srv/tilesets', {}).tilesetUrl('rutland')).toBe('/tilesets/rutland/tileset.json');
  });

  it('the filesystem store leaves sub-folders and temporary files alone', async () => {
    const store = new FsTileStore(join(root, 'fs', 'rutland'));
    await store.putContent(bytes('x'), 'glb');
    expect((await readdir(join(root, 'fs', 'rutland'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
// folder) on a free port, driven by the AWS SDK v3 exactly as AWS S3 or MinIO would be.
let root: string;
let s3: S3rver;
let endpoint: string;
const bucket = 'tiles';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'placetwin-tile-store-'));
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    // s3rver 4 computes SigV4 differently from the AWS SDK for requests with sub-resources (ListObjectsV2's
    // `list-type`, DeleteObjects' `?delete`) and refuses them; AWS S3 and MinIO accept them. Signing is not what
    // is under test here, so the server does not check signatures.
    allowMismatchedSignatures: true,
    directory: join(root, 's3'),
    configureBuckets: [{ name: bucket }],
  });
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
  it('marks content immutable and tileset.json short-lived, with their content types', async () => {
    const client = new S3Client({ region: 'eu-west-2', endpoint, forcePathStyle: true, credentials });
    const store = new S3TileStore({ client, bucket, prefix: 'cdn/ds' });
    const name = await store.putContent(bytes('a tile'), 'glb');
    await store.putJson('tileset.json', '{}');
    const head = (key: string) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const glb = await head(`cdn/ds/${name}`);
    expect(glb.CacheControl).toBe(IMMUTABLE_CACHE);
    expect(glb.ContentType).toBe('model/gltf-binary');
    const json = await head('cdn/ds/tileset.json');
    expect(json.CacheControl).toBe(SHORT_CACHE);
    expect(json.ContentType).toBe('application/json');
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

import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE, matchesIfNoneMatch, REVALIDATE, TilesetFiles } from './tileset-files';

// A constructed tileset folder: the edge cases here (secrets beside the folder, symlinks, incompressible
// bytes) are about the file system, not tile content. The database tests serve a real built tileset.
let root: string;
let tilesets: string;
const tilesetJson = JSON.stringify({ asset: { version: '1.1' }, root: { content: { uri: 'abcdef0123456789.glb' } }, pad: 'x'.repeat(4000) });
const glb = Buffer.concat([Buffer.from('glTF'), Buffer.alloc(8000, 7)]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'placetwin-tilesets-'));
  tilesets = join(root, 'tilesets');
  await mkdir(join(tilesets, 'rutland'), { recursive: true });
  await writeFile(join(tilesets, 'rutland', 'tileset.json'), tilesetJson);
  await writeFile(join(tilesets, 'rutland', 'abcdef0123456789.glb'), glb);
  await writeFile(join(tilesets, 'rutland', '0123456789abcdef.glb'), randomBytes(8000));
  await writeFile(join(tilesets, 'rutland', '.hidden.json'), '{}');
  await writeFile(join(root, 'secret.json'), '{"password":"x"}');
  await symlink(join(root, 'secret.json'), join(tilesets, 'rutland', 'link.json'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('TilesetFiles', () => {
  it('serves tileset.json as JSON to revalidate, and hashed .glb as immutable glTF', async () => {
    const files = new TilesetFiles(tilesets);
    const json = await files.get('rutland/tileset.json', null);
    expect(json).toMatchObject({ contentType: 'application/json', cacheControl: REVALIDATE, encoding: null });
    expect(json?.body.toString()).toBe(tilesetJson);
    expect(json?.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const tile = await files.get('rutland/abcdef0123456789.glb', null);
    expect(tile).toMatchObject({ contentType: 'model/gltf-binary', cacheControl: IMMUTABLE });
    expect(tile?.body.equals(glb)).toBe(true);
  });

  it('compresses once per coding, with a coding-specific strong ETag over the same content hash', async () => {
    const files = new TilesetFiles(tilesets);
    const br = await files.get('rutland/tileset.json', 'br');
    const gz = await files.get('rutland/tileset.json', 'gzip');
    expect(br?.encoding).toBe('br');
    expect(brotliDecompressSync(br!.body).toString()).toBe(tilesetJson);
    expect(gunzipSync(gz!.body).toString()).toBe(tilesetJson);
    expect(br?.etag).toBe(`"${br?.hash}-br"`);
    expect(gz?.etag).toBe(`"${br?.hash}-gz"`);
    expect((await files.get('rutland/tileset.json', 'br'))?.body).toBe(br?.body);
  });

  it('sends incompressible content (e.g. meshopt-packed tiles) uncompressed', async () => {
    const files = new TilesetFiles(tilesets);
    const tile = await files.get('rutland/0123456789abcdef.glb', 'br');
    expect(tile?.encoding).toBeNull();
    expect(tile?.etag).toBe(`"${tile?.hash}"`);
  });

  it('refuses traversal, absolute paths, dot files, directories and symlinks leading outside', async () => {
    const files = new TilesetFiles(tilesets);
    for (const p of ['../secret.json', 'rutland/../../secret.json', '/etc/passwd', 'rutland/.hidden.json', 'rutland', 'rutland/', '', 'rutland\\..\\..\\secret.json', 'rutland/link.json', 'rutland/tileset.json\0']) {
      expect(await files.get(p, null), p).toBeNull();
    }
    expect(await files.get('rutland/missing.glb', null)).toBeNull();
  });

  it('notices a file replaced on disk (re-tiling) by its modification time', async () => {
    const files = new TilesetFiles(tilesets);
    const before = await files.get('rutland/tileset.json', null);
    const changed = tilesetJson.replace('1.1', '1.0');
    await writeFile(join(tilesets, 'rutland', 'tileset.json'), changed);
    const later = new Date(Date.now() + 5000);
    await utimes(join(tilesets, 'rutland', 'tileset.json'), later, later);
    const after = await files.get('rutland/tileset.json', null);
    expect(after?.body.toString()).toBe(changed);
    expect(after?.etag).not.toBe(before?.etag);
  });

  it('matches If-None-Match on the content hash whatever the coding, weak or listed', () => {
    expect(matchesIfNoneMatch('"abc"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('"abc-br"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('"x", W/"abc-gz"', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('*', 'abc')).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', 'abc')).toBe(false);
    expect(matchesIfNoneMatch(undefined, 'abc')).toBe(false);
  });
});

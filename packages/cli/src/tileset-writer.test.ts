import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneTilesetDir, writeTileset } from './tileset-writer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'placetwin-writer-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('writing tilesets', () => {
  it('writes missing content files, never rewrites existing ones, and the JSON last under its name', async () => {
    await writeFile(join(dir, 'aaaa.glb'), 'already here');
    const before = (await stat(join(dir, 'aaaa.glb'))).mtimeMs;
    const files = new Map([
      ['aaaa.glb', new Uint8Array([1, 2, 3])],
      ['bbbb.glb', new Uint8Array([4, 5])],
    ]);
    const bytes = await writeTileset(dir, files, '{"asset":{}}', 'cafe.json');
    expect(bytes).toBe(5);
    expect(await readFile(join(dir, 'aaaa.glb'), 'utf8')).toBe('already here'); // content-addressed: same name, same bytes
    expect((await stat(join(dir, 'aaaa.glb'))).mtimeMs).toBe(before);
    expect([...(await readFile(join(dir, 'bbbb.glb')))]).toEqual([4, 5]);
    expect(await readFile(join(dir, 'cafe.json'), 'utf8')).toBe('{"asset":{}}');
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]); // no temporary file left
  });

  it('prunes plain files not kept, never sub-folders or dot files, and with an age only older files', async () => {
    for (const f of ['keep.glb', 'old.glb', 'new.glb', '.tmp']) await writeFile(join(dir, f), f);
    await mkdir(join(dir, 'scenarios'));
    const old = Date.now() / 1000 - 3600;
    await utimes(join(dir, 'old.glb'), old, old);
    expect(await pruneTilesetDir(dir, new Set(['keep.glb']), { minAgeMs: 60_000 })).toEqual(['old.glb']);
    expect((await readdir(dir)).sort()).toEqual(['.tmp', 'keep.glb', 'new.glb', 'scenarios']);
    expect(await pruneTilesetDir(dir, new Set(['keep.glb']))).toEqual(['new.glb']);
    expect(await pruneTilesetDir(join(dir, 'missing'), new Set())).toEqual([]);
  });
});

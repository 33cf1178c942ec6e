import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a built tileset into `dir`: the content files that are not there yet (they are named by their hash,
 * so an existing file already holds those bytes and is never rewritten), then the tileset JSON atomically
 * (a temporary file renamed over `jsonName`), last, so a reader never sees JSON naming missing content.
 * Returns the bytes of content.
 */
export async function writeTileset(
  dir: string,
  files: ReadonlyMap<string, Uint8Array>,
  json: string,
  jsonName = 'tileset.json',
): Promise<number> {
  await mkdir(dir, { recursive: true });
  const existing = new Set(await readdir(dir));
  let bytes = 0;
  for (const [name, data] of files) {
    bytes += data.byteLength;
    if (!existing.has(name)) await writeFile(join(dir, name), data);
  }
  const tmp = join(dir, `.${jsonName}.${process.pid}.tmp`);
  await writeFile(tmp, json);
  await rename(tmp, join(dir, jsonName));
  return bytes;
}

/**
 * Removes the files of `dir` not in `keep`: plain files only (sub-folders, such as a dataset's `scenarios/`
 * overlays, and dot files stay), and with `minAgeMs` only files older than that, so clients still loading a
 * just-superseded tileset (or a build racing this one) keep their files. Returns the names removed.
 */
export async function pruneTilesetDir(
  dir: string,
  keep: ReadonlySet<string>,
  options: { minAgeMs?: number } = {},
): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  const now = Date.now();
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith('.') || keep.has(e.name)) continue;
    const path = join(dir, e.name);
    if (options.minAgeMs) {
      const info = await stat(path).catch(() => null);
      if (!info || now - info.mtimeMs < options.minAgeMs) continue;
    }
    await rm(path, { force: true });
    removed.push(e.name);
  }
  return removed;
}

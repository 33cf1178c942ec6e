/**
 * Scenario overlay tiles against real PostGIS and the real Rutland import: an edit re-tiles only the overlay
 * (the baseline tileset's files keep their bytes and mtimes), the overlay holds exactly the added and changed
 * buildings, and re-tiling the baseline leaves the overlays alone.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendChanges, createScenario, type Db, getScenario, openTestDb } from '@placetwin/db';
import { type FootprintGeoJson, localFrame } from '@placetwin/scenario';
import { readTileContent, type Tile, type Tileset } from '@placetwin/tiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rutlandImported } from '../../../test/support/test-db';
import { ensureScenarioOverlay, OVERLAY_GRACE_MS, scenarioOverlayDir, tileScenarioOverlay } from './overlay';
import { tileDataset } from './pipeline';

const TRAVIS_PERKINS = 'rutland:w178280261';
const STATION = 'rutland:w178280140';

function rectangle(lon: number, lat: number, widthM: number, depthM: number): FootprintGeoJson {
  const f = localFrame(lon, lat);
  const [dx, dy] = [widthM / f.mPerDegLon, depthM / f.mPerDegLat];
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dx, lat],
        [lon + dx, lat + dy],
        [lon, lat + dy],
        [lon, lat],
      ],
    ],
  };
}

let db: Db;
let drop: () => Promise<void>;
let root: string;
let tilesetsDir: string;
let baselineDir: string;

/** name → { sha256, mtime } of every file in the baseline tileset folder (not its sub-folders). */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(dir, e.name);
    const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
    out.set(e.name, `${createHash('sha256').update(bytes).digest('hex')} ${info.mtimeMs}`);
  }
  return out;
}

const contentUris = (t: Tile): string[] => [
  ...(t.content ? [t.content.uri] : []),
  ...(t.children ?? []).flatMap(contentUris),
];

/** The ids and `change` of every building in an overlay tileset. */
async function overlayBuildings(url: string): Promise<Map<string, unknown>> {
  const path = join(tilesetsDir, url.replace(/^\/tilesets\//, ''));
  const tileset = JSON.parse(await readFile(path, 'utf8')) as Tileset;
  const dir = path.slice(0, path.lastIndexOf('/'));
  const out = new Map<string, unknown>();
  for (const uri of contentUris(tileset.root)) {
    const content = await readTileContent(new Uint8Array(await readFile(join(dir, uri))));
    for (const p of content.properties) out.set(String(p.id), p.change);
  }
  return out;
}

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandImported));
  root = await mkdtemp(join(tmpdir(), 'placetwin-overlay-'));
  tilesetsDir = join(root, 'tilesets');
  await tileDataset(db, 'rutland', tilesetsDir);
  baselineDir = join(tilesetsDir, 'rutland');
});
afterAll(async () => {
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('scenario overlay tiles', () => {
  let id: number;
  let version: number;

  it('an edit tiles the added and changed buildings into the overlay and leaves the baseline files as they were', async () => {
    const before = await snapshot(baselineDir);
    expect(before.has('tileset.json')).toBe(true);
    const s = await createScenario(db, { dataset: 'rutland', name: 'overlay' });
    id = s.id;
    const edit = await appendChanges(db, id, 1, [
      { op: 'demolish', id: TRAVIS_PERKINS },
      {
        op: 'add',
        id: 'new/block-b',
        footprint: rectangle(-0.73342, 52.67322, 14, 40),
        use: 'residential',
        storeys: 4,
      },
      { op: 'modify', id: STATION, storeys: 2 },
    ]);
    version = edit.scenario.version;
    const overlay = await tileScenarioOverlay(db, id, tilesetsDir);
    expect(overlay).toMatchObject({
      changesVersion: version,
      added: ['new/block-b'],
      modified: [STATION],
      demolished: [TRAVIS_PERKINS],
      hiddenBuildingIds: [STATION, TRAVIS_PERKINS],
    });
    expect(overlay.tilesetUrl).toMatch(new RegExp(`^/tilesets/rutland/scenarios/${id}/[0-9a-f]{16}\\.json$`));
    expect(Object.fromEntries(await overlayBuildings(overlay.tilesetUrl!))).toEqual({
      'new/block-b': 'added',
      [STATION]: 'modified',
    });
    expect(await snapshot(baselineDir)).toEqual(before);
    expect((await getScenario(db, id))?.overlay).toEqual(overlay);
  });

  it('re-tiles only the overlay on the next edit: a new immutable URL, the previous files kept for a grace period', async () => {
    const before = await snapshot(baselineDir);
    const first = (await getScenario(db, id))!.overlay!;
    const edit = await appendChanges(db, id, version, [{ op: 'modify', id: 'new/block-b', storeys: 6 }]);
    version = edit.scenario.version;
    const second = await tileScenarioOverlay(db, id, tilesetsDir);
    expect(second.tilesetUrl).not.toBe(first.tilesetUrl);
    const dir = scenarioOverlayDir(tilesetsDir, 'rutland', id);
    expect(existsSync(join(dir, first.tilesetUrl!.split('/').pop()!))).toBe(true);
    expect(await snapshot(baselineDir)).toEqual(before);

    // Once the previous files are older than the grace period, the next build removes them.
    const old = Date.now() / 1000 - (OVERLAY_GRACE_MS / 1000 + 60);
    const current = new Set(await readdir(dir));
    for (const f of current) await utimes(join(dir, f), old, old);
    version = (await appendChanges(db, id, version, [{ op: 'modify', id: 'new/block-b', storeys: 5 }]))
      .scenario.version;
    const third = await tileScenarioOverlay(db, id, tilesetsDir);
    const after = new Set(await readdir(dir));
    expect(after.has(first.tilesetUrl!.split('/').pop()!)).toBe(false);
    expect(after.has(third.tilesetUrl!.split('/').pop()!)).toBe(true);
    expect(await snapshot(baselineDir)).toEqual(before);
  });

  it('ensureScenarioOverlay reuses a current overlay and rebuilds a stale or missing one', async () => {
    const current = (await getScenario(db, id))!.overlay!;
    expect(await ensureScenarioOverlay(db, id, tilesetsDir)).toEqual(current);
    await rm(scenarioOverlayDir(tilesetsDir, 'rutland', id), { recursive: true });
    const rebuilt = await ensureScenarioOverlay(db, id, tilesetsDir);
    expect(rebuilt.tilesetUrl).toBe(current.tilesetUrl); // same content, same content-addressed name
    expect(rebuilt.builtAt).not.toBe(current.builtAt);
    expect(existsSync(join(tilesetsDir, rebuilt.tilesetUrl!.replace('/tilesets/', '')))).toBe(true);
  });

  it('has no tileset when a scenario only demolishes, but still lists what to hide', async () => {
    const s = await createScenario(db, { dataset: 'rutland', name: 'demolish only' });
    await appendChanges(db, s.id, 1, [{ op: 'demolish', id: TRAVIS_PERKINS }]);
    const overlay = await tileScenarioOverlay(db, s.id, tilesetsDir);
    expect(overlay).toMatchObject({ tilesetUrl: null, hiddenBuildingIds: [TRAVIS_PERKINS], added: [] });
  });

  it('re-tiling the baseline leaves the scenario overlays in place', async () => {
    const dir = scenarioOverlayDir(tilesetsDir, 'rutland', id);
    const files = await readdir(dir);
    await tileDataset(db, 'rutland', tilesetsDir);
    expect((await readdir(dir)).sort()).toEqual(files.sort());
  });
});

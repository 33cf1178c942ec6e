/**
 * A scenario's overlay tileset: the buildings it adds or changes, tiled on their own under
 * `<tilesetsDir>/<dataset>/scenarios/<id>/`, drawn over the baseline tileset, which hides the replaced and
 * demolished buildings by feature id (a 3D Tiles style). An edit re-tiles this overlay only; the baseline
 * tileset's files are never touched.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Db,
  getScenario,
  ScenarioNotFoundError,
  type ScenarioOverlay,
  type ScenarioRecord,
  scenarioOverlayInput,
  setScenarioOverlay,
} from '@placetwin/db';
import { apply, footprintAreaM2, hiddenBaselineIds, type ScenarioBuilding } from '@placetwin/scenario';
import { buildTileset, type TileableBuilding } from '@placetwin/tiles';
import { pruneTilesetDir, writeTileset } from './tileset-writer';

/** Superseded overlay files stay this long, for viewers still loading the previous overlay. */
export const OVERLAY_GRACE_MS = 5 * 60_000;

export const scenarioOverlayDir = (tilesetsDir: string, dataset: string, scenarioId: number): string =>
  join(tilesetsDir, dataset, 'scenarios', String(scenarioId));

/**
 * A scenario building as the tiler takes it, with the same properties as the baseline tiles
 * (`db.buildingsForTiling`) plus `scenarioId` and `change` (`added` | `modified`), so one style fits both.
 */
function overlayTileable(
  b: ScenarioBuilding,
  scenario: ScenarioRecord,
  change: 'added' | 'modified',
): TileableBuilding {
  return {
    id: b.id,
    footprint: b.footprint,
    minHeightM: b.minHeightM,
    heightM: b.heightM,
    ...(b.surfaces ? { surfaces: b.surfaces } : {}),
    properties: {
      id: b.id,
      sourceId: b.sourceId,
      dataset: scenario.dataset,
      name: b.name,
      use: b.use,
      heightM: b.heightM,
      minHeightM: b.minHeightM,
      heightSource: b.heightSource,
      heightMethod: b.heightMethod,
      storeys: b.storeys,
      footprintAreaM2: Math.round(footprintAreaM2(b.footprint) * 10) / 10,
      scenarioId: scenario.id,
      change,
    },
  };
}

/**
 * Builds the overlay of the scenario's current change set, writes it (content-addressed: the tileset JSON is
 * `<hash>.json` too, so every URL is immutable and two quick edits can never mix files), records it unless a
 * newer build already has, and prunes files superseded more than OVERLAY_GRACE_MS ago.
 */
export async function tileScenarioOverlay(
  db: Db,
  scenarioId: number,
  tilesetsDir: string,
): Promise<ScenarioOverlay> {
  const { scenario, changes, baseline } = await scenarioOverlayInput(db, scenarioId);
  const result = apply(baseline, changes);
  const added = new Set(result.added);
  const shown = result.buildings
    .filter((b) => added.has(b.id) || result.modified.includes(b.id))
    .map((b) => overlayTileable(b, scenario, added.has(b.id) ? 'added' : 'modified'));
  const dir = scenarioOverlayDir(tilesetsDir, scenario.dataset, scenario.id);
  let tilesetUrl: string | null = null;
  const keep = new Set<string>();
  if (shown.length > 0) {
    const { tileset, files } = await buildTileset(shown);
    const json = JSON.stringify(tileset);
    const name = `${createHash('sha256').update(json).digest('hex').slice(0, 16)}.json`;
    await writeTileset(dir, files, json, name);
    for (const f of files.keys()) keep.add(f);
    keep.add(name);
    tilesetUrl = `/tilesets/${scenario.dataset}/scenarios/${scenario.id}/${name}`;
  }
  const overlay: ScenarioOverlay = {
    changesVersion: scenario.changesVersion,
    tilesetUrl,
    hiddenBuildingIds: hiddenBaselineIds(result),
    added: result.added,
    modified: result.modified,
    demolished: result.demolished,
    builtAt: new Date().toISOString(),
  };
  if (await setScenarioOverlay(db, scenario.id, overlay)) {
    await pruneTilesetDir(dir, keep, { minAgeMs: OVERLAY_GRACE_MS });
    return overlay;
  }
  return (await getScenario(db, scenario.id))?.overlay ?? overlay;
}

const overlayFileExists = (tilesetsDir: string, url: string): boolean =>
  existsSync(join(tilesetsDir, ...url.replace(/^\/tilesets\//, '').split('/')));

/** The scenario's overlay, rebuilt only when the change set moved on since it was built or its files are gone. */
export async function ensureScenarioOverlay(
  db: Db,
  scenarioId: number,
  tilesetsDir: string,
): Promise<ScenarioOverlay> {
  const s = await getScenario(db, scenarioId);
  if (!s) throw new ScenarioNotFoundError(scenarioId);
  const o = s.overlay;
  if (
    o &&
    o.changesVersion === s.changesVersion &&
    (o.tilesetUrl === null || overlayFileExists(tilesetsDir, o.tilesetUrl))
  ) {
    return o;
  }
  return tileScenarioOverlay(db, scenarioId, tilesetsDir);
}

/** Removes a deleted scenario's overlay files. */
export const removeScenarioOverlay = (
  tilesetsDir: string,
  dataset: string,
  scenarioId: number,
): Promise<void> =>
  rm(scenarioOverlayDir(tilesetsDir, dataset, scenarioId), { recursive: true, force: true });

import { DataError } from '@placetwin/geo';
import { buildTileContent } from './content';
import {
  type Bounds,
  buildingBounds,
  buildingSizeM,
  DEG,
  diagonalM,
  EARTH_RADIUS_M,
  emptyBounds,
  extendBounds,
} from './geometry';
import { type Column, ColumnSurvey } from './metadata';
import { mercator, partition, type QuadCell } from './quadtree';
import {
  type Region,
  TILESET_DEFAULTS,
  type Tile,
  type TileableBuilding,
  type Tileset,
  type TilesetOptions,
  type TilesetResult,
  type TilesetStats,
} from './types';
import { buildingProblem } from './validate';

function checkOptions(o: TilesetOptions): void {
  const bad = (reason: string) => new DataError('invalid-option', reason);
  if (!Number.isInteger(o.maxFeaturesPerTile) || o.maxFeaturesPerTile < 1) {
    throw bad(`maxFeaturesPerTile must be a positive integer, not ${o.maxFeaturesPerTile}`);
  }
  if (!(o.geometricErrorDivisor > 0)) {
    throw bad(`geometricErrorDivisor must be positive, not ${o.geometricErrorDivisor}`);
  }
}

/** A cell of a tileset plan: the quadtree without the buildings (which `TilePlan.leaves` lists by id). */
export interface TilePlanCell {
  z: number;
  x: number;
  y: number;
  /** Children: empty for a content cell. */
  children: TilePlanCell[];
  /** For a content cell: its index in `TilePlan.leaves`. */
  leaf?: number;
}

/**
 * Everything needed to build a tileset cell by cell, on any machine, and to put the cells together: plain JSON
 * (a job queue can carry it). Built by `planTileset`; each content cell by `buildCell`; `assembleTileset` last.
 */
export interface TilePlan {
  options: Omit<TilesetOptions, 'onReject'>;
  /** The property table's columns, planned over the whole dataset so that every cell has the same ones. */
  columns: Column[];
  root: TilePlanCell;
  /** Content cells in depth-first order, each with its buildings' ids (sorted by id, code units). */
  leaves: { z: number; x: number; y: number; ids: string[] }[];
  /** Invalid buildings skipped (only with `skipInvalid`). */
  rejected: number;
  /** Quadtree cells in the plan (content or not). */
  tiles: number;
  maxDepth: number;
}

/** One built content cell, as `assembleTileset` needs it (plain JSON); its glb is stored under `name`. */
export interface CellResult {
  tile: Tile;
  /** The content's bounds, unpadded. */
  bounds: Bounds;
  largestM: number;
  /** Content-addressed file name: `<first 16 hex of sha256>.glb`. */
  name: string;
  /** Buildings in the cell. */
  buildings: number;
  bytes: number;
  vertices: number;
  triangles: number;
}

/**
 * Buildings → 3D Tiles 1.1: a quadtree of content tiles (one merged, meshopt-compressed glb each, with
 * per-building feature ids and properties) under parents without content, refine ADD.
 *
 * Geometric error is a pure function of a subtree's content: 0 for a content tile (nothing is simplified);
 * for a parent, what is missing while its children are not drawn — every building below it — measured as
 * max(largest building, content diagonal / geometricErrorDivisor). It never grows with depth, and the same
 * input always gives the same tileset. tileset.geometricError is the same measure over the whole dataset.
 *
 * Pure: returns tileset.json as an object and the glb files as bytes; the caller writes them. The same as
 * `planTileset`, then `buildCell` for each content cell, then `assembleTileset` (which a job queue spreads over
 * worker processes: the bytes are the same however the cells were shared out).
 */
export async function buildTileset(
  input: readonly TileableBuilding[],
  options: Partial<TilesetOptions> = {},
): Promise<TilesetResult> {
  const { plan, buildings } = planTileset(input, options);
  const byId = new Map(buildings.map((b) => [b.id, b]));
  const files = new Map<string, Uint8Array>();
  const results: CellResult[] = [];
  for (const leaf of plan.leaves) {
    const { result, glb } = await buildCell(
      plan,
      leaf.ids.map((id) => byId.get(id) as TileableBuilding),
    );
    files.set(result.name, glb);
    results.push(result);
  }
  const { tileset, stats } = assembleTileset(plan, results);
  return { tileset, files, stats };
}

/**
 * Plans a tileset one building at a time, keeping of each only its id and the centre of its bounds: a worker
 * plans a national dataset page by page without holding its geometry (`planTileset` is the same over an array).
 * `add` checks a building (rejecting it, or skipping it with `skipInvalid`); `finish` sorts by id, plans the
 * property columns and partitions the quadtree. The plan does not depend on the order buildings were added in.
 */
export class TilePlanner {
  private readonly opts: TilesetOptions;
  private readonly ids: string[] = [];
  private readonly centres: number[] = [];
  private readonly seen = new Set<string>();
  private readonly survey = new ColumnSurvey();
  private rejected = 0;

  constructor(options: Partial<TilesetOptions> = {}) {
    this.opts = { ...TILESET_DEFAULTS, ...options };
    checkOptions(this.opts);
  }

  /** Takes a building into the plan; false when it was skipped as invalid. */
  add(b: TileableBuilding): boolean {
    const problem = buildingProblem(b) ?? (this.seen.has(b.id) ? `duplicate building id ${b.id}` : null);
    if (problem) {
      const featureId = typeof b?.id === 'string' ? b.id : null;
      if (!this.opts.skipInvalid) throw new DataError('invalid-building', problem, { featureId });
      this.opts.onReject?.({ featureId, reason: problem });
      this.rejected++;
      return false;
    }
    this.seen.add(b.id);
    this.ids.push(b.id);
    const bounds = buildingBounds(b);
    const [x, y] = mercator((bounds.west + bounds.east) / 2, (bounds.south + bounds.north) / 2);
    this.centres.push(x, y);
    this.survey.add(b.properties);
    return true;
  }

  finish(): TilePlan {
    const { ids, centres } = this;
    if (ids.length === 0) throw new DataError('empty-dataset', 'there are no buildings to tile');
    // Sorted by id (code units, locale-free), so the output does not depend on input order.
    const order = ids.map((_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    const points = new Float64Array(ids.length * 2);
    order.forEach((from, i) => {
      points[i * 2] = centres[from * 2];
      points[i * 2 + 1] = centres[from * 2 + 1];
    });
    const { onReject: _onReject, ...planOptions } = this.opts;
    const leaves: TilePlan['leaves'] = [];
    let tiles = 0;
    let maxDepth = 0;
    const toPlan = (cell: QuadCell, depth: number): TilePlanCell => {
      tiles++;
      maxDepth = Math.max(maxDepth, depth);
      if (cell.children.length > 0) {
        return { z: cell.z, x: cell.x, y: cell.y, children: cell.children.map((c) => toPlan(c, depth + 1)) };
      }
      leaves.push({ z: cell.z, x: cell.x, y: cell.y, ids: cell.items.map((i) => ids[order[i]]) });
      return { z: cell.z, x: cell.x, y: cell.y, children: [], leaf: leaves.length - 1 };
    };
    const root = toPlan(partition(points, this.opts.maxFeaturesPerTile), 0);
    return {
      options: planOptions,
      columns: this.survey.columns(),
      root,
      leaves,
      rejected: this.rejected,
      tiles,
      maxDepth,
    };
  }
}

/**
 * Checks the buildings (rejecting or skipping invalid ones), sorts them by id, plans the property columns and
 * partitions them into the quadtree. Returns the plan and the valid buildings, sorted.
 */
export function planTileset(
  input: readonly TileableBuilding[],
  options: Partial<TilesetOptions> = {},
): { plan: TilePlan; buildings: TileableBuilding[] } {
  const planner = new TilePlanner(options);
  const buildings = input.filter((b) => planner.add(b));
  const plan = planner.finish();
  buildings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { plan, buildings };
}

/**
 * Builds one content cell: its glb and what `assembleTileset` needs of it. `members` are the cell's buildings,
 * in any order (they are put in the plan's order); a missing or extra one is an error.
 */
export async function buildCell(
  plan: Pick<TilePlan, 'options' | 'columns'>,
  members: readonly TileableBuilding[],
): Promise<{ result: CellResult; glb: Uint8Array }> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const bounds = sorted.map(buildingBounds);
  const contentBounds = bounds.reduce((acc, b) => extendBounds(acc, b), emptyBounds());
  const largestM = bounds.reduce((m, b) => Math.max(m, buildingSizeM(b)), 0);
  const content = await buildTileContent(sorted, contentBounds, plan.columns, plan.options);
  const name = `${await sha256Hex16(content.glb)}.glb`;
  // Quantisation moves a vertex by at most half a 16-bit step of the tile's extent: pad by two steps.
  const extentM = Math.max(diagonalM(contentBounds), contentBounds.maxHeightM - contentBounds.minHeightM);
  const padM = plan.options.compress ? extentM / 2 ** 15 : 0;
  return {
    glb: content.glb,
    result: {
      tile: {
        boundingVolume: { region: toRegion(contentBounds, padM) },
        geometricError: 0,
        transform: content.transform,
        content: { uri: name },
      },
      bounds: contentBounds,
      largestM,
      name,
      buildings: sorted.length,
      bytes: content.glb.byteLength,
      vertices: content.vertices,
      triangles: content.triangles,
    },
  };
}

/** Puts the built cells (`results[i]` for `plan.leaves[i]`) together into tileset.json and its statistics. */
export function assembleTileset(
  plan: TilePlan,
  results: readonly CellResult[],
): { tileset: Tileset; stats: TilesetStats } {
  if (results.length !== plan.leaves.length) {
    throw new Error(`assembleTileset: ${results.length} cells built of ${plan.leaves.length}`);
  }
  const opts = plan.options;
  const stats: TilesetStats = {
    buildings: results.reduce((n, r) => n + r.buildings, 0),
    rejected: plan.rejected,
    contentTiles: results.length,
    tiles: plan.tiles,
    maxDepth: plan.maxDepth,
    bytes: results.reduce((n, r) => n + r.bytes, 0),
    vertices: results.reduce((n, r) => n + r.vertices, 0),
    triangles: results.reduce((n, r) => n + r.triangles, 0),
  };
  const build = (cell: TilePlanCell): Built => {
    if (cell.children.length === 0) {
      const r = results[cell.leaf as number];
      return { tile: contentTile(r.tile), bounds: r.bounds, largestM: r.largestM };
    }
    const children = cell.children.map(build);
    const bounds = children.reduce((acc, c) => extendBounds(acc, c.bounds), emptyBounds());
    const largestM = children.reduce((m, c) => Math.max(m, c.largestM), 0);
    return {
      tile: {
        boundingVolume: { region: unionRegion(children.map((c) => c.tile.boundingVolume.region)) },
        geometricError: subtreeError(bounds, largestM, opts),
        children: children.map((c) => c.tile),
      },
      bounds,
      largestM,
    };
  };
  const root = build(plan.root);
  root.tile.refine = 'ADD';
  const tileset: Tileset = {
    asset: { version: '1.1', generator: 'Placetwin @placetwin/tiles' },
    geometricError: subtreeError(root.bounds, root.largestM, opts),
    root: root.tile,
  };
  return { tileset, stats };
}

/**
 * A content tile rebuilt with its keys in the order `buildCell` writes them: a result that went through a store
 * which reorders keys (PostgreSQL jsonb does) must still give the same tileset.json bytes.
 */
const contentTile = (t: Tile): Tile => ({
  boundingVolume: { region: [...t.boundingVolume.region] as Region },
  geometricError: t.geometricError,
  ...(t.transform ? { transform: [...t.transform] } : {}),
  ...(t.content ? { content: { uri: t.content.uri } } : {}),
});

interface Built {
  tile: Tile;
  /** The content's bounds, unpadded (geometric error is measured on these). */
  bounds: Bounds;
  /** Size of the largest building in the subtree, metres. */
  largestM: number;
}

const subtreeError = (
  b: Bounds,
  largestM: number,
  o: Pick<TilesetOptions, 'geometricErrorDivisor'>,
): number => Math.max(largestM, diagonalM(b) / o.geometricErrorDivisor);

function toRegion(b: Bounds, padM: number): Region {
  const padRad = padM / EARTH_RADIUS_M;
  const padLon = padRad / Math.max(0.01, Math.cos(((b.south + b.north) / 2) * DEG));
  return [
    b.west * DEG - padLon,
    b.south * DEG - padRad,
    b.east * DEG + padLon,
    b.north * DEG + padRad,
    b.minHeightM - padM,
    b.maxHeightM + padM,
  ];
}

function unionRegion(regions: Region[]): Region {
  const out: Region = [...regions[0]];
  for (const r of regions) {
    for (const k of [0, 1, 4] as const) out[k] = Math.min(out[k], r[k]);
    for (const k of [2, 3, 5] as const) out[k] = Math.max(out[k], r[k]);
  }
  return out;
}

async function sha256Hex16(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (let i = 0; i < 8; i++) hex += digest[i].toString(16).padStart(2, '0');
  return hex;
}

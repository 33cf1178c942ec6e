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
import { type Column, planColumns } from './metadata';
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

/**
 * Buildings → 3D Tiles 1.1: a quadtree of content tiles (one merged, meshopt-compressed glb each, with
 * per-building feature ids and properties) under parents without content, refine ADD.
 *
 * Geometric error is a pure function of a subtree's content: 0 for a content tile (nothing is simplified);
 * for a parent, what is missing while its children are not drawn — every building below it — measured as
 * max(largest building, content diagonal / geometricErrorDivisor). It never grows with depth, and the same
 * input always gives the same tileset. tileset.geometricError is the same measure over the whole dataset.
 *
 * Pure: returns tileset.json as an object and the glb files as bytes; the caller writes them.
 */
export async function buildTileset(
  input: readonly TileableBuilding[],
  options: Partial<TilesetOptions> = {},
): Promise<TilesetResult> {
  const opts: TilesetOptions = { ...TILESET_DEFAULTS, ...options };
  checkOptions(opts);

  const buildings: TileableBuilding[] = [];
  const seen = new Set<string>();
  let rejected = 0;
  for (const b of input) {
    const problem = buildingProblem(b) ?? (seen.has(b.id) ? `duplicate building id ${b.id}` : null);
    if (problem) {
      const featureId = typeof b?.id === 'string' ? b.id : null;
      if (!opts.skipInvalid) throw new DataError('invalid-building', problem, { featureId });
      opts.onReject?.({ featureId, reason: problem });
      rejected++;
      continue;
    }
    seen.add(b.id);
    buildings.push(b);
  }
  if (buildings.length === 0) throw new DataError('empty-dataset', 'there are no buildings to tile');
  // Sorted by id (code units, locale-free), so the output does not depend on input order.
  buildings.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const bounds = buildings.map(buildingBounds);
  const points = new Float64Array(buildings.length * 2);
  bounds.forEach((b, i) => {
    const [x, y] = mercator((b.west + b.east) / 2, (b.south + b.north) / 2);
    points[i * 2] = x;
    points[i * 2 + 1] = y;
  });
  const columns = planColumns(buildings);
  const stats: TilesetStats = {
    buildings: buildings.length,
    rejected,
    contentTiles: 0,
    tiles: 0,
    maxDepth: 0,
    bytes: 0,
    vertices: 0,
    triangles: 0,
  };
  const files = new Map<string, Uint8Array>();
  const ctx: BuildContext = { buildings, bounds, columns, opts, files, stats };
  const root = await buildTile(partition(points, opts.maxFeaturesPerTile), ctx, 0);
  root.tile.refine = 'ADD';
  const tileset: Tileset = {
    asset: { version: '1.1', generator: 'Placetwin @placetwin/tiles' },
    geometricError: subtreeError(root.bounds, root.largestM, opts),
    root: root.tile,
  };
  return { tileset, files, stats };
}

interface BuildContext {
  buildings: TileableBuilding[];
  bounds: Bounds[];
  columns: Column[];
  opts: TilesetOptions;
  files: Map<string, Uint8Array>;
  stats: TilesetStats;
}

interface Built {
  tile: Tile;
  /** The content's bounds, unpadded (geometric error is measured on these). */
  bounds: Bounds;
  /** Size of the largest building in the subtree, metres. */
  largestM: number;
}

const subtreeError = (b: Bounds, largestM: number, o: TilesetOptions): number =>
  Math.max(largestM, diagonalM(b) / o.geometricErrorDivisor);

async function buildTile(cell: QuadCell, ctx: BuildContext, depth: number): Promise<Built> {
  ctx.stats.tiles++;
  ctx.stats.maxDepth = Math.max(ctx.stats.maxDepth, depth);
  if (cell.children.length > 0) {
    const children: Built[] = [];
    for (const c of cell.children) children.push(await buildTile(c, ctx, depth + 1));
    const bounds = children.reduce((acc, c) => extendBounds(acc, c.bounds), emptyBounds());
    const largestM = children.reduce((m, c) => Math.max(m, c.largestM), 0);
    return {
      tile: {
        boundingVolume: { region: unionRegion(children.map((c) => c.tile.boundingVolume.region)) },
        geometricError: subtreeError(bounds, largestM, ctx.opts),
        children: children.map((c) => c.tile),
      },
      bounds,
      largestM,
    };
  }
  const members = cell.items.map((i) => ctx.buildings[i]);
  const bounds = cell.items.reduce((acc, i) => extendBounds(acc, ctx.bounds[i]), emptyBounds());
  const largestM = cell.items.reduce((m, i) => Math.max(m, buildingSizeM(ctx.bounds[i])), 0);
  const content = await buildTileContent(members, bounds, ctx.columns, ctx.opts);
  const name = `${await sha256Hex16(content.glb)}.glb`;
  ctx.files.set(name, content.glb);
  ctx.stats.contentTiles++;
  ctx.stats.bytes += content.glb.byteLength;
  ctx.stats.vertices += content.vertices;
  ctx.stats.triangles += content.triangles;
  // Quantisation moves a vertex by at most half a 16-bit step of the tile's extent: pad by two steps.
  const extentM = Math.max(diagonalM(bounds), bounds.maxHeightM - bounds.minHeightM);
  const padM = ctx.opts.compress ? extentM / 2 ** 15 : 0;
  return {
    tile: {
      boundingVolume: { region: toRegion(bounds, padM) },
      geometricError: 0,
      transform: content.transform,
      content: { uri: name },
    },
    bounds,
    largestM,
  };
}

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

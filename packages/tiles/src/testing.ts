/**
 * Test support for tiles (not exported from the package): glTF validation, the placement CesiumJS gives a
 * tile's vertices, and invariant checks over a built tileset that return lists of problems (tests expect
 * them empty), shared by the tests on constructed edge cases and on real data.
 */
import type { Features } from '@gltf-transform/extensions';
import { ecefToGeodetic } from '@placetwin/geo';
import { type ValidationReport, validateBytes } from 'gltf-validator';
import { tileIO } from './content';
import { buildingBounds } from './geometry';
import { readTileContent } from './read';
import type { Region, Tile, TileableBuilding, Tileset, TilesetResult } from './types';

/** Khronos glTF-Validator report of a glb. */
export const validateGlb = async (glb: Uint8Array, uri: string): Promise<ValidationReport> =>
  validateBytes(glb, { uri, format: 'glb', maxIssues: 0, writeTimestamp: false });

/**
 * The glTF-Validator cannot decode EXT_meshopt_compression, so it checks a compressed tile's JSON only. This
 * decodes the tile (glTF-Transform + meshopt decoder) and writes it back uncompressed, still quantised, so
 * the validator can check the actual accessors: index bounds, quantised ranges, normals, min/max.
 */
export async function decompressedGlb(glb: Uint8Array): Promise<Uint8Array> {
  const io = await tileIO();
  const doc = await io.readBinary(glb);
  for (const ext of doc.getRoot().listExtensionsUsed()) {
    if (ext.extensionName === 'EXT_meshopt_compression') ext.dispose();
  }
  return io.writeBinary(doc);
}

/** Summary line of a report, e.g. for the test log: `0 errors, 0 warnings, 3 infos (UNSUPPORTED_EXTENSION ×3)`. */
export function reportSummary(r: ValidationReport): string {
  const counts = new Map<string, number>();
  for (const m of r.issues.messages) counts.set(m.code, (counts.get(m.code) ?? 0) + 1);
  const codes = [...counts].map(([c, n]) => `${c} ×${n}`).join(', ');
  return `${r.issues.numErrors} errors, ${r.issues.numWarnings} warnings, ${r.issues.numInfos} infos${codes ? ` (${codes})` : ''}`;
}

export interface Visit {
  tile: Tile;
  parent: Tile | null;
  depth: number;
}

export function walkTiles(tileset: Tileset): Visit[] {
  const out: Visit[] = [];
  const visit = (tile: Tile, parent: Tile | null, depth: number) => {
    out.push({ tile, parent, depth });
    for (const c of tile.children ?? []) visit(c, tile, depth + 1);
  };
  visit(tileset.root, null, 0);
  return out;
}

export const regionInside = (inner: Region, outer: Region): boolean =>
  inner[0] >= outer[0] &&
  inner[1] >= outer[1] &&
  inner[2] <= outer[2] &&
  inner[3] <= outer[3] &&
  inner[4] >= outer[4] &&
  inner[5] <= outer[5];

/**
 * Where CesiumJS draws a vertex of a tile's glb: the node's matrix, then the glTF y-up → 3D Tiles z-up
 * rotation (Cesium's Axis.Y_UP_TO_Z_UP, +90° about x: (x, y, z) → (x, −z, y)), then the tile transform
 * (ENU → ECEF). Returns geodetic lon°, lat°, height m.
 */
export function cesiumPlacement(
  gltfLocal: ArrayLike<number>,
  nodeMatrix: ArrayLike<number>,
  tileTransform: ArrayLike<number>,
): [number, number, number] {
  const m = nodeMatrix;
  const [px, py, pz] = [gltfLocal[0], gltfLocal[1], gltfLocal[2]];
  const x = m[0] * px + m[4] * py + m[8] * pz + m[12];
  const y = m[1] * px + m[5] * py + m[9] * pz + m[13];
  const z = m[2] * px + m[6] * py + m[10] * pz + m[14];
  const [e, n, u] = [x, -z, y];
  const t = tileTransform;
  return ecefToGeodetic(
    t[0] * e + t[4] * n + t[8] * u + t[12],
    t[1] * e + t[5] * n + t[9] * u + t[13],
    t[2] * e + t[6] * n + t[10] * u + t[14],
  );
}

/** Tree structure: uris ↔ files, nested regions, geometric error, tile budget, refine. */
export function structureProblems(r: TilesetResult): string[] {
  const problems: string[] = [];
  const visits = walkTiles(r.tileset);
  const uris = new Set<string>();
  if (r.tileset.root.refine !== 'ADD') problems.push('root refine is not ADD');
  if (r.tileset.asset.version !== '1.1') problems.push('asset.version is not 1.1');
  if (!(r.tileset.geometricError >= r.tileset.root.geometricError)) {
    problems.push('tileset geometricError below the root');
  }
  for (const { tile, parent, depth } of visits) {
    const where = `tile at depth ${depth}`;
    const [w, s, e, n, lo, hi] = tile.boundingVolume.region;
    if (!(w <= e && s <= n && lo <= hi)) problems.push(`${where}: empty region`);
    if (parent && !regionInside(tile.boundingVolume.region, parent.boundingVolume.region)) {
      problems.push(`${where}: region outside its parent's`);
    }
    if (parent && !(tile.geometricError <= parent.geometricError)) {
      problems.push(
        `${where}: geometricError ${tile.geometricError} above its parent's ${parent.geometricError}`,
      );
    }
    const leaf = !tile.children || tile.children.length === 0;
    if (leaf !== Boolean(tile.content)) problems.push(`${where}: content must be exactly on leaves`);
    if (leaf && tile.geometricError !== 0) problems.push(`${where}: leaf geometricError is not 0`);
    if (!leaf && !(tile.geometricError > 0)) problems.push(`${where}: parent geometricError is not positive`);
    if (tile.content) {
      uris.add(tile.content.uri);
      if (!r.files.has(tile.content.uri)) problems.push(`${where}: content ${tile.content.uri} not in files`);
      if (tile.transform?.length !== 16) problems.push(`${where}: content tile without a 4×4 transform`);
    }
  }
  for (const name of r.files.keys()) if (!uris.has(name)) problems.push(`file ${name} is not referenced`);
  return problems;
}

/**
 * Content: every building in exactly one tile, ≤ maxFeaturesPerTile per tile, feature id k's properties are
 * building k's, and every vertex of feature k lands (as CesiumJS places it) inside building k's bounds.
 */
export async function contentProblems(
  r: TilesetResult,
  buildings: readonly TileableBuilding[],
  maxFeaturesPerTile: number,
): Promise<string[]> {
  const problems: string[] = [];
  const byId = new Map(buildings.map((b) => [b.id, b]));
  const seen = new Map<string, number>();
  for (const { tile } of walkTiles(r.tileset)) {
    if (!tile.content || !tile.transform) continue;
    const uri = tile.content.uri;
    const glb = r.files.get(uri);
    if (!glb) continue;
    const data = await readTileContent(glb);
    const rows = data.properties;
    if (rows.length > maxFeaturesPerTile)
      problems.push(`${uri}: ${rows.length} features > ${maxFeaturesPerTile}`);
    const prim = data.document.getRoot().listMeshes()[0].listPrimitives()[0];
    const fid = prim.getExtension<Features>('EXT_mesh_features')?.listFeatureIDs()[0];
    if (fid?.getFeatureCount() !== rows.length) problems.push(`${uri}: featureCount ≠ property table count`);
    for (const row of rows) {
      const id = String(row.id);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const b = byId.get(id);
      if (!b) problems.push(`${uri}: unknown building ${id}`);
      else if (row.heightM !== b.heightM || row.minHeightM !== b.minHeightM) {
        problems.push(
          `${uri}: ${id} heights ${row.minHeightM}-${row.heightM} ≠ ${b.minHeightM}-${b.heightM}`,
        );
      }
    }
    // Placement of every vertex, the way CesiumJS computes it from the glb and the tile transform.
    const node = data.document
      .getRoot()
      .listNodes()
      .find((nd) => nd.getMesh())!;
    const matrix = node.getWorldMatrix();
    const position = prim.getAttribute('POSITION')!;
    const [w, s, e, n] = tile.boundingVolume.region;
    const extentM = Math.max((e - w) * 6.4e6, (n - s) * 6.4e6, 10);
    const tolM = extentM / 2 ** 15 + 0.01; // a 16-bit quantisation step, plus float32
    const tolDeg = (tolM / 6.37e6) * (180 / Math.PI) * 2;
    const p = [0, 0, 0];
    const worst = new Map<string, string>();
    for (let i = 0; i < position.getCount(); i++) {
      const k = data.featureIds[i];
      const b = byId.get(String(rows[k]?.id));
      if (!b) {
        problems.push(`${uri}: vertex ${i} has feature id ${k} without a building`);
        break;
      }
      const bb = buildingBounds(b);
      const [lon, lat, h] = cesiumPlacement(position.getElement(i, p), matrix, tile.transform);
      if (
        lon < bb.west - tolDeg * 2 ||
        lon > bb.east + tolDeg * 2 ||
        lat < bb.south - tolDeg ||
        lat > bb.north + tolDeg ||
        h < bb.minHeightM - tolM ||
        h > bb.maxHeightM + tolM
      ) {
        worst.set(b.id, `${uri}: ${b.id} vertex at ${lon}, ${lat}, ${h.toFixed(3)} m outside its bounds`);
      }
    }
    problems.push(...worst.values());
  }
  for (const b of buildings) {
    const count = seen.get(b.id) ?? 0;
    if (count !== 1) problems.push(`${b.id} appears in ${count} tiles`);
  }
  return problems;
}

/**
 * Winding as drawn: every triangle larger than 0.5 m² is counter-clockwise seen from the side its stored
 * normal points to (a flipped triangle gives −1). Not ≥ 0.9: on the 16-bit grid of a sparse rural tile
 * (steps up to ~9 cm) a long sliver can tilt while its stored flat normal, which shading uses, stays exact.
 */
export async function windingProblems(glb: Uint8Array, uri: string): Promise<string[]> {
  const data = await readTileContent(glb);
  const p = data.positionsEnu;
  const nrm = data.normalsEnu;
  const idx = data.indices;
  let checked = 0;
  let bad = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const [a, b, c] = [idx[t] * 3, idx[t + 1] * 3, idx[t + 2] * 3];
    const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
    const e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
    const g = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    const len = Math.hypot(g[0], g[1], g[2]);
    if (len / 2 < 0.5) continue;
    checked++;
    const dot = (g[0] * nrm[a] + g[1] * nrm[a + 1] + g[2] * nrm[a + 2]) / len;
    if (!(dot > 0)) bad++;
  }
  return checked === 0
    ? [`${uri}: no triangle to check`]
    : bad > 0
      ? [`${uri}: ${bad} of ${checked} triangles wound against their normal`]
      : [];
}

/**
 * An architect's massing model as glTF 2.0 binary (`.glb`): each top-level node of the scene with geometry is one
 * building. glTF has no georeference and is Y-up in metres (glTF 2.0 §3.4), so the result is in the file's own
 * ground plane: east = +X, north = −Z, up = +Y (the usual glTF → ENU mapping, as 3D Tiles uses); the caller places
 * the file's origin (0, 0, 0) at a site origin it is given.
 *
 * Footprint: the convex hull of every vertex of the building projected on the ground plane (@turf/convex). A
 * convex hull covers an L- or U-shaped block whole (it over-states such footprints); export each wing as its own
 * node to keep the shape. Height: highest − lowest vertex. Base: the lowest vertex above the file's ground (Y = 0).
 *
 * Compressed geometry: Draco (KHR_draco_mesh_compression, as Blender and most exporters write it) is decoded with
 * Google's Draco decoder (draco3dgltf) through glTF-Transform; the other Khronos extensions are read too. Meshopt
 * (EXT_meshopt_compression) is not: such a file is refused with a message saying to export without it.
 */
import { type Document, type Node, WebIO } from '@gltf-transform/core';
import { KHRONOS_EXTENSIONS } from '@gltf-transform/extensions';
import { DataError } from '@placetwin/geo';
import convex from '@turf/convex';
import { featureCollection, point } from '@turf/helpers';

/** One building of a massing model, in metres in the file's frame. */
export interface LocalMassing {
  /** The node's name, else `Node <index>`: names the building in messages and in its id. */
  name: string;
  /** Outer ring, counter-clockwise, open (first point not repeated), [east, north] metres. */
  ring: [number, number][];
  /** Lowest point above the file's ground plane (m). */
  baseM: number;
  /** Highest − lowest vertex (m). */
  heightM: number;
}

/** The most vertices one model may have (an architect's massing is blocks, not a detailed model). */
export const MAX_MASSING_VERTICES = 1_000_000;

/**
 * The convex hull of points on a plane (metres), counter-clockwise and open, or null when they span no area
 * (fewer than 3 distinct points, or all in a line).
 */
export function groundHull(points: readonly [number, number][]): [number, number][] | null {
  if (points.length < 3) return null;
  // @turf/convex works on any planar coordinates; a GeoJSON ring comes back closed.
  const hull = convex(featureCollection(points.map((p) => point(p))));
  const ring = hull?.geometry.coordinates[0];
  if (!ring || ring.length < 4) return null;
  const open = ring.slice(0, -1).map((p) => [p[0], p[1]] as [number, number]);
  let twiceArea = 0;
  for (let i = 0; i < open.length; i++) {
    const [x1, y1] = open[i];
    const [x2, y2] = open[(i + 1) % open.length];
    twiceArea += x1 * y2 - x2 * y1;
  }
  if (Math.abs(twiceArea) < 1e-9) return null;
  return twiceArea > 0 ? open : open.reverse();
}

/** Column-major 4×4 × point. */
const transformPoint = (m: readonly number[], x: number, y: number, z: number): [number, number, number] => [
  m[0] * x + m[4] * y + m[8] * z + m[12],
  m[1] * x + m[5] * y + m[9] * z + m[13],
  m[2] * x + m[6] * y + m[10] * z + m[14],
];

/** Every vertex under `node` in world coordinates (glTF Y-up). */
function nodeVertices(node: Node, out: number[], limit: (n: number) => void): void {
  node.traverse((n) => {
    const mesh = n.getMesh();
    if (!mesh) return;
    const m = n.getWorldMatrix();
    const v: number[] = [0, 0, 0];
    for (const prim of mesh.listPrimitives()) {
      const pos = prim.getAttribute('POSITION');
      if (!pos) continue;
      limit(pos.getCount());
      for (let i = 0; i < pos.getCount(); i++) {
        pos.getElement(i, v);
        out.push(...transformPoint(m, v[0], v[1], v[2]));
      }
    }
  });
}

const hasGeometry = (node: Node): boolean => {
  let found = false;
  node.traverse((n) => {
    if (n.getMesh()) found = true;
  });
  return found;
};

/** The nodes that are buildings: the scene's top-level nodes, below any single wrapper node without a mesh. */
function buildingNodes(doc: Document): Node[] {
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  let level = scene ? scene.listChildren() : root.listNodes().filter((n) => !n.getParentNode());
  while (level.length === 1 && !level[0].getMesh() && level[0].listChildren().length > 0)
    level = level[0].listChildren();
  return level.filter(hasGeometry);
}

let io: Promise<WebIO> | null = null;
/** glTF-Transform's reader with the Khronos extensions and the Draco decoder (a WebAssembly module, made once). */
function reader(): Promise<WebIO> {
  io ??= import('draco3dgltf').then(async ({ default: draco3d }) =>
    new WebIO()
      .registerExtensions(KHRONOS_EXTENSIONS)
      .registerDependencies({ 'draco3d.decoder': await draco3d.createDecoderModule() }),
  );
  io.catch(() => {
    io = null; // tried again on the next file
  });
  return io;
}

/**
 * The buildings of a GLB massing model. Throws a DataError naming the file (and the node, for a node's
 * problem): not a GLB, compressed geometry it cannot read, no geometry, a node that has no footprint or height.
 */
export async function glbMassing(bytes: Uint8Array, fileName: string): Promise<LocalMassing[]> {
  const fail = (reason: string, featureId: string | null = null) =>
    new DataError('invalid-gltf', reason, { file: fileName, featureId });
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== 'glTF')
    throw fail('is not a binary glTF (.glb): it does not start with the "glTF" magic bytes');
  let doc: Document;
  try {
    doc = await (await reader()).readBinary(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw fail(
      `cannot be read as glTF 2.0 (${why}); export it as glTF 2.0 binary, uncompressed or with Draco (not meshopt)`,
    );
  }
  const nodes = buildingNodes(doc);
  if (nodes.length === 0) throw fail('has no meshes: export the massing blocks as meshes');
  let total = 0;
  const limit = (n: number) => {
    total += n;
    if (total > MAX_MASSING_VERTICES)
      throw fail(`has more than ${MAX_MASSING_VERTICES} vertices: export the massing blocks only`);
  };
  const out: LocalMassing[] = [];
  for (const [i, node] of nodes.entries()) {
    const name = node.getName().trim() || `Node ${i + 1}`;
    const xyz: number[] = [];
    nodeVertices(node, xyz, limit);
    const ground: [number, number][] = [];
    let minUp = Number.POSITIVE_INFINITY;
    let maxUp = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < xyz.length; k += 3) {
      const [x, y, z] = [xyz[k], xyz[k + 1], xyz[k + 2]];
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
        throw fail('has a vertex that is not a finite number', name);
      ground.push([x, 0 - z]);
      minUp = Math.min(minUp, y);
      maxUp = Math.max(maxUp, y);
    }
    const ring = groundHull(ground);
    if (!ring) throw fail('has no footprint: its vertices span no area on the ground', name);
    const heightM = maxUp - minUp;
    if (!(heightM > 0)) throw fail('is flat: its vertices have no height', name);
    out.push({ name, ring, baseM: minUp, heightM });
  }
  return out;
}

import { Accessor, Document, Logger, Primitive, WebIO } from '@gltf-transform/core';
import {
  EXTMeshFeatures,
  EXTMeshoptCompression,
  EXTStructuralMetadata,
  KHRMeshQuantization,
} from '@gltf-transform/extensions';
import { reorder } from '@gltf-transform/functions';
import { enuFrame, MeshBuilder } from '@placetwin/geo';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';
import {
  appendPlaced,
  type Bounds,
  extendEnuBox,
  type Grid,
  type PlacedBuilding,
  placeBuilding,
  snapToGrid,
} from './geometry';
import { alignMetadata } from './glb';
import { addPropertyTable, type Column } from './metadata';
import type { TileableBuilding, TilesetOptions } from './types';

/** The glTF extensions a tile may use, for reading tiles back (tests, tools). */
export const TILE_EXTENSIONS = [
  EXTMeshFeatures,
  EXTStructuralMetadata,
  EXTMeshoptCompression,
  KHRMeshQuantization,
];

let io: WebIO | null = null;

/** One shared I/O instance (WebIO: no file access, runs in Node, workers and browsers alike). */
export async function tileIO(): Promise<WebIO> {
  if (!io) {
    await Promise.all([MeshoptEncoder.ready, MeshoptDecoder.ready]);
    io = new WebIO()
      .registerExtensions(TILE_EXTENSIONS)
      .registerDependencies({ 'meshopt.encoder': MeshoptEncoder, 'meshopt.decoder': MeshoptDecoder });
  }
  return io;
}

export interface TileContent {
  glb: Uint8Array;
  /** Column-major ENU → ECEF of the content's frame, for the tile's `transform`. */
  transform: number[];
  vertices: number;
  triangles: number;
}

/** 16-bit signed normalised positions (KHR_mesh_quantization) store q/32767 for q in −32767…32767. */
const Q16 = 32767;

/**
 * One tile's glb: all its buildings merged into one primitive, feature id k = `buildings[k]`.
 * Positions are in an ENU frame at the centre of `bounds`, turned to glTF's y-up (x east, y up, z south);
 * CesiumJS rotates y-up to z-up and then applies the tile transform (ENU → ECEF).
 *
 * Compressed: vertices are snapped to a 16-bit grid over the tile's box before triangulation, stored as
 * normalised int16 with the grid's scale and offset on the node (KHR_mesh_quantization), reordered for
 * compression and written with EXT_meshopt_compression (normals as 8-bit octahedral, the feature ids exact).
 */
export async function buildTileContent(
  buildings: readonly TileableBuilding[],
  bounds: Bounds,
  columns: readonly Column[],
  options: Pick<TilesetOptions, 'compress' | 'floors' | 'baseColor'>,
): Promise<TileContent> {
  const frame = enuFrame((bounds.west + bounds.east) / 2, (bounds.south + bounds.north) / 2, 0);
  const placed = buildings.map((b) => placeBuilding(b, frame, options.floors));
  const grid = options.compress ? gridFor(placed) : null;
  if (grid) for (const p of placed) snapToGrid(p, grid);
  const mesh = new MeshBuilder(buildings.length * 32);
  const featureStarts = new Uint32Array(buildings.length + 1);
  for (let k = 0; k < placed.length; k++) {
    appendPlaced(mesh, placed[k]);
    featureStarts[k + 1] = mesh.vertexCount;
  }
  const vertexCount = mesh.vertexCount;
  const featureIds = buildings.length <= 65536 ? new Uint16Array(vertexCount) : new Float32Array(vertexCount);
  for (let k = 0; k < buildings.length; k++) featureIds.fill(k, featureStarts[k], featureStarts[k + 1]);

  const doc = new Document();
  doc.setLogger(new Logger(Logger.Verbosity.WARN));
  const buffer = doc.createBuffer();
  const table = addPropertyTable(doc, columns, buildings);
  const features = doc.createExtension(EXTMeshFeatures);
  const accessor = (
    type: typeof Accessor.Type.SCALAR | typeof Accessor.Type.VEC3,
    array: Int16Array | Uint16Array | Uint32Array | Float32Array,
  ) => doc.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const position = grid
    ? accessor(Accessor.Type.VEC3, quantisedYUp(mesh.positions(), grid)).setNormalized(true)
    : accessor(Accessor.Type.VEC3, toYUp(mesh.positions()));
  const primitive = doc
    .createPrimitive()
    .setMode(Primitive.Mode.TRIANGLES)
    .setAttribute('POSITION', position)
    .setAttribute('NORMAL', accessor(Accessor.Type.VEC3, toYUp(mesh.normals())))
    .setAttribute('_FEATURE_ID_0', accessor(Accessor.Type.SCALAR, featureIds))
    // 65535 is the primitive-restart value, so uint16 indices address at most 65535 vertices.
    .setIndices(
      accessor(
        Accessor.Type.SCALAR,
        vertexCount < 65535 ? new Uint16Array(mesh.indices()) : mesh.indices().slice(),
      ),
    )
    .setMaterial(
      doc
        .createMaterial('building')
        .setBaseColorFactor([...options.baseColor, 1])
        .setMetallicFactor(0)
        .setRoughnessFactor(0.9)
        .setDoubleSided(false),
    )
    .setExtension(
      'EXT_mesh_features',
      features
        .createFeatures()
        .addFeatureID(
          features
            .createFeatureID()
            .setFeatureCount(buildings.length)
            .setAttribute(0)
            .setPropertyTable(table),
        ),
    );
  const node = doc.createNode('buildings').setMesh(doc.createMesh('buildings').addPrimitive(primitive));
  if (grid) {
    const [e, n, u] = grid.origin;
    node.setTranslation([e, u, -n]).setScale([grid.stepM * Q16, grid.stepM * Q16, grid.stepM * Q16]);
  }
  doc.createScene('tile').addChild(node);
  doc.getRoot().setDefaultScene(doc.getRoot().listScenes()[0]);

  if (options.compress) {
    await doc.transform(reorder({ encoder: MeshoptEncoder, target: 'size' }));
    doc.createExtension(KHRMeshQuantization).setRequired(true);
    doc
      .createExtension(EXTMeshoptCompression)
      .setRequired(true)
      .setEncoderOptions({ method: EXTMeshoptCompression.EncoderMethod.FILTER });
  }
  const glb = alignMetadata(await (await tileIO()).writeBinary(doc));
  return { glb, transform: Array.from(frame.matrix), vertices: vertexCount, triangles: mesh.triangleCount };
}

/** The 16-bit grid over the tile's vertices: centred on their box, half the largest side = 32767 steps. */
function gridFor(placed: readonly PlacedBuilding[]): Grid {
  const box = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
  for (const p of placed) extendEnuBox(box, p);
  if (!(box[0] <= box[3])) return { origin: [0, 0, 0], stepM: 1 / Q16 };
  const half = Math.max(box[3] - box[0], box[4] - box[1], box[5] - box[2]) / 2;
  return {
    origin: [(box[0] + box[3]) / 2, (box[1] + box[4]) / 2, (box[2] + box[5]) / 2],
    stepM: Math.max(half, 1e-3) / Q16,
  };
}

/** Grid-snapped ENU positions → int16 grid indices in glTF y-up order (x east, y up, z south). */
function quantisedYUp(enu: Float32Array, grid: Grid): Int16Array {
  const out = new Int16Array(enu.length);
  const [oe, on, ou] = grid.origin;
  const clamp = (q: number) => Math.max(-Q16, Math.min(Q16, q));
  for (let i = 0; i < enu.length; i += 3) {
    out[i] = clamp(Math.round((enu[i] - oe) / grid.stepM));
    out[i + 1] = clamp(Math.round((enu[i + 2] - ou) / grid.stepM));
    out[i + 2] = clamp(-Math.round((enu[i + 1] - on) / grid.stepM));
  }
  return out;
}

/** ENU (x east, y north, z up) → glTF y-up (x east, y up, z south): a proper rotation, winding is kept. */
function toYUp(enu: Float32Array): Float32Array {
  const out = new Float32Array(enu.length);
  for (let i = 0; i < enu.length; i += 3) {
    out[i] = enu[i];
    out[i + 1] = enu[i + 2];
    out[i + 2] = -enu[i + 1];
  }
  return out;
}

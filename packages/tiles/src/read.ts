import type { Document } from '@gltf-transform/core';
import type { FeatureID, Features, StructuralMetadata } from '@gltf-transform/extensions';
import { tileIO } from './content';
import { readPropertyTable } from './metadata';
import type { PropertyValue } from './types';

export interface TileContentData {
  /** The property table: row k holds feature id k's properties (noData → null). */
  properties: Record<string, PropertyValue>[];
  /** `_FEATURE_ID_0` per vertex. */
  featureIds: Uint32Array;
  /** Vertex positions in the tile's ENU frame (x east, y north, z up; metres), dequantised. */
  positionsEnu: Float64Array;
  /** Vertex normals in the same frame. */
  normalsEnu: Float64Array;
  indices: Uint32Array;
  document: Document;
}

/**
 * Reads a tile glb written by `buildTileset` back (meshopt decoded, quantisation undone, glTF y-up turned
 * back to ENU z-up), for tests, inspection and tools. Throws on a glb without the expected structure.
 */
export async function readTileContent(glb: Uint8Array): Promise<TileContentData> {
  const document = await (await tileIO()).readBinary(glb);
  const root = document.getRoot();
  const node = root.listNodes().find((n) => n.getMesh());
  const primitive = node?.getMesh()?.listPrimitives()[0];
  if (!node || !primitive) throw new Error('tile has no mesh');
  const position = primitive.getAttribute('POSITION');
  const normal = primitive.getAttribute('NORMAL');
  const ids = primitive.getAttribute('_FEATURE_ID_0');
  const indices = primitive.getIndices();
  if (!position || !normal || !ids || !indices)
    throw new Error('tile primitive lacks POSITION, NORMAL, ids or indices');
  const features = primitive.getExtension<Features>('EXT_mesh_features');
  const featureId: FeatureID | undefined = features?.listFeatureIDs()[0];
  const table = featureId?.getPropertyTable();
  const metadata = root.getExtension<StructuralMetadata>('EXT_structural_metadata');
  const cls = table && metadata?.getSchema()?.getClass(table.getClass());
  if (!table || !cls) throw new Error('tile has no feature id → property table link');

  const m = node.getWorldMatrix();
  const n = position.getCount();
  const positionsEnu = new Float64Array(n * 3);
  const normalsEnu = new Float64Array(n * 3);
  const featureIds = new Uint32Array(n);
  const p = [0, 0, 0];
  const q = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    position.getElement(i, p);
    const x = m[0] * p[0] + m[4] * p[1] + m[8] * p[2] + m[12];
    const y = m[1] * p[0] + m[5] * p[1] + m[9] * p[2] + m[13];
    const z = m[2] * p[0] + m[6] * p[1] + m[10] * p[2] + m[14];
    // glTF y-up (x east, y up, z south) → ENU.
    positionsEnu.set([x, -z, y], i * 3);
    normal.getElement(i, q);
    const len = Math.hypot(q[0], q[1], q[2]) || 1;
    normalsEnu.set([q[0] / len, -q[2] / len, q[1] / len], i * 3);
    featureIds[i] = ids.getScalar(i);
  }
  return {
    properties: readPropertyTable(table, cls),
    featureIds,
    positionsEnu,
    normalsEnu,
    indices: Uint32Array.from(indices.getArray() ?? []),
    document,
  };
}

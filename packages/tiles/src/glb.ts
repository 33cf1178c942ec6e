/**
 * GLB post-pass for EXT_structural_metadata's 8-byte alignment rules ("Binary Data Storage"): FLOAT64
 * property columns need 8-byte aligned buffer views, and the JSON and BIN chunks are padded to 8 bytes.
 * glTF-Transform writes extensions' buffer views in extension-name order, so meshopt's compressed views
 * (4-byte padded) come before the property table's and can leave them 4 bytes off. This pass inserts
 * padding before any misaligned property table view and shifts every later reference into the buffer.
 */

const GLB_MAGIC = 0x46546c67;
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;

interface BufferViewDef {
  buffer: number;
  byteOffset?: number;
  byteLength: number;
  extensions?: { EXT_meshopt_compression?: { buffer: number; byteOffset?: number } };
}

interface GltfJson {
  buffers?: { byteLength: number }[];
  bufferViews?: BufferViewDef[];
  extensions?: {
    EXT_structural_metadata?: {
      propertyTables?: {
        properties?: Record<string, { values: number; stringOffsets?: number; arrayOffsets?: number }>;
      }[];
    };
  };
}

function parseGlb(glb: Uint8Array): { json: GltfJson; bin: Uint8Array } {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  if (view.getUint32(0, true) !== GLB_MAGIC) throw new Error('not a GLB');
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== CHUNK_JSON) throw new Error('GLB has no JSON chunk first');
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength))) as GltfJson;
  let bin: Uint8Array = new Uint8Array(0);
  const binAt = 20 + jsonLength;
  if (binAt + 8 <= glb.byteLength && view.getUint32(binAt + 4, true) === CHUNK_BIN) {
    bin = glb.subarray(binAt + 8, binAt + 8 + view.getUint32(binAt, true));
  }
  return { json, bin };
}

/** Byte offset of the BIN chunk's data in a GLB (for tests: 8-byte aligned after `alignMetadata`). */
export function glbBinOffset(glb: Uint8Array): number {
  return 28 + new DataView(glb.buffer, glb.byteOffset, glb.byteLength).getUint32(12, true);
}

/** The GLB's JSON, for inspection. */
export const glbJson = (glb: Uint8Array): GltfJson => parseGlb(glb).json;

/** Indices of the buffer views that property tables reference. */
export function metadataBufferViews(json: GltfJson): number[] {
  const out = new Set<number>();
  for (const table of json.extensions?.EXT_structural_metadata?.propertyTables ?? []) {
    for (const p of Object.values(table.properties ?? {})) {
      out.add(p.values);
      if (p.stringOffsets !== undefined) out.add(p.stringOffsets);
      if (p.arrayOffsets !== undefined) out.add(p.arrayOffsets);
    }
  }
  return [...out].sort((a, b) => a - b);
}

export function alignMetadata(glb: Uint8Array): Uint8Array {
  const { json, bin } = parseGlb(glb);
  const views = json.bufferViews ?? [];
  const starts = metadataBufferViews(json)
    .map((i) => views[i])
    .filter((v) => v.buffer === 0)
    .map((v) => v.byteOffset ?? 0)
    .sort((a, b) => a - b);
  // Padding to insert before old offset `at`; shifts apply to everything at or after `at`.
  const inserts: { at: number; pad: number }[] = [];
  let shift = 0;
  for (const at of starts) {
    const pad = (8 - ((at + shift) % 8)) % 8;
    if (pad > 0) {
      inserts.push({ at, pad });
      shift += pad;
    }
  }
  const moved = (offset: number): number => {
    let s = 0;
    for (const i of inserts) if (i.at <= offset) s += i.pad;
    return offset + s;
  };
  let newBin = bin;
  if (inserts.length > 0) {
    for (const v of views) {
      if (v.buffer === 0) v.byteOffset = moved(v.byteOffset ?? 0);
      const m = v.extensions?.EXT_meshopt_compression;
      if (m && m.buffer === 0) m.byteOffset = moved(m.byteOffset ?? 0);
    }
    newBin = new Uint8Array(bin.byteLength + shift);
    let from = 0;
    let to = 0;
    for (const i of inserts) {
      newBin.set(bin.subarray(from, i.at), to);
      to += i.at - from + i.pad;
      from = i.at;
    }
    newBin.set(bin.subarray(from), to);
  }
  return writeGlb(json, newBin);
}

/** GLB with the JSON chunk padded (spaces) so the BIN data starts 8-byte aligned, and BIN padded to 8. */
function writeGlb(json: GltfJson, bin: Uint8Array): Uint8Array {
  const binLength = Math.ceil(bin.byteLength / 8) * 8;
  // The buffer owns the padding: no BIN chunk longer than its buffer (validators flag that).
  if (bin.byteLength > 0 && json.buffers?.[0]) json.buffers[0].byteLength = binLength;
  const text = new TextEncoder().encode(JSON.stringify(json));
  // BIN data starts at 28 + jsonLength: make that a multiple of 8.
  const jsonLength = text.byteLength + ((8 - ((28 + text.byteLength) % 8)) % 8);
  const total = 20 + jsonLength + (bin.byteLength > 0 ? 8 + binLength : 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, GLB_MAGIC, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, CHUNK_JSON, true);
  out.set(text, 20);
  out.fill(0x20, 20 + text.byteLength, 20 + jsonLength);
  if (bin.byteLength > 0) {
    view.setUint32(20 + jsonLength, binLength, true);
    view.setUint32(24 + jsonLength, CHUNK_BIN, true);
    out.set(bin, 28 + jsonLength);
  }
  return out;
}

import { DataError } from '@placetwin/geo';
import { unzlibSync } from 'fflate';
import { PbfReader } from 'pbf';
import type { OsmHeader, OsmMember, OsmSink, OsmTags } from './model';

/**
 * OSM PBF reader (https://wiki.openstreetmap.org/wiki/PBF_Format) on `pbf` (protobuf wire format) and
 * `fflate` (zlib), so it runs in Node and browsers alike. The file is a sequence of
 * [4-byte big-endian length][BlobHeader][Blob]; each Blob holds one zlib-compressed OSMHeader or OSMData
 * block. Every length is checked against the bytes present, so a cut or damaged file fails with the byte
 * offset of the blob it broke in, before any feature is produced.
 */

const MAX_BLOB_HEADER_BYTES = 64 * 1024; // limits set by the format
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

/** True when the bytes start with an OSM PBF header blob: length, then BlobHeader.type = "OSMHeader". */
export function looksLikeOsmPbf(head: Uint8Array): boolean {
  const magic = [0x0a, 0x09, ...new TextEncoder().encode('OSMHeader')];
  return head.length >= 4 + magic.length && magic.every((b, i) => head[4 + i] === b);
}

interface BlobHeader {
  type: string;
  datasize: number;
}

interface Blob {
  raw: Uint8Array | null;
  rawSize: number | null;
  zlib: Uint8Array | null;
  otherCompression: string | null;
}

const BLOB_COMPRESSIONS: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

function readBlobHeader(buf: Uint8Array): BlobHeader {
  return new PbfReader(buf).readFields<BlobHeader>(
    (tag, h, pbf) => {
      if (tag === 1) h.type = pbf.readString();
      else if (tag === 3) h.datasize = pbf.readVarint();
    },
    { type: '', datasize: -1 },
  );
}

function readBlob(buf: Uint8Array): Blob {
  return new PbfReader(buf).readFields<Blob>(
    (tag, b, pbf) => {
      if (tag === 1) b.raw = pbf.readBytes();
      else if (tag === 2) b.rawSize = pbf.readVarint();
      else if (tag === 3) b.zlib = pbf.readBytes();
      else if (BLOB_COMPRESSIONS[tag]) b.otherCompression = BLOB_COMPRESSIONS[tag];
    },
    { raw: null, rawSize: null, zlib: null, otherCompression: null },
  );
}

function readHeaderBlock(buf: Uint8Array): OsmHeader {
  const header: OsmHeader = { timestamp: null, writingProgram: null, bbox: null, requiredFeatures: [] };
  new PbfReader(buf).readFields((tag, h, pbf) => {
    if (tag === 1) {
      const b = pbf.readMessage(
        (t, box: number[], p) => {
          if (t >= 1 && t <= 4) box[t - 1] = p.readSVarint() * 1e-9;
        },
        [0, 0, 0, 0],
      );
      // left, right, top, bottom → west, south, east, north
      h.bbox = [b[0], b[3], b[1], b[2]];
    } else if (tag === 4) h.requiredFeatures.push(pbf.readString());
    else if (tag === 16) h.writingProgram = pbf.readString();
    else if (tag === 32) {
      const seconds = pbf.readVarint();
      if (seconds > 0) h.timestamp = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    }
  }, header);
  return header;
}

interface BlockFrame {
  strings: string[];
  groups: [number, number][];
  granularity: number;
  latOffset: number;
  lonOffset: number;
}

function tagsOf(keys: number[], vals: number[], strings: string[]): OsmTags | null {
  if (keys.length === 0) return null;
  const tags: OsmTags = {};
  for (let i = 0; i < keys.length; i++) tags[strings[keys[i]]] = strings[vals[i]];
  return tags;
}

const MEMBER_TYPES: OsmMember['type'][] = ['node', 'way', 'relation'];

/** Decodes one OSMData block into the sink. */
function readPrimitiveBlock(buf: Uint8Array, sink: OsmSink): void {
  const pbf = new PbfReader(buf);
  // Granularity and offsets follow the groups on the wire (fields 17-20), so frame the block first.
  const frame = pbf.readFields<BlockFrame>(
    (tag, f, p) => {
      if (tag === 1) {
        p.readMessage((t, strings: string[], q) => {
          if (t === 1) strings.push(q.readString());
        }, f.strings);
      } else if (tag === 2) {
        const end = p.readVarint() + p.pos;
        f.groups.push([p.pos, end]);
        p.pos = end;
      } else if (tag === 17) f.granularity = p.readVarint();
      else if (tag === 19) f.latOffset = p.readVarint(true);
      else if (tag === 20) f.lonOffset = p.readVarint(true);
    },
    { strings: [], groups: [], granularity: 100, latOffset: 0, lonOffset: 0 },
  );
  const { strings, granularity, latOffset, lonOffset } = frame;
  const deg = (offset: number, v: number) => (offset + granularity * v) * 1e-9;

  for (const [start, end] of frame.groups) {
    pbf.pos = start;
    pbf.readFields(
      (tag, _g, p) => {
        if (tag === 1) {
          const n = p.readMessage(
            (t, node: { id: number; lat: number; lon: number; keys: number[]; vals: number[] }, q) => {
              if (t === 1) node.id = q.readSVarint();
              else if (t === 2 && sink.nodeTags) q.readPackedVarint(node.keys);
              else if (t === 3 && sink.nodeTags) q.readPackedVarint(node.vals);
              else if (t === 8) node.lat = q.readSVarint();
              else if (t === 9) node.lon = q.readSVarint();
            },
            { id: 0, lat: 0, lon: 0, keys: [], vals: [] },
          );
          sink.node(n.id, deg(lonOffset, n.lon), deg(latOffset, n.lat));
          const tags = sink.nodeTags && tagsOf(n.keys, n.vals, strings);
          if (tags) sink.nodeTags?.(n.id, tags);
        } else if (tag === 2) {
          const d = p.readMessage(
            (t, dense: { ids: number[]; lats: number[]; lons: number[]; keysVals: number[] }, q) => {
              if (t === 1) q.readPackedSVarint(dense.ids);
              else if (t === 8) q.readPackedSVarint(dense.lats);
              else if (t === 9) q.readPackedSVarint(dense.lons);
              else if (t === 10 && sink.nodeTags) q.readPackedVarint(dense.keysVals);
            },
            { ids: [], lats: [], lons: [], keysVals: [] },
          );
          if (d.lats.length !== d.ids.length || d.lons.length !== d.ids.length) {
            throw new Error('dense nodes with unequal id, lat and lon counts');
          }
          let id = 0;
          let lat = 0;
          let lon = 0;
          // keys_vals: each node's key and value string indices in pairs, ended by a 0 (empty when no node has tags).
          let kv = 0;
          for (let i = 0; i < d.ids.length; i++) {
            id += d.ids[i];
            lat += d.lats[i];
            lon += d.lons[i];
            sink.node(id, deg(lonOffset, lon), deg(latOffset, lat));
            if (kv < d.keysVals.length) {
              let tags: OsmTags | null = null;
              for (; kv < d.keysVals.length && d.keysVals[kv] !== 0; kv += 2) {
                tags ??= {};
                tags[strings[d.keysVals[kv]]] = strings[d.keysVals[kv + 1]];
              }
              kv++;
              if (tags) sink.nodeTags?.(id, tags);
            }
          }
        } else if (tag === 3) {
          const w = p.readMessage(
            (t, way: { id: number; keys: number[]; vals: number[]; refs: number[] }, q) => {
              if (t === 1) way.id = q.readVarint();
              else if (t === 2) q.readPackedVarint(way.keys);
              else if (t === 3) q.readPackedVarint(way.vals);
              else if (t === 8) q.readPackedSVarint(way.refs);
            },
            { id: 0, keys: [], vals: [], refs: [] },
          );
          const refs = new Float64Array(w.refs.length);
          let ref = 0;
          for (let i = 0; i < refs.length; i++) {
            ref += w.refs[i];
            refs[i] = ref;
          }
          sink.way(w.id, refs, tagsOf(w.keys, w.vals, strings));
        } else if (tag === 4) {
          const r = p.readMessage(
            (
              t,
              rel: {
                id: number;
                keys: number[];
                vals: number[];
                roles: number[];
                memids: number[];
                types: number[];
              },
              q,
            ) => {
              if (t === 1) rel.id = q.readVarint();
              else if (t === 2) q.readPackedVarint(rel.keys);
              else if (t === 3) q.readPackedVarint(rel.vals);
              else if (t === 8) q.readPackedVarint(rel.roles, true);
              else if (t === 9) q.readPackedSVarint(rel.memids);
              else if (t === 10) q.readPackedVarint(rel.types);
            },
            { id: 0, keys: [], vals: [], roles: [], memids: [], types: [] },
          );
          const members: OsmMember[] = [];
          let ref = 0;
          for (let i = 0; i < r.memids.length; i++) {
            ref += r.memids[i];
            members.push({ type: MEMBER_TYPES[r.types[i]] ?? 'node', ref, role: strings[r.roles[i]] ?? '' });
          }
          sink.relation(r.id, members, tagsOf(r.keys, r.vals, strings));
        }
      },
      null,
      end,
    );
  }
}

const truncated = (fileName: string, offset: number, why: string) =>
  new DataError('truncated-file', `truncated or corrupt PBF at byte ${offset}: ${why}`, { file: fileName });

/** Frames, checks and decompresses the blob starting at byte `pos`. */
function readBlobAt(
  bytes: Uint8Array,
  pos: number,
  fileName: string,
): { type: string; data: Uint8Array; end: number } {
  const fail = (why: string) => truncated(fileName, pos, why);
  if (pos + 4 > bytes.length) throw fail(`${bytes.length - pos} stray bytes where a blob length should be`);
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(pos);
  if (headerLen === 0 || headerLen > MAX_BLOB_HEADER_BYTES) {
    throw fail(`blob header length ${headerLen} is outside 1..${MAX_BLOB_HEADER_BYTES}`);
  }
  const dataStart = pos + 4 + headerLen;
  if (dataStart > bytes.length) {
    throw fail(`blob header of ${headerLen} bytes runs past the end of the file (${bytes.length} bytes)`);
  }
  let blobHeader: BlobHeader;
  try {
    blobHeader = readBlobHeader(bytes.subarray(pos + 4, dataStart));
  } catch {
    throw fail('unreadable blob header');
  }
  const { type, datasize } = blobHeader;
  if (!type || datasize < 0 || datasize > MAX_BLOB_BYTES) {
    throw fail(`blob header with type "${type}" and size ${datasize} is not valid`);
  }
  const end = dataStart + datasize;
  if (end > bytes.length)
    throw fail(`blob of ${datasize} bytes runs past the end of the file (${bytes.length} bytes)`);
  try {
    const blob = readBlob(bytes.subarray(dataStart, end));
    if (blob.otherCompression) {
      throw new DataError(
        'unsupported-format',
        `blob at byte ${pos} is ${blob.otherCompression}-compressed; only zlib and raw blobs are supported (re-encode with osmium cat)`,
        { file: fileName },
      );
    }
    let data: Uint8Array;
    if (blob.raw) data = blob.raw;
    else if (blob.zlib) data = unzlibSync(blob.zlib);
    else throw new Error('blob has no data');
    if (blob.rawSize !== null && data.length !== blob.rawSize) {
      throw new Error(`blob inflates to ${data.length} bytes, header says ${blob.rawSize}`);
    }
    return { type, data, end };
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw fail(`blob does not decompress (${e instanceof Error ? e.message : String(e)})`);
  }
}

function headerFromBlob(data: Uint8Array, pos: number, fileName: string): OsmHeader {
  let header: OsmHeader;
  try {
    header = readHeaderBlock(data);
  } catch {
    throw truncated(fileName, pos, 'unreadable OSMHeader block');
  }
  const unsupported = header.requiredFeatures.filter((f) => !SUPPORTED_FEATURES.has(f));
  if (unsupported.length) {
    throw new DataError(
      'unsupported-format',
      `PBF requires features this reader lacks: ${unsupported.join(', ')}`,
      {
        file: fileName,
      },
    );
  }
  return header;
}

function firstBlob(bytes: Uint8Array, fileName: string): { header: OsmHeader; end: number } {
  if (bytes.length === 0) throw truncated(fileName, 0, 'the file is empty');
  const first = readBlobAt(bytes, 0, fileName);
  if (first.type !== 'OSMHeader')
    throw truncated(fileName, 0, `first blob is "${first.type}", not OSMHeader`);
  return { header: headerFromBlob(first.data, 0, fileName), end: first.end };
}

/** The file's OSMHeader block alone (the first blob), for dataset metadata. */
export const readOsmPbfHeader = (bytes: Uint8Array, fileName: string): OsmHeader =>
  firstBlob(bytes, fileName).header;

/**
 * Reads a whole OSM PBF file into `sink`, one blob at a time: yields the byte offset reached after each
 * blob (for progress), returns the file's header. Throws DataError `truncated-file` naming the byte offset
 * of the blob that is cut or damaged (or `unsupported-format` for lzma/zstd blobs or history files).
 */
export function* readOsmPbf(
  bytes: Uint8Array,
  sink: OsmSink,
  fileName: string,
): Generator<number, OsmHeader> {
  const { header, end: headerEnd } = firstBlob(bytes, fileName);
  let pos = headerEnd;
  yield pos;
  while (pos < bytes.length) {
    const { type, data, end } = readBlobAt(bytes, pos, fileName);
    if (type === 'OSMData') {
      try {
        readPrimitiveBlock(data, sink);
      } catch (e) {
        throw truncated(
          fileName,
          pos,
          `unreadable OSMData block (${e instanceof Error ? e.message : String(e)})`,
        );
      }
    }
    pos = end;
    yield pos;
  }
  return header;
}

import { DataError } from '@placetwin/geo';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { OsmHeader, OsmMember, OsmSink, OsmTags } from './model';

/**
 * OSM XML reader (API 0.6 format, as written by the OSM API, Overpass, osmium and JOSM) on `saxes`.
 * Bytes are decoded and parsed in chunks, so memory holds the elements, not the text. Elements marked
 * `action="delete"` (JOSM) or `visible="false"` (history) are left out.
 */

const CHUNK_BYTES = 1 << 20;

/** True for XML whose root element is `<osm`. */
export function looksLikeOsmXml(text: string): boolean {
  return /^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<osm[\s>]/.test(text);
}

/** What the start of an OSM XML file says about itself (the root's attributes, Overpass `<meta>`). */
export function readOsmXmlHeader(head: string): OsmHeader {
  const attr = (tag: string, name: string) =>
    new RegExp(`<${tag}\\s[^>]*\\b${name}="([^"]*)"`).exec(head)?.[1] ?? null;
  const bounds = ['minlon', 'minlat', 'maxlon', 'maxlat'].map((k) => Number(attr('bounds', k) ?? Number.NaN));
  return {
    timestamp: attr('meta', 'osm_base') ?? attr('osm', 'timestamp'),
    writingProgram: attr('osm', 'generator'),
    bbox: bounds.every(Number.isFinite) ? (bounds as [number, number, number, number]) : null,
    requiredFeatures: [],
  };
}

const num = (v: string | undefined): number => (v === undefined ? Number.NaN : Number(v));

/**
 * Parses OSM XML into `sink`; yields the byte offset reached after each chunk, returns the header
 * (`<osm timestamp>` or Overpass `<meta osm_base>`, `<bounds>`, `generator`).
 */
export function* readOsmXml(
  bytes: Uint8Array,
  sink: OsmSink,
  fileName: string,
): Generator<number, OsmHeader> {
  const header: OsmHeader = { timestamp: null, writingProgram: null, bbox: null, requiredFeatures: [] };
  const parser = new SaxesParser({ xmlns: false, position: true });
  const fail = (reason: string, featureId: string | null = null) =>
    new DataError('invalid-xml', reason, { file: fileName, featureId });

  type Current =
    | { kind: 'node'; id: number; lon: number; lat: number; skip: boolean }
    | { kind: 'way'; id: number; refs: number[]; tags: OsmTags | null; skip: boolean }
    | { kind: 'relation'; id: number; members: OsmMember[]; tags: OsmTags | null; skip: boolean };
  let current: Current | null = null;
  let sawRoot = false;
  let error: DataError | null = null;

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'osm':
        sawRoot = true;
        header.writingProgram = a.generator ?? null;
        if (a.timestamp) header.timestamp = a.timestamp;
        return;
      case 'meta':
        if (a.osm_base) header.timestamp = a.osm_base;
        return;
      case 'bounds': {
        const b: [number, number, number, number] = [
          num(a.minlon),
          num(a.minlat),
          num(a.maxlon),
          num(a.maxlat),
        ];
        if (b.every(Number.isFinite)) header.bbox = b;
        return;
      }
      case 'node':
      case 'way':
      case 'relation': {
        const id = num(a.id);
        if (!Number.isInteger(id)) throw fail(`<${tag.name}> without a numeric id at line ${parser.line}`);
        const skip = a.action === 'delete' || a.visible === 'false';
        if (tag.name === 'node') current = { kind: 'node', id, lon: num(a.lon), lat: num(a.lat), skip };
        else if (tag.name === 'way') current = { kind: 'way', id, refs: [], tags: null, skip };
        else current = { kind: 'relation', id, members: [], tags: null, skip };
        return;
      }
      case 'nd':
        if (current?.kind === 'way') current.refs.push(num(a.ref));
        return;
      case 'member':
        if (current?.kind === 'relation') {
          const type = a.type === 'way' || a.type === 'relation' ? a.type : 'node';
          current.members.push({ type, ref: num(a.ref), role: a.role ?? '' });
        }
        return;
      case 'tag':
        if (current && current.kind !== 'node' && a.k !== undefined) {
          current.tags ??= {};
          current.tags[a.k] = a.v ?? '';
        }
        return;
    }
  });
  parser.on('closetag', (tag) => {
    if (!current || tag.name !== current.kind) return;
    const c = current;
    current = null;
    if (c.skip) return;
    if (c.kind === 'node') {
      if (
        !Number.isFinite(c.lon) ||
        !Number.isFinite(c.lat) ||
        Math.abs(c.lon) > 180 ||
        Math.abs(c.lat) > 90
      ) {
        throw fail(`node has no valid lat/lon (line ${parser.line})`, `n${c.id}`);
      }
      sink.node(c.id, c.lon, c.lat);
    } else if (c.kind === 'way') {
      if (c.refs.some((r) => !Number.isInteger(r)))
        throw fail('way has an <nd> without a numeric ref', `w${c.id}`);
      sink.way(c.id, Float64Array.from(c.refs), c.tags);
    } else sink.relation(c.id, c.members, c.tags);
  });
  parser.on('error', (e) => {
    error ??= fail(`not well-formed XML: ${e.message}`);
  });

  const decoder = new TextDecoder('utf-8');
  for (let pos = 0; pos < bytes.length; pos += CHUNK_BYTES) {
    const end = Math.min(bytes.length, pos + CHUNK_BYTES);
    parser.write(decoder.decode(bytes.subarray(pos, end), { stream: end < bytes.length }));
    if (error) throw error;
    yield end;
  }
  parser.close();
  if (error) throw error;
  if (!sawRoot) throw fail('no <osm> root element: not an OSM XML file');
  return header;
}

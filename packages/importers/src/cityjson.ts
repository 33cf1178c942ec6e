import {
  type BuildingFeature,
  DataError,
  type DatasetMeta,
  type ImportedFeature,
  type Surface,
  transformer,
} from '@placetwin/geo';
import { horizontalCrs } from './crs';
import { buildingFromSolid, type ObjectGeometry } from './solid-building';
import type { SourceSurface } from './surfaces';
import {
  baseName,
  eventLoopBreather,
  headText,
  type Importer,
  type ImportOptions,
  progressReporter,
  RejectPolicy,
} from './types';

/**
 * CityJSON 2.0 (https://www.cityjson.org/specs/2.0.1/) and CityJSON Text Sequences (`.city.jsonl`: a
 * CityJSON header line, then one CityJSONFeature per line, each with its own vertices).
 * Building and BuildingPart objects become features; their highest-LoD geometry (MultiSurface,
 * CompositeSurface, Solid, MultiSolid, CompositeSolid) gives surfaces with semantics, footprint and
 * height. Other object types (roads, terrain, ...) are not imported. GeometryInstance (templates) is not
 * supported: such objects are reported and skipped.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Transform {
  scale: [number, number, number];
  translate: [number, number, number];
}

const SEMANTICS: Record<string, Surface['semantic']> = {
  RoofSurface: 'roof',
  WallSurface: 'wall',
  GroundSurface: 'ground',
};

/** Numeric value of a CityJSON `lod` ("2.2", 1, "1.3"): higher is more detailed. */
const lodValue = (lod: unknown): number => (typeof lod === 'number' ? lod : Number.parseFloat(String(lod)));

function readTransform(doc: Json, fail: (reason: string) => DataError): Transform | null {
  const t = doc.transform;
  if (t === undefined) return null;
  const ok = (v: unknown): v is [number, number, number] =>
    Array.isArray(v) && v.length === 3 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!isObject(t) || !ok(t.scale) || !ok(t.translate))
    throw fail('"transform" needs scale and translate of 3 numbers');
  return { scale: t.scale, translate: t.translate };
}

/** Vertex list → flat real-world [x, y, z, ...], checking shape; ints need a transform. */
function realVertices(
  vertices: unknown,
  transform: Transform | null,
  fail: (reason: string) => DataError,
): Float64Array {
  if (!Array.isArray(vertices)) throw fail('"vertices" is not an array');
  const out = new Float64Array(vertices.length * 3);
  let allIntegers = true;
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i];
    if (
      !Array.isArray(v) ||
      v.length < 3 ||
      !v.slice(0, 3).every((n) => typeof n === 'number' && Number.isFinite(n))
    ) {
      throw fail(`vertex ${i} is not three finite numbers`);
    }
    for (let k = 0; k < 3; k++) {
      const n = v[k] as number;
      if (!Number.isInteger(n)) allIntegers = false;
      out[i * 3 + k] = transform ? n * transform.scale[k] + transform.translate[k] : n;
    }
  }
  if (!transform && allIntegers && vertices.length > 0) {
    throw fail(
      'vertices are integers but the file has no "transform" (scale and translate) to make them coordinates',
    );
  }
  return out;
}

/** The surfaces of one geometry, or the reason it cannot be read. */
function geometrySurfaces(
  geom: Json,
  vertices: Float64Array,
  objectId: string,
  fail: (r: string, id?: string) => DataError,
): SourceSurface[] {
  const nVertices = vertices.length / 3;
  const semantics = isObject(geom.semantics) ? geom.semantics : null;
  const semSurfaces = Array.isArray(semantics?.surfaces) ? semantics.surfaces : [];
  const semanticOf = (index: unknown): Surface['semantic'] | null => {
    if (typeof index !== 'number') return null;
    const s = semSurfaces[index];
    return isObject(s) && typeof s.type === 'string' ? (SEMANTICS[s.type] ?? 'other') : null;
  };
  const ring = (indices: unknown): Float64Array => {
    if (!Array.isArray(indices)) throw fail('a ring is not an array of vertex indices', objectId);
    const out = new Float64Array(indices.length * 3);
    indices.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= nVertices) {
        throw fail(
          `vertex index ${String(v)} is out of range (the file has ${nVertices} vertices)`,
          objectId,
        );
      }
      out[i * 3] = vertices[v * 3];
      out[i * 3 + 1] = vertices[v * 3 + 1];
      out[i * 3 + 2] = vertices[v * 3 + 2];
    });
    return out;
  };
  const surfaceList = (surfaces: unknown, values: unknown): SourceSurface[] => {
    if (!Array.isArray(surfaces)) throw fail('surface list is not an array', objectId);
    const vals = Array.isArray(values) ? values : [];
    return surfaces.map((polygon, i) => {
      if (!Array.isArray(polygon)) throw fail('a surface is not an array of rings', objectId);
      return { rings: polygon.map(ring), semantic: semanticOf(vals[i]) };
    });
  };
  const b = geom.boundaries;
  const v = semantics?.values;
  const nested = (x: unknown, i: number): unknown => (Array.isArray(x) ? x[i] : undefined);
  switch (geom.type) {
    case 'MultiSurface':
    case 'CompositeSurface':
      return surfaceList(b, v);
    case 'Solid': {
      if (!Array.isArray(b)) throw fail('Solid boundaries are not an array of shells', objectId);
      return b.flatMap((shell, i) => surfaceList(shell, nested(v, i)));
    }
    case 'MultiSolid':
    case 'CompositeSolid': {
      if (!Array.isArray(b)) throw fail(`${geom.type} boundaries are not an array of solids`, objectId);
      return b.flatMap((solid, i) => {
        if (!Array.isArray(solid)) throw fail('a solid is not an array of shells', objectId);
        return solid.flatMap((shell, j) => surfaceList(shell, nested(nested(v, i), j)));
      });
    }
    default:
      return [];
  }
}

/** The highest-LoD geometry of a CityObject that we can read. */
function pickGeometry(obj: Json): { geom: Json; lod: string } | { unsupported: string } | null {
  const list = Array.isArray(obj.geometry) ? obj.geometry.filter(isObject) : [];
  const readable = list.filter((g) =>
    ['MultiSurface', 'CompositeSurface', 'Solid', 'MultiSolid', 'CompositeSolid'].includes(String(g.type)),
  );
  if (readable.length === 0) {
    const other = list.find((g) => typeof g.type === 'string');
    return other ? { unsupported: String(other.type) } : null;
  }
  const best = readable.reduce((a, b) => (lodValue(b.lod) > lodValue(a.lod) ? b : a));
  return { geom: best, lod: String(best.lod) };
}

const scalarAttributes = (attrs: unknown): BuildingFeature['attributes'] => {
  const out: BuildingFeature['attributes'] = {};
  if (!isObject(attrs)) return out;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else out[k] = JSON.stringify(v);
  }
  return out;
};

/** Features of one CityObjects table (a whole file, or one CityJSONFeature) with its vertices. */
function* objectFeatures(
  objects: Json,
  vertices: Float64Array,
  crs: string,
  options: ImportOptions,
  policy: RejectPolicy,
): Generator<BuildingFeature> {
  const toLonLat = transformer(crs, 'EPSG:4326');
  const fail = (reason: string, featureId?: string) =>
    new DataError('invalid-geometry', reason, { file: options.fileName, featureId: featureId ?? null });
  const read = new Map<string, ObjectGeometry | null>();
  const geometryOf = (id: string): ObjectGeometry | null => {
    if (read.has(id)) return read.get(id)!;
    const obj = objects[id];
    let result: ObjectGeometry | null = null;
    if (isObject(obj)) {
      const picked = pickGeometry(obj);
      if (picked && 'unsupported' in picked) {
        policy.skip(id, `geometry type ${picked.unsupported} is not supported`);
      } else if (picked) {
        result = { surfaces: geometrySurfaces(picked.geom, vertices, id, fail), lod: picked.lod };
      }
    }
    read.set(id, result);
    return result;
  };

  for (const [id, obj] of Object.entries(objects)) {
    if (!isObject(obj) || (obj.type !== 'Building' && obj.type !== 'BuildingPart')) continue;
    const kind = obj.type === 'Building' ? 'building' : 'part';
    const parents = Array.isArray(obj.parents)
      ? obj.parents.filter((p): p is string => typeof p === 'string')
      : [];
    const childParts = (Array.isArray(obj.children) ? obj.children : []).filter(
      (c): c is string =>
        typeof c === 'string' && isObject(objects[c]) && (objects[c] as Json).type === 'BuildingPart',
    );
    let own: ObjectGeometry | null;
    try {
      own = geometryOf(id);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      policy.invalid(id, e.reason);
      continue;
    }
    // A Building without geometry of its own (3DBAG's way) is drawn from its parts.
    let parts: ObjectGeometry[] = [];
    if (!own && kind === 'building') {
      try {
        parts = childParts.map(geometryOf).filter((g): g is ObjectGeometry => g !== null);
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        policy.invalid(id, `a part of it: ${e.reason}`);
        continue;
      }
    }
    if (!own && parts.length === 0) {
      policy.skip(id, `${obj.type} has no geometry${childParts.length ? ' (nor have its parts)' : ''}`);
      continue;
    }
    const attributes = scalarAttributes(obj.attributes);
    const f = buildingFromSolid({
      kind,
      sourceId: id,
      parentSourceId: kind === 'part' ? (parents[0] ?? null) : null,
      geometry: own ?? parts,
      fromParts: !own,
      format: 'CityJSON',
      attributes,
      name: typeof attributes.name === 'string' ? attributes.name : null,
      storeys: typeof attributes.storeysAboveGround === 'number' ? attributes.storeysAboveGround : null,
      statedHeightM: typeof attributes.measuredHeight === 'number' ? attributes.measuredHeight : null,
      toLonLat,
    });
    if ('error' in f) {
      policy.invalid(id, f.error);
      continue;
    }
    yield f;
  }
}

function documentCrs(doc: Json, options: ImportOptions): string {
  if (options.crs) return horizontalCrs(options.crs, { file: options.fileName });
  const rs = isObject(doc.metadata) ? doc.metadata.referenceSystem : undefined;
  if (typeof rs !== 'string') {
    throw new DataError(
      'unsupported-crs',
      'the file names no CRS (metadata.referenceSystem); give one, e.g. --crs EPSG:27700',
      { file: options.fileName },
    );
  }
  return horizontalCrs(rs, { file: options.fileName });
}

const decodeJson = (text: string, fail: (reason: string) => DataError, what: string): Json => {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw fail(`${what} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(doc)) throw fail(`${what} is not a JSON object`);
  return doc;
};

async function* parseCityJson(bytes: Uint8Array, options: ImportOptions): AsyncGenerator<ImportedFeature> {
  const policy = new RejectPolicy(options);
  const fail = (reason: string) => policy.fileError('invalid-cityjson', reason);
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  const firstLineEnd = text.indexOf('\n');
  const firstLine = firstLineEnd < 0 ? text : text.slice(0, firstLineEnd);
  const isSequence =
    /\.jsonl$/i.test(options.fileName) ||
    (firstLineEnd >= 0 &&
      /"type"\s*:\s*"CityJSONFeature"/.test(text.slice(firstLineEnd, firstLineEnd + 4096)));
  const doc = decodeJson(isSequence ? firstLine : text, fail, isSequence ? 'line 1' : 'the file');
  if (doc.type !== 'CityJSON') throw fail(`"type" is ${JSON.stringify(doc.type)}, not "CityJSON"`);
  if (typeof doc.version === 'string' && !/^(1\.1|2\.\d)/.test(doc.version)) {
    throw policy.fileError(
      'unsupported-format',
      `CityJSON version ${doc.version} is not supported (1.1 and 2.x are)`,
    );
  }
  const crs = documentCrs(doc, options);
  const transform = readTransform(doc, fail);

  if (!isSequence) {
    const vertices = realVertices(doc.vertices, transform, fail);
    if (!isObject(doc.CityObjects)) throw fail('"CityObjects" is missing');
    const progress = progressReporter(options, 'objects', Object.keys(doc.CityObjects).length, 500);
    let n = 0;
    const breathe = eventLoopBreather();
    for (const f of objectFeatures(doc.CityObjects, vertices, crs, options, policy)) {
      yield f;
      await breathe();
      progress.tick(++n);
    }
    progress.done(n);
    return;
  }
  // Text sequence: one CityJSONFeature per line, vertices local to the line, transform from line 1.
  const progress = progressReporter(options, 'bytes', bytes.length, 1 << 20);
  const breathe = eventLoopBreather();
  let pos = firstLineEnd < 0 ? text.length : firstLineEnd + 1;
  let lineNo = 1;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos) < 0 ? text.length : text.indexOf('\n', pos);
    const line = text.slice(pos, end).trim();
    lineNo++;
    pos = end + 1;
    if (!line) continue;
    const feature = decodeJson(line, fail, `line ${lineNo}`);
    if (feature.type !== 'CityJSONFeature')
      throw fail(`line ${lineNo} is a ${String(feature.type)}, not a CityJSONFeature`);
    if (!isObject(feature.CityObjects)) throw fail(`line ${lineNo} has no "CityObjects"`);
    const vertices = realVertices(feature.vertices, transform, (r) => fail(`line ${lineNo}: ${r}`));
    yield* objectFeatures(feature.CityObjects, vertices, crs, options, policy);
    progress.tick(pos);
    await breathe();
  }
  progress.done(bytes.length);
}

function cityJsonMeta(fileName: string, bytes?: Uint8Array): Partial<DatasetMeta> {
  const meta: Partial<DatasetMeta> = {};
  if (!bytes) return meta;
  let doc: Json;
  try {
    const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
    const nl = text.indexOf('\n');
    const sequence = /\.jsonl$/i.test(fileName) && nl >= 0;
    const parsed: unknown = JSON.parse(sequence ? text.slice(0, nl) : text);
    if (!isObject(parsed)) return meta;
    doc = parsed;
  } catch {
    return meta;
  }
  const md = isObject(doc.metadata) ? doc.metadata : {};
  if (typeof md.referenceSystem === 'string') {
    try {
      meta.crs = horizontalCrs(md.referenceSystem);
    } catch {
      meta.crs = md.referenceSystem;
    }
  }
  if (typeof md.title === 'string') meta.title = md.title;
  if (typeof md.referenceDate === 'string') meta.vintage = md.referenceDate;
  // CityJSON 2.0 metadata has no licence field; the point of contact is the data's named owner.
  const poc = isObject(md.pointOfContact) ? md.pointOfContact : null;
  const owner = poc && (typeof poc.organization === 'string' ? poc.organization : poc.contactName);
  if (typeof owner === 'string' && owner.trim()) meta.attribution = `© ${owner.trim()}`;
  return meta;
}

export const cityJsonImporter: Importer = {
  name: 'cityjson',
  extensions: ['.city.json', '.city.jsonl', '.jsonl'],
  meta: cityJsonMeta,
  detect: (head, fileName) => {
    const text = headText(head);
    if (text.startsWith('{')) return /"type"\s*:\s*"CityJSON"/.test(text);
    return text === '' && /\.city\.jsonl?$/.test(baseName(fileName));
  },
  parse: parseCityJson,
};

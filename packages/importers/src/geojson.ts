import {
  type BuildingFeature,
  cleanRing,
  type DatasetMeta,
  type ImportedFeature,
  type MultiPolygon2,
  orientPolygon,
  type PointTransform,
  polygonProblem,
  transformer,
} from '@placetwin/geo';
import { coordinateCheck, horizontalCrs } from './crs';
import { deriveHeight } from './height';
import {
  baseName,
  eventLoopBreather,
  headText,
  type Importer,
  type ImportOptions,
  progressReporter,
  RejectPolicy,
} from './types';
import { useClass, useFromProperty } from './use';

/**
 * GeoJSON FeatureCollections (or one Feature) of building footprints: Polygon and MultiPolygon features.
 * CRS: options.crs, else the file's old-style `crs` member (GeoJSON 2008), else EPSG:4326 (RFC 7946).
 * Properties read like OSM tags: `height` (number or "12 m"), `levels` or `building:levels`, `min_height`,
 * `building`, `name`, `use` (a use class or a building type); `building:part` (or `kind: "part"`) makes a part.
 * Every scalar property is kept in `attributes`. sourceId: the feature's `id`, else a property `id`,
 * else its index in the collection.
 * The whole file is parsed with JSON.parse (memory ≈ 5-10× the file): fine for a district's buildings.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The CRS named by a GeoJSON 2008 `crs` member, or null when there is none. */
export function geoJsonCrsName(doc: Json): string | null {
  const crs = doc.crs;
  if (!isObject(crs)) return null;
  const props = isObject(crs.properties) ? crs.properties : {};
  if (crs.type === 'name' && typeof props.name === 'string') return props.name;
  if (crs.type === 'EPSG' && (typeof props.code === 'number' || typeof props.code === 'string'))
    return `EPSG:${props.code}`;
  return `${String(crs.type)} ${JSON.stringify(props)}`;
}

/** Validates one GeoJSON polygon's rings (source CRS) → cleaned open rings, or the reason it is invalid. */
function readPolygon(
  coordinates: unknown,
  check: (x: number, y: number) => string | null,
  label: string,
): Float64Array[] | string {
  if (!Array.isArray(coordinates) || coordinates.length === 0) return `${label} has no rings`;
  const rings: Float64Array[] = [];
  for (let r = 0; r < coordinates.length; r++) {
    const ring = coordinates[r];
    const what = `${label}${r === 0 ? ' outer ring' : ` inner ring ${r}`}`;
    if (!Array.isArray(ring)) return `${what} is not an array of positions`;
    if (ring.length < 4) return `${what} has ${ring.length} positions; a closed ring needs at least 4`;
    const flat = new Float64Array(ring.length * 2);
    for (let i = 0; i < ring.length; i++) {
      const p = ring[i];
      if (!Array.isArray(p) || p.length < 2) return `${what} position ${i} is not [x, y]`;
      const [x, y] = p;
      if (typeof x !== 'number' || typeof y !== 'number') return `${what} position ${i} is not numeric`;
      const problem = check(x, y);
      if (problem) return `${what} position ${i}: ${problem}`;
      flat[i * 2] = x;
      flat[i * 2 + 1] = y;
    }
    if (flat[0] !== flat[flat.length - 2] || flat[1] !== flat[flat.length - 1]) {
      return `${what} is not closed (first position (${flat[0]}, ${flat[1]}) differs from the last (${flat[flat.length - 2]}, ${flat[flat.length - 1]}))`;
    }
    rings.push(cleanRing(flat));
  }
  const problem = polygonProblem(rings);
  return problem ? `${label} ${problem}` : rings;
}

const toLonLatRings = (rings: Float64Array[], toLonLat: PointTransform): Float64Array[] =>
  rings.map((r) => {
    const out = new Float64Array(r.length);
    for (let i = 0; i < r.length; i += 2) {
      const [lon, lat] = toLonLat(r[i], r[i + 1]);
      out[i] = lon;
      out[i + 1] = lat;
    }
    return out;
  });

function scalarProperties(props: Json): BuildingFeature['attributes'] {
  const out: BuildingFeature['attributes'] = {};
  for (const [k, v] of Object.entries(props)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else out[k] = JSON.stringify(v);
  }
  return out;
}

/** One GeoJSON Feature → a building (or part), or the reason it cannot be one. */
function featureToBuilding(
  feature: unknown,
  index: number,
  check: (x: number, y: number) => string | null,
  toLonLat: PointTransform,
): { sourceId: string; building?: BuildingFeature; error?: string } {
  if (!isObject(feature) || feature.type !== 'Feature')
    return { sourceId: String(index), error: 'not a GeoJSON Feature' };
  const props = isObject(feature.properties) ? feature.properties : {};
  const rawId =
    typeof feature.id === 'string' || typeof feature.id === 'number'
      ? feature.id
      : typeof props.id === 'string' || typeof props.id === 'number'
        ? props.id
        : index;
  const sourceId = String(rawId);
  const geometry = feature.geometry;
  if (!isObject(geometry)) return { sourceId, error: 'feature has no geometry' };
  let polygons: unknown[];
  if (geometry.type === 'Polygon') polygons = [geometry.coordinates];
  else if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates))
    polygons = geometry.coordinates;
  else return { sourceId, error: `geometry type ${String(geometry.type)} is not a Polygon or MultiPolygon` };
  if (polygons.length === 0) return { sourceId, error: 'MultiPolygon has no polygons' };

  const footprint: MultiPolygon2 = [];
  for (let p = 0; p < polygons.length; p++) {
    const rings = readPolygon(polygons[p], check, polygons.length > 1 ? `polygon ${p}` : 'polygon');
    if (typeof rings === 'string') return { sourceId, error: rings };
    footprint.push(orientPolygon(toLonLatRings(rings, toLonLat)));
  }

  const tags: Json = { ...props };
  if (tags['building:levels'] == null && tags.levels != null) tags['building:levels'] = tags.levels;
  const h = deriveHeight(tags, 'GeoJSON');
  const part = (props['building:part'] != null && props['building:part'] !== 'no') || props.kind === 'part';
  return {
    sourceId,
    building: {
      kind: part ? 'part' : 'building',
      sourceId,
      parentSourceId: typeof props.parent === 'string' ? props.parent : null,
      footprint,
      minHeightM: h.minHeightM,
      heightM: h.heightM,
      heightSource: h.heightSource,
      heightMethod: h.heightMethod,
      storeys: h.storeys,
      use: useFromProperty(props.use) ?? useClass(props),
      name: typeof props.name === 'string' ? props.name : null,
      groundElevationM: null,
      attributes: scalarProperties(props),
    },
  };
}

async function* parseGeoJson(bytes: Uint8Array, options: ImportOptions): AsyncGenerator<ImportedFeature> {
  const policy = new RejectPolicy(options);
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw policy.fileError('invalid-json', `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(doc)) throw policy.fileError('invalid-geojson', 'the file is not a GeoJSON object');
  const features = doc.type === 'FeatureCollection' ? doc.features : doc.type === 'Feature' ? [doc] : null;
  if (!Array.isArray(features)) {
    throw policy.fileError(
      'invalid-geojson',
      `"type" is ${JSON.stringify(doc.type)}; expected FeatureCollection or Feature`,
    );
  }
  const named = geoJsonCrsName(doc);
  const crs = horizontalCrs(options.crs ?? named ?? 'EPSG:4326', { file: options.fileName });
  const check = coordinateCheck(crs);
  const toLonLat = transformer(crs, 'EPSG:4326');
  const seen = new Set<string>();
  const progress = progressReporter(options, 'features', features.length);
  const breathe = eventLoopBreather();
  for (let i = 0; i < features.length; i++) {
    await breathe();
    const r = featureToBuilding(features[i], i, check, toLonLat);
    progress.tick(i + 1);
    if (r.error) {
      policy.invalid(r.sourceId, r.error);
      continue;
    }
    if (seen.has(r.sourceId)) {
      policy.invalid(r.sourceId, `duplicate feature id "${r.sourceId}" (feature ${i})`, 'duplicate-id');
      continue;
    }
    seen.add(r.sourceId);
    yield r.building!;
  }
  progress.done(features.length);
}

function geoJsonMeta(_fileName: string, bytes?: Uint8Array): Partial<DatasetMeta> {
  // The crs member comes before the features in files written by GDAL/QGIS: reading the head suffices.
  const named = bytes
    ? /"crs"\s*:\s*\{[^}]*"name"\s*:\s*"([^"]+)"/.exec(headText(bytes, 65536))?.[1]
    : undefined;
  if (!named) return { crs: 'EPSG:4326' };
  try {
    return { crs: horizontalCrs(named) };
  } catch {
    return { crs: named };
  }
}

export const geoJsonImporter: Importer = {
  name: 'geojson',
  extensions: ['.geojson', '.json'],
  meta: geoJsonMeta,
  detect: (head, fileName) => {
    const text = headText(head);
    if (text.startsWith('{')) {
      return /"type"\s*:\s*"(FeatureCollection|Feature)"/.test(text) && !/"type"\s*:\s*"CityJSON/.test(text);
    }
    return text === '' && baseName(fileName).endsWith('.geojson');
  },
  parse: parseGeoJson,
};

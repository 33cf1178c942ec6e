import {
  type BuildingFeature,
  DataError,
  type DatasetMeta,
  type ImportedFeature,
  type PointTransform,
  type Surface,
  transformer,
} from '@placetwin/geo';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { horizontalCrs } from './crs';
import { buildingFromSolid, type ObjectGeometry } from './solid-building';
import type { SourceSurface } from './surfaces';
import { baseName, headText, type Importer, type ImportOptions, RejectPolicy } from './types';

/**
 * CityGML 2.0 (and 1.0) buildings, streamed with `saxes`: each bldg:Building (with its BuildingParts)
 * becomes features as soon as its closing tag is read.
 * - Geometry: gml:Polygon (and gml:Triangle) rings from gml:posList, gml:pos or gml:coordinates, inside any
 *   lodN* geometry property (lodNSolid, lodNMultiSurface, boundedBy/…/lodNMultiSurface, lodNGeometry).
 *   Per object the highest LoD present is used; lod0FootPrint serves as footprint when nothing else exists.
 *   Polygons referenced by xlink:href are read where they are defined, so a solid of xlinks to its
 *   boundedBy surfaces is read once.
 * - Semantics: RoofSurface → roof, WallSurface → wall, GroundSurface → ground, other boundary surfaces
 *   (ClosureSurface, OuterCeilingSurface, OuterFloorSurface) → other.
 * - LoD3/4: openings (Window, Door) are kept as `other` surfaces, so walls cut for them are not left with
 *   holes; BuildingInstallations (balconies, chimneys, stairs), interiors (rooms, furniture) and
 *   appearances are skipped.
 * - CRS: the first srsName in the file (Envelope or geometry), any form geo or crs.ts reads (incl. the UK
 *   compound `urn:ogc:def:crs,crs:EPSG::27700,crs:EPSG::5701`); options.crs overrides it.
 */

const CHUNK_BYTES = 1 << 20;

const SEMANTIC: Record<string, Surface['semantic']> = {
  RoofSurface: 'roof',
  WallSurface: 'wall',
  GroundSurface: 'ground',
  ClosureSurface: 'other',
  OuterCeilingSurface: 'other',
  OuterFloorSurface: 'other',
  Window: 'other',
  Door: 'other',
};
/** Subtrees whose geometry is not part of the building shell. */
const SKIPPED = new Set([
  'outerBuildingInstallation',
  'interiorBuildingInstallation',
  'BuildingInstallation',
  'IntBuildingInstallation',
  'interiorRoom',
  'Room',
  'interiorFurniture',
  'BuildingFurniture',
  'appearance',
  'appearanceMember',
  'Appearance',
  'lod1TerrainIntersection',
  'lod2TerrainIntersection',
  'lod3TerrainIntersection',
  'lod4TerrainIntersection',
]);
/** Building properties kept as attributes, by local name. */
const ATTRIBUTE_ELEMENTS = new Set([
  'class',
  'function',
  'usage',
  'yearOfConstruction',
  'yearOfDemolition',
  'roofType',
  'storeysBelowGround',
  'storeyHeightsAboveGround',
  'storeyHeightsBelowGround',
  'description',
  'creationDate',
]);
const ADDRESS_ELEMENTS: Record<string, string> = {
  ThoroughfareName: 'addr:street',
  ThoroughfareNumber: 'addr:housenumber',
  PostalCodeNumber: 'addr:postcode',
  LocalityName: 'addr:city',
};

interface Polygon {
  rings: Float64Array[];
  semantic: Surface['semantic'] | null;
  lod: number;
  footprint: boolean;
}

interface BuildingContext {
  kind: 'building' | 'part';
  id: string;
  parentId: string | null;
  depth: number;
  name: string | null;
  measuredHeight: number | null;
  storeys: number | null;
  attributes: BuildingFeature['attributes'];
  polygons: Polygon[];
  /** Finished parts: their features and geometry (for a building with none of its own). */
  parts: { feature: BuildingFeature; geometry: ObjectGeometry }[];
  anonymousParts: number;
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
const numberOrText = (s: string): string | number => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);

/** Geometry of the highest LoD an object has (lod0 footprints only as a hint). */
function chooseGeometry(polygons: Polygon[]): ObjectGeometry | null {
  const solids = polygons.filter((p) => !p.footprint);
  const footprints = polygons.filter((p) => p.footprint);
  if (solids.length === 0 && footprints.length === 0) return null;
  const lod = solids.length ? Math.max(...solids.map((p) => p.lod)) : 0;
  const surfaces: SourceSurface[] = solids
    .filter((p) => p.lod === lod)
    .map((p) => ({ rings: p.rings, semantic: p.semantic }));
  return {
    surfaces,
    lod: String(lod),
    footprintHint: surfaces.length ? undefined : footprints.map((p) => p.rings),
  };
}

async function* parseCityGml(bytes: Uint8Array, options: ImportOptions): AsyncGenerator<ImportedFeature> {
  const policy = new RejectPolicy(options);
  const parser = new SaxesParser({ xmlns: false, position: true });
  const queue: BuildingFeature[] = [];
  let error: unknown = null;

  let depth = 0;
  let srsName: string | null = null;
  let toLonLat: PointTransform | null = null;
  let sawCityModel = false;
  const buildings: BuildingContext[] = [];
  const semantics: { semantic: Surface['semantic']; depth: number }[] = [];
  const lods: { lod: number; footprint: boolean; depth: number }[] = [];
  const dims: { dim: number; depth: number }[] = [];
  let skipDepth = -1;
  let polygon: { rings: Float64Array[] } | null = null;
  let ring: number[] | null = null;
  let ringDim = 3;
  let text = '';
  let genAttribute: { name: string; depth: number } | null = null;
  let inAddress = -1;

  const lonLat = (): PointTransform => {
    if (toLonLat) return toLonLat;
    const crs = options.crs ?? srsName;
    if (!crs) {
      throw new DataError(
        'unsupported-crs',
        'the file names no CRS (no srsName); give one, e.g. --crs EPSG:27700',
        {
          file: options.fileName,
        },
      );
    }
    toLonLat = transformer(horizontalCrs(crs, { file: options.fileName }), 'EPSG:4326');
    return toLonLat;
  };

  const finish = (b: BuildingContext): void => {
    const own = chooseGeometry(b.polygons);
    const partGeometries = b.parts.map((p) => p.geometry);
    const geometry = own ?? (partGeometries.length ? partGeometries : null);
    let feature: BuildingFeature | null = null;
    if (!geometry) policy.skip(b.id, `${b.kind === 'part' ? 'BuildingPart' : 'Building'} has no geometry`);
    else {
      const f = buildingFromSolid({
        kind: b.kind,
        sourceId: b.id,
        parentSourceId: b.parentId,
        geometry,
        fromParts: !own,
        format: 'CityGML',
        attributes: b.attributes,
        name: b.name,
        storeys: b.storeys,
        statedHeightM: b.measuredHeight,
        toLonLat: lonLat(),
      });
      if ('error' in f) policy.invalid(b.id, f.error);
      else feature = f;
    }
    const parent = buildings[buildings.length - 1];
    if (b.kind === 'part' && parent) {
      if (feature && own) parent.parts.push({ feature, geometry: own });
      return;
    }
    if (feature) queue.push(feature);
    for (const p of b.parts) queue.push(p.feature);
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    depth++;
    text = '';
    const name = localName(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    if (name === 'CityModel') sawCityModel = true;
    if (attrs.srsName && srsName === null) srsName = attrs.srsName;
    if (attrs.srsDimension) dims.push({ dim: Number(attrs.srsDimension), depth });
    if (skipDepth >= 0) return;
    const current = buildings[buildings.length - 1];

    if (name === 'Building' || name === 'BuildingPart') {
      const kind = name === 'Building' ? 'building' : 'part';
      const gmlId = attrs['gml:id'] ?? attrs.id;
      const id = gmlId ?? (current ? `${current.id}/part-${++current.anonymousParts}` : null);
      if (!id) {
        policy.invalid(null, `a ${name} without gml:id at line ${parser.line}`, 'invalid-citygml');
      }
      buildings.push({
        kind,
        id: id ?? `line-${parser.line}`,
        parentId: kind === 'part' ? (current?.id ?? null) : null,
        depth,
        name: null,
        measuredHeight: null,
        storeys: null,
        attributes: {},
        polygons: [],
        parts: [],
        anonymousParts: 0,
      });
      return;
    }
    if (!current) return;
    if (SKIPPED.has(name)) {
      skipDepth = depth;
      return;
    }
    if (SEMANTIC[name]) semantics.push({ semantic: SEMANTIC[name], depth });
    const lod = /^lod(\d)/.exec(name);
    if (lod && /(Solid|MultiSurface|CompositeSurface|Geometry|FootPrint)$/.test(name)) {
      lods.push({ lod: Number(lod[1]), footprint: name.endsWith('FootPrint'), depth });
    }
    if (name === 'address') inAddress = depth;
    if (
      depth === current.depth + 1 &&
      /^(string|int|double|date|uri|measure)Attribute$/.test(name) &&
      attrs.name
    ) {
      genAttribute = { name: attrs.name, depth };
    }
    if (name === 'Polygon' || name === 'Triangle') polygon = { rings: [] };
    else if (name === 'LinearRing' && polygon) {
      ring = [];
      ringDim = dims.length ? dims[dims.length - 1].dim : 3;
    } else if ((name === 'posList' || name === 'pos') && ring && attrs.srsDimension) {
      ringDim = Number(attrs.srsDimension);
    }
  });

  parser.on('text', (t) => {
    text += t;
  });

  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    const current = buildings[buildings.length - 1];
    const value = text.trim();
    try {
      if (skipDepth >= 0) {
        if (depth === skipDepth) skipDepth = -1;
        return;
      }
      if (current && depth === current.depth && (name === 'Building' || name === 'BuildingPart')) {
        buildings.pop();
        finish(current);
        return;
      }
      if (!current) return;
      if ((name === 'posList' || name === 'pos' || name === 'coordinates') && ring) {
        const numbers = value
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number);
        const dim = name === 'coordinates' ? (value.split(/\s+/)[0]?.split(',').length ?? 3) : ringDim;
        if (numbers.length % dim !== 0 || numbers.some((n) => !Number.isFinite(n))) {
          throw new DataError(
            'invalid-geometry',
            `gml:${name} at line ${parser.line} has ${numbers.length} values, not a whole number of ${dim}-D positions`,
            {
              file: options.fileName,
              featureId: current.id,
            },
          );
        }
        for (let i = 0; i < numbers.length; i += dim)
          ring.push(numbers[i], numbers[i + 1], dim >= 3 ? numbers[i + 2] : 0);
      } else if (name === 'LinearRing' && ring && polygon) {
        polygon.rings.push(Float64Array.from(ring));
        ring = null;
      } else if ((name === 'Polygon' || name === 'Triangle') && polygon) {
        const lod = lods[lods.length - 1];
        if (lod && polygon.rings.length > 0) {
          current.polygons.push({
            rings: polygon.rings,
            semantic: semantics.length ? semantics[semantics.length - 1].semantic : null,
            lod: lod.lod,
            footprint: lod.footprint,
          });
        }
        polygon = null;
      } else if (depth === current.depth + 1) {
        if (name === 'name' && current.name === null && value) current.name = value;
        else if (name === 'measuredHeight')
          current.measuredHeight = Number.isFinite(Number(value)) ? Number(value) : null;
        else if (name === 'storeysAboveGround')
          current.storeys = Number.isFinite(Number(value)) ? Number(value) : null;
        else if (ATTRIBUTE_ELEMENTS.has(name) && value) current.attributes[name] = numberOrText(value);
        if (name === 'measuredHeight' || name === 'storeysAboveGround')
          current.attributes[name] = numberOrText(value);
      } else if (genAttribute && name === 'value' && depth === genAttribute.depth + 1) {
        current.attributes[genAttribute.name] = numberOrText(value);
      } else if (inAddress >= 0 && ADDRESS_ELEMENTS[name] && value) {
        current.attributes[ADDRESS_ELEMENTS[name]] = value;
      }
    } catch (e) {
      error ??= e;
    } finally {
      if (semantics.length && semantics[semantics.length - 1].depth === depth) semantics.pop();
      if (lods.length && lods[lods.length - 1].depth === depth) lods.pop();
      if (dims.length && dims[dims.length - 1].depth === depth) dims.pop();
      if (genAttribute?.depth === depth) genAttribute = null;
      if (inAddress === depth) inAddress = -1;
      text = '';
      depth--;
    }
  });
  parser.on('error', (e) => {
    error ??= new DataError('invalid-xml', `not well-formed XML: ${e.message}`, { file: options.fileName });
  });

  const decoder = new TextDecoder('utf-8');
  for (let pos = 0; pos < bytes.length; pos += CHUNK_BYTES) {
    const end = Math.min(bytes.length, pos + CHUNK_BYTES);
    try {
      parser.write(decoder.decode(bytes.subarray(pos, end), { stream: end < bytes.length }));
    } catch (e) {
      error ??= e;
    }
    if (error) throw error;
    yield* queue.splice(0);
    options.onProgress?.({ done: end, total: bytes.length, unit: 'bytes' });
  }
  parser.close();
  if (error) throw error;
  yield* queue.splice(0);
  if (!sawCityModel) {
    throw new DataError('invalid-citygml', 'no CityModel element: not a CityGML file', {
      file: options.fileName,
    });
  }
}

/** The first srsName in the file head. */
const srsNameIn = (head: string): string | null => /\bsrsName="([^"]+)"/.exec(head)?.[1] ?? null;

function cityGmlMeta(_fileName: string, bytes?: Uint8Array): Partial<DatasetMeta> {
  if (!bytes) return {};
  const head = headText(bytes, 65536);
  const srs = srsNameIn(head);
  const meta: Partial<DatasetMeta> = {};
  if (srs) {
    try {
      meta.crs = horizontalCrs(srs);
    } catch {
      meta.crs = srs;
    }
  }
  return meta;
}

export const cityGmlImporter: Importer = {
  name: 'citygml',
  extensions: ['.gml', '.citygml', '.xml'],
  meta: cityGmlMeta,
  detect: (head, fileName) => {
    const text = headText(head);
    if (text.startsWith('<'))
      return /<([\w-]+:)?CityModel[\s>]/.test(text) && /opengis\.net\/citygml/.test(text);
    return text === '' && /\.(gml|citygml)$/.test(baseName(fileName));
  },
  parse: parseCityGml,
};

/**
 * Importing an architect's massing file into a scenario: a GeoJSON FeatureCollection (or one Feature or geometry)
 * of Polygon/MultiPolygon footprints in WGS84 degrees, each with its storeys and/or height and use in its
 * properties, becomes one `add` change per feature. Every problem names the feature and says what to fix; a file
 * with any problem adds nothing (the server checks the rest: overlaps, the dataset's extent, limits).
 */
import { addChange, type Change, HEIGHT_MAX_M, STOREYS_MAX, USES, type Use } from './scenario';
import type { LonLat } from './sunHours';

export interface MassingImport {
  changes: Change[];
  /** One line per building, for the confirmation. */
  summary: string[];
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

const first = (p: Record<string, unknown>, keys: string[]): unknown => {
  for (const k of keys) if (p[k] !== undefined && p[k] !== null && p[k] !== '') return p[k];
  return undefined;
};

const asNumber = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.replace(/\s*m$/, '')) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

function ringOf(ring: unknown, where: string): LonLat[] | string {
  if (!Array.isArray(ring) || ring.length < 3) return `${where} has fewer than 3 corners`;
  const out: LonLat[] = [];
  for (const p of ring) {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number')
      return `${where}: a position is not [longitude, latitude]`;
    if (Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90)
      return `${where}: (${p[0]}, ${p[1]}) is not longitude/latitude; export the file in WGS84 degrees (EPSG:4326), not British National Grid metres`;
    out.push([p[0], p[1]]);
  }
  return out;
}

/** The outer ring of a Polygon (or of each MultiPolygon part): holes are not massing. */
function footprintRings(g: unknown): LonLat[][] | string {
  if (!isObj(g)) return 'has no geometry';
  if (g.type === 'Polygon') {
    const r = ringOf((g.coordinates as unknown[])?.[0], 'its outer ring');
    return typeof r === 'string' ? r : [r];
  }
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
    const out: LonLat[][] = [];
    for (const [i, poly] of g.coordinates.entries()) {
      const r = ringOf((poly as unknown[])?.[0], `part ${i + 1}`);
      if (typeof r === 'string') return r;
      out.push(r);
    }
    return out.length ? out : 'is an empty MultiPolygon';
  }
  return `is a ${String(g.type)}, not a Polygon or MultiPolygon footprint`;
}

/**
 * The changes a massing file adds, or the problems (one line each) that stop it. `taken` are the ids already used
 * in the scenario; `defaultUse` is for features without a use.
 */
export function massingFromGeoJson(
  text: string,
  taken: ReadonlySet<string>,
  defaultUse: Use = 'residential',
): MassingImport | { problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { problems: ['The file is not JSON: choose a GeoJSON file (.geojson or .json).'] };
  }
  if (isObj(doc) && doc.type === 'CityJSON')
    return {
      problems: [
        'CityJSON massing cannot be imported here yet: export the footprints as GeoJSON with storeys or height, or add them with the SDK (placetwin run).',
      ],
    };
  if (isObj(doc) && isObj(doc.crs)) {
    const name = String((doc.crs.properties as Record<string, unknown> | undefined)?.name ?? '');
    if (!/CRS84|4326/.test(name))
      return {
        problems: [`The file is in ${name || 'another CRS'}: export it in WGS84 degrees (EPSG:4326).`],
      };
  }
  const features: unknown[] = !isObj(doc)
    ? []
    : doc.type === 'FeatureCollection' && Array.isArray(doc.features)
      ? doc.features
      : doc.type === 'Feature'
        ? [doc]
        : doc.type === 'Polygon' || doc.type === 'MultiPolygon'
          ? [{ type: 'Feature', geometry: doc, properties: {} }]
          : [];
  if (features.length === 0)
    return { problems: ['No footprints found: the file must be a GeoJSON FeatureCollection of Polygons.'] };

  const problems: string[] = [];
  const changes: Change[] = [];
  const summary: string[] = [];
  const ids = new Set(taken);
  for (const [i, f] of features.entries()) {
    const p = isObj(f) && isObj(f.properties) ? f.properties : {};
    const rawName = first(p, ['name', 'Name', 'NAME', 'label']);
    const name = rawName === undefined ? '' : String(rawName).trim();
    const label = `Feature ${i + 1}${name ? ` (“${name}”)` : ''}`;
    const rings = footprintRings(isObj(f) ? f.geometry : null);
    if (typeof rings === 'string') {
      problems.push(`${label} ${rings}.`);
      continue;
    }
    const useText = first(p, ['use', 'Use', 'building']);
    const use = useText === undefined ? defaultUse : USES.find((u) => u === String(useText).toLowerCase());
    if (!use) {
      problems.push(`${label}: use “${String(useText)}” is not one of ${USES.join(', ')}.`);
      continue;
    }
    const storeysRaw = first(p, ['storeys', 'stories', 'levels', 'building:levels']);
    const heightRaw = first(p, ['heightM', 'height', 'height_m']);
    const storeys = storeysRaw === undefined ? null : asNumber(storeysRaw);
    const heightM = heightRaw === undefined ? null : asNumber(heightRaw);
    if (
      storeysRaw !== undefined &&
      (storeys === null || !Number.isInteger(storeys) || storeys < 1 || storeys > STOREYS_MAX)
    ) {
      problems.push(
        `${label}: storeys “${String(storeysRaw)}” must be a whole number from 1 to ${STOREYS_MAX}.`,
      );
      continue;
    }
    if (heightRaw !== undefined && (heightM === null || heightM <= 0 || heightM > HEIGHT_MAX_M)) {
      problems.push(
        `${label}: height “${String(heightRaw)}” must be a number of metres above 0, at most ${HEIGHT_MAX_M}.`,
      );
      continue;
    }
    if (storeys === null && heightM === null) {
      problems.push(`${label} has neither storeys nor height: add a “storeys” or “height” (m) property.`);
      continue;
    }
    for (const [k, ring] of rings.entries()) {
      const partName =
        rings.length > 1 ? `${name || `Imported ${i + 1}`} part ${k + 1}` : name || `Imported ${i + 1}`;
      const change = addChange(ring, { name: partName, use, storeys, heightM }, ids);
      ids.add(change.id);
      changes.push(change);
      summary.push(
        `${partName}: ${use}, ${[storeys !== null && `${storeys} storeys`, heightM !== null && `${heightM} m`].filter(Boolean).join(', ')}`,
      );
    }
  }
  return problems.length ? { problems } : { changes, summary };
}

/** Which import path a massing file takes: GeoJSON is read here; CityJSON and glTF are read by the server. */
export type MassingFileKind = 'geojson' | 'cityjson' | 'glb';

/** From the file's first bytes (glTF magic, a CityJSON "type"), then its name. */
export function massingFileKind(fileName: string, head: Uint8Array): MassingFileKind {
  const text = new TextDecoder().decode(head.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (text.startsWith('glTF') || /\.glb$/i.test(fileName)) return 'glb';
  if (/"type"\s*:\s*"CityJSON"/.test(text) || /\.city\.json$/i.test(fileName)) return 'cityjson';
  return 'geojson';
}

/** A site origin typed as "longitude, latitude" (or blank: the server's default), or a sentence saying why not. */
export function parseOrigin(text: string): [number, number] | null | string {
  if (!text.trim()) return null;
  const parts = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n)))
    return 'Give the site origin as longitude, latitude in degrees, e.g. -0.7348, 52.6734.';
  const [lon, lat] = parts;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90)
    return `(${lon}, ${lat}) is not a longitude and latitude in degrees.`;
  return [lon, lat];
}

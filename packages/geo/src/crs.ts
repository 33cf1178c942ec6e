import proj4 from 'proj4';
import { DataError } from './errors';

/**
 * Coordinate reference systems Placetwin knows by EPSG code.
 * ETRS89 (EPSG:4258) is treated as WGS84 (EPSG:4326), as Ordnance Survey does for OS Net / OSTN15 work:
 * the two differ by well under a metre in GB, below the accuracy of the sources we import.
 */
const HELMERT_OSGB36 = '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489';
const bngDef = (shift: string) =>
  `+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ${shift} +units=m +no_defs`;

const STATIC_DEFS: Record<string, string> = {
  'EPSG:4258': '+proj=longlat +ellps=GRS80 +no_defs',
  'EPSG:4978': '+proj=geocent +datum=WGS84 +units=m +no_defs',
  'EPSG:28992':
    '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs',
};

/** Compound CRSs whose horizontal part is all we transform (heights stay in their vertical datum). */
const COMPOUND_HORIZONTAL: Record<string, string> = {
  'EPSG:7415': 'EPSG:28992', // Amersfoort / RD New + NAP height
  'EPSG:7405': 'EPSG:27700', // OSGB36 / British National Grid + ODN height
  'EPSG:4979': 'EPSG:4326',
  'EPSG:4937': 'EPSG:4326',
  'EPSG:3067': 'EPSG:3067',
};

let bngMethod: 'ostn15' | 'helmert' = 'helmert';

function ensureDefined(code: string): void {
  if (proj4.defs(code)) return;
  const m = /^EPSG:(32[67])(\d\d)$/.exec(code);
  if (m) {
    const zone = Number(m[2]);
    if (zone >= 1 && zone <= 60) {
      proj4.defs(
        code,
        `+proj=utm +zone=${zone}${m[1] === '327' ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`,
      );
      return;
    }
  }
  const etrsUtm = /^EPSG:258(2[89]|3\d)$/.exec(code);
  if (etrsUtm) {
    proj4.defs(code, `+proj=utm +zone=${Number(code.slice(-2))} +ellps=GRS80 +units=m +no_defs`);
    return;
  }
  const def = STATIC_DEFS[code];
  if (def) {
    proj4.defs(code, def);
    return;
  }
  throw new DataError('unsupported-crs', `unsupported coordinate reference system ${code}`);
}

proj4.defs('EPSG:27700', bngDef(HELMERT_OSGB36));

/**
 * Registers Ordnance Survey's OSTN15 grid (NTv2 .gsb, OSGB36 → ETRS89) so that British National Grid
 * transforms reach millimetres instead of the ~5 m of the Helmert fallback. The caller reads the file.
 */
export function registerOstn15Grid(gsb: ArrayBuffer): void {
  proj4.nadgrid('OSTN15', gsb);
  proj4.defs('EPSG:27700', bngDef('+nadgrids=OSTN15'));
  bngMethod = 'ostn15';
}

/** Which datum shift British National Grid transforms use now. */
export const bngTransformMethod = (): 'ostn15' | 'helmert' => bngMethod;

/**
 * Normalises the ways files name a CRS (`EPSG:27700`, `urn:ogc:def:crs:EPSG::27700`,
 * `https://www.opengis.net/def/crs/EPSG/0/27700`, OGC CRS84) to `EPSG:nnnn`.
 * Throws DataError for anything it cannot name.
 */
export function normaliseCrs(name: string): string {
  const s = name.trim();
  if (/CRS84$/i.test(s) || /OGC\/1\.3\/CRS84/i.test(s)) return 'EPSG:4326';
  const m =
    /^EPSG:+(\d+)$/i.exec(s) ??
    /urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$/i.exec(s) ??
    /opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(s);
  if (!m) throw new DataError('unsupported-crs', `cannot read coordinate reference system "${name}"`);
  const code = `EPSG:${m[1]}`;
  return COMPOUND_HORIZONTAL[code] ?? code;
}

/** Throws DataError unless the CRS can be transformed. */
export function assertSupportedCrs(crs: string): string {
  const code = normaliseCrs(crs);
  ensureDefined(code);
  return code;
}

export type PointTransform = (x: number, y: number) => [number, number];

/** A 2D point transform between two CRSs (horizontal only). */
export function transformer(from: string, to: string): PointTransform {
  const a = assertSupportedCrs(from);
  const b = assertSupportedCrs(to);
  if (a === b) return (x, y) => [x, y];
  const conv = proj4(a, b);
  return (x, y) => {
    const r = conv.forward([x, y]);
    return [r[0], r[1]];
  };
}

/**
 * Transforms a flat coordinate array in place-free fashion: returns a new Float64Array with the first two
 * components of every `stride` transformed and any further components (heights) copied.
 */
export function transformCoords(
  coords: Float64Array,
  stride: number,
  from: string,
  to: string,
): Float64Array {
  const f = transformer(from, to);
  const out = new Float64Array(coords.length);
  for (let i = 0; i < coords.length; i += stride) {
    const [x, y] = f(coords[i], coords[i + 1]);
    out[i] = x;
    out[i + 1] = y;
    for (let k = 2; k < stride; k++) out[i + k] = coords[i + k];
  }
  return out;
}

/** WGS84 lon/lat (degrees) → British National Grid easting/northing (m). */
export const toBng = (lon: number, lat: number): [number, number] =>
  transformer('EPSG:4326', 'EPSG:27700')(lon, lat);
/** British National Grid easting/northing (m) → WGS84 lon/lat (degrees). */
export const fromBng = (e: number, n: number): [number, number] =>
  transformer('EPSG:27700', 'EPSG:4326')(e, n);

import { DataError } from '@placetwin/geo';

/** One row of an OS Open UPRN CSV: the UPRN and its point in British National Grid and in ETRS89/WGS84. */
export interface UprnPoint {
  uprn: string;
  /** Easting and northing, EPSG:27700 (m). */
  x: number;
  y: number;
  lat: number;
  lon: number;
  /** 1-based line of the file, for reports. */
  line: number;
}

/** OS Open UPRN's columns, in order (https://www.ordnancesurvey.co.uk/products/os-open-uprn). */
export const OS_OPEN_UPRN_COLUMNS = [
  'UPRN',
  'X_COORDINATE',
  'Y_COORDINATE',
  'LATITUDE',
  'LONGITUDE',
] as const;

/** A UPRN is a whole number of 1 to 12 digits (OS AddressBase); leading zeros are not written. */
export const UPRN_PATTERN = /^[1-9]\d{0,11}$/;

/** British National Grid's extent (m): eastings 0–700 km, northings 0–1,300 km. */
const BNG_MAX = { x: 700_000, y: 1_300_000 };

/**
 * Reads an OS Open UPRN CSV (`UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE`, header first). A bad row — wrong
 * column count, a UPRN that is not 1–12 digits, a coordinate that is not a number or lies outside Great Britain's
 * grid, a UPRN given twice — throws a DataError naming the file, the line and the reason. Blank lines are skipped.
 */
export function parseOsOpenUprnCsv(text: string, fileName: string): UprnPoint[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const bad = (line: number, reason: string) =>
    new DataError('invalid-row', reason, { file: fileName, featureId: `line ${line}` });
  const header = lines[0]?.split(',').map((h) =>
    h
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toUpperCase(),
  );
  if (!header || header.join(',') !== OS_OPEN_UPRN_COLUMNS.join(','))
    throw bad(
      1,
      `the header must be ${OS_OPEN_UPRN_COLUMNS.join(',')} (OS Open UPRN), not "${lines[0] ?? ''}"`,
    );
  const out: UprnPoint[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const line = i + 1;
    const cells = raw.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length !== OS_OPEN_UPRN_COLUMNS.length)
      throw bad(line, `expected ${OS_OPEN_UPRN_COLUMNS.length} columns, found ${cells.length}`);
    const [uprn, xs, ys, lats, lons] = cells;
    if (!UPRN_PATTERN.test(uprn)) throw bad(line, `UPRN "${uprn}" is not a number of 1 to 12 digits`);
    const first = seen.get(uprn);
    if (first !== undefined) throw bad(line, `UPRN ${uprn} is given twice (first on line ${first})`);
    seen.set(uprn, line);
    const num = (s: string, name: string) => {
      const v = s === '' ? Number.NaN : Number(s);
      if (!Number.isFinite(v)) throw bad(line, `${name} "${s}" is not a number`);
      return v;
    };
    const x = num(xs, 'X_COORDINATE');
    const y = num(ys, 'Y_COORDINATE');
    const lat = num(lats, 'LATITUDE');
    const lon = num(lons, 'LONGITUDE');
    if (x < 0 || x > BNG_MAX.x || y < 0 || y > BNG_MAX.y)
      throw bad(line, `point (${x}, ${y}) is outside the British National Grid (EPSG:27700)`);
    if (lat < 49 || lat > 61 || lon < -9 || lon > 2.5)
      throw bad(line, `LATITUDE/LONGITUDE (${lat}, ${lon}) is outside Great Britain`);
    out.push({ uprn, x, y, lat, lon, line });
  }
  return out;
}

/**
 * A sun-hours grid (British National Grid metres) as the files people use: GeoJSON cells in WGS84, CSV, and PNG
 * images coloured by one legend (the same legend the API returns and the viewer draws).
 */
import { type BBox, DataError } from '@placetwin/geo';
import { CELL_OPEN, CELL_UNDER_OBSTACLE, type SunHoursGrid } from '@placetwin/solar';
import sharp from 'sharp';
import { type BngBox, type Lattice, latticeTransform, wgs84BoxOfBng } from './solarObstacles';

export interface LegendEntry {
  /** Hours of direct sun, from (inclusive) … to (exclusive; null = no upper bound). */
  fromHours: number;
  toHours: number | null;
  colour: string;
  label: string;
}

/**
 * Hours of sun, in classes that put BRE 209's 2-hour line at a change of hue: blues below it, yellow to red above.
 * Colours: ColorBrewer RdYlBu (Brewer, colorbrewer2.org), colour-blind safe. "0 h" is exactly none.
 */
export const SUN_HOURS_LEGEND: readonly LegendEntry[] = [
  { fromHours: 0, toHours: 0, colour: '#313695', label: 'No direct sun' },
  { fromHours: 0, toHours: 1, colour: '#4575b4', label: 'Under 1 hour' },
  { fromHours: 1, toHours: 2, colour: '#74add1', label: '1 to 2 hours' },
  { fromHours: 2, toHours: 3, colour: '#fee090', label: '2 to 3 hours' },
  { fromHours: 3, toHours: 4, colour: '#fdae61', label: '3 to 4 hours' },
  { fromHours: 4, toHours: 6, colour: '#f46d43', label: '4 to 6 hours' },
  { fromHours: 6, toHours: 8, colour: '#d73027', label: '6 to 8 hours' },
  { fromHours: 8, toHours: null, colour: '#a50026', label: '8 hours or more' },
];
/** Ground under a building inside the area (not assessed). */
export const UNDER_BUILDING_COLOUR = '#9e9e9e';
/** Same tolerance as the 2-hour count in sunHoursGrid: a cell lit for exactly 2 h is in the 2–3 h class. */
const HOURS_EPSILON = 1e-4;

const rgb = (hex: string): [number, number, number] => [
  Number.parseInt(hex.slice(1, 3), 16),
  Number.parseInt(hex.slice(3, 5), 16),
  Number.parseInt(hex.slice(5, 7), 16),
];
const LEGEND_RGB = SUN_HOURS_LEGEND.map((e) => rgb(e.colour));
const UNDER_RGB = rgb(UNDER_BUILDING_COLOUR);

/** The legend class of an amount of sun. */
export function legendIndex(hours: number): number {
  if (hours <= HOURS_EPSILON) return 0;
  for (let i = 1; i < SUN_HOURS_LEGEND.length; i++) {
    const to = SUN_HOURS_LEGEND[i].toHours;
    if (to === null || hours < to - HOURS_EPSILON) return i;
  }
  return SUN_HOURS_LEGEND.length - 1;
}

/** The grid's rectangle in BNG metres. */
export const gridBox = (g: SunHoursGrid): BngBox => [
  g.originX,
  g.originY,
  g.originX + g.cols * g.cellM,
  g.originY + g.rows * g.cellM,
];

const LATTICE_SPACING_M = 50;
const round = (v: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** RGBA of one cell: the legend colour of open ground, grey under buildings, transparent outside the area. */
function paintCell(g: SunHoursGrid, index: number, out: Uint8Array, at: number): void {
  const kind = g.cellKind[index];
  if (kind === CELL_OPEN) {
    const c = LEGEND_RGB[legendIndex(g.hours[index])];
    out[at] = c[0];
    out[at + 1] = c[1];
    out[at + 2] = c[2];
    out[at + 3] = 255;
  } else if (kind === CELL_UNDER_OBSTACLE) {
    out[at] = UNDER_RGB[0];
    out[at + 1] = UNDER_RGB[1];
    out[at + 2] = UNDER_RGB[2];
    out[at + 3] = 255;
  }
}

export interface SunHoursImage {
  png: Buffer;
  width: number;
  height: number;
  /** For `EPSG:4326`: the WGS84 rectangle the image covers (west, south, east, north), for draping on a globe. */
  bbox: BBox | null;
}

/** Longest side of the WGS84 image, pixels. */
const MAX_IMAGE_SIDE = 4096;

/**
 * The grid as a PNG. `EPSG:27700` (default): one pixel per cell, grid north up, as on an Ordnance Survey map.
 * `EPSG:4326`: resampled (nearest cell) onto a longitude/latitude raster of about the cell size, which a globe
 * drapes as a single image over `bbox` (the BNG grid is turned about 1° from true north, so the first would not).
 */
export async function sunHoursPng(
  g: SunHoursGrid,
  crs: 'EPSG:27700' | 'EPSG:4326' = 'EPSG:27700',
): Promise<SunHoursImage> {
  if (crs === 'EPSG:27700') {
    const rgba = new Uint8Array(g.cols * g.rows * 4);
    for (let row = 0; row < g.rows; row++)
      for (let col = 0; col < g.cols; col++)
        paintCell(g, row * g.cols + col, rgba, ((g.rows - 1 - row) * g.cols + col) * 4);
    const png = await sharp(rgba, { raw: { width: g.cols, height: g.rows, channels: 4 } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    return { png, width: g.cols, height: g.rows, bbox: null };
  }
  const box = gridBox(g);
  const [w, s, e, n] = wgs84BoxOfBng(box);
  const midLat = ((s + n) / 2) * (Math.PI / 180);
  const mPerDegLat = 111_320;
  const mPerDegLon = 111_320 * Math.cos(midLat);
  let width = Math.max(1, Math.round(((e - w) * mPerDegLon) / g.cellM));
  let height = Math.max(1, Math.round(((n - s) * mPerDegLat) / g.cellM));
  const shrink = Math.max(1, width / MAX_IMAGE_SIDE, height / MAX_IMAGE_SIDE);
  width = Math.max(1, Math.round(width / shrink));
  height = Math.max(1, Math.round(height / shrink));
  const toBng = latticeTransform(
    'EPSG:4326',
    'EPSG:27700',
    [w, s, e, n],
    (LATTICE_SPACING_M / mPerDegLat) as number,
  );
  const rgba = new Uint8Array(width * height * 4);
  for (let py = 0; py < height; py++) {
    const lat = n - ((py + 0.5) / height) * (n - s);
    for (let px = 0; px < width; px++) {
      const lon = w + ((px + 0.5) / width) * (e - w);
      const [x, y] = toBng.apply(lon, lat);
      const col = Math.floor((x - g.originX) / g.cellM);
      const row = Math.floor((y - g.originY) / g.cellM);
      if (col < 0 || row < 0 || col >= g.cols || row >= g.rows) continue;
      paintCell(g, row * g.cols + col, rgba, (py * width + px) * 4);
    }
  }
  const png = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  return { png, width, height, bbox: [w, s, e, n] };
}

const bngToWgs = (g: SunHoursGrid): Lattice =>
  latticeTransform('EPSG:27700', 'EPSG:4326', gridBox(g), LATTICE_SPACING_M);

/**
 * What the streamed files say of each cell: whether it is written, and its values (named `names`; null = none on
 * that side). Neighbouring cells in a row with equal values make one GeoJSON feature.
 */
export interface CellFields {
  names: readonly string[];
  include: (index: number) => boolean;
  values: (index: number) => readonly (number | null)[];
}

const openCellHours = (g: SunHoursGrid): CellFields => ({
  names: ['hours'],
  include: (i) => g.cellKind[i] === CELL_OPEN,
  values: (i) => [round(g.hours[i], 4)],
});

/**
 * One CSV line per included cell: grid row (0 = south) and column, its centre in BNG metres and WGS84 degrees,
 * then its values (empty for null). Yields chunks of text, so a million cells need not sit in one string.
 */
export function* cellsCsv(g: SunHoursGrid, header: string, fields: CellFields): Generator<string> {
  const toWgs = bngToWgs(g);
  yield `${header}\n`;
  let chunk: string[] = [];
  for (let row = 0; row < g.rows; row++) {
    for (let col = 0; col < g.cols; col++) {
      const i = row * g.cols + col;
      if (!fields.include(i)) continue;
      const x = g.originX + (col + 0.5) * g.cellM;
      const y = g.originY + (row + 0.5) * g.cellM;
      const [lon, lat] = toWgs.apply(x, y);
      const values = fields.values(i).map((v) => v ?? '');
      chunk.push(
        `${row},${col},${round(x, 2)},${round(y, 2)},${round(lon, 7)},${round(lat, 7)},${values.join(',')}`,
      );
    }
    if (chunk.length >= 5000) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length) yield `${chunk.join('\n')}\n`;
}

const sameValues = (a: readonly (number | null)[], b: readonly (number | null)[]) =>
  a.length === b.length && a.every((v, k) => v === b[k]);

/**
 * The included cells as a GeoJSON FeatureCollection in WGS84 (RFC 7946): each feature is a run of neighbouring
 * cells in one grid row with the same values (a rectangle in BNG; its corners transformed), with the values under
 * their names, `row`, `colFrom`, `cells`. Runs keep the file a fraction of one-feature-per-cell. Yields chunks of
 * text. `extra` adds foreign members (the summary) to the collection.
 */
export function* cellRunsGeoJson(
  g: SunHoursGrid,
  fields: CellFields,
  extra: Record<string, unknown> = {},
): Generator<string> {
  const toWgs = bngToWgs(g);
  const head = JSON.stringify({ type: 'FeatureCollection', ...extra, features: [] });
  yield head.slice(0, -2);
  const corner = (x: number, y: number) => {
    const [lon, lat] = toWgs.apply(x, y);
    return [round(lon, 7), round(lat, 7)];
  };
  let first = true;
  let chunk: string[] = [];
  for (let row = 0; row < g.rows; row++) {
    let col = 0;
    while (col < g.cols) {
      const i = row * g.cols + col;
      if (!fields.include(i)) {
        col++;
        continue;
      }
      const values = fields.values(i);
      let end = col + 1;
      while (
        end < g.cols &&
        fields.include(row * g.cols + end) &&
        sameValues(fields.values(row * g.cols + end), values)
      )
        end++;
      const x0 = g.originX + col * g.cellM;
      const x1 = g.originX + end * g.cellM;
      const y0 = g.originY + row * g.cellM;
      const y1 = y0 + g.cellM;
      const properties: Record<string, number | null> = {};
      fields.names.forEach((name, k) => {
        properties[name] = values[k];
      });
      const feature = {
        type: 'Feature',
        properties: { ...properties, row, colFrom: col, cells: end - col },
        geometry: {
          type: 'Polygon',
          coordinates: [[corner(x0, y0), corner(x1, y0), corner(x1, y1), corner(x0, y1), corner(x0, y0)]],
        },
      };
      chunk.push(`${first ? '' : ','}${JSON.stringify(feature)}`);
      first = false;
      col = end;
    }
    if (chunk.length >= 2000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length) yield chunk.join('');
  yield ']}';
}

/** The CSV header: one row per open cell (centre), hours of direct sun. */
export const SUN_HOURS_CSV_HEADER = 'row,col,easting_m,northing_m,lon,lat,hours';

/** One line per assessed (open) cell with its hours of direct sun (see `cellsCsv`). */
export const sunHoursCsv = (g: SunHoursGrid): Generator<string> =>
  cellsCsv(g, SUN_HOURS_CSV_HEADER, openCellHours(g));

/** The open cells as GeoJSON runs with `hours` (see `cellRunsGeoJson`). */
export const sunHoursGeoJson = (g: SunHoursGrid, extra: Record<string, unknown> = {}): Generator<string> =>
  cellRunsGeoJson(g, openCellHours(g), extra);

export type SunHoursFormat = 'json' | 'geojson' | 'csv' | 'png';
export const SUN_HOURS_FORMATS: readonly SunHoursFormat[] = ['json', 'geojson', 'csv', 'png'];

export function checkFormat(format: string): SunHoursFormat {
  const f = SUN_HOURS_FORMATS.find((x) => x === format);
  if (!f)
    throw new DataError('invalid-format', `format "${format}" is not one of ${SUN_HOURS_FORMATS.join(', ')}`);
  return f;
}

import { transformer } from '@placetwin/geo';
import {
  bngGridNorthDeg,
  CELL_OPEN,
  CELL_UNDER_OBSTACLE,
  type SunHoursGrid,
  sunHoursGrid,
} from '@placetwin/solar';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  legendIndex,
  SUN_HOURS_CSV_HEADER,
  SUN_HOURS_LEGEND,
  sunHoursCsv,
  sunHoursGeoJson,
  sunHoursPng,
  UNDER_BUILDING_COLOUR,
} from './sunHoursOutputs';

// A 40 m wall south of a 60 × 50 m area at Oakham in December: the cells just north of it get no sun at all,
// the far ones get some, and a block inside the area is "under a building".
const X = 486000;
const Y = 309000;
const rect = (x0: number, y0: number, x1: number, y1: number) =>
  new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1]);
const oakham = { latDeg: 52.6706, lonDeg: -0.7295 };
let grid: SunHoursGrid;

beforeAll(() => {
  grid = sunHoursGrid({
    area: [rect(X, Y, X + 60, Y + 50)],
    date: '2024-12-21',
    stepMinutes: 15,
    location: oakham,
    gridNorthDeg: bngGridNorthDeg(oakham.lonDeg, oakham.latDeg),
    obstacles: [
      { id: 'wall', footprint: [[rect(X + 10, Y - 2, X + 50, Y - 1)]], heightM: 12 },
      { id: 'shed', footprint: [[rect(X + 2, Y + 40, X + 6, Y + 45)]], heightM: 2 },
    ],
  });
});

const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
const cellAt = (g: SunHoursGrid, x: number, y: number) =>
  Math.floor((y - g.originY) / g.cellM) * g.cols + Math.floor((x - g.originX) / g.cellM);

describe('legend', () => {
  it('puts exactly 2 hours in the 2–3 h class and none in its own', () => {
    expect(legendIndex(0)).toBe(0);
    expect(legendIndex(0.01)).toBe(1);
    expect(legendIndex(1.99)).toBe(2);
    expect(legendIndex(2)).toBe(3);
    expect(legendIndex(2 - 1e-6)).toBe(3);
    expect(legendIndex(13)).toBe(SUN_HOURS_LEGEND.length - 1);
    expect(SUN_HOURS_LEGEND[3].fromHours).toBe(2);
  });
});

describe('PNG', () => {
  it('draws one pixel per cell, north up, in the legend colours, grey under buildings, clear outside', async () => {
    const { png, width, height } = await sunHoursPng(grid);
    expect([width, height]).toEqual([grid.cols, grid.rows]);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    const pixel = (col: number, row: number) => {
      const k = ((grid.rows - 1 - row) * grid.cols + col) * 4;
      return [data[k], data[k + 1], data[k + 2], data[k + 3]];
    };
    const shaded = cellAt(grid, X + 30.5, Y + 0.5);
    expect(grid.hours[shaded]).toBe(0);
    expect(pixel(shaded % grid.cols, Math.floor(shaded / grid.cols))).toEqual([
      ...hex(SUN_HOURS_LEGEND[0].colour),
      255,
    ]);
    const open = cellAt(grid, X + 58.5, Y + 48.5);
    expect(grid.cellKind[open]).toBe(CELL_OPEN);
    expect(pixel(open % grid.cols, Math.floor(open / grid.cols))).toEqual([
      ...hex(SUN_HOURS_LEGEND[legendIndex(grid.hours[open])].colour),
      255,
    ]);
    const shed = cellAt(grid, X + 4.5, Y + 42.5);
    expect(grid.cellKind[shed]).toBe(CELL_UNDER_OBSTACLE);
    expect(pixel(shed % grid.cols, Math.floor(shed / grid.cols))).toEqual([
      ...hex(UNDER_BUILDING_COLOUR),
      255,
    ]);
  });

  it('resamples onto longitude/latitude for draping: a pixel shows the cell under its own lon/lat', async () => {
    const img = await sunHoursPng(grid, 'EPSG:4326');
    const [w, s, e, n] = img.bbox ?? [0, 0, 0, 0];
    const { data } = await sharp(img.png).raw().toBuffer({ resolveWithObject: true });
    const toBng = transformer('EPSG:4326', 'EPSG:27700');
    let checked = 0;
    for (let py = 1; py < img.height; py += 3)
      for (let px = 1; px < img.width; px += 3) {
        const [x, y] = toBng(w + ((px + 0.5) / img.width) * (e - w), n - ((py + 0.5) / img.height) * (n - s));
        // Skip pixels within 5 cm of a cell edge, where the pixel centre may fall either side.
        const fx = (x - grid.originX) / grid.cellM;
        const fy = (y - grid.originY) / grid.cellM;
        if (Math.abs(fx - Math.round(fx)) < 0.05 || Math.abs(fy - Math.round(fy)) < 0.05) continue;
        if (fx < 0 || fy < 0 || fx >= grid.cols || fy >= grid.rows) continue;
        const i = Math.floor(fy) * grid.cols + Math.floor(fx);
        const k = (py * img.width + px) * 4;
        if (grid.cellKind[i] === CELL_OPEN) {
          expect([data[k], data[k + 1], data[k + 2]]).toEqual(
            hex(SUN_HOURS_LEGEND[legendIndex(grid.hours[i])].colour),
          );
          checked++;
        }
      }
    expect(checked).toBeGreaterThan(200);
  });
});

describe('CSV and GeoJSON', () => {
  it('lists every open cell once, its centre in BNG and (to a millimetre) in WGS84', () => {
    const lines = [...sunHoursCsv(grid)].join('').trimEnd().split('\n');
    expect(lines[0]).toBe(SUN_HOURS_CSV_HEADER);
    const open = grid.cellKind.filter((k) => k === CELL_OPEN).length;
    expect(lines.length - 1).toBe(open);
    const toBng = transformer('EPSG:4326', 'EPSG:27700');
    for (const line of lines.slice(1).filter((_, i) => i % 97 === 0)) {
      const [row, col, e, n, lon, lat, hours] = line.split(',').map(Number);
      expect(e).toBeCloseTo(grid.originX + (col + 0.5) * grid.cellM, 6);
      expect(n).toBeCloseTo(grid.originY + (row + 0.5) * grid.cellM, 6);
      const [x, y] = toBng(lon, lat);
      expect(Math.hypot(x - e, y - n)).toBeLessThan(0.01);
      expect(hours).toBeCloseTo(grid.hours[row * grid.cols + col], 4);
    }
  });

  it('covers the open cells with runs of equal hours, carrying the summary', () => {
    const doc = JSON.parse([...sunHoursGeoJson(grid, { summary: grid.summary })].join(''));
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.summary.areaM2).toBe(grid.summary.areaM2);
    let cells = 0;
    let hourSum = 0;
    for (const f of doc.features) {
      expect(f.geometry.type).toBe('Polygon');
      expect(f.geometry.coordinates[0]).toHaveLength(5);
      cells += f.properties.cells;
      hourSum += f.properties.hours * f.properties.cells;
      const first = f.properties.row * grid.cols + f.properties.colFrom;
      expect(grid.hours[first]).toBeCloseTo(f.properties.hours, 4);
    }
    expect(cells).toBe(grid.summary.areaM2);
    expect(hourSum / cells).toBeCloseTo(grid.summary.meanHours, 3);
    expect(doc.features.length).toBeLessThan(cells / 1.5);
  });
});

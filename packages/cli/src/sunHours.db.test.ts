import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendChanges, baselineBuildings, createScenario, type Db, openTestDb } from '@placetwin/db';
import { transformer } from '@placetwin/geo';
import { sunTimes } from '@placetwin/solar';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot, sampleDataDir } from '../../../test/support/paths';
import { main } from './main';
import { importFile, loadOstn15 } from './pipeline';
import { sunHoursToDir } from './sunHours';
import { sunHoursScenarioToDir } from './sunHoursScenario';

// `placetwin sun-hours` on the constructed courtyard (test/fixtures/courtyard-bng.geojson: four 10 m wings round a
// 30 m yard, south-west corner at E 486500, N 310500), in-process on the test database and as the real command.

const FIXTURE = join(repoRoot, 'test/fixtures/courtyard-bng.geojson');
const X0 = 486500;
const Y0 = 310500;
const toWgs = transformer('EPSG:27700', 'EPSG:4326');
const areaGeoJson = {
  type: 'Feature',
  properties: { name: 'courtyard and field' },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [X0 - 10, Y0 - 40],
        [X0 + 52, Y0 - 40],
        [X0 + 52, Y0 + 52],
        [X0 - 10, Y0 + 52],
        [X0 - 10, Y0 - 40],
      ].map(([e, n]) => toWgs(e, n)),
    ],
  },
};

let db: Db;
let drop: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  dir = await mkdtemp(join(tmpdir(), 'placetwin-sunhours-'));
  await loadOstn15(sampleDataDir);
  await importFile(db, FIXTURE, { dataset: 'courtyard' });
  await writeFile(join(dir, 'area.geojson'), JSON.stringify(areaGeoJson));
});

afterAll(async () => {
  await drop?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Checks the files of a run and returns the hours of each CSV cell by grid index. */
async function checkFiles(out: string) {
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  const csv = (await readFile(join(out, 'sun-hours.csv'), 'utf8')).trim().split('\n');
  expect(csv[0]).toBe('row,col,easting_m,northing_m,lon,lat,hours');
  expect(csv.length - 1).toBe(summary.summary.cells);
  const geojson = JSON.parse(await readFile(join(out, 'sun-hours.geojson'), 'utf8'));
  expect(geojson.type).toBe('FeatureCollection');
  expect(geojson.summary).toEqual(summary.summary);
  expect(
    geojson.features.reduce((n: number, f: { properties: { cells: number } }) => n + f.properties.cells, 0),
  ).toBe(summary.summary.cells);
  const png = await sharp(await readFile(join(out, 'sun-hours.png'))).metadata();
  expect([png.width, png.height, png.format]).toEqual([summary.grid.cols, summary.grid.rows, 'png']);
  const wgs = await sharp(await readFile(join(out, 'sun-hours-wgs84.png'))).metadata();
  expect(wgs.width).toBeGreaterThan(50);
  expect(summary.images.wgs84Bbox).toEqual(summary.bbox);
  const hours = new Map<number, number>();
  for (const line of csv.slice(1)) {
    const [row, col, , , , , h] = line.split(',').map(Number);
    hours.set(row * summary.grid.cols + col, h);
  }
  const at = (x: number, y: number) =>
    hours.get(
      Math.floor((y - summary.grid.originY) / summary.grid.cellM) * summary.grid.cols +
        Math.floor((x - summary.grid.originX) / summary.grid.cellM),
    );
  return { summary, at };
}

describe('sun-hours to files', () => {
  it('writes GeoJSON, CSV, PNGs and the summary: 0 h north of the wall in winter, the whole day on open ground', async () => {
    const out = join(dir, 'in-process');
    const { report } = await sunHoursToDir(
      db,
      { dataset: 'courtyard', area: areaGeoJson.geometry as never, date: '2024-12-21', stepMinutes: 10 },
      out,
    );
    const { summary, at } = await checkFiles(out);
    expect(summary.id).toBe(report.id);
    const t = sunTimes('2024-12-21', summary.location);
    const dayH = ((t.sunset?.getTime() ?? 0) - (t.sunrise?.getTime() ?? 0)) / 3_600_000;
    expect(at(X0 + 21.5, Y0 + 7.5)).toBe(0);
    expect(at(X0 + 21.5, Y0 - 29.5)).toBeCloseTo(dayH, 3);
    expect(at(X0 + 21.5, Y0 + 3.5)).toBeUndefined();
  });

  it('runs as the `placetwin` command: import, then sun-hours, printing the BRE 209 sentence', async () => {
    const out = join(dir, 'cli-out');
    // The command opens the database its environment names: its own embedded one here, whatever the lane.
    const saved = { url: process.env.DATABASE_URL, data: process.env.PLACETWIN_DATA_DIR };
    delete process.env.DATABASE_URL;
    process.env.PLACETWIN_DATA_DIR = join(dir, 'cli-data');
    const printed: string[] = [];
    const errors: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a) => {
      printed.push(a.join(' '));
    });
    const err = vi.spyOn(console, 'error').mockImplementation((...a) => {
      errors.push(a.join(' '));
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      const run = (args: string[]) => main(['node', 'placetwin', ...args]);
      expect(await run(['import', FIXTURE, '--dataset', 'courtyard', '--no-tile'])).toBe(0);
      printed.length = 0;
      const area = ['--dataset', 'courtyard', '--area', join(dir, 'area.geojson')];
      const code = await run([
        'sun-hours',
        ...area,
        '--date',
        '2025-03-21',
        '--name',
        'courtyard',
        '--out',
        out,
      ]);
      expect(errors.join('')).toMatch(/sun-hours: \d+\/\d+ strips/);
      expect(code).toBe(0);
      const { summary } = await checkFiles(out);
      expect(printed[0]).toBe(summary.sentence);
      expect(summary.sentence).toMatch(
        /^(Meets|Does not meet) BRE 209 guidance: .*% of the courtyard receives/,
      );
      expect(summary.bre209.share).toBe(summary.summary.shareAtLeast2h);

      expect(await run(['sun-hours', ...area, '--cell', '0.1', '--out', join(dir, 'never')])).toBe(2);
      expect(errors.join('\n')).toContain('cellSizeM 0.1 is not between 0.5 and 10 metres');
      expect(await run(['sun-hours', ...area, '--scenario', 'one', '--out', join(dir, 'never')])).toBe(2);
      expect(errors.join('\n')).toContain('--scenario "one" is not a scenario id');
      expect(await run(['sun-hours', ...area, '--scenario', '999', '--out', join(dir, 'never')])).toBe(2);
      expect(errors.join('\n')).toContain('no scenario with id 999');
      expect(existsSync(join(dir, 'never'))).toBe(false);
    } finally {
      log.mockRestore();
      err.mockRestore();
      stderr.mockRestore();
      if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
      if (saved.data === undefined) delete process.env.PLACETWIN_DATA_DIR;
      else process.env.PLACETWIN_DATA_DIR = saved.data;
    }
  });
});

describe('sun-hours before and after a scenario (courtyard)', () => {
  it('writes both runs, the per-cell before/after files and the 0.8 test: the south wing raised to 30 m', async () => {
    const wings = await baselineBuildings(db, 'courtyard', { within: 'all' });
    const south = wings.find((b) => b.name === 'south wing');
    if (!south) throw new Error('no south wing');
    const s = await createScenario(db, { dataset: 'courtyard', name: 'taller south wing' });
    const shed = [
      [X0 + 30, Y0 + 30],
      [X0 + 34, Y0 + 30],
      [X0 + 34, Y0 + 33],
      [X0 + 30, Y0 + 33],
      [X0 + 30, Y0 + 30],
    ].map(([e, n]) => toWgs(e, n));
    await appendChanges(db, s.id, s.version, [
      { op: 'modify', id: south.id, heightM: 30 },
      {
        op: 'add',
        id: 'new/shed',
        footprint: { type: 'Polygon', coordinates: [shed] },
        use: 'residential',
        heightM: 3,
      },
    ]);
    const yard = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [X0 + 6, Y0 + 6],
          [X0 + 36, Y0 + 6],
          [X0 + 36, Y0 + 36],
          [X0 + 6, Y0 + 36],
          [X0 + 6, Y0 + 6],
        ].map(([e, n]) => toWgs(e, n)),
      ],
    };
    const out = join(dir, 'scenario-out');
    const {
      comparison: c,
      before,
      after,
      files,
    } = await sunHoursScenarioToDir(
      db,
      { dataset: 'courtyard', area: yard, date: '2025-03-21', areaName: 'courtyard' },
      s.id,
      out,
    );
    expect(c.scenario).toMatchObject({ id: s.id, name: 'taller south wing', status: 'draft' });
    expect(c.changed).toEqual({ added: ['new/shed'], modified: [south.id], demolished: [] });
    // The raised wing replaces the baseline one: still four wings, plus the shed.
    expect(after.buildings).toBe(before.buildings + 1);
    expect(c.cells.builtOn).toBe(12);
    expect(c.shareAfter).toBeLessThan(c.shareBefore);
    expect(c.ratio).toBeCloseTo(
      (after.summary.areaM2 * after.summary.shareAtLeast2h) /
        (before.summary.areaM2 * before.summary.shareAtLeast2h),
      9,
    );
    expect(c.bre209?.meetsGuidance).toBe(c.shareAfter >= 0.5 || (c.ratio ?? 1) >= 0.8);
    const csv = (await readFile(files.csv, 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('row,col,easting_m,northing_m,lon,lat,hours_before,hours_after');
    const rows = csv.slice(1).map((l) => l.split(',').slice(6));
    // Every cell open before is there; the 12 under the shed have no hours after.
    expect(rows.length).toBe(before.summary.cells);
    expect(rows.filter(([, a]) => a === '').length).toBe(12);
    const lost = rows.filter(([b, a]) => a !== '' && Number(b) >= 2 - 1e-4 && Number(a) < 2 - 1e-4).length;
    expect(lost).toBe(c.cells.lostTwoHours);
    expect(lost).toBeGreaterThan(0);
    const summary = JSON.parse(await readFile(files.summary, 'utf8'));
    expect(summary.comparison.sentence).toBe(c.sentence);
    const geojson = JSON.parse(await readFile(files.geojson, 'utf8'));
    expect(
      geojson.features.reduce((n: number, f: { properties: { cells: number } }) => n + f.properties.cells, 0),
    ).toBe(before.summary.cells);
    for (const png of [files.png, files.pngBefore]) expect((await sharp(png).metadata()).format).toBe('png');
  });
});

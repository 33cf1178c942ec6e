import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile, loadOstn15 } from '@placetwin/cli';
import { buildingsInBbox, type Db, openTestDb } from '@placetwin/db';
import { type GeoJsonGeometry, transformer } from '@placetwin/geo';
import { sunTimes } from '@placetwin/solar';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprintCentroid, insideFootprint } from '../../../../../test/support/footprints';
import { repoRoot, sampleDataDir } from '../../../../../test/support/paths';
import { rutlandImported } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { staffHeaders } from '../../testing/staff-session';

// The solar API on real PostGIS: Rutland's OpenStreetMap buildings for shadows, and a constructed courtyard
// (test/fixtures/courtyard-bng.geojson, four 10 m wings round a 30 m yard) for sun-hours answers known exactly.

const OAKHAM = { latDeg: 52.6706, lonDeg: -0.7295 };
/** Oakham's centre, about 0.9 × 0.8 km. */
const OAKHAM_BBOX = [-0.7345, 52.6665, -0.7215, 52.6735] as const;
/** The courtyard's south-west corner in BNG metres (see the fixture). */
const X0 = 486500;
const Y0 = 310500;
const M_PER_DEG_LAT = 111_250;
const mPerDegLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);
const toWgs = transformer('EPSG:27700', 'EPSG:4326');
const toBng = transformer('EPSG:4326', 'EPSG:27700');

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandImported));
  root = await mkdtemp(join(tmpdir(), 'placetwin-solar-db-'));
  await loadOstn15(sampleDataDir);
  await importFile(db, join(repoRoot, 'test/fixtures/courtyard-bng.geojson'), { dataset: 'courtyard' });
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: { logN: 10 } },
  });
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A BNG rectangle as the WGS84 GeoJSON Polygon a client sends. */
const bngRect = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ].map(([e, n]) => toWgs(e, n)),
  ],
});

const shadedBy = (features: { geometry: GeoJsonGeometry }[], lon: number, lat: number) =>
  features.some((f) => insideFootprint(f.geometry, lon, lat));

describe('GET /api/solar/shadows on Rutland', () => {
  it('puts the noon shadows of real Oakham buildings due north of them, h / tan(elevation) long', async () => {
    const noon = sunTimes('2024-03-21', OAKHAM).transit.toISOString();
    const res = await app.inject(
      `/api/solar/shadows?dataset=rutland&time=${noon}&bbox=${OAKHAM_BBOX.join(',')}`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.sun.aboveHorizon).toBe(true);
    expect(Math.abs(body.sun.azimuthDeg - 180)).toBeLessThan(0.05);
    expect(body.shadowBearingDeg).toBeCloseTo((body.sun.azimuthDeg + 180) % 360, 9);
    expect(body.shadowLengthPerHeightM).toBeCloseTo(
      1 / Math.tan((body.sun.apparentElevationDeg * Math.PI) / 180),
      9,
    );
    expect(body.buildings).toBeGreaterThan(100);
    expect(body.features.length).toBeGreaterThan(50);
    for (const f of body.features) {
      expect(f.geometry.type).toBe('Polygon');
      for (const [lon, lat] of f.geometry.coordinates[0]) {
        expect(lon).toBeGreaterThanOrEqual(OAKHAM_BBOX[0] - 1e-6);
        expect(lat).toBeLessThanOrEqual(OAKHAM_BBOX[3] + 1e-6);
      }
    }

    // Isolated buildings (nothing else within 30 m around them and their shadow), checked along the meridian
    // through each one's centroid: shaded half a shadow-length north of its north wall, sunlit 3 m beyond the
    // shadow's end and 2 m south of its south wall.
    // Neighbours just outside the box count as crowding too.
    const [w, so, e, n] = OAKHAM_BBOX;
    const buildings = await buildingsInBbox(db, [w - 0.003, so - 0.002, e + 0.003, n + 0.002], {
      dataset: 'rutland',
      limit: 10_000,
    });
    const boxes = buildings.map((b) => {
      const pts = (
        b.geometry.type === 'Polygon' ? [b.geometry.coordinates] : (b.geometry.coordinates as number[][][][])
      ).flatMap((p) => p[0]);
      const lons = pts.map((p) => p[0]);
      const lats = pts.map((p) => p[1]);
      return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    });
    let checked = 0;
    buildings.forEach((b, i) => {
      const p = b.properties;
      if (
        checked >= 8 ||
        p.kind !== 'building' ||
        p.minHeightM !== 0 ||
        p.heightM < 5 ||
        p.footprintAreaM2 < 60
      )
        return;
      // Candidates lie inside the box (the neighbours around it only count as crowding).
      if (boxes[i][0] < w + 0.0005 || boxes[i][2] > e - 0.0005) return;
      const c = footprintCentroid(b.geometry);
      if (!c || !insideFootprint(b.geometry, c.lon, c.lat)) return;
      const L = p.heightM * body.shadowLengthPerHeightM;
      const dLat = (m: number) => m / M_PER_DEG_LAT;
      // The footprint's northmost and southmost points on the meridian through its centroid (any shape).
      const [, s0, , n0] = boxes[i];
      let north = n0 + dLat(0.2);
      while (!insideFootprint(b.geometry, c.lon, north)) north -= dLat(0.05);
      let south = s0 - dLat(0.2);
      while (!insideFootprint(b.geometry, c.lon, south)) south += dLat(0.05);
      const dLon = 30 / mPerDegLon(c.lat);
      const window = [c.lon - dLon, south - dLat(30), c.lon + dLon, north + dLat(L + 30)];
      const crowded = boxes.some(
        (box, j) =>
          j !== i && box[0] < window[2] && box[2] > window[0] && box[1] < window[3] && box[3] > window[1],
      );
      if (crowded || north + dLat(L + 3) > OAKHAM_BBOX[3] || south - dLat(2) < OAKHAM_BBOX[1]) return;
      // Where the footprint is at least 2 m wide across the meridian, its shadow is too: test there, clear of the
      // shadow's edges (a sharp corner sweeps a sliver that rounding may put either side of a point).
      const oneM = 1 / mPerDegLon(c.lat);
      const solid = (lat: number) =>
        [-oneM, 0, oneM].every((d) => insideFootprint(b.geometry, c.lon + d, lat));
      let solidNorth = north;
      while (solidNorth > south && !solid(solidNorth)) solidNorth -= dLat(0.05);
      if (solidNorth <= south) return;
      expect(shadedBy(body.features, c.lon, solidNorth + dLat(L / 2)), `${b.id} half a shadow north`).toBe(
        true,
      );
      expect(
        shadedBy(body.features, c.lon, solidNorth + dLat(L - 0.5)),
        `${b.id} just inside its shadow`,
      ).toBe(true);
      expect(shadedBy(body.features, c.lon, north + dLat(L + 3)), `${b.id} beyond its shadow`).toBe(false);
      expect(shadedBy(body.features, c.lon, south - dLat(2)), `${b.id} south of it`).toBe(false);
      checked++;
    });
    expect(checked).toBeGreaterThanOrEqual(3);
  });

  it('answers an empty collection at night, and 404 for an unknown dataset', async () => {
    const night = await app.inject(
      `/api/solar/shadows?dataset=rutland&time=2024-03-21T00:00:00Z&bbox=${OAKHAM_BBOX.join(',')}`,
    );
    expect(night.json()).toMatchObject({
      features: [],
      sun: { aboveHorizon: false },
      shadowLengthPerHeightM: null,
    });
    const unknown = await app.inject(
      `/api/solar/shadows?dataset=atlantis&time=2024-03-21T12:00:00Z&bbox=${OAKHAM_BBOX.join(',')}`,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toBe(`${PROBLEM_BASE}not-found`);
  });
});

describe('sun-hours on the courtyard', () => {
  /** The courtyard, its wings and 40 m of open field to the south. */
  const area = bngRect(X0 - 10, Y0 - 40, X0 + 52, Y0 + 52);
  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/solar/sun-hours',
      payload: { dataset: 'courtyard', area, ...body },
      headers,
    });
  const cell = (
    result: { grid: { originX: number; originY: number; cellM: number; cols: number } },
    x: number,
    y: number,
  ) =>
    Math.floor((y - result.grid.originY) / result.grid.cellM) * result.grid.cols +
    Math.floor((x - result.grid.originX) / result.grid.cellM);

  it('gives 0 h just north of the south wing in winter and sunrise to sunset on the open field', async () => {
    const res = await post({ date: '2024-12-21', stepMinutes: 10 }, { prefer: 'wait=60' });
    expect(res.statusCode).toBe(200);
    const job = res.json();
    expect(job.status).toBe('done');
    const r = job.result;
    expect(r.buildings).toBe(4);
    expect(r.date).toBe('2024-12-21');
    const times = sunTimes('2024-12-21', r.location);
    const daylightH = ((times.sunset?.getTime() ?? 0) - (times.sunrise?.getTime() ?? 0)) / 3_600_000;
    expect(r.summary.daylightHours).toBeCloseTo(daylightH, 9);
    expect(r.bre209).toBeNull();
    expect(r.sentence).toMatch(/^On 21 December 2024, \d+% of the area receives at least 2 hours/);

    const csv = await app.inject(`/api/solar/sun-hours/${job.id}.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['cache-control']).toContain('immutable');
    const hoursAt = new Map<number, number>();
    for (const line of csv.body.trim().split('\n').slice(1)) {
      const [row, col, , , , , hours] = line.split(',').map(Number);
      hoursAt.set(row * r.grid.cols + col, hours);
    }
    expect(hoursAt.size).toBe(r.summary.cells);
    // 1.5 m north of the 10 m south wing, mid-courtyard: the December sun (below 14°) never clears it.
    expect(hoursAt.get(cell(r, X0 + 21.5, Y0 + 7.5))).toBe(0);
    // 30 m south of everything: nothing stands between it and the sun all day.
    expect(hoursAt.get(cell(r, X0 + 21.5, Y0 - 29.5))).toBeCloseTo(daylightH, 3);
    // Under a wing is not assessed.
    expect(hoursAt.has(cell(r, X0 + 21.5, Y0 + 3.5))).toBe(false);
    expect(r.summary.areaM2).toBe(62 * 92 - 4 * 42 * 6 + 4 * 6 * 6);
  });

  it('serves a repeated request from the cache at once, the same job and files, also after a restart', async () => {
    const first = (await post({ date: '2024-12-21', stepMinutes: 10 })).json();
    const again = await post({ date: '2024-12-21', stepMinutes: 10 }, { prefer: 'respond-async' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.id);
    expect(existsSync(join(root, 'data', 'sun-hours', first.id, 'hours.f32'))).toBe(true);

    const other = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
    try {
      const stored = await other.inject(`/api/solar/sun-hours/${first.id}`);
      expect(stored.json()).toMatchObject({
        id: first.id,
        status: 'done',
        result: { summary: first.result.summary },
      });
      const png = await other.inject(`/api/solar/sun-hours/${first.id}.png`);
      expect(png.headers['content-type']).toBe('image/png');
      const meta = await sharp(png.rawPayload).metadata();
      expect([meta.width, meta.height]).toEqual([first.result.grid.cols, first.result.grid.rows]);
      const overlay = await other.inject(`/api/solar/sun-hours/${first.id}.png?crs=EPSG:4326`);
      expect(overlay.headers['x-placetwin-bbox']).toBe(first.result.bbox.join(','));
      const geojson = await other.inject(`/api/solar/sun-hours/${first.id}.geojson`);
      expect(geojson.headers['content-type']).toMatch(/^application\/geo\+json/);
      const doc = geojson.json();
      expect(
        doc.features.reduce((n: number, f: { properties: { cells: number } }) => n + f.properties.cells, 0),
      ).toBe(first.result.summary.cells);
    } finally {
      await other.close();
    }
  });

  it('answers 202 with a job to poll when asked to respond asynchronously, then the result', async () => {
    const res = await post(
      { date: '2025-03-21', stepMinutes: 5, areaName: 'courtyard garden' },
      { prefer: 'respond-async' },
    );
    expect(res.statusCode).toBe(202);
    expect(res.headers['preference-applied']).toBe('respond-async');
    const job = res.json();
    expect(res.headers.location).toBe(`/api/solar/sun-hours/${job.id}`);
    expect(['queued', 'running', 'done']).toContain(job.status);
    let view = job;
    const seen = new Set<number>();
    for (let i = 0; i < 600 && view.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await app.inject(`/api/solar/sun-hours/${job.id}`)).json();
      seen.add(view.progress);
      expect(view.status).not.toBe('failed');
    }
    expect(view.status).toBe('done');
    expect([...seen].every((p) => p >= 0 && p <= 1)).toBe(true);
    const r = view.result;
    // 21 March: BRE 209's own test, in one sentence that agrees with the figures.
    expect(r.bre209.share).toBe(r.summary.shareAtLeast2h);
    expect(r.bre209.meetsGuidance).toBe(r.summary.shareAtLeast2h >= 0.5);
    expect(r.sentence).toContain(`${Math.round(r.summary.shareAtLeast2h * 100)}% of the courtyard garden`);
    expect(r.sentence.startsWith(r.bre209.meetsGuidance ? 'Meets BRE 209' : 'Does not meet BRE 209')).toBe(
      true,
    );
    expect(r.legend[3]).toMatchObject({ fromHours: 2, toHours: 3 });
  });

  it('answers 404 for an unknown job and its files (jobs live in the database queue: any process may have one)', async () => {
    expect((await app.inject('/api/solar/sun-hours/0123456789abcdef0123456789abcdef')).statusCode).toBe(404);
    expect((await app.inject('/api/solar/sun-hours/0123456789abcdef0123456789abcdef.png')).statusCode).toBe(
      404,
    );
  });

  it('answers 404 for an unknown dataset and 409 for the files of an unfinished job', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/solar/sun-hours',
      payload: { dataset: 'atlantis', area },
    });
    expect(unknown.statusCode).toBe(404);
    const slow = await post(
      { date: '2025-06-21', stepMinutes: 1, cellSizeM: 0.5 },
      { prefer: 'respond-async' },
    );
    const id = slow.json().id;
    const png = await app.inject(`/api/solar/sun-hours/${id}.png`);
    if (png.statusCode !== 200) {
      expect(png.statusCode).toBe(409);
      expect(png.json().type).toBe(`${PROBLEM_BASE}not-ready`);
    }
  });

  it('computes real Oakham ground too: hours within the day, some of it shaded', async () => {
    const [x, y] = toBng(-0.7262, 52.6697);
    const res = await app.inject({
      method: 'POST',
      url: '/api/solar/sun-hours',
      payload: { dataset: 'rutland', area: bngRect(x - 60, y - 60, x + 60, y + 60), date: '2024-03-21' },
      headers: { prefer: 'wait=60' },
    });
    expect(res.statusCode).toBe(200);
    const r = res.json().result;
    expect(r.buildings).toBeGreaterThan(20);
    expect(r.summary.meanHours).toBeLessThan(r.summary.daylightHours);
    expect(r.summary.meanHours).toBeGreaterThan(0);
    expect(r.summary.areaM2).toBeLessThan(120 * 120);
  });
});

describe('sun-hours before and after a scenario on Rutland', () => {
  /** A BNG rectangle as a GeoJSON Polygon footprint for a scenario change. */
  const footprint = (x0: number, y0: number, x1: number, y1: number) => bngRect(x0, y0, x1, y1);
  /** Garden 20 × 20 m; the block 160 m wide, 12 m deep, 2 m south of it. */
  const layout = (x: number, y: number) => ({
    garden: [x, y, x + 20, y + 20] as const,
    block: [x - 70, y - 14, x + 90, y - 2] as const,
  });

  /**
   * Open ground near Oakham's centre for the garden and the block: the first place, searching outwards on a
   * 25 m lattice, where no real building stands within 5 m of either (a new block may not be drawn over one).
   */
  async function openGround(): Promise<[number, number]> {
    const [cx, cy] = toBng(-0.7262, 52.6697);
    for (let ring = 0; ring < 40; ring++)
      for (let i = -ring; i <= ring; i++)
        for (let j = -ring; j <= ring; j++) {
          if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
          const x = cx + i * 25;
          const y = cy + j * 25;
          const { block } = layout(x, y);
          const [w, s] = toWgs(block[0] - 5, block[1] - 5);
          const [e, n] = toWgs(block[2] + 5, y + 25);
          if ((await buildingsInBbox(db, [w, s, e, n], { dataset: 'rutland', limit: 1 })).length === 0)
            return [x, y];
        }
    throw new Error('no open ground found near Oakham');
  }

  it('compares the garden before and after a tall block to its south: less sun, the 0.8 test failed', async () => {
    const planner = await staffHeaders(app, db, 'planner');
    const [x, y] = await openGround();
    const { garden, block } = layout(x, y);
    const created = await app.inject({
      method: 'POST',
      url: '/api/scenarios',
      headers: planner,
      payload: { dataset: 'rutland', name: 'sun-hours block', site: null },
    });
    expect(created.statusCode).toBe(201);
    const scenario = created.json();
    const added = await app.inject({
      method: 'POST',
      url: `/api/scenarios/${scenario.id}/changes`,
      headers: planner,
      payload: {
        expectedVersion: scenario.version,
        changes: [
          {
            op: 'add',
            id: 'new/tall-block',
            footprint: footprint(...block),
            use: 'residential',
            heightM: 40,
          },
        ],
      },
    });
    expect(added.statusCode).toBe(200);
    const version = added.json().scenario.version;
    const request = {
      dataset: 'rutland',
      area: bngRect(...garden),
      date: '2025-03-21',
      areaName: 'garden',
      scenario: String(scenario.id),
    };

    // A draft is the planners': to the public it does not exist.
    const publicDraft = await app.inject({ method: 'POST', url: '/api/solar/sun-hours', payload: request });
    expect(publicDraft.statusCode).toBe(404);
    expect(publicDraft.json().type).toBe(`${PROBLEM_BASE}not-found`);

    const res = await app.inject({
      method: 'POST',
      url: '/api/solar/sun-hours',
      payload: request,
      headers: { ...planner, prefer: 'wait=60' },
    });
    expect(res.statusCode).toBe(200);
    const job = res.json();
    expect(job.status).toBe('done');
    const r = job.result;
    const c = r.comparison;
    expect(c.scenario).toMatchObject({ id: scenario.id, version, status: 'draft' });
    expect(c.changed.added).toEqual(['new/tall-block']);
    // The baseline and the scenario are each an ordinary result with its own id and files.
    expect(r.before.id).toBe(c.baselineId);
    expect(r.id).toBe(c.scenarioResultId);
    expect(c.baselineId).not.toBe(c.scenarioResultId);
    expect(r.buildings).toBe(r.before.buildings + 1);
    expect(c.shareBefore).toBe(r.before.summary.shareAtLeast2h);
    expect(c.shareAfter).toBe(r.summary.shareAtLeast2h);
    expect(c.shareAfter).toBeLessThan(c.shareBefore);
    expect(c.ratio).toBeCloseTo(
      (r.summary.areaM2 * r.summary.shareAtLeast2h) /
        (r.before.summary.areaM2 * r.before.summary.shareAtLeast2h),
      9,
    );
    expect(c.ratio).toBeLessThan(0.8);
    expect(c.shareAfter).toBeLessThan(0.5);
    expect(c.bre209).toMatchObject({ meetsGuidance: false, meetsRatioTest: false, meetsTwoHourTest: false });
    expect(r.sentence).toBe(c.sentence);
    expect(c.sentence).toMatch(/^Does not meet BRE 209 guidance: .* of the garden .* below 0\.8/);
    expect(job.links.beforeOverlayPng).toBe(`/api/solar/sun-hours/${c.baselineId}.png?crs=EPSG:4326`);
    expect(job.links.overlayPng).toBe(`/api/solar/sun-hours/${c.scenarioResultId}.png?crs=EPSG:4326`);

    // Per cell, before and after: the CSV agrees with the comparison's counts.
    const csv = await app.inject({ url: `/api/solar/sun-hours/${job.id}.csv`, headers: planner });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['cache-control']).toMatch(/^private,/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('row,col,easting_m,northing_m,lon,lat,hours_before,hours_after');
    let lost = 0;
    let lessSun = 0;
    for (const line of lines.slice(1)) {
      const [hb, ha] = line.split(',').slice(6).map(Number);
      if (hb >= 2 - 1e-4 && ha < 2 - 1e-4) lost++;
      if (ha < hb - 1e-4) lessSun++;
    }
    expect(lines.length - 1).toBe(r.summary.cells);
    expect(lost).toBe(c.cells.lostTwoHours);
    expect(lessSun).toBe(c.cells.lessSun);
    expect(lost).toBeGreaterThan(0);

    // Asked again (the same scenario version): the same comparison, from the cache.
    const again = await app.inject({
      method: 'POST',
      url: '/api/solar/sun-hours',
      payload: request,
      headers: { ...planner, prefer: 'respond-async' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(job.id);
    // The comparison by its id: staff only while the scenario is a draft.
    expect((await app.inject(`/api/solar/sun-hours/${job.id}`)).statusCode).toBe(404);
    const stored = await app.inject({ url: `/api/solar/sun-hours/${job.id}`, headers: planner });
    expect(stored.json().result.comparison.ratio).toBe(c.ratio);

    // Published, the public may ask too; undoing the block brings back the baseline (ratio 1).
    const published = await app.inject({
      method: 'POST',
      url: `/api/scenarios/${scenario.id}/publish`,
      headers: planner,
      payload: { expectedVersion: version },
    });
    expect(published.statusCode).toBe(200);
    const asPublic = await app.inject({
      method: 'POST',
      url: '/api/solar/sun-hours',
      payload: request,
      headers: { prefer: 'wait=60' },
    });
    expect(asPublic.statusCode).toBe(200);
    const pc = asPublic.json().result.comparison;
    // A new version is a new comparison, of the same two grids.
    expect(asPublic.json().id).not.toBe(job.id);
    expect(pc.scenario.status).toBe('published');
    expect(pc.baselineId).toBe(c.baselineId);
    expect(pc.scenarioResultId).toBe(c.scenarioResultId);
    expect(pc.ratio).toBe(c.ratio);
  });

  it("refuses an unknown scenario (404), another dataset's (400) and a malformed id (400)", async () => {
    const planner = await staffHeaders(app, db, 'planner');
    const area = bngRect(X0 - 10, Y0 - 10, X0 + 10, Y0 + 10);
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/solar/sun-hours', payload, headers: planner });
    const unknown = await post({ dataset: 'courtyard', area, scenario: 999999 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.json().detail).toContain('999999');
    const other = await app.inject({
      method: 'POST',
      url: '/api/scenarios',
      headers: planner,
      payload: { dataset: 'rutland', name: 'another dataset', site: null },
    });
    const mismatch = await post({ dataset: 'courtyard', area, scenario: other.json().id });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().type).toBe(`${PROBLEM_BASE}scenario-dataset-mismatch`);
    expect(mismatch.json().detail).toContain('"rutland"');
    const malformed = await post({ dataset: 'courtyard', area, scenario: 'one' });
    expect(malformed.statusCode).toBe(400);
  });
});

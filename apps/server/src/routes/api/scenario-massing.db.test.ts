/**
 * Importing an architect's massing file into a scenario (`POST /api/scenarios/:id/massing`) against real PostGIS
 * with the real Rutland sample: a glTF massing (the constructed two-box fixture, test/fixtures/README.md) placed
 * at the site, the real 3DBAG CityJSON file from Delft moved to the site, and bad files that must leave the
 * scenario exactly as it was. Also the scenario's energy demand (`GET /api/scenarios/:id/energy`) after an import.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, NodeIO } from '@gltf-transform/core';
import { ensureSampleData } from '@placetwin/cli';
import { type Db, openTestDb } from '@placetwin/db';
import { type FootprintGeoJson, localFrame } from '@placetwin/scenario';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sample, sampleDataDir } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { staffHeaders } from '../../testing/staff-session';

const TRAVIS_PERKINS = 'rutland:w178280261';
/**
 * Open ground west of Oakham station: the nearest baseline building is more than 35 m from this point (found by
 * an ST_Distance query over the imported sample), room for the fixture's 40 × 12 m of blocks north-east of it.
 */
const ORIGIN: [number, number] = [-0.7348, 52.6734];

function rectangle(lon: number, lat: number, widthM: number, depthM: number): FootprintGeoJson {
  const f = localFrame(lon, lat);
  const [dx, dy] = [widthM / f.mPerDegLon, depthM / f.mPerDegLat];
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dx, lat],
        [lon + dx, lat + dy],
        [lon, lat + dy],
        [lon, lat],
      ],
    ],
  };
}
/** A site whose bounding-box centre is ORIGIN. */
const SITE = (() => {
  const f = localFrame(ORIGIN[0], ORIGIN[1]);
  return rectangle(ORIGIN[0] - 60 / f.mPerDegLon, ORIGIN[1] - 60 / f.mPerDegLat, 120, 120);
})();

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let inject: (o: string | InjectOptions) => Promise<LightMyRequestResponse>;
let glb: Buffer;
let delft: Buffer;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-massing-'));
  const tilesetsDir = join(root, 'tilesets');
  await ensureSampleData(db, { tilesetsDir, sampleDataDir });
  app = buildApp({ db, tilesetsDir, dataDir: join(root, 'data'), auth: { passwordHashing: { logN: 10 } } });
  const staff = await staffHeaders(app, db, 'planner');
  const raw = app.inject.bind(app);
  inject = (o) =>
    raw(typeof o === 'string' ? { url: o, headers: staff } : { ...o, headers: { ...staff, ...o.headers } });
  glb = await readFile(join(repoRoot, 'test/fixtures/massing-two-blocks.glb'));
  delft = await readFile(sample('cityjson/nl-delft-3dbag-2buildings.city.json'));
});
afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const create = async (name: string, site: FootprintGeoJson | null = SITE) => {
  const res = await inject({
    method: 'POST',
    url: '/api/scenarios',
    payload: { dataset: 'rutland', name, site },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; version: number };
};
const upload = (id: number, body: Buffer | Uint8Array, query: Record<string, string | number>) =>
  inject({
    method: 'POST',
    url: `/api/scenarios/${id}/massing?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`,
    payload: Buffer.from(body),
    headers: { 'content-type': 'application/octet-stream' },
  });
const stateOf = async (id: number) => {
  const c = (await inject(`/api/scenarios/${id}/changes?history=true`)).json();
  return { version: c.version, changes: c.changes.length };
};
const buildingsOf = async (id: number) =>
  (await inject(`/api/scenarios/${id}/buildings`))
    .json()
    .features.map(
      (f: { properties: { id: string; heightM: number; footprintAreaM2: number; attributes: object } }) =>
        f.properties,
    );

describe('POST /api/scenarios/:id/massing', () => {
  it('adds a glTF massing’s buildings at the site centre in one edit, with footprints and heights of the boxes', async () => {
    const s = await create('massing glb');
    const res = await upload(s.id, glb, { expectedVersion: 1, fileName: 'massing-two-blocks.glb' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.format).toBe('glb');
    expect(r.seqs).toHaveLength(2);
    expect(r.scenario).toMatchObject({ version: 2, changeCount: 2 });
    expect(r.buildings.map((b: { id: string }) => b.id)).toEqual(['new/Block-A', 'new/Block-B']);
    const byId = Object.fromEntries((await buildingsOf(s.id)).map((b: { id: string }) => [b.id, b]));
    // The fixture's boxes: 20 × 12 m × 15 m and 10 × 10 m × 9 m (test/fixtures/README.md).
    expect(byId['new/Block-A']).toMatchObject({
      heightM: 15,
      attributes: { importedFrom: 'massing-two-blocks.glb' },
    });
    expect(byId['new/Block-A'].footprintAreaM2).toBeCloseTo(240, 0);
    expect(byId['new/Block-B']).toMatchObject({ heightM: 9 });
    expect(byId['new/Block-B'].footprintAreaM2).toBeCloseTo(100, 0);
    // Its origin is the site's centre: block A's south-west corner.
    const a = (await inject(`/api/scenarios/${s.id}/buildings/new%2FBlock-A`)).json();
    const ring: number[][] = a.footprint.coordinates[0][0];
    expect(Math.min(...ring.map((p) => p[0]))).toBeCloseTo(ORIGIN[0], 6);
    expect(Math.min(...ring.map((p) => p[1]))).toBeCloseTo(ORIGIN[1], 6);
  });

  it('turns a glTF massing as a whole about the file’s origin with rotationDeg (stored on each change)', async () => {
    const s = await create('massing glb turned');
    const res = await upload(s.id, glb, {
      expectedVersion: 1,
      fileName: 'massing-two-blocks.glb',
      rotationDeg: 90,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().placement).toMatch(/turned 90° clockwise/);
    const changes = (await inject(`/api/scenarios/${s.id}/changes`)).json().changes;
    expect(changes.map((c: { change: { rotationDeg?: number } }) => c.change.rotationDeg)).toEqual([90, 90]);
    // Block A, 20 m east × 12 m north from the origin, a quarter turn clockwise about it: 12 m east × 20 m south.
    const a = (await inject(`/api/scenarios/${s.id}/buildings/new%2FBlock-A`)).json();
    const ring: number[][] = a.footprint.coordinates[0][0];
    const [lons, lats] = [ring.map((p) => p[0]), ring.map((p) => p[1])];
    expect(Math.min(...lons)).toBeCloseTo(ORIGIN[0], 6);
    expect(Math.max(...lats)).toBeCloseTo(ORIGIN[1], 6);
    const f = localFrame(ORIGIN[0], ORIGIN[1]);
    expect((Math.max(...lons) - Math.min(...lons)) * f.mPerDegLon).toBeCloseTo(12, 1);
    expect((Math.max(...lats) - Math.min(...lats)) * f.mPerDegLat).toBeCloseTo(20, 1);
  });

  it('moves the real Delft CityJSON to a given origin, one building per 3DBAG Building, heights from the file', async () => {
    const s = await create('massing cityjson');
    const res = await upload(s.id, delft, {
      expectedVersion: 1,
      fileName: 'delft.city.json',
      use: 'commercial',
      originLon: ORIGIN[0],
      originLat: ORIGIN[1],
    });
    expect(res.statusCode, res.body).toBe(200);
    const doc = JSON.parse(delft.toString('utf8'));
    const ids = Object.keys(doc.CityObjects).filter((k) => doc.CityObjects[k].type === 'Building');
    const got = await buildingsOf(s.id);
    expect(got.map((b: { id: string }) => b.id).sort()).toEqual(ids.map((k) => `new/${k}`).sort());
    // The 3DBAG's own heights: each building's highest − lowest vertex (9.411 and 13.184 m in this file).
    expect(got.map((b: { heightM: number }) => b.heightM).sort((x: number, y: number) => x - y)).toEqual([
      9.41, 13.18,
    ]);
    expect(got.map((b: { use: string }) => b.use)).toEqual(['commercial', 'commercial']);
  });

  it('rejects a bad file with a problem naming the file and the feature, and writes nothing', async () => {
    const s = await create('massing bad');
    const before = await stateOf(s.id);
    // A glTF whose second node is flat (a car park drawn as a plane).
    const doc = new Document();
    const buf = doc.createBuffer();
    const mesh = (pts: number[]) =>
      doc
        .createMesh()
        .addPrimitive(
          doc
            .createPrimitive()
            .setAttribute(
              'POSITION',
              doc.createAccessor().setType('VEC3').setBuffer(buf).setArray(new Float32Array(pts)),
            ),
        );
    const scene = doc.createScene();
    scene.addChild(doc.createNode('Tower').setMesh(mesh([0, 0, 0, 10, 0, 0, 10, 0, -10, 0, 30, 0])));
    scene.addChild(doc.createNode('Car park').setMesh(mesh([20, 0, 0, 40, 0, 0, 40, 0, -20])));
    const flat = await upload(s.id, await new NodeIO().writeBinary(doc), {
      expectedVersion: 1,
      fileName: 'scheme.glb',
    });
    expect(flat.statusCode).toBe(422);
    expect(flat.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(flat.json()).toMatchObject({
      type: `${PROBLEM_BASE}invalid-gltf`,
      file: 'scheme.glb',
      featureId: 'Car park',
      reason: 'is flat: its vertices have no height',
    });
    expect(await stateOf(s.id)).toEqual(before);

    // Good geometry placed over a retained building: the change checks reject it, naming the file's feature.
    const tp = (await inject(`/api/buildings/${TRAVIS_PERKINS}`)).json();
    const ring: number[][] = tp.footprint.coordinates[0][0];
    const over = await upload(s.id, delft, {
      expectedVersion: 1,
      fileName: 'delft.city.json',
      originLon: ring.reduce((a, p) => a + p[0], 0) / ring.length,
      originLat: ring.reduce((a, p) => a + p[1], 0) / ring.length,
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().detail).toMatch(/footprint .*\(delft\.city\.json, feature NL\.IMBAG\.Pand\.\d+\)/);
    expect(await stateOf(s.id)).toEqual(before);

    const notMassing = await upload(s.id, Buffer.from('{"type":"FeatureCollection","features":[]}'), {
      expectedVersion: 1,
      fileName: 'plan.geojson',
    });
    expect(notMassing.statusCode).toBe(422);
    expect(notMassing.json()).toMatchObject({
      type: `${PROBLEM_BASE}unsupported-format`,
      file: 'plan.geojson',
    });

    const stale = await upload(s.id, glb, { expectedVersion: 7, fileName: 'massing-two-blocks.glb' });
    expect(stale.statusCode).toBe(409);
    expect(await stateOf(s.id)).toEqual(before);
  });

  it('is documented in OpenAPI with the energy route', async () => {
    const doc = (await inject('/docs/json')).json();
    expect(doc.paths['/api/scenarios/{id}/massing'].post.responses['422']).toBeDefined();
    expect(doc.paths['/api/scenarios/{id}/energy'].get).toBeDefined();
  });

  it('asks for a site origin for a glTF when the scenario has no site', async () => {
    const s = await create('massing no site', null);
    const res = await upload(s.id, glb, { expectedVersion: 1, fileName: 'massing-two-blocks.glb' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      type: `${PROBLEM_BASE}missing-georeference`,
      file: 'massing-two-blocks.glb',
    });
    expect((await stateOf(s.id)).changes).toBe(0);
  });
});

describe('GET /api/scenarios/:id/energy', () => {
  it('adds the imported buildings’ demand to the site’s; the baseline is the same as an empty scenario’s', async () => {
    const empty = await create('energy empty');
    const s = await create('energy glb');
    expect((await upload(s.id, glb, { expectedVersion: 1, fileName: 'm.glb' })).statusCode).toBe(200);
    const e0 = (await inject(`/api/scenarios/${empty.id}/energy`)).json();
    const e1 = (await inject(`/api/scenarios/${s.id}/energy`)).json();
    expect(e0.delta).toEqual({ buildings: 0, floorAreaM2: 0, heatMwh: 0, electricityMwh: 0 });
    expect(e1.baseline).toEqual(e0.baseline);
    expect(e1.delta.buildings).toBe(2);
    expect(e1.delta.heatMwh).toBeGreaterThan(0);
    expect(e1.delta.electricityMwh).toBeGreaterThan(0);
    // Homes: Ofgem TDCV 2023 per m² for residential — the same per-m² figure as any residential building of the
    // energy layer; the floor area the benchmarks apply to is the scenario's own.
    expect(e1.delta.heatMwh / e1.delta.floorAreaM2).toBeGreaterThan(0.05);
    expect(e1.delta.heatMwh / e1.delta.floorAreaM2).toBeLessThan(0.3);
    expect(e1.method).toMatch(/TM46/);
  });
});

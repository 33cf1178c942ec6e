import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { ensureSampleData } from '@placetwin/cli';
import { countBuildings, type Db, getBuilding, openTestDb } from '@placetwin/db';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataDir } from '../../../test/support/paths';
import { buildApp } from './app';
import { PROBLEM_BASE } from './plugins/app/problems';

// The whole first start on the real sample: Rutland's OSM extract imported into PostGIS and tiled, once for the
// file, then the API, tiles and basemap driven through app.inject().

/** Oakham town centre, about 2 × 2 km. */
const OAKHAM_BBOX = '-0.745,52.660,-0.715,52.680';
/** The z14 basemap tile over Oakham market place (52.6703 N, 0.7272 W). */
const OAKHAM_TILE = '/basemap/14/8158/5361.png';

let db: Db;
let drop: () => Promise<void>;
let root: string;
let tilesetsDir: string;
let dataDir: string;
let app: FastifyInstance;
let loaded = false;
let healthBeforeLoad: LightMyRequestResponse;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-server-'));
  tilesetsDir = join(root, 'tilesets');
  dataDir = join(root, 'data');
  // Something worth stealing right beside the tilesets folder, for the traversal tests.
  await writeFile(join(root, 'secret.json'), '{"password":"hunter2"}');
  app = buildApp({ db, tilesetsDir, dataDir, ready: () => loaded });
  healthBeforeLoad = await app.inject('/api/health');
  await ensureSampleData(db, { tilesetsDir, sampleDataDir });
  loaded = true;
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const problemOf = (res: LightMyRequestResponse) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.json();
};

describe('health', () => {
  it('is 503 while the sample loads, then 200', async () => {
    expect(healthBeforeLoad.statusCode).toBe(503);
    expect(problemOf(healthBeforeLoad).type).toBe(`${PROBLEM_BASE}not-ready`);
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });
});

describe('datasets', () => {
  it('lists Rutland with its building count, extent, credits and tileset', async () => {
    const res = await app.inject('/api/datasets');
    expect(res.statusCode).toBe(200);
    const [rutland, ...others] = res.json();
    expect(others).toEqual([]);
    expect(rutland).toMatchObject({
      name: 'rutland',
      attribution: expect.stringContaining('OpenStreetMap contributors'),
      licence: expect.stringMatching(/ODbL/),
      tilesetUrl: '/tilesets/rutland/tileset.json',
    });
    expect(typeof rutland.id).toBe('number');
    expect(rutland.buildingCount).toBe(await countBuildings(db, 'rutland'));
    expect(rutland.buildingCount).toBeGreaterThan(4000);
    // Rutland lies between about 0.43° and 0.82° W, 52.52° and 52.77° N.
    const [w, s, e, n] = rutland.bbox;
    expect(w).toBeGreaterThan(-0.9);
    expect(e).toBeLessThan(-0.35);
    expect(s).toBeGreaterThan(52.45);
    expect(n).toBeLessThan(52.85);
    expect(Object.keys(rutland).sort()).toEqual(
      [
        'attribution',
        'bbox',
        'buildingCount',
        'id',
        'licence',
        'name',
        'source',
        'tilesetUrl',
        'title',
        'vintage',
      ].sort(),
    );
  });

  it('answers one dataset by name, and 404 for an unknown one', async () => {
    const one = await app.inject('/api/datasets/rutland');
    expect(one.json().name).toBe('rutland');
    const missing = await app.inject('/api/datasets/atlantis');
    expect(missing.statusCode).toBe(404);
    expect(problemOf(missing)).toMatchObject({
      type: `${PROBLEM_BASE}not-found`,
      detail: 'no dataset named "atlantis"',
    });
  });

  it('gives the credits to show', async () => {
    const { credits } = (await app.inject('/api/attribution')).json();
    expect(credits).toEqual([
      expect.objectContaining({
        text: expect.stringContaining('© OpenStreetMap contributors'),
        datasets: ['rutland'],
      }),
    ]);
  });
});

describe('buildings', () => {
  it('returns a building with all attributes, how its height was obtained, and provenance', async () => {
    const collection = (await app.inject(`/api/buildings?bbox=${OAKHAM_BBOX}&limit=100000`)).json();
    const named = collection.features.find((f: { properties: { name: string | null } }) => f.properties.name);
    expect(named).toBeDefined();
    const res = await app.inject(`/api/buildings/${encodeURIComponent(named.id)}`);
    expect(res.statusCode).toBe(200);
    const b = res.json();
    const stored = await getBuilding(db, named.id);
    expect(b.id).toBe(named.id);
    expect(b.id).toBe(`rutland:${b.sourceId}`);
    expect(b.name).toBe(stored?.name);
    expect(b.heightM).toBe(stored?.heightM);
    expect(['measured', 'levels', 'type-default']).toContain(b.heightSource);
    expect(b.heightMethod.length).toBeGreaterThan(5);
    expect(b.footprintAreaM2).toBeGreaterThan(1);
    expect(b.attributes).toEqual(stored?.attributes);
    expect(Object.keys(b.attributes).length).toBeGreaterThan(0);
    expect(['Polygon', 'MultiPolygon']).toContain(b.footprint.type);
    expect(b.dataset).toMatchObject({
      name: 'rutland',
      licence: expect.stringMatching(/ODbL/),
      attribution: expect.stringContaining('OpenStreetMap'),
    });
  });

  it('answers an unknown id with a 404 problem', async () => {
    const res = await app.inject('/api/buildings/rutland:w0');
    expect(res.statusCode).toBe(404);
    expect(problemOf(res)).toEqual({
      type: `${PROBLEM_BASE}not-found`,
      title: 'Not Found',
      status: 404,
      detail: 'no building with id "rutland:w0"',
      instance: '/api/buildings/rutland:w0',
    });
  });

  it('returns the buildings in a box as GeoJSON, each touching the box, filtered by dataset and limit', async () => {
    const res = await app.inject(`/api/buildings?bbox=${OAKHAM_BBOX}&dataset=rutland&limit=100000`);
    expect(res.statusCode).toBe(200);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(300);
    expect(fc.numberReturned).toBe(fc.features.length);
    const [w, s, e, n] = OAKHAM_BBOX.split(',').map(Number);
    for (const f of fc.features) {
      expect(f.id.startsWith('rutland:')).toBe(true);
      const ring: number[][] =
        f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const lons = ring.map((p) => p[0]);
      const lats = ring.map((p) => p[1]);
      expect(
        Math.max(...lons) >= w && Math.min(...lons) <= e && Math.max(...lats) >= s && Math.min(...lats) <= n,
      ).toBe(true);
    }
    const limited = (await app.inject(`/api/buildings?bbox=${OAKHAM_BBOX}&limit=5`)).json();
    expect(limited.features).toHaveLength(5);
    expect(limited).toMatchObject({ numberReturned: 5, limit: 5 });
    const otherDataset = (await app.inject(`/api/buildings?bbox=${OAKHAM_BBOX}&dataset=leeds`)).json();
    expect(otherDataset.features).toEqual([]);
  });

  it('compresses large JSON answers for clients that accept it', async () => {
    const url = `/api/buildings?bbox=${OAKHAM_BBOX}&limit=100000`;
    const plain = await app.inject(url);
    const br = await app.inject({ url, headers: { 'accept-encoding': 'br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(br.rawPayload.byteLength).toBeLessThan(plain.rawPayload.byteLength / 3);
    const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
  });
});

/** Every content URI in a tileset.json, depth first. */
const contentUris = (tile: { content?: { uri: string }; children?: unknown[] }): string[] => [
  ...(tile.content ? [tile.content.uri] : []),
  ...((tile.children ?? []) as (typeof tile)[]).flatMap(contentUris),
];

describe('tilesets', () => {
  it('serves tileset.json as JSON with a strong ETag, to revalidate, answering 304 when unchanged', async () => {
    const res = await app.inject('/tilesets/rutland/tileset.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const etag = String(res.headers.etag);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(res.json().asset.version).toBe('1.1');
    const again = await app.inject({
      url: '/tilesets/rutland/tileset.json',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
  });

  it('serves content-addressed .glb as glTF, immutable, compressed when the client accepts it', async () => {
    const tileset = (await app.inject('/tilesets/rutland/tileset.json')).json();
    const uris = contentUris(tileset.root);
    expect(uris.length).toBeGreaterThan(0);
    const url = `/tilesets/rutland/${uris[0]}`;
    const plain = await app.inject(url);
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('model/gltf-binary');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.rawPayload.subarray(0, 4).toString()).toBe('glTF');
    const gz = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
    // Compressed when that saves at least 5% (meshopt-packed geometry may not shrink), else sent as is.
    const worth = gzipSync(plain.rawPayload).byteLength <= plain.rawPayload.byteLength * 0.95;
    expect(gz.headers['content-encoding']).toBe(worth ? 'gzip' : undefined);
    const body = worth ? gunzipSync(gz.rawPayload) : gz.rawPayload;
    expect(body.equals(plain.rawPayload)).toBe(true);
    expect(gz.headers.etag === plain.headers.etag).toBe(!worth);
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
  });

  it('compresses tileset.json with brotli for clients that accept it', async () => {
    const plain = await app.inject('/tilesets/rutland/tileset.json');
    const br = await app.inject({
      url: '/tilesets/rutland/tileset.json',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
  });

  it('never serves files outside the tilesets folder, whatever the raw path', async () => {
    expect(existsSync(join(tilesetsDir, '..', 'secret.json'))).toBe(true);
    // Over a real socket: inject() and browsers normalise `..` away before the server sees it; attackers do not.
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const rawGet = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path }, (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    for (const path of [
      '/tilesets/../secret.json',
      '/tilesets/rutland/../../secret.json',
      '/tilesets/%2e%2e/secret.json',
      '/tilesets/rutland/%2e%2e%2f%2e%2e%2fsecret.json',
      '/tilesets/rutland/..%2F..%2Fsecret.json',
      '/tilesets/..%5csecret.json',
      '/tilesets/%2fetc%2fpasswd',
      '/tilesets/rutland/tileset.json%00.glb',
    ]) {
      const res = await rawGet(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('hunter2');
    }
  });
});

describe('basemap', () => {
  it('draws a non-blank PNG over Oakham from the real map features, cached on disk', async () => {
    const res = await app.inject(OAKHAM_TILE);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    const png = PNG.sync.read(res.rawPayload);
    expect([png.width, png.height]).toEqual([256, 256]);
    const colours = new Set<number>();
    let opaque = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i + 3] === 255) opaque++;
      colours.add(png.data.readUInt32BE(i));
    }
    // Inside the data the land colour covers everything; roads, land use and water add many colours.
    expect(opaque).toBe(256 * 256);
    expect(colours.size).toBeGreaterThan(20);
    const versions = await readdir(join(dataDir, 'basemap-cache'));
    expect(versions).toHaveLength(1);
    expect(existsSync(join(dataDir, 'basemap-cache', versions[0], '14', '8158', '5361.png'))).toBe(true);
  });

  it('revalidates by ETag (304) with a day of caching', async () => {
    const first = await app.inject(OAKHAM_TILE);
    expect(first.headers['cache-control']).toBe('public, max-age=86400');
    const again = await app.inject({
      url: OAKHAM_TILE,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('answers a tile outside every dataset with a transparent PNG', async () => {
    // z14 over the North Sea (53.5° N, 2.4° E), far east of Rutland.
    const res = await app.inject('/basemap/14/8300/5300.png');
    expect(res.statusCode).toBe(200);
    const png = PNG.sync.read(res.rawPayload);
    let visible = 0;
    for (let i = 3; i < png.data.length; i += 4) if (png.data[i] !== 0) visible++;
    expect(visible).toBe(0);
  });
});

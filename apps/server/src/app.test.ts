import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { PROBLEM_BASE } from './plugins/app/problems';
import { failingDb } from './testing/failing-db';

// The app with a database that fails every query (and counts them): these tests cover what the server does
// before or without data (input checks, error bodies, headers, the viewer). `app.db.test.ts` covers the data.

let root: string;
let viewerDir: string;
const apps: FastifyInstance[] = [];
const make = (options: Partial<Parameters<typeof buildApp>[0]> & { db: Db }) => {
  const app = buildApp({ tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data'), ...options });
  apps.push(app);
  return app;
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'placetwin-app-'));
  viewerDir = join(root, 'dist');
  await mkdir(join(viewerDir, 'assets'), { recursive: true });
  await writeFile(
    join(viewerDir, 'index.html'),
    '<!doctype html><title>Placetwin viewer</title><div id="root"></div>',
  );
  await writeFile(join(viewerDir, 'assets', 'index-3f9a1c2b.js'), 'console.log("viewer")');
  await mkdir(join(viewerDir, 'cesium', 'Workers'), { recursive: true });
  await writeFile(join(viewerDir, 'cesium', 'Workers', 'createGeometry.js'), 'self.onmessage = () => {}');
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await rm(root, { recursive: true, force: true });
});

describe('errors', () => {
  it('answers a bug with a 500 problem carrying the request id, logging but not leaking the cause', async () => {
    const db = failingDb('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2');
    const app = make({ db });
    const res = await app.inject({ url: '/api/datasets', headers: { 'x-request-id': 'trace-77' } });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('trace-77');
    expect(res.json()).toMatchObject({ type: `${PROBLEM_BASE}internal`, status: 500, requestId: 'trace-77' });
    expect(res.body).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|hunter2|stack/);
  });

  it('makes up a request id when the given one is not a plain token', async () => {
    const app = make({ db: failingDb('x') });
    const res = await app.inject({ url: '/api/health', headers: { 'x-request-id': 'a b\n{"inject":1}' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects bad query input with 400 problems before touching the database', async () => {
    const db = failingDb('must not be queried');
    const app = make({ db });
    const cases: [string, string, RegExp][] = [
      ['/api/buildings', 'validation', /querystring bbox/],
      ['/api/buildings?bbox=a,b,c,d', 'invalid-bbox', /west "a" is not a finite number/],
      ['/api/buildings?bbox=-0.71,52.66,-0.74,52.68', 'invalid-bbox', /west must be less than east/],
      ['/api/buildings?bbox=-3,50,3,56', 'bbox-too-large', /limit is 2500 km²/],
      ['/api/buildings?bbox=-0.74,52.66,-0.71,52.68&limit=0', 'validation', /limit/],
      ['/api/buildings?bbox=-0.74,52.66,-0.71,52.68&limit=100001', 'validation', /limit/],
      ['/api/buildings?bbox=-0.74,52.66,-0.71,52.68&dataset=Not%20A%20Slug', 'validation', /dataset/],
      ['/api/buildings/not-an-id', 'validation', /params id/],
      ['/api/datasets/UPPER', 'validation', /params name/],
      ['/basemap/3/8/0.png', 'invalid-tile', /must be below 2\^3/],
      ['/basemap/21/0/0.png', 'validation', /params z/],
      ['/basemap/a/0/0.png', 'validation', /params z/],
    ];
    for (const [url, type, detail] of cases) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      const body = res.json();
      expect(body.type, url).toBe(`${PROBLEM_BASE}${type}`);
      expect(body.detail, url).toMatch(detail);
    }
    expect(db.queries).toBe(0);
  });

  it('lists each invalid field in a validation problem', async () => {
    const app = make({ db: failingDb('x') });
    const body = (await app.inject('/api/buildings?limit=-1')).json();
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'querystring', field: expect.stringMatching(/bbox|limit/) }),
      ]),
    );
  });

  it('answers unknown API paths, missing files and other methods with 404 problems, not the viewer page', async () => {
    const app = make({ db: failingDb('x'), viewerDir });
    for (const req of [
      { method: 'GET' as const, url: '/api/nothing-here' },
      { method: 'GET' as const, url: '/tilesets/nothing/tileset.json' },
      { method: 'POST' as const, url: '/somewhere' },
      { method: 'GET' as const, url: '/assets/index-deadbeef.js' },
      { method: 'DELETE' as const, url: '/api/datasets' },
    ]) {
      const res = await app.inject(req);
      expect(res.statusCode, req.url).toBe(404);
      expect(res.json(), req.url).toMatchObject({ type: `${PROBLEM_BASE}not-found`, status: 404 });
    }
  });
});

describe('viewer', () => {
  it('serves index.html at / and for client-side routes, always revalidated', async () => {
    const app = make({ db: failingDb('x'), viewerDir });
    for (const url of ['/', '/index.html', '/share/some-view']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('Placetwin viewer');
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('caches hashed bundles for a year and revalidates unhashed files such as Cesium workers', async () => {
    const app = make({ db: failingDb('x'), viewerDir });
    const bundle = await app.inject('/assets/index-3f9a1c2b.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const worker = await app.inject('/cesium/Workers/createGeometry.js');
    expect(worker.headers['cache-control']).toBe('no-cache');
    const again = await app.inject({
      url: '/cesium/Workers/createGeometry.js',
      headers: { 'if-none-match': String(worker.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('says how to build the viewer when it is not built', async () => {
    const app = make({ db: failingDb('x'), viewerDir: join(root, 'no-such-dist') });
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build');
  });
});

describe('headers and docs', () => {
  it('sends a CSP that lets Cesium run offline and allows no third-party origin', async () => {
    const app = make({ db: failingDb('x'), viewerDir });
    const res = await app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    const directive = (name: string) => csp.split(';').find((d) => d.startsWith(`${name} `));
    expect(directive('worker-src')).toBe("worker-src 'self' blob:");
    expect(directive('img-src')).toBe("img-src 'self' data: blob:");
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(csp).not.toMatch(/https?:|\*|upgrade-insecure-requests/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('publishes OpenAPI at /docs/json listing the API routes, and the Swagger UI at /docs', async () => {
    const app = make({ db: failingDb('x') });
    const spec = (await app.inject('/docs/json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/datasets',
        '/api/datasets/{name}',
        '/api/attribution',
        '/api/buildings',
        '/api/buildings/{id}',
        '/tilesets/{*}',
        '/basemap/{z}/{x}/{y}.png',
      ]),
    );
    expect(Object.keys(spec.paths).some((p) => p === '/' || p === '/*')).toBe(false);
    expect(spec.paths['/api/buildings'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['bbox', 'dataset', 'limit']),
    );
    const ui = await app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('reports not ready (503 problem, Retry-After) until the sample is loaded', async () => {
    let ready = false;
    const app = make({ db: failingDb('x'), ready: () => ready });
    const starting = await app.inject('/api/health');
    expect(starting.statusCode).toBe(503);
    expect(starting.headers['retry-after']).toBe('5');
    expect(starting.json().type).toBe(`${PROBLEM_BASE}not-ready`);
    ready = true;
    const up = await app.inject('/api/health');
    expect(up.statusCode).toBe(200);
    expect(up.json()).toEqual({ status: 'ok' });
  });
});

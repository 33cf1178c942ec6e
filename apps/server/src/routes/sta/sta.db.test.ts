import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Db, importObservationHistory, openTestDb, registerSensors } from '@placetwin/db';
import { parseSensorList, readLeedsFootfall } from '@placetwin/sensors';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { collectionSchema, entitySchemas, serviceRootSchema } from './spec-schemas';

// SensorThings answers over real data (Leeds footfall, 2009, two sites; AURN London sites) validated with ajv
// against JSON Schemas written from OGC 18-088.

const FOOTFALL = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');
const AURN_SITES = sample('air-quality', 'london-aurn-sites.csv');
const LEEDS_SITES = join(
  import.meta.dirname,
  '../../../../../packages/sensors/fixtures/leeds-footfall-sites.geojson',
);
const ROOT = '/sta/v1.1';

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
for (const s of entitySchemas) ajv.addSchema(s);

const ENTITY_ID: Record<string, string> = {
  Things: 'sta:Thing',
  Locations: 'sta:Location',
  Datastreams: 'sta:Datastream',
  ObservedProperties: 'sta:ObservedProperty',
  Observations: 'sta:Observation',
};

function valid(schema: object | string, data: unknown) {
  const validate = typeof schema === 'string' ? ajv.getSchema(schema) : ajv.compile(schema);
  if (!validate) throw new Error(`no schema ${String(schema)}`);
  const ok = validate(data);
  if (!ok)
    throw new Error(`${JSON.stringify(validate.errors, null, 1)}\nin ${JSON.stringify(data).slice(0, 500)}`);
  return true;
}

const get = async (url: string) => {
  const res = await app.inject(url);
  return { status: res.statusCode, body: res.json(), type: String(res.headers['content-type']) };
};
const collection = async (set: string, url: string) => {
  const r = await get(url);
  expect(r.status).toBe(200);
  expect(valid(collectionSchema(ENTITY_ID[set]), r.body)).toBe(true);
  return r.body as { value: Record<string, unknown>[]; '@iot.count'?: number; '@iot.nextLink'?: string };
};

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-sta-'));
  const leeds = await parseSensorList(readFileSync(LEEDS_SITES, 'utf8'), {
    fileName: 'leeds-footfall-sites.geojson',
  });
  const aurn = await parseSensorList(readFileSync(AURN_SITES, 'utf8'), {
    fileName: 'london-aurn-sites.csv',
    defaults: {
      area: 'london',
      owner: 'Defra',
      licence: 'OGL-UK-3.0',
      observedProperties: ['no2'],
      accuracyM: 10,
    },
  });
  await registerSensors(db, [...leeds, ...aurn]);
  const bySite = new Map(leeds.map((d) => [String(d.properties?.sourceName), d.id]));
  async function* year2009() {
    for await (const row of readLeedsFootfall(createReadStream(FOOTFALL), { fileName: 'footfall.csv.gz' })) {
      if (row.phenomenonTimeMs >= Date.UTC(2010, 0, 1)) return;
      if (row.site === 'Briggate' || row.site === 'Headrow') {
        yield {
          sensorId: bySite.get(row.site) as string,
          phenomenonTimeMs: row.phenomenonTimeMs,
          value: row.count,
        };
      }
    }
  }
  await importObservationHistory(db, year2009());
  app = buildApp({ db, tilesetsDir: join(root, 't'), dataDir: join(root, 'd') });
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('SensorThings API 1.1 (read subset)', () => {
  it('serves a service root listing the entity sets and conformance classes', async () => {
    const r = await get(ROOT);
    expect(valid(serviceRootSchema, r.body)).toBe(true);
    expect(r.body.value.map((v: { name: string }) => v.name)).toEqual([
      'Things',
      'Locations',
      'Datastreams',
      'ObservedProperties',
      'Observations',
    ]);
    expect(r.body.value[0].url).toMatch(/^http:\/\/[^/]+\/sta\/v1\.1\/Things$/);
  });

  it('lists every entity set in the spec’s collection form, each entity valid', async () => {
    for (const set of Object.keys(ENTITY_ID)) {
      const c = await collection(set, `${ROOT}/${set}?$top=20`);
      expect(c.value.length).toBeGreaterThan(0);
      for (const e of c.value)
        expect(e['@iot.selfLink']).toBe(`http://localhost:80${ROOT}/${set}(${e['@iot.id']})`);
    }
  });

  it('pages with $top/$skip, counts with $count and links the next page with @iot.nextLink', async () => {
    const first = await collection('Things', `${ROOT}/Things?$top=5&$count=true&$orderby=name`);
    expect(first['@iot.count']).toBe(12);
    expect(first.value).toHaveLength(5);
    const next = new URL(first['@iot.nextLink'] as string);
    expect(next.searchParams.get('$skip')).toBe('5');
    expect(next.searchParams.get('$orderby')).toBe('name');
    const names: string[] = first.value.map((t) => t.name as string);
    let link: string | undefined = first['@iot.nextLink'];
    while (link) {
      const page = await collection('Things', link.replace(/^http:\/\/[^/]+/, ''));
      names.push(...page.value.map((t) => t.name as string));
      link = page['@iot.nextLink'];
    }
    expect(names).toHaveLength(12);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const beyond = await collection('Things', `${ROOT}/Things?$skip=100`);
    expect(beyond.value).toEqual([]);
    expect(beyond['@iot.nextLink']).toBeUndefined();
  });

  it('reads one entity by id, follows navigation links and expands Datastreams', async () => {
    const things = await collection('Things', `${ROOT}/Things?$expand=Datastreams&$orderby=id`);
    const briggate = things.value.find(
      (t) => (t.properties as { sensorId: string }).sensorId === 'leeds-briggate',
    );
    expect(briggate).toBeDefined();
    const ds = (briggate as Record<string, unknown>).Datastreams as Record<string, unknown>[];
    const [first] = ds;
    expect(first).toMatchObject({
      unitOfMeasurement: { symbol: '{count}/h', name: 'pedestrians per hour' },
      observationType: 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
      phenomenonTime: '2009-01-01T00:00:00.000Z/2009-12-31T23:00:00.000Z',
    });
    const one = await get(`${ROOT}/Things(${briggate?.['@iot.id']})`);
    expect(valid('sta:Thing', one.body)).toBe(true);
    const loc = await collection('Locations', new URL(one.body['Locations@iot.navigationLink']).pathname);
    expect(loc.value[0]).toMatchObject({
      encodingType: 'application/geo+json',
      location: { type: 'Point', coordinates: [-1.54195, 53.79745] },
      properties: { accuracyM: 150 },
    });
    const thing = await get(new URL(first['Thing@iot.navigationLink'] as string).pathname);
    expect(valid('sta:Thing', thing.body)).toBe(true);
    expect(thing.body['@iot.id']).toBe(briggate?.['@iot.id']);
    const property = await get(new URL(first['ObservedProperty@iot.navigationLink'] as string).pathname);
    expect(valid('sta:ObservedProperty', property.body)).toBe(true);
    expect(property.body.name).toBe('Footfall');
  });

  it('filters Observations on phenomenonTime, orders them, and the counts match the file', async () => {
    const things = await collection('Things', `${ROOT}/Things?$expand=Datastreams`);
    const headrow = things.value.find(
      (t) => (t.properties as { sensorId: string }).sensorId === 'leeds-headrow',
    );
    const dsId = ((headrow as Record<string, unknown>).Datastreams as { '@iot.id': number }[])[0]['@iot.id'];
    const filter = encodeURIComponent(
      'phenomenonTime ge 2009-06-01T00:00:00+01:00 and phenomenonTime lt 2009-06-08T00:00:00+01:00',
    );
    const page = await collection(
      'Observations',
      `${ROOT}/Datastreams(${dsId})/Observations?$filter=${filter}&$orderby=phenomenonTime%20desc&$top=3&$count=true`,
    );
    // 1–7 June 2009 (BST, +01:00) at Headrow from the CSV: 7 days × 24 local hours of 01/06–07/06.
    const lines = gunzipSync(readFileSync(FOOTFALL)).toString('utf8').split('\n');
    const june = lines.filter((l) => /^0[1-7]\/06\/2009,\d+,\d+,Headrow,/.test(l));
    expect(page['@iot.count']).toBe(june.length);
    expect(june.length).toBe(168);
    // The last hour, 23:00 BST on 7 June, is 22:00 UTC.
    const last = june.find((l) => l.startsWith('07/06/2009') && l.split(',')[4] === '23') as string;
    expect(page.value[0]).toMatchObject({
      phenomenonTime: '2009-06-07T22:00:00.000Z',
      result: Number(last.split(',')[1]),
    });
    expect(page.value.map((o) => o.phenomenonTime)).toEqual([
      '2009-06-07T22:00:00.000Z',
      '2009-06-07T21:00:00.000Z',
      '2009-06-07T20:00:00.000Z',
    ]);
    const gt = await collection(
      'Observations',
      `${ROOT}/Datastreams(${dsId})/Observations?$filter=${encodeURIComponent('phenomenonTime gt 2009-12-31T22:00:00Z')}`,
    );
    expect(gt.value.map((o) => o.phenomenonTime)).toEqual(['2009-12-31T23:00:00.000Z']);
    const obs = await get(`${ROOT}/Observations(${page.value[0]['@iot.id']})`);
    expect(valid('sta:Observation', obs.body)).toBe(true);
    const back = await get(new URL(obs.body['Datastream@iot.navigationLink']).pathname);
    expect(back.body['@iot.id']).toBe(dsId);
  });

  it('refuses what it does not support with a problem naming it, and 404s unknown entities', async () => {
    const cases: [string, number, string][] = [
      [`${ROOT}/Things?$select=name`, 400, 'sta-unsupported'],
      [`${ROOT}/Sensors`, 400, 'sta-unsupported'],
      [`${ROOT}/Things(1)/HistoricalLocations`, 400, 'sta-unsupported'],
      [
        `${ROOT}/Things?$filter=${encodeURIComponent('phenomenonTime ge 2009-01-01T00:00:00Z')}`,
        400,
        'sta-unsupported',
      ],
      [`${ROOT}/Observations?$filter=${encodeURIComponent('result gt 5')}`, 400, 'sta-unsupported'],
      [
        `${ROOT}/Observations?$filter=${encodeURIComponent('phenomenonTime ge yesterday')}`,
        400,
        'sta-bad-request',
      ],
      [`${ROOT}/Observations?$top=-1`, 400, 'sta-bad-request'],
      [`${ROOT}/Datastreams?$expand=Observations`, 400, 'sta-unsupported'],
      [`${ROOT}/Things?$orderby=colour`, 400, 'sta-unsupported'],
      [`${ROOT}/Things(999999)`, 404, 'not-found'],
      ['/sta/v2.0/Things', 404, 'not-found'],
    ];
    for (const [url, status, type] of cases) {
      const r = await get(url);
      expect([url, r.status, r.type]).toEqual([
        url,
        status,
        expect.stringMatching(/^application\/problem\+json/),
      ]);
      expect(r.body.type).toBe(`${PROBLEM_BASE}${type}`);
    }
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile, importUprnFile, loadOstn15, unmatchedUprnCsv } from '@placetwin/cli';
import { type Db, openTestDb } from '@placetwin/db';
import { osmPbfImporter } from '@placetwin/importers';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample, sampleDataDir } from '../../../../../test/support/paths';
import { rutlandImported } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';
import { PROBLEM_BASE } from '../../plugins/app/problems';
import { UPRN_CSV_HEADER } from './uprns';

// UPRN links on real PostGIS and the real Rutland import: OSM ref:GB:uprn tags, the OS Open UPRN fixture matched by
// point in footprint (packages/importers/fixtures/README.md says where its rows come from), the API and the export.

const RUTLAND_PBF = sample('rutland', 'rutland-2022-11.osm.pbf');
const fixture = (name: string) =>
  join(import.meta.dirname, '../../../../../packages/importers/fixtures', name);

/** The fixture's UPRNs and the Rutland building each point was taken from. */
const EXPECTED: Record<string, string> = {
  '100032046630': 'rutland:r6044726',
  '100032045782': 'rutland:w149866344',
  '100030717072': 'rutland:w353635259',
  '100032045493': 'rutland:w893169409',
  '100032045137': 'rutland:r3308810',
  '900000000001': 'rutland:w178280261',
  '900000000002': 'rutland:w178280140',
  '900000000003': 'rutland:w178280140',
};
const IN_RUTLAND_WATER = '900000000004';

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;

const links = async (source?: string) =>
  (
    await db.query<{ building_id: string; uprn: string; source: string }>(
      `SELECT building_id, uprn::text AS uprn, source FROM building_uprns
       WHERE ($1::text IS NULL OR source = $1) ORDER BY uprn, building_id`,
      [source ?? null],
    )
  ).rows;

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandImported));
  root = await mkdtemp(join(tmpdir(), 'placetwin-uprn-db-'));
  await loadOstn15(sampleDataDir);
  app = buildApp({ db, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('links from OSM ref:GB:uprn tags', () => {
  it('links every Rutland building that carries the tag (the extract has them only on school grounds)', async () => {
    const bytes = new Uint8Array(await readFile(RUTLAND_PBF));
    const tagged: string[] = [];
    for await (const f of osmPbfImporter.parse(bytes, { fileName: RUTLAND_PBF, skipInvalid: true }))
      if (f.kind === 'building' && f.attributes?.['ref:GB:uprn']) tagged.push(`rutland:${f.sourceId}`);
    const osm = await links('osm-tag');
    expect(osm.map((l) => l.building_id).sort()).toEqual(tagged.sort());
  });

  it('links tagged buildings at import, splitting `;` lists and ignoring values that are not UPRNs', async () => {
    await importFile(db, fixture('osm-uprn-tags.osm'), { dataset: 'uprn-tags' });
    const osm = (await links('osm-tag')).filter((l) => l.building_id.startsWith('uprn-tags:'));
    expect(osm.map((l) => [l.building_id, l.uprn])).toEqual([
      ['uprn-tags:w100', '910000000001'],
      ['uprn-tags:w101', '910000000002'],
      ['uprn-tags:w101', '910000000003'],
    ]);
    // Importing again keeps exactly the same links.
    await importFile(db, fixture('osm-uprn-tags.osm'), { dataset: 'uprn-tags' });
    expect((await links('osm-tag')).filter((l) => l.building_id.startsWith('uprn-tags:'))).toEqual(osm);
    const res = await app.inject('/api/buildings?uprn=910000000003');
    expect(res.statusCode).toBe(200);
    expect(res.json().features.map((f: { id: string }) => f.id)).toEqual(['uprn-tags:w101']);
  });
});

describe('OS Open UPRN importer (point in footprint, BNG)', () => {
  it('rejects a file with a bad row whole, naming file and line, and writes nothing', async () => {
    const before = await links('os-open-uprn');
    await expect(importUprnFile(db, fixture('os-open-uprn-bad-row.csv'), 'rutland')).rejects.toThrow(
      /os-open-uprn-bad-row\.csv, feature line 3: UPRN "90000000000X" is not a number/,
    );
    expect(await links('os-open-uprn')).toEqual(before);
  });

  it('rejects an unknown dataset', async () => {
    await expect(importUprnFile(db, fixture('os-open-uprn-rutland.csv'), 'nowhere')).rejects.toThrow(
      /no dataset "nowhere"/,
    );
  });

  it('links each UPRN to the footprint that contains its point and reports the one in Rutland Water', async () => {
    const s = await importUprnFile(db, fixture('os-open-uprn-rutland.csv'), 'rutland');
    expect(s.transform).toBe('ostn15');
    expect(s.total).toBe(9);
    expect(s.linked).toBe(8);
    expect(s.unmatched.map((u) => [u.uprn, u.line])).toEqual([[IN_RUTLAND_WATER, 10]]);
    expect(unmatchedUprnCsv(s)).toBe(
      `UPRN,X_COORDINATE,Y_COORDINATE,LINE\n${IN_RUTLAND_WATER},493000,307500,10\n`,
    );
    const csv = await links('os-open-uprn');
    expect(Object.fromEntries(csv.map((l) => [l.uprn, l.building_id]))).toEqual(EXPECTED);
    // Importing again is idempotent.
    const again = await importUprnFile(db, fixture('os-open-uprn-rutland.csv'), 'rutland');
    expect(again.linked).toBe(8);
    expect(await links('os-open-uprn')).toEqual(csv);
  });
});

describe('GET /api/buildings?uprn=', () => {
  it('finds the building a UPRN is linked to', async () => {
    const res = await app.inject('/api/buildings?uprn=100032045137');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.features.map((f: { id: string }) => f.id)).toEqual(['rutland:r3308810']);
    expect(body.features[0].properties.name).toBe('Brooke Hill Primary School');
    expect(body.features[0].geometry.type).toMatch(/Polygon/);
  });

  it('answers 404 with a problem for a UPRN linked to no building (also the unmatched one)', async () => {
    for (const uprn of ['123456789012', IN_RUTLAND_WATER]) {
      const res = await app.inject(`/api/buildings?uprn=${uprn}`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: `${PROBLEM_BASE}not-found`, status: 404 });
      expect(res.json().detail).toContain(uprn);
    }
  });

  it.each(['abc', '0123', '1234567890123', '12.5', ''])(
    'answers 400 for the malformed UPRN "%s"',
    async (uprn) => {
      const res = await app.inject(`/api/buildings?uprn=${encodeURIComponent(uprn)}`);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().status).toBe(400);
    },
  );

  it('answers 400 with neither bbox nor uprn, or both', async () => {
    expect((await app.inject('/api/buildings')).statusCode).toBe(400);
    const both = await app.inject('/api/buildings?uprn=100032045137&bbox=-0.74,52.66,-0.73,52.67');
    expect(both.statusCode).toBe(400);
    expect(both.json().detail).toMatch(/either bbox or uprn/);
  });

  it('still answers bbox queries', async () => {
    const res = await app.inject('/api/buildings?bbox=-0.7345,52.6715,-0.7330,52.6740&dataset=rutland');
    expect(res.statusCode).toBe(200);
    expect(res.json().features.map((f: { id: string }) => f.id)).toContain('rutland:w178280261');
  });
});

describe('building detail and export', () => {
  it('lists the UPRNs linked to a building', async () => {
    const station = (await app.inject('/api/buildings/rutland:w178280140')).json();
    expect(station.uprns).toEqual([
      { uprn: '900000000002', source: 'os-open-uprn' },
      { uprn: '900000000003', source: 'os-open-uprn' },
    ]);
    expect((await app.inject('/api/buildings/uprn-tags:w102')).json().uprns).toEqual([]);
  });

  it('exports building ↔ UPRN with the building indicators as CSV', async () => {
    const res = await app.inject('/api/datasets/rutland/uprns.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = res.body.trim().split('\n');
    expect(header).toBe(UPRN_CSV_HEADER);
    const osmTagged = (await links('osm-tag')).filter((l) => l.building_id.startsWith('rutland:')).length;
    expect(rows).toHaveLength(8 + osmTagged);
    const row = rows.find((r) => r.startsWith('100032045137,'))?.split(',') ?? [];
    const school = (await app.inject('/api/buildings/rutland:r3308810')).json();
    expect(row[1]).toBe('rutland:r3308810');
    expect(row[2]).toBe('os-open-uprn');
    expect(row[3]).toBe(school.use);
    expect(Number(row[4])).toBeCloseTo(school.heightM, 2);
    expect(Number(row[7])).toBeCloseTo(school.footprintAreaM2, 1);
    const storeys = school.storeys ?? Math.max(1, Math.round(school.heightM / 3));
    expect(Number(row[8])).toBeCloseTo(school.footprintAreaM2 * storeys, 0);
    expect(rows.map((r) => r.split(',')[0])).not.toContain(IN_RUTLAND_WATER);
    expect((await app.inject('/api/datasets/nowhere/uprns.csv')).statusCode).toBe(404);
  });
});

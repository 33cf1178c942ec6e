/**
 * Areas on real PostGIS: the ONS district boundary stored as a MultiPolygon (Leeds and Rutland from the real
 * ONS file), settings validation, and the composite keys that keep a scenario in its dataset's area and a
 * consultation in its scenario's.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataDir } from '../../../test/support/paths';
import {
  addArea,
  areaBoundary,
  createConsultation,
  createScenario,
  type Db,
  getArea,
  importFeatures,
  listAreas,
  listDatasets,
  listScenarios,
  openTestDb,
  readLadBoundary,
  recordArea,
  setAreaDistrict,
  updateArea,
} from './index';

const BOUNDARIES = join(sampleDataDir, 'boundaries/local-authority-districts-2017-uk.geojson');
let db: Db;
let drop: () => Promise<void>;

const meta = (name: string) => ({
  name,
  title: name,
  source: 'test',
  licence: 'ODbL-1.0',
  attribution: '© OpenStreetMap contributors',
  vintage: null,
  crs: 'EPSG:4326',
});

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});
afterAll(async () => drop?.());

describe('areas', () => {
  it('starts with the area `default`, which every record made before areas belongs to', async () => {
    expect((await listAreas(db)).map((a) => a.id)).toEqual(['default']);
  });

  it('adds Leeds with its ONS boundary as a MultiPolygon, and a camera over it', async () => {
    const d = await readLadBoundary(BOUNDARIES, 'E08000035');
    expect(d.name).toBe('Leeds');
    const leeds = await addArea(db, {
      id: 'leeds',
      lad17cd: 'E08000035',
      name: d.name,
      boundary: d.geometry,
    });
    expect(leeds).toMatchObject({ id: 'leeds', lad17cd: 'E08000035', name: 'Leeds', languages: ['en'] });
    expect((await areaBoundary(db, 'leeds'))?.type).toBe('MultiPolygon');
    // The district contains Leeds Town Hall (-1.5491, 53.7997) and not Bradford City Hall (-1.7526, 53.7922).
    const r = await db.query<{ town: boolean; bradford: boolean }>(
      `SELECT ST_Contains(boundary, ST_SetSRID(ST_MakePoint(-1.5491, 53.7997), 4326)) AS town,
              ST_Contains(boundary, ST_SetSRID(ST_MakePoint(-1.7526, 53.7922), 4326)) AS bradford
       FROM areas WHERE id = 'leeds'`,
    );
    expect(r.rows[0]).toEqual({ town: true, bradford: false });
    const [w, s, e, n] = leeds.bbox!;
    expect(leeds.camera!.lon).toBeGreaterThan(w);
    expect(leeds.camera!.lon).toBeLessThan(e);
    expect(leeds.camera!.lat).toBeLessThan(n);
    expect(s).toBeLessThan(n);
    // The default camera stands over the district itself, and looks (45° down, so one height north of it) at the
    // district's middle: the viewer opens above the council's own land, looking across it.
    const over = await db.query<{ inside: boolean; looksAt: boolean; middle: number }>(
      `SELECT ST_Contains(boundary, ST_SetSRID(ST_MakePoint($1, $2), 4326)) AS inside,
              ST_Contains(boundary, ST_SetSRID(ST_MakePoint($1, $3), 4326)) AS "looksAt",
              ST_Distance(ST_Centroid(boundary)::geography, ST_SetSRID(ST_MakePoint($1, $3), 4326)::geography) AS middle
       FROM areas WHERE id = 'leeds'`,
      [leeds.camera!.lon, leeds.camera!.lat, leeds.camera!.lat + leeds.camera!.height / 111_320],
    );
    expect(over.rows[0]).toMatchObject({ inside: true, looksAt: true });
    expect(over.rows[0].middle).toBeLessThan(100);
    await expect(addArea(db, { id: 'leeds', name: 'Again' })).rejects.toMatchObject({
      type: 'duplicate-area',
    });
    await expect(readLadBoundary(BOUNDARIES, 'E99999999')).rejects.toMatchObject({ type: 'unknown-lad17cd' });
  });

  it('gives the first area a district (the sample city start makes it Rutland)', async () => {
    const d = await readLadBoundary(BOUNDARIES, 'E06000017');
    const a = await setAreaDistrict(db, 'default', {
      lad17cd: 'E06000017',
      name: d.name,
      boundary: d.geometry,
    });
    expect(a).toMatchObject({ id: 'default', lad17cd: 'E06000017', name: 'Rutland' });
  });

  it('changes settings, refusing bad ones', async () => {
    const a = await updateArea(db, 'leeds', { languages: ['en', 'cy'], privacyContact: 'dpo@leeds.example' });
    expect(a).toMatchObject({
      languages: ['en', 'cy'],
      privacyContact: 'dpo@leeds.example',
      retentionDays: 365,
    });
    await expect(updateArea(db, 'leeds', { retentionDays: 0 })).rejects.toMatchObject({
      type: 'invalid-area',
    });
    await expect(updateArea(db, 'leeds', { colours: { primary: 'red' } })).rejects.toMatchObject({
      type: 'invalid-area',
    });
    expect((await getArea(db, 'leeds'))?.retentionDays).toBe(365);
    expect(await updateArea(db, 'nowhere', { name: 'x' })).toBeNull();
  });

  it('keeps a scenario in its dataset’s area and a consultation in its scenario’s, whatever a query says', async () => {
    await importFeatures(db, meta('leeds-data'), [], { areaId: 'leeds' });
    await importFeatures(db, meta('rutland-data'), []);
    expect((await listDatasets(db, 'leeds')).map((d) => d.name)).toEqual(['leeds-data']);
    // Re-importing another area's dataset name is refused.
    await expect(importFeatures(db, meta('leeds-data'), [])).rejects.toMatchObject({
      type: 'dataset-in-other-area',
    });
    const s = await createScenario(db, { dataset: 'leeds-data', name: 'Leeds option' });
    expect(await recordArea(db, 'scenario', s.id)).toBe('leeds');
    await expect(
      createScenario(db, { dataset: 'leeds-data', name: 'x', areaId: 'default' }),
    ).rejects.toMatchObject({
      type: 'unknown-dataset',
    });
    // A row that contradicts its dataset's area cannot be written, even by hand.
    await expect(db.query(`UPDATE scenarios SET area_id = 'default' WHERE id = $1`, [s.id])).rejects.toThrow(
      /scenarios_dataset_area_fk/,
    );
    const c = await createConsultation(db, {
      title: 'Leeds consultation',
      summary: 'About the option',
      scenarioId: s.id,
      opensAt: new Date().toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(await recordArea(db, 'consultation', c.id)).toBe('leeds');
    await expect(
      createConsultation(
        db,
        {
          title: 'From Rutland',
          summary: 'x',
          scenarioId: s.id,
          opensAt: new Date().toISOString(),
          closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
        null,
        'default',
      ),
    ).rejects.toMatchObject({ type: 'unknown-scenario' });
    // Moving a dataset to another area moves its scenarios and their consultations with it.
    await db.query(`UPDATE datasets SET area_id = 'default' WHERE name = 'leeds-data'`);
    expect(await recordArea(db, 'scenario', s.id)).toBe('default');
    expect(await recordArea(db, 'consultation', c.id)).toBe('default');
    expect(await listScenarios(db, { areaId: 'leeds' })).toEqual([]);
  });
});

/**
 * Database states db test files start from (`openTestDb(seed)`): with the embedded database each is built once per
 * run and every file gets its own copy, so the lane imports the Rutland extract once rather than once per file. On
 * the PostgreSQL server each file's schema is still seeded by the same code.
 */
import { readFile } from 'node:fs/promises';
import { importFeatures, type TestDbSeed } from '@placetwin/db';
import { importerFor } from '@placetwin/importers';
import { sample } from './paths';

const RUTLAND_FILE = 'rutland-2022-11.osm.pbf';

/**
 * The real Rutland OSM extract (../shared/data/rutland, © OpenStreetMap contributors, ODbL) imported as dataset
 * `rutland` through the CLI's pipeline, as `placetwin import` does.
 */
export const rutlandImported: TestDbSeed = {
  key: 'rutland-imported',
  seed: async (db) => {
    const { importFile } = await import('@placetwin/cli');
    await importFile(db, sample('rutland', RUTLAND_FILE), { dataset: 'rutland' });
  },
};

/** The same extract written with `importFeatures` directly, with its metadata (title "Rutland") given in full. */
export const rutlandFeatures: TestDbSeed = {
  key: 'rutland-features',
  seed: async (db) => {
    const bytes = new Uint8Array(await readFile(sample('rutland', RUTLAND_FILE)));
    await importFeatures(
      db,
      {
        name: 'rutland',
        title: 'Rutland',
        source: RUTLAND_FILE,
        licence: 'ODbL-1.0',
        attribution: '© OpenStreetMap contributors',
        vintage: '2022-11',
        crs: 'EPSG:4326',
      },
      importerFor(bytes, RUTLAND_FILE).parse(bytes, { fileName: RUTLAND_FILE, skipInvalid: true }),
    );
  },
};

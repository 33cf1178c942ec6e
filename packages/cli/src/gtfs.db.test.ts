import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, getGtfsFeed, openTestDb } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSampleTransport, feedNameFromPath, importGtfsPath, readGtfsSource } from './gtfs';

const here = dirname(fileURLToPath(import.meta.url));
const sampleData = process.env.PLACETWIN_SAMPLE_DATA ?? resolve(here, '../../../../shared/data');
// Real: Metro Transit route 2 (Minneapolis) GTFS zip. Constructed: @placetwin/transport's edge-feed directory.
const MINNEAPOLIS_ZIP = join(
  sampleData,
  'transport/gtfs-rt/minneapolis-metrotransit-route2-20190501/gtfs.zip',
);
const EDGE_DIR = resolve(here, '../../transport/fixtures/edge-feed');

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});
afterAll(async () => drop());

describe('placetwin import-gtfs', () => {
  it('names a feed after its file', () => {
    expect(feedNameFromPath('/data/newport-wales-bods-20230613-gtfs.zip')).toBe(
      'newport-wales-bods-20230613-gtfs',
    );
    expect(feedNameFromPath('feeds/Edge Feed/')).toBe('edge-feed');
    expect(feedNameFromPath('___.zip')).toBe('gtfs');
  });

  it('imports a zip and a directory', async () => {
    const zip = await importGtfsPath(db, MINNEAPOLIS_ZIP, { feed: 'metro-transit-2' });
    expect([zip.feed, zip.trips, zip.stopTimes, zip.stops]).toEqual(['metro-transit-2', 185, 6588, 71]);
    // The real shapes.txt repeats its rows exactly (40,238 rows, 1,045 distinct): dropped, with a warning.
    expect(zip.warnings.join()).toMatch(/repeat an earlier row exactly/);
    const dir = await importGtfsPath(db, EDGE_DIR);
    expect([dir.feed, dir.trips, dir.frequencies, dir.calendarDates]).toEqual(['edge-feed', 5, 1, 5]);
    expect((await getGtfsFeed(db, 'edge-feed'))!.timeZone).toBe('Europe/London');
  });

  it('reports a path that does not exist', () => {
    expect(() => readGtfsSource('/no/such/feed.zip')).toThrow(DataError);
    expect(() => readGtfsSource('/no/such/feed.zip')).toThrow('/no/such/feed.zip: no such file or directory');
  });

  it('imports the sample feeds on first start, once, with their credits', async () => {
    const log: string[] = [];
    const first = await ensureSampleTransport(db, { sampleDataDir: sampleData, log: (m) => log.push(m) });
    expect(first).toEqual(['newport', 'minneapolis-route-2']);
    expect(await getGtfsFeed(db, 'newport')).toMatchObject({ trips: 176, licence: 'OGL-UK-3.0' });
    expect((await getGtfsFeed(db, 'minneapolis-route-2'))!.attribution).toMatch(
      /Mozilla Public License 2\.0/,
    );
    expect(await ensureSampleTransport(db, { sampleDataDir: sampleData })).toEqual([]);
    expect(await ensureSampleTransport(db, { sampleDataDir: '/no/such/dir' })).toEqual([]);
    expect(log[0]).toMatch(/Importing the sample GTFS feed "newport"/);
  });
});

/**
 * Test support (not exported from the package): reads the constructed fixtures and the real sample feeds.
 * I/O lives here, beside the tests, never in the functions they test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GtfsFiles } from './feed';
import { gtfsFilesFromZip } from './read';

const here = dirname(fileURLToPath(import.meta.url));
const sampleDataDir = process.env.PLACETWIN_SAMPLE_DATA ?? resolve(here, '../../../../shared/data');

/** A constructed fixture feed (packages/transport/fixtures/<name>) as GTFS files. */
export function fixtureFeed(name: string): GtfsFiles {
  const dir = join(here, '../fixtures', name);
  const files = new Map<string, Uint8Array>();
  for (const f of readdirSync(dir)) if (f.endsWith('.txt')) files.set(f, readFileSync(join(dir, f)));
  return { source: name, files };
}

/** The same feed with one file replaced (text) or removed (null). */
export function withFile(feed: GtfsFiles, file: string, text: string | null): GtfsFiles {
  const files = new Map(feed.files);
  if (text === null) files.delete(file);
  else files.set(file, new TextEncoder().encode(text));
  return { source: feed.source, files };
}

/** A file of a feed as text. */
export const fileText = (feed: GtfsFiles, file: string): string =>
  new TextDecoder().decode(feed.files.get(file));

export const samplePath = (...parts: string[]): string => join(sampleDataDir, ...parts);

/** Newport, South Wales (BODS, 2023-06-13): see ../shared/data/PROVENANCE.md. */
export const NEWPORT_ZIP = 'newport-wales-bods-20230613-gtfs.zip';
export const newportFeedFiles = (): GtfsFiles =>
  gtfsFilesFromZip(new Uint8Array(readFileSync(samplePath('transport', 'gtfs', NEWPORT_ZIP))), NEWPORT_ZIP);

/** Metro Transit route 2, Minneapolis (2019-05-01), with its recorded GTFS-Realtime message. */
export const MINNEAPOLIS_DIR = samplePath('transport', 'gtfs-rt', 'minneapolis-metrotransit-route2-20190501');
export const minneapolisFeedFiles = (): GtfsFiles =>
  gtfsFilesFromZip(
    new Uint8Array(readFileSync(join(MINNEAPOLIS_DIR, 'gtfs.zip'))),
    'minneapolis-route2/gtfs.zip',
  );

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Db, type GtfsImportCounts, getGtfsFeed, importGtfs } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { type GtfsFiles, gtfsFilesFromZip } from '@placetwin/transport';
import type { Command } from 'commander';
import { areaOption } from './areas';
import { ensureSamplePois } from './pois';

/** Reads a GTFS feed from a zip file or a directory of `.txt` tables. */
export function readGtfsSource(path: string): GtfsFiles {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new DataError('not-found', 'no such file or directory', { file: path });
  }
  if (!isDir) return gtfsFilesFromZip(new Uint8Array(readFileSync(path)), basename(path));
  const files = new Map<string, Uint8Array>();
  for (const f of readdirSync(path)) if (f.endsWith('.txt')) files.set(f, readFileSync(join(path, f)));
  return { source: basename(path), files };
}

/** A feed name from a path: `newport-wales-bods-20230613-gtfs.zip` → `newport-wales-bods-20230613-gtfs`. */
export function feedNameFromPath(path: string): string {
  const name = basename(path.replace(/[/\\]+$/, ''))
    .replace(/\.zip$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'gtfs';
}

export async function importGtfsPath(
  db: Db,
  path: string,
  options: { feed?: string; licence?: string; attribution?: string; area?: string } = {},
): Promise<GtfsImportCounts & { feed: string; seconds: number }> {
  const t0 = performance.now();
  const feed = options.feed ?? feedNameFromPath(path);
  const counts = await importGtfs(db, feed, readGtfsSource(path), {
    licence: options.licence,
    attribution: options.attribution,
    areaId: options.area,
  });
  return { ...counts, feed, seconds: (performance.now() - t0) / 1000 };
}

/** The sample GTFS feeds a first start imports (paths under the sample data folder; see its PROVENANCE.md). */
export const SAMPLE_GTFS_FEEDS = [
  {
    feed: 'newport',
    file: 'transport/gtfs/newport-wales-bods-20230613-gtfs.zip',
    licence: 'OGL-UK-3.0',
    attribution:
      'Contains public sector information licensed under the Open Government Licence v3.0. Source: Bus Open Data ' +
      'Service (Department for Transport), © Crown copyright; extract via ONS Data Science Campus ' +
      'transport-network-performance.',
  },
  {
    feed: 'minneapolis-route-2',
    file: 'transport/gtfs-rt/minneapolis-metrotransit-route2-20190501/gtfs.zip',
    licence: 'MPL-2.0',
    attribution:
      'Metro Transit (Metropolitan Council) GTFS sample from github.com/metrotransit/speedrt, licensed under the ' +
      'Mozilla Public License 2.0.',
  },
] as const;

/**
 * The twin's first start: imports the sample GTFS feeds that are present and not yet imported (a few seconds each;
 * an existing feed of the same name, e.g. one imported by hand, is left alone).
 */
export async function ensureSampleTransport(
  db: Db,
  opts: { sampleDataDir: string; log?: (msg: string) => void },
): Promise<string[]> {
  const imported: string[] = [];
  for (const sample of SAMPLE_GTFS_FEEDS) {
    const path = join(opts.sampleDataDir, sample.file);
    if (!existsSync(path) || (await getGtfsFeed(db, sample.feed))) continue;
    opts.log?.(`Importing the sample GTFS feed "${sample.feed}" from ${path} …`);
    const s = await importGtfsPath(db, path, sample);
    opts.log?.(`Imported ${s.trips} trips and ${s.stops} stops in ${s.seconds.toFixed(1)} s`);
    imported.push(sample.feed);
  }
  // The 15-minute city score needs the everyday services around the sample city.
  await ensureSamplePois(db, opts);
  return imported;
}

/** `placetwin import-gtfs <zip|dir> [--feed name]`. */
export function addImportGtfsCommand(
  cmd: Command,
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
): void {
  cmd
    .command('import-gtfs')
    .description(
      'Import a GTFS feed (zip or directory) into the database as a named feed, in one transaction; malformed GTFS is reported with file and line and nothing is written',
    )
    .argument('<zip|dir>', 'GTFS zip file or directory of .txt files')
    .option('-f, --feed <name>', 'feed name (lower-case, digits, hyphens); default: from the file name')
    .option('--licence <text>', 'licence of the feed, e.g. "OGL-UK-3.0"')
    .option('--attribution <text>', 'attribution to show with the feed')
    .option(
      '--area <id>',
      'the council area the feed belongs to (see `placetwin area list`); default: default',
    )
    .action(
      async (path: string, o: { feed?: string; licence?: string; attribution?: string; area?: string }) => {
        await withDb(async (db) => {
          const s = await importGtfsPath(db, path, { ...o, area: areaOption(o.area) });
          console.log(
            `Imported ${path} into feed "${s.feed}": ${s.agencies} agencies, ${s.routes} routes, ${s.trips} trips, ` +
              `${s.stopTimes} stop times, ${s.stops} stops, ${s.shapes} shapes, ${s.services} services, ` +
              `${s.calendarDates} calendar exceptions, ${s.frequencies} frequencies; ${s.seconds.toFixed(1)} s`,
          );
          for (const w of s.warnings) console.log(`  warning: ${w}`);
        });
      },
    );
}

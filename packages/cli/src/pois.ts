import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Db, importPois, listPoiSets, type PoiInput } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { osmPointsOfInterest } from '@placetwin/importers';
import { essentialServicesOf } from '@placetwin/transport';
import type { Command } from 'commander';
import { areaOption } from './areas';
import { feedNameFromPath } from './gtfs';

/** The essential services (ESSENTIAL_SERVICES of @placetwin/transport) of an OSM PBF file, as points. */
export function readOsmPois(path: string): { points: PoiInput[]; cutWays: number } {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch {
    throw new DataError('not-found', 'no such file', { file: path });
  }
  const { points, cutWays } = osmPointsOfInterest(
    bytes,
    basename(path),
    (tags) => essentialServicesOf(tags).length > 0,
  );
  // One row per service: a shop that is also the post office counts for both.
  return {
    points: points.flatMap((p) =>
      essentialServicesOf(p.tags).map((service) => ({
        sourceId: p.sourceId,
        service,
        name: p.tags.name ?? null,
        lon: p.lon,
        lat: p.lat,
      })),
    ),
    cutWays,
  };
}

const OSM_CREDIT = { licence: 'ODbL-1.0', attribution: '© OpenStreetMap contributors' };

export async function importPoisPath(
  db: Db,
  path: string,
  options: { name?: string; areaId?: string } = {},
): Promise<{
  name: string;
  count: number;
  byService: Record<string, number>;
  cutWays: number;
  seconds: number;
}> {
  const t0 = performance.now();
  const name = options.name ?? feedNameFromPath(path.replace(/\.osm\.pbf$/i, ''));
  const { points, cutWays } = readOsmPois(path);
  const { count } = await importPois(db, name, points, {
    source: basename(path),
    ...OSM_CREDIT,
    areaId: options.areaId,
  });
  const byService: Record<string, number> = {};
  for (const p of points) byService[p.service] = (byService[p.service] ?? 0) + 1;
  return { name, count, byService, cutWays, seconds: (performance.now() - t0) / 1000 };
}

/** The sample city's points of interest: Rutland's OSM extract (there is no OSM data for the sample GTFS areas). */
export const SAMPLE_POIS = { name: 'rutland', file: 'rutland/rutland-2022-11.osm.pbf' } as const;

/** The twin's first start: imports the sample points of interest unless a set of that name exists. */
export async function ensureSamplePois(
  db: Db,
  opts: { sampleDataDir: string; log?: (msg: string) => void },
): Promise<boolean> {
  const path = join(opts.sampleDataDir, SAMPLE_POIS.file);
  if (!existsSync(path) || (await listPoiSets(db)).some((s) => s.name === SAMPLE_POIS.name)) return false;
  const s = await importPoisPath(db, path, { name: SAMPLE_POIS.name });
  opts.log?.(
    `Imported ${s.count} points of interest (essential services) from ${path} in ${s.seconds.toFixed(1)} s`,
  );
  return true;
}

/** `placetwin import-pois <file.osm.pbf> [--name set]`. */
export function addImportPoisCommand(
  cmd: Command,
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
): void {
  cmd
    .command('import-pois')
    .description(
      'Import the everyday services of an OSM PBF extract (food shops, schools, GPs, pharmacies, parks, post offices, libraries and community centres) as points of interest for the 15-minute city score, replacing a set of the same name in one transaction',
    )
    .argument('<file>', 'OSM PBF file')
    .option('-n, --name <name>', 'set name (lower-case, digits, hyphens); default: from the file name')
    .option(
      '--area <id>',
      'the council area the points belong to (see `placetwin area list`); default: default',
    )
    .action(async (path: string, o: { name?: string; area?: string }) => {
      await withDb(async (db) => {
        const s = await importPoisPath(db, path, { name: o.name, areaId: areaOption(o.area) });
        const by = Object.entries(s.byService)
          .map(([k, v]) => `${v} ${k}`)
          .join(', ');
        console.log(
          `Imported ${s.count} points of interest into "${s.name}" (${by}); ${s.seconds.toFixed(1)} s`,
        );
        if (s.cutWays) console.log(`  ${s.cutWays} areas cut by the extract's border were skipped`);
      });
    });
}

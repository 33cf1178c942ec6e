/**
 * `placetwin import-grid <file.geojson>`: substations and feeders for the energy layer's grid headroom, and
 * `placetwin import-council-assets <register.csv> --dataset <name>`: which buildings the council owns.
 * Parsing and checks are @placetwin/energy's; both write in one transaction or not at all.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type Db, getArea, importGridNetwork, setCouncilOwnership } from '@placetwin/db';
import { parseGridGeoJson } from '@placetwin/energy';
import { DataError } from '@placetwin/geo';
import type { Command } from 'commander';
import { areaOption } from './areas';
import { parseCouncilAssetRegister } from './council-register';
import { feedNameFromPath } from './gtfs';

const readText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new DataError('not-found', 'no such file', { file: path });
  }
};

export async function importGridFile(
  db: Db,
  path: string,
  options: { name?: string; areaId?: string } = {},
): Promise<{
  name: string;
  areaId: string;
  substations: number;
  feeders: number;
  label: string | null;
  constructed: boolean;
}> {
  const file = basename(path);
  const grid = parseGridGeoJson(readText(path), file);
  const name = options.name ?? feedNameFromPath(path.replace(/\.(geo)?json$/i, ''));
  const areaId = areaOption(options.areaId);
  if (!(await getArea(db, areaId)))
    throw new DataError('unknown-area', `there is no area "${areaId}" (add it with \`placetwin area add\`)`, {
      file,
    });
  await importGridNetwork(db, name, grid.assets, {
    areaId,
    source: file,
    label: grid.label,
    constructed: grid.constructed,
    attribution: grid.attribution,
  });
  return {
    name,
    areaId,
    substations: grid.assets.filter((a) => a.kind === 'substation').length,
    feeders: grid.assets.filter((a) => a.kind === 'feeder').length,
    label: grid.label,
    constructed: grid.constructed,
  };
}

export async function importCouncilAssetsFile(
  db: Db,
  path: string,
  dataset: string,
): Promise<{ rows: number; buildings: number }> {
  const file = basename(path);
  const rows = parseCouncilAssetRegister(readText(path), file);
  const { buildings } = await setCouncilOwnership(db, dataset, rows, file);
  return { rows: rows.length, buildings };
}

export function addGridCommands(cmd: Command, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>): void {
  cmd
    .command('import-grid')
    .description(
      'Import substations (GeoJSON points) and feeders (lines) with capacity_kw, or capacity_kva and power_factor, as a named grid network for the energy layer, replacing a network of the same name in one transaction',
    )
    .argument('<file>', 'GeoJSON FeatureCollection (WGS84)')
    .option('-n, --name <name>', 'network name (lower-case, digits, hyphens); default: from the file name')
    .option(
      '--area <id>',
      'the council area the network belongs to (see `placetwin area list`); default: default',
    )
    .action(async (path: string, o: { name?: string; area?: string }) => {
      await withDb(async (db) => {
        const s = await importGridFile(db, path, { name: o.name, areaId: o.area });
        const where = s.areaId === 'default' ? '' : ` in area "${s.areaId}"`;
        console.log(`Imported grid "${s.name}"${where}: ${s.substations} substations, ${s.feeders} feeders`);
        if (s.constructed || s.label) console.log(`  ${s.label ?? 'constructed sample, not real'}`);
      });
    });
  cmd
    .command('import-council-assets')
    .description(
      'Mark buildings council-owned (or not) from the council asset register: a CSV with building_id or uprn and an optional council_owned (yes/no) column; all rows or none',
    )
    .argument('<file>', 'CSV file')
    .requiredOption('-d, --dataset <name>', 'the dataset whose buildings the register names')
    .action(async (path: string, o: { dataset: string }) => {
      await withDb(async (db) => {
        const s = await importCouncilAssetsFile(db, path, o.dataset);
        console.log(
          `Council asset register: ${s.rows} rows, ${s.buildings} buildings marked in "${o.dataset}"`,
        );
      });
    });
}

/**
 * `placetwin import-sensors <list> [--area <id>]`: registers the sensors of a sensor list (CSV or GeoJSON, as
 * `POST /api/sensors/import` takes) in one council area, in one transaction; nothing is written if any row is
 * bad. E.g. the Leeds footfall camera sites into the Leeds area:
 *
 *   placetwin import-sensors packages/sensors/fixtures/leeds-footfall-sites.geojson --area leeds
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Db, registerSensors } from '@placetwin/db';
import { parseSensorList } from '@placetwin/sensors';
import type { Command } from 'commander';
import { areaOption } from './areas';

export function addImportSensorsCommand(
  cmd: Command,
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
): void {
  cmd
    .command('import-sensors')
    .description(
      'Register the sensors of a sensor list (CSV or GeoJSON) in a council area, in one transaction',
    )
    .argument('<file>', 'sensor list (.csv or .geojson)')
    .option(
      '--area <id>',
      'the council area the sensors belong to (see `placetwin area list`); default: default',
    )
    .action(async (file: string, o: { area?: string }) => {
      const areaId = areaOption(o.area);
      const fileName = basename(file);
      const defs = await parseSensorList(await readFile(file, 'utf8'), { fileName });
      await withDb(async (db) => {
        const r = await registerSensors(db, defs, { file: fileName, areaId });
        console.log(
          `Registered ${defs.length} sensors from ${fileName} in area ${areaId}: ${r.created.length} new, ${r.updated.length} updated`,
        );
      });
    });
}

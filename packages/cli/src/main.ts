import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type Db, listDatasets, openDb } from '@placetwin/db';
import { isDataError } from '@placetwin/geo';
import { Command, CommanderError, Option } from 'commander';
import { addAreaCommands, areaOption } from './areas';
import { repoRoot, resolvePaths } from './config';
import { addGridCommands } from './grid';
import { addImportGtfsCommand } from './gtfs';
import { addJobCommands, queueImport, queueTiling } from './jobCommands';
import { importFile, loadOstn15, tileDataset } from './pipeline';
import { addImportPoisCommand } from './pois';
import { addPrivacyCommands } from './privacy';
import { progressReporter } from './progress';
import { registerRunCommand } from './run';
import { addImportSensorsCommand } from './sensors';
import { addSunHoursCommand } from './sunHoursCommand';
import { addImportUprnCommand } from './uprn';
import { addUserCommands } from './users';

const paths = () => resolvePaths();

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const p = paths();
  const db = await openDb({ databaseUrl: p.databaseUrl, dataDir: p.dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const runChild = (args: string[]): Promise<number> =>
  new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: process.cwd() });
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });

export function program(): Command {
  const cmd = new Command('placetwin')
    .description(
      'Placetwin: an open digital twin for UK councils. Import data, build 3D Tiles, serve the twin.',
    )
    .showHelpAfterError()
    .exitOverride();

  cmd
    .command('import')
    .description(
      'Import building data (OSM PBF/XML, GeoJSON, CityJSON 2.0, CityGML 2.0) into a dataset, in one transaction',
    )
    .argument('<file>', 'file to import')
    .option('-d, --dataset <name>', 'dataset name (lower-case, digits, hyphens); default: from the file name')
    .option('--crs <EPSG:nnnn>', "the file's coordinate reference system, where the file does not say")
    .option(
      '--skip-invalid',
      'import the valid features and report the invalid ones instead of rejecting the file',
    )
    .option('--title <text>', 'dataset title shown in the viewer')
    .option('--licence <text>', 'licence of the data, e.g. "OGL-UK-3.0"')
    .option('--attribution <text>', 'attribution to show with the data')
    .option('--no-tile', 'do not build 3D Tiles after importing')
    .option(
      '--area <id>',
      'the council area the dataset belongs to (see `placetwin area list`); default: default',
    )
    .option(
      '--job',
      'queue the import for `placetwin worker` processes (and then its tiling, unless --no-tile); needs DATABASE_URL',
    )
    .option('--wait', 'with --job: follow the job, with its progress, until it ends')
    .action(async (file: string, o) => {
      const areaId = areaOption(o.area);
      const p = paths();
      await loadOstn15(p.sampleDataDir);
      const progress = progressReporter(process.stderr);
      const meta = Object.fromEntries(
        Object.entries({ title: o.title, licence: o.licence, attribution: o.attribution }).filter(
          ([, v]) => v,
        ),
      );
      await withDb(async (db) => {
        if (o.job) {
          const request = { file, dataset: o.dataset, crs: o.crs, skipInvalid: Boolean(o.skipInvalid) };
          process.exitCode = await queueImport(
            db,
            { ...request, meta, areaId, tile: o.tile },
            Boolean(o.wait),
          );
          return;
        }
        const s = await importFile(db, file, {
          dataset: o.dataset,
          crs: o.crs,
          skipInvalid: Boolean(o.skipInvalid),
          meta,
          areaId,
          onProgress: progress.update,
        });
        progress.stop();
        console.log(
          `Imported ${file} (${s.format}) into dataset "${s.dataset}": ${s.buildings} buildings, ${s.parts} building parts, ` +
            `${s.mapFeatures} map features; ${s.removed} old features removed; ${s.rejected.length} rejected; ${s.seconds.toFixed(1)} s`,
        );
        for (const r of s.rejected.slice(0, 50))
          console.log(`  rejected ${r.featureId ?? '(file)'}: ${r.reason}`);
        if (s.rejected.length > 50) console.log(`  … and ${s.rejected.length - 50} more rejected`);
        if (o.tile) {
          const t = await tileDataset(db, s.dataset, p.tilesetsDir);
          console.log(
            `Tiled "${t.dataset}": ${t.buildings} buildings in ${t.tiles} tiles, ${t.bytes} bytes → ${t.tilesetUrl}`,
          );
        }
      });
    });

  cmd
    .command('tile')
    .description('Build 3D Tiles 1.1 for a dataset (or all datasets) from the database')
    .option('-d, --dataset <name>', 'dataset to tile; default: all')
    .option(
      '--queue',
      'queue it for `placetwin worker` processes (one job per quadtree cell; needs DATABASE_URL)',
    )
    .option('--wait', 'with --queue: follow the run until it ends')
    .action(async (o) => {
      const p = paths();
      await withDb(async (db) => {
        const names = o.dataset ? [o.dataset as string] : (await listDatasets(db)).map((d) => d.name);
        if (names.length === 0) console.log('No datasets: import one with `placetwin import <file>`.');
        if (o.queue) {
          process.exitCode = await queueTiling(db, names, Boolean(o.wait));
          return;
        }
        for (const name of names) {
          const t = await tileDataset(db, name, p.tilesetsDir);
          console.log(
            `Tiled "${t.dataset}": ${t.buildings} buildings in ${t.tiles} tiles, ${t.bytes} bytes, ${t.seconds.toFixed(1)} s → ${t.tilesetUrl}`,
          );
        }
      });
    });

  cmd
    .command('datasets')
    .description('List the datasets in the database')
    .action(async () => {
      await withDb(async (db) => {
        for (const d of await listDatasets(db)) {
          console.log(
            `${d.name}\t${d.buildingCount} buildings\t${d.tilesetUrl ?? '(not tiled)'}\t${d.attribution}`,
          );
        }
      });
    });

  addSunHoursCommand(cmd, withDb);
  addUserCommands(cmd, withDb);
  addPrivacyCommands(cmd, withDb);
  addAreaCommands(cmd, withDb, () => paths().sampleDataDir);
  addImportSensorsCommand(cmd, withDb);
  addImportGtfsCommand(cmd, withDb);
  addImportPoisCommand(cmd, withDb);
  addImportUprnCommand(cmd, withDb);
  addJobCommands(cmd, withDb);
  addGridCommands(cmd, withDb);
  registerRunCommand(cmd, { withDb, tilesetsDir: () => paths().tilesetsDir });

  cmd
    .command('serve')
    .description('Run the twin: API, 3D Tiles, basemap and viewer (same as `npm start`)')
    .addOption(new Option('-p, --port <port>', 'port').env('PORT').default('8080'))
    .addOption(new Option('-H, --host <host>', 'host').env('HOST').default('127.0.0.1'))
    .action(async (o) => {
      process.env.PORT = String(o.port);
      process.env.HOST = String(o.host);
      process.exitCode = await runChild([join(repoRoot, 'scripts/start.mjs')]);
    });

  cmd
    .command('bench')
    .description('Run the benchmarks (figures and ratios to baselines; not pass/fail)')
    .argument('[names...]', 'benchmarks to run, e.g. tiles serving viewer; default: all')
    .action(async (names: string[]) => {
      process.exitCode = await runChild([
        '--import',
        'tsx',
        join(repoRoot, 'scripts/bench/index.ts'),
        ...names,
      ]);
    });

  return cmd;
}

/** Runs the CLI; returns the exit code (0 only on success). */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isDataError(e)) {
      console.error(`placetwin: ${e.message}`);
      return 2;
    }
    console.error(`placetwin: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

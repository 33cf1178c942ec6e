/**
 * `placetwin sun-hours`: the command, apart from the analysis (sunHours.ts) so that the analysis, the job queue
 * (jobs.ts, which runs it) and the scenario comparison (sunHoursScenario.ts) import it without importing back.
 */
import type { Db } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import type { Command } from 'commander';
import { resolvePaths } from './config';
import { queueSunHours } from './jobCommands';
import { loadOstn15 } from './pipeline';
import { readAreaFile, SUN_HOURS_LIMITS, sunHoursToDir } from './sunHours';
import { sunHoursScenarioToDir } from './sunHoursScenario';

const fmt = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** `placetwin sun-hours`: the analysis of an area file, written to a folder; prints the sentence and the files. */
export function addSunHoursCommand(
  cmd: Command,
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
): void {
  cmd
    .command('sun-hours')
    .description(
      'Hours of direct sun on a grid over an area for one day, with the BRE 209 garden test on 21 March: writes GeoJSON, CSV, PNG and summary.json',
    )
    .requiredOption('-d, --dataset <name>', 'dataset whose buildings cast the shadows')
    .requiredOption('-a, --area <file>', 'GeoJSON Polygon of the area, WGS84 longitude/latitude')
    .requiredOption('-o, --out <dir>', 'folder for the files (created if missing)')
    .option('--date <YYYY-MM-DD>', 'the day (default: the next 21 March)')
    .option('--cell <metres>', `cell size, ${SUN_HOURS_LIMITS.minCellM}–${SUN_HOURS_LIMITS.maxCellM} m`, '1')
    .option(
      '--step <minutes>',
      `time step, ${SUN_HOURS_LIMITS.minStepMinutes}–${SUN_HOURS_LIMITS.maxStepMinutes} min`,
      '10',
    )
    .option('--name <text>', 'what the area is called in the sentence, e.g. garden', 'area')
    .option(
      '--scenario <id>',
      'also compute with this scenario applied and compare (before/after, BRE 209 0.8 ratio test)',
    )
    .option(
      '--job',
      'queue it for `placetwin worker` processes (needs DATABASE_URL; --out must be shared with them)',
    )
    .option('--wait', 'with --job: follow the job, with its progress, until it ends')
    .action(async (o) => {
      await loadOstn15(resolvePaths().sampleDataDir);
      const area = await readAreaFile(o.area);
      if (o.scenario !== undefined && !/^[1-9]\d{0,9}$/.test(o.scenario))
        throw new DataError(
          'invalid-scenario',
          `--scenario "${o.scenario}" is not a scenario id (a whole number)`,
        );
      await withDb(async (db) => {
        const t0 = performance.now();
        const request = {
          dataset: o.dataset,
          area,
          date: o.date,
          cellSizeM: Number(o.cell),
          stepMinutes: Number(o.step),
          areaName: o.name,
        };
        const onProgress = (done: number, total: number) =>
          process.stderr.write(`sun-hours: ${done}/${total} strips\n`);
        if (o.job) {
          const scenarioId = o.scenario === undefined ? null : Number(o.scenario);
          process.exitCode = await queueSunHours(db, request, o.out, scenarioId, Boolean(o.wait));
          return;
        }
        if (o.scenario !== undefined) {
          const { comparison: c, files } = await sunHoursScenarioToDir(
            db,
            request,
            Number(o.scenario),
            o.out,
            { onProgress },
          );
          console.log(c.sentence);
          console.log(
            `scenario ${c.scenario.id} "${c.scenario.name}" v${c.scenario.version} (${c.scenario.status}): ` +
              `${(c.shareBefore * 100).toFixed(1)}% → ${(c.shareAfter * 100).toFixed(1)}% with at least 2 h, ` +
              `ratio ${c.ratio === null ? 'n/a' : c.ratio.toFixed(3)}, ${c.cells.lostTwoHours} cells lost 2 h, ${c.cells.builtOn} built on; ` +
              `${((performance.now() - t0) / 1000).toFixed(1)} s`,
          );
          for (const f of Object.values(files)) console.log(`  ${f}`);
          return;
        }
        const { report, files } = await sunHoursToDir(db, request, o.out, { onProgress });
        const s = report.summary;
        console.log(report.sentence);
        console.log(
          `${fmt(s.areaM2)} m² assessed on ${report.date} (${report.cellSizeM} m cells, ${report.stepMinutes}-minute steps, ${report.buildings} buildings): ` +
            `${(s.shareAtLeast2h * 100).toFixed(1)}% with at least 2 h, mean ${s.meanHours.toFixed(2)} of ${s.daylightHours.toFixed(2)} h; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        for (const f of Object.values(files)) console.log(`  ${f}`);
      });
    });
}

import { readFile, writeFile } from 'node:fs/promises';
import { type Db, linkUprnPoints, type UprnLinkReport } from '@placetwin/db';
import { bngTransformMethod, DataError, fromBng } from '@placetwin/geo';
import { parseOsOpenUprnCsv } from '@placetwin/importers';
import type { Command } from 'commander';
import { resolvePaths } from './config';
import { loadOstn15 } from './pipeline';

export interface UprnImportSummary extends UprnLinkReport {
  file: string;
  /** How BNG X/Y became lon/lat for the footprint test: OSTN15 (cm) or the Helmert fallback (metres). */
  transform: 'ostn15' | 'helmert';
  seconds: number;
}

/** The unmatched UPRNs as CSV, in the input's columns plus its line number. */
export const unmatchedUprnCsv = (r: UprnLinkReport): string =>
  `UPRN,X_COORDINATE,Y_COORDINATE,LINE\n${r.unmatched.map((u) => `${u.uprn},${u.x ?? ''},${u.y ?? ''},${u.line ?? ''}`).join('\n')}${r.unmatched.length ? '\n' : ''}`;

/**
 * Reads an OS Open UPRN CSV and links each UPRN to the building of `dataset` whose footprint contains its
 * British National Grid point (converted with OSTN15), in one transaction. Bad rows reject the file whole.
 */
export async function importUprnFile(db: Db, file: string, dataset: string): Promise<UprnImportSummary> {
  const t0 = performance.now();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new DataError('file-not-readable', `cannot read file: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      file,
    });
  }
  const rows = parseOsOpenUprnCsv(text, file);
  const points = rows.map((r) => {
    const [lon, lat] = fromBng(r.x, r.y);
    return { uprn: r.uprn, lon, lat, x: r.x, y: r.y, line: r.line };
  });
  const report = await linkUprnPoints(db, dataset, points, 'os-open-uprn');
  return { ...report, file, transform: bngTransformMethod(), seconds: (performance.now() - t0) / 1000 };
}

/** `placetwin import-uprn <file.csv> --dataset <name> [--unmatched <out.csv>]`. */
export function addImportUprnCommand(
  cmd: Command,
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
): void {
  cmd
    .command('import-uprn')
    .description(
      'Link UPRNs from an OS Open UPRN CSV (UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE) to the buildings of a dataset whose footprints contain their British National Grid points, in one transaction; UPRNs in no footprint are listed in a CSV',
    )
    .argument('<file>', 'OS Open UPRN CSV file')
    .requiredOption('-d, --dataset <name>', 'dataset whose buildings the UPRNs are linked to')
    .option('--unmatched <file>', 'where to write the unmatched UPRNs; default: <file>.unmatched.csv')
    .action(async (file: string, o: { dataset: string; unmatched?: string }) => {
      await loadOstn15(resolvePaths().sampleDataDir);
      await withDb(async (db) => {
        const s = await importUprnFile(db, file, o.dataset);
        console.log(
          `Linked ${s.linked} of ${s.total} UPRNs in ${file} to buildings of "${s.dataset}" (BNG → WGS84 by ${s.transform}); ` +
            `${s.unmatched.length} in no building footprint; ${s.seconds.toFixed(1)} s`,
        );
        if (s.unmatched.length) {
          const out = o.unmatched ?? `${file.replace(/\.csv$/i, '')}.unmatched.csv`;
          await writeFile(out, unmatchedUprnCsv(s));
          console.log(`  unmatched UPRNs → ${out}`);
        }
      });
    });
}

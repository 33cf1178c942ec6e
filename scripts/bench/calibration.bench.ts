/**
 * Calibration of a building's 5R1C model to a measured record, as POST /api/energy/calibration runs it
 * (calibrateToRecord: day-ahead least squares, 40 iterations, several starts), on the two real measured Dutch
 * homes (Leprince et al. 2022, 15-minute readings). The prior is a library-sized civic building from geometry
 * defaults. Says whether the fit is short enough to stay inside an HTTP request.
 */
import { readFileSync } from 'node:fs';
import {
  calibrateToRecord,
  describeBuilding,
  thermalModel,
  thermalRecordCsvImporter,
} from '@placetwin/energy';
import { sample } from '../../test/support/paths';
import type { BenchResult } from './harness';

export default async function calibration(): Promise<BenchResult[]> {
  const prior = thermalModel(
    describeBuilding({
      id: 'library',
      use: 'civic',
      footprintAreaM2: 600,
      perimeterM: 100,
      heightM: 10,
      storeys: null,
    }),
  );
  const out: BenchResult[] = [];
  for (const file of ['blg_1.csv', 'blg_2.csv']) {
    const path = `energy/building-thermal/nl-homes-15min/${file}`;
    const t0 = performance.now();
    const parsed = thermalRecordCsvImporter.parse(readFileSync(sample(path), 'utf8'), { fileName: file });
    const parseS = (performance.now() - t0) / 1000;
    let best = Number.POSITIVE_INFINITY;
    let fit = calibrateToRecord(prior, parsed.record, parsed.heatingUnit);
    for (let run = 0; run < 2; run++) {
      const t1 = performance.now();
      fit = calibrateToRecord(prior, parsed.record, parsed.heatingUnit);
      best = Math.min(best, (performance.now() - t1) / 1000);
    }
    const n = parsed.record.indoorC.length;
    out.push({
      name: `calibration of a 5R1C model to ${file} (${n.toLocaleString('en-GB')} real 15-min readings, heating ${parsed.heatingUnit})`,
      value: best,
      unit: 's (one thread)',
      baseline: { name: 'reading the CSV', value: parseS, unit: 's' },
      goal: '< 1 s to stay inside an HTTP request',
      note: `${fit.iterations} LM iterations over all starts, ${((best / n) * 1e6).toFixed(0)} µs per reading; RMSE ${fit.rmseC.toFixed(2)} °C day-ahead (estimate ${fit.priorRmseC.toFixed(2)} °C)`,
    });
  }
  return out;
}

import { readFileSync } from 'node:fs';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { parseCsv } from './csv';
import { DESNZ_2023_PROVENANCE, deriveDesnzFactors } from './desnz';
import { DESNZ_2023 } from './factors';

const flatFile = readFileSync(sample(DESNZ_2023_PROVENANCE.file), 'utf8');

describe('DESNZ 2023 factor table', () => {
  it('is exactly what deriveDesnzFactors gives on the real flat file (the committed JSON has not drifted)', () => {
    expect(deriveDesnzFactors(flatFile, DESNZ_2023_PROVENANCE)).toEqual(DESNZ_2023);
  });

  it('agrees with every matching row of the separately made tidy subset in the shared data', () => {
    const tidy = parseCsv(
      readFileSync(sample('energy/ghg-conversion-factors/desnz-2023-ghg-factors-tidy.csv'), 'utf8'),
    );
    const h = tidy[0];
    const id = h.indexOf('desnz_id');
    const value = h.indexOf('kgCO2e_per_unit');
    const byId = new Map(tidy.slice(1).map((r) => [r[id], Number(r[value])]));
    let compared = 0;
    for (const f of DESNZ_2023.factors) {
      const v = byId.get(f.desnzId);
      if (v === undefined) continue;
      expect(f.value, f.desnzId).toBe(v);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(25);
  });

  it('keeps the line of each row: line 2845 is UK grid electricity generation, 0.20707 kgCO2e/kWh', () => {
    const gen = DESNZ_2023.factors.find((f) => f.desnzId === '7_400_4000_5_1')!;
    expect(gen).toMatchObject({ key: 'electricity', component: 'generation', scope: 'Scope 2', line: 2845 });
    expect(flatFile.split('\n')[gen.line - 1].startsWith('7_400_4000_5_1,Scope 2,UK electricity')).toBe(true);
    expect(gen.value.toFixed(5)).toBe('0.20707');
  });

  it('names the row when a selected ID is missing or its unit changed', () => {
    const missing = flatFile.replace('\n7_400_4000_5_1,', '\nXX_400_4000_5_1,');
    expect(() => deriveDesnzFactors(missing, DESNZ_2023_PROVENANCE)).toThrow(/no row with ID 7_400_4000_5_1/);
    const renamed = flatFile.replace(
      '1_100_1004_6_1,Scope 1,Fuels,Gaseous fuels,Natural gas,,,kWh (Gross CV)',
      '1_100_1004_6_1,Scope 1,Fuels,Gaseous fuels,Natural gas,,,kWh (Net CV)',
    );
    const e = (() => {
      try {
        deriveDesnzFactors(renamed, DESNZ_2023_PROVENANCE);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(DataError);
    expect(e).toMatchObject({
      type: 'unexpected-unit',
      featureId: '1_100_1004_6_1',
      file: DESNZ_2023_PROVENANCE.file,
    });
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas (the real flat file, line 4189)', () => {
    const row = parseCsv(flatFile)[4188];
    expect(row[0]).toBe('21_316_3160_11_1');
    expect(row[4]).toBe('Domestic, to/from UK');
    expect(row).toHaveLength(10);
  });

  it('reads doubled quotes, CRLF and a missing final newline', () => {
    expect(parseCsv('a,"b ""c"", d"\r\n1,2')).toEqual([
      ['a', 'b "c", d'],
      ['1', '2'],
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { parseOsOpenUprnCsv } from './uprn';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures', name), 'utf8');
const HEADER = 'UPRN,X_COORDINATE,Y_COORDINATE,LATITUDE,LONGITUDE';

/** The DataError a parse throws (fails the test when it does not throw one). */
function errorOf(text: string): DataError {
  try {
    parseOsOpenUprnCsv(text, 'uprns.csv');
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}

describe('OS Open UPRN CSV', () => {
  it('reads every row of the Rutland fixture with its BNG point and line', () => {
    const rows = parseOsOpenUprnCsv(fixture('os-open-uprn-rutland.csv'), 'os-open-uprn-rutland.csv');
    expect(rows).toHaveLength(9);
    expect(rows[0]).toEqual({
      uprn: '100032046630',
      x: 492303.41,
      y: 305205.79,
      lat: 52.63677784,
      lon: -0.63745139,
      line: 2,
    });
    expect(rows.at(-1)).toMatchObject({ uprn: '900000000004', x: 493000, y: 307500, line: 10 });
  });

  it('accepts CRLF, a BOM, quoted cells and blank lines', () => {
    const rows = parseOsOpenUprnCsv(
      `\uFEFF"UPRN","X_COORDINATE","Y_COORDINATE","LATITUDE","LONGITUDE"\r\n"1",485742.67,309155.80,52.67,-0.73\r\n\r\n`,
      'q.csv',
    );
    expect(rows).toEqual([{ uprn: '1', x: 485742.67, y: 309155.8, lat: 52.67, lon: -0.73, line: 2 }]);
  });

  it.each([
    ['a wrong header', 'UPRN,X,Y\n1,2,3', 1, /header must be UPRN,X_COORDINATE/],
    ['a missing column', `${HEADER}\n1,485742.67,309155.80,52.67`, 2, /expected 5 columns, found 4/],
    [
      'a UPRN with a letter',
      `${HEADER}\n12a,485742.67,309155.80,52.67,-0.73`,
      2,
      /UPRN "12a" is not a number/,
    ],
    ['a 13-digit UPRN', `${HEADER}\n1234567890123,485742.67,309155.80,52.67,-0.73`, 2, /1 to 12 digits/],
    ['a UPRN with a leading zero', `${HEADER}\n0123,485742.67,309155.80,52.67,-0.73`, 2, /1 to 12 digits/],
    ['an empty easting', `${HEADER}\n1,,309155.80,52.67,-0.73`, 2, /X_COORDINATE "" is not a number/],
    ['a point off the grid', `${HEADER}\n1,-5,309155.80,52.67,-0.73`, 2, /outside the British National Grid/],
    ['lat/lon outside GB', `${HEADER}\n1,485742.67,309155.80,40.1,-0.73`, 2, /outside Great Britain/],
    [
      'a UPRN given twice',
      `${HEADER}\n7,485742.67,309155.80,52.67,-0.73\n\n7,485742.67,309155.80,52.67,-0.73`,
      4,
      /UPRN 7 is given twice \(first on line 2\)/,
    ],
  ])('rejects %s, naming the file, the line and the reason', (_what, text, line, reason) => {
    const e = errorOf(text);
    expect(e.file).toBe('uprns.csv');
    expect(e.featureId).toBe(`line ${line}`);
    expect(e.reason).toMatch(reason);
    expect(e.message).toContain(`uprns.csv, feature line ${line}: `);
  });

  it('rejects the bad-row fixture at line 3', () => {
    expect(() => parseOsOpenUprnCsv(fixture('os-open-uprn-bad-row.csv'), 'os-open-uprn-bad-row.csv')).toThrow(
      /os-open-uprn-bad-row\.csv, feature line 3: UPRN "90000000000X" is not a number/,
    );
  });
});

import { createReadStream, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '@placetwin/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { type FootfallReject, type FootfallRow, parseFootfallDate, readLeedsFootfall } from './footfall';

const FILE = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');

/**
 * The file counted without the importer: plain line splitting of the gunzipped text (the first ten columns
 * hold no quoted commas), using the file's own Weekday/Month/Day columns to find the clock-change hours.
 */
function countIndependently() {
  const lines = gunzipSync(readFileSync(FILE)).toString('utf8').split(/\r?\n/).filter(Boolean);
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const [cSite, cCount, cHour, cWeekday, cMonth, cDay, cNewDate] = [
    'LocationName',
    'InCount',
    'Hour',
    'Weekday',
    'Month',
    'Day',
    'NewDate',
  ].map(col);
  let springForward = 0;
  let fallBack = 0;
  let repeated = 0;
  const seen = new Map<string, string>();
  const sumBySite = new Map<string, number>();
  for (const line of lines.slice(1)) {
    const f = line.split(',');
    const lastSunday = f[cWeekday] === 'Sunday' && Number(f[cDay]) >= 25 && f[cHour] === '1';
    if (lastSunday && f[cMonth] === '3') {
      springForward++;
      continue;
    }
    if (lastSunday && f[cMonth] === '10') fallBack++;
    const key = `${f[cSite]}|${f[cNewDate]}|${f[cHour]}`;
    if (seen.has(key)) {
      repeated++;
      expect(seen.get(key)).toBe(f[cCount]); // the repeats carry the same count
    } else {
      seen.set(key, f[cCount]);
      sumBySite.set(f[cSite], (sumBySite.get(f[cSite]) ?? 0) + Number(f[cCount]));
    }
  }
  return { dataRows: lines.length - 1, springForward, fallBack, repeated, sumBySite };
}

let expected: ReturnType<typeof countIndependently>;
const rows: FootfallRow[] = [];
const rejects: FootfallReject[] = [];

beforeAll(async () => {
  expected = countIndependently();
  for await (const row of readLeedsFootfall(createReadStream(FILE), {
    fileName: 'footfall-hourly-2009-2016.csv.gz',
    onReject: (r) => rejects.push(r),
  })) {
    rows.push(row);
  }
}, 180_000);

describe('Leeds footfall importer (real file, streamed through gunzip)', () => {
  it('reads every row: the file holds 554,360, of which only the non-existent clocks-forward hours are left out', () => {
    expect(expected.dataRows).toBe(554_360); // PROVENANCE.md
    expect(rows.length + rejects.length).toBe(expected.dataRows);
    expect(rejects.length).toBe(expected.springForward);
    expect(rejects.every((r) => r.type === 'nonexistent-local-time')).toBe(true);
    expect(rejects[0]).toMatchObject({
      line: 14619,
      site: 'Briggate',
      reason: expect.stringContaining('InCount 0'),
    });
  });

  it('keeps the count per site exactly (repeated rows once)', () => {
    const sums = new Map<string, number>();
    const seen = new Set<string>();
    for (const r of rows) {
      const key = `${r.site}@${r.phenomenonTimeMs}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sums.set(r.site, (sums.get(r.site) ?? 0) + r.count);
    }
    expect(sums).toEqual(expected.sumBySite);
    expect(sums.size).toBe(8);
  });

  it('converts local hours to UTC, marking the doubled hour when clocks go back', () => {
    expect(rows.filter((r) => r.hours === 2).length).toBe(expected.fallBack);
    const first = rows[0];
    expect(first).toMatchObject({
      site: 'Briggate',
      phenomenonTimeMs: Date.UTC(2009, 0, 1, 0),
      count: 268,
      line: 2,
    });
    // Summer: local 12:00 BST is 11:00 UTC.
    const july = rows.find((r) => r.site === 'Headrow' && r.phenomenonTimeMs === Date.UTC(2012, 6, 1, 11));
    expect(july).toBeDefined();
    // 1–3 July 2016 appear twice (once as 2016-07-01, once as 01/07/2016): the only rows sharing an instant.
    const keys = new Set(rows.map((r) => `${r.site}@${r.phenomenonTimeMs}`));
    expect(expected.repeated).toBe(576);
    expect(rows.length - keys.size).toBe(expected.repeated);
  });

  it('reads all three date spellings the file uses, and rejects impossible dates', () => {
    expect(parseFootfallDate('01/11/2016')).toEqual([2016, 11, 1]);
    expect(parseFootfallDate('2014-11-03')).toEqual([2014, 11, 3]);
    expect(parseFootfallDate('01-Nov-16')).toEqual([2016, 11, 1]);
    expect(parseFootfallDate('31-Nov-2016')).toBeNull();
    expect(parseFootfallDate('2016/11/01')).toBeNull();
  });

  it('says a cut-short gzip is truncated, naming the file', async () => {
    const head = readFileSync(FILE).subarray(0, 200_000);
    const read = async () => {
      for await (const _ of readLeedsFootfall([head], { fileName: 'cut.csv.gz' })) {
        // drain
      }
    };
    await expect(read()).rejects.toMatchObject({
      name: 'DataError',
      type: 'truncated-file',
      file: 'cut.csv.gz',
    });
  });

  // Constructed: the real file has no malformed rows or missing columns.
  it('throws on a malformed row naming file and line, or skips and reports it under skipInvalid', async () => {
    const csv = 'Date,InCount,LocationName,Hour\n01/01/2009,12,Briggate,0\n01/01/2009,-3,Briggate,1\n';
    const drain = async (skipInvalid: boolean, out: FootfallReject[] = []) => {
      const got: FootfallRow[] = [];
      for await (const r of readLeedsFootfall([Buffer.from(csv)], {
        fileName: 'x.csv',
        skipInvalid,
        onReject: (r) => out.push(r),
      }))
        got.push(r);
      return got;
    };
    await expect(drain(false)).rejects.toThrow(/x\.csv, feature Briggate: line 3: InCount "-3"/);
    const out: FootfallReject[] = [];
    expect(await drain(true, out)).toHaveLength(1);
    expect(out).toEqual([
      { line: 3, site: 'Briggate', type: 'invalid-count', reason: 'InCount "-3" is not a count' },
    ]);
  });

  it('names missing columns', async () => {
    const read = async () => {
      for await (const _ of readLeedsFootfall([Buffer.from('Date,Count\n1,2\n')], { fileName: 'y.csv' })) {
        // drain
      }
    };
    await expect(read()).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof DataError &&
        e.type === 'missing-column' &&
        /InCount, LocationName, Hour/.test(e.message),
    );
  });
});

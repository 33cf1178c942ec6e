/**
 * A council asset register as CSV, for `placetwin import-council-assets` (node only: csv-parse reads RFC 4180
 * quoting, which asset registers exported from spreadsheets use). The ownership rule is @placetwin/energy's.
 */
import { DataError } from '@placetwin/geo';
import { parse } from 'csv-parse/sync';

const YES = new Set(['yes', 'true', '1']);
const NO = new Set(['no', 'false', '0']);

export interface RegisterRow {
  /** 1-based line of the file (header is line 1). */
  line: number;
  buildingId?: string;
  uprn?: number;
  owned: boolean;
}

/**
 * A council asset register as CSV (RFC 4180): a header with `building_id` or `uprn` (or both; per row, the id is
 * used if given, else the UPRN) and optionally `council_owned` (yes/no, true/false, 1/0; default yes when empty). Other
 * columns (asset name, tenure, ...) are ignored. A bad row is a DataError naming the file and the line.
 */
export function parseCouncilAssetRegister(text: string, fileName: string): RegisterRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (e) {
    throw new DataError('invalid-csv', (e as Error).message, { file: fileName });
  }
  if (records.length < 2)
    throw new DataError('empty-file', 'needs a header and at least one row', { file: fileName });
  const header = records[0].map((h) => h.toLowerCase());
  const idCol = header.indexOf('building_id');
  const uprnCol = header.indexOf('uprn');
  const ownedCol = header.indexOf('council_owned');
  if (idCol < 0 && uprnCol < 0)
    throw new DataError('missing-column', 'the header needs a building_id or a uprn column', {
      file: fileName,
    });
  return records.slice(1).map((r, i) => {
    const line = i + 2;
    const where = { file: fileName, featureId: `line ${line}` };
    const ownedText = ownedCol >= 0 && r[ownedCol] !== '' ? r[ownedCol].toLowerCase() : 'yes';
    if (!YES.has(ownedText) && !NO.has(ownedText))
      throw new DataError('invalid-value', `council_owned must be yes or no (got "${r[ownedCol]}")`, where);
    const owned = YES.has(ownedText);
    const id = idCol >= 0 ? r[idCol] : '';
    if (id !== '') return { line, buildingId: id, owned };
    const u = uprnCol >= 0 ? r[uprnCol] : '';
    if (!/^[1-9][0-9]{0,11}$/.test(u))
      throw new DataError(
        'invalid-value',
        u === '' ? 'needs a building_id or a uprn' : `"${u}" is not a UPRN`,
        where,
      );
    return { line, uprn: Number(u), owned };
  });
}

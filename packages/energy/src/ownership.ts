/**
 * Is a building council-owned? The rule, in order (first that applies decides):
 *   1. `council_owned` = yes/no in its attributes — set by importing the council's asset register
 *      (`npx placetwin import-council-assets`), which is the authority;
 *   2. OSM `owner` — owned if it names the council;
 *   3. OSM `operator` — owned if it names the council (an operator is not always the owner: a council-run
 *      building on a lease counts, a council-owned building run by a trust does not; the register fixes both);
 *   4. OSM `name` — owned if the building is named as the council itself (its offices, e.g. "Rutland County Council").
 * Names match after normalising case, spaces, "&"/"and" and a leading "the". Limits: OSM rarely carries owner or
 * operator (in the Rutland extract, 3 buildings name Rutland County Council as operator and 1 is named after it),
 * so without a register the selection is a small, certain subset, never the full estate.
 */

import { DataError } from '@placetwin/geo';
import { parse } from 'csv-parse/sync';

export type OwnershipBasis = 'register' | 'osm-owner' | 'osm-operator' | 'osm-name' | null;

export interface Ownership {
  councilOwned: boolean;
  basis: OwnershipBasis;
}

export const normaliseOrgName = (s: string): string =>
  s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[.,']/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^the /, '');

const YES = new Set(['yes', 'true', '1']);
const NO = new Set(['no', 'false', '0']);

export function councilOwnership(
  attributes: Record<string, unknown>,
  councilNames: readonly string[],
): Ownership {
  const names = new Set(councilNames.map(normaliseOrgName));
  const reg = attributes.council_owned;
  if (reg !== undefined && reg !== null) {
    const v = String(reg).toLowerCase();
    if (YES.has(v)) return { councilOwned: true, basis: 'register' };
    if (NO.has(v)) return { councilOwned: false, basis: 'register' };
  }
  const named = (key: string) => {
    const v = attributes[key];
    return typeof v === 'string' && v.trim() !== ''
      ? v.split(';').some((p) => names.has(normaliseOrgName(p)))
      : null;
  };
  const owner = named('owner');
  if (owner !== null) return { councilOwned: owner, basis: 'osm-owner' };
  const operator = named('operator');
  if (operator !== null) return { councilOwned: operator, basis: 'osm-operator' };
  if (named('name') === true) return { councilOwned: true, basis: 'osm-name' };
  return { councilOwned: false, basis: null };
}

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

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

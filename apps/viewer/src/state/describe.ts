/**
 * Plain-language wording for building attributes: what a resident or councillor reads in the info panel.
 */

export interface HeightDescription {
  /** "Measured" or "Estimated": the one word that matters most. */
  kind: 'Measured' | 'Estimated' | 'Unknown';
  /** A sentence saying where the figure comes from. */
  sentence: string;
}

const metres = (m: number): string => `${m.toFixed(1)} m`;

/**
 * How a building's height was obtained, in words. `heightMethod` is the importer's own note (e.g. "OSM
 * building:levels=3 × 3.0 m + 1.0 m roof"), kept verbatim after the sentence so nothing is lost.
 */
export function describeHeight(b: {
  heightM: number;
  heightSource: string;
  heightMethod: string;
  storeys: number | null;
}): HeightDescription {
  const method = b.heightMethod.trim();
  const how = method ? ` (${method})` : '';
  switch (b.heightSource) {
    case 'measured':
      return {
        kind: 'Measured',
        sentence: `The height of ${metres(b.heightM)} was measured and recorded in the source data${how}.`,
      };
    case 'levels':
      return {
        kind: 'Estimated',
        sentence: `The height of ${metres(b.heightM)} is estimated from the number of storeys${
          b.storeys === null ? '' : ` (${b.storeys})`
        }${how}.`,
      };
    case 'type-default':
      return {
        kind: 'Estimated',
        sentence: `No height or storeys are recorded, so ${metres(b.heightM)} is a typical height for this type of building${how}.`,
      };
    default:
      return {
        kind: 'Unknown',
        sentence: `Height ${metres(b.heightM)}; how it was obtained is not recorded${how}.`,
      };
  }
}

/** OSM element ids as the importer writes them: `w123` way, `r45` relation, `n6` node. */
export function describeOsmId(
  sourceId: string,
): { type: 'way' | 'relation' | 'node'; number: string } | null {
  const m = /^([wrn])(\d+)$/.exec(sourceId);
  if (!m) return null;
  return { type: m[1] === 'w' ? 'way' : m[1] === 'r' ? 'relation' : 'node', number: m[2] };
}

const areaFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export const formatAreaM2 = (areaM2: number): string => `${areaFormat.format(areaM2)} m²`;

/** `retail` → `Retail`, `place_of_worship` → `Place of worship`. */
export const humanise = (s: string): string => {
  const words = s.replaceAll(/[_:]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

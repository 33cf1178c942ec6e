/**
 * How buildings are coloured, as data: each scheme is an ordered list of legend entries, each with a 3D Tiles
 * style condition over the feature properties the tiler writes (`heightM`, `use`, `heightSource`, ...). The
 * legend, the Cesium3DTileStyle and the GeoJSON benchmark path are all generated from this one list.
 */
import type { ColourBy } from './viewState';

export interface LegendEntry {
  label: string;
  /** CSS hex colour. */
  colour: string;
  /** A 3D Tiles style expression that is true for the buildings this entry covers. */
  condition: string;
}

export interface ColourScheme {
  label: string;
  /** One line under the selector: what the colours mean. */
  description: string;
  entries: LegendEntry[];
  /**
   * Figures the tiles do not carry, joined to each building by id from an API table before styling (see
   * `buildingValues.ts`): the energy layer's annual demand, or operational carbon.
   */
  joins?: 'energy' | 'carbon';
}

/** Cool light grey: reads as "building" against the warm basemap, and shows shading well. */
const NEUTRAL = '#dfe4ea';
const UNKNOWN = '#b8b8b8';

/**
 * Height bands tuned to a UK market town: most buildings are 1–3 storeys, a few churches and mills stand out. Blues
 * (ColorBrewer "Blues", evenly stepped in lightness) stand apart from the warm basemap and from the amber selection.
 */
const HEIGHT_BANDS: { upToM: number; colour: string }[] = [
  { upToM: 4, colour: '#d6e6f4' },
  { upToM: 7, colour: '#a6cbe4' },
  { upToM: 10, colour: '#6aaed6' },
  { upToM: 15, colour: '#3787c0' },
  { upToM: 25, colour: '#1b5a9e' },
  { upToM: Number.POSITIVE_INFINITY, colour: '#0b2f6b' },
];

function heightEntries(): LegendEntry[] {
  return HEIGHT_BANDS.map((band, i) => {
    const fromM = i === 0 ? 0 : HEIGHT_BANDS[i - 1].upToM;
    const last = !Number.isFinite(band.upToM);
    return {
      label: last ? `${fromM} m and taller` : i === 0 ? `under ${band.upToM} m` : `${fromM}–${band.upToM} m`,
      colour: band.colour,
      condition: last ? 'true' : `\${heightM} < ${band.upToM}`,
    };
  });
}

/**
 * Use classes as the importers name them (`USE_CLASSES` in @placetwin/importers: OSM `building`/`amenity`/`shop`...
 * mapped to a small vocabulary; `unknown` falls to the catch-all). Colours after ColorBrewer Set2/Dark2, chosen so
 * neighbours in the list stay distinct for common colour-vision deficiencies.
 */
const USE_COLOURS: { use: string; label: string; colour: string }[] = [
  { use: 'residential', label: 'Homes', colour: '#f2cf7a' },
  { use: 'commercial', label: 'Offices and commercial', colour: '#5b8fd6' },
  { use: 'retail', label: 'Shops', colour: '#e78ac3' },
  { use: 'industrial', label: 'Industrial', colour: '#8d6e63' },
  { use: 'agricultural', label: 'Farm buildings', colour: '#9bc46a' },
  { use: 'education', label: 'Schools and colleges', colour: '#fc8d62' },
  { use: 'religious', label: 'Places of worship', colour: '#b07cc6' },
  { use: 'civic', label: 'Civic and public', colour: '#4fb3a9' },
  { use: 'healthcare', label: 'Health care', colour: '#e15759' },
  { use: 'outbuilding', label: 'Garages, sheds and outbuildings', colour: '#d4c4a8' },
];

/**
 * A string literal for a 3D Tiles style expression, or null when there is none: Cesium's expression parser has no
 * working escapes inside its `${}`-substituted text, so a string may hold one kind of quote but not both, and no
 * backslash. Building ids (OSM `w123`, 3D BAG and gml ids) never do.
 */
export function styleString(s: string): string | null {
  if (s.includes('\\')) return null;
  if (!s.includes("'")) return `'${s}'`;
  if (!s.includes('"')) return `"${s}"`;
  return null;
}

/**
 * Bands of a joined figure, each guarded by the flag that says the building has one (a style comparison with a
 * missing value is an error in Cesium's expression language), then the buildings the model leaves out, then a
 * catch-all for buildings without a figure (not loaded yet, or skipped).
 */
function bandEntries(
  property: string,
  known: string,
  unit: string,
  bands: { upTo: number; colour: string }[],
  notModelled: LegendEntry,
): LegendEntry[] {
  const fmt = new Intl.NumberFormat('en-GB');
  return [
    ...bands.map((band, i) => {
      const from = i === 0 ? 0 : bands[i - 1].upTo;
      const last = !Number.isFinite(band.upTo);
      return {
        label: last
          ? `${fmt.format(from)} ${unit} and over`
          : i === 0
            ? `under ${fmt.format(band.upTo)} ${unit}`
            : `${fmt.format(from)}–${fmt.format(band.upTo)} ${unit}`,
        colour: band.colour,
        condition: `\${${known}} === true${last ? '' : ` && \${${property}} < ${band.upTo}`}`,
      };
    }),
    notModelled,
    { label: 'No figure (not loaded, or not modelled)', colour: UNKNOWN, condition: 'true' },
  ];
}

const UNHEATED: LegendEntry = {
  label: 'Unheated use (not modelled)',
  colour: '#f1efe9',
  condition: `\${energyStatus} === 'not-modelled'`,
};

/**
 * Annual heat demand bands around the benchmarks the energy layer uses (homes 122, offices 120, schools 150,
 * libraries 200, hospitals 330–420 kWh/m²), ColorBrewer "RdPu": apart from the amber selection and the blue heights.
 */
const HEAT_BANDS = [
  { upTo: 50, colour: '#fde0dd' },
  { upTo: 110, colour: '#fcc5c0' },
  { upTo: 130, colour: '#fa9fb5' },
  { upTo: 170, colour: '#f768a1' },
  { upTo: 250, colour: '#c51b8a' },
  { upTo: Number.POSITIVE_INFINITY, colour: '#7a0177' },
];
/** Heat + electricity per building, MWh/yr: a home is 10–30, a school or library 200–500. ColorBrewer "BuPu". */
const DEMAND_BANDS = [
  { upTo: 15, colour: '#e0ecf4' },
  { upTo: 30, colour: '#bfd3e6' },
  { upTo: 60, colour: '#9ebcda' },
  { upTo: 120, colour: '#8c96c6' },
  { upTo: 250, colour: '#8c6bb1' },
  { upTo: 500, colour: '#88419d' },
  { upTo: Number.POSITIVE_INFINITY, colour: '#4d004b' },
];
/** Operational tCO2e/yr per building: a gas-heated home is 2–4. ColorBrewer "Reds". */
const CARBON_BANDS = [
  { upTo: 2.5, colour: '#fee0d2' },
  { upTo: 5, colour: '#fcbba1' },
  { upTo: 10, colour: '#fc9272' },
  { upTo: 25, colour: '#fb6a4a' },
  { upTo: 50, colour: '#de2d26' },
  { upTo: 100, colour: '#a50f15' },
  { upTo: Number.POSITIVE_INFINITY, colour: '#67000d' },
];

export const COLOUR_SCHEMES: Record<ColourBy, ColourScheme> = {
  none: {
    label: 'Plain',
    description: 'All buildings in one colour.',
    entries: [{ label: 'Building', colour: NEUTRAL, condition: 'true' }],
  },
  height: {
    label: 'Height',
    description: 'Height above ground to the top of the building.',
    entries: heightEntries(),
  },
  use: {
    label: 'Use',
    description: 'What the building is used for, as mapped.',
    entries: [
      ...USE_COLOURS.map((u) => ({ label: u.label, colour: u.colour, condition: `\${use} === '${u.use}'` })),
      { label: 'Other or not recorded', colour: UNKNOWN, condition: 'true' },
    ],
  },
  heightSource: {
    label: 'Height source',
    description: 'Whether the height was measured or estimated, and from what.',
    entries: [
      { label: 'Measured', colour: '#1b9e77', condition: `\${heightSource} === 'measured'` },
      { label: 'Estimated from storeys', colour: '#d95f02', condition: `\${heightSource} === 'levels'` },
      {
        label: 'Estimated from building type',
        colour: '#7570b3',
        condition: `\${heightSource} === 'type-default'`,
      },
      { label: 'Unknown', colour: UNKNOWN, condition: 'true' },
    ],
  },
  heatDemand: {
    label: 'Heat demand (kWh/m²)',
    description:
      'Annual heating fuel per m² of floor, estimated from CIBSE TM46 and Ofgem benchmarks for the use (not metered).',
    entries: bandEntries('heatKwhPerM2', 'heatKnown', 'kWh/m²', HEAT_BANDS, UNHEATED),
    joins: 'energy',
  },
  energyDemand: {
    label: 'Annual demand (MWh)',
    description: 'Heat and electricity a year per building: benchmark per m² × floor area (estimated).',
    entries: bandEntries('energyMwh', 'energyKnown', 'MWh', DEMAND_BANDS, UNHEATED),
    joins: 'energy',
  },
  carbon: {
    label: 'Operational carbon (tCO2e/yr)',
    description:
      'Emissions from each building’s energy in the year and plan shown in the Carbon panel (modelled from assumed energy).',
    entries: bandEntries('carbonTco2e', 'carbonKnown', 'tCO2e', CARBON_BANDS, {
      label: 'Unheated use (no energy modelled)',
      colour: '#f1efe9',
      condition: `\${carbonStatus} === 'not-modelled'`,
    }),
    joins: 'carbon',
  },
};

/** Bright amber: stands apart from every scheme above. */
export const SELECTED_COLOUR = '#ffd60a';

/** The JSON of a Cesium3DTileStyle for a scheme, with the selected building (if any) highlighted first. */
export function buildingStyleJson(
  colourBy: ColourBy,
  selectedId: string | null,
): { color: { conditions: [string, string][] } } {
  const conditions: [string, string][] = COLOUR_SCHEMES[colourBy].entries.map((e) => [
    e.condition,
    `color('${e.colour}')`,
  ]);
  const selected = selectedId === null ? null : styleString(selectedId);
  if (selected) conditions.unshift([`\${id} === ${selected}`, `color('${SELECTED_COLOUR}')`]);
  return { color: { conditions } };
}

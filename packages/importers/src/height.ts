import type { HeightSource } from '@placetwin/geo';

/**
 * Building heights from tags (OSM, or GeoJSON properties named like OSM), as a pure module.
 *
 * Order of evidence:
 * 1. `height` (a number with optional unit) → `measured`;
 * 2. `building:levels` (+ `roof:levels`) × LEVEL_HEIGHT_M, plus ROOF_ALLOWANCE_M unless roof levels or a flat
 *    roof are tagged → `levels`;
 * 3. a default for the building type (TYPE_DEFAULTS) → `type-default`.
 * The bottom (`min_height`, else `building:min_level` × LEVEL_HEIGHT_M) lifts parts such as overhangs.
 * Every result says in `heightMethod` exactly which rule and numbers gave it.
 */

/** Floor-to-floor height per storey. Between the ~3.1 m residential and ~3.9 m office floor-to-floor
 *  heights of the CTBUH Height Calculator, nearer the residential value since most UK buildings are homes. */
export const LEVEL_HEIGHT_M = 3.0;

/** Added on top of the storeys when no roof levels are tagged: half the rise of a typical pitched roof
 *  (an extruded block stands for the mean roof height, not the ridge). Zero for `roof:shape=flat`. */
export const ROOF_ALLOWANCE_M = 1.0;

/** Tag values this module reads; anything else is ignored. Numbers are accepted as well as strings. */
export type HeightTags = Readonly<Record<string, unknown>>;

export interface DerivedHeight {
  heightM: number;
  minHeightM: number;
  heightSource: HeightSource;
  heightMethod: string;
  storeys: number | null;
}

export interface TypeDefault {
  /** Assumed storeys above ground, when the default is storey-based. */
  storeys: number | null;
  heightM: number;
  basis: string;
}

const storeyBased = (storeys: number, basis: string): TypeDefault => ({
  storeys,
  heightM: storeys * LEVEL_HEIGHT_M + ROOF_ALLOWANCE_M,
  basis,
});
const fixed = (heightM: number, basis: string): TypeDefault => ({ storeys: null, heightM, basis });

/**
 * Default height per OSM `building` value when no height or levels are tagged. Assumptions, not
 * measurements: the README repeats this table with the reasoning. Values not listed use `yes`.
 */
export const TYPE_DEFAULTS: Readonly<Record<string, TypeDefault>> = {
  house: storeyBased(2, 'most English houses have two storeys (English Housing Survey dwelling types)'),
  detached: storeyBased(2, 'as house'),
  semidetached_house: storeyBased(2, 'as house'),
  terrace: storeyBased(2, 'as house'),
  residential: storeyBased(2, 'as house'),
  farm: storeyBased(2, 'a farmhouse, as house'),
  bungalow: storeyBased(1, 'one storey by definition'),
  apartments: storeyBased(3, 'low-rise purpose-built flats, typical outside city centres'),
  flats: storeyBased(3, 'as apartments (British spelling of the tag)'),
  dormitory: storeyBased(3, 'as apartments'),
  hotel: storeyBased(3, 'small-town hotels and inns'),
  commercial: storeyBased(2, 'high-street commercial premises'),
  pub: storeyBased(2, 'village and town pubs: bar below, rooms above'),
  office: storeyBased(3, 'small office blocks'),
  civic: storeyBased(2, 'council offices, libraries, halls'),
  public: storeyBased(2, 'as civic'),
  hall: fixed(7, 'village and church halls: one tall storey under a pitched roof'),
  government: storeyBased(2, 'as civic'),
  school: storeyBased(2, 'one- to two-storey school buildings'),
  training_centre: storeyBased(2, 'as school'),
  college: storeyBased(3, 'teaching blocks'),
  university: storeyBased(3, 'teaching blocks'),
  hospital: storeyBased(3, 'district hospital wards'),
  kindergarten: storeyBased(1, 'single-storey nurseries'),
  retail: fixed(6, 'single-storey shop units with a high ceiling and parapet'),
  supermarket: fixed(7, 'single-storey supermarkets, ~6-8 m to the roof'),
  industrial: fixed(8, 'portal-frame industrial sheds, eaves ~6-10 m'),
  warehouse: fixed(8, 'as industrial'),
  manufacture: fixed(8, 'as industrial'),
  church: fixed(12, 'nave of an English parish church (towers and spires are not modelled)'),
  chapel: fixed(7, 'small chapels'),
  cathedral: fixed(25, 'nave of a cathedral'),
  mosque: fixed(10, 'prayer hall (minarets not modelled)'),
  temple: fixed(10, 'as mosque'),
  synagogue: fixed(10, 'as mosque'),
  sports_hall: fixed(8, 'sports halls need ~7 m clear height'),
  pavilion: fixed(4, 'single-storey sports pavilions'),
  farm_auxiliary: fixed(6, 'portal-frame barns and farm sheds'),
  barn: fixed(6, 'as farm_auxiliary'),
  cowshed: fixed(5, 'livestock sheds'),
  stable: fixed(4, 'single-storey stables'),
  greenhouse: fixed(3, 'glasshouses'),
  silo: fixed(12, 'farm silos ~10-15 m'),
  garage: fixed(3, 'single domestic garage, pitched or flat roof'),
  garages: fixed(3, 'as garage'),
  carport: fixed(2.5, 'open carport'),
  shed: fixed(2.5, 'garden shed'),
  hut: fixed(3, 'small single-room building'),
  cabin: fixed(3, 'as hut'),
  static_caravan: fixed(3, 'a caravan on its stand'),
  kiosk: fixed(3, 'as hut'),
  bunker: fixed(3, 'wartime pillboxes and bunkers, mostly low or half-buried'),
  signal_box: storeyBased(2, 'railway signal boxes: locking room below, operating floor above'),
  bandstand: fixed(4, 'open roofed platform, as roof'),
  toilets: fixed(3, 'as hut'),
  service: fixed(3, 'small service buildings (pumps, switchgear)'),
  transformer_tower: fixed(6, 'small electricity substation towers'),
  roof: fixed(4, 'open canopy (petrol station, shelter); drawn as a solid block from the ground'),
  ruins: fixed(4, 'remaining walls'),
  construction: fixed(6, 'under construction: as yes'),
  yes: fixed(
    6,
    'type not given: most are houses (7 m) traced from imagery, with their outbuildings (3 m); 6 m leans to houses',
  ),
};

const round2 = (x: number): number => Math.round(x * 100) / 100;
const fmt = (x: number): string => `${Number.isInteger(x) ? x.toFixed(1) : round2(x)} m`;

/**
 * A length in metres from an OSM-style value: `12`, `12 m`, `12.5m`, `12 metres`, `40'` (feet),
 * `40'6"` (feet and inches), `40 ft`. Null when unreadable, not positive or over 1,000 m.
 */
export function parseLengthM(value: unknown): number | null {
  let m: number | null = null;
  if (typeof value === 'number') m = value;
  else if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    const metres = /^(\d+(?:\.\d+)?)\s*(?:m|metres?|meters?)?$/.exec(s);
    const feet = /^(\d+(?:\.\d+)?)\s*(?:'|ft|feet|foot)(?:\s*(\d+(?:\.\d+)?)\s*(?:"|in|inch|inches))?$/.exec(
      s,
    );
    if (metres) m = Number(metres[1]);
    else if (feet) m = Number(feet[1]) * 0.3048 + (feet[2] ? Number(feet[2]) * 0.0254 : 0);
  }
  return m !== null && Number.isFinite(m) && m > 0 && m <= 1000 ? m : null;
}

/** A storey count from `building:levels`-style values: a non-negative number up to 300, else null. */
export function parseLevels(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  return typeof value === 'string' && value.trim() === ''
    ? null
    : Number.isFinite(n) && n >= 0 && n <= 300
      ? n
      : null;
}

const tagText = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** The default for a building value (lower case); `yes` for values not in the table. */
export function typeDefault(building: string | null | undefined): { key: string; value: TypeDefault } {
  const key = building && Object.hasOwn(TYPE_DEFAULTS, building) ? building : 'yes';
  return { key, value: TYPE_DEFAULTS[key] };
}

/**
 * Derives height, bottom, storeys and a plain-language method from tags. `sourceLabel` names where the
 * tags came from in the method text (`OSM`, `GeoJSON`). Never throws: unreadable values are named in the
 * method and the next rule applies.
 */
export function deriveHeight(tags: HeightTags, sourceLabel = 'OSM'): DerivedHeight {
  const notes: string[] = [];
  const levels = tags['building:levels'] != null ? parseLevels(tags['building:levels']) : null;
  if (tags['building:levels'] != null && levels === null) {
    notes.push(`building:levels="${tagText(tags['building:levels'])}" unreadable`);
  }
  const roofLevels = tags['roof:levels'] != null ? parseLevels(tags['roof:levels']) : null;
  const storeys = levels;

  let heightM: number;
  let heightSource: HeightSource;
  let method: string;
  const height = tags.height != null ? parseLengthM(tags.height) : null;
  if (tags.height != null && height === null) notes.push(`height="${tagText(tags.height)}" unreadable`);

  if (height !== null) {
    heightM = height;
    heightSource = 'measured';
    const raw = tagText(tags.height).trim();
    method = `${sourceLabel} height=${raw}${/^\d+(\.\d+)?$/.test(raw) ? ' m' : ''}${
      /[a-z'"]/i.test(raw) && !/^\d+(\.\d+)?\s*m$/i.test(raw) ? ` (= ${fmt(height)})` : ''
    }`;
  } else if (levels !== null && levels > 0) {
    heightSource = 'levels';
    const flat = tags['roof:shape'] === 'flat';
    if (roofLevels !== null && roofLevels > 0) {
      heightM = (levels + roofLevels) * LEVEL_HEIGHT_M;
      method = `${sourceLabel} building:levels=${levels} + roof:levels=${roofLevels}, ${levels + roofLevels} × ${fmt(LEVEL_HEIGHT_M)} = ${fmt(heightM)}`;
    } else {
      const roof = flat ? 0 : ROOF_ALLOWANCE_M;
      heightM = levels * LEVEL_HEIGHT_M + roof;
      method = `${sourceLabel} building:levels=${levels} × ${fmt(LEVEL_HEIGHT_M)}${
        flat ? ' (flat roof)' : ` + ${fmt(roof)} roof allowance`
      } = ${fmt(heightM)}`;
    }
  } else {
    heightSource = 'type-default';
    const building = typeof tags.building === 'string' ? tags.building.trim().toLowerCase() : null;
    const { key, value } = typeDefault(building);
    heightM = value.heightM;
    const given =
      building && building !== key ? `building=${building} (not in the table, as yes)` : `building=${key}`;
    const why = value.storeys
      ? `${value.storeys} storey${value.storeys > 1 ? 's' : ''} × ${fmt(LEVEL_HEIGHT_M)} + ${fmt(ROOF_ALLOWANCE_M)} roof`
      : value.basis;
    method = `default for ${given}, no height or levels tagged: ${why} = ${fmt(heightM)}`;
  }

  let minHeightM = 0;
  const minTag = tags.min_height != null ? parseLengthM(tags.min_height) : null;
  const minLevel = tags['building:min_level'] != null ? parseLevels(tags['building:min_level']) : null;
  let minMethod = '';
  if (minTag !== null) {
    minHeightM = minTag;
    minMethod = `bottom: min_height=${tagText(tags.min_height).trim()}`;
  } else if (minLevel !== null && minLevel > 0) {
    minHeightM = minLevel * LEVEL_HEIGHT_M;
    minMethod = `bottom: building:min_level=${minLevel} × ${fmt(LEVEL_HEIGHT_M)} = ${fmt(minHeightM)}`;
  }
  if (minHeightM >= heightM) {
    notes.push(`${minMethod.replace('bottom: ', '')} ignored: not below the top`);
    minHeightM = 0;
    minMethod = '';
  }
  const parts = [method, minMethod, ...notes].filter(Boolean);
  return {
    heightM: round2(heightM),
    minHeightM: round2(minHeightM),
    heightSource,
    heightMethod: parts.join('; '),
    storeys,
  };
}

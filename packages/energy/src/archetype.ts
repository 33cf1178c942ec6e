/**
 * Defaults per use class and construction age: the assumptions that turn a twin building (footprint, height,
 * storeys, use) into a thermal model when nothing was surveyed. Descriptors as data: one table each.
 */
import benchmarks from '../data/annual-demand-benchmarks.json' with { type: 'json' };

/** ISO 13790:2008 Table 12: effective mass area A_m and internal heat capacity C_m per m² of floor area. */
export const CAPACITY_CLASSES = {
  'very-light': { massAreaFactor: 2.5, cmJPerKM2: 80_000 },
  light: { massAreaFactor: 2.5, cmJPerKM2: 110_000 },
  medium: { massAreaFactor: 2.5, cmJPerKM2: 165_000 },
  heavy: { massAreaFactor: 3.0, cmJPerKM2: 260_000 },
  'very-heavy': { massAreaFactor: 3.5, cmJPerKM2: 370_000 },
} as const;
export type CapacityClass = keyof typeof CAPACITY_CLASSES;

/** Fabric by construction age (England). Placetwin defaults informed by the RdSAP 10 Appendix S as-built values and Approved Document L limits; rounded, not a transcription. */
export interface FabricDefaults {
  wallU: number;
  roofU: number;
  floorU: number;
  windowU: number;
  /** Total solar energy transmittance of the glazing, normal incidence. */
  glazingG: number;
  capacityClass: CapacityClass;
}

export const AGE_BANDS = [
  'pre-1919',
  '1919-1944',
  '1945-1964',
  '1965-1980',
  '1981-1995',
  '1996-2006',
  '2007-2013',
  '2014-',
  'unknown',
] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const FABRIC_BY_AGE: Record<AgeBand, FabricDefaults> = {
  'pre-1919': { wallU: 2.1, roofU: 2.3, floorU: 0.8, windowU: 4.8, glazingG: 0.85, capacityClass: 'heavy' },
  '1919-1944': { wallU: 1.6, roofU: 2.3, floorU: 0.8, windowU: 4.8, glazingG: 0.85, capacityClass: 'heavy' },
  '1945-1964': { wallU: 1.6, roofU: 1.5, floorU: 0.8, windowU: 4.8, glazingG: 0.85, capacityClass: 'medium' },
  '1965-1980': { wallU: 1.5, roofU: 0.8, floorU: 0.8, windowU: 3.1, glazingG: 0.76, capacityClass: 'medium' },
  '1981-1995': { wallU: 0.6, roofU: 0.4, floorU: 0.6, windowU: 2.8, glazingG: 0.76, capacityClass: 'medium' },
  '1996-2006': {
    wallU: 0.45,
    roofU: 0.25,
    floorU: 0.45,
    windowU: 2.0,
    glazingG: 0.72,
    capacityClass: 'medium',
  },
  '2007-2013': {
    wallU: 0.3,
    roofU: 0.16,
    floorU: 0.22,
    windowU: 1.8,
    glazingG: 0.63,
    capacityClass: 'medium',
  },
  '2014-': { wallU: 0.18, roofU: 0.13, floorU: 0.13, windowU: 1.4, glazingG: 0.63, capacityClass: 'medium' },
  // A stock-average guess: part-insulated cavity or solid walls, some loft insulation, double glazing.
  unknown: { wallU: 1.0, roofU: 0.6, floorU: 0.6, windowU: 2.8, glazingG: 0.76, capacityClass: 'medium' },
};

/** The age band of a construction year (null → unknown). */
export function ageBandOf(year: number | null): AgeBand {
  if (year === null || !Number.isFinite(year)) return 'unknown';
  if (year < 1919) return 'pre-1919';
  if (year < 1945) return '1919-1944';
  if (year < 1965) return '1945-1964';
  if (year < 1981) return '1965-1980';
  if (year < 1996) return '1981-1995';
  if (year < 2007) return '1996-2006';
  if (year < 2014) return '2007-2013';
  return '2014-';
}

/** A construction year from OSM-style tags (`start_date`, `construction_date`: `1890`, `1890-05`, `C19`, `~1900`). */
export function constructionYear(tags: Readonly<Record<string, unknown>>): number | null {
  for (const key of ['start_date', 'construction_date', 'building:year']) {
    const v = tags[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v !== 'string') continue;
    const year = /(?:^|[^\d])(\d{4})(?:$|[^\d])/.exec(v);
    if (year) return Number(year[1]);
    const century = /^~?C(\d{2})$/i.exec(v.trim());
    if (century) return (Number(century[1]) - 1) * 100 + 50;
  }
  return null;
}

/** Occupied hours: days of the week (0 = Sunday) and minutes of the day in UK civil time. */
export interface Schedule {
  days: readonly number[];
  fromMinute: number;
  toMinute: number;
}

/** Everything assumed about a use class when nothing better is known. */
export interface UseProfile {
  /** Benchmark category id in data/annual-demand-benchmarks.json; null = unheated, not modelled. */
  benchmark: string | null;
  storeyHeightM: number;
  /** Window area / gross wall area. */
  glazingRatio: number;
  /** Air changes per hour, ventilation + infiltration. */
  airChangesPerH: number;
  internalGainsWPerM2: { occupied: number; unoccupied: number };
  occupied: Schedule;
  /** Comfort band when occupied; minimum when not (setback). */
  comfort: { minC: number; maxC: number; setbackMinC: number };
  /** Hours before occupancy when the normal timetable already heats to the band's minimum (optimum start). */
  preheatH: number;
  /** Overrides the age band's capacity class (e.g. lightweight sheds). */
  capacityClass?: CapacityClass;
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
const h = (hour: number) => hour * 60;

/**
 * Defaults per Placetwin use class (packages/importers use.ts). Gains and schedules are typical values of the
 * kind CIBSE Guide A (2015) Table 6.2 and the NCM activity database give, rounded; they are assumptions to
 * replace with a building's own when known.
 */
export const USE_PROFILES: Record<string, UseProfile> = {
  residential: {
    benchmark: 'dwelling',
    storeyHeightM: 2.7,
    glazingRatio: 0.2,
    airChangesPerH: 0.7,
    internalGainsWPerM2: { occupied: 5, unoccupied: 3 },
    occupied: { days: ALL_DAYS, fromMinute: h(7), toMinute: h(23) },
    comfort: { minC: 19, maxC: 22, setbackMinC: 16 },
    preheatH: 2,
  },
  commercial: {
    benchmark: 'general-office',
    storeyHeightM: 3.5,
    glazingRatio: 0.35,
    airChangesPerH: 1.0,
    internalGainsWPerM2: { occupied: 20, unoccupied: 2 },
    occupied: { days: WEEKDAYS, fromMinute: h(8), toMinute: h(18) },
    comfort: { minC: 19, maxC: 23, setbackMinC: 12 },
    preheatH: 3,
  },
  retail: {
    benchmark: 'general-retail',
    storeyHeightM: 3.5,
    glazingRatio: 0.3,
    airChangesPerH: 1.5,
    internalGainsWPerM2: { occupied: 20, unoccupied: 3 },
    occupied: { days: [1, 2, 3, 4, 5, 6], fromMinute: h(9), toMinute: h(18) },
    comfort: { minC: 18, maxC: 23, setbackMinC: 12 },
    preheatH: 3,
  },
  industrial: {
    benchmark: 'workshop',
    storeyHeightM: 6,
    glazingRatio: 0.1,
    airChangesPerH: 1.0,
    internalGainsWPerM2: { occupied: 10, unoccupied: 1 },
    occupied: { days: WEEKDAYS, fromMinute: h(7), toMinute: h(17) },
    comfort: { minC: 16, maxC: 22, setbackMinC: 10 },
    preheatH: 3,
    capacityClass: 'light',
  },
  education: {
    benchmark: 'schools-seasonal-public',
    storeyHeightM: 3.5,
    glazingRatio: 0.3,
    airChangesPerH: 1.5,
    internalGainsWPerM2: { occupied: 15, unoccupied: 1 },
    occupied: { days: WEEKDAYS, fromMinute: h(8), toMinute: h(17) },
    comfort: { minC: 19, maxC: 22, setbackMinC: 12 },
    preheatH: 3,
  },
  healthcare: {
    benchmark: 'clinic',
    storeyHeightM: 3.5,
    glazingRatio: 0.3,
    airChangesPerH: 1.5,
    internalGainsWPerM2: { occupied: 15, unoccupied: 5 },
    occupied: { days: ALL_DAYS, fromMinute: h(8), toMinute: h(20) },
    comfort: { minC: 20, maxC: 23, setbackMinC: 16 },
    preheatH: 3,
  },
  religious: {
    benchmark: 'public-buildings-light-usage',
    storeyHeightM: 6,
    glazingRatio: 0.15,
    airChangesPerH: 0.7,
    internalGainsWPerM2: { occupied: 5, unoccupied: 0 },
    occupied: { days: [0], fromMinute: h(9), toMinute: h(13) },
    comfort: { minC: 16, maxC: 22, setbackMinC: 8 },
    preheatH: 3,
  },
  civic: {
    benchmark: 'public-buildings-light-usage',
    storeyHeightM: 3.5,
    glazingRatio: 0.25,
    airChangesPerH: 1.0,
    internalGainsWPerM2: { occupied: 12, unoccupied: 1 },
    occupied: { days: [1, 2, 3, 4, 5, 6], fromMinute: h(9), toMinute: h(19) },
    comfort: { minC: 19, maxC: 22, setbackMinC: 12 },
    preheatH: 3,
  },
  agricultural: {
    benchmark: null,
    storeyHeightM: 5,
    glazingRatio: 0.05,
    airChangesPerH: 2,
    internalGainsWPerM2: { occupied: 0, unoccupied: 0 },
    occupied: { days: [], fromMinute: 0, toMinute: 0 },
    comfort: { minC: 5, maxC: 40, setbackMinC: 5 },
    preheatH: 0,
    capacityClass: 'light',
  },
  outbuilding: {
    benchmark: null,
    storeyHeightM: 2.5,
    glazingRatio: 0.05,
    airChangesPerH: 2,
    internalGainsWPerM2: { occupied: 0, unoccupied: 0 },
    occupied: { days: [], fromMinute: 0, toMinute: 0 },
    comfort: { minC: 5, maxC: 40, setbackMinC: 5 },
    preheatH: 0,
    capacityClass: 'light',
  },
};

/** Most British buildings are homes: an unknown use is modelled as a dwelling, and the result says so. */
export const UNKNOWN_USE_FALLBACK = 'residential';

/** A more specific benchmark category from function tags, first match wins (descriptors as data). */
export const BENCHMARK_BY_TAG: readonly { key: string; values: readonly string[]; benchmark: string }[] = [
  {
    key: 'amenity',
    values: ['library', 'arts_centre', 'museum', 'theatre'],
    benchmark: 'cultural-activities',
  },
  { key: 'tourism', values: ['museum', 'gallery'], benchmark: 'cultural-activities' },
  { key: 'amenity', values: ['townhall', 'courthouse'], benchmark: 'general-office' },
  { key: 'building', values: ['government', 'office'], benchmark: 'general-office' },
  {
    key: 'amenity',
    values: ['police', 'fire_station', 'ambulance_station'],
    benchmark: 'emergency-services',
  },
  { key: 'amenity', values: ['hospital'], benchmark: 'hospital' },
  { key: 'building', values: ['hospital'], benchmark: 'hospital' },
  { key: 'amenity', values: ['nursing_home', 'social_facility'], benchmark: 'long-term-residential' },
  { key: 'amenity', values: ['university', 'college'], benchmark: 'university-campus' },
  { key: 'building', values: ['university', 'college'], benchmark: 'university-campus' },
  { key: 'amenity', values: ['pub', 'bar', 'nightclub'], benchmark: 'bar-pub-club' },
  { key: 'amenity', values: ['restaurant', 'cafe', 'fast_food'], benchmark: 'restaurant' },
  { key: 'amenity', values: ['bank'], benchmark: 'high-street-agency' },
  { key: 'building', values: ['hotel'], benchmark: 'hotel' },
  { key: 'tourism', values: ['hotel', 'guest_house'], benchmark: 'hotel' },
  { key: 'building', values: ['supermarket'], benchmark: 'large-food-store' },
  { key: 'building', values: ['warehouse', 'storage_tank'], benchmark: 'storage-facility' },
  { key: 'building', values: ['dormitory'], benchmark: 'general-accommodation' },
  { key: 'building', values: ['train_station', 'transportation'], benchmark: 'terminal' },
  { key: 'leisure', values: ['sports_centre'], benchmark: 'dry-sports-leisure' },
];

export interface BenchmarkCategory {
  id: string;
  name: string;
  source: string;
  tm46Category: number | null;
  electricityKwhPerM2: number;
  heatKwhPerM2: number;
}

export const BENCHMARKS = benchmarks as {
  title: string;
  units: Record<string, string>;
  floorArea: string;
  sources: Record<string, { citation: string; year: number; basis: string }>;
  categories: BenchmarkCategory[];
};

const byId = new Map(BENCHMARKS.categories.map((c) => [c.id, c]));

export function benchmarkCategory(id: string): BenchmarkCategory {
  const c = byId.get(id);
  if (!c) throw new Error(`unknown benchmark category ${id}`);
  return c;
}

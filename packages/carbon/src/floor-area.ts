/**
 * Annual energy assumed from use class and floor area (`data/floor-area-energy.json`): the stand-in for the energy
 * layer, so the twin's stock gives a baseline today. Every result is `assumed` and says how it was obtained.
 */
import { DataError } from '@placetwin/geo';
import table from '../data/floor-area-energy.json' with { type: 'json' };
import type { BuildingAnnualEnergy, BuildingSector, Fuel } from './types';

export const FLOOR_AREA_ENERGY = table;

interface UseRule {
  sector: BuildingSector | null;
  benchmark: string | null;
  reason?: string;
}
const USE_RULES = table.useClasses as Record<string, UseRule>;
const TM46 = table.tm46.categories as Record<string, { electricityKwhPerM2: number; fossilKwhPerM2: number }>;

/** What the importers give for a building (use class from `@placetwin/importers`, footprint, storeys, height). */
export interface StockBuilding {
  id: string;
  use: string | null;
  footprintAreaM2: number;
  storeys?: number | null;
  heightM?: number | null;
  /** Known gross internal area, m²; otherwise footprint × storeys. */
  floorAreaM2?: number;
  fromYear?: number;
}

export interface FloorAreaOptions {
  /**
   * Buildings of unknown use (OSM `building=yes`, 59% of Rutland's): `by-footprint` counts those under
   * `minHeatedFootprintM2` as unheated outbuildings, those up to `maxDomesticFootprintM2` as homes and larger ones
   * as non-domestic (`unknownLargeBenchmark`); `exclude` leaves them all out.
   */
  unknownUse?: 'by-footprint' | 'exclude';
  minHeatedFootprintM2?: number;
  maxDomesticFootprintM2?: number;
  unknownLargeBenchmark?: string;
  /** Storey height used to count storeys from a building's height when storeys are not known, m. */
  storeyHeightM?: number;
  /** Fuel for the heating part (TM46 "fossil-thermal", domestic gas). */
  heatingFuel?: Fuel;
}

export const FLOOR_AREA_DEFAULTS = {
  unknownUse: 'by-footprint',
  minHeatedFootprintM2: 30,
  maxDomesticFootprintM2: 250,
  unknownLargeBenchmark: 'workshop',
  storeyHeightM: 3,
  heatingFuel: 'natural-gas',
} as const satisfies Required<FloorAreaOptions>;

export interface FloorAreaResult {
  energy: BuildingAnnualEnergy[];
  excluded: { id: string; use: string | null; reason: string }[];
  /** Buildings counted per treatment, e.g. `{ "residential": 1278, "unknown as domestic": 2310, ... }`. */
  counts: Record<string, number>;
}

/** kWh per m² per year of each benchmark, by fuel. */
export function benchmarkKwhPerM2(
  benchmark: string,
  heatingFuel: Fuel = 'natural-gas',
): { kwh: Partial<Record<Fuel, number>>; source: string } {
  if (benchmark === 'domestic') {
    const d = table.domestic;
    return {
      kwh: {
        [heatingFuel]: d.gasKwhPerDwelling / d.dwellingFloorAreaM2,
        electricity: d.electricityKwhPerDwelling / d.dwellingFloorAreaM2,
      },
      source: d.source,
    };
  }
  const t = TM46[benchmark];
  if (!t)
    throw new DataError(
      'unknown-benchmark',
      `no energy benchmark "${benchmark}"; known: domestic, ${Object.keys(TM46).join(', ')}`,
    );
  return {
    kwh: { electricity: t.electricityKwhPerM2, [heatingFuel]: t.fossilKwhPerM2 },
    source: `${table.tm46.source}, ${benchmark}`,
  };
}

/** Assumed annual energy of the twin's buildings from use class × floor area. */
export function assumedBuildingEnergy(
  buildings: readonly StockBuilding[],
  options: FloorAreaOptions = {},
): FloorAreaResult {
  const o = { ...FLOOR_AREA_DEFAULTS, ...options };
  const energy: BuildingAnnualEnergy[] = [];
  const excluded: FloorAreaResult['excluded'] = [];
  const counts: Record<string, number> = {};
  const count = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  for (const b of buildings) {
    const where = { featureId: b.id };
    if (!(Number.isFinite(b.footprintAreaM2) && b.footprintAreaM2 >= 0))
      throw new DataError('invalid-number', `footprintAreaM2 ${b.footprintAreaM2} is not ≥ 0`, where);
    let use = b.use ?? 'unknown';
    let rule = USE_RULES[use];
    let label = use;
    if (!rule) {
      if (use !== 'unknown')
        throw new DataError(
          'unknown-use',
          `use class "${use}" has no energy rule; known: ${Object.keys(USE_RULES).join(', ')}, unknown`,
          where,
        );
      if (o.unknownUse === 'exclude' || b.footprintAreaM2 < o.minHeatedFootprintM2) {
        const reason =
          o.unknownUse === 'exclude'
            ? 'unknown use, excluded'
            : `unknown use and footprint ${b.footprintAreaM2.toFixed(0)} m² < ${o.minHeatedFootprintM2} m²: taken as an unheated outbuilding`;
        excluded.push({ id: b.id, use: b.use, reason });
        count(o.unknownUse === 'exclude' ? 'unknown, excluded' : 'unknown, small: unheated');
        continue;
      }
      const large = b.footprintAreaM2 > o.maxDomesticFootprintM2;
      use = large ? 'unknown' : 'residential';
      rule = large ? { sector: 'non-domestic', benchmark: o.unknownLargeBenchmark } : USE_RULES.residential;
      label = large ? `unknown as non-domestic (${o.unknownLargeBenchmark})` : 'unknown as domestic';
    }
    if (!rule.sector || !rule.benchmark) {
      excluded.push({ id: b.id, use: b.use, reason: rule.reason ?? 'unheated' });
      count(`${use}: unheated`);
      continue;
    }
    const storeys =
      b.storeys && b.storeys > 0
        ? b.storeys
        : Math.max(1, Math.round((b.heightM ?? o.storeyHeightM) / o.storeyHeightM));
    const area = b.floorAreaM2 ?? b.footprintAreaM2 * storeys;
    const { kwh, source } = benchmarkKwhPerM2(rule.benchmark, o.heatingFuel);
    const kwhByFuel = Object.fromEntries(
      Object.entries(kwh).map(([f, v]) => [f, (v ?? 0) * area]),
    ) as Partial<Record<Fuel, number>>;
    const areaText =
      b.floorAreaM2 !== undefined
        ? `${area.toFixed(0)} m² given`
        : `footprint ${b.footprintAreaM2.toFixed(0)} m² × ${storeys} storey${storeys > 1 ? 's' : ''}${b.storeys ? '' : ` (from height at ${o.storeyHeightM} m a storey)`}`;
    energy.push({
      id: b.id,
      sector: rule.sector,
      kwhByFuel,
      basis: 'assumed',
      method: `${label === use ? use : `${label} (unknown use, footprint ≥ ${o.minHeatedFootprintM2} m²)`}: ${Object.entries(
        kwh,
      )
        .map(([f, v]) => `${(v ?? 0).toFixed(1)} kWh/m² ${f}`)
        .join(' + ')} × ${areaText}. ${source}`,
      floorAreaM2: area,
      roofAreaM2: b.footprintAreaM2,
      fromYear: b.fromYear,
    });
    count(label);
  }
  return { energy, excluded, counts };
}

import { DataError } from '@placetwin/geo';
import {
  type AgeBand,
  ageBandOf,
  BENCHMARK_BY_TAG,
  type BenchmarkCategory,
  benchmarkCategory,
  CAPACITY_CLASSES,
  type CapacityClass,
  constructionYear,
  FABRIC_BY_AGE,
  type FabricDefaults,
  UNKNOWN_USE_FALLBACK,
  USE_PROFILES,
  type UseProfile,
} from './archetype';
import type { MeasuredModel } from './calibration';
import { heatTransferCoefficient, type Rc5r1c } from './rc-model';

/** What the energy layer needs to know of a twin building (the database's building record has all of it). */
export interface EnergyBuilding {
  id: string;
  name?: string | null;
  /** Placetwin use class (`residential`, `civic`, ...); null or unknown → modelled as a dwelling, and said. */
  use: string | null;
  /** Source tags kept as attributes (OSM `amenity`, `building`, `start_date`, ...). */
  attributes?: Readonly<Record<string, unknown>>;
  footprintAreaM2: number;
  /** Exposed perimeter of the footprint (m); see footprintMetrics. */
  perimeterM: number;
  heightM: number;
  minHeightM?: number;
  storeys: number | null;
}

/** What a user (or a survey) knows better than the defaults. Every field is optional. */
export interface BuildingOverrides {
  ageBand?: AgeBand;
  capacityClass?: CapacityClass;
  glazingRatio?: number;
  airChangesPerH?: number;
  fabric?: Partial<Pick<FabricDefaults, 'wallU' | 'roofU' | 'floorU' | 'windowU' | 'glazingG'>>;
  /** Plant size as a multiple of the design heat loss (default 1.5: UK plant is commonly oversized for pre-heat). */
  plantOversize?: number;
  /** Outdoor design temperature for plant sizing (default −3 °C, a 99.6 % winter value for central England). */
  designOutdoorC?: number;
  benchmark?: string;
  /**
   * A model calibrated to measured data (see measuredModel): its conductances, capacity and aperture replace the
   * estimated ones, and the assumptions say "measured".
   */
  calibrated?: { model: MeasuredModel; rmseC: number; source: string; scaledToGeometry: boolean };
}

/** One stated assumption, shown beside any estimate. */
export interface Assumption {
  field: string;
  value: string | number;
  basis: 'measured' | 'source data' | 'default' | 'override';
  note: string;
}

export interface BuildingDescription {
  id: string;
  useClass: string;
  profile: UseProfile;
  benchmark: BenchmarkCategory | null;
  storeys: number;
  floorAreaM2: number;
  ageBand: AgeBand;
  fabric: FabricDefaults;
  capacityClass: CapacityClass;
  envelope: { wallM2: number; windowM2: number; roofM2: number; groundFloorM2: number; volumeM3: number };
  assumptions: Assumption[];
}

function checkBuilding(b: EnergyBuilding): void {
  const bad = (reason: string) => new DataError('invalid-building', reason, { featureId: b.id });
  if (!(b.footprintAreaM2 > 0)) throw bad(`footprint area must be positive (got ${b.footprintAreaM2} m²)`);
  if (!(b.perimeterM > 0)) throw bad(`perimeter must be positive (got ${b.perimeterM} m)`);
  if (!(b.heightM > (b.minHeightM ?? 0))) throw bad(`height ${b.heightM} m is not above its base`);
  if (b.storeys !== null && !(Number.isInteger(b.storeys) && b.storeys >= 1))
    throw bad(`storeys must be a whole number ≥ 1 (got ${b.storeys})`);
}

/** Resolves every assumption for a building: use, benchmark, storeys, floor area, age, fabric, envelope. */
export function describeBuilding(b: EnergyBuilding, overrides: BuildingOverrides = {}): BuildingDescription {
  checkBuilding(b);
  const assumptions: Assumption[] = [];
  const tags = b.attributes ?? {};
  const known = b.use !== null && b.use in USE_PROFILES;
  const useClass = known ? (b.use as string) : UNKNOWN_USE_FALLBACK;
  assumptions.push({
    field: 'use',
    value: useClass,
    basis: known ? 'source data' : 'default',
    note: known
      ? 'use class from the source tags'
      : `use "${b.use ?? 'unknown'}" not known: modelled as a dwelling, the commonest building`,
  });
  const profile = USE_PROFILES[useClass];

  let benchmarkId = overrides.benchmark ?? null;
  if (benchmarkId === null) {
    const byTag = BENCHMARK_BY_TAG.find((r) => r.values.includes(String(tags[r.key] ?? '')));
    benchmarkId = byTag?.benchmark ?? profile.benchmark;
  }
  const benchmark = benchmarkId === null ? null : benchmarkCategory(benchmarkId);

  const heightM = b.heightM - (b.minHeightM ?? 0);
  const storeys = b.storeys ?? Math.max(1, Math.round(heightM / profile.storeyHeightM));
  assumptions.push({
    field: 'storeys',
    value: storeys,
    basis: b.storeys === null ? 'default' : 'source data',
    note:
      b.storeys === null
        ? `height ${heightM.toFixed(1)} m ÷ ${profile.storeyHeightM} m per storey`
        : 'storeys from the source',
  });
  const floorAreaM2 = b.footprintAreaM2 * storeys;

  const year = constructionYear(tags);
  const ageBand = overrides.ageBand ?? ageBandOf(year);
  assumptions.push({
    field: 'ageBand',
    value: ageBand,
    basis: overrides.ageBand ? 'override' : year === null ? 'default' : 'source data',
    note:
      year === null && !overrides.ageBand
        ? 'no construction date: stock-average fabric assumed'
        : `construction year ${year ?? 'given'}`,
  });
  const fabric: FabricDefaults = { ...FABRIC_BY_AGE[ageBand], ...overrides.fabric };
  if (overrides.fabric)
    assumptions.push({
      field: 'fabric',
      value: JSON.stringify(overrides.fabric),
      basis: 'override',
      note: '',
    });
  const capacityClass = overrides.capacityClass ?? profile.capacityClass ?? fabric.capacityClass;
  assumptions.push({
    field: 'capacityClass',
    value: capacityClass,
    basis: overrides.capacityClass ? 'override' : 'default',
    note: 'ISO 13790 Table 12 class from the use and age band',
  });

  // Walls up to the eaves: storeys × storey height, not above the building's height (pitched roofs).
  const wallHeightM = Math.min(heightM, storeys * profile.storeyHeightM);
  const wallGrossM2 = b.perimeterM * wallHeightM;
  const glazingRatio = overrides.glazingRatio ?? profile.glazingRatio;
  assumptions.push({
    field: 'glazingRatio',
    value: glazingRatio,
    basis: overrides.glazingRatio === undefined ? 'default' : 'override',
    note: 'window area ÷ gross wall area',
  });
  const windowM2 = glazingRatio * wallGrossM2;
  const cal = overrides.calibrated;
  if (cal)
    assumptions.push({
      field: 'thermalModel',
      value: `calibrated, RMSE ${cal.rmseC.toFixed(2)} °C`,
      basis: 'measured',
      note: `5R1C conductances, thermal capacity and solar aperture fitted to ${cal.source} (day-ahead least squares)${
        cal.scaledToGeometry
          ? '; heating in the record has no power unit, so the fitted model is scaled to the heat loss estimated from the geometry'
          : ''
      }; the capacity class above is not used`,
    });
  return {
    id: b.id,
    useClass,
    profile,
    benchmark,
    storeys,
    floorAreaM2,
    ageBand,
    fabric,
    capacityClass,
    envelope: {
      wallM2: wallGrossM2 - windowM2,
      windowM2,
      roofM2: b.footprintAreaM2,
      groundFloorM2: b.footprintAreaM2,
      volumeM3: floorAreaM2 * Math.min(profile.storeyHeightM, 3),
    },
    assumptions,
  };
}

/** ISO 13790 §7.2.2.2 and §12.2: h_ms = 9.1 W/m²K, h_is = 3.45 W/m²K, A_t = 4.5 × floor area. */
export const ISO13790 = { hMs: 9.1, hIs: 3.45, atPerFloorArea: 4.5, airHeatCapacityJPerM3K: 1200 } as const;
/** Solar: frame share, external shading and the mean vertical/horizontal irradiance ratio over orientations. */
export const SOLAR_DEFAULTS = { frameFraction: 0.3, shadingFactor: 0.9, verticalToHorizontal: 0.5 } as const;

/**
 * A 5R1C model from a building description (ISO 13790 §12.2 and Annex C). Ventilation volume is the floor area
 * × min(storey height, 3 m) (clear height). Opaque elements couple through the mass node:
 * H_tr,em = 1 / (1/H_tr,op − 1/H_tr,ms), floored at H_tr,op when the mass coupling is the weaker path.
 */
export function thermalModel(d: BuildingDescription, overrides: BuildingOverrides = {}): Rc5r1c {
  const { envelope: e, fabric: f } = d;
  const af = d.floorAreaM2;
  const cap = CAPACITY_CLASSES[d.capacityClass];
  const at = ISO13790.atPerFloorArea * af;
  const am = cap.massAreaFactor * af;
  const hTrMs = ISO13790.hMs * am;
  const hTrOp = f.wallU * e.wallM2 + f.roofU * e.roofM2 + f.floorU * e.groundFloorM2;
  const inverse = 1 / hTrOp - 1 / hTrMs;
  const hTrEm = inverse > 1 / (10 * hTrOp) ? 1 / inverse : 10 * hTrOp;
  const hTrW = f.windowU * e.windowM2;
  const ach = overrides.airChangesPerH ?? d.profile.airChangesPerH;
  const hVe = (ISO13790.airHeatCapacityJPerM3K * ach * e.volumeM3) / 3600;
  const params: Rc5r1c = {
    hVeWPerK: hVe,
    hTrWWPerK: hTrW,
    hTrIsWPerK: ISO13790.hIs * at,
    hTrMsWPerK: hTrMs,
    hTrEmWPerK: hTrEm,
    cmJPerK: cap.cmJPerKM2 * af,
    massGainFraction: am / at,
    surfaceGainFraction: Math.max(0, 1 - am / at - hTrW / (ISO13790.hMs * at)),
    solarApertureM2:
      e.windowM2 *
      f.glazingG *
      (1 - SOLAR_DEFAULTS.frameFraction) *
      SOLAR_DEFAULTS.shadingFactor *
      SOLAR_DEFAULTS.verticalToHorizontal,
    heatingMaxW: 0,
    ...overrides.calibrated?.model,
  };
  const designLossW =
    heatTransferCoefficient(params) * (d.profile.comfort.minC + 2 - (overrides.designOutdoorC ?? -3));
  params.heatingMaxW = designLossW * (overrides.plantOversize ?? 1.5);
  return params;
}

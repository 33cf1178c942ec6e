/**
 * The baseline inventory: one year's emissions by sector, each line showing activity × factor = emissions, with
 * method, source and basis, as an officer would put it in a committee report.
 */
import { emissionFactors } from './factors';
import { DEFAULT_GRID_PATH, type GridPath, gridGenerationAt } from './grid';
import { BASIS_CODE, FUEL_INDEX, isActive, NF } from './stock';
import type { AreaInput } from './trajectory';
import { type Basis, FUELS, type Quantity, type Sector, weakestBasis } from './types';

export interface InventoryLine {
  label: string;
  activity: Quantity | null;
  factor: Quantity | null;
  tco2e: Quantity;
}

export interface SectorInventory {
  sector: Sector;
  tco2e: Quantity;
  method: string;
  lines: InventoryLine[];
}

export interface BaselineInventory {
  year: number;
  sectors: SectorInventory[];
  total: Quantity;
  /** Biogenic CO2 of biomass burnt in buildings: reported beside the inventory, not in it (DESNZ "outside of scopes"). */
  biogenicOutsideScopes: Quantity;
  factorSource: string;
  /** Buildings counted per sector and basis of their energy data. */
  buildings: Record<'domestic' | 'non-domestic', Record<Basis, number>>;
}

const BASIS_NAMES = ['measured', 'modelled', 'assumed'] as const;
const SECTOR_NAMES = ['domestic', 'non-domestic'] as const;

/** Baseline inventory for the area's start year (grid electricity at the grid path's value for that year). */
export function carbonBaseline(area: AreaInput, grid: GridPath = DEFAULT_GRID_PATH): BaselineInventory {
  const F = area.factors ?? emissionFactors();
  const year = area.startYear ?? F.year;
  const s = area.stock;
  const electricity = F.get('electricity', 'kWh');
  const generation = electricity.components.find((c) => c.component === 'generation')?.kgCO2ePerUnit ?? 0;
  const gridKg = generation > 0 ? (electricity.kgCO2ePerUnit * gridGenerationAt(grid, year)) / generation : 0;

  const kwh = [new Float64Array(NF), new Float64Array(NF)];
  const worst = [0, 0];
  const counts = SECTOR_NAMES.map(() => [0, 0, 0]);
  for (let i = 0; i < s.n; i++) {
    if (!isActive(s, i, year)) continue;
    const sec = s.sector[i];
    counts[sec][s.basis[i]]++;
    worst[sec] = Math.max(worst[sec], s.basis[i]);
    for (let f = 0; f < NF; f++) kwh[sec][f] += s.heatKwh[i * NF + f] + s.otherKwh[i * NF + f];
  }
  const biomass = F.get('biomass', 'kWh');
  const sectors: SectorInventory[] = SECTOR_NAMES.map((name, sec) => {
    const basis = weakestBasis([BASIS_NAMES[worst[sec]], 'modelled']);
    const energyBasis = BASIS_NAMES[worst[sec]];
    const lines = FUELS.filter((f) => kwh[sec][FUEL_INDEX[f]] > 0).map((f): InventoryLine => {
      const factorKg = f === 'electricity' ? gridKg : F.get(f, 'kWh').kgCO2ePerUnit;
      const activity = kwh[sec][FUEL_INDEX[f]];
      return {
        label: f,
        activity: { value: activity, unit: 'kWh/yr', basis: energyBasis },
        factor: {
          value: factorKg,
          unit: 'kgCO2e/kWh',
          basis: f === 'electricity' ? grid.basis : 'modelled',
          source:
            f === 'electricity' ? `${F.source}, scaled to the grid path ${grid.name} for ${year}` : F.source,
        },
        tco2e: { value: (activity * factorKg) / 1000, unit: 'tCO2e/yr', basis },
      };
    });
    const n = counts[sec].reduce((a, b) => a + b, 0);
    return {
      sector: name,
      tco2e: { value: lines.reduce((a, l) => a + l.tco2e.value, 0), unit: 'tCO2e/yr', basis },
      method: `${n} buildings of the twin's stock: annual energy by fuel (${counts[sec]
        .map((c, b) => `${c} ${BASIS_NAMES[b]}`)
        .join(', ')}) × DESNZ ${F.year} factors`,
      lines,
    };
  });

  const tb = area.transport ?? {};
  const transportLines: InventoryLine[] = [];
  const carKm = tb.carVehicleKm?.value ?? 0;
  if (tb.carVehicleKm) {
    const ev = tb.evShare ?? 0;
    const ice = F.get(tb.carFactorKey ?? 'car-unknown-fuel', 'vehicle-km');
    const evKg = F.energyUse('car-battery-electric', 'vehicle-km') * gridKg;
    for (const [label, km, factorKg, src] of [
      [`cars, ${ice.key}`, carKm * (1 - ev), ice.kgCO2ePerUnit, F.source],
      ['cars, battery electric', carKm * ev, evKg, `DESNZ kWh/km × grid factor ${year}`],
    ] as const)
      if (km > 0)
        transportLines.push({
          label,
          activity: {
            value: km,
            unit: 'vehicle-km/yr',
            basis: tb.carVehicleKm.basis,
            source: tb.carVehicleKm.source,
          },
          factor: { value: factorKg, unit: 'kgCO2e/vehicle-km', basis: 'modelled', source: src },
          tco2e: {
            value: (km * factorKg) / 1000,
            unit: 'tCO2e/yr',
            basis: weakestBasis([tb.carVehicleKm.basis, 'modelled']),
          },
        });
  }
  for (const pt of tb.publicTransport ?? []) {
    const f = F.get(pt.key, 'passenger-km');
    transportLines.push({
      label: pt.key,
      activity: { value: pt.passengerKm, unit: 'passenger-km/yr', basis: pt.basis, source: pt.source },
      factor: { value: f.kgCO2ePerUnit, unit: 'kgCO2e/passenger-km', basis: 'modelled', source: F.source },
      tco2e: {
        value: (pt.passengerKm * f.kgCO2ePerUnit) / 1000,
        unit: 'tCO2e/yr',
        basis: weakestBasis([pt.basis, 'modelled']),
      },
    });
  }
  const enteredLine = (e: { label: string; tco2e: number; basis: Basis; source: string }): InventoryLine => ({
    label: e.label,
    activity: null,
    factor: null,
    tco2e: { value: e.tco2e, unit: 'tCO2e/yr', basis: e.basis, source: e.source },
  });
  transportLines.push(...(tb.entered ?? []).map(enteredLine));
  const otherLines = (area.other ?? []).map(enteredLine);
  const sum = (lines: InventoryLine[]) => lines.reduce((a, l) => a + l.tco2e.value, 0);
  const basisOf = (lines: InventoryLine[]) => weakestBasis(['modelled', ...lines.map((l) => l.tco2e.basis)]);
  sectors.push(
    {
      sector: 'transport',
      tco2e: { value: sum(transportLines), unit: 'tCO2e/yr', basis: basisOf(transportLines) },
      method:
        'car vehicle-km × DESNZ per-km factors, public transport passenger-km × DESNZ factors, plus entered',
      lines: transportLines,
    },
    {
      sector: 'other',
      tco2e: { value: sum(otherLines), unit: 'tCO2e/yr', basis: basisOf(otherLines) },
      method: 'entered',
      lines: otherLines,
    },
  );
  const biomassKwh = kwh[0][FUEL_INDEX.biomass] + kwh[1][FUEL_INDEX.biomass];
  return {
    year,
    sectors,
    total: {
      value: sectors.reduce((a, x) => a + x.tco2e.value, 0),
      unit: 'tCO2e/yr',
      basis: weakestBasis(sectors.map((x) => x.tco2e.basis)),
    },
    biogenicOutsideScopes: {
      value: (biomassKwh * biomass.outsideScopesKgPerUnit) / 1000,
      unit: 'tCO2/yr',
      basis: 'modelled',
      source: 'DESNZ outside-of-scopes biogenic CO2 factor for wood pellets',
    },
    factorSource: F.source,
    buildings: {
      domestic: Object.fromEntries(BASIS_NAMES.map((b) => [b, counts[0][BASIS_CODE[b]]])) as Record<
        Basis,
        number
      >,
      'non-domestic': Object.fromEntries(BASIS_NAMES.map((b) => [b, counts[1][BASIS_CODE[b]]])) as Record<
        Basis,
        number
      >,
    },
  };
}

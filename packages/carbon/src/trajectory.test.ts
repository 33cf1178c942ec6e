import { DataError } from '@placetwin/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import { carbonBaseline } from './baseline';
import { emissionFactors } from './factors';
import { assumedBuildingEnergy } from './floor-area';
import { DESNZ_2023_GRID_GENERATION, GRID_PATHS, gridGenerationAt } from './grid';
import type { LeverSet } from './levers';
import { rutlandBuildings } from './rutland.test-support';
import { type BuildingStock, compileStock } from './stock';
import { type AreaInput, trajectory, trajectoryReference } from './trajectory';
import { FUELS, SECTORS } from './types';

const F = emissionFactors();
const ELEC = F.get('electricity', 'kWh').kgCO2ePerUnit; // generation + T&D, 2023
const GAS = F.get('natural-gas', 'kWh').kgCO2ePerUnit;

/** Every one of the 8 levers, with paths that bend inside the years. */
const ALL_LEVERS: LeverSet = {
  name: 'all levers',
  domesticRetrofit: {
    share: [
      { year: 2030, value: 0.2 },
      { year: 2045, value: 0.7 },
    ],
    heatSaving: 0.25,
  },
  nonDomesticRetrofit: { share: [{ year: 2040, value: 0.5 }], heatSaving: 0.3, electricitySaving: 0.15 },
  heatPumps: {
    domestic: [
      { year: 2035, value: 0.4 },
      { year: 2050, value: 0.9 },
    ],
    nonDomestic: [{ year: 2045, value: 0.6 }],
    scop: 2.8,
  },
  rooftopSolar: {
    domestic: [{ year: 2040, value: 0.5 }],
    nonDomestic: [{ year: 2035, value: 0.3 }],
    selfConsumption: 0.45,
  },
  evShare: {
    share: [
      { year: 2035, value: 0.6 },
      { year: 2050, value: 0.97 },
    ],
  },
  modalShift: { share: [{ year: 2030, value: 0.1 }] },
  otherSectors: { reduction: [{ year: 2050, value: 0.5 }] },
  grid: GRID_PATHS.cleanPower2035,
};

let stock: BuildingStock;
let area: AreaInput;

beforeAll(async () => {
  stock = compileStock(assumedBuildingEnergy(await rutlandBuildings()).energy);
  area = {
    startYear: 2023,
    endYear: 2050,
    stock,
    // Constructed area figures (the sample data has no traffic or waste statistics): round numbers of the
    // right size for a county of 40,000 people.
    transport: {
      carVehicleKm: { value: 350e6, basis: 'assumed', source: 'test figure' },
      evShare: 0.03,
      publicTransport: [
        { key: 'bus-local-not-london', passengerKm: 20e6, basis: 'assumed', source: 'test figure' },
      ],
      entered: [{ label: 'vans and HGVs', tco2e: 60_000, basis: 'assumed', source: 'test figure' }],
    },
    other: [{ label: 'waste and agriculture', tco2e: 40_000, basis: 'assumed', source: 'test figure' }],
  };
});

describe('zero-lever trajectory', () => {
  it('equals the baseline with only the grid path applied, year by year (real Rutland stock)', () => {
    const t = trajectory(area);
    const base = carbonBaseline(area);
    const kwh = { domestic: new Float64Array(FUELS.length), 'non-domestic': new Float64Array(FUELS.length) };
    for (const sector of ['domestic', 'non-domestic'] as const)
      for (const line of base.sectors.find((s) => s.sector === sector)!.lines)
        kwh[sector][FUELS.indexOf(line.label as (typeof FUELS)[number])] = line.activity!.value;
    t.years.forEach((y, k) => {
      const grid = (ELEC * gridGenerationAt(GRID_PATHS.cleanPower2035, y)) / DESNZ_2023_GRID_GENERATION;
      for (const sector of ['domestic', 'non-domestic'] as const) {
        const k0 = kwh[sector];
        let expected = 0;
        FUELS.forEach((f, i) => {
          expected += k0[i] * (f === 'electricity' ? grid : F.get(f, 'kWh').kgCO2ePerUnit);
        });
        expect(t.sectors[sector].values[k]).toBeCloseTo(expected / 1000, 6);
      }
      // transport: ICE car-km at the DESNZ factor, the EV share on the grid, buses; other held flat
      const car =
        350e6 * (0.97 * F.get('car-unknown-fuel', 'vehicle-km').kgCO2ePerUnit + 0.03 * 0.24363 * grid);
      const bus = 20e6 * F.get('bus-local-not-london', 'passenger-km').kgCO2ePerUnit;
      expect(t.sectors.transport.values[k]).toBeCloseTo((car + bus) / 1000 + 60_000, 6);
      expect(t.sectors.other.values[k]).toBe(40_000);
    });
    // in the start year, the trajectory is the baseline inventory
    for (const s of base.sectors) expect(t.sectors[s.sector].values[0]).toBeCloseTo(s.tco2e.value, 6);
    expect(t.total.values[0]).toBeCloseTo(base.total.value, 6);
  });

  it('with a flat grid path stays at the baseline every year', () => {
    const t = trajectory(area, { grid: GRID_PATHS.flat2023 });
    for (const s of SECTORS)
      for (const v of t.sectors[s].values) expect(v).toBeCloseTo(t.sectors[s].values[0], 9);
  });

  it('labels what it returns: units, bases and the grid path as an assumption', () => {
    const t = trajectory(area);
    expect(t.sectors.domestic).toMatchObject({ unit: 'tCO2e/yr', basis: 'assumed' }); // per-m² assumed energy
    expect(t.gridFactor).toMatchObject({ unit: 'kgCO2e/kWh', basis: 'assumed' });
    expect(t.gridFactor.values[0]).toBeCloseTo(ELEC, 12);
    expect(t.gridFactor.values.at(-1)).toBe(0);
    expect(t.assumptions[0]).toMatchObject({ name: 'grid path', basis: 'assumed' });
  });
});

describe('trajectory with levers', () => {
  it('gives the same numbers as the step-by-step reference for all 8 levers on the real stock', () => {
    const fast = trajectory(area, ALL_LEVERS, { perBuilding: true });
    const ref = trajectoryReference(area, ALL_LEVERS);
    for (const s of SECTORS)
      fast.sectors[s].values.forEach((v, k) => {
        expect(Math.abs(v - ref.sectors[s].values[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
      });
    for (const m of ['electricityDemandKwh', 'heatPumpKwh', 'solarSelfUseKwh', 'solarExportKwh'] as const)
      fast.memo[m].values.forEach((v, k) => {
        expect(Math.abs(v - ref.memo[m].values[k])).toBeLessThanOrEqual(1e-9 * Math.max(1, v));
      });
    // the per-building map data adds up to the building sectors
    const T = fast.years.length;
    const sum = new Float64Array(T);
    fast.perBuilding!.tco2e.forEach((v, j) => {
      sum[j % T] += v;
    });
    sum.forEach((v, k) => {
      const buildings = fast.sectors.domestic.values[k] + fast.sectors['non-domestic'].values[k];
      expect(v / buildings).toBeCloseTo(1, 5); // Float32 storage
    });
    // and the levers cut emissions: 2050 is far below 2023
    expect(fast.total.values.at(-1)!).toBeLessThan(0.6 * fast.total.values[0]);
    expect(fast.memo.heatPumpKwh.values.at(-1)!).toBeGreaterThan(0);
  });

  it('matches a home worked by hand: retrofit to 50% by 2030 saving 20%, heat pumps from 2030, flat grid', () => {
    const one: AreaInput = {
      startYear: 2025,
      endYear: 2040,
      stock: compileStock([
        {
          id: 'h1',
          sector: 'domestic',
          kwhByFuel: { 'natural-gas': 12_000, electricity: 3_000 },
          basis: 'measured',
        },
      ]),
    };
    const t = trajectory(one, {
      domesticRetrofit: { share: [{ year: 2030, value: 0.5 }], heatSaving: 0.2 },
      heatPumps: {
        domestic: [
          { year: 2030, value: 0 },
          { year: 2040, value: 1 },
        ],
        scop: 3,
      },
      grid: GRID_PATHS.flat2023,
    });
    const at = (y: number) => t.sectors.domestic.values[y - 2025];
    // 2025: 12,000 × gas + 3,000 × grid
    expect(at(2025)).toBeCloseTo((12_000 * GAS + 3_000 * ELEC) / 1000, 9);
    // 2030: heat × (1 − 0.5 × 0.2) = 0.9; no heat pumps yet
    expect(at(2030)).toBeCloseTo((12_000 * 0.9 * GAS + 3_000 * ELEC) / 1000, 9);
    // 2035: half the heating on heat pumps: gas 12,000 × 0.9 × 0.5; heat pump 12,000 × 0.9 × 0.5 × 0.84 / 3
    const hp = (12_000 * 0.9 * 0.5 * 0.84) / 3;
    expect(at(2035)).toBeCloseTo((12_000 * 0.9 * 0.5 * GAS + (3_000 + hp) * ELEC) / 1000, 9);
    expect(t.sectors.domestic.basis).toBe('modelled'); // measured energy, computed emissions
  });

  it('drives EV and modal shift from car-km: K(1 − s)[(1 − e)·f + e·kWh/km·g] + s·K·occupancy·PT share·f_bus', () => {
    const cars: AreaInput = {
      startYear: 2025,
      endYear: 2035,
      stock: compileStock([]),
      transport: { carVehicleKm: { value: 1e8, basis: 'modelled', source: 'test' } },
    };
    const t = trajectory(cars, {
      evShare: { share: [{ year: 2035, value: 1 }] },
      modalShift: { share: [{ year: 2035, value: 0.2 }], toPublicTransport: 0.5, carOccupancy: 1.5 },
      grid: GRID_PATHS.flat2023,
    });
    const ice = F.get('car-unknown-fuel', 'vehicle-km').kgCO2ePerUnit;
    const bus = F.get('bus-local-not-london', 'passenger-km').kgCO2ePerUnit;
    const expected = (y: number) => {
      const f = (y - 2025) / 10;
      const s = 0.2 * f;
      return (1e8 * (1 - s) * ((1 - f) * ice + f * 0.24363 * ELEC) + s * 1e8 * 1.5 * 0.5 * bus) / 1000;
    };
    for (const y of [2025, 2028, 2035])
      expect(t.sectors.transport.values[y - 2025]).toBeCloseTo(expected(y), 6);
  });

  it('counts new buildings only from their first year and demolished ones only to their last', () => {
    const s = compileStock([
      {
        id: 'old',
        sector: 'non-domestic',
        kwhByFuel: { electricity: 10_000 },
        basis: 'measured',
        toYear: 2029,
      },
      {
        id: 'new',
        sector: 'non-domestic',
        kwhByFuel: { electricity: 20_000 },
        basis: 'assumed',
        fromYear: 2031,
      },
    ]);
    const t = trajectory({ startYear: 2028, endYear: 2032, stock: s }, { grid: GRID_PATHS.flat2023 });
    expect(Array.from(t.sectors['non-domestic'].values).map((v) => Math.round((v * 1000) / ELEC))).toEqual([
      10_000, 10_000, 0, 20_000, 20_000,
    ]);
  });
});

describe('bad area input', () => {
  it('names the building and field for a negative or unknown fuel', () => {
    const neg = () =>
      compileStock(
        [{ id: 'osm:w1', sector: 'domestic', kwhByFuel: { electricity: -3 }, basis: 'measured' }],
        {
          file: 'energy.csv',
        },
      );
    expect(neg).toThrow(DataError);
    expect(neg).toThrow('energy.csv, feature osm:w1: kwhByFuel.electricity: -3 is negative');
    const unknown = () =>
      compileStock([
        { id: 'b', sector: 'domestic', kwhByFuel: { plutonium: 1 } as never, basis: 'measured' },
      ]);
    expect(unknown).toThrow(/kwhByFuel.plutonium is not a fuel/);
    const basis = () =>
      compileStock([{ id: 'b', sector: 'domestic', kwhByFuel: {}, basis: 'guessed' as never }]);
    expect(basis).toThrow(/basis "guessed" is not measured, modelled or assumed/);
    // names inherited from Object.prototype are not sectors or fuels either
    const proto = () =>
      compileStock([{ id: 'b', sector: 'constructor' as never, kwhByFuel: {}, basis: 'measured' }]);
    expect(proto).toThrow(/sector "constructor" is not domestic or non-domestic/);
    const protoFuel = () =>
      compileStock([{ id: 'b', sector: 'domestic', kwhByFuel: { toString: 1 } as never, basis: 'measured' }]);
    expect(protoFuel).toThrow(/kwhByFuel.toString is not a fuel/);
    const dup = () =>
      compileStock([
        { id: 'b', sector: 'domestic', kwhByFuel: {}, basis: 'measured' },
        { id: 'b', sector: 'domestic', kwhByFuel: {}, basis: 'measured' },
      ]);
    expect(dup).toThrow(/building id b occurs twice/);
  });

  it('rejects an unknown transport factor and a negative entered figure', () => {
    const base = { stock: compileStock([]) };
    expect(() =>
      trajectory({
        ...base,
        transport: { publicTransport: [{ key: 'hovercraft', passengerKm: 1, basis: 'assumed', source: '' }] },
      }),
    ).toThrow(/transport.publicTransport\[0\].key: no emission factor for "hovercraft"/);
    expect(() =>
      trajectory({ ...base, other: [{ label: 'x', tco2e: -1, basis: 'assumed', source: '' }] }),
    ).toThrow(/other\[0\].tco2e -1 is not a non-negative number/);
  });
});

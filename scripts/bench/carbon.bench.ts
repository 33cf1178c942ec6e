/**
 * Carbon trajectory: 200,000 buildings × 26 years (2025–2050) with all 8 levers set, per-building results kept
 * (for a map). The stock is Rutland's real OSM buildings (read by @placetwin/importers, energy assumed per m² by
 * use class as @placetwin/carbon does until the energy layer lands), repeated to 200,000 with new ids. The
 * baseline, measured in the same run, is `trajectoryReference`: the same model applied one building-year at a time
 * through the lever step functions with plain objects (the obvious way to write it), on a 20,000-building slice of
 * the same stock, extrapolated linearly to 200,000 (it is linear in buildings: same work per building).
 */
import {
  assumedBuildingEnergy,
  type BuildingAnnualEnergy,
  compileStock,
  GRID_PATHS,
  type LeverSet,
  trajectory,
  trajectoryReference,
} from '@placetwin/carbon';
import { rutlandBuildings } from '../../packages/carbon/src/rutland.test-support';
import { type BenchResult, timeIt } from './harness';

const BUILDINGS = 200_000;
const REFERENCE_BUILDINGS = 20_000;

const LEVERS: LeverSet = {
  name: 'bench: all levers',
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
  rooftopSolar: { domestic: [{ year: 2040, value: 0.5 }], nonDomestic: [{ year: 2035, value: 0.3 }] },
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

function repeated(energy: BuildingAnnualEnergy[], n: number): BuildingAnnualEnergy[] {
  return Array.from({ length: n }, (_, i) => {
    const b = energy[i % energy.length];
    return { ...b, id: `${b.id}#${Math.floor(i / energy.length)}` };
  });
}

export default async function carbon(): Promise<BenchResult[]> {
  const real = assumedBuildingEnergy(await rutlandBuildings()).energy;
  const input = repeated(real, BUILDINGS);
  const stock = compileStock(input);
  const slice = compileStock(repeated(real, REFERENCE_BUILDINGS));
  const transport = { carVehicleKm: { value: 350e6, basis: 'assumed' as const, source: 'bench figure' } };
  const other = [{ label: 'other', tco2e: 40_000, basis: 'assumed' as const, source: 'bench figure' }];
  const area = { startYear: 2025, endYear: 2050, stock, transport, other };

  let total2050 = 0;
  const fastS = await timeIt(() => {
    const t = trajectory(area, LEVERS, { perBuilding: true });
    total2050 = t.total.values[25];
  }, 5);
  const refS =
    (await timeIt(() => trajectoryReference({ ...area, stock: slice }, LEVERS), 1)) *
    (BUILDINGS / REFERENCE_BUILDINGS);
  const compileS = await timeIt(() => compileStock(input), 3);

  return [
    {
      name: `trajectory, ${BUILDINGS.toLocaleString('en-GB')} buildings × 26 years × 8 levers, per-building results kept (Rutland OSM stock × ${Math.ceil(BUILDINGS / real.length)})`,
      value: fastS * 1000,
      unit: 'ms (one thread, best of 5)',
      baseline: {
        name: `step-by-step reference (plain objects per building-year), ${REFERENCE_BUILDINGS.toLocaleString('en-GB')} buildings extrapolated ×${BUILDINGS / REFERENCE_BUILDINGS}`,
        value: refS * 1000,
        unit: 'ms',
      },
      ratio: refS / fastS,
      ratioMeaning: 'times faster than the reference',
      goal: '≤ 500 ms',
      note: `2050 total ${Math.round(total2050).toLocaleString('en-GB')} tCO2e/yr`,
    },
    {
      name: `compileStock (check and pack ${BUILDINGS.toLocaleString('en-GB')} buildings into typed arrays), done once per stock`,
      value: compileS * 1000,
      unit: 'ms',
    },
  ];
}

import { describe, expect, it } from 'vitest';
import { parseScenarioCarbon } from './scenarioCarbon';
import {
  impactRows,
  impactsSummary,
  parseScenarioEnergy,
  type ScenarioImpact,
  SUN_MARGIN_M,
  sunHoursArea,
} from './scenarioImpacts';
import { distanceM, type SunHoursResult } from './sunHours';

const totals = (heatMwh: number, electricityMwh: number) => ({
  buildings: 1,
  floorAreaM2: 100,
  heatMwh,
  electricityMwh,
});
const energy = (heat: number) =>
  parseScenarioEnergy({
    scenarioId: 1,
    version: 2,
    baseline: totals(500, 200),
    scenario: totals(500 + heat, 200 + heat / 2),
    delta: totals(heat, heat / 2),
    method: 'CIBSE TM46:2008',
  });
const s = (values: number[]) => ({ unit: 'tCO2e/yr', basis: 'assumed' as const, values });
const carbon = (embodied: number, heating = [0, 1.5, 1.5], electricity = [0, 0.5, 0]) =>
  parseScenarioCarbon({
    scenarioId: 1,
    name: 'x',
    leverSet: 'baseline',
    completionYear: 2030,
    years: [2029, 2030, 2050],
    newFloorAreaM2: 1,
    homes: 1,
    embodied: { value: embodied, unit: 'tCO2e', basis: 'assumed' },
    carVehicleKm: { value: 0, unit: 'vehicle-km/yr', basis: 'assumed' },
    operationalChange: s(heating.map((h, i) => h + electricity[i])),
    operationalHeating: s(heating),
    operationalElectricity: s(electricity),
    heatingSupply: 'natural-gas boiler (0.18293 kgCO2e/kWh, DESNZ 2023; seasonal efficiency 0.84)',
    transportChange: s([0, 0, 3]),
    embodiedByYear: s([0, embodied, 0]),
    without: s([1000, 1000, 400]),
    with: s([1000, 1000 + embodied, 405]),
    cumulativeChange: { value: embodied + 5, unit: 'tCO2e', basis: 'assumed' },
    notes: [],
  });
/** Only the fields the rows read (a constructed sun-hours result, the shape of the API's). */
const sun = (before: number, after: number) =>
  ({
    date: '2027-03-21',
    cellSizeM: 2,
    stepMinutes: 10,
    summary: { meanHours: after * 10 },
    before: { id: 'b', summary: { meanHours: before * 10 } },
    comparison: { shareBefore: before, shareAfter: after },
  }) as unknown as SunHoursResult;
const side = (name: string, part: Partial<ScenarioImpact>): ScenarioImpact => ({
  name,
  sun: null,
  sunError: null,
  energy: null,
  energyError: null,
  carbon: null,
  carbonError: null,
  ...part,
});

describe('impact rows', () => {
  it('gives baseline, scenario and change per row, with units, for one scenario against the baseline', () => {
    const rows = impactRows([side('A', { sun: sun(0.8, 0.6), energy: energy(40), carbon: carbon(900) })]);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by['sun-share']).toMatchObject({ unit: '%', baseline: 80 });
    expect(by['sun-share'].sides[0].value).toBeCloseTo(60, 9);
    expect(by['sun-share'].change).toBeCloseTo(-20, 9);
    expect(by.heat).toMatchObject({
      unit: 'MWh/yr',
      baseline: 500,
      sides: [{ value: 540, state: 'ready' }],
      change: 40,
      changeState: 'ready',
    });
    expect(by.electricity.change).toBe(20);
    expect(by.embodied).toMatchObject({ baseline: 0, sides: [{ value: 900 }], change: 900 });
    // In 2050: the area without (400) and with the development (405): +5 tCO2e/yr.
    expect(by['carbon-year']).toMatchObject({
      label: 'Area emissions in 2050',
      unit: 'tCO2e/yr',
      baseline: 400,
    });
    expect(by['carbon-year'].change).toBe(5);
    expect(by['carbon-cumulative'].sides[0].value).toBe(905);
    expect(by.heat.source).toMatch(/TM46/);
  });

  it('shows the operational carbon in the completion year as heating, electricity and in all', () => {
    const rows = impactRows([side('A', { carbon: carbon(900) })]);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by['carbon-heating']).toMatchObject({
      label: 'Heating of new floor area in 2030',
      unit: 'tCO2e/yr',
      baseline: 0,
      sides: [{ value: 1.5, state: 'ready' }],
      change: 1.5,
    });
    expect(by['carbon-electricity']).toMatchObject({
      label: 'Electricity of new floor area in 2030',
      change: 0.5,
    });
    expect(by['carbon-operational']).toMatchObject({
      label: 'New floor area in use, in all in 2030',
      change: 2,
    });
    expect(by['carbon-heating'].source).toMatch(/natural-gas boiler \(0\.18293 kgCO2e\/kWh, DESNZ 2023/);
    expect(by['carbon-heating'].source).toMatch(/no levers: only the grid decarbonises/);
    expect(by['carbon-heating'].source).not.toMatch(/grid path/);
  });

  it('sets the open scenario against the other one when two are compared, marking what is still computing or failed', () => {
    const rows = impactRows([
      side('Option A', { energy: energy(10), sunError: 'too big', carbon: carbon(300, [0, 1, 1]) }),
      side('Option B', { energy: energy(30), carbon: carbon(900) }),
    ]);
    const heat = rows.find((r) => r.key === 'heat')!;
    expect(heat.baseline).toBe(500);
    expect(heat.sides.map((x) => x.value)).toEqual([510, 530]);
    expect(heat.change).toBe(20); // B − A, not B − baseline (30)
    expect(rows.find((r) => r.key === 'embodied')!.change).toBe(600);
    expect(rows.find((r) => r.key === 'carbon-heating')!.change).toBeCloseTo(0.5, 9);
    const share = rows.find((r) => r.key === 'sun-share')!;
    expect(share.sides.map((x) => x.state)).toEqual(['failed', 'computing']);
    expect(share.changeState).toBe('failed');
    expect(share.change).toBeNull();
    expect(share.baseline).toBeNull();
  });

  it('names what the summary compares against: the baseline, or the other scenario by its title', () => {
    expect(impactsSummary(null)).toBe('Sun, energy and carbon against Baseline (today)');
    expect(impactsSummary('Option A')).toBe('Sun, energy and carbon against “Option A”');
    expect(impactsSummary('Option A')).not.toMatch(/baseline/i);
  });
});

describe('the sun-hours area', () => {
  it('is the red line when there is one', () => {
    const site = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [0.001, 0],
          [0.001, 0.001],
          [0, 0.001],
          [0, 0],
        ] as [number, number][],
      ],
    };
    expect(sunHoursArea(site, [])?.coordinates[0]).toHaveLength(5);
  });
  it('else the box round the changed footprints grown by the margin on every side', () => {
    const a = sunHoursArea(null, [
      [
        [-0.7348, 52.6734],
        [-0.7345, 52.6734],
        [-0.7345, 52.6735],
      ],
    ])!;
    const ring = a.coordinates[0];
    const [w, s] = [Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1]))];
    expect(distanceM([w, 52.6734], [-0.7348, 52.6734])).toBeCloseTo(SUN_MARGIN_M, 0);
    expect(distanceM([-0.7348, s], [-0.7348, 52.6734])).toBeCloseTo(SUN_MARGIN_M, 0);
    expect(sunHoursArea(null, [])).toBeNull();
  });
});

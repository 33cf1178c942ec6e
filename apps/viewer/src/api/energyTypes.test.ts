import { describe, expect, it } from 'vitest';
import { parseCarbonResult, parseDemandTable, parseFlexibility } from './energyTypes';

const day = (n: number) =>
  Array.from({ length: n }, (_, k) => new Date(Date.UTC(2023, 0, 18, 0, 30 * k)).toISOString());
const series = (n: number, v = 1) => Array.from({ length: n }, () => v);
const schedule = (n: number) => ({
  airC: series(n, 19),
  electricKw: series(n),
  heatKw: series(n, 3),
  comfortHoursViolated: 0,
  energyKwh: 48,
  carbonKg: 7,
});
const flexibility = (n: number) => ({
  buildingId: 'rutland:w1',
  date: '2023-01-18',
  stepMinutes: 30,
  times: day(n),
  outdoorC: series(n),
  intensityGPerKwh: series(n, 150),
  lowC: series(n, 19),
  highC: series(n, 22),
  inWindow: series(n).map((_, k) => k >= 32 && k < 38),
  occupied: series(n).map(() => true),
  baseline: schedule(n),
  shifted: schedule(n),
  figures: {
    kwRemoved: 3,
    windowPeakKw: { baseline: 5, shifted: 1 },
    durationH: 3,
    kwhShifted: 9,
    preheatKwh: 10,
    reboundKwh: 1,
    reboundPeakKw: 2,
    extraKwh: 2,
    carbonDifferenceKg: -1,
  },
  floorAreaM2: 100,
  assumptions: [{ field: 'storeys', value: 2, basis: 'default', note: 'from height' }],
  credits: 'c',
  notes: [],
});

describe('the energy API’s answers, checked at the edge', () => {
  it('reads a day of flexibility with its times as instants', () => {
    const f = parseFlexibility(flexibility(48));
    expect(f.timesMs).toHaveLength(48);
    expect(f.timesMs[1] - f.timesMs[0]).toBe(30 * 60_000);
    expect(f.figures.windowPeakKw.shifted).toBe(1);
    expect(f.inWindow.filter(Boolean)).toHaveLength(6);
  });

  it('names the series that does not line up with the times', () => {
    const bad = { ...flexibility(48), shifted: { ...schedule(48), electricKw: series(47) } };
    expect(() => parseFlexibility(bad)).toThrow(/shifted\.electricKw has 47 values, expected 48/);
    expect(() => parseFlexibility({ ...flexibility(48), figures: { kwRemoved: 'lots' } })).toThrow(
      /figures\.windowPeakKw is not an object/,
    );
  });

  it('refuses a demand table with an unknown status or ragged columns', () => {
    const table = {
      ids: ['a', 'b'],
      useClass: ['x', 'y'],
      floorAreaM2: [1, 2],
      heatKwhPerM2: [1, 2],
      heatMwh: [1, 2],
      heatStatus: ['estimated', 'guessed'],
      electricityKwhPerM2: [1, 2],
      electricityMwh: [1, 2],
      electricityStatus: ['estimated', 'estimated'],
    };
    expect(() => parseDemandTable(table)).toThrow(/heatStatus has the unknown status "guessed"/);
    expect(() => parseDemandTable({ ...table, heatStatus: ['estimated'] })).toThrow(
      /heatStatus has 1 values/,
    );
  });

  it('reads a trajectory, keeping nulls where the model has no value, and refuses an unknown basis', () => {
    const s = (values: (number | null)[], basis = 'assumed') => ({ unit: 'tCO2e/yr', basis, values });
    const body = {
      dataset: 'rutland',
      leverSet: 'x',
      inputsHash: 'h',
      trajectory: {
        years: [2023, 2024],
        sectors: {
          domestic: s([1, 2]),
          'non-domestic': s([1, 2]),
          transport: s([0, 0]),
          other: s([0, null]),
        },
        total: s([2, 4]),
        gridFactor: s([0.2, 0.1]),
        assumptions: [{ name: 'grid path', value: 0, unit: 'kgCO2e/kWh', basis: 'assumed' }],
      },
      targets: [],
      budget: null,
      stock: { buildings: 1, withEnergy: 1, counts: {}, energyMethod: '' },
    };
    expect(parseCarbonResult(body).sectors.other.values).toEqual([0, null]);
    const bad = { ...body, trajectory: { ...body.trajectory, total: s([2, 4], 'guessed') } };
    expect(() => parseCarbonResult(bad)).toThrow(
      /trajectory\.total\.basis is not measured, modelled or assumed/,
    );
  });
});

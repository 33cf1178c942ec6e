import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS } from './archetype';
import { describeBuilding, type EnergyBuilding, thermalModel as thermal } from './building';
import { annualDemand } from './demand';
import { buildHorizon, peakShift, resolveFlexibilityOptions } from './flexibility';
import { footprintMetrics } from './geometry';
import { dayConditions, portfolioFlexibility } from './portfolio';
import { simulate } from './simulate';
import { gbIntensity2023, leedsWeather2023 } from './test-support';

const base: EnergyBuilding = {
  id: 'rutland:w1',
  use: 'civic',
  attributes: { amenity: 'library' },
  footprintAreaM2: 420,
  perimeterM: 90,
  heightM: 7,
  storeys: 2,
};

describe('annualDemand (benchmarks × floor area)', () => {
  it('scales the cited TM46 benchmark by footprint × storeys and says it is estimated', () => {
    const d = annualDemand(describeBuilding(base));
    expect(d.floorAreaM2).toBe(840);
    expect(d.benchmark?.id).toBe('cultural-activities');
    expect(d.benchmark?.citation).toMatch(/CIBSE TM46:2008/);
    expect(d.heat).toMatchObject({ kwhPerM2: 200, status: 'estimated' });
    expect(d.heat.mwh).toBeCloseTo(168, 9);
    expect(d.electricity.mwh).toBeCloseTo(58.8, 9);
    expect(d.heat.method).toContain('footprint × 2 storeys');
  });

  it('keeps every benchmark row cited, with units', () => {
    for (const c of BENCHMARKS.categories) {
      expect(BENCHMARKS.sources[c.source]).toBeDefined();
      expect(c.heatKwhPerM2).toBeGreaterThanOrEqual(0);
    }
    expect(BENCHMARKS.units.heatKwhPerM2).toMatch(/kWh .* per m²/);
  });

  it('flags estimated storeys, unknown use and age, and uses metered figures as measured', () => {
    const d = describeBuilding({ ...base, use: null, attributes: {}, storeys: null, heightM: 8.2 });
    expect(d.storeys).toBe(3); // 8.2 m ÷ 2.7 m per storey for the dwelling default
    const byField = Object.fromEntries(d.assumptions.map((a) => [a.field, a]));
    expect(byField.use.basis).toBe('default');
    expect(byField.storeys.basis).toBe('default');
    expect(byField.ageBand.value).toBe('unknown');
    const m = annualDemand(d, { heatKwh: 50_000, source: 'DEC 2023' });
    expect(m.heat).toMatchObject({ status: 'measured', mwh: 50 });
    expect(m.electricity.status).toBe('estimated');
    const shed = annualDemand(describeBuilding({ ...base, use: 'outbuilding', attributes: {} }));
    expect(shed.heat.status).toBe('not-modelled');
  });

  it('reads the age band from start_date', () => {
    expect(describeBuilding({ ...base, attributes: { start_date: 'C19' } }).ageBand).toBe('pre-1919');
    expect(describeBuilding({ ...base, attributes: { start_date: '1998-05' } }).ageBand).toBe('1996-2006');
  });

  it('measures a footprint in lon/lat: a 0.001° square at 52.67° N', () => {
    const ring = new Float64Array([-0.73, 52.67, -0.729, 52.67, -0.729, 52.671, -0.73, 52.671]);
    const { areaM2, perimeterM } = footprintMetrics([[ring]]);
    const dx = 111_195 * Math.cos((52.6705 * Math.PI) / 180) * 0.001;
    const dy = 111_195 * 0.001;
    expect(areaM2).toBeCloseTo(dx * dy, 0);
    expect(perimeterM).toBeCloseTo(2 * (dx + dy), 1);
  });
});

describe('bad inputs are DataErrors with clear messages', () => {
  const expectDataError = (fn: () => unknown, pattern: RegExp) => {
    expect(fn).toThrow(DataError);
    expect(fn).toThrow(pattern);
  };

  it('comfort band minimum ≥ maximum, bad window, bad COP', () => {
    expectDataError(
      () => resolveFlexibilityOptions({ comfort: { minC: 22, maxC: 22 } }),
      /comfort band minimum \(22 °C\) must be below its maximum \(22 °C\)/,
    );
    expectDataError(
      () => resolveFlexibilityOptions({ window: { startMinute: 19 * 60, endMinute: 16 * 60 } }),
      /peak window/,
    );
    expectDataError(() => resolveFlexibilityOptions({ cop: 0 }), /COP must be positive/);
  });

  it('empty series, NaN and mismatched lengths', () => {
    const d = describeBuilding(base);
    const p = { ...thermal(d) };
    expectDataError(
      () =>
        simulate(
          p,
          {
            stepS: 1800,
            outdoorC: new Float64Array(0),
            internalW: new Float64Array(0),
            solarW: new Float64Array(0),
          },
          { kind: 'power', heatingW: new Float64Array(0) },
          20,
        ),
      /horizon has no steps/,
    );
    const two = new Float64Array(2);
    expectDataError(
      () =>
        simulate(
          p,
          { stepS: 1800, outdoorC: Float64Array.from([1, Number.NaN]), internalW: two, solarW: two },
          { kind: 'power', heatingW: two },
          20,
        ),
      /outdoor temperature is not a number at step 1/,
    );
    const weather = {
      startMs: Date.UTC(2023, 0, 10),
      stepS: 1800,
      outdoorC: new Float64Array(4),
      ghiWm2: new Float64Array(3),
    };
    expectDataError(() => buildHorizon(d, p, weather), /irradiance has 3 steps, expected 4/);
    const h = buildHorizon(d, p, { ...weather, ghiWm2: new Float64Array(4) });
    expectDataError(
      () => peakShift(p, h, Float64Array.from([100, 100, Number.NaN, 100]), 18),
      /carbon intensity is missing or negative at step 2/,
    );
  });

  it('buildings with no area or height, and dates that do not exist', () => {
    expectDataError(
      () => describeBuilding({ ...base, footprintAreaM2: 0 }),
      /rutland:w1.*footprint area must be positive/,
    );
    expectDataError(() => describeBuilding({ ...base, storeys: 1.5 }), /storeys must be a whole number/);
    expectDataError(
      () => dayConditions('2023-02-30', leedsWeather2023(), gbIntensity2023()),
      /does not exist/,
    );
    expectDataError(
      () => dayConditions('2023-10-21', leedsWeather2023(), gbIntensity2023()),
      /carbon intensity: the value for .* is missing/,
    );
  });
});

describe('portfolioFlexibility', () => {
  it('sums the buildings, ranks them by W/m², and lists the ones it leaves out', () => {
    const day = dayConditions('2023-01-18', leedsWeather2023(), gbIntensity2023());
    const members = [
      { building: base, overrides: { capacityClass: 'heavy' as const } },
      {
        building: { ...base, id: 'light', use: 'commercial', attributes: {} },
        overrides: { capacityClass: 'very-light' as const },
      },
      {
        building: {
          ...base,
          id: 'home',
          use: 'residential',
          attributes: {},
          footprintAreaM2: 50,
          perimeterM: 29,
        },
      },
      { building: { ...base, id: 'shed', use: 'outbuilding', attributes: {} } },
      { building: { ...base, id: 'broken', heightM: 0 } },
    ];
    const p = portfolioFlexibility(members, day);
    expect(p.buildings.map((b) => b.id).sort()).toEqual(['home', 'light', 'rutland:w1']);
    expect(p.skipped.map((s) => s.id)).toEqual(['shed', 'broken']);
    expect(p.skipped[1].reason).toMatch(/height 0 m is not above its base/);
    for (let i = 1; i < p.buildings.length; i++)
      expect(p.buildings[i - 1].wPerM2).toBeGreaterThanOrEqual(p.buildings[i].wPerM2);
    const sumRemoved = p.buildings.reduce((s, b) => s + b.kwRemoved, 0);
    expect(p.totals.kwRemoved).toBeCloseTo(sumRemoved, 9);
    // The aggregate's mean reduction over the window is the sum of the buildings' reductions.
    let windowSteps = 0;
    let reduction = 0;
    for (let k = 0; k < p.aggregate.inWindow.length; k++)
      if (p.aggregate.inWindow[k]) {
        windowSteps++;
        reduction += p.aggregate.baselineKw[k] - p.aggregate.shiftedKw[k];
      }
    expect(reduction / windowSteps).toBeCloseTo(sumRemoved, 9);
    expect(p.totals.kwRemoved).toBeGreaterThan(0);
    expect(p.totals.comfortHoursViolated).toBe(0);
  });
});

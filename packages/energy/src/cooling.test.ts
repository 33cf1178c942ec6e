import { describe, expect, it } from 'vitest';
import type { EnergyBuilding } from './building';
import { COMFORT_TOLERANCE_C } from './flexibility';
import { coolingForm, optimiseSchedule } from './optimiser';
import { buildingFlexibility, dayConditions } from './portfolio';
import { gbIntensity2023, leedsWeather2023 } from './test-support';

describe('cooling as a mirrored heating problem', () => {
  // Four steps of a lossless store (a = 1): gains warm it 1 °C a step, cooling of u lowers it u °C (b = 1), the
  // step-mean air is s − u/2; band 0–10 °C, starting at 10 and ending no warmer. Energy balance: Σu ≥ 4, so 4 is
  // the least cooling any schedule can use; steps 2–3 are the peak window, 11× dearer. Known optimum: all 4 units
  // before the window (pre-cooling), objective 4, none in the window.
  const n = 4;
  const physical = {
    a: 1,
    b: 1,
    c: Float64Array.from([1, 1, 1, 1]),
    alpha: 1,
    beta: 0.5,
    gamma: new Float64Array(n),
    lowC: new Float64Array(n).fill(0),
    highC: new Float64Array(n).fill(10),
    maxW: 3,
    weight: Float64Array.from([1, 1, 11, 11]),
    massStartC: 10,
    massEndMaxC: 10,
  };

  it('pre-cools: the known optimum, nothing in the window, the band kept', () => {
    const sol = optimiseSchedule(coolingForm(physical));
    expect(sol.objective).toBeCloseTo(4, 9);
    expect(sol.heatingW[2]).toBeCloseTo(0, 9);
    expect(sol.heatingW[3]).toBeCloseTo(0, 9);
    expect(sol.heatingW[0] + sol.heatingW[1]).toBeCloseTo(4, 9);
    // Replay in physical signs: s_{k+1} = s_k − u_k + 1, air = s_k − u_k / 2.
    let s = physical.massStartC;
    for (let k = 0; k < n; k++) {
      const u = sol.heatingW[k];
      expect(u).toBeGreaterThanOrEqual(-1e-9);
      expect(u).toBeLessThanOrEqual(physical.maxW + 1e-9);
      const air = s - u / 2;
      expect(air).toBeLessThanOrEqual(10 + 1e-9);
      expect(air).toBeGreaterThanOrEqual(-1e-9);
      s = s - u + 1;
      expect(-sol.massC[k + 1]).toBeCloseTo(s, 9);
    }
    expect(s).toBeLessThanOrEqual(10 + 1e-9);
  });

  it('with a flat price, uses exactly the least cooling (4), wherever it falls', () => {
    const sol = optimiseSchedule(coolingForm({ ...physical, weight: new Float64Array(n).fill(1) }));
    expect(sol.objective).toBeCloseTo(4, 9);
  });
});

describe('a cooling day on real weather (Leeds, 25 July 2019: 35 °C, used for 2023-07-25)', () => {
  const office: EnergyBuilding = {
    id: 'office',
    name: 'Council offices',
    use: 'commercial',
    attributes: { office: 'government', start_date: '1975' },
    footprintAreaM2: 1200,
    perimeterM: 140,
    heightM: 12,
    storeys: 3,
  };
  const day = () => dayConditions('2023-07-25', leedsWeather2023(), gbIntensity2023());

  it('never leaves the band, and pre-cooling takes load out of the afternoon window', () => {
    const d = day();
    expect(Math.max(...d.outdoorC.subarray(d.warmUpSteps))).toBeGreaterThan(33);
    const options = {
      mode: 'cooling' as const,
      comfort: { minC: 21, maxC: 25 },
      window: { startMinute: 14 * 60, endMinute: 17 * 60 },
      cop: 3,
    };
    for (const capacityClass of ['light', 'heavy'] as const) {
      const r = buildingFlexibility(office, d, options, { capacityClass }).result;
      // The normal schedule cools in the window (the upper bound binds on a 35 °C afternoon).
      const windowBase = r.baseline.electricKw.filter((_, k) => r.inWindow[k]);
      expect(Math.max(...windowBase), capacityClass).toBeGreaterThan(0);
      expect(r.shifted.comfortHoursViolated, capacityClass).toBe(0);
      for (let k = 0; k < r.shifted.airC.length; k++) {
        const t = r.shifted.airC[k];
        const hi = Math.max(r.highC[k], r.baseline.airC[k]);
        const lo = Math.min(r.lowC[k], r.baseline.airC[k]);
        expect(t, `${capacityClass} step ${k}`).toBeLessThanOrEqual(hi + COMFORT_TOLERANCE_C);
        expect(t, `${capacityClass} step ${k}`).toBeGreaterThanOrEqual(lo - COMFORT_TOLERANCE_C);
        expect(r.shifted.electricKw[k]).toBeGreaterThanOrEqual(-1e-9);
        if (r.occupied[k]) expect(t).toBeLessThanOrEqual(25 + COMFORT_TOLERANCE_C);
      }
      expect(r.kwRemoved, capacityClass).toBeGreaterThan(0);
      expect(r.windowPeakKw.shifted).toBeLessThan(r.windowPeakKw.baseline);
      // The load went before the window: pre-cooling.
      expect(r.preheatKwh, capacityClass).toBeGreaterThan(0);
    }
  });

  it('a heavy building shifts more of its window load than a light one (thermal mass is the battery)', () => {
    const d = day();
    const options = {
      mode: 'cooling' as const,
      comfort: { minC: 21, maxC: 25 },
      window: { startMinute: 14 * 60, endMinute: 17 * 60 },
      windowWeight: 1000,
    };
    const share = (capacityClass: 'light' | 'heavy') => {
      const r = buildingFlexibility(office, d, options, { capacityClass }).result;
      const base = r.baseline.electricKw.reduce((s, v, k) => s + (r.inWindow[k] ? v : 0), 0);
      return r.kwhShifted / ((base * d.stepS) / 3600);
    };
    expect(share('heavy')).toBeGreaterThan(share('light'));
  });

  it('rejects an unknown mode', () => {
    expect(() => buildingFlexibility(office, day(), { mode: 'drying' as never })).toThrow(
      /mode must be heating or cooling/,
    );
  });
});

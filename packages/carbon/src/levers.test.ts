import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import {
  applyHeatPumps,
  applyRetrofit,
  applySolar,
  type BuildingEnergyState,
  type LeverSet,
  pathValues,
  stateEmissionsKg,
  validateLeverSet,
} from './levers';
import { HEATING_EFFICIENCY_DEFAULTS } from './stock';
import { FUELS, type Fuel } from './types';

/** A constructed gas-heated home (the levers' arithmetic, checked by hand; the real stock is in trajectory.test). */
const home = (): BuildingEnergyState => ({
  heatFuelKwh: { 'natural-gas': 12_000 },
  heatEfficiency: { ...HEATING_EFFICIENCY_DEFAULTS },
  heatPumpKwh: 0,
  otherKwh: { electricity: 2_700 },
  solarSelfUseKwh: 0,
  solarExportKwh: 0,
});

const close = (a: BuildingEnergyState, b: BuildingEnergyState) => {
  for (const f of FUELS) {
    expect(a.heatFuelKwh[f] ?? 0).toBeCloseTo(b.heatFuelKwh[f] ?? 0, 9);
    expect(a.otherKwh[f] ?? 0).toBeCloseTo(b.otherKwh[f] ?? 0, 9);
  }
  expect(a.heatPumpKwh).toBeCloseTo(b.heatPumpKwh, 9);
};

describe('levers compose as documented', () => {
  it('retrofit and heat pumps commute (both scale heating multiplicatively)', () => {
    const ab = applyHeatPumps(applyRetrofit(home(), 0.25), 0.6, 2.8);
    const ba = applyRetrofit(applyHeatPumps(home(), 0.6, 2.8), 0.25);
    close(ab, ba);
  });

  it('combine by multiplication, not by adding their separate savings (hand-checked)', () => {
    const both = applyHeatPumps(applyRetrofit(home(), 0.25), 1, 3);
    // all 12,000 kWh gas × 0.75 (retrofit) × 0.84 (boiler) = 7,560 kWh of heat, ÷ SCOP 3 = 2,520 kWh electricity
    expect(both.heatFuelKwh['natural-gas']).toBe(0);
    expect(both.heatPumpKwh).toBeCloseTo(2520, 9);
    // separately: retrofit alone leaves 9,000 kWh gas; heat pumps alone need 12,000 × 0.84 / 3 = 3,360 kWh
    expect(applyHeatPumps(home(), 1, 3).heatPumpKwh).toBeCloseTo(3360, 9);
    expect(applyRetrofit(home(), 0.25).heatFuelKwh['natural-gas']).toBeCloseTo(9000, 9);
  });

  it('applies a partial heat-pump share to the fuel and moves the delivered heat', () => {
    const s = applyHeatPumps(home(), 0.4, 2.5);
    expect(s.heatFuelKwh['natural-gas']).toBeCloseTo(7200, 9); // 12,000 × 0.6
    expect(s.heatPumpKwh).toBeCloseTo((4800 * 0.84) / 2.5, 9); // 1,612.8 kWh
  });

  it('leaves heat-network heating alone', () => {
    const s = applyHeatPumps({ ...home(), heatFuelKwh: { 'district-heat': 10_000 } }, 1, 3);
    expect(s.heatFuelKwh['district-heat']).toBe(10_000);
    expect(s.heatPumpKwh).toBe(0);
  });

  it('solar depends on order: it is capped at demand, so it must follow the demand levers', () => {
    const small: BuildingEnergyState = { ...home(), otherKwh: { electricity: 500 } };
    const generation = 4000;
    const documented = applySolar(applyHeatPumps(small, 1, 3), generation, 0.5); // demand 500 + 3,360
    const wrongOrder = applyHeatPumps(applySolar(small, generation, 0.5), 1, 3); // capped at 500 before the heat pump
    expect(documented.solarSelfUseKwh).toBe(2000);
    expect(wrongOrder.solarSelfUseKwh).toBe(500);
    expect(documented.solarExportKwh).toBe(2000);
  });

  it('prices a state: fuels × their factors + (electricity − own solar) × the grid factor', () => {
    const factors = Object.fromEntries(FUELS.map((f) => [f, 0])) as Record<Fuel, number>;
    factors['natural-gas'] = 0.2;
    const s = applySolar(home(), 1000, 1);
    // 12,000 × 0.2 + (2,700 − 1,000) × 0.1 = 2,400 + 170
    expect(stateEmissionsKg(s, factors, 0.1)).toBeCloseTo(2570, 9);
  });
});

describe('year paths', () => {
  it('ramp from the start value to the first point, then flat after the last', () => {
    const v = pathValues([{ year: 2030, value: 0.2 }], 2023, 2035);
    expect(v[0]).toBe(0);
    expect(v[2027 - 2023]).toBeCloseTo((0.2 * 4) / 7, 12);
    expect(v[2030 - 2023]).toBeCloseTo(0.2, 12);
    expect(v[2035 - 2023]).toBeCloseTo(0.2, 12);
  });

  it('interpolate between points and start from a given value', () => {
    const v = pathValues(
      [
        { year: 2025, value: 0.1 },
        { year: 2035, value: 0.6 },
      ],
      2023,
      2040,
      0.04,
    );
    expect(v[0]).toBeCloseTo(0.04, 12);
    expect(v[1]).toBeCloseTo(0.07, 12);
    expect(v[2030 - 2023]).toBeCloseTo(0.35, 12);
    expect(v[2040 - 2023]).toBeCloseTo(0.6, 12);
  });
});

describe('bad levers', () => {
  const years = { startYear: 2023, endYear: 2050 };
  const err = (levers: LeverSet, y = years) => {
    try {
      validateLeverSet(levers, y);
    } catch (e) {
      return e as DataError;
    }
    throw new Error('did not throw');
  };

  it('rejects a negative share, naming the field', () => {
    const e = err({ domesticRetrofit: { share: [{ year: 2030, value: -0.1 }], heatSaving: 0.2 } });
    expect(e).toBeInstanceOf(DataError);
    expect(e.type).toBe('negative-share');
    expect(e.message).toBe(
      'levers.domesticRetrofit.share[0].value: -0.1 is negative; shares run from 0 to 1',
    );
  });

  it('rejects a share above one and a negative saving', () => {
    expect(err({ evShare: { share: [{ year: 2030, value: 1.2 }] } }).type).toBe('share-above-one');
    expect(err({ domesticRetrofit: { share: [], heatSaving: -0.3 } }).message).toMatch(
      /levers.domesticRetrofit.heatSaving: -0.3 is negative/,
    );
  });

  it('rejects years outside the trajectory', () => {
    const e = err({ heatPumps: { domestic: [{ year: 2060, value: 0.5 }], scop: 2.8 } });
    expect(e.type).toBe('year-out-of-range');
    expect(e.message).toBe(
      "levers.heatPumps.domestic[0].year 2060 is outside the trajectory's years 2023–2050",
    );
    expect(err({}, { startYear: 1850, endYear: 2050 }).type).toBe('year-out-of-range');
    expect(err({}, { startYear: 2023, endYear: 2020 }).type).toBe('year-out-of-range');
  });

  it('rejects unordered years, an impossible SCOP, an unknown lever and a bad grid path', () => {
    expect(
      err({
        evShare: {
          share: [
            { year: 2030, value: 0.5 },
            { year: 2028, value: 0.6 },
          ],
        },
      }).message,
    ).toMatch(/2028 does not come after 2030/);
    expect(err({ heatPumps: { scop: 0.5 } }).type).toBe('invalid-scop');
    expect(err({ hydrogen: {} } as unknown as LeverSet).type).toBe('unknown-lever');
    const grid = {
      name: 'x',
      description: '',
      source: '',
      basis: 'assumed' as const,
      points: [{ year: 2030, kgCO2ePerKwh: -1 }],
    };
    expect(err({ grid }).message).toMatch(/levers.grid.points\[0\].kgCO2ePerKwh -1 is not in 0–2/);
  });
});

import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { applyFactor, emissionFactors, toTableUnit } from './factors';

const F = emissionFactors();

describe('factor application (kWh × factor), checked by hand against the DESNZ 2023 cells', () => {
  it('natural gas: 12,000 kWh × 0.18292892617449666 kgCO2e/kWh = 2,195.147 kgCO2e', () => {
    const e = applyFactor(F, { key: 'natural-gas', amount: 12_000, unit: 'kWh', basis: 'measured' });
    // 12,000 × 0.182928926 = 2,195.147 (scope 1 combustion only: WTT is not in the default)
    expect(e.value).toBeCloseTo(2195.1471, 3);
    expect(e.unit).toBe('kgCO2e');
    expect(e.basis).toBe('modelled'); // metered kWh × a national factor is a calculation, not a measurement
    expect(e.factor.components.map((c) => c.desnzId)).toEqual(['1_100_1004_6_1']);
  });

  it('grid electricity counts generation and T&D losses: 3.2 MWh × (0.207074 + 0.017915) = 719.97 kgCO2e', () => {
    const f = F.get('electricity', 'kWh');
    expect(f.kgCO2ePerUnit).toBeCloseTo(0.2249894, 7);
    const e = applyFactor(F, { key: 'electricity', amount: 3.2, unit: 'MWh', basis: 'assumed' });
    expect(e.value).toBeCloseTo(3200 * 0.2249894, 3);
    expect(e.basis).toBe('assumed');
  });

  it('adds well-to-tank only when asked: gas 0.18293 + 0.03021 kgCO2e/kWh', () => {
    const wtt = emissionFactors({ include: ['combustion', 'generation', 'td', 'travel', 'wtt'] });
    expect(wtt.get('natural-gas', 'kWh').kgCO2ePerUnit).toBeCloseTo(0.18293 + 0.03021, 5);
  });

  it('uses the fuel-native rows: 1,000 litres of heating oil × 2.54016 = 2,540.16 kgCO2e', () => {
    expect(
      applyFactor(F, { key: 'heating-oil', amount: 1000, unit: 'litres', basis: 'measured' }).value,
    ).toBeCloseTo(2540.1559, 3);
  });

  it('converts miles to km: 1,000 vehicle-miles of a petrol car = 1,609.344 km × 0.16391 = 263.79 kgCO2e', () => {
    const e = applyFactor(F, { key: 'car-petrol', amount: 1000, unit: 'vehicle-miles', basis: 'measured' });
    expect(e.value).toBeCloseTo(1609.344 * 0.1639085342281879, 6);
  });

  it('keeps biogenic CO2 of biomass outside the inventory (DESNZ "outside of scopes")', () => {
    const wood = F.get('biomass', 'kWh');
    expect(wood.kgCO2ePerUnit).toBeCloseTo(0.01074, 6);
    expect(wood.outsideScopesKgPerUnit).toBeCloseTo(0.35, 6);
  });

  it('has a battery electric car use what the grid supplies: 0.24363 kWh/km × 0.20707 ≈ the DESNZ per-km factor', () => {
    const kwhPerKm = F.energyUse('car-battery-electric', 'vehicle-km');
    expect(kwhPerKm).toBeCloseTo(0.24363, 5);
    const perKm = F.get('car-battery-electric', 'vehicle-km').components.find(
      (c) => c.component === 'generation',
    )!;
    const grid = F.get('electricity', 'kWh').components.find((c) => c.component === 'generation')!;
    expect(Math.abs(kwhPerKm * grid.kgCO2ePerUnit - perKm.kgCO2ePerUnit) / perKm.kgCO2ePerUnit).toBeLessThan(
      0.002,
    );
  });
});

describe('bad factor input', () => {
  const err = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e as DataError;
    }
    throw new Error('did not throw');
  };

  it('rejects an unknown unit, saying which units exist', () => {
    const e = err(() =>
      applyFactor(F, { key: 'natural-gas', amount: 10, unit: 'therms', basis: 'measured' }),
    );
    expect(e).toBeInstanceOf(DataError);
    expect(e.type).toBe('unknown-unit');
    expect(e.message).toMatch(/natural-gas: unit "therms" is not one of Wh, kWh, MWh/);
  });

  it('rejects a unit the activity has no factor for', () => {
    const e = err(() => F.get('electricity', 'litres'));
    expect(e.type).toBe('unknown-unit');
    expect(e.message).toBe('no electricity factor per "litres"; the table has kWh');
  });

  it('rejects an unknown activity and a negative amount', () => {
    expect(err(() => F.get('unobtainium', 'kWh')).type).toBe('unknown-activity');
    const neg = err(() => toTableUnit(-5, 'kWh', 'kwhByFuel.electricity'));
    expect(neg.type).toBe('negative-amount');
    expect(neg.message).toBe('kwhByFuel.electricity: -5 kWh is negative');
  });

  it('refuses to add biogenic CO2 into the totals', () => {
    expect(err(() => emissionFactors({ include: ['combustion', 'outside-scopes'] })).type).toBe(
      'invalid-option',
    );
  });
});

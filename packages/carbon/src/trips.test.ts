import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { developmentImpact } from './embodied';
import { emissionFactors } from './factors';
import { GRID_PATHS } from './grid';
import { compileStock } from './stock';
import { CAR_TRIP_KM, homeCarTravel } from './trips';

describe('car travel of new homes (NTS 2023, Census 2021)', () => {
  it('derives the mean car trip from the NTS shares: 0.78 × 5,974 mi ÷ (0.60 × 915) = 8.488 mi = 13.66 km', () => {
    expect(CAR_TRIP_KM).toBeCloseTo(8.4877 * 1.609344, 3);
  });

  it('is homes × 2.36 residents × 363 car-driver trips × 13.66 km, as assumed, with its sources', () => {
    const t = homeCarTravel(100);
    expect(t.carTrips.value).toBeCloseTo(100 * 2.36 * 363, 9); // 85,668 trips/yr
    expect(t.carVehicleKm.value).toBeCloseTo(85_668 * 13.6596, -2); // ≈ 1.17 million vehicle-km/yr
    expect(t.carVehicleKm).toMatchObject({ unit: 'vehicle-km/yr', basis: 'assumed' });
    expect(t.carVehicleKm.source).toMatch(/National Travel Survey 2023.*|Census 2021/);
    expect(homeCarTravel(0).carVehicleKm.value).toBe(0);
  });

  it('takes the site’s own figure per home instead, as modelled', () => {
    const t = homeCarTravel(40, 6500);
    expect(t.carVehicleKm).toMatchObject({ value: 260_000, basis: 'modelled' });
  });

  it('refuses negative or non-numeric homes and figures', () => {
    expect(() => homeCarTravel(-1)).toThrow(DataError);
    expect(() => homeCarTravel(Number.NaN)).toThrow(/homes/);
    expect(() => homeCarTravel(10, -5)).toThrow(/carVehicleKmPerHome/);
  });
});

describe('a development’s added car traffic in its carbon impact', () => {
  const area = { startYear: 2025, endYear: 2032, stock: compileStock([]) };
  const homes = { id: 'homes', use: 'residential', giaM2: 900, completionYear: 2028 };

  it('is car-km × the DESNZ average car factor from the completion year, zero before, and in the cumulative total', () => {
    const km = 1_000_000;
    const d = developmentImpact(
      area,
      { grid: GRID_PATHS.flat2023 },
      {
        name: 'homes',
        buildings: [homes],
        carVehicleKm: { value: km, unit: 'vehicle-km/yr', basis: 'assumed', source: 'test' },
      },
    );
    const perKm = emissionFactors().get('car-unknown-fuel', 'vehicle-km').kgCO2ePerUnit;
    const t = Array.from(d.transportChange.values);
    expect(t.slice(0, 3)).toEqual([0, 0, 0]); // 2025–2027
    for (const v of t.slice(3)) expect(v).toBeCloseTo((km * perKm) / 1000, 6);
    const none = developmentImpact(
      area,
      { grid: GRID_PATHS.flat2023 },
      { name: 'homes', buildings: [homes] },
    );
    expect(Array.from(none.transportChange.values).every((v) => v === 0)).toBe(true);
    expect(d.cumulativeChange.value - none.cumulativeChange.value).toBeCloseTo(5 * ((km * perKm) / 1000), 6);
  });

  it('follows the area’s EV lever: electric car-km emit less than the average car', () => {
    const dev = {
      name: 'homes',
      buildings: [homes],
      carVehicleKm: { value: 1_000_000, unit: 'vehicle-km/yr', basis: 'assumed' as const },
    };
    const plain = developmentImpact(area, { grid: GRID_PATHS.flat2023 }, dev);
    const ev = developmentImpact(
      area,
      { grid: GRID_PATHS.flat2023, evShare: { share: [{ year: 2030, value: 0.5 }] } },
      dev,
    );
    const i2032 = 2032 - 2025;
    expect(ev.transportChange.values[i2032]).toBeLessThan(plain.transportChange.values[i2032]);
    expect(ev.transportChange.values[i2032]).toBeGreaterThan(0);
  });
});

import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { developmentImpact } from './embodied';
import { emissionFactors } from './factors';
import { GRID_PATHS } from './grid';
import { compileStock } from './stock';
import {
  busShareFactor,
  CAR_TRIP_KM,
  COMMUTING_TRIPS_PER_WORKER,
  developmentTravel,
  homeCarTravel,
  TRIP_KM,
} from './trips';

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

describe('trips of a development’s homes and jobs by mode (NTS 2023, Census 2021 and 2011)', () => {
  const byMode = (t: ReturnType<typeof developmentTravel>, origin: 'homes' | 'jobs') =>
    Object.fromEntries(
      (t.origins.find((o) => o.origin === origin)?.modes ?? []).map((m) => [m.mode, m]),
    ) as Record<string, { trips: number; personKm: number; vehicleKm: number }>;

  it('derives the trip lengths from NTS0303’s rounded shares of trips and of distance', () => {
    // bus 3% of 5,974 mi over 4% of 915 trips = 4.8967 mi; rail 8%/2% = 26.116 mi; walk 4%/29% = 0.90055 mi;
    // cycle 1%/2% = 3.2645 mi.
    expect(TRIP_KM.bus).toBeCloseTo(4.8967 * 1.609344, 3);
    expect(TRIP_KM.rail).toBeCloseTo(26.1158 * 1.609344, 2);
    expect(TRIP_KM.walk).toBeCloseTo(0.90055 * 1.609344, 3);
    expect(TRIP_KM.cycle).toBeCloseTo(3.2645 * 1.609344, 3);
    expect(TRIP_KM.carDriver).toBeCloseTo(CAR_TRIP_KM, 9);
  });

  it('gives a job 0.13 × 915 × 59,597,300 ÷ 27.8 million = 255.0 commuting trips, split as Census 2011', () => {
    expect(COMMUTING_TRIPS_PER_WORKER).toBeCloseTo(255.0, 1);
    const t = developmentTravel({ homes: 0, jobs: 100 });
    const jobs = byMode(t, 'jobs');
    // 57.5% of the 92.6% who travelled drove; 7.3% went by bus; 5.2% + 3.9% by rail.
    expect(jobs.carDriver.trips).toBeCloseTo((100 * 255.0037 * 57.5) / 92.6, 1); // 15,834
    expect(jobs.bus.trips).toBeCloseTo((100 * 255.0037 * 7.3) / 92.6, 1);
    expect(jobs.rail.trips).toBeCloseTo((100 * 255.0037 * 9.1) / 92.6, 1);
    expect(jobs.carDriver.vehicleKm).toBeCloseTo(15_834.4 * 13.6596, -1); // ≈ 216,290 vehicle-km/yr
    expect(jobs.carPassenger.vehicleKm).toBe(0);
    expect(jobs.bus.vehicleKm).toBe(0);
    expect(jobs.walk.personKm).toBeCloseTo(((100 * 255.0037 * 10.7) / 92.6) * 0.90055 * 1.609344, 0);
    const all = Object.values(jobs).reduce((a, m) => a + m.trips, 0);
    expect(all).toBeCloseTo(100 * 255.0037, 1);
    expect(t.carVehicleKm.value).toBeCloseTo(jobs.carDriver.vehicleKm, 6);
    expect(t.access).toBeNull();
  });

  it('keeps the homes’ car traffic of homeCarTravel and adds the other modes per resident', () => {
    const t = developmentTravel({ homes: 10, jobs: 0 });
    const homes = byMode(t, 'homes');
    expect(homes.carDriver.trips).toBeCloseTo(23.6 * 363, 6); // 8,566.8
    expect(homes.carPassenger.trips).toBeCloseTo(23.6 * 185, 6);
    expect(homes.walk.trips).toBeCloseTo(23.6 * 263, 6);
    expect(homes.bus.trips).toBeCloseTo(23.6 * 0.04 * 915, 6); // 863.76
    expect(t.carVehicleKm.value).toBeCloseTo(homeCarTravel(10).carVehicleKm.value, 6);
    expect(t.carVehicleKm.basis).toBe('assumed');
  });

  it('moves bus trips from or to car drivers by the stated rule where the site is in a feed', () => {
    expect([0, 0.5, 1, 3, 4, 7, 8, 40].map(busShareFactor)).toEqual([0.5, 0.5, 1, 1, 1.5, 1.5, 2, 2]);
    const access = { feed: 'f', date: '2023-06-07', stopsWithin400m: 3 };
    const good = byMode(
      developmentTravel({ homes: 10, jobs: 0, access: { ...access, departuresPerHour: 5 } }),
      'homes',
    );
    expect(good.bus.trips).toBeCloseTo(863.76 * 1.5, 6);
    expect(good.carDriver.trips).toBeCloseTo(8566.8 - 431.88, 6); // 8,134.92
    const none = developmentTravel({ homes: 10, jobs: 0, access: { ...access, departuresPerHour: 0 } });
    expect(byMode(none, 'homes').carDriver.trips).toBeCloseTo(8566.8 + 431.88, 6);
    expect(none.carVehicleKm.value).toBeCloseTo(8998.68 * CAR_TRIP_KM, 3);
    expect(none.access?.busFactor).toBe(0.5);
    // Total trips are kept: only the split moves.
    const sum = (o: Record<string, { trips: number }>) => Object.values(o).reduce((a, m) => a + m.trips, 0);
    expect(sum(good)).toBeCloseTo(sum(byMode(developmentTravel({ homes: 10, jobs: 0 }), 'homes')), 6);
  });

  it('takes the site’s own figure per home for the homes, the model for the jobs; refuses bad input', () => {
    const t = developmentTravel({ homes: 40, jobs: 0, carVehicleKmPerHome: 6500 });
    expect(t.carVehicleKm).toMatchObject({ value: 260_000, basis: 'modelled' });
    const both = developmentTravel({ homes: 40, jobs: 10, carVehicleKmPerHome: 6500 });
    expect(both.carVehicleKm.value).toBeCloseTo(260_000 + byMode(both, 'jobs').carDriver.vehicleKm, 6);
    expect(() => developmentTravel({ homes: -1, jobs: 0 })).toThrow(/homes/);
    expect(() => developmentTravel({ homes: 0, jobs: Number.NaN })).toThrow(/jobs/);
  });
});

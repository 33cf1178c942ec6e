import { describe, expect, it } from 'vitest';
import { accessSentence, parseScenarioCarbon, scenarioCarbonFigures } from './scenarioCarbon';

const q = (value: number, unit = 'tCO2e') => ({ value, unit, basis: 'assumed' as const });
const s = (values: number[]) => ({ unit: 'tCO2e/yr', basis: 'assumed' as const, values });
/** A constructed answer over three years (the shape of `GET /api/scenarios/:id/carbon`). */
const answer = {
  scenarioId: 3,
  name: 'Block B',
  leverSet: 'baseline',
  completionYear: 2024,
  years: [2023, 2024, 2025],
  newFloorAreaM2: 2240,
  homes: 28,
  embodied: q(2688),
  carVehicleKm: q(328_000, 'vehicle-km/yr'),
  operationalChange: s([0, 20, 19]),
  transportChange: s([0, 55, 54]),
  embodiedByYear: s([0, 2688, 0]),
  without: s([100, 100, 100]),
  with: s([100, 2863, 173]),
  cumulativeChange: q(2836),
  notes: [],
};

describe('the carbon of a scenario’s development in the panel', () => {
  it('reads the API’s answer and refuses one missing a series or quantity', () => {
    expect(parseScenarioCarbon(answer).homes).toBe(28);
    expect(() => parseScenarioCarbon({ ...answer, transportChange: undefined })).toThrow(/transportChange/);
    expect(() => parseScenarioCarbon({ ...answer, embodied: { value: 'x' } })).toThrow(/embodied/);
  });

  it('adds operational and transport change for a year, and gives embodied carbon’s share of the total', () => {
    const f = scenarioCarbonFigures(parseScenarioCarbon(answer));
    expect(f.annualIn(2024)).toBe(75);
    expect(f.annualIn(2023)).toBe(0);
    expect(f.annualIn(2050)).toBeNull();
    expect(f.embodiedShare).toBeCloseTo(2688 / 2836, 9);
  });
});

describe('the development’s trips: how the bus share was set', () => {
  const travel = {
    site: { lon: -0.7333, lat: 52.6734 },
    residents: 0,
    origins: [],
    modes: [],
    notes: [],
  };
  it('says when the site is outside every feed, and the rule applied inside one', () => {
    expect(accessSentence({ ...travel, access: null })).toMatch(/outside every imported GTFS feed/);
    const s = accessSentence({
      ...travel,
      access: {
        feed: 'site-bus',
        date: '2024-01-03',
        departuresPerHour: 4,
        stopsWithin400m: 1,
        busFactor: 1.5,
      },
    });
    expect(s).toContain('4 buses an hour');
    expect(s).toContain('bus share × 1.5');
    expect(s).toContain('site-bus');
  });
});

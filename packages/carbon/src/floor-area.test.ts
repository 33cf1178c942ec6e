import { describe, expect, it } from 'vitest';
import { assumedBuildingEnergy, benchmarkKwhPerM2 } from './floor-area';
import { rutlandBuildings } from './rutland.test-support';

describe('per-m² assumed energy', () => {
  it('works a house by hand: 60 m² footprint × 2 storeys × (11,500 ÷ 94) kWh/m² gas and (2,700 ÷ 94) electricity', () => {
    const [e] = assumedBuildingEnergy([
      { id: 'h', use: 'residential', footprintAreaM2: 60, storeys: 2 },
    ]).energy;
    expect(e.sector).toBe('domestic');
    expect(e.basis).toBe('assumed');
    expect(e.floorAreaM2).toBe(120);
    expect(e.kwhByFuel['natural-gas']).toBeCloseTo((120 * 11_500) / 94, 9);
    expect(e.kwhByFuel.electricity).toBeCloseTo((120 * 2_700) / 94, 9);
    expect(e.roofAreaM2).toBe(60);
    expect(e.method).toMatch(/Ofgem typical domestic consumption values/);
  });

  it('uses CIBSE TM46 for non-domestic use and counts storeys from height when not tagged', () => {
    const [office] = assumedBuildingEnergy([
      { id: 'o', use: 'commercial', footprintAreaM2: 400, heightM: 10 },
    ]).energy;
    // 10 m ÷ 3 m ≈ 3 storeys → 1,200 m² × (95 electricity, 120 gas)
    expect(office).toMatchObject({ sector: 'non-domestic', floorAreaM2: 1200 });
    expect(office.kwhByFuel).toEqual({ electricity: 114_000, 'natural-gas': 144_000 });
    expect(benchmarkKwhPerM2('schools and seasonal public buildings').kwh).toEqual({
      electricity: 40,
      'natural-gas': 150,
    });
  });

  it('sorts the real Rutland stock (OSM 2022) into treatments and says how many of each', async () => {
    const buildings = await rutlandBuildings();
    expect(buildings).toHaveLength(4556);
    const r = assumedBuildingEnergy(buildings);
    // the importer's use classes (see packages/importers use.ts) on this file: 1,278 residential, 2,703 unknown
    expect(r.counts.residential).toBe(1278);
    expect(r.counts['outbuilding: unheated']).toBe(103);
    expect(r.counts['agricultural: unheated']).toBe(66);
    const unknown =
      r.counts['unknown as domestic'] +
      r.counts['unknown as non-domestic (workshop)'] +
      r.counts['unknown, small: unheated'];
    expect(unknown).toBe(2703);
    expect(r.energy.length + r.excluded.length).toBe(4556);
    expect(r.energy.every((e) => e.basis === 'assumed' && (e.floorAreaM2 ?? 0) > 0)).toBe(true);
    const excludeAll = assumedBuildingEnergy(buildings, { unknownUse: 'exclude' });
    expect(excludeAll.counts['unknown, excluded']).toBe(2703);
  });

  it('rejects a use class it has no rule for and a negative footprint', () => {
    expect(() => assumedBuildingEnergy([{ id: 'x', use: 'spaceport', footprintAreaM2: 10 }])).toThrow(
      /feature x: use class "spaceport" has no energy rule/,
    );
    expect(() => assumedBuildingEnergy([{ id: 'y', use: 'retail', footprintAreaM2: -1 }])).toThrow(
      /footprintAreaM2 -1/,
    );
  });
});

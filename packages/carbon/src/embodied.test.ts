import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { developmentImpact, embodiedByYear, embodiedCarbon, type NewBuilding } from './embodied';
import { emissionFactors } from './factors';
import { GRID_PATHS } from './grid';
import { compileStock } from './stock';

const scheme: NewBuilding[] = [
  { id: 'homes', use: 'residential', giaM2: 900, completionYear: 2028 },
  { id: 'office', use: 'commercial', giaM2: 2000, completionYear: 2030 },
  { id: 'school', use: 'education', giaM2: 1500, completionYear: 2030 },
];

describe('embodied carbon of new buildings', () => {
  it('is GIA × the RIBA 2030 Climate Challenge figure for the use: 900 m² × 1,200 + 2,000 × 1,400 + 1,500 × 1,000', () => {
    const r = embodiedCarbon(scheme);
    expect(r.buildings.map((b) => b.embodied.value)).toEqual([1080, 2800, 1500]);
    expect(r.total).toMatchObject({ value: 5380, unit: 'tCO2e', basis: 'assumed' });
    expect(r.buildings[0].intensity).toMatchObject({ value: 1200, unit: 'kgCO2e/m² GIA' });
    expect(r.buildings[0].intensity.source).toMatch(/RIBA 2030 Climate Challenge/);
  });

  it('uses the 2030 targets when asked, overrides by use, and the developer’s own figure above both', () => {
    const t2030 = embodiedCarbon(scheme, { level: '2030' });
    expect(t2030.total.value).toBeCloseTo(0.9 * 625 + 2 * 750 + 1.5 * 540, 9);
    const own = embodiedCarbon(
      [{ ...scheme[0], embodiedKgCO2ePerM2: 480, embodiedSource: 'WLCA rev C' }, scheme[1]],
      { overrides: { commercial: 900 } },
    );
    expect(own.buildings[0].embodied.value).toBeCloseTo(432, 9);
    expect(own.buildings[0].intensity).toMatchObject({ basis: 'modelled', source: 'WLCA rev C' });
    expect(own.buildings[1].embodied.value).toBe(1800);
  });

  it('says when RIBA has no typology for a use and an office figure stands in', () => {
    const [shop] = embodiedCarbon([{ id: 's', use: 'retail', giaM2: 100, completionYear: 2027 }]).buildings;
    expect(shop).toMatchObject({ typology: 'office', proxy: true });
    expect(shop.intensity.source).toMatch(/proxy: RIBA has no retail typology/);
  });

  it('lands in the completion year', () => {
    const s = embodiedByYear(embodiedCarbon(scheme), [2027, 2028, 2029, 2030, 2031]);
    expect(Array.from(s.values)).toEqual([0, 1080, 0, 4300, 0]);
  });

  it('rejects a negative area, a year out of range and an unknown use, naming the building', () => {
    expect(() => embodiedCarbon([{ ...scheme[0], giaM2: -5 }])).toThrow(
      'feature homes: giaM2 -5 is not a non-negative number of m²',
    );
    expect(() => embodiedCarbon([{ ...scheme[0], completionYear: 2300 }])).toThrow(DataError);
    expect(() => embodiedCarbon([{ ...scheme[0], use: 'moonbase' }])).toThrow(
      /use "moonbase" has no embodied benchmark/,
    );
    expect(() => embodiedCarbon(scheme, { level: '2040' as never })).toThrow(/embodied level "2040"/);
  });
});

describe('development impact', () => {
  it('adds the new buildings’ operational emissions from completion, and embodied in that year', () => {
    const F = emissionFactors();
    const existing = compileStock([
      {
        id: 'e1',
        sector: 'domestic',
        kwhByFuel: { 'natural-gas': 10_000, electricity: 3_000 },
        basis: 'measured',
      },
    ]);
    const area = { startYear: 2025, endYear: 2035, stock: existing };
    const energy = [
      {
        id: 'homes',
        sector: 'domestic' as const,
        kwhByFuel: { electricity: 30_000 },
        basis: 'modelled' as const,
      },
    ];
    const d = developmentImpact(
      area,
      { grid: GRID_PATHS.flat2023 },
      { name: 'Ashwell Road', buildings: [scheme[0]], energy },
    );
    const elec = F.get('electricity', 'kWh').kgCO2ePerUnit;
    const change = Array.from(d.operationalChange.values);
    expect(change.slice(0, 3)).toEqual([0, 0, 0]); // 2025–2027
    for (const v of change.slice(3)) expect(v).toBeCloseTo((30_000 * elec) / 1000, 9);
    expect(d.embodiedByYear.values[2028 - 2025]).toBe(1080);
    expect(d.cumulativeChange.value).toBeCloseTo(8 * ((30_000 * elec) / 1000) + 1080, 9);
    expect(d.without.total.values[5]).toBeCloseTo(d.with.total.values[5] - (30_000 * elec) / 1000, 9);
  });

  it('assumes the new buildings’ energy per m² by use when none is given', () => {
    const area = { startYear: 2025, endYear: 2032, stock: compileStock([]) };
    const d = developmentImpact(area, { grid: GRID_PATHS.flat2023 }, { name: 'scheme', buildings: scheme });
    expect(d.operationalChange.values[0]).toBe(0);
    expect(d.operationalChange.values[2030 - 2025]).toBeGreaterThan(d.operationalChange.values[2028 - 2025]);
    expect(d.with.sectors['non-domestic'].basis).toBe('assumed');
  });

  describe('operational emissions by end use (heating and electricity)', () => {
    // Hand-computed from the committed DESNZ 2023 flat file (data/desnz-2023-factors.json; /work/shared/data
    // energy/ghg-conversion-factors, PROVENANCE.md):
    // natural gas, kWh gross CV, scope 1: 0.18292892617449666 kgCO2e/kWh (ID 1_100_1004_6_1, CSV line 78);
    // UK electricity generation 0.20707428859060403 (ID 7_400_4000_5_1, line 2845) + T&D 0.017915111409395973
    // (ID 13_402_4000_5_1, line 3406) = 0.2249894 kgCO2e/kWh, scaled by the default grid path (linear from
    // 2023 to 0 in 2035): in 2030 × 5/12 = 0.093745583 kgCO2e/kWh.
    // Office (TM46 general office): 120 kWh/m² fossil-thermal (gas) and 95 kWh/m² electricity.
    const GAS = 0.18292892617449666;
    const ELEC_2030 = ((0.20707428859060403 + 0.017915111409395973) * 5) / 12;
    const office: NewBuilding = { id: 'office', use: 'commercial', giaM2: 1000, completionYear: 2030 };
    const area = { startYear: 2023, endYear: 2050, stock: compileStock([]) };
    const at = (s: { values: ArrayLike<number> }, year: number) => s.values[year - 2023];

    it('a 1,000 m² gas-heated office: 120,000 kWh gas × 0.182929 = 21.951 t heating, 95,000 kWh × 0.093746 = 8.906 t electricity in 2030', () => {
      const d = developmentImpact(area, {}, { name: 'office', buildings: [office] });
      expect((120_000 * GAS) / 1000).toBeCloseTo(21.951471, 5);
      expect(at(d.operationalHeating, 2030)).toBeCloseTo(21.951471, 5);
      expect(at(d.operationalElectricity, 2030)).toBeCloseTo((95_000 * ELEC_2030) / 1000, 9);
      expect(at(d.operationalElectricity, 2030)).toBeCloseTo(8.90583, 5);
      // Gas is not decarbonised by the grid path: in 2040 the heating stays, the electricity is gone.
      expect(at(d.operationalHeating, 2040)).toBeCloseTo(21.951471, 5);
      expect(at(d.operationalElectricity, 2040)).toBe(0);
      expect(at(d.operationalHeating, 2029)).toBe(0);
      // The two parts are the operational change, every year.
      for (let i = 0; i < d.operationalChange.values.length; i++)
        expect(d.operationalHeating.values[i] + d.operationalElectricity.values[i]).toBeCloseTo(
          d.operationalChange.values[i],
          9,
        );
      expect(d.heatingSupply).toMatchObject({ fuels: ['natural-gas'], heatPumpScop: null });
      expect(d.heatingSupply.factors['natural-gas']?.value).toBe(GAS);
      expect(d.heatingSupply.description).toMatch(/natural-gas boiler \(0\.18293 kgCO2e\/kWh, DESNZ 2023/);
    });

    it('with every non-domestic building on heat pumps by 2030 (SCOP 3): 120,000 kWh × 0.84 ÷ 3 = 33,600 kWh at the grid factor', () => {
      const levers = { heatPumps: { nonDomestic: [{ year: 2030, value: 1 }], scop: 3 } };
      const d = developmentImpact(area, levers, { name: 'office', buildings: [office] });
      expect(at(d.operationalHeating, 2030)).toBeCloseTo((33_600 * ELEC_2030) / 1000, 9); // 3.150 t
      expect(at(d.operationalHeating, 2030)).toBeCloseTo(3.149852, 5);
      expect(at(d.operationalElectricity, 2030)).toBeCloseTo(8.90583, 5);
      expect(at(d.operationalHeating, 2036)).toBe(0);
      expect(d.heatingSupply.heatPumpScop).toBe(3);
      expect(d.heatingSupply.description).toMatch(/heat pumps \(SCOP 3\)/);
    });
  });
});

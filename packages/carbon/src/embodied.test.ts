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
});

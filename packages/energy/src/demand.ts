import { DataError } from '@placetwin/geo';
import { BENCHMARKS } from './archetype';
import type { Assumption, BuildingDescription } from './building';

/** Metered annual consumption, when a council attaches it (e.g. from a Display Energy Certificate). */
export interface MeteredAnnual {
  heatKwh?: number;
  electricityKwh?: number;
  /** Where the readings come from, shown as the method. */
  source: string;
}

export interface DemandFigure {
  kwhPerM2: number;
  mwh: number;
  status: 'estimated' | 'measured' | 'not-modelled';
  method: string;
}

export interface AnnualDemand {
  buildingId: string;
  floorAreaM2: number;
  benchmark: { id: string; name: string; citation: string; year: number } | null;
  heat: DemandFigure;
  electricity: DemandFigure;
  assumptions: Assumption[];
}

/**
 * Annual delivered heat (fossil-thermal) and electricity: a cited benchmark (kWh/m²·yr) × floor area
 * (footprint × storeys), marked estimated; a metered figure replaces the estimate and is marked measured.
 */
export function annualDemand(d: BuildingDescription, metered?: MeteredAnnual): AnnualDemand {
  const area = d.floorAreaM2;
  const b = d.benchmark;
  const source = b ? BENCHMARKS.sources[b.source] : null;
  const figure = (perM2: number | undefined, meteredKwh: number | undefined, what: string): DemandFigure => {
    if (meteredKwh !== undefined) {
      if (!(meteredKwh >= 0) || !Number.isFinite(meteredKwh))
        throw new DataError('invalid-reading', `metered ${what} must be a number ≥ 0 (got ${meteredKwh})`, {
          featureId: d.id,
        });
      return {
        kwhPerM2: meteredKwh / area,
        mwh: meteredKwh / 1000,
        status: 'measured',
        method: `metered annual ${what} (${metered?.source}) ÷ floor area`,
      };
    }
    if (!b || perM2 === undefined)
      return { kwhPerM2: 0, mwh: 0, status: 'not-modelled', method: `${d.useClass}: unheated use class` };
    return {
      kwhPerM2: perM2,
      mwh: (perM2 * area) / 1000,
      status: 'estimated',
      method: `${b.name} typical benchmark ${perM2} kWh/m²·yr (${b.source === 'tm46' ? 'CIBSE TM46:2008' : 'Ofgem TDCV 2023 ÷ 94 m²'}) × floor area ${Math.round(area)} m² (footprint × ${d.storeys} storeys)`,
    };
  };
  return {
    buildingId: d.id,
    floorAreaM2: area,
    benchmark: b && source ? { id: b.id, name: b.name, citation: source.citation, year: source.year } : null,
    heat: figure(b?.heatKwhPerM2, metered?.heatKwh, 'heat'),
    electricity: figure(b?.electricityKwhPerM2, metered?.electricityKwh, 'electricity'),
    assumptions: d.assumptions,
  };
}

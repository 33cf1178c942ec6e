/**
 * The ratios that turn floor area into homes and jobs: one descriptor each, with its value, unit, source and
 * whether it is a cited figure or our assumption (descriptors as data: the README, reports and API list them
 * from here). Replace any of them through `indicators(..., { ratios })`.
 */
import type { UseClass } from '@placetwin/importers';

export interface Ratio {
  /** Stable id, used in reports. */
  id: string;
  value: number;
  unit: string;
  /** What it means, in one sentence. */
  description: string;
  /** Where the figure comes from; for an assumption, the reasoning. */
  source: string;
  kind: 'cited' | 'assumption';
}

export interface IndicatorRatios {
  /** Gross internal / gross external floor area: footprints are outer walls, so footprint × storeys is GEA. */
  giaPerGea: Ratio;
  /** Share of a residential building's GIA inside the homes (the rest is stairs, corridors, stores). */
  residentialNetToGross: Ratio;
  /** GIA of one home. */
  dwellingGiaM2: Ratio;
  /** Net internal / gross internal area of offices and shops. */
  commercialNiaPerGia: Ratio;
  /** Floor area per full-time-equivalent job, by use; a use without an entry has no jobs estimate. */
  jobDensity: Partial<Record<UseClass, Ratio & { basis: 'NIA' | 'GIA' }>>;
}

const EDG =
  'Homes and Communities Agency (2015), Employment Density Guide, 3rd edition (Bilfinger GVA for the HCA), ' +
  'section 4, employment density matrix';

const ratios: IndicatorRatios = {
  giaPerGea: {
    id: 'gia-per-gea',
    value: 0.95,
    unit: 'm² GIA per m² GEA',
    description: 'Gross internal area as a share of gross external area (footprint × storeys).',
    source:
      'Assumption: external walls about 0.3 m thick on a 12 m deep plan leave (12 − 2 × 0.3) / 12 = 0.95 of the ' +
      'floor inside. RICS Code of Measuring Practice (6th ed., 2015) defines GEA and GIA but gives no ratio.',
    kind: 'assumption',
  },
  residentialNetToGross: {
    id: 'residential-net-to-gross',
    value: 0.85,
    unit: 'm² dwelling GIA per m² building GIA',
    description: 'Share of a residential building inside the homes; the rest is common stairs and corridors.',
    source:
      'Assumption typical of walk-up and lift-served blocks of flats (15% common parts). Houses have none, so ' +
      'estimates for existing houses run high: set the `homes` attribute where the count is known.',
    kind: 'assumption',
  },
  dwellingGiaM2: {
    id: 'dwelling-gia',
    value: 70,
    unit: 'm² GIA per home',
    description: 'Floor area of one home.',
    source:
      'DCLG (March 2015), Technical housing standards – nationally described space standard, Table 1: a ' +
      '2 bedroom, 4 person, 1 storey dwelling needs at least 70 m² GIA (1b2p 50 m², 3b5p 86 m²).',
    kind: 'cited',
  },
  commercialNiaPerGia: {
    id: 'commercial-nia-per-gia',
    value: 0.8,
    unit: 'm² NIA per m² GIA',
    description: 'Net internal (lettable) area of offices and shops as a share of their GIA.',
    source:
      'Assumption: a net-to-gross efficiency of 80%, the low end of what is commonly quoted for office buildings ' +
      '(cores, plant, toilets and circulation take the rest).',
    kind: 'assumption',
  },
  jobDensity: {
    commercial: {
      id: 'jobs-office',
      value: 12,
      unit: 'm² NIA per FTE job',
      basis: 'NIA',
      description: 'Office (former use class B1a / E(g)(i)), general office.',
      source: `${EDG}: offices 12 m² NIA per FTE (professional services and public sector).`,
      kind: 'cited',
    },
    retail: {
      id: 'jobs-retail',
      value: 17.5,
      unit: 'm² NIA per FTE job',
      basis: 'NIA',
      description: 'High street retail.',
      source: `${EDG}: high street retail 15–20 m² NIA per FTE; the midpoint is used.`,
      kind: 'cited',
    },
    industrial: {
      id: 'jobs-industrial',
      value: 36,
      unit: 'm² GIA per FTE job',
      basis: 'GIA',
      description: 'General industrial (former use class B2).',
      source: `${EDG}: industrial and manufacturing 36 m² GIA per FTE.`,
      kind: 'cited',
    },
  },
};

export const INDICATOR_RATIOS: Readonly<IndicatorRatios> = Object.freeze(ratios);

/** Every ratio as a flat list (for reports and the API). */
export const ratioList = (r: IndicatorRatios = INDICATOR_RATIOS): Ratio[] => [
  r.giaPerGea,
  r.residentialNetToGross,
  r.dwellingGiaM2,
  r.commercialNiaPerGia,
  ...Object.values(r.jobDensity).filter((x): x is Ratio & { basis: 'NIA' | 'GIA' } => x !== undefined),
];

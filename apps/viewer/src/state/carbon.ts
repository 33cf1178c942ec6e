/**
 * The carbon panel's pure logic: the lever editor as data (one descriptor per slider), the editor's draft ↔ the
 * API's lever set (@placetwin/carbon `LeverSet`, formulas in packages/carbon/README.md), and the figures a
 * committee reads off a trajectory or a comparison, each with its unit and basis.
 */
import {
  councilNetZero,
  GRID_PATHS,
  type LeverSet,
  type Target,
  UK_TARGETS,
  type YearPath,
} from '@placetwin/carbon';
import type { AreaInputs, CarbonResult, CarbonSector } from '../api/energyTypes';
import type { Basis } from './format';

export type ShareLeverId =
  | 'homesRetrofitted'
  | 'nonDomesticRetrofitted'
  | 'homeHeatPumps'
  | 'nonDomesticHeatPumps'
  | 'homeSolar'
  | 'nonDomesticSolar'
  | 'evShare'
  | 'modalShift'
  | 'otherReduction';

export interface ShareLever {
  id: ShareLeverId;
  label: string;
  /** What 100% means, in a few words. */
  help: string;
  sector: 'buildings' | 'transport' | 'other';
}

/** The sliders, in the order the issue lists the levers. Each sets a share reached by a year (0 at the start). */
export const SHARE_LEVERS: readonly ShareLever[] = [
  {
    id: 'homesRetrofitted',
    label: 'Homes retrofitted',
    help: 'share of homes insulated; each saves the heat saving below',
    sector: 'buildings',
  },
  {
    id: 'nonDomesticRetrofitted',
    label: 'Other buildings retrofitted',
    help: 'share of non-domestic floor area; saves heat and electricity',
    sector: 'buildings',
  },
  {
    id: 'homeHeatPumps',
    label: 'Heat pumps in homes',
    help: 'share of homes’ gas, oil, LPG, coal and biomass heat replaced',
    sector: 'buildings',
  },
  {
    id: 'nonDomesticHeatPumps',
    label: 'Heat pumps elsewhere',
    help: 'share of non-domestic fossil heat replaced',
    sector: 'buildings',
  },
  {
    id: 'homeSolar',
    label: 'Rooftop solar on homes',
    help: 'share of homes with panels',
    sector: 'buildings',
  },
  {
    id: 'nonDomesticSolar',
    label: 'Rooftop solar elsewhere',
    help: 'share of non-domestic roofs with panels',
    sector: 'buildings',
  },
  { id: 'evShare', label: 'Electric car-km', help: 'share of car-km driven electric', sector: 'transport' },
  {
    id: 'modalShift',
    label: 'Modal shift',
    help: 'share of car-km moved to bus, walking and cycling',
    sector: 'transport',
  },
  {
    id: 'otherReduction',
    label: 'Other sectors cut',
    help: 'reduction of the entered other emissions',
    sector: 'other',
  },
];

export type GridChoice = keyof typeof GRID_PATHS;
export const GRID_CHOICES: Record<GridChoice, string> = {
  cleanPower2035: 'Clean power by 2035 (linear to zero; default)',
  flat2023: 'No further grid decarbonisation (2023 factor held)',
};

export interface LeverDraft {
  title: string;
  shares: Record<ShareLeverId, { value: number; year: number }>;
  /** Share of heating energy a retrofitted home saves. */
  homeHeatSaving: number;
  nonDomesticHeatSaving: number;
  nonDomesticElectricitySaving: number;
  /** Seasonal COP of the heat pumps. */
  scop: number;
  grid: GridChoice;
}

/** Year sliders run from the first year a lever can act to the end of the trajectory. */
export const LEVER_YEARS = { min: 2024, max: 2050 } as const;

export function emptyDraft(title: string, year = 2035): LeverDraft {
  const shares = Object.fromEntries(
    SHARE_LEVERS.map((l) => [l.id, { value: 0, year }]),
  ) as LeverDraft['shares'];
  return {
    title,
    shares,
    homeHeatSaving: 0.25,
    nonDomesticHeatSaving: 0.2,
    nonDomesticElectricitySaving: 0.1,
    scop: 2.8,
    grid: 'cleanPower2035',
  };
}

/** A worked example to start from (labelled so in the panel): not any council's policy. */
export function examplePlan(): LeverDraft {
  const d = emptyDraft('Example plan');
  const set = (id: ShareLeverId, value: number, year: number) => {
    d.shares[id] = { value, year };
  };
  set('homesRetrofitted', 0.5, 2035);
  set('nonDomesticRetrofitted', 0.5, 2035);
  set('homeHeatPumps', 0.8, 2040);
  set('nonDomesticHeatPumps', 0.6, 2040);
  set('homeSolar', 0.3, 2035);
  set('nonDomesticSolar', 0.3, 2035);
  set('evShare', 0.7, 2035);
  return d;
}

/** One-point path: 0 in the start year, rising linearly to `value` in `year`, flat after. */
const path = (s: { value: number; year: number }): YearPath => [{ year: s.year, value: s.value }];
const on = (s: { value: number }) => s.value > 0;

/** The API's lever set for a draft: levers left at 0% are left out, so an untouched draft is "no levers". */
export function leverSetOf(d: LeverDraft): LeverSet {
  const s = d.shares;
  const levers: LeverSet = { name: d.title };
  if (on(s.homesRetrofitted))
    levers.domesticRetrofit = { share: path(s.homesRetrofitted), heatSaving: d.homeHeatSaving };
  if (on(s.nonDomesticRetrofitted))
    levers.nonDomesticRetrofit = {
      share: path(s.nonDomesticRetrofitted),
      heatSaving: d.nonDomesticHeatSaving,
      electricitySaving: d.nonDomesticElectricitySaving,
    };
  if (on(s.homeHeatPumps) || on(s.nonDomesticHeatPumps))
    levers.heatPumps = {
      ...(on(s.homeHeatPumps) ? { domestic: path(s.homeHeatPumps) } : {}),
      ...(on(s.nonDomesticHeatPumps) ? { nonDomestic: path(s.nonDomesticHeatPumps) } : {}),
      scop: d.scop,
    };
  if (on(s.homeSolar) || on(s.nonDomesticSolar))
    levers.rooftopSolar = {
      ...(on(s.homeSolar) ? { domestic: path(s.homeSolar) } : {}),
      ...(on(s.nonDomesticSolar) ? { nonDomestic: path(s.nonDomesticSolar) } : {}),
    };
  if (on(s.evShare)) levers.evShare = { share: path(s.evShare) };
  if (on(s.modalShift)) levers.modalShift = { share: path(s.modalShift) };
  if (on(s.otherReduction)) levers.otherSectors = { reduction: path(s.otherReduction) };
  if (d.grid !== 'cleanPower2035') levers.grid = GRID_PATHS[d.grid];
  return levers;
}

/**
 * A saved lever set back in the editor. Each slider shows a path's last point (share and year); a path with more
 * points is simplified to that, which `simplified` says.
 */
export function draftOf(levers: LeverSet, title: string): { draft: LeverDraft; simplified: boolean } {
  const d = emptyDraft(title);
  let simplified = false;
  const take = (id: ShareLeverId, p: YearPath | undefined) => {
    const last = p?.at(-1);
    if (!p || !last) return;
    if (p.length > 1) simplified = true;
    d.shares[id] = {
      value: last.value,
      year: Math.min(LEVER_YEARS.max, Math.max(LEVER_YEARS.min, last.year)),
    };
  };
  take('homesRetrofitted', levers.domesticRetrofit?.share);
  if (levers.domesticRetrofit) d.homeHeatSaving = levers.domesticRetrofit.heatSaving;
  take('nonDomesticRetrofitted', levers.nonDomesticRetrofit?.share);
  if (levers.nonDomesticRetrofit) {
    d.nonDomesticHeatSaving = levers.nonDomesticRetrofit.heatSaving;
    d.nonDomesticElectricitySaving = levers.nonDomesticRetrofit.electricitySaving;
  }
  take('homeHeatPumps', levers.heatPumps?.domestic);
  take('nonDomesticHeatPumps', levers.heatPumps?.nonDomestic);
  if (levers.heatPumps) d.scop = levers.heatPumps.scop;
  take('homeSolar', levers.rooftopSolar?.domestic);
  take('nonDomesticSolar', levers.rooftopSolar?.nonDomestic);
  take('evShare', levers.evShare?.share);
  take('modalShift', levers.modalShift?.share);
  take('otherReduction', levers.otherSectors?.reduction);
  if (levers.grid) {
    const known = (Object.keys(GRID_PATHS) as GridChoice[]).find(
      (k) => GRID_PATHS[k].name === levers.grid?.name,
    );
    if (known) d.grid = known;
    else simplified = true;
  }
  return { draft: d, simplified };
}

/** A lever-set slug for a title (`Plan B: heat first` → `plan-b-heat-first`), as the API's names must be. */
export function slugOf(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const safe = slug === 'baseline' ? 'baseline-plan' : slug;
  return safe || 'plan';
}

export const SECTOR_LABELS: Record<CarbonSector, string> = {
  domestic: 'Homes',
  'non-domestic': 'Other buildings',
  transport: 'Transport',
  other: 'Other sectors',
};

/** Colours for the stacked sectors (ColorBrewer Set2, colour-blind safe), and for targets and the budget. */
export const SECTOR_COLOURS: Record<CarbonSector, string> = {
  domestic: '#66c2a5',
  'non-domestic': '#8da0cb',
  transport: '#fc8d62',
  other: '#b3b3b3',
};

export interface CarbonFigure {
  label: string;
  value: number | null;
  unit: string;
  basis: Basis;
  note?: string;
}

const at = (r: CarbonResult, year: number): number | null => {
  const k = r.years.indexOf(year);
  return k < 0 ? null : r.total.values[k];
};

/** The headline figures of one trajectory: where it starts, where it is in 2030, 2035 and 2050, and the sum. */
export function trajectoryFigures(r: CarbonResult): CarbonFigure[] {
  const start = r.years[0];
  const end = r.years.at(-1) ?? start;
  const first = at(r, start) ?? 0;
  const last = at(r, end) ?? 0;
  const basis = r.total.basis;
  const cumulative = r.total.values.reduce<number>((a, v) => a + (v ?? 0), 0);
  const milestones = [2030, 2035].filter((y) => y > start && y < end);
  return [
    { label: `${start} (baseline year)`, value: first, unit: 'tCO2e/yr', basis },
    ...milestones.map((y) => ({ label: String(y), value: at(r, y), unit: 'tCO2e/yr', basis })),
    { label: String(end), value: last, unit: 'tCO2e/yr', basis },
    {
      label: `Change ${start}–${end}`,
      value: first > 0 ? (last - first) / first : null,
      unit: '%',
      basis,
      note: 'of the baseline year',
    },
    { label: `Cumulative ${start}–${end}`, value: cumulative, unit: 'tCO2e', basis },
  ];
}

export interface ComparisonRow {
  year: number;
  a: number | null;
  b: number | null;
  /** b − a (negative: B emits less). */
  difference: number | null;
}

/** Plan B against plan A year by year (total emissions), and the cumulative difference. */
export function compareResults(
  a: CarbonResult,
  b: CarbonResult,
): { rows: ComparisonRow[]; cumulative: number } {
  if (a.years.join() !== b.years.join())
    throw new Error(`the plans cover different years (${a.years[0]}– and ${b.years[0]}–)`);
  let cumulative = 0;
  const rows = a.years.map((year, k) => {
    const va = a.total.values[k];
    const vb = b.total.values[k];
    const difference = va === null || vb === null ? null : vb - va;
    cumulative += difference ?? 0;
    return { year, a: va, b: vb, difference };
  });
  return { rows, cumulative };
}

export interface AreaTargetsDraft {
  /** The area's 1990 emissions, tCO2e/yr (needed for the UK's 78% by 2035); null when not known. */
  emissions1990: number | null;
  /** The council's own net-zero year for the area; null for none. */
  councilNetZeroYear: number | null;
  /** A carbon budget (tCO2e over the years), null for none. */
  budget: { tco2e: number; fromYear: number; toYear: number; source: string } | null;
}

/** The targets and budget as the editor shows them, read back from the area's saved inputs. */
export function targetsDraftOf(inputs: AreaInputs): AreaTargetsDraft {
  const targets = inputs.targets ?? [];
  const uk = targets.find((t) => t.kind === 'reduction' && t.referenceYear === 1990);
  const council = targets.find((t) => t.kind === 'absolute' && t.label.startsWith('Council'));
  return {
    emissions1990: uk?.kind === 'reduction' ? (uk.referenceTco2e ?? null) : null,
    councilNetZeroYear: council?.year ?? null,
    budget: inputs.budget
      ? {
          tco2e: inputs.budget.tco2e,
          fromYear: inputs.budget.fromYear,
          toYear: inputs.budget.toYear,
          source: inputs.budget.source,
        }
      : null,
  };
}

/**
 * The area inputs with the targets and budget of the editor, everything else kept: the UK's two targets (the 2035
 * one with the area's 1990 emissions when entered), the council's date when entered.
 */
export function withTargets(inputs: AreaInputs, t: AreaTargetsDraft): AreaInputs {
  const targets: Target[] = [
    UK_TARGETS.uk2035(t.emissions1990 ?? undefined),
    UK_TARGETS.ukNetZero2050(),
    ...(t.councilNetZeroYear ? [councilNetZero(t.councilNetZeroYear)] : []),
  ].map((target) =>
    // JSON has no undefined: leave an unknown reference out rather than send null.
    target.kind === 'reduction' && target.referenceTco2e === undefined
      ? (({ referenceTco2e: _r, ...rest }) => rest)(target)
      : target,
  ) as Target[];
  const { budget: _b, targets: _t, ...rest } = inputs;
  return { ...rest, targets, ...(t.budget ? { budget: t.budget } : {}) };
}

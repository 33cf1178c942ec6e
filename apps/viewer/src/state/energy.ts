/**
 * The energy panels' pure logic: which day the twin's clock is on (the sample weather and grid intensity cover one
 * year), the flexibility request a form describes and what is wrong with it, and the grid operator's figures in
 * words with units. No React, no fetch: unit-tested in Node.
 */
import { CAPACITY_CLASSES, type CapacityClass } from '@placetwin/energy';
import type { Calibration, Flexibility, Portfolio } from '../api/energyTypes';
import { formatNumber, formatQuantity, formatSigned } from './format';
import { fromUkLocal, toUkLocal } from './ukTime';

/**
 * The year the server's sample series cover (Leeds weather, NESO grid intensity: `ENERGY_DATA` in
 * apps/server routes/api/energy.ts), and its first day with three days of warm-up before it.
 */
export const ENERGY_YEAR = 2023;
export const FIRST_ENERGY_DAY = `${ENERGY_YEAR}-01-04`;
export const LAST_ENERGY_DAY = `${ENERGY_YEAR}-12-31`;

export interface FlexibilityDay {
  /** The day to model, `YYYY-MM-DD` in the data year. */
  date: string;
  /** Whether the twin's clock is on that day (so its time can be drawn on the chart). */
  onClock: boolean;
}

/**
 * The day the flexibility panel models for a clock time: the clock's UK date when it falls in the data year,
 * otherwise the same month and day of that year (29 February → 28th; before 4 January → 4 January).
 */
export function flexibilityDay(timeIso: string): FlexibilityDay {
  const local = toUkLocal(new Date(timeIso));
  if (local.date >= FIRST_ENERGY_DAY && local.date <= LAST_ENERGY_DAY)
    return { date: local.date, onClock: true };
  let monthDay = local.date.slice(5);
  if (monthDay === '02-29') monthDay = '02-28';
  const date = `${ENERGY_YEAR}-${monthDay}`;
  return { date: date < FIRST_ENERGY_DAY ? FIRST_ENERGY_DAY : date, onClock: false };
}

/** The instant that keeps the clock's UK time of day but moves it to `date` (the day picker moves the clock). */
export function clockOnDay(timeIso: string, date: string): Date | null {
  return fromUkLocal(date, toUkLocal(new Date(timeIso)).time);
}

export type CapacityChoice = 'default' | CapacityClass;
export const CAPACITY_CHOICES: readonly CapacityChoice[] = [
  'default',
  ...(Object.keys(CAPACITY_CLASSES) as CapacityClass[]),
];
export const CAPACITY_LABELS: Record<CapacityChoice, string> = {
  default: 'From use and age (default)',
  'very-light': 'Very light (timber frame, 80 kJ/K·m²)',
  light: 'Light (110 kJ/K·m²)',
  medium: 'Medium (165 kJ/K·m²)',
  heavy: 'Heavy (masonry, 260 kJ/K·m²)',
  'very-heavy': 'Very heavy (370 kJ/K·m²)',
};

export interface FlexibilitySettings {
  date: string;
  /** Comfort band when occupied, °C. */
  minC: number;
  maxC: number;
  /** Peak window to avoid, UK time `HH:MM`. */
  windowStart: string;
  windowEnd: string;
  capacity: CapacityChoice;
  /** Heating (default) or a cooling day: the plant reversed, the band's maximum binding, pre-cooling. */
  mode?: 'heating' | 'cooling';
}

/** The defaults: 19–22 °C when occupied, the evening grid peak 16:00–19:00. */
export const FLEXIBILITY_DEFAULTS: Omit<FlexibilitySettings, 'date'> = {
  minC: 19,
  maxC: 22,
  windowStart: '16:00',
  windowEnd: '19:00',
  capacity: 'default',
};

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** What is wrong with the form, one sentence per problem naming the field; empty when it can be run. */
export function flexibilityProblems(s: FlexibilitySettings): string[] {
  const p: string[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s.date) || s.date < FIRST_ENERGY_DAY || s.date > LAST_ENERGY_DAY)
    p.push(
      `Day: choose a day from 4 January to 31 December ${ENERGY_YEAR} (the weather and grid data cover that year).`,
    );
  if (!Number.isFinite(s.minC) || !Number.isFinite(s.maxC)) p.push('Comfort band: enter both temperatures.');
  else {
    if (s.minC < 5 || s.maxC > 35) p.push('Comfort band: keep it between 5 °C and 35 °C.');
    if (s.minC >= s.maxC) p.push('Comfort band: the lowest temperature must be below the highest.');
  }
  if (!HHMM.test(s.windowStart) || !HHMM.test(s.windowEnd))
    p.push('Peak window: enter start and end as HH:MM.');
  else if (minutesOf(s.windowStart) >= minutesOf(s.windowEnd))
    p.push('Peak window: the start must come before the end, on the same day.');
  return p;
}

/** A calibrated model to plan with: `model`, `rmseC`, `scaledToGeometry` of a calibration, `source` its file. */
export interface CalibrationChoice {
  model: Record<string, number>;
  rmseC: number;
  source: string;
  scaledToGeometry: boolean;
}

/** The body of `POST /api/energy/flexibility`. A calibration replaces the estimated model (and capacity class). */
export function flexibilityRequest(
  buildingId: string,
  s: FlexibilitySettings,
  calibration: CalibrationChoice | null = null,
) {
  return {
    buildingId,
    date: s.date,
    comfort: { minC: s.minC, maxC: s.maxC },
    window: { start: s.windowStart, end: s.windowEnd },
    ...(s.capacity === 'default' || calibration ? {} : { capacityClass: s.capacity }),
    ...(s.mode === 'cooling' ? { mode: 'cooling' } : {}),
    ...(calibration ? { calibration } : {}),
  };
}

/** The words for what the plant does, so charts and figures say cooling on a cooling run. */
export function plantWords(mode: 'heating' | 'cooling') {
  return mode === 'cooling'
    ? {
        plant: 'cooling',
        Plant: 'Cooling',
        pre: 'Pre-cool',
        store: 'storing coolth in the fabric',
        load: 'Electric load of the cooling',
      }
    : {
        plant: 'heating',
        Plant: 'Heating',
        pre: 'Pre-heat',
        store: 'storing heat in the fabric',
        load: 'Electric load of the heating',
      };
}

/** One figure of the grid operator's list: what it is, its value with unit, and what it means. */
export interface Figure {
  key: string;
  label: string;
  text: string;
  /** The number shown, unrounded, for tests and the table alternative. */
  value: number;
  unit: string;
  note: string;
}

const windowWords = (s: FlexibilitySettings | { windowStart: string; windowEnd: string }) =>
  `${s.windowStart}–${s.windowEnd}`;

/**
 * The figures a grid operator asks for, in the order they ask: how much, for how long, what moves where, whether
 * anyone was uncomfortable, and the carbon. Electric figures assume a heat pump (COP 3, the API's default).
 */
export function flexibilityFigures(
  f: Flexibility,
  window: { windowStart: string; windowEnd: string },
): Figure[] {
  const g = f.figures;
  const w = windowWords(window);
  const words = plantWords(f.mode);
  const fig = (key: string, label: string, value: number, unit: string, digits: number, note: string) => ({
    key,
    label,
    value,
    unit,
    text: formatQuantity(value, unit, digits),
    note,
  });
  return [
    fig('kwRemoved', 'Load removed from the peak', g.kwRemoved, 'kW', 1, `mean electric load cut over ${w}`),
    {
      key: 'windowPeak',
      label: 'Peak in the window',
      value: g.windowPeakKw.shifted,
      unit: 'kW',
      text: `${formatQuantity(g.windowPeakKw.baseline, 'kW', 1)} → ${formatQuantity(g.windowPeakKw.shifted, 'kW', 1)}`,
      note: 'highest half-hour, normal → peak-shift',
    },
    fig('durationH', 'For how long', g.durationH, 'h', 1, `hours of ${w} with the load at least halved`),
    fig(
      'kwhShifted',
      'Energy moved out of the window',
      g.kwhShifted,
      'kWh',
      1,
      'electricity, normal − peak-shift',
    ),
    fig(
      'preheatKwh',
      `${words.pre} before the window`,
      g.preheatKwh,
      'kWh',
      1,
      'extra electricity before it starts',
    ),
    {
      key: 'rebound',
      label: 'Rebound after the window',
      value: g.reboundKwh,
      unit: 'kWh',
      text: `${formatSigned(g.reboundKwh, 'kWh', 1)}, peak ${formatQuantity(g.reboundPeakKw, 'kW', 1)}`,
      note: 'extra electricity after it ends (negative: less than normal)',
    },
    {
      key: 'comfort',
      label: 'Comfort hours violated',
      value: f.shifted.comfortHoursViolated,
      unit: 'h',
      text: `${formatQuantity(f.shifted.comfortHoursViolated, 'h', 1)} (normal: ${formatQuantity(f.baseline.comfortHoursViolated, 'h', 1)})`,
      note: 'occupied hours outside the comfort band, peak-shift (normal)',
    },
    {
      key: 'carbon',
      label: 'Carbon difference',
      value: g.carbonDifferenceKg,
      unit: 'kgCO2',
      text: formatSigned(g.carbonDifferenceKg, 'kgCO2', 1),
      note: 'peak-shift − normal, with the half-hourly GB grid intensity (negative: saves)',
    },
    fig('extraKwh', 'Extra energy over the day', g.extraKwh, 'kWh', 1, `the price of ${words.store}`),
  ];
}

/** The portfolio's totals in the same words. */
export function portfolioFigures(p: Portfolio, window: { windowStart: string; windowEnd: string }): Figure[] {
  const t = p.totals;
  const w = windowWords(window);
  return [
    {
      key: 'buildings',
      label: 'Buildings',
      value: t.buildings,
      unit: '',
      text: `${formatNumber(t.buildings)} (${formatQuantity(t.floorAreaM2, 'm²')} of floor)`,
      note: p.skipped.length ? `${p.skipped.length} could not be modelled` : 'all modelled',
    },
    {
      key: 'kwRemoved',
      label: 'Load removed from the peak',
      value: t.kwRemoved,
      unit: 'kW',
      text: formatQuantity(t.kwRemoved, 'kW', 1),
      note: `sum of the buildings’ mean cut over ${w}`,
    },
    {
      key: 'windowPeak',
      label: 'Peak in the window',
      value: t.windowPeakKw.shifted,
      unit: 'kW',
      text: `${formatQuantity(t.windowPeakKw.baseline, 'kW', 1)} → ${formatQuantity(t.windowPeakKw.shifted, 'kW', 1)}`,
      note: 'highest half-hour of the summed load, normal → peak-shift',
    },
    {
      key: 'kwhShifted',
      label: 'Energy moved out of the window',
      value: t.kwhShifted,
      unit: 'kWh',
      text: formatQuantity(t.kwhShifted, 'kWh', 0),
      note: 'electricity',
    },
    {
      key: 'rebound',
      label: 'Rebound after the window',
      value: t.reboundKwh,
      unit: 'kWh',
      text: formatSigned(t.reboundKwh, 'kWh', 0),
      note: 'extra electricity after it ends',
    },
    {
      key: 'comfort',
      label: 'Comfort hours violated',
      value: t.comfortHoursViolated,
      unit: 'h',
      text: formatQuantity(t.comfortHoursViolated, 'h', 1),
      note: 'summed over the buildings, peak-shift',
    },
    {
      key: 'carbon',
      label: 'Carbon difference',
      value: t.carbonDifferenceKg,
      unit: 'kgCO2',
      text: formatSigned(t.carbonDifferenceKg, 'kgCO2', 0),
      note: 'peak-shift − normal (negative: saves)',
    },
  ];
}

/** How a portfolio is chosen. */
export type PortfolioChoice = 'public' | 'view' | 'list' | 'council';

/** Council-type public buildings: schools and colleges, civic buildings (libraries, halls, offices), health care. */
export const PUBLIC_USES = ['education', 'civic', 'healthcare'] as const;

/** The body of `POST /api/energy/portfolio` for a choice; null when it has nothing to send. */
export function portfolioRequest(
  choice: PortfolioChoice,
  s: Omit<FlexibilitySettings, 'capacity'>,
  context: {
    dataset: string | null;
    viewBbox: [number, number, number, number] | null;
    ids: readonly string[];
    /** A grid network whose headroom to report, if any. */
    grid?: string | null;
  },
  limit = 500,
): Record<string, unknown> | null {
  const common = {
    date: s.date,
    comfort: { minC: s.minC, maxC: s.maxC },
    window: { start: s.windowStart, end: s.windowEnd },
    ...(context.grid ? { grid: context.grid } : {}),
    ...(s.mode === 'cooling' ? { mode: 'cooling' } : {}),
  };
  if (choice === 'list') return context.ids.length ? { ...common, buildingIds: [...context.ids] } : null;
  if (!context.dataset) return null;
  if (choice === 'public')
    return { ...common, dataset: context.dataset, filter: { use: [...PUBLIC_USES] }, limit };
  if (choice === 'council')
    return { ...common, dataset: context.dataset, filter: { councilOwned: true }, limit };
  if (!context.viewBbox) return null;
  return { ...common, dataset: context.dataset, filter: { bbox: context.viewBbox }, limit };
}

/** UK local `HH:MM` of an instant, for chart axes and table rows. */
export const ukClock = (ms: number): string => toUkLocal(new Date(ms)).time;

/** One row of the fitted-parameters table: estimated (from geometry) and fitted, in the units people read. */
export interface CalibrationRow {
  key: string;
  label: string;
  unit: string;
  estimated: number;
  fitted: number;
}

const CALIBRATION_LABELS: Record<string, { label: string; unit: string; of: (v: number) => number }> = {
  hVeWPerK: { label: 'R ventilation (air ↔ outside)', unit: 'K/kW', of: (h) => 1000 / h },
  hTrMsWPerK: { label: 'R surfaces ↔ thermal mass', unit: 'K/kW', of: (h) => 1000 / h },
  hTrEmWPerK: { label: 'R thermal mass ↔ outside (opaque fabric)', unit: 'K/kW', of: (h) => 1000 / h },
  cmJPerK: { label: 'C thermal mass', unit: 'MJ/K', of: (c) => c / 1e6 },
  solarApertureM2: { label: 'Solar aperture', unit: 'm²', of: (a) => a },
};

/**
 * The calibration's parameters as resistances (R = 1/H) and capacity, then the heat transfer coefficient and the
 * time constant, each estimated → fitted.
 */
export function calibrationRows(c: Calibration): CalibrationRow[] {
  const rows: CalibrationRow[] = c.parameters.flatMap((p) => {
    const l = CALIBRATION_LABELS[p.name];
    return l
      ? [{ key: p.name, label: l.label, unit: l.unit, estimated: l.of(p.prior), fitted: l.of(p.fitted) }]
      : [];
  });
  rows.push(
    {
      key: 'htc',
      label: 'Heat transfer coefficient',
      unit: 'W/K',
      estimated: c.priorHtcWPerK,
      fitted: c.htcWPerK,
    },
    {
      key: 'tau',
      label: 'Time constant τ',
      unit: 'h',
      estimated: c.priorTimeConstantH,
      fitted: c.timeConstantH,
    },
  );
  return rows;
}

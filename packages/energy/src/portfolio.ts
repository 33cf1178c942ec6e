import { DataError, isDataError } from '@placetwin/geo';
import {
  type BuildingDescription,
  type BuildingOverrides,
  describeBuilding,
  type EnergyBuilding,
  thermalModel,
} from './building';
import {
  buildHorizon,
  type FlexibilityOptions,
  type FlexibilityResult,
  type Horizon,
  type HorizonClock,
  horizonClock,
  peakShift,
  resolveFlexibilityOptions,
  settledMassC,
} from './flexibility';
import type { WeatherSeries } from './importers/weather';
import type { Rc5r1c } from './rc-model';
import { londonMidnightMs, type RegularSeries, sampleSeries } from './series';

/** One UK civil day of boundary conditions, with warm-up days before it, sampled at the model step. */
export interface DayConditions {
  date: string;
  stepS: number;
  /** Start of the day (UK midnight) and of the warm-up. */
  dayStartMs: number;
  warmUpStartMs: number;
  warmUpSteps: number;
  daySteps: number;
  outdoorC: Float64Array;
  ghiWm2: Float64Array;
  /** Carbon intensity for the day's steps only (gCO2/kWh). */
  intensityGPerKwh: Float64Array;
  /** Clocks of the warm-up and of the day (shared by every building). */
  warmUpClock: HorizonClock;
  dayClock: HorizonClock;
  notes: string[];
}

export const DAY_DEFAULTS = { stepS: 1800, warmUpDays: 3 } as const;

/**
 * Samples weather (hourly, held over the hour) and grid intensity onto a day's steps, with `warmUpDays` of
 * weather before it to settle the building's mass temperature. Missing values in the span are DataErrors
 * naming the instant (the real 2023 intensity file has a gap on 20–22 October).
 */
export function dayConditions(
  date: string,
  weather: WeatherSeries,
  intensity: RegularSeries,
  options: { stepS?: number; warmUpDays?: number; weatherFile?: string; intensityFile?: string } = {},
): DayConditions {
  const stepS = options.stepS ?? DAY_DEFAULTS.stepS;
  const warmUpDays = options.warmUpDays ?? DAY_DEFAULTS.warmUpDays;
  const dayStartMs = londonMidnightMs(date);
  const next = new Date(dayStartMs + 36 * 3_600_000).toISOString().slice(0, 10);
  const dayEndMs = londonMidnightMs(next);
  const stepMs = stepS * 1000;
  if ((dayEndMs - dayStartMs) % stepMs !== 0)
    throw new DataError('invalid-option', `a step of ${stepS} s does not divide the day ${date}`);
  const daySteps = (dayEndMs - dayStartMs) / stepMs;
  const warmUpSteps = Math.round((warmUpDays * 86_400) / stepS);
  const warmUpStartMs = dayStartMs - warmUpSteps * stepMs;
  const total = warmUpSteps + daySteps;
  const outdoorC = sampleSeries(weather.temperatureC, warmUpStartMs, total, stepMs, {
    name: 'outdoor temperature',
    file: options.weatherFile,
  });
  const ghiWm2 = sampleSeries(weather.ghiWm2, warmUpStartMs, total, stepMs, {
    name: 'irradiance',
    file: options.weatherFile,
  });
  const intensityGPerKwh = sampleSeries(intensity, dayStartMs, daySteps, stepMs, {
    name: 'carbon intensity',
    file: options.intensityFile,
  });
  return {
    date,
    stepS,
    dayStartMs,
    warmUpStartMs,
    warmUpSteps,
    daySteps,
    outdoorC,
    ghiWm2,
    intensityGPerKwh,
    warmUpClock: horizonClock(warmUpStartMs, stepS, warmUpSteps),
    dayClock: horizonClock(dayStartMs, stepS, daySteps),
    notes: weather.meta.notes,
  };
}

export interface BuildingFlexibility {
  description: BuildingDescription;
  params: Rc5r1c;
  massStartC: number;
  horizon: Horizon;
  result: FlexibilityResult;
}

/** A building's normal and peak-shift schedules for a day, after a warm-up under the normal schedule. */
export function buildingFlexibility(
  building: EnergyBuilding,
  day: DayConditions,
  options: Partial<FlexibilityOptions> = {},
  overrides: BuildingOverrides = {},
): BuildingFlexibility {
  const description = describeBuilding(building, overrides);
  const params = thermalModel(description, overrides);
  const w = day.warmUpSteps;
  const slice = (startMs: number, from: number, to: number) => ({
    startMs,
    stepS: day.stepS,
    outdoorC: day.outdoorC.subarray(from, to),
    ghiWm2: day.ghiWm2.subarray(from, to),
  });
  const massStartC =
    w > 0
      ? settledMassC(
          params,
          buildHorizon(description, params, slice(day.warmUpStartMs, 0, w), options, day.warmUpClock),
          18,
          options.mode ?? 'heating',
        )
      : description.profile.comfort.minC;
  const horizon = buildHorizon(
    description,
    params,
    slice(day.dayStartMs, w, w + day.daySteps),
    options,
    day.dayClock,
  );
  const result = peakShift(params, horizon, day.intensityGPerKwh, massStartC, options);
  return { description, params, massStartC, horizon, result };
}

export interface PortfolioRow {
  id: string;
  name: string | null;
  useClass: string;
  floorAreaM2: number;
  kwRemoved: number;
  /** Flexibility per m² of floor area: mean kW removed from the window × 1000 ÷ floor area (W/m²). */
  wPerM2: number;
  kwhShifted: number;
  durationH: number;
  reboundKwh: number;
  carbonDifferenceKg: number;
  comfortHoursViolated: number;
}

export interface PortfolioResult {
  date: string;
  startMs: number;
  stepS: number;
  /** Ranked by W/m², most flexible first. */
  buildings: PortfolioRow[];
  /** Buildings left out, with the reason (unheated use, or a data problem). */
  skipped: { id: string; reason: string }[];
  aggregate: { baselineKw: Float64Array; shiftedKw: Float64Array; inWindow: Uint8Array };
  /** Each modelled building's electric load per step (kW), normal and shifted: what the grid headroom sums. */
  loads: Map<string, { baselineKw: Float64Array; shiftedKw: Float64Array }>;
  totals: {
    kwRemoved: number;
    windowPeakKw: { baseline: number; shifted: number };
    kwhShifted: number;
    reboundKwh: number;
    extraKwh: number;
    carbonDifferenceKg: number;
    comfortHoursViolated: number;
    floorAreaM2: number;
  };
}

/**
 * Flexibility of many buildings on one day and their sum: electric load before and after (kW per step), the
 * kW removed from the window, and a table ranked by flexibility per m². A building whose data is bad is skipped
 * and listed with the reason rather than failing the portfolio.
 */
export function portfolioFlexibility(
  members: { building: EnergyBuilding; overrides?: BuildingOverrides }[],
  day: DayConditions,
  options: Partial<FlexibilityOptions> = {},
): PortfolioResult {
  resolveFlexibilityOptions(options);
  const n = day.daySteps;
  const baselineKw = new Float64Array(n);
  const shiftedKw = new Float64Array(n);
  let inWindow: Uint8Array = new Uint8Array(n);
  const rows: PortfolioRow[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const loads: PortfolioResult['loads'] = new Map();
  const totals = {
    kwRemoved: 0,
    windowPeakKw: { baseline: 0, shifted: 0 },
    kwhShifted: 0,
    reboundKwh: 0,
    extraKwh: 0,
    carbonDifferenceKg: 0,
    comfortHoursViolated: 0,
    floorAreaM2: 0,
  };
  for (const { building, overrides } of members) {
    let f: BuildingFlexibility;
    try {
      const d = describeBuilding(building, overrides);
      if (d.benchmark === null) {
        skipped.push({ id: building.id, reason: `${d.useClass}: unheated use class, not modelled` });
        continue;
      }
      f = buildingFlexibility(building, day, options, overrides);
    } catch (e) {
      if (!isDataError(e)) throw e;
      skipped.push({ id: building.id, reason: e.message });
      continue;
    }
    const r = f.result;
    inWindow = r.inWindow;
    loads.set(building.id, { baselineKw: r.baseline.electricKw, shiftedKw: r.shifted.electricKw });
    for (let k = 0; k < n; k++) {
      baselineKw[k] += r.baseline.electricKw[k];
      shiftedKw[k] += r.shifted.electricKw[k];
    }
    const area = f.description.floorAreaM2;
    rows.push({
      id: building.id,
      name: building.name ?? null,
      useClass: f.description.useClass,
      floorAreaM2: area,
      kwRemoved: r.kwRemoved,
      wPerM2: (r.kwRemoved * 1000) / area,
      kwhShifted: r.kwhShifted,
      durationH: r.durationH,
      reboundKwh: r.reboundKwh,
      carbonDifferenceKg: r.carbonDifferenceKg,
      comfortHoursViolated: r.shifted.comfortHoursViolated,
    });
    totals.kwRemoved += r.kwRemoved;
    totals.kwhShifted += r.kwhShifted;
    totals.reboundKwh += r.reboundKwh;
    totals.extraKwh += r.extraKwh;
    totals.carbonDifferenceKg += r.carbonDifferenceKg;
    totals.comfortHoursViolated += r.shifted.comfortHoursViolated;
    totals.floorAreaM2 += area;
  }
  for (let k = 0; k < n; k++)
    if (inWindow[k]) {
      totals.windowPeakKw.baseline = Math.max(totals.windowPeakKw.baseline, baselineKw[k]);
      totals.windowPeakKw.shifted = Math.max(totals.windowPeakKw.shifted, shiftedKw[k]);
    }
  rows.sort((x, y) => y.wPerM2 - x.wPerM2 || x.id.localeCompare(y.id));
  return {
    date: day.date,
    startMs: day.dayStartMs,
    stepS: day.stepS,
    buildings: rows,
    skipped,
    aggregate: { baselineKw, shiftedKw, inWindow },
    loads,
    totals,
  };
}

import { DataError } from '@placetwin/geo';
import type { Schedule } from './archetype';
import type { BuildingDescription } from './building';
import { coolingForm, optimiseSchedule, type ScheduleProblem } from './optimiser';
import { affineStep, type Rc5r1c, steppedModel } from './rc-model';
import { londonClock } from './series';
import { type HeatingControl, type SimulationResult, simulate, type ThermalInputs } from './simulate';

export interface FlexibilityOptions {
  /** The grid peak to avoid, minutes of the day in UK civil time, [start, end). */
  window: { startMinute: number; endMinute: number };
  /** Comfort band when occupied; null → the use class default. */
  comfort: { minC: number; maxC: number } | null;
  /** Band when unoccupied; null → the use class setback minimum up to 30 °C. */
  setback: { minC: number; maxC: number } | null;
  /** Heat pump coefficient of performance: electric power = heat / COP. */
  cop: number;
  /**
   * Extra cost of a kWh inside the window relative to one outside it: the optimiser accepts up to
   * 1 + windowWeight kWh of extra heating outside the window per kWh it removes from it (a peak/off-peak price
   * ratio). Large values (1000) remove all the load physics allows, whatever the pre-heat costs.
   */
  windowWeight: number;
  /** Extra cost per kWh in proportion to grid carbon intensity ÷ its mean over the horizon (0 = energy only). */
  carbonWeight: number;
  /**
   * `heating` (the plant warms; the band's minimum binds) or `cooling` (a summer day: the same plant reversed as a
   * chiller/heat pump with `cop` as its coefficient of performance, the band's maximum binds; pre-cooling).
   */
  mode: 'heating' | 'cooling';
}

export const FLEXIBILITY_DEFAULTS: FlexibilityOptions = {
  window: { startMinute: 16 * 60, endMinute: 19 * 60 },
  comfort: null,
  setback: null,
  cop: 3,
  windowWeight: 10,
  carbonWeight: 0,
  mode: 'heating',
};

/** Tolerance for comfort-hour counting (°C): the optimiser works to rounding, sensors do not. */
export const COMFORT_TOLERANCE_C = 0.01;

/** A horizon ready to simulate: boundary conditions, occupancy, window and comfort bounds per step. */
export interface Horizon {
  startMs: number;
  stepS: number;
  inputs: ThermalInputs;
  occupied: Uint8Array;
  inWindow: Uint8Array;
  lowC: Float64Array;
  highC: Float64Array;
}

/** UK civil weekday (0 = Sunday) and minute of the day at the middle of each step of a horizon. */
export interface HorizonClock {
  weekday: Uint8Array;
  minute: Uint16Array;
}

/**
 * The clock of a horizon, read at each step's middle (so the half-hour 15:30–16:00 is outside a 16:00 window).
 * Shared by every building of a portfolio: time-zone formatting is the slow part of building a horizon.
 */
export function horizonClock(startMs: number, stepS: number, steps: number): HorizonClock {
  const clock = { weekday: new Uint8Array(steps), minute: new Uint16Array(steps) };
  for (let k = 0; k < steps; k++) {
    const c = londonClock(startMs + (k + 0.5) * stepS * 1000);
    clock.weekday[k] = c.weekday;
    clock.minute[k] = c.minuteOfDay;
  }
  return clock;
}

const inSchedule = (s: Schedule, weekday: number, minute: number) =>
  s.days.includes(weekday) && minute >= s.fromMinute && minute < s.toMinute;
const inPreheat = (s: Schedule, weekday: number, minute: number, hours: number) =>
  s.days.includes(weekday) && minute < s.fromMinute && minute >= s.fromMinute - hours * 60;

export function resolveFlexibilityOptions(options: Partial<FlexibilityOptions> = {}): FlexibilityOptions {
  const o = { ...FLEXIBILITY_DEFAULTS, ...options };
  const { window: w } = o;
  if (!(w.startMinute >= 0 && w.endMinute <= 1440 && w.startMinute < w.endMinute))
    throw new DataError(
      'invalid-window',
      `peak window must satisfy 00:00 ≤ start < end ≤ 24:00 (got minutes ${w.startMinute}–${w.endMinute})`,
    );
  for (const [name, band] of [
    ['comfort', o.comfort],
    ['setback', o.setback],
  ] as const)
    if (band && !(Number.isFinite(band.minC) && Number.isFinite(band.maxC) && band.minC < band.maxC))
      throw new DataError(
        'invalid-comfort-band',
        `${name} band minimum (${band.minC} °C) must be below its maximum (${band.maxC} °C)`,
      );
  if (!(o.cop > 0)) throw new DataError('invalid-option', `COP must be positive (got ${o.cop})`);
  if (o.mode !== 'heating' && o.mode !== 'cooling')
    throw new DataError('invalid-option', `mode must be heating or cooling (got ${String(o.mode)})`);
  if (!(o.windowWeight >= 0) || !(o.carbonWeight >= 0))
    throw new DataError('invalid-option', 'window and carbon weights must be ≥ 0');
  return o;
}

/**
 * Boundary conditions for a building over a horizon: outdoor temperature and global horizontal irradiance per
 * step (already sampled), internal gains from the use's occupied hours, solar gains through the aperture,
 * comfort bounds (occupied band or setback) and the peak window, all in UK civil time.
 */
export function buildHorizon(
  d: BuildingDescription,
  params: Rc5r1c,
  weather: { startMs: number; stepS: number; outdoorC: Float64Array; ghiWm2: Float64Array },
  options: Partial<FlexibilityOptions> = {},
  clock: HorizonClock = horizonClock(weather.startMs, weather.stepS, weather.outdoorC.length),
): Horizon {
  const o = resolveFlexibilityOptions(options);
  const n = weather.outdoorC.length;
  if (clock.minute.length !== n) throw new Error('the clock does not match the weather horizon');
  if (n === 0) throw new DataError('empty-series', 'weather: the horizon has no steps', { featureId: d.id });
  if (weather.ghiWm2.length !== n)
    throw new DataError(
      'invalid-series',
      `weather: irradiance has ${weather.ghiWm2.length} steps, expected ${n}`,
    );
  const comfort = o.comfort ?? { minC: d.profile.comfort.minC, maxC: d.profile.comfort.maxC };
  const setback = o.setback ?? { minC: d.profile.comfort.setbackMinC, maxC: 30 };
  const h: Horizon = {
    startMs: weather.startMs,
    stepS: weather.stepS,
    inputs: {
      stepS: weather.stepS,
      outdoorC: weather.outdoorC,
      internalW: new Float64Array(n),
      solarW: new Float64Array(n),
    },
    occupied: new Uint8Array(n),
    inWindow: new Uint8Array(n),
    lowC: new Float64Array(n),
    highC: new Float64Array(n),
  };
  const gains = d.profile.internalGainsWPerM2;
  for (let k = 0; k < n; k++) {
    const minute = clock.minute[k];
    const occ = inSchedule(d.profile.occupied, clock.weekday[k], minute);
    h.occupied[k] = occ ? 1 : 0;
    h.inWindow[k] = minute >= o.window.startMinute && minute < o.window.endMinute ? 1 : 0;
    h.inputs.internalW[k] = (occ ? gains.occupied : gains.unoccupied) * d.floorAreaM2;
    const ghi = weather.ghiWm2[k];
    if (!Number.isFinite(ghi) || !Number.isFinite(weather.outdoorC[k]))
      throw new DataError('missing-values', `weather: missing value at step ${k}`, { featureId: d.id });
    h.inputs.solarW[k] = params.solarApertureM2 * Math.max(0, ghi);
    // The normal timetable: the band when occupied, its minimum from `preheatH` before, setback otherwise.
    const preheat = !occ && inPreheat(d.profile.occupied, clock.weekday[k], minute, d.profile.preheatH);
    h.lowC[k] = occ || preheat ? comfort.minC : setback.minC;
    h.highC[k] = occ ? comfort.maxC : setback.maxC;
  }
  return h;
}

/** The normal schedule: a thermostat at the band's minimum (heating) or maximum (cooling). */
const normalControl = (h: Horizon, mode: FlexibilityOptions['mode']): HeatingControl =>
  mode === 'cooling'
    ? { kind: 'cooling-thermostat', maxAirC: h.highC }
    : { kind: 'thermostat', minAirC: h.lowC };

/**
 * A schedule's trajectories. Power in kW: heat delivered (or, on a cooling day, heat removed: always ≥ 0), and
 * electricity drawn (thermal power / COP).
 */
export interface ScheduleTrace {
  airC: Float64Array;
  heatKw: Float64Array;
  electricKw: Float64Array;
  comfortHoursViolated: number;
  energyKwh: number;
  carbonKg: number;
}

export interface FlexibilityResult {
  startMs: number;
  stepS: number;
  baseline: ScheduleTrace;
  shifted: ScheduleTrace;
  inWindow: Uint8Array;
  occupied: Uint8Array;
  lowC: Float64Array;
  highC: Float64Array;
  /** Mean reduction of electric load over the window (kW). */
  kwRemoved: number;
  /** Largest electric load in the window, before and after (kW). */
  windowPeakKw: { baseline: number; shifted: number };
  /** Hours of the window in which load is at least halved (h). */
  durationH: number;
  /** Electricity moved out of the window (kWh). */
  kwhShifted: number;
  /** Extra electricity before the window (pre-heat) and after it (rebound), kWh, and the rebound's peak (kW). */
  preheatKwh: number;
  reboundKwh: number;
  reboundPeakKw: number;
  /** Shifted − baseline over the horizon: energy (kWh) and carbon (kg CO2) with the half-hourly intensity. */
  extraKwh: number;
  carbonDifferenceKg: number;
  /** Optimiser effort: most breakpoints of any cost-to-go function. */
  breakpoints: number;
}

function trace(
  airC: Float64Array,
  heatW: Float64Array,
  h: Horizon,
  cop: number,
  intensity: Float64Array,
  lowC: Float64Array,
  highC: Float64Array,
): ScheduleTrace {
  const n = heatW.length;
  const stepH = h.stepS / 3600;
  const heatKw = new Float64Array(n);
  const electricKw = new Float64Array(n);
  let violated = 0;
  let energyKwh = 0;
  let carbonKg = 0;
  for (let k = 0; k < n; k++) {
    heatKw[k] = heatW[k] / 1000;
    electricKw[k] = heatKw[k] / cop;
    energyKwh += electricKw[k] * stepH;
    carbonKg += (electricKw[k] * stepH * intensity[k]) / 1000;
    if (
      h.occupied[k] &&
      (airC[k] < lowC[k] - COMFORT_TOLERANCE_C || airC[k] > highC[k] + COMFORT_TOLERANCE_C)
    )
      violated += stepH;
  }
  return { airC, heatKw, electricKw, comfortHoursViolated: violated, energyKwh, carbonKg };
}

/** Mass temperature after running the normal schedule (thermostat at the band's minimum) over a warm-up horizon. */
export function settledMassC(
  params: Rc5r1c,
  warmUp: Horizon,
  initialC = 18,
  mode: FlexibilityOptions['mode'] = 'heating',
): number {
  const r = simulate(params, warmUp.inputs, normalControl(warmUp, mode), initialC);
  return r.massC[r.massC.length - 1];
}

/**
 * The peak-shift LP for a horizon (see optimiser.ts), with the normal schedule it is measured against. Where the
 * normal schedule itself cannot keep the band (plant at full power, or solar overheating with no cooling), the
 * bounds are widened to what it achieves, so the shifted schedule is always feasible and never makes comfort
 * worse; it must end no colder than the normal schedule (no heat borrowed from the next day).
 */
export function scheduleProblem(
  params: Rc5r1c,
  h: Horizon,
  intensityGPerKwh: Float64Array,
  massStartC: number,
  options: Partial<FlexibilityOptions> = {},
): { problem: ScheduleProblem; baseline: SimulationResult } {
  const o = resolveFlexibilityOptions(options);
  const n = h.inputs.outdoorC.length;
  if (intensityGPerKwh.length !== n)
    throw new DataError(
      'invalid-series',
      `carbon intensity has ${intensityGPerKwh.length} steps, the horizon ${n}`,
    );
  const badIntensity = intensityGPerKwh.findIndex((v) => !Number.isFinite(v) || v < 0);
  if (badIntensity >= 0)
    throw new DataError('missing-values', `carbon intensity is missing or negative at step ${badIntensity}`);
  const baseline = simulate(params, h.inputs, normalControl(h, o.mode), massStartC);
  const model = steppedModel(params, h.stepS);
  const c = new Float64Array(n);
  const gamma = new Float64Array(n);
  const lowC = new Float64Array(n);
  const highC = new Float64Array(n);
  const weight = new Float64Array(n);
  let meanIntensity = 0;
  for (let k = 0; k < n; k++) meanIntensity += intensityGPerKwh[k] / n;
  const stepH = h.stepS / 3600;
  // a, b, α, β depend on the model only; c and γ carry the step's weather and gains.
  const fixed = affineStep(model, { outdoorC: 0, internalW: 0, solarW: 0 });
  for (let k = 0; k < n; k++) {
    const coeff = affineStep(model, {
      outdoorC: h.inputs.outdoorC[k],
      internalW: h.inputs.internalW[k],
      solarW: h.inputs.solarW[k],
    });
    c[k] = coeff.c;
    gamma[k] = coeff.gamma;
    lowC[k] = Math.min(h.lowC[k], baseline.airC[k] - 1e-9);
    highC[k] = Math.max(h.highC[k], baseline.airC[k] + 1e-9);
    const carbon = meanIntensity > 0 ? (o.carbonWeight * intensityGPerKwh[k]) / meanIntensity : 0;
    weight[k] = (stepH / 1000 / o.cop) * (1 + (h.inWindow[k] ? o.windowWeight : 0) + carbon);
  }
  const shared = {
    a: fixed.a,
    b: fixed.b,
    c,
    alpha: fixed.alpha,
    beta: fixed.beta,
    gamma,
    lowC,
    highC,
    maxW: params.heatingMaxW,
    weight,
    massStartC,
  };
  if (o.mode === 'cooling')
    return { problem: coolingForm({ ...shared, massEndMaxC: baseline.massC[n] + 1e-9 }), baseline };
  const problem: ScheduleProblem = { ...shared, massEndMinC: baseline.massC[n] - 1e-9 };
  return { problem, baseline };
}

/**
 * Normal schedule vs peak-shift schedule over a horizon. Normal: a thermostat gives each step the least heat that
 * keeps the air at the timetable's minimum (the band when occupied, pre-heat before, setback otherwise).
 * Peak-shift: the optimiser's least-cost schedule with the window's electricity weighted 1 + `windowWeight`
 * times, inside the same band (see scheduleProblem). Figures are in electricity (heat ÷ COP).
 */
export function peakShift(
  params: Rc5r1c,
  h: Horizon,
  intensityGPerKwh: Float64Array,
  massStartC: number,
  options: Partial<FlexibilityOptions> = {},
): FlexibilityResult {
  const o = resolveFlexibilityOptions(options);
  const n = h.inputs.outdoorC.length;
  const stepH = h.stepS / 3600;
  const { problem, baseline: base } = scheduleProblem(params, h, intensityGPerKwh, massStartC, o);
  const sol = optimiseSchedule(problem);
  // The optimiser's power is the plant's output (≥ 0): heat, or on a cooling day heat removed.
  const cooling = o.mode === 'cooling';
  const signedW = cooling ? sol.heatingW.map((u) => -u) : sol.heatingW;
  const shiftedSim = simulate(params, h.inputs, { kind: 'power', heatingW: signedW }, massStartC);
  const basePlantW = cooling ? base.heatingW.map((u) => -u) : base.heatingW;

  const baseline = trace(base.airC, basePlantW, h, o.cop, intensityGPerKwh, h.lowC, h.highC);
  const shifted = trace(shiftedSim.airC, sol.heatingW, h, o.cop, intensityGPerKwh, h.lowC, h.highC);
  let windowSteps = 0;
  let kwhShifted = 0;
  let preheatKwh = 0;
  let reboundKwh = 0;
  let reboundPeakKw = 0;
  let halvedSteps = 0;
  const windowPeakKw = { baseline: 0, shifted: 0 };
  const firstWindow = h.inWindow.indexOf(1);
  const lastWindow = h.inWindow.lastIndexOf(1);
  for (let k = 0; k < n; k++) {
    const diff = shifted.electricKw[k] - baseline.electricKw[k];
    if (h.inWindow[k]) {
      windowSteps++;
      kwhShifted -= diff * stepH;
      windowPeakKw.baseline = Math.max(windowPeakKw.baseline, baseline.electricKw[k]);
      windowPeakKw.shifted = Math.max(windowPeakKw.shifted, shifted.electricKw[k]);
      if (baseline.electricKw[k] > 0 && shifted.electricKw[k] <= 0.5 * baseline.electricKw[k]) halvedSteps++;
    } else if (firstWindow >= 0 && k < firstWindow) preheatKwh += diff * stepH;
    else if (k > lastWindow) {
      reboundKwh += diff * stepH;
      reboundPeakKw = Math.max(reboundPeakKw, diff);
    }
  }
  return {
    startMs: h.startMs,
    stepS: h.stepS,
    baseline,
    shifted,
    inWindow: h.inWindow,
    occupied: h.occupied,
    lowC: h.lowC,
    highC: h.highC,
    kwRemoved: windowSteps > 0 ? kwhShifted / (windowSteps * stepH) : 0,
    windowPeakKw,
    durationH: halvedSteps * stepH,
    kwhShifted,
    preheatKwh,
    reboundKwh,
    reboundPeakKw,
    extraKwh: shifted.energyKwh - baseline.energyKwh,
    carbonDifferenceKg: shifted.carbonKg - baseline.carbonKg,
    breakpoints: sol.maxBreakpoints,
  };
}

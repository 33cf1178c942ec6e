/**
 * Calibration of 5R1C parameters to a measured indoor temperature series by nonlinear least squares
 * (Levenberg–Marquardt, Marquardt's diagonal scaling). The model is run over the record from the measured outdoor
 * temperature, irradiance and heating input, either open loop (simulation error) or re-reading its one state from
 * the measurement every `horizonSteps` (k-step-ahead prediction error), and the sum of squared differences from the
 * measured indoor temperature is minimised. Parameters are fitted as logarithms, so they stay positive; the start
 * mass temperature is fitted too. The fit quality is the RMSE in °C.
 */
import { DataError } from '@placetwin/geo';
import { affineStep, heatTransferCoefficient, type Rc5r1c, steppedModel, timeConstantS } from './rc-model';

export type CalibratedParameter =
  | 'hVeWPerK'
  | 'hTrWWPerK'
  | 'hTrIsWPerK'
  | 'hTrMsWPerK'
  | 'hTrEmWPerK'
  | 'cmJPerK'
  | 'solarApertureM2'
  | 'heatGain';

/** A measured record at a fixed step (BMS export, sensor stream, or a research data set). */
export interface MeasuredRecord {
  stepS: number;
  outdoorC: Float64Array;
  /** Global horizontal irradiance (W/m²). */
  ghiWm2: Float64Array;
  /** Heating input: W, or a signal in other units with `heatGain` fitted (W per unit). */
  heating: Float64Array;
  indoorC: Float64Array;
  /** Internal gains (W); zero when not given. */
  internalW?: Float64Array;
}

export interface CalibrationOptions {
  fit: CalibratedParameter[];
  /** W per unit of the heating series (1 when it is in W). Fitted if 'heatGain' is in `fit`. */
  heatGain: number;
  /** Leading steps left out of the residuals while the fitted start state settles. */
  skipSteps: number;
  maxIterations: number;
  /**
   * Steps after which the state is re-read from the measured indoor temperature (see simulateRecord):
   * null = never (least squares on the open-loop simulation error), 96 at 15 min = day-ahead, 1 = one-step-ahead.
   */
  horizonSteps: number | null;
  /**
   * Starting points, as factors on the prior's values of fitted parameters (e.g. `{ heatGain: 10 }`). Measured
   * buildings give least-squares surfaces with several minima; the best fit over all starts is kept.
   */
  starts: Partial<Record<CalibratedParameter, number>>[];
}

export const CALIBRATION_DEFAULTS: CalibrationOptions = {
  fit: ['hVeWPerK', 'hTrMsWPerK', 'hTrEmWPerK', 'cmJPerK', 'solarApertureM2'],
  heatGain: 1,
  skipSteps: 0,
  maxIterations: 200,
  horizonSteps: null,
  starts: [{}],
};

export interface CalibrationResult {
  params: Rc5r1c;
  heatGain: number;
  massStartC: number;
  /** Root mean square error over the fitted steps (°C) at the fitted horizon, before and after calibration. */
  rmseC: number;
  priorRmseC: number;
  /** The fitted model's RMSE as a pure simulation and one step ahead (°C), whatever horizon was fitted. */
  simulationRmseC: number;
  oneStepRmseC: number;
  /** Steady-state heat transfer coefficient (W/K; see the README on scale when heatGain is fitted) and τ (h). */
  htcWPerK: number;
  timeConstantH: number;
  /** Iterations over all starts; whether the best start converged. */
  iterations: number;
  converged: boolean;
  simulatedC: Float64Array;
}

export function checkRecord(r: MeasuredRecord, file?: string): number {
  const n = r.indoorC.length;
  const where = { file: file ?? null };
  if (n === 0) throw new DataError('empty-series', 'measured record: no rows', where);
  if (!(r.stepS > 0))
    throw new DataError('invalid-series', 'measured record: the step must be positive', where);
  const series: [string, Float64Array | undefined][] = [
    ['indoor temperature', r.indoorC],
    ['outdoor temperature', r.outdoorC],
    ['irradiance', r.ghiWm2],
    ['heating', r.heating],
    ['internal gains', r.internalW],
  ];
  for (const [name, s] of series) {
    if (s === undefined) continue;
    if (s.length !== n)
      throw new DataError(
        'invalid-series',
        `measured record: ${name} has ${s.length} rows, expected ${n}`,
        where,
      );
    const bad = s.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0)
      throw new DataError(
        'missing-values',
        `measured record: ${name} is missing or not a number at row ${bad}`,
        where,
      );
  }
  return n;
}

/**
 * The model's indoor temperature over a record. With `horizonSteps` < n the state is re-read from the measurement
 * every `horizonSteps` steps (the mass temperature that makes the previous step's mean air temperature equal the
 * measured one: the model has one state, so one reading fixes it), giving `horizonSteps`-ahead predictions;
 * 1 gives one-step-ahead predictions, n a pure simulation.
 */
function simulateRecord(
  p: Rc5r1c,
  heatGain: number,
  massStartC: number,
  r: MeasuredRecord,
  horizonSteps: number,
): Float64Array {
  const n = r.indoorC.length;
  const model = steppedModel(p, r.stepS);
  const out = new Float64Array(n);
  const inputsAt = (k: number) => ({
    outdoorC: r.outdoorC[k],
    internalW: r.internalW?.[k] ?? 0,
    solarW: p.solarApertureM2 * r.ghiWm2[k],
  });
  let mass = massStartC;
  const inputs = { outdoorC: 0, internalW: 0, solarW: 0, heatingW: 0 };
  for (let k = 0; k < n; k++) {
    if (k > 0 && k % horizonSteps === 0) {
      const f = affineStep(model, inputsAt(k - 1));
      const u = heatGain * r.heating[k - 1];
      const massPrev = (r.indoorC[k - 1] - f.beta * u - f.gamma) / f.alpha;
      mass = f.a * massPrev + f.b * u + f.c;
    }
    inputs.outdoorC = r.outdoorC[k];
    inputs.internalW = r.internalW?.[k] ?? 0;
    inputs.solarW = p.solarApertureM2 * r.ghiWm2[k];
    inputs.heatingW = heatGain * r.heating[k];
    const step = model.step(mass, inputs);
    out[k] = step.airMeanC;
    mass = step.massEndC;
  }
  return out;
}

/** Solves the small symmetric positive definite system A x = b (Cholesky); null if not positive definite. */
function solveSpd(a: Float64Array, b: Float64Array, m: number): Float64Array | null {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j];
      for (let k = 0; k < j; k++) s -= l[i * m + k] * l[j * m + k];
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * m + i] = Math.sqrt(s);
      } else l[i * m + j] = s / l[j * m + j];
    }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * m + k] * y[k];
    y[i] = s / l[i * m + i];
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < m; k++) s -= l[k * m + i] * x[k];
    x[i] = s / l[i * m + i];
  }
  return x;
}

/**
 * Fits the chosen parameters of `prior` (the rest stay as they are) and the start mass temperature to a
 * measured record. `prior` is usually the geometry-based model of the same building.
 */
export function calibrate(
  prior: Rc5r1c,
  record: MeasuredRecord,
  options: Partial<CalibrationOptions> = {},
): CalibrationResult {
  const o = { ...CALIBRATION_DEFAULTS, ...options };
  const n = checkRecord(record);
  if (o.skipSteps >= n)
    throw new DataError('invalid-option', `skipSteps ${o.skipSteps} leaves no rows to fit`);
  const fields = [...new Set(o.fit)];
  const horizon = o.horizonSteps ?? n;
  if (!(Number.isInteger(horizon) && horizon >= 1))
    throw new DataError('invalid-option', `horizonSteps must be a whole number ≥ 1 (got ${o.horizonSteps})`);
  const rmseAt = (p: Rc5r1c, heatGain: number, massStartC: number, h: number) => {
    const sim = simulateRecord(p, heatGain, massStartC, record, h);
    let sq = 0;
    for (let k = o.skipSteps; k < n; k++) sq += (sim[k] - record.indoorC[k]) ** 2;
    return Math.sqrt(sq / (n - o.skipSteps));
  };
  const m = fields.length + 1;
  const unpack = (x: Float64Array) => {
    const p = { ...prior };
    let heatGain = o.heatGain;
    fields.forEach((f, i) => {
      if (f === 'heatGain') heatGain = Math.exp(x[i]);
      else p[f] = Math.exp(x[i]);
    });
    return { p, heatGain, massStartC: x[m - 1] };
  };
  const residuals = (x: Float64Array): Float64Array => {
    const { p, heatGain, massStartC } = unpack(x);
    const sim = simulateRecord(p, heatGain, massStartC, record, horizon);
    const r = new Float64Array(n - o.skipSteps);
    for (let k = o.skipSteps; k < n; k++) r[k - o.skipSteps] = sim[k] - record.indoorC[k];
    return r;
  };
  const sumSq = (r: Float64Array) => r.reduce((s, v) => s + v * v, 0);

  const initial = (start: Partial<Record<CalibratedParameter, number>>) => {
    const x = new Float64Array(m);
    fields.forEach((f, i) => {
      x[i] = Math.log((f === 'heatGain' ? o.heatGain : prior[f]) * (start[f] ?? 1));
    });
    x[m - 1] = record.indoorC[0];
    return x;
  };
  const nr = n - o.skipSteps;
  const jac = new Float64Array(nr * m);

  /** Levenberg–Marquardt from one start: forward-difference Jacobian, Marquardt scaling, λ ÷3 / ×4. */
  const descend = (start: Partial<Record<CalibratedParameter, number>>) => {
    let x = initial(start);
    let r = residuals(x);
    let cost = sumSq(r);
    let lambda = 1e-3;
    let iterations = 0;
    let converged = false;
    while (iterations < o.maxIterations && !converged) {
      iterations++;
      for (let j = 0; j < m; j++) {
        const h = j === m - 1 ? 1e-4 : 1e-6;
        const xj = x.slice();
        xj[j] += h;
        const rj = residuals(xj);
        for (let i = 0; i < nr; i++) jac[i * m + j] = (rj[i] - r[i]) / h;
      }
      const jtj = new Float64Array(m * m);
      const jtr = new Float64Array(m);
      for (let i = 0; i < nr; i++)
        for (let a = 0; a < m; a++) {
          const ja = jac[i * m + a];
          jtr[a] += ja * r[i];
          for (let b = 0; b <= a; b++) jtj[a * m + b] += ja * jac[i * m + b];
        }
      for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) jtj[a * m + b] = jtj[b * m + a];
      let improved = false;
      while (lambda < 1e12) {
        const damped = jtj.slice();
        for (let a = 0; a < m; a++) damped[a * m + a] += lambda * (jtj[a * m + a] + 1e-12);
        const step = solveSpd(
          damped,
          jtr.map((v) => -v),
          m,
        );
        if (step) {
          const xNew = x.map((v, i) => v + step[i]);
          const rNew = residuals(xNew);
          const costNew = sumSq(rNew);
          if (Number.isFinite(costNew) && costNew < cost) {
            converged = (cost - costNew) / cost < 1e-10 || step.every((v) => Math.abs(v) < 1e-9);
            x = xNew;
            r = rNew;
            cost = costNew;
            lambda = Math.max(lambda / 3, 1e-12);
            improved = true;
            break;
          }
        }
        lambda *= 4;
      }
      if (!improved) converged = true;
    }
    return { x, cost, iterations, converged };
  };

  const priorRmseC = Math.sqrt(sumSq(residuals(initial({}))) / nr);
  const runs = (o.starts.length > 0 ? o.starts : [{}]).map(descend);
  const { x, cost, converged } = runs.reduce((a, b) => (b.cost < a.cost ? b : a));
  const iterations = runs.reduce((total, run) => total + run.iterations, 0);
  const { p, heatGain, massStartC } = unpack(x);
  return {
    params: p,
    heatGain,
    massStartC,
    rmseC: Math.sqrt(cost / nr),
    priorRmseC,
    simulationRmseC: rmseAt(p, heatGain, massStartC, n),
    oneStepRmseC: rmseAt(p, heatGain, massStartC, 1),
    htcWPerK: heatTransferCoefficient(p),
    timeConstantH: timeConstantS(p) / 3600,
    iterations,
    converged,
    simulatedC: simulateRecord(p, heatGain, massStartC, record, horizon),
  };
}

/** The 5R1C parameters a measured record calibrates; the rest of the model stays as estimated from geometry. */
export const RECORD_CALIBRATED_PARAMETERS = [
  'hVeWPerK',
  'hTrMsWPerK',
  'hTrEmWPerK',
  'cmJPerK',
  'solarApertureM2',
] as const satisfies readonly CalibratedParameter[];

/**
 * A building's model fitted to a measured record as the API and the viewer do it: day-ahead least squares (the
 * state re-read from the measurement once a day), the first day left out while the start state settles, 40
 * iterations from a few starts. A heating column of unknown unit (`signal`) has its gain fitted too, from more
 * starts, since that surface has more minima.
 */
export function calibrateToRecord(
  prior: Rc5r1c,
  record: MeasuredRecord,
  heatingUnit: 'W' | 'signal',
): CalibrationResult {
  const day = Math.round(86_400 / record.stepS);
  const signal = heatingUnit === 'signal';
  return calibrate(prior, record, {
    fit: signal ? [...RECORD_CALIBRATED_PARAMETERS, 'heatGain'] : [...RECORD_CALIBRATED_PARAMETERS],
    heatGain: signal ? 100 : 1,
    skipSteps: Math.min(day, Math.floor(record.indoorC.length / 4)),
    horizonSteps: day,
    maxIterations: 40,
    starts: signal ? [{}, { heatGain: 0.1 }, { heatGain: 10 }, { cmJPerK: 10 }] : [{}, { cmJPerK: 10 }],
  });
}

/** The parts of a 5R1C model a calibration replaces in a flexibility run (conductances, capacity, aperture). */
export type MeasuredModel = Pick<
  Rc5r1c,
  'hVeWPerK' | 'hTrWWPerK' | 'hTrIsWPerK' | 'hTrMsWPerK' | 'hTrEmWPerK' | 'cmJPerK' | 'solarApertureM2'
>;

/**
 * The calibrated model to plan with. With heating in W the fitted parameters are used as they are. With a heating
 * signal of unknown unit the absolute scale is not identifiable (every conductance, C_m, the aperture and the gain
 * scale together and give the same temperatures), so the fitted model is scaled as a whole to the geometry's heat
 * transfer coefficient: the record fixes the dynamics (τ, the split between paths), the footprint the size.
 */
export function measuredModel(
  prior: Rc5r1c,
  fit: CalibrationResult,
  heatingUnit: 'W' | 'signal',
): { model: MeasuredModel; scaledToGeometry: boolean } {
  const p = fit.params;
  const k = heatingUnit === 'signal' ? heatTransferCoefficient(prior) / heatTransferCoefficient(p) : 1;
  return {
    model: {
      hVeWPerK: p.hVeWPerK * k,
      hTrWWPerK: p.hTrWWPerK * k,
      hTrIsWPerK: p.hTrIsWPerK * k,
      hTrMsWPerK: p.hTrMsWPerK * k,
      hTrEmWPerK: p.hTrEmWPerK * k,
      cmJPerK: p.cmJPerK * k,
      solarApertureM2: p.solarApertureM2 * k,
    },
    scaledToGeometry: heatingUnit === 'signal',
  };
}

import { DataError } from '@placetwin/geo';
import {
  injectedGainsW,
  type Rc5r1c,
  type SteppedModel,
  type StepResult,
  stepLossesW,
  steppedModel,
} from './rc-model';

/** Boundary conditions over a horizon, one value per step (typed arrays of equal length). */
export interface ThermalInputs {
  stepS: number;
  outdoorC: Float64Array;
  /** Internal gains (W). */
  internalW: Float64Array;
  /** Solar gains through the glazing (W). */
  solarW: Float64Array;
}

/** How the plant is run: a given heating power per step, or a thermostat holding a minimum air temperature. */
export type HeatingControl =
  | { kind: 'power'; heatingW: Float64Array }
  | { kind: 'thermostat'; minAirC: Float64Array }
  /** Cooling: each step gets the least cooling (up to the plant's maximum) that holds the air at the set maximum. */
  | { kind: 'cooling-thermostat'; maxAirC: Float64Array };

export interface SimulationResult {
  /** Step-mean air temperature (°C). */
  airC: Float64Array;
  surfaceC: Float64Array;
  /** Step-mean mass temperature (°C). */
  massMeanC: Float64Array;
  /** Mass temperature at the start of each step and after the last (length n + 1). */
  massC: Float64Array;
  /** Heating delivered per step (W, thermal; negative: cooling). */
  heatingW: Float64Array;
  /** Energy terms over the horizon (J): gains + heating = losses + stored. */
  energy: { gainsJ: number; heatingJ: number; lossesJ: number; storedJ: number };
}

/** Checks that the inputs are complete and of one length; names the first bad series. */
export function checkThermalInputs(inputs: ThermalInputs, context = 'thermal inputs'): number {
  const n = inputs.outdoorC.length;
  if (n === 0) throw new DataError('empty-series', `${context}: the horizon has no steps`);
  if (!(inputs.stepS > 0)) throw new DataError('invalid-series', `${context}: the step must be positive`);
  for (const [name, arr] of [
    ['outdoor temperature', inputs.outdoorC],
    ['internal gains', inputs.internalW],
    ['solar gains', inputs.solarW],
  ] as const) {
    if (arr.length !== n)
      throw new DataError('invalid-series', `${context}: ${name} has ${arr.length} steps, expected ${n}`);
    const bad = arr.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new DataError('missing-values', `${context}: ${name} is not a number at step ${bad}`);
  }
  return n;
}

/** The air-temperature rise per W of heating in one step (the same every step for a given model). */
export function heatingGainCPerW(model: SteppedModel): number {
  const zero = { outdoorC: 0, internalW: 0, solarW: 0 };
  return model.step(0, { ...zero, heatingW: 1000 }).airMeanC / 1000;
}

/**
 * Steps the model over the horizon from a start mass temperature. With a thermostat, each step gets the least
 * heating (up to the plant's maximum) that brings the step-mean air temperature to the set minimum: the ISO
 * 13790 §C.4 procedure, exact here because the step is affine in the heating power.
 */
export function simulate(
  params: Rc5r1c,
  inputs: ThermalInputs,
  control: HeatingControl,
  massStartC: number,
): SimulationResult {
  const n = checkThermalInputs(inputs);
  const given =
    control.kind === 'power'
      ? control.heatingW
      : control.kind === 'thermostat'
        ? control.minAirC
        : control.maxAirC;
  if (given.length !== n)
    throw new DataError('invalid-series', `heating control has ${given.length} steps, expected ${n}`);
  const model = steppedModel(params, inputs.stepS);
  const beta = heatingGainCPerW(model);
  const out: SimulationResult = {
    airC: new Float64Array(n),
    surfaceC: new Float64Array(n),
    massMeanC: new Float64Array(n),
    massC: new Float64Array(n + 1),
    heatingW: new Float64Array(n),
    energy: { gainsJ: 0, heatingJ: 0, lossesJ: 0, storedJ: 0 },
  };
  let mass = massStartC;
  out.massC[0] = mass;
  for (let k = 0; k < n; k++) {
    const step = {
      outdoorC: inputs.outdoorC[k],
      internalW: inputs.internalW[k],
      solarW: inputs.solarW[k],
      heatingW: 0,
    };
    let r: StepResult;
    if (control.kind === 'power') {
      step.heatingW = control.heatingW[k];
      r = model.step(mass, step);
    } else if (control.kind === 'thermostat') {
      const free = model.step(mass, step);
      const need = (control.minAirC[k] - free.airMeanC) / beta;
      step.heatingW = Math.min(params.heatingMaxW, Math.max(0, need));
      r = step.heatingW === 0 ? free : model.step(mass, step);
    } else {
      // Cooling with the same plant reversed (a reversible heat pump of the same thermal size).
      const free = model.step(mass, step);
      const need = (free.airMeanC - control.maxAirC[k]) / beta;
      step.heatingW = -Math.min(params.heatingMaxW, Math.max(0, need));
      r = step.heatingW === 0 ? free : model.step(mass, step);
    }
    out.airC[k] = r.airMeanC;
    out.surfaceC[k] = r.surfaceMeanC;
    out.massMeanC[k] = r.massMeanC;
    out.heatingW[k] = step.heatingW;
    out.energy.heatingJ += step.heatingW * inputs.stepS;
    out.energy.gainsJ += (injectedGainsW(params, step) - step.heatingW) * inputs.stepS;
    out.energy.lossesJ += stepLossesW(params, r, step.outdoorC) * inputs.stepS;
    mass = r.massEndC;
    out.massC[k + 1] = mass;
  }
  out.energy.storedJ = params.cmJPerK * (mass - massStartC);
  return out;
}

/**
 * ISO 13790:2008 simple hourly method (§C.3): the 5R1C network. Three temperature nodes, one capacitance.
 *
 *   θe ──Hve── θair ──Htr_is── θs ──Htr_ms── θm ──Htr_em── θe
 *                                └──Htr_w── θe       │ Cm
 *
 * Air and surface nodes carry no heat capacity, so they follow the mass node algebraically; the mass node
 * obeys one linear ODE, Cm dθm/dt = K0 − K1·θm. Inputs are held constant over a step (zero-order hold), so the
 * step is solved exactly: θm(t) = θ∞ + (θm0 − θ∞)·e^(−t/τ), τ = Cm/K1. This replaces the standard's
 * Crank–Nicolson step: it is exact for piecewise-constant inputs (the analytic tests hold to rounding),
 * stable for any step, and the step means of θm, θs and θair are exact, so the energy balance closes.
 */

/** Parameters of a 5R1C model, SI units (W/K, J/K, W, m²). */
export interface Rc5r1c {
  /** Air ↔ outside: ventilation and infiltration, ρ·c·q (W/K). */
  hVeWPerK: number;
  /** Surface ↔ outside through windows and other light elements (W/K). */
  hTrWWPerK: number;
  /** Air ↔ internal surfaces, h_is·A_t (W/K). */
  hTrIsWPerK: number;
  /** Surfaces ↔ thermal mass, h_ms·A_m (W/K). */
  hTrMsWPerK: number;
  /** Thermal mass ↔ outside through opaque elements (W/K). */
  hTrEmWPerK: number;
  /** Internal heat capacity (J/K). */
  cmJPerK: number;
  /** Share of (½ internal + solar) gains into the mass node, A_m/A_t. */
  massGainFraction: number;
  /** Share of (½ internal + solar) gains into the surface node, 1 − A_m/A_t − H_tr,w/(9.1·A_t). */
  surfaceGainFraction: number;
  /** Effective solar aperture: solar gain (W) = this × global horizontal irradiance (W/m²). */
  solarApertureM2: number;
  /** Thermal output of the heating plant at full load (W). */
  heatingMaxW: number;
}

/** Inputs held over one step. */
export interface StepInputs {
  outdoorC: number;
  /** Internal gains: people, lighting, equipment (W). Half goes to the air node, as ISO 13790 §C.2. */
  internalW: number;
  /** Solar gain already through the glazing (W). */
  solarW: number;
  /** Heating delivered to the air node (W), convective. */
  heatingW: number;
}

/** Result of one exact step. */
export interface StepResult {
  /** Mass temperature at the end of the step. */
  massEndC: number;
  /** Step means of the node temperatures. */
  massMeanC: number;
  surfaceMeanC: number;
  airMeanC: number;
}

/** Total steady-state heat transfer coefficient, air to outside (W/K): the parallel paths of the network. */
export function heatTransferCoefficient(p: Rc5r1c): number {
  // Air → outside directly (Hve), or via the surface node, which leaks through Hw and through Hms + Hem.
  const surfaceToOut = p.hTrWWPerK + series(p.hTrMsWPerK, p.hTrEmWPerK);
  return p.hVeWPerK + series(p.hTrIsWPerK, surfaceToOut);
}

/** Free-floating time constant of the mass node (s), all gains zero: τ = Cm / K1. */
export function timeConstantS(p: Rc5r1c): number {
  return p.cmJPerK / networkCoefficients(p).k1;
}

const series = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : (a * b) / (a + b));

interface NetworkCoefficients {
  /** θs = s0 + sm·θm, with s0 from the step's inputs (see solveStep). */
  det: number;
  sm: number;
  k1: number;
}

function networkCoefficients(p: Rc5r1c): NetworkCoefficients {
  const a11 = p.hVeWPerK + p.hTrIsWPerK;
  const a22 = p.hTrIsWPerK + p.hTrWWPerK + p.hTrMsWPerK;
  const det = a11 * a22 - p.hTrIsWPerK * p.hTrIsWPerK;
  const sm = (a11 * p.hTrMsWPerK) / det;
  return { det, sm, k1: p.hTrEmWPerK + p.hTrMsWPerK * (1 - sm) };
}

/**
 * A model prepared for stepping at a fixed step: the constant parts of the exact solution.
 * `step` is pure; the object only caches exp(−Δt/τ).
 */
export interface SteppedModel {
  params: Rc5r1c;
  stepS: number;
  step(massStartC: number, inputs: StepInputs): StepResult;
}

export function steppedModel(params: Rc5r1c, stepS: number): SteppedModel {
  const { det, sm, k1 } = networkCoefficients(params);
  const { hVeWPerK: hve, hTrIsWPerK: his, hTrWWPerK: hw, hTrMsWPerK: hms, hTrEmWPerK: hem } = params;
  const a11 = hve + his;
  const tau = params.cmJPerK / k1;
  const decay = Math.exp(-stepS / tau);
  // Mean over the step of e^(−t/τ), for the exact step means.
  const meanDecay = tau === 0 ? 0 : (tau / stepS) * (1 - decay);
  return {
    params,
    stepS,
    step(massStartC, { outdoorC, internalW, solarW, heatingW }) {
      const shared = 0.5 * internalW + solarW;
      const qAir = 0.5 * internalW + heatingW;
      const qSurface = params.surfaceGainFraction * shared;
      const qMass = params.massGainFraction * shared;
      // Surface and air nodes in terms of the mass node (2×2 solve by Cramer's rule).
      const rhsAir = hve * outdoorC + qAir;
      const s0 = (a11 * (hw * outdoorC + qSurface) + his * rhsAir) / det;
      const k0 = hem * outdoorC + hms * s0 + qMass;
      const massInf = k0 / k1;
      const massEndC = massInf + (massStartC - massInf) * decay;
      const massMeanC = massInf + (massStartC - massInf) * meanDecay;
      const surfaceMeanC = s0 + sm * massMeanC;
      const airMeanC = (rhsAir + his * surfaceMeanC) / a11;
      return { massEndC, massMeanC, surfaceMeanC, airMeanC };
    },
  };
}

/** Heat leaving the building over a step at the given mean node temperatures (W), by path. */
export function stepLossesW(p: Rc5r1c, r: StepResult, outdoorC: number): number {
  return (
    p.hVeWPerK * (r.airMeanC - outdoorC) +
    p.hTrWWPerK * (r.surfaceMeanC - outdoorC) +
    p.hTrEmWPerK * (r.massMeanC - outdoorC)
  );
}

/** Heat the network receives from the step's gains (W): ISO 13790 loses the share H_tr,w/(9.1·A_t) to the glazing. */
export function injectedGainsW(p: Rc5r1c, inputs: StepInputs): number {
  const shared = 0.5 * inputs.internalW + inputs.solarW;
  return 0.5 * inputs.internalW + inputs.heatingW + (p.surfaceGainFraction + p.massGainFraction) * shared;
}

/**
 * The step as an affine map of the start mass temperature and the heating power, for the optimiser:
 * massEnd = a·θm0 + b·u + c and airMean = α·θm0 + β·u + γ. Read off the exact step (it is affine in both).
 */
export interface AffineStep {
  a: number;
  b: number;
  c: number;
  alpha: number;
  beta: number;
  gamma: number;
}

const UNIT_POWER_W = 1000;

export function affineStep(model: SteppedModel, inputs: Omit<StepInputs, 'heatingW'>): AffineStep {
  const r00 = model.step(0, { ...inputs, heatingW: 0 });
  const r10 = model.step(1, { ...inputs, heatingW: 0 });
  const r01 = model.step(0, { ...inputs, heatingW: UNIT_POWER_W });
  return {
    a: r10.massEndC - r00.massEndC,
    b: (r01.massEndC - r00.massEndC) / UNIT_POWER_W,
    c: r00.massEndC,
    alpha: r10.airMeanC - r00.airMeanC,
    beta: (r01.airMeanC - r00.airMeanC) / UNIT_POWER_W,
    gamma: r00.airMeanC,
  };
}

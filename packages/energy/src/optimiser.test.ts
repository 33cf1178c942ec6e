import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPACITY_CLASSES, type CapacityClass } from './archetype';
import type { EnergyBuilding } from './building';
import { peakShift, scheduleProblem } from './flexibility';
import { optimiseSchedule, type ScheduleProblem } from './optimiser';
import { buildingFlexibility, dayConditions } from './portfolio';
import type { Rc5r1c } from './rc-model';
import { gbIntensity2023, lcg, leedsWeather2023 } from './test-support';

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

/** The same LP in HiGHS's sparse form: columns u_0..u_{n-1}, s_0..s_n; rows: dynamics, air band. */
function solveWithHighs(p: ScheduleProblem): number {
  const n = p.c.length;
  const nu = n;
  const numCols = 2 * n + 1;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  for (let k = 0; k < n; k++) {
    colCost[k] = p.weight[k];
    colUpper[k] = p.maxW;
  }
  for (let k = 0; k <= n; k++) {
    colLower[nu + k] = k === 0 ? p.massStartC : k === n ? p.massEndMinC : -highs.infinity;
    colUpper[nu + k] = k === 0 ? p.massStartC : highs.infinity;
  }
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (let k = 0; k < n; k++) {
    indices.push(nu + k + 1, nu + k, k);
    values.push(1, -p.a, -p.b);
    starts.push(indices.length);
    rowLower.push(p.c[k]);
    rowUpper.push(p.c[k]);
  }
  for (let k = 0; k < n; k++) {
    indices.push(nu + k, k);
    values.push(p.alpha, p.beta);
    starts.push(indices.length);
    rowLower.push(p.lowC[k] - p.gamma[k]);
    rowUpper.push(p.highC[k] - p.gamma[k]);
  }
  const numRows = 2 * n;
  return highs.withModel(
    {
      numCols,
      numRows,
      colCost,
      colLower,
      colUpper,
      rowLower: Float64Array.from(rowLower),
      rowUpper: Float64Array.from(rowUpper),
      matrix: {
        format: 'csr',
        numRows,
        numCols,
        starts: Int32Array.from(starts),
        indices: Int32Array.from(indices),
        values: Float64Array.from(values),
      },
    },
    (m) => {
      m.options.set({ output_flag: false });
      m.run();
      expect(m.getModelStatus()).toBe(highs.constants.modelStatus.optimal);
      return m.getObjectiveValue();
    },
  );
}

/**
 * One lumped R–C (the 5R1C limit with air, surfaces and mass tied), exact hourly step by hand:
 * s' = θe + (s − θe)·E + u·(1 − E)/H and the step-mean air temperature θe + (s − θe)·M + u·(1 − M)/H,
 * with E = e^(−Δt/τ) and M = (τ/Δt)(1 − E).
 */
function oneRc(h: number, tauH: number, outdoorC: number) {
  const e = Math.exp(-1 / tauH);
  const m = tauH * (1 - e);
  return {
    e,
    m,
    a: e,
    b: (1 - e) / h,
    c0: outdoorC * (1 - e),
    alpha: m,
    beta: (1 - m) / h,
    g0: outdoorC * (1 - m),
  };
}

describe('optimiseSchedule (exact DP over the horizon)', () => {
  it('finds the hand-worked optimum: hold 19 °C, one pre-heat pulse, coast through the window, reheat', () => {
    const H = 500; // W/K
    const te = 0;
    const { e, m, a, b, c0, alpha, beta, g0 } = oneRc(H, 20, te);
    const n = 16;
    const window = [6, 7, 8];
    const weight = Float64Array.from({ length: n }, (_, k) => (window.includes(k) ? 1001 : 1));
    const problem: ScheduleProblem = {
      a,
      b,
      c: new Float64Array(n).fill(c0),
      alpha,
      beta,
      gamma: new Float64Array(n).fill(g0),
      lowC: new Float64Array(n).fill(19),
      highC: new Float64Array(n).fill(22),
      maxW: 1e6,
      weight,
      massStartC: 19,
      massEndMinC: 19,
    };
    const sol = optimiseSchedule(problem);
    const hold = H * (19 - te); // steady state: the air (= mass) held at 19 °C needs H·ΔT
    for (let k = 0; k < 5; k++) expect(sol.heatingW[k]).toBeCloseTo(hold, 6);
    // Coasting 3 steps from s6 with no heat, the last window step's mean must be 19: s8·M = 19 → s6 = 19/(M·E²).
    const s6 = 19 / (m * e * e);
    const pulse = (H * (s6 - 19 * e)) / (1 - e);
    expect(sol.heatingW[5]).toBeCloseTo(pulse, 4);
    for (const k of window) expect(sol.heatingW[k]).toBeCloseTo(0, 6);
    // After the window the mass (19·E/M... from s9 = 19/M·E⁰·E) is reheated to hold 19 again.
    const s9 = s6 * e * e * e;
    expect(sol.heatingW[9]).toBeCloseTo((19 - s9 * m) / beta / 1, 4);
    expect(sol.massC[6]).toBeCloseTo(s6, 8);
    // The pre-heat stays within the band: step 5's mean air is below 22 °C.
    expect(alpha * 19 + beta * pulse + g0).toBeLessThan(22);
  });

  it('equals HiGHS on 40 LPs built from real Leeds days, random buildings and windows', () => {
    const weather = leedsWeather2023();
    const intensity = gbIntensity2023();
    const rand = lcg(7);
    const classes = Object.keys(CAPACITY_CLASSES) as CapacityClass[];
    const uses = ['residential', 'commercial', 'education', 'civic', 'healthcare'];
    let heated = 0;
    for (let i = 0; i < 40; i++) {
      const day = 4 + Math.floor(rand() * 24);
      const month = [0, 1, 2, 10, 11][Math.floor(rand() * 5)];
      const date = `2023-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const conditions = dayConditions(date, weather, intensity);
      const side = 8 + rand() * 30;
      const building: EnergyBuilding = {
        id: `b${i}`,
        use: uses[i % uses.length],
        footprintAreaM2: side * side,
        perimeterM: 4 * side,
        heightM: 3 + rand() * 9,
        storeys: null,
      };
      const capacityClass = classes[Math.floor(rand() * classes.length)];
      const startMinute = 30 * Math.floor(rand() * 40);
      const options = {
        window: { startMinute, endMinute: Math.min(1440, startMinute + 60 + 30 * Math.floor(rand() * 8)) },
        windowWeight: [2, 10, 1000][i % 3],
        carbonWeight: i % 4 === 0 ? 0.5 : 0,
      };
      const f = buildingFlexibility(building, conditions, options, { capacityClass });
      const { problem: p } = scheduleProblem(
        f.params,
        f.horizon,
        conditions.intensityGPerKwh,
        f.massStartC,
        options,
      );
      const dp = optimiseSchedule(p).objective;
      const lp = solveWithHighs(p);
      expect(Math.abs(dp - lp)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(lp)));
      heated += f.result.baseline.energyKwh > 0 ? 1 : 0;
    }
    // Closed days of mild months need no heat at all; most cases must exercise the optimiser.
    expect(heated).toBeGreaterThan(30);
  });
});

describe('peak shift on real weather', () => {
  const library: EnergyBuilding = {
    id: 'library',
    name: 'Central library',
    use: 'civic',
    attributes: { amenity: 'library', start_date: '1905' },
    footprintAreaM2: 900,
    perimeterM: 130,
    heightM: 10,
    storeys: 2,
  };

  it('never leaves the comfort band, on 28 January days and five capacity classes', () => {
    const weather = leedsWeather2023();
    const intensity = gbIntensity2023();
    for (let d = 4; d <= 31; d += 1) {
      const conditions = dayConditions(`2023-01-${String(d).padStart(2, '0')}`, weather, intensity);
      const capacityClass = (Object.keys(CAPACITY_CLASSES) as CapacityClass[])[d % 5];
      const { result: r } = buildingFlexibility(
        library,
        conditions,
        { windowWeight: 1000 },
        { capacityClass },
      );
      expect(r.shifted.comfortHoursViolated).toBe(0);
      expect(r.baseline.comfortHoursViolated).toBe(0);
      for (let k = 0; k < r.shifted.airC.length; k++) {
        expect(r.shifted.airC[k]).toBeGreaterThanOrEqual(r.lowC[k] - 1e-6);
        expect(r.shifted.airC[k]).toBeLessThanOrEqual(r.highC[k] + 1e-6);
        expect(r.shifted.heatKw[k]).toBeGreaterThanOrEqual(-1e-9);
      }
      // It moves load out of the window, never into it.
      expect(r.kwhShifted).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  it('with no window penalty finds the thermostat: the normal schedule is already the least-energy one', () => {
    const conditions = dayConditions('2023-02-07', leedsWeather2023(), gbIntensity2023());
    const { result: r } = buildingFlexibility(library, conditions, { windowWeight: 0 });
    expect(r.extraKwh).toBeCloseTo(0, 6);
    expect(r.kwhShifted).toBeCloseTo(0, 6);
  });

  it('gives a heavyweight building more flexibility than a lightweight one of the same size (monotonic in Cm)', () => {
    const conditions = dayConditions('2023-01-18', leedsWeather2023(), gbIntensity2023());
    const order: CapacityClass[] = ['very-light', 'light', 'medium', 'heavy', 'very-heavy'];
    const shifted = order.map(
      (capacityClass) =>
        buildingFlexibility(library, conditions, { windowWeight: 1000 }, { capacityClass }).result.kwhShifted,
    );
    for (let i = 1; i < shifted.length; i++) expect(shifted[i]).toBeGreaterThanOrEqual(shifted[i - 1] - 1e-9);
    expect(shifted[3]).toBeGreaterThan(1.2 * shifted[1]);
  });

  it('removes the whole window load of a very heavy building and reports rebound and carbon consistently', () => {
    const conditions = dayConditions('2023-01-18', leedsWeather2023(), gbIntensity2023());
    const { result: r } = buildingFlexibility(
      { ...library, use: 'residential', attributes: {}, storeys: 2 },
      conditions,
      { windowWeight: 1000, comfort: { minC: 19, maxC: 23 } },
      { capacityClass: 'very-heavy' },
    );
    const stepH = 0.5;
    let windowBase = 0;
    for (let k = 0; k < r.inWindow.length; k++)
      if (r.inWindow[k]) windowBase += r.baseline.electricKw[k] * stepH;
    expect(r.kwhShifted).toBeGreaterThan(0);
    expect(r.kwhShifted).toBeLessThanOrEqual(windowBase + 1e-9);
    expect(r.kwRemoved).toBeCloseTo(r.kwhShifted / 3, 9);
    expect(r.preheatKwh - r.kwhShifted + r.reboundKwh).toBeCloseTo(r.extraKwh, 6);
    let carbon = 0;
    for (let k = 0; k < r.inWindow.length; k++)
      carbon +=
        ((r.shifted.electricKw[k] - r.baseline.electricKw[k]) * stepH * conditions.intensityGPerKwh[k]) /
        1000;
    expect(r.carbonDifferenceKg).toBeCloseTo(carbon, 9);
  });

  it('uses the window clock in UK civil time (16:00–19:00 BST is 15:00–18:00 UTC in summer)', () => {
    const conditions = dayConditions('2023-06-14', leedsWeather2023(), gbIntensity2023());
    const { result: r } = buildingFlexibility(library, conditions);
    const first = r.inWindow.indexOf(1);
    expect(new Date(r.startMs + first * 1_800_000).toISOString()).toBe('2023-06-14T15:00:00.000Z');
    expect(r.inWindow.reduce((s, v) => s + v, 0)).toBe(6);
  });
});

describe('peakShift inputs', () => {
  it('is reused unchanged by the portfolio (no hidden state between buildings)', () => {
    const p: Rc5r1c = {
      hVeWPerK: 50,
      hTrWWPerK: 20,
      hTrIsWPerK: 900,
      hTrMsWPerK: 1800,
      hTrEmWPerK: 80,
      cmJPerK: 20e6,
      massGainFraction: 0.5,
      surfaceGainFraction: 0.4,
      solarApertureM2: 2,
      heatingMaxW: 20_000,
    };
    const n = 48;
    const horizon = {
      startMs: Date.UTC(2023, 0, 10),
      stepS: 1800,
      inputs: {
        stepS: 1800,
        outdoorC: new Float64Array(n).fill(2),
        internalW: new Float64Array(n),
        solarW: new Float64Array(n),
      },
      occupied: new Uint8Array(n).fill(1),
      inWindow: Uint8Array.from({ length: n }, (_, k) => (k >= 32 && k < 38 ? 1 : 0)),
      lowC: new Float64Array(n).fill(19),
      highC: new Float64Array(n).fill(22),
    };
    const intensity = new Float64Array(n).fill(150);
    const a = peakShift(p, horizon, intensity, 19);
    const b = peakShift(p, horizon, intensity, 19);
    expect(b.kwhShifted).toBe(a.kwhShifted);
    expect(Array.from(b.shifted.heatKw)).toEqual(Array.from(a.shifted.heatKw));
  });
});

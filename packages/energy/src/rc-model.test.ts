import { describe, expect, it } from 'vitest';
import { describeBuilding, thermalModel } from './building';
import { heatTransferCoefficient, type Rc5r1c, steppedModel, timeConstantS } from './rc-model';
import { sampleSeries } from './series';
import { simulate } from './simulate';
import { leedsWeather2023 } from './test-support';

/** A hand-made network (W/K, J/K) with every path present. */
const NET: Rc5r1c = {
  hVeWPerK: 100,
  hTrWWPerK: 50,
  hTrIsWPerK: 1000,
  hTrMsWPerK: 2000,
  hTrEmWPerK: 200,
  cmJPerK: 50e6,
  massGainFraction: 0.5,
  surfaceGainFraction: 0.4,
  solarApertureM2: 10,
  heatingMaxW: 1e9,
};

/** ISO 13790 eq. C.6–C.8: H_tr,1 = 1/(1/Hve + 1/Htr,is), H_tr,2 = H_tr,1 + H_tr,w, H_tr,3 = 1/(1/H_tr,2 + 1/H_tr,ms). */
function isoH(p: Rc5r1c) {
  const h1 = 1 / (1 / p.hVeWPerK + 1 / p.hTrIsWPerK);
  const h2 = h1 + p.hTrWWPerK;
  const h3 = 1 / (1 / h2 + 1 / p.hTrMsWPerK);
  return { h1, h2, h3 };
}

const constant = (n: number, v: number) => new Float64Array(n).fill(v);

describe('5R1C against analytic solutions', () => {
  it('free-floating decays exponentially with τ = Cm / (H_tr,3 + H_tr,em)', () => {
    const tau = NET.cmJPerK / (isoH(NET).h3 + NET.hTrEmWPerK);
    expect(timeConstantS(NET)).toBeCloseTo(tau, 6);
    const n = 400;
    const outdoor = 5;
    const start = 25;
    const r = simulate(
      NET,
      { stepS: 3600, outdoorC: constant(n, outdoor), internalW: constant(n, 0), solarW: constant(n, 0) },
      { kind: 'power', heatingW: constant(n, 0) },
      start,
    );
    for (let k = 0; k <= n; k += 25)
      expect(r.massC[k]).toBeCloseTo(outdoor + (start - outdoor) * Math.exp((-k * 3600) / tau), 9);
  });

  it('reduces to one R and one C (τ = R·C, 1/e after τ) when air, surface and mass are tied', () => {
    const rc: Rc5r1c = {
      ...NET,
      hVeWPerK: 0,
      hTrWWPerK: 0,
      hTrIsWPerK: 1e9,
      hTrMsWPerK: 1e9,
      hTrEmWPerK: 250,
      cmJPerK: 250 * 36_000,
    };
    // τ = C/H = 36,000 s = 10 h: after 10 hourly steps the excess falls to 1/e, in air as in mass.
    const r = simulate(
      rc,
      { stepS: 3600, outdoorC: constant(10, 0), internalW: constant(10, 0), solarW: constant(10, 0) },
      { kind: 'power', heatingW: constant(10, 0) },
      10,
    );
    expect(r.massC[10]).toBeCloseTo(10 / Math.E, 6);
    // Air mean over the last hour = mass mean over it: 10·e^(−9/10)·(1 − e^(−1/10))·10.
    expect(r.airC[9]).toBeCloseTo(10 * Math.exp(-0.9) * (1 - Math.exp(-0.1)) * 10, 5);
  });

  it('reaches the steady state Q = H·ΔT, with H from the network paths', () => {
    // Hand value: series(Hms, Hem) = 2000·200/2200; + Hw; series with His; + Hve.
    const mass = (2000 * 200) / 2200;
    const h = 100 + (1000 * (50 + mass)) / (1000 + 50 + mass);
    expect(heatTransferCoefficient(NET)).toBeCloseTo(h, 9);
    const n = 2000;
    const q = 4000;
    const r = simulate(
      NET,
      { stepS: 3600, outdoorC: constant(n, -2), internalW: constant(n, 0), solarW: constant(n, 0) },
      { kind: 'power', heatingW: constant(n, q) },
      0,
    );
    expect(r.airC[n - 1] - -2).toBeCloseTo(q / h, 6);
    // And a thermostat holding 20 °C needs exactly H·ΔT once settled.
    const t = simulate(
      NET,
      { stepS: 3600, outdoorC: constant(n, -2), internalW: constant(n, 0), solarW: constant(n, 0) },
      { kind: 'thermostat', minAirC: constant(n, 20) },
      20,
    );
    expect(t.heatingW[n - 1]).toBeCloseTo(h * 22, 4);
  });

  it('builds H_tr,em so that mass coupling in series with it equals the opaque fabric ΣU·A (ISO 13790 §12.2.2)', () => {
    // A 10 m × 10 m, 2-storey office of 1990: walls 40 m × 7 m, 35% glazed; roof and floor 100 m².
    const d = describeBuilding(
      { id: 'box', use: 'commercial', footprintAreaM2: 100, perimeterM: 40, heightM: 7, storeys: 2 },
      { ageBand: '1981-1995' },
    );
    const p = thermalModel(d);
    const walls = 40 * 7;
    const opaque = 0.6 * walls * 0.65 + 0.4 * 100 + 0.6 * 100;
    expect(1 / (1 / p.hTrMsWPerK + 1 / p.hTrEmWPerK)).toBeCloseTo(opaque, 6);
    expect(p.hTrWWPerK).toBeCloseTo(2.8 * walls * 0.35, 9);
    expect(p.hTrMsWPerK).toBeCloseTo(9.1 * 2.5 * 200, 9);
    expect(p.cmJPerK).toBe(165_000 * 200);
    expect(p.hVeWPerK).toBeCloseTo((1200 * 1.0 * 200 * 3) / 3600, 9);
  });

  it('agrees with the standard’s own Crank–Nicolson hourly step to within its discretisation error', () => {
    const w = leedsWeather2023();
    const n = 24 * 14;
    const start = Date.UTC(2023, 0, 9);
    const outdoorC = sampleSeries(w.temperatureC, start, n, 3_600_000, { name: 't' });
    const ghi = sampleSeries(w.ghiWm2, start, n, 3_600_000, { name: 'g' });
    const solarW = ghi.map((g) => g * NET.solarApertureM2);
    const internalW = constant(n, 1500);
    const heatingW = outdoorC.map((_, k) => (k % 24 < 12 ? 8000 : 0));
    const exact = simulate(
      NET,
      { stepS: 3600, outdoorC, internalW, solarW },
      { kind: 'power', heatingW },
      15,
    );
    // ISO 13790 eq. C.4 (φm,tot) and C.5 (θm,t), step 1 h, θsup = θe.
    const { h1, h2, h3 } = isoH(NET);
    let tm = 15;
    let worst = 0;
    for (let k = 0; k < n; k++) {
      const shared = 0.5 * internalW[k] + solarW[k];
      const phiIa = 0.5 * internalW[k] + heatingW[k];
      const phiSt = NET.surfaceGainFraction * shared;
      const phiM = NET.massGainFraction * shared;
      const te = outdoorC[k];
      const phiMTot =
        phiM +
        NET.hTrEmWPerK * te +
        (h3 * (phiSt + NET.hTrWWPerK * te + h1 * (phiIa / NET.hVeWPerK + te))) / h2;
      const c = NET.cmJPerK / 3600;
      tm = (tm * (c - 0.5 * (h3 + NET.hTrEmWPerK)) + phiMTot) / (c + 0.5 * (h3 + NET.hTrEmWPerK));
      worst = Math.max(worst, Math.abs(tm - exact.massC[k + 1]));
    }
    // τ ≈ 83 h ≫ 1 h: the trapezoidal step is second-order accurate, so the two stay within a few hundredths.
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThan(0.05);
  });
});

describe('energy balance', () => {
  it('closes to < 0.1% over a simulated week of real Leeds weather under thermostat control', () => {
    const w = leedsWeather2023();
    const d = describeBuilding({
      id: 'library',
      use: 'civic',
      attributes: { amenity: 'library', start_date: '1905' },
      footprintAreaM2: 600,
      perimeterM: 110,
      heightM: 9,
      storeys: 2,
    });
    const p = thermalModel(d);
    const n = 7 * 48;
    const start = Date.UTC(2023, 1, 6);
    const outdoorC = sampleSeries(w.temperatureC, start, n, 1_800_000, { name: 't' });
    const solarW = sampleSeries(w.ghiWm2, start, n, 1_800_000, { name: 'g' }).map(
      (g) => g * p.solarApertureM2,
    );
    const internalW = outdoorC.map((_, k) => (k % 48 >= 18 && k % 48 < 38 ? 12 : 1) * d.floorAreaM2);
    const minAirC = outdoorC.map((_, k) => (k % 48 >= 18 && k % 48 < 38 ? 20 : 12));
    const r = simulate(p, { stepS: 1800, outdoorC, internalW, solarW }, { kind: 'thermostat', minAirC }, 14);
    const { gainsJ, heatingJ, lossesJ, storedJ } = r.energy;
    expect(heatingJ).toBeGreaterThan(0);
    const imbalance = Math.abs(gainsJ + heatingJ - lossesJ - storedJ) / (gainsJ + heatingJ);
    expect(imbalance).toBeLessThan(1e-3);
    // It is exact in fact (to rounding), because the step means are exact for the affine network.
    expect(imbalance).toBeLessThan(1e-9);
  });

  it('gives the same trajectory whatever the step, as an exact integrator should', () => {
    const model1 = steppedModel(NET, 3600);
    const model4 = steppedModel(NET, 900);
    const inputs = { outdoorC: 3, internalW: 500, solarW: 200, heatingW: 5000 };
    let m4 = 12;
    for (let i = 0; i < 4; i++) m4 = model4.step(m4, inputs).massEndC;
    expect(model1.step(12, inputs).massEndC).toBeCloseTo(m4, 10);
  });
});

import { isDataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import type { Obstacle } from './obstacles';
import { cellCentre } from './raster';
import { buildObstacleIndex, isSunlit, isSunlitExhaustive } from './ray';
import { sunPosition, sunTimes } from './spa';
import { CELL_OPEN, CELL_OUTSIDE, CELL_UNDER_OBSTACLE, sunHoursGrid } from './sun-hours';

// Constructed scenes: open field, wall, courtyard and random boxes have answers that can be worked out
// independently; the real-data run is the benchmark (scripts/bench/solar.bench.ts).
const OAKHAM = { latDeg: 52.6706, lonDeg: -0.7295 };
const rect = (x0: number, y0: number, x1: number, y1: number) =>
  new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1]);
const box = (id: string, x0: number, y0: number, x1: number, y1: number, heightM: number): Obstacle => ({
  id,
  footprint: [[rect(x0, y0, x1, y1)]],
  heightM,
});

/** The Sun over a day as sunHoursGrid samples it: steps from sunrise, direction at each step's midpoint. */
function daySteps(date: string, stepMinutes: number) {
  const t = sunTimes(date, OAKHAM);
  if (!t.sunrise || !t.sunset) throw new Error('no sunrise');
  const out: { sun: ReturnType<typeof sunPosition>; hours: number }[] = [];
  for (let s = t.sunrise.getTime(); s < t.sunset.getTime(); s += stepMinutes * 60_000) {
    const e = Math.min(s + stepMinutes * 60_000, t.sunset.getTime());
    out.push({ sun: sunPosition((s + e) / 2, OAKHAM), hours: (e - s) / 3_600_000 });
  }
  return { steps: out, daylightHours: (t.sunset.getTime() - t.sunrise.getTime()) / 3_600_000 };
}

describe('sunHoursGrid', () => {
  it('gives open ground the whole day from sunrise to sunset', () => {
    const g = sunHoursGrid({
      area: [rect(0, 0, 50, 40)],
      date: '2024-03-21',
      location: OAKHAM,
      obstacles: [],
      gridNorthDeg: 0,
    });
    const t = sunTimes('2024-03-21', OAKHAM);
    const dayHours = ((t.sunset?.getTime() ?? 0) - (t.sunrise?.getTime() ?? 0)) / 3_600_000;
    expect(dayHours).toBeGreaterThan(12.1);
    expect(dayHours).toBeLessThan(12.3);
    expect([g.cols, g.rows]).toEqual([50, 40]);
    expect(g.summary.areaM2).toBe(2000);
    expect(g.summary.daylightHours).toBeCloseTo(dayHours, 9);
    for (const h of g.hours) expect(h).toBeCloseTo(dayHours, 4);
    expect(g.summary.shareAtLeast2h).toBe(1);
    expect(g.steps).toBe(Math.ceil((dayHours * 60) / 10));
    expect(g.date).toBe('2024-03-21');
  });

  it('leaves ground just north of a tall wall without sun in December, and south of it in full sun', () => {
    const g = sunHoursGrid({
      area: [rect(0, -30, 200, 30)],
      date: '2024-12-21',
      location: OAKHAM,
      obstacles: [box('wall', 0, 0, 200, 1, 20)],
      gridNorthDeg: 0,
    });
    const at = (x: number, y: number) =>
      g.hours[Math.floor((y - g.originY) / g.cellM) * g.cols + Math.floor((x - g.originX) / g.cellM)];
    expect(at(100.5, 5.5)).toBe(0);
    expect(at(100.5, -5.5)).toBeCloseTo(g.summary.daylightHours, 4);
    expect(g.summary.daylightHours).toBeLessThan(7.7);
    // The wall's own cells are not open ground.
    expect(g.cellKind[Math.floor((0.5 - g.originY) / g.cellM) * g.cols + 100]).toBe(CELL_UNDER_OBSTACLE);
    expect(g.summary.areaM2).toBe(200 * 60 - 200);
  });

  it.each(['2024-03-21', '2024-06-21'])('matches the analytic answer for a courtyard on %s', (date) => {
    // A 60 m square block, 10 m tall, around a 20 m square courtyard: from a point in the courtyard the Sun is
    // visible exactly when the ray clears the roof edge, i.e. (distance to the inner wall) · tan(e) ≥ 10 m.
    const block: Obstacle = {
      id: 'block',
      footprint: [[rect(-30, -30, 30, 30), rect(-10, -10, 10, 10)]],
      heightM: 10,
    };
    const g = sunHoursGrid({
      area: [rect(-10, -10, 10, 10)],
      date,
      location: OAKHAM,
      obstacles: [block],
      gridNorthDeg: 0,
    });
    const { steps } = daySteps(date, 10);
    let checked = 0;
    g.hours.forEach((hours, i) => {
      if (g.cellKind[i] !== CELL_OPEN) return;
      const [px, py] = cellCentre(g, i);
      let expected = 0;
      for (const { sun, hours: h } of steps) {
        const a = (sun.azimuthDeg * Math.PI) / 180;
        const ux = Math.sin(a);
        const uy = Math.cos(a);
        const toWall = Math.min(
          ux > 0 ? (10 - px) / ux : ux < 0 ? (-10 - px) / ux : Infinity,
          uy > 0 ? (10 - py) / uy : uy < 0 ? (-10 - py) / uy : Infinity,
        );
        if (
          sun.apparentElevationDeg > 0 &&
          toWall * Math.tan((sun.apparentElevationDeg * Math.PI) / 180) >= 10
        )
          expected += h;
      }
      expect(hours).toBeCloseTo(expected, 4);
      checked++;
    });
    expect(checked).toBe(400);
    expect(g.summary.meanHours).toBeGreaterThan(0);
    expect(g.summary.meanHours).toBeLessThan(g.summary.daylightHours);
  });

  it('agrees with ray marching (bucket index) and with the naive every-ray-every-building test', () => {
    // 60 boxes at random, unrounded positions and heights, so that no cell centre sits on a shadow edge.
    let seed = 42;
    const r = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const obstacles = Array.from({ length: 60 }, (_, k) => {
      const x = -20 + r() * 130;
      const y = -20 + r() * 130;
      return box(`b${k}`, x, y, x + 4 + r() * 12, y + 4 + r() * 12, 3 + r() * 25);
    });
    const g = sunHoursGrid({
      area: [rect(0, 0, 90, 90)],
      date: '2024-03-21',
      location: OAKHAM,
      obstacles,
      gridNorthDeg: 0,
    });
    const index = buildObstacleIndex(obstacles, 10);
    const { steps } = daySteps('2024-03-21', 10);
    let compared = 0;
    for (let i = 0; i < g.hours.length; i += 13) {
      if (g.cellKind[i] !== CELL_OPEN) continue;
      const [x, y] = cellCentre(g, i);
      let marched = 0;
      let naive = 0;
      for (const { sun, hours } of steps) {
        if (isSunlit(index, x, y, sun, 0)) marched += hours;
        if (isSunlitExhaustive(index, x, y, sun, 0)) naive += hours;
      }
      expect(marched).toBeCloseTo(naive, 9);
      expect(g.hours[i]).toBeCloseTo(naive, 4);
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
    expect(g.summary.shareAtLeast2h).toBeGreaterThan(0);
    expect(g.summary.shareAtLeast2h).toBeLessThan(1);
  });

  it('is deterministic and marks cells outside the area', () => {
    const input = {
      area: [new Float64Array([0, 0, 40, 0, 0, 40])],
      date: '2024-03-21',
      location: OAKHAM,
      obstacles: [box('a', 10.3, -15.2, 18.9, -3.1, 14)],
      gridNorthDeg: 1.02,
      cellM: 0.5,
      stepMinutes: 5,
    };
    const a = sunHoursGrid(input);
    const b = sunHoursGrid(input);
    expect(Buffer.from(a.hours.buffer).equals(Buffer.from(b.hours.buffer))).toBe(true);
    const outside = a.cellKind.filter((k) => k === CELL_OUTSIDE).length;
    // A right triangle fills half of its bounding square (less the cells its hypotenuse cuts).
    expect(outside / a.cellKind.length).toBeGreaterThan(0.45);
    expect(outside / a.cellKind.length).toBeLessThan(0.55);
    a.cellKind.forEach((k, i) => {
      if (k === CELL_OUTSIDE) expect(Number.isNaN(a.hours[i])).toBe(true);
    });
    expect(a.summary.areaM2).toBeCloseTo(800, -1.5);
  });

  it('counts the whole day in polar day and nothing in polar night', () => {
    const svalbard = { latDeg: 78.22, lonDeg: 15.65 };
    const field = { area: [rect(0, 0, 5, 5)], location: svalbard, obstacles: [], gridNorthDeg: 0 };
    const june = sunHoursGrid({ ...field, date: '2024-06-21' });
    expect(june.sunrise).toBeNull();
    expect(june.summary.meanHours).toBeCloseTo(24, 9);
    const december = sunHoursGrid({ ...field, date: '2024-12-21' });
    expect(december.steps).toBe(0);
    expect(december.summary.meanHours).toBe(0);
    expect(december.summary.shareAtLeast2h).toBe(0);
  });

  it('refuses bad input with a DataError', () => {
    const base = { date: '2024-03-21', location: OAKHAM, obstacles: [], gridNorthDeg: 0 };
    let caught: unknown;
    try {
      sunHoursGrid({ ...base, area: [rect(0, 0, 10, 10)], cellM: 0 });
    } catch (e) {
      caught = e;
    }
    expect(isDataError(caught)).toBe(true);
    expect(() => sunHoursGrid({ ...base, area: [new Float64Array([0, 0, 1, 1])] })).toThrow(/at least 3/);
    expect(() => sunHoursGrid({ ...base, area: [rect(0, 0, 10, 10)], stepMinutes: -5 })).toThrow(
      /stepMinutes/,
    );
  });
});

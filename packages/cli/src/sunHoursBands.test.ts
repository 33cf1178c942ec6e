import {
  bngGridNorthDeg,
  CELL_OUTSIDE,
  type Obstacle,
  type SunHoursGrid,
  sunHoursGrid,
} from '@placetwin/solar';
import { describe, expect, it } from 'vitest';
import { areaStrips, sunHoursInBands } from './sunHoursBands';

// A constructed courtyard in BNG metres near Oakham (four 10 m wings round a 30 m yard), with an L-shaped,
// holed area whose edges are not on the cell lattice: strips must reproduce the one-piece answer cell for cell.
const rect = (x0: number, y0: number, x1: number, y1: number) =>
  new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1]);
const X = 486000;
const Y = 309000;
const wings: Obstacle[] = [
  { id: 'south', footprint: [[rect(X, Y, X + 42, Y + 6)]], heightM: 10 },
  { id: 'north', footprint: [[rect(X, Y + 36, X + 42, Y + 42)]], heightM: 10 },
  { id: 'west', footprint: [[rect(X, Y + 6, X + 6, Y + 36)]], heightM: 10 },
  { id: 'east', footprint: [[rect(X + 36, Y + 6, X + 42, Y + 36)]], heightM: 12, minHeightM: 3 },
];
const oakham = { latDeg: 52.6706, lonDeg: -0.7295 };
const area = [
  new Float64Array([
    X - 20.3,
    Y - 30.7,
    X + 70.2,
    Y - 30.7,
    X + 70.2,
    Y + 10.4,
    X + 30.1,
    Y + 60.6,
    X - 20.3,
    Y + 60.6,
  ]),
  new Float64Array([X - 10.25, Y - 20.75, X - 10.25, Y - 5.5, X + 4.2, Y - 5.5, X + 4.2, Y - 20.75]),
];
const input = {
  area,
  cellM: 1,
  date: '2024-03-21',
  stepMinutes: 15,
  location: oakham,
  obstacles: wings,
  gridNorthDeg: bngGridNorthDeg(oakham.lonDeg, oakham.latDeg),
};

/** Every inside cell of `b` has the same kind and hours in `a`, at the same BNG position. */
function expectSameCells(a: SunHoursGrid, b: SunHoursGrid): number {
  let compared = 0;
  for (let row = 0; row < b.rows; row++)
    for (let col = 0; col < b.cols; col++) {
      const i = row * b.cols + col;
      const ac = col + Math.round((b.originX - a.originX) / a.cellM);
      const ar = row + Math.round((b.originY - a.originY) / a.cellM);
      const inA = ac >= 0 && ar >= 0 && ac < a.cols && ar < a.rows;
      const j = ar * a.cols + ac;
      const kindA = inA ? a.cellKind[j] : CELL_OUTSIDE;
      expect(kindA, `cell ${col},${row}`).toBe(b.cellKind[i]);
      if (b.cellKind[i] !== CELL_OUTSIDE) {
        expect(Object.is(a.hours[j], b.hours[i]) || a.hours[j] === b.hours[i], `hours at ${col},${row}`).toBe(
          true,
        );
        compared++;
      }
    }
  return compared;
}

describe('sunHoursInBands', () => {
  it('cuts the area into strips on cell boundaries', () => {
    const strips = areaStrips(area, 1, 8);
    expect(strips.length).toBeGreaterThanOrEqual(8);
    for (const piece of strips)
      for (let k = 1; k < piece[0].length; k += 2) {
        const y = piece[0][k];
        // Every vertex is either one of the area's or on a whole-metre cut.
        const original = area.some((r) => r.some((v, i) => i % 2 === 1 && v === y));
        expect(original || Number.isInteger(y)).toBe(true);
      }
  });

  it('gives the one-piece answer cell for cell, and the same summary, with progress after each strip', () => {
    const whole = sunHoursGrid(input);
    const progress: [number, number][] = [];
    const banded = sunHoursInBands(input, { maxBands: 7, onProgress: (d, t) => progress.push([d, t]) });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.map((p) => p[0])).toEqual(progress.map((_, i) => i + 1));
    expect(progress.every((p) => p[1] === progress.length)).toBe(true);
    expect([banded.originX, banded.originY, banded.cols, banded.rows]).toEqual([
      whole.originX,
      whole.originY,
      whole.cols,
      whole.rows,
    ]);
    const compared = expectSameCells(banded, whole);
    expect(compared).toBe(whole.cellKind.filter((k) => k !== CELL_OUTSIDE).length);
    expect(banded.summary.areaM2).toBe(whole.summary.areaM2);
    expect(banded.summary.shareAtLeast2h).toBeCloseTo(whole.summary.shareAtLeast2h, 12);
    expect(banded.summary.meanHours).toBeCloseTo(whole.summary.meanHours, 9);
    expect(banded.summary.daylightHours).toBe(whole.summary.daylightHours);
    // The courtyard shades part of the area, and part of it is open: the comparison is not trivial.
    expect(whole.summary.shareAtLeast2h).toBeGreaterThan(0);
    expect(Math.min(...whole.hours.filter((h) => !Number.isNaN(h)))).toBeLessThan(
      whole.summary.daylightHours - 1,
    );
  });

  it('leaves a small area in one piece', () => {
    const small = { ...input, area: [rect(X - 5, Y - 5, X, Y)] };
    let calls = 0;
    const g = sunHoursInBands(small, { onProgress: () => calls++ });
    expect(calls).toBe(1);
    expect(g.summary.areaM2).toBe(sunHoursGrid(small).summary.areaM2);
  });
});

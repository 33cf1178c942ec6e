import { isDataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { compareSunHours } from './compare';
import type { Obstacle } from './obstacles';
import { CELL_OPEN, CELL_UNDER_OBSTACLE, type SunHoursGrid, sunHoursGrid } from './sun-hours';

// A constructed before/after pair (the sample data has no development): a 20 × 15 m garden with its house to the
// north; "after" adds a tall block to its south and a shed standing on the garden itself.
const OAKHAM = { latDeg: 52.6706, lonDeg: -0.7295 };
const rect = (x0: number, y0: number, x1: number, y1: number) =>
  new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1]);
const box = (id: string, x0: number, y0: number, x1: number, y1: number, heightM: number): Obstacle => ({
  id,
  footprint: [[rect(x0, y0, x1, y1)]],
  heightM,
});
const garden = [rect(0, 0, 20, 15)];
const house = box('house', 0, 15, 20, 25, 8);
const assess = (obstacles: Obstacle[], date = '2024-03-21') =>
  sunHoursGrid({ area: garden, date, location: OAKHAM, obstacles, gridNorthDeg: 0 });

/** Open cells with at least 2 h, counted straight from the grid. */
const litCells = (g: SunHoursGrid) =>
  g.hours.reduce((n, h, i) => n + (g.cellKind[i] === CELL_OPEN && h >= 2 - 1e-4 ? 1 : 0), 0);

describe('compareSunHours (constructed before/after pair)', () => {
  const before = assess([house]);
  const after = assess([house, box('terrace', -80, -16, 100, -2, 24), box('shed', 16, 0, 20, 3, 2.5)]);

  it('takes the ratio of the sunlit areas, counts what changed, and fails the 0.8 test', () => {
    const c = compareSunHours(before, after, { areaName: 'garden' });
    expect(c.ratio).toBeCloseTo(litCells(after) / litCells(before), 9);
    expect(c.ratio).toBeLessThan(0.8);
    expect(c.shareAfter).toBeLessThan(c.shareBefore);
    // The shed takes 4 × 3 m of the garden: those cells are built on, not "lost sun".
    expect(c.cells.builtOn).toBe(12);
    expect(c.areaM2Before - c.areaM2After).toBeCloseTo(12, 6);
    let lost = 0;
    for (let i = 0; i < before.hours.length; i++)
      if (
        before.cellKind[i] === CELL_OPEN &&
        after.cellKind[i] === CELL_OPEN &&
        before.hours[i] >= 2 - 1e-4 &&
        after.hours[i] < 2 - 1e-4
      )
        lost++;
    expect(c.cells.lostTwoHours).toBe(lost);
    expect(c.cells.lostTwoHours).toBeGreaterThan(0);
    expect(c.cells.moreSun).toBe(0);
    expect(c.bre209?.meetsGuidance).toBe(false);
    expect(c.bre209?.meetsRatioTest).toBe(false);
    expect(c.sentence).toMatch(/^Does not meet BRE 209 guidance: .* below 0\.8/);
    expect(after.cellKind.filter((k) => k === CELL_UNDER_OBSTACLE).length).toBe(12);
  });

  it('passes when nothing changes (ratio 1)', () => {
    const c = compareSunHours(before, assess([house]));
    expect(c.ratio).toBe(1);
    expect(c.cells).toEqual({ lostTwoHours: 0, builtOn: 0, gainedTwoHours: 0, lessSun: 0, moreSun: 0 });
    expect(c.bre209?.meetsGuidance).toBe(true);
  });

  it('gives the change without a BRE 209 verdict on another day', () => {
    const june = compareSunHours(
      assess([house], '2024-06-21'),
      assess([house, box('b', -40, -14, 60, -4, 30)], '2024-06-21'),
    );
    expect(june.bre209).toBeNull();
    expect(june.ratio).not.toBeNull();
    expect(june.sentence).toMatch(/2024-06-21.*0\.8 test is made for 21 March/);
  });

  it('refuses grids of different areas or days', () => {
    const other = sunHoursGrid({
      area: [rect(0, 0, 25, 15)],
      date: '2024-03-21',
      location: OAKHAM,
      obstacles: [],
      gridNorthDeg: 0,
    });
    for (const [a, b] of [
      [before, other],
      [before, assess([house], '2024-03-22')],
    ] as const) {
      let caught: unknown;
      try {
        compareSunHours(a, b);
      } catch (e) {
        caught = e;
      }
      expect(isDataError(caught)).toBe(true);
    }
  });
});

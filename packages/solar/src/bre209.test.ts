import { isDataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { bre209Amenity } from './bre209';
import type { Obstacle } from './obstacles';
import { sunHoursGrid } from './sun-hours';

// A constructed garden and development: BRE 209 cases need a before/after pair, which the sample data lacks.
const OAKHAM = { latDeg: 52.6706, lonDeg: -0.7295 };
const rect = (x0: number, y0: number, x1: number, y1: number) =>
  new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1]);
const box = (id: string, x0: number, y0: number, x1: number, y1: number, heightM: number): Obstacle => ({
  id,
  footprint: [[rect(x0, y0, x1, y1)]],
  heightM,
});
const garden = [rect(0, 0, 20, 15)];
const house = box('house', 0, 15, 20, 25, 8); // the garden's own house, to its north
const assess = (obstacles: Obstacle[], date = '2024-03-21') =>
  sunHoursGrid({ area: garden, date, location: OAKHAM, obstacles, gridNorthDeg: 0 });

describe('bre209Amenity', () => {
  it('passes a south-facing garden and says so in plain words', () => {
    const before = assess([house]);
    expect(before.summary.shareAtLeast2h).toBeGreaterThan(0.9);
    const r = bre209Amenity(before);
    expect(r.meetsGuidance).toBe(true);
    expect(r.ratio).toBeNull();
    expect(r.sentence).toBe(
      `Meets BRE 209 guidance: ${Math.round(before.summary.shareAtLeast2h * 100)}% of the garden receives at least 2 hours of sunlight on 21 March.`,
    );
  });

  it('fails a tall terrace built just south of the garden: below 50% and below 0.8 of before', () => {
    const before = assess([house]);
    const after = assess([house, box('terrace', -80, -16, 100, -2, 24)]);
    const r = bre209Amenity(before, after);
    expect(r.shareAfter).toBeLessThan(0.5);
    expect(r.meetsTwoHourTest).toBe(false);
    expect(r.ratio).toBeCloseTo(after.summary.shareAtLeast2h / before.summary.shareAtLeast2h, 12);
    expect(r.ratio).toBeLessThan(0.8);
    expect(r.meetsRatioTest).toBe(false);
    expect(r.meetsGuidance).toBe(false);
    expect(r.sentence).toMatch(
      /^Does not meet BRE 209 guidance: with the development only \d+% of the garden/,
    );
    expect(r.sentence).toMatch(/likely to be noticeable\.$/);
  });

  it('passes a low building further south that leaves most of the garden sunlit', () => {
    const r = bre209Amenity(assess([house]), assess([house, box('bungalow', -10, -40, 30, -30, 5)]));
    expect(r.shareAfter).toBeGreaterThanOrEqual(0.5);
    expect(r.meetsGuidance).toBe(true);
    expect(r.sentence).toMatch(/^Meets BRE 209 guidance: with the development \d+% of the garden/);
  });

  it('applies the 0.8 test when the garden falls below half', () => {
    const at = (share: number) => ({ date: '2024-03-21', summary: { areaM2: 300, shareAtLeast2h: share } });
    const small = bre209Amenity(at(0.52), at(0.45));
    expect(small.meetsTwoHourTest).toBe(false);
    expect(small.ratio).toBeCloseTo(0.45 / 0.52, 12);
    expect(small.meetsGuidance).toBe(true);
    expect(small.sentence).toContain('0.87 times its former value');
    // 0.7996 must not be shown as "0.80" beside a failure, nor 49.7% as "50%".
    const edge = bre209Amenity(at(0.6216), at(0.497));
    expect(edge.meetsGuidance).toBe(false);
    expect(edge.sentence).toContain('0.799 times');
    expect(edge.sentence).toContain('only 49.7%');
  });

  it('refuses an assessment made on another day than 21 March', () => {
    let caught: unknown;
    try {
      bre209Amenity(assess([house], '2024-06-21'));
    } catch (e) {
      caught = e;
    }
    expect(isDataError(caught)).toBe(true);
    expect(String(caught)).toMatch(/2024-06-21.*21 March/);
  });
});

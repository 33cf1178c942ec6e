import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUALITY_POLICY,
  MAX_QUALITY_LEVEL,
  median,
  nextQualityLevel,
  QUALITY_LEVELS,
  recentWindow,
  trimSamples,
} from './playbackQuality';

const frames = (ms: number, n: number) => Array.from({ length: n }, () => ms);

describe('nextQualityLevel', () => {
  it('steps down one level when the median frame over 2 s is slower than 50 ms', () => {
    // 25 frames of 80 ms = 2 s of drawing at 12.5 fps.
    expect(nextQualityLevel(frames(80, 25), 0)).toBe(1);
    expect(nextQualityLevel(frames(80, 25), 1)).toBe(2);
    // Already at the lowest level: stays there.
    expect(nextQualityLevel(frames(80, 25), MAX_QUALITY_LEVEL)).toBe(MAX_QUALITY_LEVEL);
  });

  it('decides nothing on less than 2 s of drawing', () => {
    // 24 × 80 ms = 1.92 s: not yet enough evidence, however slow.
    expect(nextQualityLevel(frames(80, 24), 0)).toBe(0);
    expect(nextQualityLevel([], 1)).toBe(1);
  });

  it('uses the median: a few long frames (tiles arriving, a garbage collection) do not step down', () => {
    // 100 frames of 16 ms plus 10 of 400 ms: 5.6 s in all; the last 2 s hold all 10 slow frames (4 s)…
    // so put them first: the window is the most recent 2 s, 125 frames of 16 ms.
    const smooth = [...frames(400, 10), ...frames(16, 125)];
    expect(nextQualityLevel(smooth, 0)).toBe(0);
    // Slow frames interleaved with fast ones, fewer than half of them: the median is the fast one.
    const spiky = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 120 : 30)); // 20 × 120 + 40 × 30 = 3.6 s
    expect(median(recentWindow(spiky, 2000)!)).toBe(30);
    expect(nextQualityLevel(spiky, 0)).toBe(0);
  });

  it('has hysteresis: between 20 and 50 ms it keeps the level it has, in either direction', () => {
    for (const level of [0, 1, 2]) {
      expect(nextQualityLevel(frames(35, 60), level)).toBe(level); // 2.1 s at 35 ms
      expect(nextQualityLevel(frames(50, 40), level)).toBe(level); // exactly 50 ms is not slower than 50
      expect(nextQualityLevel(frames(20, 100), level)).toBe(level); // exactly 20 ms is not faster than 20
    }
  });

  it('steps back up one level when the median is faster than 20 ms', () => {
    expect(nextQualityLevel(frames(15, 140), 2)).toBe(1); // 2.1 s at 15 ms
    expect(nextQualityLevel(frames(15, 140), 1)).toBe(0);
    expect(nextQualityLevel(frames(15, 140), 0)).toBe(0);
  });

  it('looks at the most recent 2 s only: a slow start that has passed does not count', () => {
    const recovered = [...frames(200, 20), ...frames(30, 70)]; // 4 s slow, then 2.1 s at 30 ms
    expect(nextQualityLevel(recovered, 0)).toBe(0);
    const worsened = [...frames(30, 70), ...frames(200, 10)]; // 2.1 s fine, then 2 s at 200 ms
    expect(nextQualityLevel(worsened, 0)).toBe(1);
  });

  it('ignores samples that are not frame times and clamps a level out of range', () => {
    expect(nextQualityLevel([Number.NaN, -5, ...frames(80, 25)], 0)).toBe(1);
    expect(nextQualityLevel(frames(35, 60), 7)).toBe(MAX_QUALITY_LEVEL);
    expect(nextQualityLevel(frames(35, 60), -3)).toBe(0);
  });

  it('follows a stricter policy when given one', () => {
    const strict = { ...DEFAULT_QUALITY_POLICY, slowMs: 30, windowMs: 1000 };
    expect(nextQualityLevel(frames(35, 30), 0, strict)).toBe(1); // 1.05 s at 35 ms
  });
});

describe('quality levels', () => {
  it('give up more at each level and jump instead of flying at the lowest', () => {
    for (let i = 1; i < QUALITY_LEVELS.length; i++) {
      expect(QUALITY_LEVELS[i].resolutionScale).toBeLessThan(QUALITY_LEVELS[i - 1].resolutionScale);
      expect(QUALITY_LEVELS[i].flightSeconds).toBeLessThan(QUALITY_LEVELS[i - 1].flightSeconds);
    }
    expect(QUALITY_LEVELS[0]).toMatchObject({ shadows: true, fxaa: true, lighting: true });
    expect(QUALITY_LEVELS[1]).toMatchObject({ shadows: false, fxaa: false });
    expect(QUALITY_LEVELS[MAX_QUALITY_LEVEL]).toMatchObject({ lighting: false, flightSeconds: 0 });
  });
});

describe('helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('trimSamples keeps the most recent frames covering twice the window', () => {
    const kept = trimSamples(frames(100, 100), 2000); // 10 s of 100 ms frames → the last 4 s
    expect(kept).toHaveLength(40);
    expect(trimSamples(frames(100, 10), 2000)).toHaveLength(10);
  });
});

import { describe, expect, it } from 'vitest';
import {
  cleanRing,
  findRingContact,
  isRingClosed,
  orientPolygon,
  orientRing,
  pointInRing,
  polygonProblem,
  reverseRing,
  segmentContact,
  signedRingArea,
} from './polygon';

// Constructed shapes: these are geometric edge cases (bow-ties, spikes, touching holes) that must be
// pinned exactly; the importers' tests run the same functions over the real sample files.
const ring = (...xy: number[]) => new Float64Array(xy);
const square = ring(0, 0, 10, 0, 10, 10, 0, 10); // counter-clockwise, area 100

describe('signedRingArea', () => {
  it('is positive for counter-clockwise rings and negative for clockwise ones', () => {
    expect(signedRingArea(square)).toBe(100);
    expect(signedRingArea(reverseRing(square))).toBe(-100);
  });

  it('keeps precision for British National Grid sized coordinates', () => {
    const bng = ring(485000.1, 308000.1, 485010.1, 308000.1, 485010.1, 308010.1, 485000.1, 308010.1);
    expect(signedRingArea(bng)).toBeCloseTo(100, 9);
  });

  it('reads x and y of a stride-3 ring', () => {
    expect(signedRingArea(ring(0, 0, 5, 2, 0, 9, 2, 2, 1), 3)).toBe(2);
  });
});

describe('cleanRing', () => {
  it('drops the closing vertex and consecutive duplicates', () => {
    const closed = ring(0, 0, 10, 0, 10, 0, 10, 10, 0, 10, 0, 0);
    expect(isRingClosed(closed)).toBe(true);
    expect(Array.from(cleanRing(closed))).toEqual(Array.from(square));
  });

  it('keeps a vertical edge of a 3D ring (same x, y at two heights)', () => {
    const wall = ring(0, 0, 0, 1, 0, 0, 1, 0, 3, 0, 0, 3, 0, 0, 0);
    expect(Array.from(cleanRing(wall, 3))).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 3, 0, 0, 3]);
  });
});

describe('orientation', () => {
  it('turns the outer ring counter-clockwise and holes clockwise', () => {
    const hole = ring(2, 2, 4, 2, 4, 4, 2, 4); // counter-clockwise, must turn
    const [outer, inner] = orientPolygon([reverseRing(square), hole]);
    expect(signedRingArea(outer)).toBeGreaterThan(0);
    expect(signedRingArea(inner)).toBeLessThan(0);
  });

  it('returns the same array when the ring already runs the asked way', () => {
    expect(orientRing(square, true)).toBe(square);
  });
});

describe('pointInRing', () => {
  it('tells inside from outside', () => {
    expect(pointInRing(5, 5, square)).toBe(true);
    expect(pointInRing(15, 5, square)).toBe(false);
  });
});

describe('segmentContact', () => {
  it('finds a proper crossing and where it is', () => {
    expect(segmentContact(0, 0, 2, 2, 0, 2, 2, 0)).toEqual({ kind: 'crossing', at: [1, 1] });
  });
  it('finds an end touching the other segment', () => {
    expect(segmentContact(0, 0, 2, 0, 1, 0, 1, 5)?.kind).toBe('touch');
  });
  it('finds a collinear overlap and tells it from collinear segments apart or end to end', () => {
    expect(segmentContact(0, 0, 4, 0, 2, 0, 6, 0)?.kind).toBe('overlap');
    expect(segmentContact(0, 0, 4, 0, 4, 0, 6, 0)?.kind).toBe('touch');
    expect(segmentContact(0, 0, 4, 0, 5, 0, 6, 0)).toBeNull();
  });
  it('finds no contact between parallel segments', () => {
    expect(segmentContact(0, 0, 4, 0, 0, 1, 4, 1)).toBeNull();
  });
});

describe('polygonProblem', () => {
  it('accepts a square, a triangle and a square with a hole', () => {
    expect(polygonProblem([square])).toBeNull();
    expect(polygonProblem([ring(0, 0, 1, 0, 0, 1)])).toBeNull();
    expect(polygonProblem([square, ring(2, 2, 2, 4, 4, 4, 4, 2)])).toBeNull();
  });

  it('rejects a bow-tie and says which edges cross', () => {
    const bowTie = ring(0, 0, 10, 10, 10, 0, 0, 10);
    expect(polygonProblem([bowTie])).toMatch(
      /outer ring self-intersects \(crossing of edges 0 and 2 near \(5, 5\)\)/,
    );
  });

  it('rejects a zero-width spike (an edge doubling back)', () => {
    const spike = ring(0, 0, 10, 0, 10, 10, 10, 15, 10, 12, 0, 10);
    expect(findRingContact([spike])).not.toBeNull();
    expect(polygonProblem([spike])).toMatch(/self-intersects/);
  });

  it('rejects a ring that passes twice through the same vertex (a figure of eight)', () => {
    const eight = ring(0, 0, 2, 0, 2, 2, 4, 2, 4, 4, 2, 4, 2, 2, 0, 2);
    expect(findRingContact([eight])?.kind).toBe('touch');
  });

  it('rejects a hole crossing the outer ring but allows one touching it at a single point', () => {
    expect(polygonProblem([square, ring(8, 2, 12, 2, 12, 4, 8, 4)])).toMatch(
      /rings 0 and 1 intersect \(crossing/,
    );
    expect(polygonProblem([square, ring(10, 5, 8, 3, 8, 7)])).toBeNull();
  });

  it('rejects a hole outside its outer ring, degenerate rings and non-finite coordinates', () => {
    expect(polygonProblem([square, ring(20, 20, 20, 22, 22, 22)])).toBe(
      'inner ring 1 lies outside the outer ring',
    );
    // Collinear vertices: every edge is adjacent to the others, so only the doubling back shows.
    expect(polygonProblem([ring(0, 0, 1, 1, 2, 2)])).toMatch(/outer ring self-intersects \(overlap/);
    expect(polygonProblem([ring(0, 0, 1, 1)])).toBe('outer ring has fewer than 3 distinct vertices');
    expect(polygonProblem([ring(0, 0, Number.NaN, 0, 1, 1)])).toBe('outer ring has a non-finite coordinate');
  });

  it('checks a 20,000-vertex ring and finds a crossing between far-apart edges', () => {
    const n = 20_000;
    const circle = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      circle[i * 2] = Math.cos((2 * Math.PI * i) / n) * 1000;
      circle[i * 2 + 1] = Math.sin((2 * Math.PI * i) / n) * 1000;
    }
    expect(polygonProblem([circle])).toBeNull();
    // Pull one vertex out below the circle: its two edges cross the far side of the ring.
    const crossed = circle.slice();
    crossed[2000] = 0;
    crossed[2001] = -2000;
    expect(polygonProblem([crossed])).toMatch(/self-intersects/);
  });
});

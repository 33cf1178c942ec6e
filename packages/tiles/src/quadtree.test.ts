import { describe, expect, it } from 'vitest';
import { MAX_ZOOM, mercator, partition, type QuadCell } from './quadtree';

// Constructed points: clusters, points exactly on cell boundaries and duplicates, which real footprints rarely hit.

function leaves(cell: QuadCell, out: QuadCell[] = []): QuadCell[] {
  if (cell.children.length === 0) out.push(cell);
  for (const c of cell.children) leaves(c, out);
  return out;
}

function nested(cell: QuadCell): boolean {
  return cell.children.every((c) => {
    const dz = c.z - cell.z;
    return dz >= 0 && c.x >> dz === cell.x && c.y >> dz === cell.y && nested(c);
  });
}

describe('mercator', () => {
  it('maps lon/lat to the unit square, y down from the north', () => {
    expect(mercator(0, 0)).toEqual([0.5, 0.5]);
    expect(mercator(-180, 0)[0]).toBe(0);
    expect(mercator(0, 85.05112878)[1]).toBeCloseTo(0, 6);
    expect(mercator(0, 52)[1]).toBeLessThan(0.5);
  });
});

describe('partition', () => {
  const points = new Float64Array(
    Array.from({ length: 500 }, (_, i) => {
      const [x, y] = mercator(-0.75 + (i % 25) * 0.004, 52.6 + Math.floor(i / 25) * 0.003);
      return [x, y];
    }).flat(),
  );
  // Points on the z=1 and z=2 grid lines (lon 0 and ±90, the equator).
  const boundary = new Float64Array([
    ...mercator(0, 0),
    ...mercator(0, 10),
    ...mercator(-90, 0),
    ...mercator(90, -5),
  ]);

  it('puts every point in exactly one cell, none over the budget, cells nested in their parents', () => {
    for (const [pts, max] of [
      [points, 40],
      [points, 1],
      [boundary, 1],
    ] as const) {
      const root = partition(pts, max);
      const ls = leaves(root);
      const all = ls.flatMap((l) => l.items).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: pts.length / 2 }, (_, i) => i));
      expect(ls.every((l) => l.items.length <= max)).toBe(true);
      expect(nested(root)).toBe(true);
      // Every point lies in its cell.
      for (const l of ls) {
        for (const i of l.items) {
          const n = 2 ** l.z;
          expect(Math.min(n - 1, Math.floor(pts[i * 2] * n))).toBe(l.x);
          expect(Math.min(n - 1, Math.floor(pts[i * 2 + 1] * n))).toBe(l.y);
        }
      }
    }
  });

  it('starts at the smallest cell holding every point and collapses single-quadrant cells', () => {
    const root = partition(points, 40);
    expect(root.children.length).toBeGreaterThan(1);
    const check = (c: QuadCell) => {
      expect(c.children.length === 0 || c.children.length > 1).toBe(true);
      c.children.forEach(check);
    };
    check(root);
    expect(partition(new Float64Array(points.subarray(0, 2)), 1).z).toBe(MAX_ZOOM);
  });

  it('chunks points no cell can separate into siblings of at most the budget', () => {
    const same = new Float64Array(Array.from({ length: 7 }, () => mercator(-0.7, 52.6)).flat());
    const root = partition(same, 3);
    expect(root.z).toBe(MAX_ZOOM);
    expect(root.children.map((c) => c.items.length)).toEqual([3, 3, 1]);
  });
});

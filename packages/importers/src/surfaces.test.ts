import { describe, expect, it } from 'vitest';
import { semanticFromOrientation, solidGeometry } from './surfaces';

// Constructed planar rings (stride 3, metres): the orientation rules need exact, known faces.
const ring = (...xyz: number[]) => new Float64Array(xyz);
const identity = (x: number, y: number): [number, number] => [x, y];

describe('semanticFromOrientation', () => {
  it('calls up-facing faces roofs, vertical ones walls and down-facing ones grounds', () => {
    expect(semanticFromOrientation(ring(0, 0, 3, 1, 0, 3, 1, 1, 3))).toBe('roof'); // counter-clockwise from above
    expect(semanticFromOrientation(ring(0, 0, 3, 1, 0, 4, 1, 1, 4))).toBe('roof'); // pitched
    expect(semanticFromOrientation(ring(0, 0, 0, 1, 0, 0, 1, 0, 3))).toBe('wall');
    expect(semanticFromOrientation(ring(0, 0, 0, 1, 1, 0, 1, 0, 0))).toBe('ground'); // clockwise from above
  });
});

describe('solidGeometry', () => {
  it('unions several ground surfaces into one footprint and measures the z range', () => {
    const g = solidGeometry(
      [
        { rings: [ring(0, 0, 10, 0, 5, 10, 5, 5, 10, 5, 0, 10)], semantic: 'ground' },
        { rings: [ring(5, 0, 10, 5, 5, 10, 10, 5, 10, 10, 0, 10)], semantic: 'ground' },
        { rings: [ring(0, 0, 16, 10, 0, 16, 10, 5, 16, 0, 5, 16)], semantic: 'roof' },
      ],
      identity,
    );
    if ('error' in g) throw new Error(g.error);
    expect(g.footprint).toHaveLength(1);
    expect(g.footprint[0][0].length / 2).toBe(4); // the shared edge is gone: a 10 × 5 rectangle
    expect(g).toMatchObject({ minZ: 10, maxZ: 16, footprintFrom: 'ground surfaces' });
    expect(Array.from(g.surfaces[2].rings[0].filter((_, i) => i % 3 === 2))).toEqual([6, 6, 6, 6]);
  });

  it('drops surfaces that collapse to a line and says when nothing is left', () => {
    const line = { rings: [ring(0, 0, 0, 1, 0, 0, 0, 0, 0)], semantic: null };
    expect(solidGeometry([line], identity)).toEqual({
      error: 'no surfaces with at least 3 distinct vertices',
    });
  });
});

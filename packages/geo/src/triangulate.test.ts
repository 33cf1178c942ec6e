import { describe, expect, it } from 'vitest';
import {
  appendExtrudedFootprint,
  appendExtrusion,
  appendPlanarSurface,
  MeshBuilder,
  newellNormal,
  triangulatePolygon,
} from './triangulate';

// Constructed fixtures: small exact shapes whose areas, volumes and triangle counts are known in closed form.

/** A concave "E"-shaped outer ring (12 vertices, counter-clockwise), 30 × 50 m. */
const E_SHAPE = new Float64Array([
  0, 0, 30, 0, 30, 10, 10, 10, 10, 20, 30, 20, 30, 30, 10, 30, 10, 40, 30, 40, 30, 50, 0, 50,
]);
/** Two square holes in the E's spine (clockwise, 2 m and 3 m sides). */
const HOLE_A = new Float64Array([2, 2, 2, 4, 4, 4, 4, 2]);
const HOLE_B = new Float64Array([3, 40, 3, 43, 6, 43, 6, 40]);
const E_AREA = 30 * 50 - 2 * 20 * 10; // 1500 − the two 20 × 10 notches
const POLY_AREA = E_AREA - 4 - 9;

const reverse2 = (r: Float64Array) => {
  const out = new Float64Array(r.length);
  for (let i = 0; i < r.length / 2; i++) {
    out[r.length - 2 - i * 2] = r[i * 2];
    out[r.length - 1 - i * 2] = r[i * 2 + 1];
  }
  return out;
};

function triangleAreas(coords: ArrayLike<number>, stride: number, tris: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let t = 0; t < tris.length; t += 3) {
    const a = tris[t] * stride;
    const b = tris[t + 1] * stride;
    const c = tris[t + 2] * stride;
    out.push(
      ((coords[b] - coords[a]) * (coords[c + 1] - coords[a + 1]) -
        (coords[c] - coords[a]) * (coords[b + 1] - coords[a + 1])) /
        2,
    );
  }
  return out;
}

const flat = (rings: Float64Array[]) => {
  const out = new Float64Array(rings.reduce((s, r) => s + r.length, 0));
  let o = 0;
  for (const r of rings) {
    out.set(r, o);
    o += r.length;
  }
  return out;
};

/** Per triangle: geometric normal (unnormalised), the vertex normal of its first vertex, centroid. */
function faces(mesh: MeshBuilder) {
  const p = mesh.positions();
  const n = mesh.normals();
  const idx = mesh.indices();
  const out: { geo: number[]; normal: number[]; centroid: number[]; area: number }[] = [];
  for (let t = 0; t < idx.length; t += 3) {
    const [a, b, c] = [idx[t] * 3, idx[t + 1] * 3, idx[t + 2] * 3];
    const e1 = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
    const e2 = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
    const geo = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    out.push({
      geo,
      normal: [n[a], n[a + 1], n[a + 2]],
      centroid: [0, 1, 2].map((k) => (p[a + k] + p[b + k] + p[c + k]) / 3),
      area: Math.hypot(geo[0], geo[1], geo[2]) / 2,
    });
  }
  return out;
}

/** Signed volume by the divergence theorem: positive when every face is wound counter-clockwise from outside. */
function signedVolume(mesh: MeshBuilder): number {
  const p = mesh.positions();
  const idx = mesh.indices();
  let v = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const [a, b, c] = [idx[t] * 3, idx[t + 1] * 3, idx[t + 2] * 3];
    v +=
      p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) -
      p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) +
      p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
  }
  return v / 6;
}

function insidePolygon(x: number, y: number, rings: Float64Array[]): boolean {
  let inside = false;
  for (const r of rings) {
    const n = r.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [xi, yi, xj, yj] = [r[i * 2], r[i * 2 + 1], r[j * 2], r[j * 2 + 1]];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

describe('triangulatePolygon', () => {
  it('triangulates a concave polygon with holes into n + 2h − 2 counter-clockwise triangles of the right total area', () => {
    const rings = [E_SHAPE, HOLE_A, HOLE_B];
    const tris = triangulatePolygon(rings);
    const n = (E_SHAPE.length + HOLE_A.length + HOLE_B.length) / 2;
    expect(tris.length / 3).toBe(n + 2 * 2 - 2);
    const areas = triangleAreas(flat(rings), 2, tris);
    expect(areas.every((a) => a > 0)).toBe(true);
    expect(areas.reduce((s, a) => s + a, 0)).toBeCloseTo(POLY_AREA, 9);
  });

  it('returns counter-clockwise triangles whatever the input orientation', () => {
    const rings = [reverse2(E_SHAPE), reverse2(HOLE_A)];
    const tris = triangulatePolygon(rings);
    const areas = triangleAreas(flat(rings), 2, tris);
    expect(areas.every((a) => a > 0)).toBe(true);
    expect(areas.reduce((s, a) => s + a, 0)).toBeCloseTo(E_AREA - 4, 9);
  });

  it('drops slivers wound against the polygon on a self-intersecting (bow-tie) ring', () => {
    const bowTie = new Float64Array([0, 0, 10, 10, 10, 0, 0, 10]);
    const tris = triangulatePolygon([bowTie]);
    const areas = triangleAreas(bowTie, 2, tris);
    expect(areas.every((a) => a > 0)).toBe(true);
  });

  it('gives no triangles, no NaN and no exception for collinear, zero-area and too-short rings', () => {
    expect(triangulatePolygon([new Float64Array([0, 0, 1, 1, 2, 2, 3, 3])]).length).toBe(0);
    expect(triangulatePolygon([new Float64Array([5, 5, 5, 5, 5, 5])]).length).toBe(0);
    expect(triangulatePolygon([new Float64Array([0, 0, 1, 1])]).length).toBe(0);
    expect(triangulatePolygon([]).length).toBe(0);
  });
});

describe('newellNormal', () => {
  it('points up for a counter-clockwise ring, with length twice its area', () => {
    const [nx, ny, nz] = newellNormal(new Float64Array([0, 0, 7, 2, 0, 7, 2, 3, 7, 0, 3, 7]));
    expect([nx, ny]).toEqual([0, 0]);
    expect(nz).toBeCloseTo(2 * 6, 12); // twice the area
  });
});

describe('appendExtrudedFootprint', () => {
  it('builds a closed, outward-wound solid: volume = area × height, roof up, floor down, walls outward', () => {
    const mesh = new MeshBuilder(4);
    const rings = [E_SHAPE, HOLE_A, HOLE_B];
    const added = appendExtrudedFootprint(mesh, rings, 2, 14.5);
    const wallQuads = (E_SHAPE.length + HOLE_A.length + HOLE_B.length) / 2;
    expect(added).toBe(2 * (12 + 4 + 4 + 2 * 2 - 2) + 2 * wallQuads);
    expect(signedVolume(mesh)).toBeCloseTo(POLY_AREA * 12.5, 6);
    for (const f of faces(mesh)) {
      const len = Math.hypot(f.geo[0], f.geo[1], f.geo[2]);
      // The stored normal is unit length and agrees with the winding (counter-clockwise from outside).
      expect(Math.hypot(f.normal[0], f.normal[1], f.normal[2])).toBeCloseTo(1, 6);
      expect((f.geo[0] * f.normal[0] + f.geo[1] * f.normal[1] + f.geo[2] * f.normal[2]) / len).toBeCloseTo(
        1,
        6,
      );
      if (f.normal[2] > 0.5) expect(f.centroid[2]).toBeCloseTo(14.5, 6);
      else if (f.normal[2] < -0.5) expect(f.centroid[2]).toBeCloseTo(2, 6);
      else {
        // A wall: a step along the normal leaves the footprint, a step against it enters it.
        const [x, y] = f.centroid;
        expect(insidePolygon(x + f.normal[0] * 0.01, y + f.normal[1] * 0.01, rings)).toBe(false);
        expect(insidePolygon(x - f.normal[0] * 0.01, y - f.normal[1] * 0.01, rings)).toBe(true);
      }
    }
    expect(mesh.positions().every(Number.isFinite) && mesh.normals().every(Number.isFinite)).toBe(true);
  });

  it('does not depend on input ring orientation, and tolerates a repeated closing vertex', () => {
    const a = new MeshBuilder();
    appendExtrudedFootprint(a, [E_SHAPE, HOLE_A], 0, 10);
    const b = new MeshBuilder();
    const closedReversed = reverse2(E_SHAPE);
    const closed = new Float64Array(closedReversed.length + 2);
    closed.set(closedReversed);
    closed.set(closedReversed.subarray(0, 2), closedReversed.length);
    appendExtrudedFootprint(b, [closed, reverse2(HOLE_A)], 0, 10);
    expect(b.triangleCount).toBe(a.triangleCount);
    expect(signedVolume(b)).toBeCloseTo(signedVolume(a), 6);
    expect(signedVolume(a)).toBeCloseTo((E_AREA - 4) * 10, 6);
  });

  it('omits floor or roof on request', () => {
    const square = new Float64Array([0, 0, 4, 0, 4, 4, 0, 4]);
    const mesh = new MeshBuilder();
    expect(appendExtrudedFootprint(mesh, [square], 0, 3, { floor: false })).toBe(2 + 8);
    expect(faces(mesh).filter((f) => f.normal[2] < -0.5)).toHaveLength(0);
  });

  it('skips degenerate input without NaN or exceptions: collinear ring, zero area, zero height', () => {
    const mesh = new MeshBuilder();
    // Collinear: no caps, but the two sides of the "fence" are valid walls.
    appendExtrudedFootprint(mesh, [new Float64Array([0, 0, 5, 0, 10, 0])], 0, 3);
    expect(faces(mesh).every((f) => Math.abs(f.normal[2]) < 1e-9)).toBe(true);
    const before = mesh.triangleCount;
    expect(appendExtrudedFootprint(mesh, [new Float64Array([1, 1, 1, 1, 1, 1, 1, 1])], 0, 3)).toBe(0);
    expect(appendExtrudedFootprint(mesh, [new Float64Array([0, 0, 1, 0])], 0, 3)).toBe(0);
    // Zero height: caps only (walls would have no normal).
    expect(appendExtrudedFootprint(mesh, [new Float64Array([0, 0, 1, 0, 1, 1])], 2, 2)).toBe(2);
    expect(mesh.triangleCount).toBe(before + 2);
    expect(mesh.positions().every(Number.isFinite) && mesh.normals().every(Number.isFinite)).toBe(true);
  });
});

describe('appendExtrusion', () => {
  it('uses the given bottom and top points, with normals from the actual (tilted) geometry', () => {
    // A box whose "up" leans 10% towards +x, as far from an ENU origin: walls stay planar quads.
    const bottom = new Float64Array([0, 0, 0, 4, 0, 0, 4, 3, 0, 0, 3, 0]);
    const top = bottom.map((v, i) => (i % 3 === 0 ? v + 1 : i % 3 === 2 ? 10 : v));
    const mesh = new MeshBuilder();
    appendExtrusion(mesh, [bottom], [top]);
    expect(signedVolume(mesh)).toBeCloseTo(12 * 10, 6);
    for (const f of faces(mesh)) {
      const len = Math.hypot(f.geo[0], f.geo[1], f.geo[2]);
      expect((f.geo[0] * f.normal[0] + f.geo[1] * f.normal[1] + f.geo[2] * f.normal[2]) / len).toBeCloseTo(
        1,
        6,
      );
    }
  });
});

describe('appendPlanarSurface', () => {
  // A pitched roof plane rising towards +y (counter-clockwise seen from above and outside).
  const roof = new Float64Array([0, 0, 3, 8, 0, 3, 8, 4, 6, 0, 4, 6]);

  it('takes the normal from the ring orientation: counter-clockwise from outside → outward', () => {
    const mesh = new MeshBuilder();
    expect(appendPlanarSurface(mesh, [roof])).toBe(2);
    const fs = faces(mesh);
    for (const f of fs) {
      expect(f.normal[2]).toBeGreaterThan(0);
      expect(f.normal[1]).toBeLessThan(0);
      const len = Math.hypot(f.geo[0], f.geo[1], f.geo[2]);
      expect((f.geo[0] * f.normal[0] + f.geo[1] * f.normal[1] + f.geo[2] * f.normal[2]) / len).toBeCloseTo(
        1,
        6, // normals are stored as float32
      );
    }
    expect(fs.reduce((s, f) => s + f.area, 0)).toBeCloseTo(8 * 5, 9);
    const flipped = new MeshBuilder();
    const rev = new Float64Array([0, 4, 6, 8, 4, 6, 8, 0, 3, 0, 0, 3]);
    appendPlanarSurface(flipped, [rev]);
    expect(faces(flipped).every((f) => f.normal[2] < 0)).toBe(true);
  });

  it('keeps holes and handles vertical walls', () => {
    // A 10 × 6 m wall in the x-z plane facing −y (counter-clockwise seen from −y), with a 2 × 1 m window.
    const wall = new Float64Array([0, 0, 0, 10, 0, 0, 10, 0, 6, 0, 0, 6]);
    const window = new Float64Array([2, 0, 2, 2, 0, 3, 4, 0, 3, 4, 0, 2]);
    const mesh = new MeshBuilder();
    expect(appendPlanarSurface(mesh, [wall, window])).toBe(8 + 2 * 1 - 2);
    const fs = faces(mesh);
    expect(fs.every((f) => f.normal[1] < -0.999)).toBe(true);
    expect(fs.reduce((s, f) => s + f.area, 0)).toBeCloseTo(60 - 2, 9);
  });

  it('skips degenerate surfaces without NaN', () => {
    const mesh = new MeshBuilder();
    expect(appendPlanarSurface(mesh, [new Float64Array([0, 0, 0, 1, 1, 1, 2, 2, 2])])).toBe(0);
    expect(appendPlanarSurface(mesh, [new Float64Array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])])).toBe(0);
    expect(appendPlanarSurface(mesh, [])).toBe(0);
    expect(mesh.vertexCount).toBe(0);
  });
});

describe('MeshBuilder', () => {
  it('adds a triangle only when it has area and faces the given normal', () => {
    const mesh = new MeshBuilder();
    for (const [x, y] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [2, 0],
    ]) {
      mesh.addVertex(x, y, 0, 0, 0, 1);
    }
    expect(mesh.addFacingTriangle(0, 1, 2, 0, 0, 1)).toBe(true);
    expect(mesh.addFacingTriangle(0, 2, 1, 0, 0, 1)).toBe(false); // clockwise seen from +z
    expect(mesh.addFacingTriangle(0, 1, 3, 0, 0, 1)).toBe(false); // collinear
    expect(mesh.addFacingTriangle(0, 2, 1, 0, 0, -1)).toBe(true); // counter-clockwise seen from −z
    expect(Array.from(mesh.indices())).toEqual([0, 1, 2, 0, 2, 1]);
  });

  it('grows past its initial capacity without losing data', () => {
    const mesh = new MeshBuilder(1);
    for (let i = 0; i < 100; i++) mesh.addVertex(i, -i, i / 2, 0, 0, 1);
    for (let i = 0; i < 98; i++) mesh.addTriangle(i, i + 1, i + 2);
    expect(mesh.vertexCount).toBe(100);
    expect(Array.from(mesh.positions().subarray(297, 300))).toEqual([99, -99, 49.5]);
    expect(Array.from(mesh.indices().subarray(291, 294))).toEqual([97, 98, 99]);
  });
});

import { isDataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { bngGridNorthDeg, type Obstacle } from './obstacles';
import { buildObstacleIndex, isSunlitExhaustive } from './ray';
import { shadowFootprints } from './shadows';
import { sunPosition } from './spa';

// Constructed prisms: the analytic cases (boxes, an L, a courtyard) have known shadows that real data lacks.
const rect = (x0: number, y0: number, x1: number, y1: number) =>
  new Float64Array([x0, y0, x1, y0, x1, y1, x0, y1]);
const box = (
  id: string,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  heightM: number,
  minHeightM = 0,
): Obstacle => ({
  id,
  footprint: [[rect(x0, y0, x1, y1)]],
  heightM,
  minHeightM,
});

function ringArea(ring: [number, number][]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}
const area = (mp: [number, number][][][]) =>
  mp.reduce(
    (s, poly) =>
      s + Math.abs(ringArea(poly[0])) - poly.slice(1).reduce((h, r) => h + Math.abs(ringArea(r)), 0),
    0,
  );

function bounds(mp: [number, number][][][]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of mp)
    for (const ring of poly)
      for (const [x, y] of ring) {
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
      }
  return b;
}

function inside(mp: [number, number][][][], x: number, y: number): boolean {
  let c = false;
  for (const poly of mp)
    for (const ring of poly)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
      }
  return c;
}

const ENU = { gridNorthDeg: 0 };

describe('shadowFootprints', () => {
  it('casts a box of height h a shadow h / tan(elevation) long, away from the Sun', () => {
    const s = shadowFootprints(
      [box('b', 0, 0, 10, 10, 20)],
      { azimuthDeg: 180, apparentElevationDeg: 45 },
      ENU,
    );
    expect(s.sunAboveHorizon).toBe(true);
    expect(s.lengthPerHeightM).toBeCloseTo(1, 12);
    expect(s.bearingDeg).toBeCloseTo(0, 12);
    expect(s.geometry.coordinates).toHaveLength(1);
    expect(area(s.geometry.coordinates)).toBeCloseTo(10 * 30, 6);
    expect(bounds(s.geometry.coordinates).map((v) => Number(v.toFixed(9)) + 0)).toEqual([0, 0, 10, 30]);
  });

  it.each([
    [135, 30],
    [225, 60],
    [90, 15],
    [200, 8],
    [300, 40],
  ])(
    'matches the Minkowski sum of a square and the shadow vector (Sun at azimuth %i°, elevation %i°)',
    (az, el) => {
      const h = 12;
      const w = 10;
      const s = shadowFootprints(
        [box('b', 0, 0, w, w, h)],
        { azimuthDeg: az, apparentElevationDeg: el },
        ENU,
      );
      const length = h / Math.tan((el * Math.PI) / 180);
      const bearing = ((az + 180) * Math.PI) / 180;
      const vx = length * Math.sin(bearing);
      const vy = length * Math.cos(bearing);
      // Area of a square swept along v: w² + w·(|vx| + |vy|).
      expect(area(s.geometry.coordinates)).toBeCloseTo(w * w + w * (Math.abs(vx) + Math.abs(vy)), 6);
      const [x0, y0, x1, y1] = bounds(s.geometry.coordinates);
      expect(x0).toBeCloseTo(Math.min(0, vx), 6);
      expect(x1).toBeCloseTo(Math.max(w, w + vx), 6);
      expect(y0).toBeCloseTo(Math.min(0, vy), 6);
      expect(y1).toBeCloseTo(Math.max(w, w + vy), 6);
    },
  );

  it('detaches the shadow of an elevated prism (a canopy from 10 to 20 m) from its footprint', () => {
    const s = shadowFootprints(
      [box('c', 0, 0, 10, 10, 20, 10)],
      { azimuthDeg: 180, apparentElevationDeg: 45 },
      ENU,
    );
    expect(area(s.geometry.coordinates)).toBeCloseTo(10 * 20, 6);
    expect(bounds(s.geometry.coordinates).map((v) => Number(v.toFixed(9)) + 0)).toEqual([0, 10, 10, 30]);
  });

  it('unions overlapping shadows into one polygon and keeps separate ones apart', () => {
    const sun = { azimuthDeg: 180, apparentElevationDeg: 45 };
    const overlapping = shadowFootprints([box('a', 0, 0, 10, 10, 20), box('b', 0, 20, 10, 25, 5)], sun, ENU);
    expect(overlapping.geometry.coordinates).toHaveLength(1);
    expect(area(overlapping.geometry.coordinates)).toBeCloseTo(10 * 30, 6);
    const apart = shadowFootprints([box('a', 0, 0, 10, 10, 20), box('b', 50, 0, 60, 10, 5)], sun, ENU);
    expect(apart.geometry.coordinates).toHaveLength(2);
    expect(area(apart.geometry.coordinates)).toBeCloseTo(300 + 150, 6);
  });

  it('agrees with a ray test from the ground for concave and courtyard footprints', () => {
    const lShape: Obstacle = {
      id: 'L',
      footprint: [[new Float64Array([0, 0, 30, 0, 30, 8, 8, 8, 8, 30, 0, 30])]],
      heightM: 9,
    };
    const courtyard: Obstacle = {
      id: 'court',
      footprint: [[rect(50, 0, 90, 40), rect(60, 10, 80, 30)]],
      heightM: 7.5,
    };
    const index = buildObstacleIndex([lShape, courtyard]);
    for (const sun of [
      { azimuthDeg: 160, apparentElevationDeg: 25 },
      { azimuthDeg: 250, apparentElevationDeg: 12 },
      { azimuthDeg: 95, apparentElevationDeg: 35 },
    ]) {
      const s = shadowFootprints([lShape, courtyard], sun, ENU);
      let shaded = 0;
      // A 0.73 m lattice offset from the geometry so that no sample sits on a shadow edge.
      for (let x = -60.13; x < 150; x += 0.73)
        for (let y = -60.29; y < 100; y += 0.73) {
          const inShadow = inside(s.geometry.coordinates, x, y);
          expect(inShadow).toBe(!isSunlitExhaustive(index, x, y, sun, 0));
          if (inShadow) shaded++;
        }
      expect(shaded).toBeGreaterThan(1000);
    }
  });

  it('follows the real Sun over Oakham, turned into British National Grid bearings', () => {
    const oakham = { latDeg: 52.6706, lonDeg: -0.7295 };
    const sun = sunPosition('2024-03-21T09:00:00Z', oakham);
    const gridNorthDeg = bngGridNorthDeg(oakham.lonDeg, oakham.latDeg);
    expect(gridNorthDeg).toBeGreaterThan(0.95);
    expect(gridNorthDeg).toBeLessThan(1.1);
    // A 1 m × 1 m post, 10 m tall: the shadow's far corner lies 10 / tan(elevation) along azimuth + 180°.
    const s = shadowFootprints([box('post', 486000, 308600, 486001, 308601, 10)], sun, { gridNorthDeg });
    const length = 10 / Math.tan((sun.apparentElevationDeg * Math.PI) / 180);
    const bearing = ((sun.azimuthDeg + 180 - gridNorthDeg) * Math.PI) / 180;
    expect(s.bearingDeg).toBeCloseTo((sun.azimuthDeg + 180 - gridNorthDeg) % 360, 9);
    const [x0, y0] = bounds(s.geometry.coordinates);
    // Morning sun in the south-east: the shadow runs north-west, so its far corner is the minimum x, maximum y.
    expect(x0).toBeCloseTo(486000 + length * Math.sin(bearing), 6);
    expect(bounds(s.geometry.coordinates)[3]).toBeCloseTo(308601 + length * Math.cos(bearing), 6);
    expect(y0).toBeCloseTo(308600, 6);
  });

  it('says when the Sun is down instead of drawing endless shadows', () => {
    const s = shadowFootprints(
      [box('b', 0, 0, 10, 10, 20)],
      { azimuthDeg: 0, apparentElevationDeg: -3 },
      ENU,
    );
    expect(s.sunAboveHorizon).toBe(false);
    expect(s.geometry.coordinates).toEqual([]);
  });

  it('names the obstacle and the file in a DataError for bad input', () => {
    let caught: unknown;
    try {
      shadowFootprints(
        [box('w123', 0, 0, 10, 10, -4)],
        { azimuthDeg: 180, apparentElevationDeg: 30 },
        {
          gridNorthDeg: 0,
          source: 'oakham.osm.pbf',
        },
      );
    } catch (e) {
      caught = e;
    }
    expect(isDataError(caught)).toBe(true);
    expect(String(caught)).toMatch(/oakham\.osm\.pbf, feature w123: heightM -4/);
    const sliver: Obstacle = { id: 'w9', footprint: [[new Float64Array([0, 0, 1, 1])]], heightM: 3 };
    expect(() => shadowFootprints([sliver], { azimuthDeg: 180, apparentElevationDeg: 30 }, ENU)).toThrow(
      /fewer than 3/,
    );
  });
});

import {
  apply,
  checkChangeShape,
  footprintFromGeoJson,
  localFrame,
  rotateFootprint,
  validateChanges,
} from '@placetwin/scenario';
import { describe, expect, it } from 'vitest';
import {
  bearingDeg,
  footprintCentroid,
  metresPerDegree,
  midpointHandles,
  nearestHandle,
  openRing,
  reshapeChange,
  ringSelfIntersects,
  rotatedFootprint,
  turnChange,
  turnFromDrag,
  turnHandleAt,
  vertexHandles,
  withVertexDeleted,
  withVertexInserted,
  withVertexMoved,
} from './footprintEdit';
import type { FootprintJson } from './scenario';
import type { LonLat } from './sunHours';

// Travis Perkins, Station Approach, Oakham (OSM way 178280261, as the buildings endpoint gives it: closed ring).
const TP: FootprintJson = {
  type: 'Polygon',
  coordinates: [
    [
      [-0.7333835, 52.6736436],
      [-0.73343, 52.6732141],
      [-0.7332346, 52.6732063],
      [-0.733188, 52.6736358],
      [-0.7333835, 52.6736436],
    ],
  ],
};
const EXTENT = { extent: [-0.75, 52.66, -0.72, 52.68] as [number, number, number, number] };
const f = localFrame(-0.7333, 52.6734);
const metres = (a: LonLat, b: LonLat) =>
  Math.hypot((b[0] - a[0]) * f.mPerDegLon, (b[1] - a[1]) * f.mPerDegLat);
/** The building as the scenario's baseline (added by a first change, so the package can replay a modify of it). */
const add = { op: 'add', id: 'new/tp', footprint: TP, use: 'retail', storeys: 2 } as const;

describe('vertex editing', () => {
  it('lists the corners once each (not the closing repeat) and the middle of each edge', () => {
    const v = vertexHandles(TP);
    expect(v).toHaveLength(4);
    expect(v[3]).toEqual({ polygon: 0, ring: 0, index: 3, at: [-0.733188, 52.6736358] });
    const m = midpointHandles(TP);
    expect(m).toHaveLength(4);
    // The last edge closes the ring: from corner 3 back to corner 0.
    expect(m[3].at[0]).toBeCloseTo((-0.733188 + -0.7333835) / 2, 10);
    expect(m[3].at[1]).toBeCloseTo((52.6736358 + 52.6736436) / 2, 10);
  });

  it('moves one corner 8 m west and leaves the others; the package accepts it as a modify', () => {
    const sw = TP.coordinates[0][1] as LonLat;
    const to: LonLat = [sw[0] - 8 / f.mPerDegLon, sw[1]];
    const moved = withVertexMoved(TP, { polygon: 0, ring: 0, index: 1 }, to);
    const ring = moved.coordinates[0] as LonLat[];
    expect(ring).toHaveLength(5);
    expect(ring[4]).toEqual(ring[0]); // still closed
    expect(metres(ring[1], sw)).toBeCloseTo(8, 3);
    for (const k of [0, 2, 3]) expect(ring[k]).toEqual(TP.coordinates[0][k]);
    expect(TP.coordinates[0][1]).toEqual(sw); // the input is not changed
    const change = reshapeChange('new/tp', moved);
    expect(checkChangeShape(change, 0).issues).toEqual([]);
    expect(validateChanges([], [add, change], EXTENT)).toEqual([]);
    const [b] = apply([], [add as never, change as never], EXTENT).buildings;
    expect(b.footprint[0][0]).toHaveLength(8); // four corners
  });

  it('moving the first corner moves the closing repeat with it', () => {
    const moved = withVertexMoved(TP, { polygon: 0, ring: 0, index: 0 }, [-0.7334, 52.67365]);
    const ring = moved.coordinates[0] as LonLat[];
    expect(ring[0]).toEqual([-0.7334, 52.67365]);
    expect(ring[4]).toEqual([-0.7334, 52.67365]);
  });

  it('inserts a corner after the edge’s start and deletes one, keeping at least three', () => {
    const mid = midpointHandles(TP)[1];
    const five = withVertexInserted(TP, mid, mid.at);
    expect(openRing(five.coordinates[0] as LonLat[])).toHaveLength(5);
    expect(five.coordinates[0][2]).toEqual(mid.at);
    expect(validateChanges([], [add, reshapeChange('new/tp', five)], EXTENT)).toEqual([]);
    const back = withVertexDeleted(five, { polygon: 0, ring: 0, index: 2 });
    expect(back).toEqual(TP);
    const tri = withVertexDeleted(TP, { polygon: 0, ring: 0, index: 3 });
    if (typeof tri === 'string') throw new Error(tri);
    expect(openRing(tri.coordinates[0] as LonLat[])).toHaveLength(3);
    expect(withVertexDeleted(tri, { polygon: 0, ring: 0, index: 0 })).toMatch(/at least 3 corners/);
  });

  it('edits a MultiPolygon’s second polygon and an open ring in place', () => {
    const multi: FootprintJson = {
      type: 'MultiPolygon',
      coordinates: [
        TP.coordinates,
        [
          [
            [0, 0],
            [1, 0],
            [0, 1],
          ],
        ],
      ],
    };
    const v = vertexHandles(multi);
    expect(v).toHaveLength(7);
    const moved = withVertexMoved(multi, v[5], [2, 0]);
    expect(moved).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        TP.coordinates,
        [
          [
            [0, 0],
            [2, 0],
            [0, 1],
          ],
        ],
      ],
    });
  });

  it('finds the handle nearest the pointer within the grab distance', () => {
    const screen = [{ x: 10, y: 10 }, null, { x: 30, y: 10 }, { x: 18, y: 10 }];
    expect(nearestHandle(screen, { x: 16, y: 12 }, 12)).toBe(3);
    expect(nearestHandle(screen, { x: 29, y: 11 }, 12)).toBe(2);
    expect(nearestHandle(screen, { x: 100, y: 100 }, 12)).toBe(-1);
  });

  it('knows a self-intersecting ring, which the package refuses too', () => {
    expect(ringSelfIntersects(TP.coordinates[0] as LonLat[])).toBe(false);
    // The south-west corner dragged past the east edge: the west and south edges now cross the others.
    const bow = withVertexMoved(TP, { polygon: 0, ring: 0, index: 1 }, [-0.73315, 52.6734]);
    expect(ringSelfIntersects(bow.coordinates[0] as LonLat[])).toBe(true);
    expect('problem' in footprintFromGeoJson(bow)).toBe(true);
    expect(validateChanges([], [add, reshapeChange('new/tp', bow)], EXTENT)).not.toEqual([]);
  });
});

describe('turning by a drag', () => {
  it('uses the package’s metres per degree', () => {
    const m = metresPerDegree(52.6734);
    expect(m.lon).toBeCloseTo(f.mPerDegLon, 6);
    expect(m.lat).toBeCloseTo(f.mPerDegLat, 6);
  });

  it('finds the area centroid of a footprint', () => {
    // A 20 × 10 m rectangle plus a 10 × 10 m square on its east half's north side (an L): centroid by areas.
    const at = (e: number, n: number): LonLat => [f.lon0 + e / f.mPerDegLon, f.lat0 + n / f.mPerDegLat];
    const l: FootprintJson = {
      type: 'Polygon',
      coordinates: [[at(0, 0), at(20, 0), at(20, 20), at(10, 20), at(10, 10), at(0, 10), at(0, 0)]],
    };
    // Rectangle 200 m² centred (10, 5), square 100 m² centred (15, 15): (35/3, 25/3).
    const c = footprintCentroid(l);
    expect((c[0] - f.lon0) * f.mPerDegLon).toBeCloseTo(35 / 3, 3);
    expect((c[1] - f.lat0) * f.mPerDegLat).toBeCloseTo(25 / 3, 3);
  });

  it('reads bearings clockwise from north and a drag around the centre as a turn', () => {
    const c: LonLat = [f.lon0, f.lat0];
    const north: LonLat = [c[0], c[1] + 10 / f.mPerDegLat];
    const east: LonLat = [c[0] + 10 / f.mPerDegLon, c[1]];
    const west: LonLat = [c[0] - 10 / f.mPerDegLon, c[1]];
    expect(bearingDeg(c, north)).toBeCloseTo(0, 9);
    expect(bearingDeg(c, east)).toBeCloseTo(90, 9);
    expect(bearingDeg(c, west)).toBeCloseTo(270, 9);
    expect(turnFromDrag(c, north, east)).toBe(90);
    expect(turnFromDrag(c, north, west)).toBe(-90);
    expect(turnFromDrag(c, west, north)).toBe(90); // across north: 270 → 0 is +90, not −270
    const ne30: LonLat = [
      c[0] + (10 * Math.sin(Math.PI / 6)) / f.mPerDegLon,
      c[1] + (10 * Math.cos(Math.PI / 6)) / f.mPerDegLat,
    ];
    expect(turnFromDrag(c, north, ne30)).toBe(30);
    expect(turnFromDrag(c, north, ne30, 15)).toBe(30);
    expect(turnFromDrag(c, north, ne30, 45)).toBe(45);
    expect(turnFromDrag(c, north, north)).toBe(0);
    expect(Object.is(turnFromDrag(c, north, [c[0] - 1e-9, c[1] + 10 / f.mPerDegLat]), -0)).toBe(false);
  });

  it('turns a footprint as the package does, and sends the turn about the centroid', () => {
    const about = footprintCentroid(TP);
    const turned = rotatedFootprint(TP, 30, about);
    const [packaged] = (() => {
      const parsed = footprintFromGeoJson(TP);
      if ('problem' in parsed) throw new Error(parsed.problem);
      return rotateFootprint(parsed.footprint, 30, about);
    })();
    // Same corners (the package stores them open and counter-clockwise; TP is counter-clockwise already).
    const ours = openRing(turned.coordinates[0] as LonLat[]);
    const theirs = Array.from(
      { length: packaged[0].length / 2 },
      (_, i) => [packaged[0][2 * i], packaged[0][2 * i + 1]] as LonLat,
    );
    for (const p of ours) expect(Math.min(...theirs.map((q) => metres(p, q)))).toBeLessThan(1e-6);
    // Every corner keeps its distance from the centre.
    for (const [i, p] of openRing(TP.coordinates[0] as LonLat[]).entries())
      expect(metres(ours[i], about)).toBeCloseTo(metres(p, about), 4);
    const change = turnChange('new/tp', 30, about);
    expect(change).toEqual({ op: 'modify', id: 'new/tp', rotationDeg: 30, rotateAbout: about });
    expect(change && checkChangeShape(change, 0).issues).toEqual([]);
    expect(turnChange('new/tp', 0, about)).toBeNull();
    const [b] = apply([], [add as never, change as never], EXTENT).buildings;
    const stored = Array.from(
      { length: b.footprint[0][0].length / 2 },
      (_, i) => [b.footprint[0][0][2 * i], b.footprint[0][0][2 * i + 1]] as LonLat,
    );
    for (const p of ours) expect(Math.min(...stored.map((q) => metres(p, q)))).toBeLessThan(0.01);
  });

  it('puts the turn handle beyond the farthest corner, on the bearing asked', () => {
    const c = footprintCentroid(TP);
    const reach = Math.max(...openRing(TP.coordinates[0] as LonLat[]).map((p) => metres(p, c)));
    const h = turnHandleAt(TP, c);
    expect(metres(h, c)).toBeGreaterThan(reach + 5.9);
    expect(bearingDeg(c, h)).toBeCloseTo(0, 6);
    expect(bearingDeg(c, turnHandleAt(TP, c, 90))).toBeCloseTo(90, 6);
  });
});

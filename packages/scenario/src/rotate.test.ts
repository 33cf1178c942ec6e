/**
 * Moving and turning buildings in a scenario: `translateFootprint` (what the viewer sends as a `modify` with the
 * moved footprint) and `rotationDeg` / `rotateAbout` on `add` and `modify`, applied by the pure `apply`, over the
 * real Rutland baseline (open ground north-west of Oakham station, as the other apply tests use).
 */
import type { BBox, MultiPolygon2 } from '@placetwin/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply, validateChanges } from './apply';
import {
  footprintAreaM2,
  footprintBBox,
  footprintCentre,
  footprintFromGeoJson,
  footprintToGeoJson,
  localFrame,
  rotateFootprint,
  translateFootprint,
} from './footprint';
import { massingChanges, placeLocalBlocks } from './massing';
import { extentOf, OAKHAM_STATION, rectangle, rutlandBaseline } from './test-support';
import type { Change, ScenarioBuilding } from './types';

let baseline: ScenarioBuilding[];
let extent: BBox;
beforeAll(async () => {
  baseline = await rutlandBaseline();
  extent = extentOf(baseline);
});

/** 12 m east × 30 m north on open ground north-west of the station (clear of buildings when turned). */
const LON = OAKHAM_STATION.lon - 0.0008;
const LAT = OAKHAM_STATION.lat + 0.0012;
const slab = () => rectangle(LON, LAT, 12, 30);
const parse = (g: unknown): MultiPolygon2 => {
  const r = footprintFromGeoJson(g);
  if ('problem' in r) throw new Error(r.problem);
  return r.footprint;
};
/** Width east and depth north of a footprint's bounding box, metres. */
function sizeM(f: MultiPolygon2): [number, number] {
  const [w, s, e, n] = footprintBBox(f);
  const fr = localFrame((w + e) / 2, (s + n) / 2);
  return [(e - w) * fr.mPerDegLon, (n - s) * fr.mPerDegLat];
}
/** East and north offset of b's centre from a's, metres. */
function offsetM(a: MultiPolygon2, b: MultiPolygon2): [number, number] {
  const [ax, ay] = footprintCentre(a);
  const [bx, by] = footprintCentre(b);
  const fr = localFrame(ax, ay);
  return [(bx - ax) * fr.mPerDegLon, (by - ay) * fr.mPerDegLat];
}
const building = (r: { buildings: ScenarioBuilding[] }, id: string) => r.buildings.find((b) => b.id === id)!;

describe('rotateFootprint and translateFootprint', () => {
  it('turns a 12 × 30 m slab a quarter turn clockwise about its centre: 30 × 12 m, same area, same centre', () => {
    const f = parse(slab());
    const turned = rotateFootprint(f, 90);
    const [w, d] = sizeM(turned);
    expect(w).toBeCloseTo(30, 3);
    expect(d).toBeCloseTo(12, 3);
    expect(footprintAreaM2(turned)).toBeCloseTo(footprintAreaM2(f), 3);
    const [dx, dy] = offsetM(f, turned);
    expect(Math.hypot(dx, dy)).toBeLessThan(1e-3);
    // Clockwise: the corner farthest north of the centre ends up east of it.
    const fr = localFrame(...footprintCentre(f));
    const [cx, cy] = footprintCentre(f);
    const ring = f[0][0];
    const northMost = [...Array(ring.length / 2).keys()].reduce((a, i) =>
      ring[2 * i + 1] > ring[2 * a + 1] ? i : a,
    );
    const moved = turned[0][0];
    expect((ring[2 * northMost + 1] - cy) * fr.mPerDegLat).toBeGreaterThan(10);
    expect((moved[2 * northMost] - cx) * fr.mPerDegLon).toBeGreaterThan(10);
  });

  it('turns about a given point, and a full turn gives the footprint back', () => {
    const f = parse(slab());
    const about: [number, number] = [LON - 0.0005, LAT];
    const half = rotateFootprint(f, 180, about);
    const [dx, dy] = offsetM(f, half);
    // The centre is mirrored through `about`: twice its offset from it.
    const [ex, ey] = offsetM(f, [[new Float64Array([...about, ...about, ...about])]]);
    expect(dx).toBeCloseTo(2 * ex, 2);
    expect(dy).toBeCloseTo(2 * ey, 2);
    const back = rotateFootprint(rotateFootprint(f, 200, about), 160, about);
    for (let i = 0; i < f[0][0].length; i++) expect(back[0][0][i]).toBeCloseTo(f[0][0][i], 9);
  });

  it('moves a footprint by metres east and north, keeping its shape', () => {
    const f = parse(slab());
    const moved = translateFootprint(f, 25, -8);
    const [dx, dy] = offsetM(f, moved);
    expect(dx).toBeCloseTo(25, 3);
    expect(dy).toBeCloseTo(-8, 3);
    expect(footprintAreaM2(moved)).toBeCloseTo(footprintAreaM2(f), 2);
  });
});

describe('apply with rotations and moves', () => {
  it('adds a building turned by rotationDeg, and a modify with rotationDeg alone turns its current footprint', () => {
    const add: Change = {
      op: 'add',
      id: 'new/slab',
      footprint: slab(),
      use: 'residential',
      storeys: 5,
      rotationDeg: 90,
    };
    const turned = building(apply(baseline, [add], { extent }), 'new/slab');
    expect(sizeM(turned.footprint).map((v) => Math.round(v))).toEqual([30, 12]);
    expect(turned.heightM).toBe(15);

    const plain = building(apply(baseline, [{ ...add, rotationDeg: undefined }], { extent }), 'new/slab');
    expect(sizeM(plain.footprint).map((v) => Math.round(v))).toEqual([12, 30]);
    // A quarter turn more as a modify: back to 12 × 30 (half a turn from the drawn one), heights kept.
    const r = apply(baseline, [add, { op: 'modify', id: 'new/slab', rotationDeg: 90 }], { extent });
    const twice = building(r, 'new/slab');
    expect(sizeM(twice.footprint).map((v) => Math.round(v))).toEqual([12, 30]);
    expect([twice.heightM, twice.storeys]).toEqual([15, 5]);
    // Undo = the change set without the modify: the once-turned footprint again.
    const undone = building(apply(baseline, [add], { extent }), 'new/slab');
    expect([...undone.footprint[0][0]]).toEqual([...turned.footprint[0][0]]);
  });

  it('moves an added building with a modify carrying its translated footprint', () => {
    const add: Change = { op: 'add', id: 'new/slab', footprint: slab(), use: 'commercial', heightM: 20 };
    const before = building(apply(baseline, [add], { extent }), 'new/slab');
    const footprint = footprintToGeoJson(translateFootprint(before.footprint, 15, 5));
    const after = building(
      apply(baseline, [add, { op: 'modify', id: 'new/slab', footprint }], { extent }),
      'new/slab',
    );
    const [dx, dy] = offsetM(before.footprint, after.footprint);
    expect(dx).toBeCloseTo(15, 2);
    expect(dy).toBeCloseTo(5, 2);
    expect(after.heightM).toBe(20);
  });

  it('checks a turned footprint as any other: a turn onto a neighbour is refused, naming it', () => {
    // The slab placed 2 m west of the station's west end, long side north: turned a quarter it reaches into it.
    const station = baseline.find((b) => b.id === 'rutland:w178280140')!;
    const [w, s, , n] = footprintBBox(station.footprint);
    const fr = localFrame(w, (s + n) / 2);
    const lon = w - 8 / fr.mPerDegLon;
    const lat = (s + n) / 2 - 15 / fr.mPerDegLat;
    const near: Change = {
      op: 'add',
      id: 'new/near',
      footprint: rectangle(lon, lat, 6, 30),
      use: 'commercial',
      storeys: 2,
    };
    const clear = validateChanges(baseline, [near], { extent }).filter((i) => i.field === 'footprint');
    expect(clear).toEqual([]);
    const issues = validateChanges(baseline, [{ ...near, rotationDeg: 90 }], { extent });
    expect(issues.some((i) => i.field === 'footprint' && /overlaps rutland:w178280140/.test(i.reason))).toBe(
      true,
    );
  });

  it('refuses bad angles and a rotateAbout without an angle, saying what to give', () => {
    const add = { op: 'add', id: 'new/slab', footprint: slab(), use: 'residential', storeys: 2 };
    const fields = (c: unknown) => validateChanges(baseline, [c], { extent }).map((i) => [i.field, i.reason]);
    expect(fields({ ...add, rotationDeg: 400 })).toEqual([
      ['rotationDeg', expect.stringMatching(/−360 to 360/)],
    ]);
    expect(fields({ ...add, rotationDeg: '90' })).toEqual([['rotationDeg', expect.any(String)]]);
    expect(fields({ ...add, rotateAbout: [LON, LAT] })).toEqual([
      ['rotateAbout', expect.stringMatching(/rotationDeg/)],
    ]);
    expect(fields({ ...add, rotationDeg: 10, rotateAbout: [LAT] })).toEqual([
      ['rotateAbout', expect.stringMatching(/\[lon, lat\]/)],
    ]);
    // A modify that only gives the point changes nothing.
    expect(
      fields({ op: 'modify', id: 'rutland:w178280140', rotateAbout: [LON, LAT] }).map((f) => f[0]),
    ).toContain('(change)');
  });

  it('turns an imported model as a whole about its origin: the blocks keep their distances', () => {
    // Two 10 × 10 m blocks 30 m apart east–west, as a glTF in metres would give them.
    const square = (e: number): [number, number][] => [
      [e, 0],
      [e + 10, 0],
      [e + 10, 10],
      [e, 10],
    ];
    const origin: [number, number] = [LON, LAT];
    const blocks = placeLocalBlocks(
      [
        { name: 'A', ring: square(0), heightM: 9 },
        { name: 'B', ring: square(30), heightM: 12 },
      ],
      origin,
    );
    const changes = massingChanges(blocks, {
      use: 'residential',
      taken: new Set(),
      fileName: 'two.glb',
      rotationDeg: 90,
      rotateAbout: origin,
    });
    expect(changes.map((c) => [c.rotationDeg, c.rotateAbout])).toEqual([
      [90, origin],
      [90, origin],
    ]);
    const r = apply(baseline, changes, { extent });
    const [a, b] = [building(r, 'new/A').footprint, building(r, 'new/B').footprint];
    // A quarter turn clockwise: east of the origin becomes south of it, so B lies 30 m south of A.
    const [dx, dy] = offsetM(a, b);
    expect(dx).toBeCloseTo(0, 2);
    expect(dy).toBeCloseTo(-30, 2);
  });
});

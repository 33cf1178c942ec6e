import { WGS84_A, WGS84_F } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { footprintAreaM2, footprintFromGeoJson, footprintToGeoJson, intersectionAreaM2 } from './footprint';
import { OAKHAM_STATION, rectangle } from './test-support';

// Area of the ellipsoid between two latitudes over a longitude span (exact, authalic formula):
// A = b² Δλ [q(φ)/2] from φ1 to φ2, q(φ) = sinφ/(1 − e² sin²φ) + ln((1 + e sinφ)/(1 − e sinφ)) / (2e).
const e2 = WGS84_F * (2 - WGS84_F);
const e = Math.sqrt(e2);
const b = WGS84_A * (1 - WGS84_F);
const q = (latDeg: number) => {
  const s = Math.sin((latDeg * Math.PI) / 180);
  return s / (1 - e2 * s * s) + Math.log((1 + e * s) / (1 - e * s)) / (2 * e);
};
const quadrangleAreaM2 = (lon0: number, lat0: number, lon1: number, lat1: number) =>
  ((b * b * ((lon1 - lon0) * Math.PI)) / 180 / 2) * (q(lat1) - q(lat0));

const box = (w: number, s: number, east: number, n: number) => [
  [
    [w, s],
    [east, s],
    [east, n],
    [w, n],
    [w, s],
  ],
];

describe('footprint area on the WGS84 ellipsoid', () => {
  it('the reference formula gives the ellipsoid its published surface area (510,065,621.7 km²)', () => {
    expect(quadrangleAreaM2(-180, -90, 180, 90) / 1e6).toBeCloseTo(510_065_621.7, 0);
  });

  it.each([
    ['a 10 m building', 0.00015, 0.00009],
    ['a 100 m block', 0.0015, 0.0009],
    ['a 2 km site', 0.03, 0.018],
  ])('matches the exact area of %s at Oakham to 1 part in 10⁶', (_name, dLon, dLat) => {
    const { lon, lat } = OAKHAM_STATION;
    const exact = quadrangleAreaM2(lon, lat, lon + dLon, lat + dLat);
    const parsed = footprintFromGeoJson({
      type: 'Polygon',
      coordinates: box(lon, lat, lon + dLon, lat + dLat),
    });
    if (!('footprint' in parsed)) throw new Error(parsed.problem);
    expect(Math.abs(footprintAreaM2(parsed.footprint) / exact - 1)).toBeLessThan(1e-6);
  });

  it('subtracts holes', () => {
    const { lon, lat } = OAKHAM_STATION;
    const outer = box(lon, lat, lon + 0.001, lat + 0.001)[0];
    const hole = box(lon + 0.0004, lat + 0.0004, lon + 0.0006, lat + 0.0006)[0];
    const f = footprintFromGeoJson({ type: 'Polygon', coordinates: [outer, hole] });
    if (!('footprint' in f)) throw new Error(f.problem);
    const expected =
      quadrangleAreaM2(lon, lat, lon + 0.001, lat + 0.001) -
      quadrangleAreaM2(lon + 0.0004, lat + 0.0004, lon + 0.0006, lat + 0.0006);
    expect(footprintAreaM2(f.footprint) / expected).toBeCloseTo(1, 6);
  });

  it('measures the overlap of two footprints: a 20 × 30 m block half over a 20 × 30 m block is 300 m²', () => {
    const { lon, lat } = OAKHAM_STATION;
    const a = footprintFromGeoJson(rectangle(lon, lat, 20, 30));
    const shifted = footprintFromGeoJson(rectangle(lon + 10 / 67_750, lat, 20, 30));
    if (!('footprint' in a) || !('footprint' in shifted)) throw new Error('bad test rectangle');
    expect(footprintAreaM2(a.footprint)).toBeCloseTo(600, 4);
    const overlap = intersectionAreaM2(a.footprint, shifted.footprint);
    // The shift is 10 m to ±0.3% (67,750 m per degree of longitude at 52.67° N, within 0.3%).
    expect(overlap).toBeGreaterThan(299);
    expect(overlap).toBeLessThan(301.5);
    const far = footprintFromGeoJson(rectangle(lon + 0.01, lat, 5, 5));
    if (!('footprint' in far)) throw new Error(far.problem);
    expect(intersectionAreaM2(a.footprint, far.footprint)).toBe(0);
  });
});

describe('footprints from GeoJSON', () => {
  const { lon, lat } = OAKHAM_STATION;

  it('accepts closed or open rings wound either way, and orients them (outer counter-clockwise)', () => {
    const cw = box(lon, lat, lon + 0.0002, lat + 0.0002)[0]
      .slice()
      .reverse();
    const open = cw.slice(0, 4);
    for (const ring of [cw, open]) {
      const f = footprintFromGeoJson({ type: 'Polygon', coordinates: [ring] });
      if (!('footprint' in f)) throw new Error(f.problem);
      expect(f.footprint[0][0].length).toBe(8); // four vertices, not closed
      const r = f.footprint[0][0];
      let twice = 0;
      for (let i = 0; i < 4; i++)
        twice += r[i * 2] * r[((i + 1) % 4) * 2 + 1] - r[((i + 1) % 4) * 2] * r[i * 2 + 1];
      expect(twice).toBeGreaterThan(0);
    }
  });

  it('round-trips through GeoJSON to 1e-7° (~1 cm)', () => {
    const f = footprintFromGeoJson(rectangle(lon, lat, 12.3, 45.6));
    if (!('footprint' in f)) throw new Error(f.problem);
    const again = footprintFromGeoJson(footprintToGeoJson(f.footprint));
    if (!('footprint' in again)) throw new Error(again.problem);
    // Each coordinate moves at most 0.5e-7° (0.34 cm east, 0.56 cm north): the area by at most
    // 2 × (12.3 m × 0.0056 m + 45.6 m × 0.0034 m) ≈ 0.45 m².
    expect(Math.abs(footprintAreaM2(again.footprint) - 12.3 * 45.6)).toBeLessThan(0.45);
  });

  it.each([
    [
      'a bow-tie',
      {
        type: 'Polygon',
        coordinates: [
          [
            [lon, lat],
            [lon + 0.001, lat + 0.001],
            [lon + 0.001, lat],
            [lon, lat + 0.001],
          ],
        ],
      },
      /self-intersects.*redraw the outline/,
    ],
    [
      'two vertices',
      {
        type: 'Polygon',
        coordinates: [
          [
            [lon, lat],
            [lon + 0.001, lat],
            [lon, lat],
          ],
        ],
      },
      /fewer than 3 distinct vertices/,
    ],
    [
      'British National Grid metres',
      { type: 'Polygon', coordinates: box(486000, 308000, 486020, 308020) },
      /longitude first/,
    ],
    ['a point', { type: 'Point', coordinates: [lon, lat] }, /GeoJSON geometry/],
    [
      'a string coordinate',
      {
        type: 'Polygon',
        coordinates: [
          [
            [lon, 'x'],
            [lon + 1e-3, lat],
            [lon, lat + 1e-3],
          ],
        ],
      },
      /finite numbers/,
    ],
    [
      'overlapping polygons',
      {
        type: 'MultiPolygon',
        coordinates: [
          box(lon, lat, lon + 0.001, lat + 0.001),
          box(lon + 0.0005, lat, lon + 0.0015, lat + 0.001),
        ],
      },
      /polygons 1 and 2 overlap/,
    ],
    [
      'a hole outside',
      {
        type: 'Polygon',
        coordinates: [
          box(lon, lat, lon + 0.001, lat + 0.001)[0],
          box(lon + 0.002, lat, lon + 0.003, lat + 0.001)[0],
        ],
      },
      /outside the outer ring/,
    ],
  ])('rejects %s and says what to fix', (_name, geometry, message) => {
    const f = footprintFromGeoJson(geometry);
    expect('problem' in f && f.problem).toMatch(message);
  });
});

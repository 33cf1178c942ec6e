import { Clipper, ClipType, FillRule, type Paths64, PolyTree64 } from 'clipper2-ts';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './geometry';
import { countPointsInBands, isochroneBands, isochrones } from './isochrones';
import { parseGtfs } from './parse';
import { buildTimetable } from './router';
import { compileSchedule, tripsOnDay } from './schedule';
import { newportFeedFiles } from './test-fixtures';
import { parseGtfsTime } from './time';
import { straightLineWalking, WALKING_DEFAULTS } from './walking';

const DEG = 180 / Math.PI;
const speed = WALKING_DEFAULTS.speedMps / WALKING_DEFAULTS.detourFactor; // straight-line m/s
/** A point `northM` metres north and `eastM` east of (lon, lat). */
const offset = (lon: number, lat: number, northM: number, eastM = 0): [number, number] => [
  lon + (eastM / (EARTH_RADIUS_M * Math.cos(lat / DEG))) * DEG,
  lat + (northM / EARTH_RADIUS_M) * DEG,
];

/** A MultiPolygon in a local frame around (lon0, lat0), integer millimetres, for area and difference. */
function toLocal(g: MultiPolygon, lon0: number, lat0: number): Paths64 {
  const ky = (EARTH_RADIUS_M / DEG) * 1000;
  const kx = ky * Math.cos(lat0 / DEG);
  return g.coordinates.flatMap((poly) =>
    poly.map((ring) =>
      ring.slice(0, -1).map(([x, y]) => ({ x: Math.round((x - lon0) * kx), y: Math.round((y - lat0) * ky) })),
    ),
  );
}
const areaM2 = (paths: Paths64) => Clipper.areaPaths(paths) / 1e6;
function differenceM2(a: Paths64, b: Paths64): number {
  const tree = new PolyTree64();
  Clipper.booleanOpWithPolyTree(ClipType.Difference, a, b, tree, FillRule.NonZero);
  const out: Paths64 = [];
  const walk = (n: PolyTree64 | ReturnType<PolyTree64['child']>) => {
    for (let i = 0; i < n.count; i++) {
      out.push(n.child(i).poly!);
      walk(n.child(i));
    }
  };
  walk(tree);
  return areaM2(out);
}

describe('isochrone bands', () => {
  it('are regular polygons of the walking radius around a point reached by nobody else', () => {
    const [lon, lat] = [-2.9977, 51.5886];
    const bands = isochroneBands(
      { lonLat: new Float64Array([lon, lat]), arrivalS: new Float64Array([0]) },
      0,
    );
    expect(bands.map((b) => b.minutes)).toEqual([15, 30, 45]);
    const n = 32;
    for (const b of bands) {
      expect(b.geometry.coordinates).toHaveLength(1);
      const r = b.minutes * 60 * speed;
      const polygonArea = (n / 2) * r * r * Math.sin((2 * Math.PI) / n); // inscribed regular 32-gon
      expect(areaM2(toLocal(b.geometry, lon, lat)) / polygonArea).toBeCloseTo(1, 4);
    }
  });

  it('count points (homes, GPs, shops) band by band, with transit extending the reach', () => {
    const origin = { lon: -3.0, lat: 51.58 };
    const stop = offset(origin.lon, origin.lat, 5000); // reached 10 minutes after leaving, 5 km north
    const reached = {
      lonLat: new Float64Array([origin.lon, origin.lat, ...stop]),
      arrivalS: new Float64Array([0, 600]),
    };
    // Walking radii: 920.8 m / 1841.5 m / 2762.3 m at the origin; 306.9 m / 1227.7 m / 2148.5 m at the stop.
    const points: [[number, number], string][] = [
      [offset(origin.lon, origin.lat, 500), 'home'], // 15
      [offset(origin.lon, origin.lat, 0, -1500), 'home'], // 30
      [offset(origin.lon, origin.lat, -2500), 'gp'], // 45
      [offset(stop[0], stop[1], 200), 'shop'], // 15, through the stop
      [offset(stop[0], stop[1], 0, 1000), 'gp'], // 30
      [offset(stop[0], stop[1], 2000), 'shop'], // 45
      [offset(origin.lon, origin.lat, -10_000), 'home'], // beyond 45
    ];
    const bands = isochroneBands(reached, 0);
    expect(bands[0].geometry.coordinates).toHaveLength(2); // around the origin, and around the stop
    const counts = countPointsInBands(bands, {
      lonLat: Float64Array.from(points.flatMap(([p]) => p)),
      categories: points.map(([, c]) => c),
    });
    expect(counts).toEqual([
      { minutes: 15, total: 2, byCategory: { home: 1, shop: 1 } },
      { minutes: 30, total: 4, byCategory: { home: 2, shop: 1, gp: 1 } },
      { minutes: 45, total: 6, byCategory: { home: 2, shop: 2, gp: 2 } },
    ]);
  });

  it('nest (15 ⊂ 30 ⊂ 45) from central Newport at 08:00 on the real BODS feed', () => {
    const schedule = compileSchedule(parseGtfs(newportFeedFiles()));
    const tt = buildTimetable(schedule, tripsOnDay(schedule, '2023-06-14'));
    const walk = straightLineWalking(schedule.stopLonLat);
    const origin = { lon: -2.9977, lat: 51.5886 }; // Newport city centre
    const { arrivals, bands } = isochrones(tt, walk, schedule.stopLonLat, origin, parseGtfsTime('08:00:00')!);
    const [b15, b30, b45] = bands.map((b) => toLocal(b.geometry, origin.lon, origin.lat));
    const [a15, a30, a45] = [b15, b30, b45].map(areaM2);
    // Public transport takes the 45-minute band well beyond the walking circle (π × 2,762² m² ≈ 24 km²).
    expect(a45).toBeGreaterThan(1.5 * Math.PI * (2700 * speed) ** 2);
    expect(a15).toBeLessThan(a30);
    expect(a30).toBeLessThan(a45);
    // What lies in a smaller band but outside the larger one: nothing (Clipper rounds to 1 cm; allow 1 m²).
    expect(differenceM2(b15, b30)).toBeLessThan(1);
    expect(differenceM2(b30, b45)).toBeLessThan(1);
    expect(differenceM2(b15, b45)).toBeLessThan(1);
    // And the bands are not trivially equal.
    expect(differenceM2(b45, b30)).toBeGreaterThan(1e6);
    expect(Array.from(arrivals.arrivalS).filter(Number.isFinite).length).toBeGreaterThan(50);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ESSENTIAL_SERVICES,
  essentialServiceOf,
  essentialServicesOf,
  fifteenMinuteScore,
  scoreGrid,
  scoreGridSize,
  serviceIndex,
} from './fifteen-minute';
import { haversineM } from './geometry';
import { reachedPoints } from './isochrones';
import { parseGtfs } from './parse';
import { buildTimetable, earliestArrivals } from './router';
import { compileSchedule, tripsOnDay } from './schedule';
import { fixtureFeed } from './test-fixtures';
import { parseGtfsTime } from './time';
import { straightLineWalking, WALKING_DEFAULTS } from './walking';

const t = (hms: string) => parseGtfsTime(hms)!;
/** Degrees of latitude for a distance due north (negative: south), metres. */
const north = (m: number) => m / 111_194.9266;

// Constructed: the router-network fixture (O at 51.50, A at 51.51 on 3.1° W; FAST1 leaves O 08:05, reaches A
// 08:15) and places of services constructed around it. From O at 08:03 the 15-minute limit is 08:18:
//   food 100 m north of A: A at 08:15 + 97.7 s walk = 08:16:37.7 → 13.6 min, reachable (only by bus).
//   school 300 m north of A: 293 s walk from 08:15 → 08:19:53, too late.
//   park 500 m south of O: 488.7 s walk → 8.1 min, reachable on foot.
//   gp 1,000 m south of O: 977.4 s → 16.3 min, too far.
//   pharmacy beside T (reached at 08:35): too late.
const schedule = compileSchedule(parseGtfs(fixtureFeed('router-network')));
const tt = buildTimetable(schedule, tripsOnDay(schedule, '2024-05-15'));
const walk = straightLineWalking(schedule.stopLonLat);
const O = { lon: -3.1, lat: 51.5 };
const services = serviceIndex({
  lonLat: Float64Array.from([
    -3.1,
    51.51 + north(100),
    -3.1,
    51.51 + north(300),
    -3.1,
    51.5 + north(-500),
    -3.1,
    51.5 + north(-1000),
    -3.1,
    51.53,
  ]),
  services: ['food', 'school', 'park', 'gp', 'pharmacy'],
});

const scoreFrom = (departure: string) => {
  const dep = t(departure);
  const arrivals = earliestArrivals(tt, walk, O, dep, { maxAccessS: 15 * 60, maxTravelS: 15 * 60 });
  return fifteenMinuteScore(reachedPoints(arrivals, schedule.stopLonLat, O, dep + 15 * 60), dep, services);
};

describe('15-minute city score (constructed network)', () => {
  it('counts the services reachable by walking and the bus within 15 minutes', () => {
    expect(haversineM(-3.1, 51.5, -3.1, 51.5 + north(-500))).toBeCloseTo(500, 2);
    const s = scoreFrom('08:03:00');
    const byId = Object.fromEntries(s.services.map((x) => [x.id, x]));
    expect(byId.food.minutes).toBeCloseTo((12 * 60 + (99.96 * 1.3) / 1.33) / 60, 1); // 13.6
    expect(byId.park.minutes).toBeCloseTo((500 * 1.3) / 1.33 / 60, 1); // 8.1
    for (const id of ['school', 'gp', 'pharmacy', 'post-office', 'community']) {
      expect(byId[id].minutes, id).toBeNull();
      expect(byId[id].count, id).toBe(0);
    }
    expect(s.reachable).toBe(2);
    expect(s.total).toBe(ESSENTIAL_SERVICES.length);
    expect(s.score).toBeCloseTo(2 / 7, 10);
  });

  it('loses the food shop when the bus has gone, and scores walking only from the origin alone', () => {
    // At 08:06 FAST1 (08:05) has left: only the park, on foot.
    const later = scoreFrom('08:06:00');
    expect(later.services.filter((x) => x.count > 0).map((x) => x.id)).toEqual(['park']);
    const walkingOnly = fifteenMinuteScore(
      { lonLat: Float64Array.from([O.lon, O.lat]), arrivalS: Float64Array.from([t('08:03:00')]) },
      t('08:03:00'),
      services,
      WALKING_DEFAULTS,
    );
    expect(walkingOnly.reachable).toBe(1);
    expect(walkingOnly.score).toBeCloseTo(1 / 7, 10);
  });

  it('scores with a longer limit and a custom list of services', () => {
    const dep = t('08:03:00');
    const reached = { lonLat: Float64Array.from([O.lon, O.lat]), arrivalS: Float64Array.from([dep]) };
    // 20 minutes on foot (1,227 m straight line) reach the GP 1,000 m away.
    const s = fifteenMinuteScore(reached, dep, services, WALKING_DEFAULTS, {
      limitMin: 20,
      services: ESSENTIAL_SERVICES.filter((x) => x.id === 'gp' || x.id === 'park'),
    });
    expect(s.services.map((x) => [x.id, x.count])).toEqual([
      ['gp', 1],
      ['park', 1],
    ]);
    expect(s.score).toBe(1);
  });
});

describe('essential services from OSM tags', () => {
  it('classifies by the first matching descriptor and ignores other tags', () => {
    expect(essentialServiceOf({ shop: 'supermarket', name: 'Co-op' })).toBe('food');
    expect(essentialServiceOf({ amenity: 'doctors' })).toBe('gp');
    expect(essentialServiceOf({ healthcare: 'pharmacy' })).toBe('pharmacy');
    expect(essentialServiceOf({ leisure: 'park' })).toBe('park');
    expect(essentialServiceOf({ landuse: 'village_green' })).toBe('park');
    expect(essentialServiceOf({ amenity: 'post_office' })).toBe('post-office');
    expect(essentialServiceOf({ amenity: 'library' })).toBe('community');
    expect(essentialServiceOf({ amenity: 'pub' })).toBeNull();
    expect(essentialServiceOf({ shop: 'clothes' })).toBeNull();
    // A village shop that is also the post office provides both.
    expect(essentialServicesOf({ shop: 'convenience', amenity: 'post_office' })).toEqual([
      'food',
      'post-office',
    ]);
  });
});

describe('score grid', () => {
  it('covers the bbox with cells of the asked size', () => {
    const bbox = [-0.8, 52.6, -0.7, 52.7] as const;
    const g = scoreGrid(bbox, 500);
    expect(g.cells).toHaveLength(scoreGridSize(bbox, 500));
    const [w, s, e, n] = g.cells[0];
    expect(haversineM(w, s, e, s)).toBeCloseTo(500, -1);
    expect(haversineM(w, s, w, n)).toBeCloseTo(500, 0);
    expect(w).toBe(-0.8);
    expect(s).toBe(52.6);
    const last = g.cells[g.cells.length - 1];
    expect(last[2]).toBeGreaterThanOrEqual(-0.7);
    expect(last[3]).toBeGreaterThanOrEqual(52.7);
    // ~6.8 km × 11.1 km → 14 × 23 cells.
    expect(g.cells.length).toBe(14 * 23);
  });
});

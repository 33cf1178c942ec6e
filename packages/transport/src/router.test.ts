import { describe, expect, it } from 'vitest';
import { haversineM } from './geometry';
import { parseGtfs } from './parse';
import { buildTimetable, earliestArrivals, earliestArrivalsNaive } from './router';
import { compileSchedule, tripsOnDay } from './schedule';
import { fixtureFeed, newportFeedFiles } from './test-fixtures';
import { parseGtfsTime } from './time';
import { straightLineWalking, WALKING_DEFAULTS } from './walking';

const t = (hms: string) => parseGtfsTime(hms)!;

// Constructed: fixtures/router-network (README there). Worked answers from stop O at 08:00:00, change time 60 s:
//   A 08:15:00 by FAST1 (O 08:05 → A 08:15).
//   B 08:15:00 + walk A→B: 99.96 m × 1.3 ÷ 1.33 m/s = 97.7 s → 08:16:37.7.
//   T 08:35:00 by WALK (B 08:20 → T 08:35). Beaten: FAST2 (A 08:17 → T 08:40), SLOW (O 08:00 → T 09:00);
//     not allowed: NOPICK (O 08:01 → T 08:20, no pickup at O); gone: EARLY (O 07:55 → T 08:05).
//   D 08:46:30 by TO_D (T 08:36:30, reachable with 90 s to spare ≥ 60 s).
//   C never: NODROP (O 08:02 → C 08:12) forbids alighting at C.
const schedule = compileSchedule(parseGtfs(fixtureFeed('router-network')));
const day = tripsOnDay(schedule, '2024-05-15');
const tt = buildTimetable(schedule, day);
const walk = straightLineWalking(schedule.stopLonLat);
const stop = (id: string) => schedule.stopIndex.get(id)!;
const arrivalsAt = (a: Float64Array) => Object.fromEntries(schedule.stopIds.map((id, i) => [id, a[i]]));

describe('earliest-arrival router (CSA) on a constructed network', () => {
  const walkAB =
    (haversineM(-3.1, 51.51, -3.1, 51.510899) * WALKING_DEFAULTS.detourFactor) / WALKING_DEFAULTS.speedMps;

  it('finds the known earliest arrivals', () => {
    expect(walkAB).toBeCloseTo(97.7, 1);
    const a = arrivalsAt(earliestArrivals(tt, walk, { stop: stop('O') }, t('08:00:00')).arrivalS);
    expect(a.O).toBe(t('08:00:00'));
    expect(a.A).toBe(t('08:15:00'));
    expect(a.B).toBeCloseTo(t('08:15:00') + walkAB, 6);
    expect(a.T).toBe(t('08:35:00'));
    expect(a.D).toBe(t('08:46:30'));
    expect(a.C).toBe(Number.POSITIVE_INFINITY);
  });

  it('respects the change time: 3 minutes miss TO_D at T (08:35 + 3 min > 08:36:30), so D is reached at 09:05', () => {
    const a = arrivalsAt(
      earliestArrivals(tt, walk, { stop: stop('O') }, t('08:00:00'), { minTransferS: 180 }).arrivalS,
    );
    expect(a.T).toBe(t('08:35:00')); // the walk A → B replaces the change time at A
    expect(a.D).toBe(t('09:05:00'));
  });

  it('never boards a vehicle that left before the query time', () => {
    // At 08:04 SLOW (08:00) and NOPICK have gone but FAST1 (08:05) has not: the same answers as at 08:00.
    const at0804 = arrivalsAt(earliestArrivals(tt, walk, { stop: stop('O') }, t('08:04:00')).arrivalS);
    expect([at0804.A, at0804.T, at0804.D]).toEqual([t('08:15:00'), t('08:35:00'), t('08:46:30')]);
    // At 08:06 everything has left O: only O itself is reached.
    const at0806 = earliestArrivals(tt, walk, { stop: stop('O') }, t('08:06:00')).arrivalS;
    expect(Array.from(at0806).filter(Number.isFinite)).toEqual([t('08:06:00')]);
  });

  it('walks from a point to the nearby stops first', () => {
    // 200 m due south of O (0.0017986° of latitude): 200 × 1.3 ÷ 1.33 = 195.5 s to O, in time for FAST1 at 08:05.
    const origin = { lon: -3.1, lat: 51.5 - 0.0017986 };
    const access = (haversineM(origin.lon, origin.lat, -3.1, 51.5) * 1.3) / 1.33;
    expect(access).toBeCloseTo(195.5, 1);
    const a = arrivalsAt(earliestArrivals(tt, walk, origin, t('08:00:00')).arrivalS);
    expect(a.O).toBeCloseTo(t('08:00:00') + access, 6);
    expect(a.T).toBe(t('08:35:00'));
    // Leaving at 08:02 reaches O at 08:05:15.5, just after FAST1 left.
    const late = arrivalsAt(earliestArrivals(tt, walk, origin, t('08:02:00')).arrivalS);
    expect(late.A).toBe(Number.POSITIVE_INFINITY);
  });

  it('agrees with the naive label-correcting reference on the constructed network', () => {
    for (const dep of ['07:50:00', '08:00:00', '08:04:00', '08:30:00'])
      for (const minTransferS of [0, 60, 180]) {
        const csa = earliestArrivals(tt, walk, { stop: stop('O') }, t(dep), { minTransferS });
        const naive = earliestArrivalsNaive(schedule, day, walk, { stop: stop('O') }, t(dep), {
          minTransferS,
        });
        expect(Array.from(csa.arrivalS)).toEqual(Array.from(naive.arrivalS));
      }
  });
});

describe('earliest-arrival router on the real Newport feed', () => {
  it('agrees exactly with the naive reference from 12 points at 4 times of day', () => {
    const newport = compileSchedule(parseGtfs(newportFeedFiles()));
    const nday = tripsOnDay(newport, '2023-06-14');
    const ntt = buildTimetable(newport, nday);
    const nwalk = straightLineWalking(newport.stopLonLat);
    // Origins: 12 stops used by the timetable, spread through the stop list.
    const used = [...new Set(newport.trips.flatMap((tr) => Array.from(tr.stops)))].sort((a, b) => a - b);
    const origins = Array.from({ length: 12 }, (_, i) => used[Math.floor((i * used.length) / 12)]);
    let reachedSomewhere = 0;
    for (const s of origins)
      for (const dep of ['00:30:00', '07:45:00', '12:00:00', '17:30:00']) {
        const origin = { lon: newport.stopLonLat[2 * s], lat: newport.stopLonLat[2 * s + 1] };
        const csa = earliestArrivals(ntt, nwalk, origin, t(dep));
        const naive = earliestArrivalsNaive(newport, nday, nwalk, origin, t(dep));
        expect(Array.from(csa.arrivalS)).toEqual(Array.from(naive.arrivalS));
        if (csa.arrivalS.filter(Number.isFinite).length > 20) reachedSomewhere++;
      }
    expect(reachedSomewhere).toBeGreaterThan(10); // the comparison is not between two empty answers
  });
});

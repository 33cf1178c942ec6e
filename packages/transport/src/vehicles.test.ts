import { describe, expect, it } from 'vitest';
import { departuresAt } from './departures';
import { cumulativeLengthsM, haversineM } from './geometry';
import { parseGtfs } from './parse';
import { compileSchedule, projectStopsOntoPath, tripsOnDay } from './schedule';
import { fixtureFeed, newportFeedFiles } from './test-fixtures';
import { parseGtfsTime } from './time';
import { runPositionAt, vehiclesAt } from './vehicles';

// Constructed: fixtures/edge-feed. Stops A, B, C, D lie on the meridian 3° W at 51.58, 51.59, 51.60, 51.61° N.
const schedule = compileSchedule(parseGtfs(fixtureFeed('edge-feed')));
const t = (hms: string) => parseGtfsTime(hms)!;
const runOf = (day: ReturnType<typeof tripsOnDay>, id: string) => {
  const run = day.runs.find((r) => r.id === id);
  if (!run) throw new Error(`no run ${id} in ${day.runs.map((r) => r.id).join(', ')}`);
  return run;
};

describe('scheduled vehicle positions (a pure function of time)', () => {
  const monday = tripsOnDay(schedule, '2024-01-08');
  const w0800 = runOf(monday, '2024-01-08/W0800');

  it('moves at constant speed between stops and stands still while dwelling', () => {
    const at = (hms: string) => runPositionAt(schedule, w0800, t(hms));
    // 08:05 is half-way from A (08:00) to B (08:10): 51.585° N.
    expect(at('08:05:00')!.lat).toBeCloseTo(51.585, 6);
    expect(at('08:05:00')!.lon).toBeCloseTo(-3, 9);
    expect(at('08:05:00')!.atStop).toBe(-1);
    expect(at('08:05:00')!.bearingDeg).toBeCloseTo(0, 6); // due north
    // Dwelling at B from 08:10 to 08:11.
    expect(at('08:10:30')!.lat).toBeCloseTo(51.59, 6);
    expect(at('08:10:30')!.atStop).toBe(1);
    // 08:16 is half-way from B (dep 08:11) to C (interpolated arrival 08:21): 51.595° N.
    expect(at('08:16:00')!.lat).toBeCloseTo(51.595, 6);
    expect(at('08:31:00')!.lat).toBeCloseTo(51.61, 6);
    expect(at('07:59:59')).toBeNull();
    expect(at('08:31:01')).toBeNull();
  });

  it('is the same at the same time however often it is asked, and lists only running vehicles', () => {
    const a = vehiclesAt(schedule, monday, t('08:16:00'));
    const b = vehiclesAt(schedule, monday, t('08:16:00'));
    expect(a.runs.map((r) => r.id)).toEqual(['2024-01-08/W0800']);
    expect(Array.from(a.lonLat)).toEqual(Array.from(b.lonLat));
    expect(vehiclesAt(schedule, monday, t('12:00:00')).runs).toHaveLength(0);
  });

  it('expands frequency-based trips into one run per headway', () => {
    const freq = monday.runs.filter((r) => r.id.includes('/FREQ@'));
    expect(freq.map((r) => [r.id, r.offsetS])).toEqual([
      ['2024-01-08/FREQ@07:00:00', t('07:00:00')],
      ['2024-01-08/FREQ@07:20:00', t('07:20:00')],
      ['2024-01-08/FREQ@07:40:00', t('07:40:00')],
    ]);
    // Template A 0:00 → B 0:05; the 07:20 run is half-way at 07:22:30.
    expect(runPositionAt(schedule, freq[1], t('07:22:30'))!.lat).toBeCloseTo(51.585, 6);
    expect(vehiclesAt(schedule, monday, t('07:22:30')).runs.map((r) => r.id)).toEqual([
      '2024-01-08/FREQ@07:20:00',
    ]);
  });

  it('keeps a trip running past midnight on the next day, with times past 24:00:00', () => {
    // Monday's NIGHT: A 23:50, B 24:10, C 24:30, D 25:05.
    const tuesday = tripsOnDay(schedule, '2024-01-09');
    const night = runOf(tuesday, '2024-01-08/NIGHT');
    expect(night.offsetS).toBe(-86_400);
    // 00:20 on Tuesday is half-way from B (00:10) to C (00:30).
    expect(runPositionAt(schedule, night, t('00:20:00'))!.lat).toBeCloseTo(51.595, 6);
    expect(vehiclesAt(schedule, tuesday, t('00:20:00')).runs.map((r) => r.id)).toEqual(['2024-01-08/NIGHT']);
    // The same instant asked on Monday's own clock (24:20:00) gives the same place.
    expect(runPositionAt(schedule, runOf(monday, '2024-01-08/NIGHT'), t('24:20:00'))!.lat).toBeCloseTo(
      51.595,
      6,
    );
    // No NIGHT on Sunday morning (WEEKDAY does not run on Saturday), nor after Christmas Day (removed).
    expect(tripsOnDay(schedule, '2024-01-14').runs.some((r) => r.id.endsWith('/NIGHT'))).toBe(false);
    expect(tripsOnDay(schedule, '2024-12-26').runs.some((r) => r.id.endsWith('/NIGHT'))).toBe(false);
  });

  it('lists departures by calendar day: after-midnight times of the night bus fall on the next day', () => {
    const atB = (date: string) => departuresAt(schedule, tripsOnDay(schedule, date), 'B').map((d) => d.time);
    expect(atB('2024-01-08')).toEqual(['08:11:00']); // Monday (B is the last stop of FREQ: no departure)
    expect(atB('2024-01-09')).toEqual(['00:10:00', '08:11:00']);
    expect(atB('2024-01-13')).toEqual(['00:10:00']); // Saturday: Friday's night bus only
    expect(departuresAt(schedule, monday, 'A').map((d) => `${d.time} ${d.runId}`)).toEqual([
      '07:00:00 2024-01-08/FREQ@07:00:00',
      '07:20:00 2024-01-08/FREQ@07:20:00',
      '07:40:00 2024-01-08/FREQ@07:40:00',
      '08:00:00 2024-01-08/W0800',
      '23:50:00 2024-01-08/NIGHT',
    ]);
    // Last stops are not departures.
    expect(departuresAt(schedule, monday, 'D')).toEqual([]);
  });

  it('crosses the spring clock change: a Saturday trip at 25:00:00 is at 02:00 BST on Sunday', () => {
    // Saturday 30 March's day starts at 00:00 UTC; Sunday 31 March's ("noon minus 12 h", noon being BST) at
    // 23:00 UTC on the 30th: 23 hours later.
    const sunday = tripsOnDay(schedule, '2024-03-31');
    const satNight = runOf(sunday, '2024-03-30/SATNIGHT');
    expect(satNight.offsetS).toBe(-23 * 3600);
    const atB = departuresAt(schedule, sunday, 'B').find((d) => d.runId === satNight.id)!;
    expect(atB.departureMs).toBe(Date.UTC(2024, 2, 31, 1, 0)); // Saturday + 25 h = 01:00 UTC = 02:00 BST
    expect(atB.time).toBe('02:00:00');
    // A at 24:30 Saturday = 00:30 UTC = 00:30 GMT on Sunday, before the change: listed on Sunday, not Saturday.
    const atA = departuresAt(schedule, sunday, 'A').find((d) => d.runId === satNight.id)!;
    expect(atA.departureMs).toBe(Date.UTC(2024, 2, 31, 0, 30));
    const saturday = tripsOnDay(schedule, '2024-03-30');
    expect(departuresAt(schedule, saturday, 'A').some((d) => d.runId === satNight.id)).toBe(false);
  });
});

describe('stop positions along shapes', () => {
  it('projects stops onto a shape forward only, taking the first pass of a loop', () => {
    // A constructed out-and-back line: north 0.01° (1,112 m) then back south on the same meridian.
    const lonLat = new Float64Array([-3, 51.58, -3, 51.59, -3, 51.58]);
    const path = { lonLat, cumM: cumulativeLengthsM(lonLat) };
    const leg = path.cumM[1];
    // Stops at 51.585 (twice: out and back) and 51.59 (the turn).
    const d = projectStopsOntoPath(path, [-3, 51.585, -3, 51.59, -3, 51.585]);
    expect(d[0]).toBeCloseTo(leg / 2, 3);
    expect(d[1]).toBeCloseTo(leg, 3);
    expect(d[2]).toBeCloseTo(1.5 * leg, 3);
  });

  it('puts real Newport vehicles on their stops at departure time (shape_dist_traveled in km)', () => {
    const newport = compileSchedule(parseGtfs(newportFeedFiles()));
    const day = tripsOnDay(newport, '2023-06-14');
    const offsets: number[] = [];
    for (const run of day.runs) {
      const trip = newport.trips[run.trip];
      if (!newport.paths[trip.path].shapeId) continue;
      for (let k = 0; k < trip.stops.length; k++) {
        const p = runPositionAt(newport, run, trip.departureS[k] + run.offsetS)!;
        const s = trip.stops[k];
        offsets.push(haversineM(p.lon, p.lat, newport.stopLonLat[2 * s], newport.stopLonLat[2 * s + 1]));
      }
    }
    offsets.sort((a, b) => a - b);
    expect(offsets.length).toBeGreaterThan(3000);
    // Bus stops stand beside the road the shape follows: metres, not the kilometres a unit mix-up would give.
    expect(offsets[Math.floor(offsets.length / 2)]).toBeLessThan(10);
    expect(offsets[offsets.length - 1]).toBeLessThan(50);
  });
});

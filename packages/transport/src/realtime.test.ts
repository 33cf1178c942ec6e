import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { haversineM } from './geometry';
import { parseGtfs } from './parse';
import { decodeVehiclePositions, extrapolatePosition } from './realtime';
import { compileSchedule, tripsOnDay } from './schedule';
import { MINNEAPOLIS_DIR, minneapolisFeedFiles } from './test-fixtures';
import { runPositionAt } from './vehicles';

// Real data: Metro Transit route 2 (Minneapolis), GTFS + one recorded VehiclePositions message, 2019-05-01.
const bytes = new Uint8Array(readFileSync(join(MINNEAPOLIS_DIR, 'vehicle_positions.pb')));

describe('GTFS-Realtime VehiclePositions (recorded Metro Transit message)', () => {
  const message = decodeVehiclePositions(bytes, 'vehicle_positions.pb');

  it('decodes the header and the 11 vehicles', () => {
    expect(message.gtfsRealtimeVersion).toBe('2.0');
    expect(message.timestampMs).toBe(1_556_740_312_000); // 2019-05-01T19:51:52Z
    expect(message.vehicles).toHaveLength(11);
    const first = message.vehicles[0];
    expect(first).toMatchObject({
      entityId: '1011',
      vehicleId: '1011',
      tripId: '14497343-MAR19-MVS-BUS-Weekday-01',
      routeId: '2-110',
      startDate: '20190501',
      stopId: '13211',
      currentStopSequence: 13,
      status: 'IN_TRANSIT_TO',
    });
    expect(first.lat).toBeCloseTo(44.973309, 5);
    expect(first.lon).toBeCloseTo(-93.238747, 5);
    for (const v of message.vehicles) {
      expect(v.timestampMs).toBeGreaterThanOrEqual(Date.UTC(2019, 4, 1, 19, 51, 22));
      expect(v.timestampMs).toBeLessThanOrEqual(Date.UTC(2019, 4, 1, 19, 51, 29));
    }
  });

  it('matches the static timetable: observed buses are near their scheduled positions', () => {
    const schedule = compileSchedule(parseGtfs(minneapolisFeedFiles()));
    const day = tripsOnDay(schedule, '2019-05-01');
    let running = 0;
    for (const v of message.vehicles) {
      const run = day.runs.find((r) => schedule.trips[r.trip].tripId === v.tripId);
      expect(run, v.tripId!).toBeDefined();
      const trip = schedule.trips[run!.trip];
      const p = runPositionAt(schedule, run!, (v.timestampMs - day.dayStartMs) / 1000);
      if (p) {
        running++;
        // Real buses run a minute or two early or late: within 600 m of the timetable's position.
        expect(haversineM(p.lon, p.lat, v.lon, v.lat), v.tripId!).toBeLessThan(600);
      } else {
        // Not yet due to leave: the bus waits at its first stop.
        expect(v.status).toBe('STOPPED_AT');
        const s = trip.stops[0];
        expect(
          haversineM(v.lon, v.lat, schedule.stopLonLat[2 * s], schedule.stopLonLat[2 * s + 1]),
        ).toBeLessThan(50);
      }
    }
    expect(running).toBe(9);
  });

  it('rejects bytes that are not a FeedMessage', () => {
    expect(() => decodeVehiclePositions(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), 'junk.pb')).toThrow(
      DataError,
    );
  });
});

describe('live vehicles between polls (dead reckoning)', () => {
  const seen = { lon: -3, lat: 51.5, bearingDeg: 90, speedMps: 10, timestampMs: 1_000_000 };

  it('moves along the bearing at the reported speed: 10 m/s east for 30 s is 300 m east', () => {
    const p = extrapolatePosition(seen, 1_030_000, 120);
    expect(haversineM(seen.lon, seen.lat, p.lon, p.lat)).toBeCloseTo(300, 0);
    expect(p.lat).toBeCloseTo(51.5, 6);
    expect(p.lon).toBeGreaterThan(seen.lon);
    // Due north: 300 m is 300 / 111,195 m per degree of latitude.
    const n = extrapolatePosition({ ...seen, bearingDeg: 0 }, 1_030_000, 120);
    expect(n.lat - seen.lat).toBeCloseTo(300 / 111_195, 6);
    expect(n.lon).toBeCloseTo(seen.lon, 9);
  });

  it('stops at maxAheadS, never goes backwards, and holds still without speed (the recorded message)', () => {
    const far = extrapolatePosition(seen, 1_000_000 + 3_600_000, 60);
    expect(haversineM(seen.lon, seen.lat, far.lon, far.lat)).toBeCloseTo(600, 0);
    expect(extrapolatePosition(seen, 900_000, 60)).toEqual({ lon: seen.lon, lat: seen.lat });
    const recorded = decodeVehiclePositions(
      new Uint8Array(readFileSync(join(MINNEAPOLIS_DIR, 'vehicle_positions.pb'))),
      'vehicle_positions.pb',
    );
    for (const v of recorded.vehicles) {
      expect(v.speedMps).toBe(0); // Metro Transit reported no speeds in this message
      expect(extrapolatePosition(v, recorded.timestampMs + 30_000, 60)).toEqual({ lon: v.lon, lat: v.lat });
    }
  });
});

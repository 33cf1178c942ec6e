import { describe, expect, it } from 'vitest';
import {
  interpolateVehicles,
  parseIsochrones,
  parseVehicles,
  ROUTE_PALETTE,
  routeCss,
  rushHourInstant,
  snapshotStepS,
  snapshotWindow,
  timeForFeed,
  type VehicleSnapshot,
  zonedDateTime,
  zonedInstant,
} from './transport';

// The Newport BODS feed's dates and zone (PROVENANCE.md: valid 2023-06-05 to 2024-03-01, Europe/London) and the
// Metro Transit one (2019-04-22 to 2019-05-15, America/Chicago).
const NEWPORT = { timeZone: 'Europe/London', startDate: '2023-06-05', endDate: '2024-03-01' };
const MINNEAPOLIS = { timeZone: 'America/Chicago', startDate: '2019-04-22', endDate: '2019-05-15' };

const snapshot = (tMs: number, runs: [string, number, number, number][]): VehicleSnapshot => ({
  tMs,
  runIds: runs.map((r) => r[0]),
  routeIds: runs.map(() => 'R1'),
  lonLat: Float64Array.from(runs.flatMap((r) => [r[1], r[2]])),
  bearingDeg: Float32Array.from(runs.map((r) => r[3])),
});

describe('vehicles between two snapshots', () => {
  const a = snapshot(0, [
    ['moving', -3.0, 51.58, 350],
    ['ending', -3.1, 51.6, 90],
  ]);
  const b = snapshot(60_000, [
    ['moving', -2.99, 51.6, 10],
    ['starting', -3.2, 51.5, 180],
  ]);

  it('moves a run in both in proportion to time, turning the short way round', () => {
    const [v] = interpolateVehicles(a, b, 15_000);
    expect(v.runId).toBe('moving');
    expect(v.lon).toBeCloseTo(-3.0 + 0.01 * 0.25, 12);
    expect(v.lat).toBeCloseTo(51.58 + 0.02 * 0.25, 12);
    expect(v.bearingDeg).toBeCloseTo(355, 4); // 350° → 10° passes through north, not south
  });

  it('shows a run that ends or starts in between for the half nearer its snapshot', () => {
    expect(interpolateVehicles(a, b, 20_000).map((v) => v.runId)).toEqual(['moving', 'ending']);
    expect(interpolateVehicles(a, b, 40_000).map((v) => v.runId)).toEqual(['moving', 'starting']);
    expect(interpolateVehicles(a, b, 60_000)[0]).toMatchObject({ lon: -2.99, lat: 51.6 });
  });

  it('reads the server’s flat triples, and refuses triples that do not match the runs', () => {
    const s = parseVehicles({
      t: '2023-06-14T07:00:00.000Z',
      stride: 3,
      positions: [-2.99, 51.58, 90, -3, 51.6, 270],
      runIds: ['r1', 'r2'],
      routeIds: ['A', 'B'],
    });
    expect(s.tMs).toBe(Date.parse('2023-06-14T07:00:00Z'));
    expect(Array.from(s.lonLat)).toEqual([-2.99, 51.58, -3, 51.6]);
    expect(Array.from(s.bearingDeg)).toEqual([90, 270]);
    expect(() =>
      parseVehicles({
        t: '2023-06-14T07:00:00Z',
        stride: 3,
        positions: [1, 2],
        runIds: ['r1'],
        routeIds: ['A'],
      }),
    ).toThrow(/do not match/);
  });
});

describe('snapshot windows', () => {
  it('spaces snapshots about a real second apart, within 20 s and 15 min of scene time', () => {
    expect(snapshotStepS(1)).toBe(20);
    expect(snapshotStepS(60)).toBe(60);
    expect(snapshotStepS(600)).toBe(600);
    expect(snapshotStepS(3600)).toBe(900);
  });

  it('brackets an instant on the grid', () => {
    expect(snapshotWindow(90_000, 60)).toEqual([60_000, 120_000]);
    expect(snapshotWindow(120_000, 60)).toEqual([120_000, 120_000]);
  });
});

describe('times in a feed’s zone', () => {
  it('converts wall-clock times both ways, in summer and winter, in London and Chicago', () => {
    expect(zonedInstant('2023-06-14', '08:00', 'Europe/London')).toBe(Date.parse('2023-06-14T07:00:00Z'));
    expect(zonedInstant('2023-12-13', '08:00', 'Europe/London')).toBe(Date.parse('2023-12-13T08:00:00Z'));
    expect(zonedInstant('2019-05-01', '14:51', 'America/Chicago')).toBe(Date.parse('2019-05-01T19:51:00Z'));
    expect(zonedDateTime(Date.parse('2019-05-02T03:30:00Z'), 'America/Chicago')).toEqual({
      date: '2019-05-01',
      time: '22:30',
    });
  });

  it('jumps to 08:00 on the scene’s day when the feed runs on that weekday', () => {
    const wed = Date.parse('2023-06-14T15:20:00Z');
    expect(new Date(rushHourInstant(NEWPORT, wed)).toISOString()).toBe('2023-06-14T07:00:00.000Z');
  });

  it('jumps to 08:00 on the feed’s first Tuesday-to-Thursday when the scene’s day is outside it or a weekend', () => {
    // 2025-06-21 is after the Newport feed; it starts on Monday 2023-06-05, so Tuesday 2023-06-06.
    expect(new Date(rushHourInstant(NEWPORT, Date.parse('2025-06-21T11:00:00Z'))).toISOString()).toBe(
      '2023-06-06T07:00:00.000Z',
    );
    // Saturday 2023-06-17, inside the feed.
    expect(new Date(rushHourInstant(NEWPORT, Date.parse('2023-06-17T11:00:00Z'))).toISOString()).toBe(
      '2023-06-06T07:00:00.000Z',
    );
    // Minneapolis starts on Monday 2019-04-22: Tuesday 08:00 CDT is 13:00 UTC.
    expect(new Date(rushHourInstant(MINNEAPOLIS, Date.parse('2025-01-01T12:00:00Z'))).toISOString()).toBe(
      '2019-04-23T13:00:00.000Z',
    );
  });

  it('keeps the time of day but moves into the feed’s dates on choosing a feed', () => {
    const inside = Date.parse('2023-07-01T10:00:00Z');
    expect(timeForFeed(NEWPORT, inside)).toBe(inside);
    expect(new Date(timeForFeed(NEWPORT, Date.parse('2025-06-21T16:45:00Z'))).toISOString()).toBe(
      '2023-06-06T16:45:00.000Z',
    );
  });
});

describe('colours and isochrones', () => {
  it('draws GTFS route colours, and tells routes without one apart by their place in the feed', () => {
    expect(routeCss('E4002B', 0)).toBe('#E4002B');
    expect(routeCss('FFFFFF', 0)).toBe(ROUTE_PALETTE[0]);
    expect(routeCss(null, 1)).toBe(ROUTE_PALETTE[1]);
    expect(routeCss('red', ROUTE_PALETTE.length + 2)).toBe(ROUTE_PALETTE[2]);
  });

  it('reads bands as polygons with holes, and their counts', () => {
    const r = parseIsochrones({
      type: 'FeatureCollection',
      origin: [-2.9977, 51.5886],
      departure: '2023-06-14T07:00:00.000Z',
      reachedStops: 12,
      counts: [{ minutes: 15, stops: 40, buildings: 0, buildingsByUse: {} }],
      features: [
        {
          type: 'Feature',
          properties: { minutes: 15 },
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 0],
                ],
                [
                  [0.5, 0.2],
                  [0.6, 0.2],
                  [0.6, 0.3],
                  [0.5, 0.2],
                ],
              ],
            ],
          },
        },
      ],
    });
    expect(r.bands[0].minutes).toBe(15);
    expect(r.bands[0].polygons[0]).toHaveLength(2);
    expect(r.counts[0]).toEqual({ minutes: 15, stops: 40, buildings: 0, buildingsByUse: {} });
    expect(() => parseIsochrones({ features: [{ geometry: { type: 'Point' }, properties: {} }] })).toThrow(
      /origin|band/,
    );
  });
});

import { isDataError, transformer } from '@placetwin/geo';
import { bngGridNorthDeg, type Obstacle, sunHoursGrid } from '@placetwin/solar';
import { describe, expect, it } from 'vitest';
import {
  computeSunHours,
  defaultSunHoursDate,
  type GeoJsonPolygon,
  planSunHours,
  SUN_HOURS_LIMITS,
  sunHoursKey,
  sunHoursReport,
} from './sunHours';

const toWgs = transformer('EPSG:27700', 'EPSG:4326');
/** A square drawn in BNG metres (south-west corner, side), as the WGS84 GeoJSON a client would send. */
const square = (x: number, y: number, side: number): GeoJsonPolygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + side, y],
      [x + side, y + side],
      [x, y + side],
      [x, y],
    ].map(([e, n]) => toWgs(e, n)),
  ],
});
const oakhamSquare = square(486000, 309000, 100);

function reasonOf(fn: () => unknown): { type: string; reason: string } {
  try {
    fn();
  } catch (e) {
    if (isDataError(e)) return { type: e.type, reason: e.reason };
    throw e;
  }
  throw new Error('expected a DataError');
}

describe('planSunHours', () => {
  it('checks a good request and puts the area in BNG metres', () => {
    const plan = planSunHours({ dataset: 'rutland', area: oakhamSquare, date: '2025-03-21' });
    expect(plan.areaM2).toBeCloseTo(10_000, 1);
    expect(plan.bngBox[0]).toBeCloseTo(486000, 2);
    expect(plan.bngBox[3]).toBeCloseTo(309100, 2);
    expect([plan.cellSizeM, plan.stepMinutes, plan.areaName]).toEqual([1, 10, 'area']);
    expect(plan.location.latDeg).toBeCloseTo(52.67, 1);
    expect(plan.gridNorthDeg).toBeCloseTo(bngGridNorthDeg(plan.location.lonDeg, plan.location.latDeg), 12);
  });

  it('defaults to the next 21 March', () => {
    expect(defaultSunHoursDate(new Date('2025-01-10T09:00:00Z'))).toBe('2025-03-21');
    expect(defaultSunHoursDate(new Date('2025-03-21T23:00:00Z'))).toBe('2025-03-21');
    expect(defaultSunHoursDate(new Date('2025-03-22T00:00:00Z'))).toBe('2026-03-21');
    expect(planSunHours({ dataset: 'x', area: oakhamSquare }, new Date('2025-07-01T00:00:00Z')).date).toBe(
      '2026-03-21',
    );
  });

  it('refuses an unclosed ring, saying which positions differ', () => {
    const open = {
      type: 'Polygon' as const,
      coordinates: [oakhamSquare.coordinates[0].slice(0, 4).concat([[-0.73, 52.671]])],
    };
    const r = reasonOf(() => planSunHours({ dataset: 'x', area: open }));
    expect(r.type).toBe('unclosed-ring');
    expect(r.reason).toMatch(/outer ring is not closed: its first position .* differs from its last/);
  });

  it('refuses a self-intersecting (bow-tie) polygon, saying where', () => {
    const [a, b, c, d] = oakhamSquare.coordinates[0];
    const r = reasonOf(() =>
      planSunHours({ dataset: 'x', area: { type: 'Polygon', coordinates: [[a, c, b, d, a]] } }),
    );
    expect(r.type).toBe('self-intersecting-area');
    expect(r.reason).toMatch(/^area is not a valid polygon: .*cross.* near \(/);
  });

  it('refuses an area over the cell limit, naming the limit, and accepts it with larger cells', () => {
    const big = square(486000, 309000, 1100);
    const r = reasonOf(() => planSunHours({ dataset: 'x', area: big }));
    expect(r.type).toBe('area-too-large');
    expect(r.reason).toContain('1.21 km²');
    expect(r.reason).toContain(
      `the limit is ${SUN_HOURS_LIMITS.maxCells.toLocaleString('en-GB')} cells (1 km² at 1 m`,
    );
    expect(planSunHours({ dataset: 'x', area: big, cellSizeM: 2 }).areaM2).toBeCloseTo(1_210_000, -1);
    const huge = reasonOf(() =>
      planSunHours({ dataset: 'x', area: square(486000, 309000, 2100), cellSizeM: 10 }),
    );
    expect(huge.reason).toMatch(/the limit is 4 km² whatever the cell size/);
  });

  it('refuses a long thin area whose bounding box would need too many cells', () => {
    const toWgs84 = (e: number, n: number) => toWgs(e, n);
    const sliver: GeoJsonPolygon = {
      type: 'Polygon',
      coordinates: [
        [toWgs84(480000, 300000), toWgs84(482500, 302500), toWgs84(482500, 302510), toWgs84(480000, 300000)],
      ],
    };
    const r = reasonOf(() => planSunHours({ dataset: 'x', area: sliver }));
    expect(r.type).toBe('area-too-large');
    expect(r.reason).toMatch(/bounding box is 2,500 × 2,510 m/);
  });

  it('refuses dates outside the solar position algorithm, cell sizes and steps out of bounds', () => {
    const date = reasonOf(() => planSunHours({ dataset: 'x', area: oakhamSquare, date: '6001-03-21' }));
    expect(date.type).toBe('date-out-of-range');
    expect(date.reason).toContain('outside 0001-01-01 to 6000-12-31');
    expect(
      reasonOf(() => planSunHours({ dataset: 'x', area: oakhamSquare, date: '2025-02-30' })).reason,
    ).toBe('date "2025-02-30" is not a calendar date');
    expect(reasonOf(() => planSunHours({ dataset: 'x', area: oakhamSquare, cellSizeM: 0.1 })).reason).toBe(
      'cellSizeM 0.1 is not between 0.5 and 10 metres',
    );
    expect(reasonOf(() => planSunHours({ dataset: 'x', area: oakhamSquare, stepMinutes: 7.5 })).reason).toBe(
      'stepMinutes 7.5 is not a whole number between 1 and 60 minutes',
    );
  });

  it('refuses an area outside Great Britain', () => {
    const paris: GeoJsonPolygon = {
      type: 'Polygon',
      coordinates: [
        [
          [2.35, 48.85],
          [2.36, 48.85],
          [2.36, 48.86],
          [2.35, 48.85],
        ],
      ],
    };
    expect(reasonOf(() => planSunHours({ dataset: 'x', area: paris })).type).toBe('outside-great-britain');
  });
});

describe('computeSunHours (worker thread)', () => {
  const x = 486000;
  const y = 309000;
  const wall: Obstacle = {
    id: 'wall',
    footprint: [[new Float64Array([x, y, x + 40, y, x + 40, y + 1, x, y + 1])]],
    heightM: 8,
  };
  const plan = planSunHours({
    dataset: 'fixture',
    area: square(x - 10, y - 20, 60),
    date: '2024-12-21',
    stepMinutes: 20,
  });
  const input = {
    area: plan.areaBng,
    cellM: plan.cellSizeM,
    date: plan.date,
    stepMinutes: plan.stepMinutes,
    location: plan.location,
    obstacles: [wall],
    gridNorthDeg: plan.gridNorthDeg,
  };

  it('returns what sunHoursGrid computes in this thread, reporting progress', async () => {
    const progress: number[] = [];
    const grid = await computeSunHours(input, { onProgress: (done) => progress.push(done) });
    const here = sunHoursGrid(input);
    expect(progress.length).toBeGreaterThan(1);
    expect(grid.summary).toEqual(expect.objectContaining({ areaM2: here.summary.areaM2 }));
    expect(grid.summary.meanHours).toBeCloseTo(here.summary.meanHours, 9);
    expect(grid.sunrise).toBeInstanceOf(Date);
    expect(grid.hours).toBeInstanceOf(Float32Array);
    const report = sunHoursReport({ plan, id: 'abc', buildings: 1 }, grid);
    expect(report.bre209).toBeNull();
    expect(report.sentence).toMatch(/^On 21 December 2024, \d+% of the area receives at least 2 hours/);
    expect(report.summary.cells).toBe(here.summary.areaM2);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    const run = computeSunHours({ ...input, cellM: 0.5 }, { signal: abort.signal });
    abort.abort(new Error('stopped by the test'));
    await expect(run).rejects.toThrow('stopped by the test');
  });

  it('reports bad input as a DataError from the worker', async () => {
    await expect(computeSunHours({ ...input, obstacles: [{ ...wall, heightM: -1 }] })).rejects.toSatisfy(
      (e: unknown) => isDataError(e) && e.featureId === 'wall' && /heightM -1/.test(e.reason),
    );
  });

  it('keys results by everything they depend on', () => {
    const a = sunHoursKey(plan, [wall]);
    expect(sunHoursKey(plan, [wall])).toBe(a);
    expect(sunHoursKey(plan, [{ ...wall, heightM: 8.5 }])).not.toBe(a);
    expect(sunHoursKey({ ...plan, date: '2024-12-22' }, [wall])).not.toBe(a);
    expect(sunHoursKey({ ...plan, cellSizeM: 2 }, [wall])).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  areaFromGeoJson,
  distinctVertices,
  type LonLat,
  nextTwentyFirstOfMarch,
  parseSunHoursJob,
  polygonOf,
  ringAreaM2,
} from './sunHours';

// About 100 m × 100 m at Oakham (1° of latitude ≈ 111.2 km; of longitude ≈ 67.5 km at 52.67° N).
const square: LonLat[] = [
  [-0.73, 52.67],
  [-0.7285186, 52.67],
  [-0.7285186, 52.6708993],
  [-0.73, 52.6708993],
];

describe('areas', () => {
  it('drops the doubled point of a double-click and a repeated first point', () => {
    const clicks: LonLat[] = [...square, [square[3][0] + 1e-7, square[3][1]], square[0]];
    expect(distinctVertices(clicks)).toEqual(square);
  });

  it('measures a 100 m square as 10,000 m² (to 0.5%)', () => {
    expect(ringAreaM2(square)).toBeGreaterThan(9950);
    expect(ringAreaM2(square)).toBeLessThan(10050);
  });

  it('closes and orients a ring counter-clockwise, as RFC 7946 asks', () => {
    const clockwise = [...square].reverse();
    const p = polygonOf(clockwise);
    expect(p.coordinates[0]).toHaveLength(5);
    expect(p.coordinates[0][4]).toEqual(p.coordinates[0][0]);
    expect(p.coordinates[0].slice(0, 4)).toEqual(square);
  });

  it('reads pasted GeoJSON: a Polygon, a Feature, a FeatureCollection', () => {
    const polygon = { type: 'Polygon', coordinates: [[...square, square[0]]] };
    expect(areaFromGeoJson(JSON.stringify(polygon))).toEqual(square);
    expect(areaFromGeoJson(JSON.stringify({ type: 'Feature', properties: {}, geometry: polygon }))).toEqual(
      square,
    );
    expect(
      areaFromGeoJson(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', geometry: { type: 'Point' } },
            { type: 'Feature', geometry: polygon },
          ],
        }),
      ),
    ).toEqual(square);
  });

  it('says what is wrong with pasted text', () => {
    expect(areaFromGeoJson('{oops')).toMatch(/^That is not JSON/);
    expect(areaFromGeoJson('{"type":"Point","coordinates":[0,0]}')).toMatch(/^No Polygon found/);
    expect(
      areaFromGeoJson(
        '{"type":"Polygon","coordinates":[[[486000,309000],[486100,309000],[486100,309100],[486000,309000]]]}',
      ),
    ).toMatch(/is not a longitude\/latitude/);
    expect(areaFromGeoJson('{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}')).toMatch(/at least 3/);
  });
});

describe('sun-hours answers', () => {
  it('defaults to the next 21 March', () => {
    expect(nextTwentyFirstOfMarch('2025-03-21')).toBe('2025-03-21');
    expect(nextTwentyFirstOfMarch('2025-11-05')).toBe('2026-03-21');
  });

  it('reads a running job and a finished one, and refuses a shape it does not know', () => {
    const links = { self: '/s', geojson: '/g', csv: '/c', png: '/p', overlayPng: '/o' };
    const running = parseSunHoursJob({ id: 'a', status: 'running', progress: 0.25, error: null, links });
    expect(running).toMatchObject({ status: 'running', progress: 0.25, result: null });
    const done = parseSunHoursJob({
      id: 'a',
      status: 'done',
      progress: 1,
      error: null,
      links,
      result: {
        id: 'a',
        date: '2025-03-21',
        cellSizeM: 1,
        stepMinutes: 10,
        bbox: [-0.73, 52.67, -0.72, 52.68],
        summary: { areaM2: 100, shareAtLeast2h: 0.64, meanHours: 5, daylightHours: 12.3, cells: 100 },
        bre209: { meetsGuidance: true, meetsTwoHourTest: true, share: 0.64 },
        sentence:
          'Meets BRE 209 guidance: 64% of the garden receives at least 2 hours of sunlight on 21 March.',
        legend: [{ fromHours: 0, toHours: 0, colour: '#313695', label: 'No direct sun' }],
        buildings: 3,
      },
    });
    expect(done.result?.bbox).toEqual([-0.73, 52.67, -0.72, 52.68]);
    expect(done.result?.bre209?.meetsGuidance).toBe(true);
    expect(done.result?.comparison).toBeNull();
    expect(() => parseSunHoursJob({ nope: 1 })).toThrow('not understood');

    // With a scenario: the comparison and the baseline's summary come through; a ratio of null stays null.
    const result = done.result;
    const comparison = {
      scenario: { id: 7, name: 'Tower', status: 'published', version: 3 },
      baselineId: 'b',
      scenarioResultId: 'a',
      shareBefore: 0.9,
      shareAfter: 0.3,
      ratio: 0.32,
      cells: { lostTwoHours: 60, builtOn: 0, gainedTwoHours: 0, lessSun: 70, moreSun: 0 },
      bre209: { meetsGuidance: false, meetsTwoHourTest: false, meetsRatioTest: false },
      sentence: 'Does not meet BRE 209 guidance: …',
    };
    const pair = parseSunHoursJob({
      id: 'c',
      status: 'done',
      progress: 1,
      error: null,
      links: { ...links, beforeOverlayPng: '/b.png?crs=EPSG:4326' },
      result: { ...result, before: { id: 'b', summary: result?.summary }, comparison },
    });
    expect(pair.result?.comparison).toEqual(comparison);
    expect(pair.result?.before?.id).toBe('b');
    expect(pair.links.beforeOverlayPng).toBe('/b.png?crs=EPSG:4326');
    const none = parseSunHoursJob({
      id: 'c',
      status: 'done',
      progress: 1,
      error: null,
      links,
      result: { ...result, comparison: { ...comparison, ratio: null, bre209: null } },
    });
    expect(none.result?.comparison?.ratio).toBeNull();
    expect(none.result?.comparison?.bre209).toBeNull();
  });
});

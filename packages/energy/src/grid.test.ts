import { describe, expect, it } from 'vitest';
import { assignBuildings, distanceToAssetM, type GridAsset, gridHeadroom, parseGridGeoJson } from './grid';

const fc = (features: unknown[], properties?: unknown) =>
  JSON.stringify({ type: 'FeatureCollection', properties, features });
const sub = (
  id: string,
  lon: number,
  lat: number,
  props: Record<string, unknown> = { capacity_kw: 100 },
) => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties: props,
});

/** Great-circle distance (haversine), an independent check of the local-frame distance. */
function haversineM(a: [number, number], b: [number, number]): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

describe('parseGridGeoJson', () => {
  it('reads kW as given and converts kVA with the power factor (kW = kVA × pf)', () => {
    const g = parseGridGeoJson(
      fc(
        [
          sub('a', -0.71, 52.67, { capacity_kva: 500, power_factor: 0.9, name: 'A' }),
          sub('b', -0.72, 52.67, { capacity_kw: 300, base_load_kw: 50 }),
          {
            type: 'Feature',
            geometry: {
              type: 'LineString',
              coordinates: [
                [-0.71, 52.67],
                [-0.7, 52.68],
              ],
            },
            properties: { id: 'f1', capacity_kw: 200, substation: 'a' },
          },
        ],
        { label: 'sample grid, not real', constructed: true },
      ),
      'g.geojson',
    );
    expect(g.label).toBe('sample grid, not real');
    expect(g.constructed).toBe(true);
    expect(g.assets.map((a) => [a.id, a.kind, a.capacityKw, a.baseLoadKw])).toEqual([
      ['a', 'substation', 450, 0],
      ['b', 'substation', 300, 50],
      ['f1', 'feeder', 200, 0],
    ]);
    expect(g.assets[2].substationId).toBe('a');
  });

  it.each([
    ['kVA without a power factor', [sub('s1', 0, 52, { capacity_kva: 500 })], /feature s1: .*power_factor/],
    [
      'a power factor above 1',
      [sub('s1', 0, 52, { capacity_kva: 500, power_factor: 1.2 })],
      /feature s1: .*power_factor/,
    ],
    ['no capacity', [sub('s1', 0, 52, { name: 'x' })], /feature s1: needs capacity_kw/],
    ['a negative capacity', [sub('s1', 0, 52, { capacity_kw: -5 })], /feature s1: capacity_kw must be > 0/],
    [
      'both kW and kVA',
      [sub('s1', 0, 52, { capacity_kw: 5, capacity_kva: 5, power_factor: 1 })],
      /feature s1: .*not both/,
    ],
    [
      'a polygon',
      [{ ...sub('s1', 0, 52), geometry: { type: 'Polygon', coordinates: [] } }],
      /feature s1: geometry must be/,
    ],
    ['a position off the globe', [sub('s1', 200, 52)], /feature s1: .*not a WGS84/],
    ['a duplicate id', [sub('s1', 0, 52), sub('s1', 1, 52)], /feature s1: id "s1" appears twice/],
    [
      'a feeder of an unknown substation',
      [
        {
          ...sub('f', 0, 52),
          geometry: {
            type: 'LineString',
            coordinates: [
              [0, 52],
              [0, 53],
            ],
          },
          properties: { capacity_kw: 5, substation: 'nope' },
        },
      ],
      /feature f: feeds substation "nope"/,
    ],
  ])('rejects %s, naming the file and the feature', (_what, features, message) => {
    expect(() => parseGridGeoJson(fc(features), 'bad.geojson')).toThrow(/^bad\.geojson, /);
    expect(() => parseGridGeoJson(fc(features), 'bad.geojson')).toThrow(message);
  });

  it('rejects text that is not a FeatureCollection', () => {
    expect(() => parseGridGeoJson('{', 'x.geojson')).toThrow(/x\.geojson: not JSON/);
    expect(() => parseGridGeoJson('{"type":"Feature"}', 'x.geojson')).toThrow(/FeatureCollection/);
    expect(() => parseGridGeoJson(fc([]), 'x.geojson')).toThrow(/no substations/);
  });
});

describe('assignBuildings', () => {
  const assets = parseGridGeoJson(
    fc([
      sub('west', -0.72, 52.67),
      sub('east', -0.7, 52.67),
      {
        type: 'Feature',
        id: 'line',
        geometry: {
          type: 'LineString',
          coordinates: [
            [-0.8, 52.7],
            [-0.78, 52.7],
          ],
        },
        properties: { capacity_kw: 50 },
      },
    ]),
    'g.geojson',
  ).assets;

  it('agrees with the haversine distance to within 0.1 % at a few km', () => {
    const p: [number, number] = [-0.69, 52.68];
    const east = assets[1];
    expect(distanceToAssetM(p, east)).toBeCloseTo(haversineM(p, [-0.7, 52.67]), -1);
    expect(Math.abs(distanceToAssetM(p, east) / haversineM(p, [-0.7, 52.67]) - 1)).toBeLessThan(1e-3);
  });

  it('serves a building from the nearest asset within the radius, else none; an attribute overrides', () => {
    const got = assignBuildings(
      [
        { id: 'near-west', point: [-0.719, 52.67] },
        { id: 'near-east', point: [-0.705, 52.671] },
        // 0.001° north of the middle of the feeder line: ~111 m from it, far from both substations.
        { id: 'under-line', point: [-0.79, 52.701] },
        { id: 'far', point: [-0.5, 52.5] },
        { id: 'tagged', point: [-0.719, 52.67], attributes: { 'grid:substation': 'east' } },
        { id: 'tagged-unknown', point: [-0.719, 52.67], attributes: { 'grid:substation': 'nope' } },
      ],
      assets,
      { maxRadiusM: 2000 },
    );
    expect(got.map((a) => [a.buildingId, a.assetId, a.rule])).toEqual([
      ['near-west', 'west', 'nearest'],
      ['near-east', 'east', 'nearest'],
      ['under-line', 'line', 'nearest'],
      ['far', null, 'none'],
      ['tagged', 'east', 'attribute'],
      ['tagged-unknown', 'west', 'nearest'],
    ]);
    expect(got[2].distanceM).toBeCloseTo(haversineM([-0.79, 52.701], [-0.79, 52.7]), 0);
  });
});

describe('gridHeadroom', () => {
  const a: GridAsset[] = parseGridGeoJson(
    fc([
      sub('s', 0, 52, { capacity_kva: 500, power_factor: 0.9 }),
      sub('t', 1, 52, { capacity_kw: 100, base_load_kw: 30 }),
      {
        type: 'Feature',
        id: 'f',
        geometry: {
          type: 'LineString',
          coordinates: [
            [0, 52],
            [0, 52.1],
          ],
        },
        properties: { capacity_kw: 120, substation: 's' },
      },
    ]),
    'g',
  ).assets;

  it('is capacity − base load − peak of the summed load, before and after, with feeders counted upstream', () => {
    const loads = new Map([
      ['b1', { baselineKw: [10, 30, 20], shiftedKw: [20, 10, 10] }],
      ['b2', { baselineKw: [5, 5, 40], shiftedKw: [20, 5, 5] }],
      ['b3', { baselineKw: [100, 0, 0], shiftedKw: [60, 30, 0] }],
      ['b4', { baselineKw: [50, 80, 10], shiftedKw: [70, 20, 10] }],
    ]);
    const h = gridHeadroom(
      a,
      [
        { buildingId: 'b1', assetId: 's', rule: 'nearest', distanceM: 1 },
        { buildingId: 'b2', assetId: 's', rule: 'nearest', distanceM: 1 },
        { buildingId: 'b3', assetId: 'f', rule: 'attribute', distanceM: 1 },
        { buildingId: 'b4', assetId: 't', rule: 'nearest', distanceM: 1 },
        { buildingId: 'unmodelled', assetId: 't', rule: 'nearest', distanceM: 1 },
        { buildingId: 'b9', assetId: null, rule: 'none', distanceM: null },
      ],
      loads,
      3,
    );
    const by = Object.fromEntries(h.map((x) => [x.id, x]));
    // s: sums [115, 35, 60] → peak 115; shifted [100, 45, 15] → 100. Capacity 500 kVA × 0.9 = 450 kW.
    expect(by.s.peakKw).toEqual({ baseline: 115, shifted: 100 });
    expect(by.s.headroomKw).toEqual({ baseline: 335, shifted: 350 });
    expect(by.s.buildings).toBe(3);
    // f: b3 only. t: b4 with 30 kW of other load; the shift lowers its peak from 80 to 70 kW.
    expect(by.f.headroomKw).toEqual({ baseline: 20, shifted: 60 });
    expect(by.t.headroomKw).toEqual({ baseline: 100 - 30 - 80, shifted: 100 - 30 - 70 });
    expect(by.t.buildings).toBe(1);
  });
});

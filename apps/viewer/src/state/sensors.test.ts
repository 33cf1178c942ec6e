import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyObservation,
  classifySensor,
  classifyValue,
  formatSensorValue,
  parseSensorCollection,
  parseSeries,
  parseValuesAt,
  type SensorPoint,
  sensorsBbox,
  sparklinePoints,
  withValuesAt,
} from './sensors';

// The Leeds footfall sites as the registry serves them (one `footfall` datastream each, warning above 8,000/h).
const fixture = JSON.parse(
  readFileSync(
    join(import.meta.dirname, '../../../../packages/sensors/fixtures/leeds-footfall-sites.geojson'),
    'utf8',
  ),
) as {
  features: {
    id: string;
    geometry: { coordinates: [number, number] };
    properties: Record<string, unknown>;
  }[];
};

const served = {
  type: 'FeatureCollection',
  features: fixture.features.map((f, i) => ({
    type: 'Feature',
    id: f.id,
    geometry: f.geometry,
    properties: {
      sensorId: f.id,
      area: f.properties.area,
      name: f.properties.name,
      owner: f.properties.owner,
      licence: f.properties.licence,
      attribution: f.properties.attribution,
      locationAccuracyM: f.properties.accuracy_m,
      datastreams: [
        {
          datastreamId: i + 1,
          property: 'footfall',
          name: `${f.properties.name}: footfall`,
          unit: { name: 'count per hour', symbol: '{count}/h' },
          validRange: [0, 100000],
          thresholds: [{ level: 'warning', above: f.properties.warning_above }],
          latest: i === 0 ? null : { time: '2016-06-01T12:00:00.000Z', value: 1000 * i, quality: null },
          openAlert: null,
        },
      ],
    },
  })),
};

describe('sensor points', () => {
  const points = parseSensorCollection(served);

  it('reads every site with its place, unit and thresholds', () => {
    expect(points.map((p) => p.sensorId)).toEqual(fixture.features.map((f) => f.id));
    expect(points[1].lon).toBe(fixture.features[1].geometry.coordinates[0]);
    expect(points[1].streams[0]).toMatchObject({ unit: '{count}/h', thresholds: [{ above: 8000 }] });
  });

  it('colours by the value against the thresholds: none, low, high, warning, critical', () => {
    const t = [
      { level: 'warning' as const, above: 8000 },
      { level: 'critical' as const, above: 12000 },
    ];
    expect(classifyValue(t, null)).toBe('none');
    expect(classifyValue(t, 3999)).toBe('low');
    expect(classifyValue(t, 4000)).toBe('high');
    expect(classifyValue(t, 8000)).toBe('high');
    expect(classifyValue(t, 8001)).toBe('warning');
    expect(classifyValue(t, 12001)).toBe('critical');
    expect(classifyValue([], 5)).toBe('normal');
    expect(classifyValue([{ level: 'warning', below: 10 }], 5)).toBe('warning');
    expect(classifySensor(points[0])).toBe('none');
    expect(classifySensor(points[7])).toBe('high'); // 7,000 ≥ 4,000
  });

  it('takes a newer live reading, ignores late and duplicate ones', () => {
    const site = points[2].sensorId;
    const newer = applyObservation(points, {
      sensorId: site,
      property: 'footfall',
      time: '2016-06-01T13:00:00Z',
      value: 9500,
    });
    expect(newer).not.toBe(points);
    expect(newer[2].streams[0].latest).toEqual({ time: '2016-06-01T13:00:00Z', value: 9500 });
    expect(classifySensor(newer[2])).toBe('warning');
    expect(points[2].streams[0].latest?.value).toBe(2000); // not mutated
    const late = { sensorId: site, property: 'footfall', time: '2016-06-01T11:00:00Z', value: 1 };
    expect(applyObservation(newer, late)).toBe(newer);
    expect(applyObservation(newer, { ...late, sensorId: 'elsewhere' })).toBe(newer);
  });

  it('replays values at an instant: a site without a value then shows none', () => {
    const at = parseValuesAt({
      at: '2012-12-22T12:00:00.000Z',
      values: [
        { sensorId: points[3].sensorId, property: 'footfall', time: '2012-12-22T11:00:00.000Z', value: 42 },
      ],
    });
    const replayed = withValuesAt(points, at.values);
    expect(replayed[3].streams[0].latest).toEqual({ time: '2012-12-22T11:00:00.000Z', value: 42 });
    expect(replayed.filter((p: SensorPoint) => p.streams[0].latest === null)).toHaveLength(points.length - 1);
  });

  it('frames the sites and draws sparklines', () => {
    const [w, s, e, n] = sensorsBbox(points) ?? [0, 0, 0, 0];
    for (const p of points) {
      expect(p.lon).toBeGreaterThan(w);
      expect(p.lon).toBeLessThan(e);
      expect(p.lat).toBeGreaterThan(s);
      expect(p.lat).toBeLessThan(n);
    }
    expect(sensorsBbox([])).toBeNull();
    expect(sparklinePoints([1, null, 3], 10, 4)).toBe('0.0,4.0 10.0,0.0');
    expect(sparklinePoints([1], 10, 4)).toBe('');
  });

  it('writes values with readable units', () => {
    expect(formatSensorValue(2241, '{count}/h')).toBe('2,241/h');
    expect(formatSensorValue(41.53, 'ug/m3')).toBe('41.5 ug/m3');
  });

  it('reads raw and aggregated series', () => {
    const raw = parseSeries({
      sensorId: 'a',
      unit: 'u',
      bucket: 'raw',
      t: [1, 2],
      value: [5, 6],
      truncated: false,
    });
    expect(raw.points).toEqual([
      { x: 1, y: 5 },
      { x: 2, y: 6 },
    ]);
    const day = parseSeries({ bucket: 'day', t: [1], mean: [5], min: [1], max: [9], count: [24] });
    expect(day).toMatchObject({ bucket: 'day', points: [{ x: 1, y: 5, min: 1, max: 9 }] });
  });
});

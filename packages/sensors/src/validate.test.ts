import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import type { SensorDefinition, SensorTarget } from './model';
import { checkReading, parseInstant, parsePayload, validateSensorDefinition } from './validate';

// Marylebone Road (AURN MY1) as registered: the first hour of shared/data/air-quality's file reads
// 2015-01-01T00:00:00Z, NO2 53.02980 µg/m³, PM10 39.3 µg/m³.
const my1: SensorTarget = {
  sensorId: 'MY1',
  area: 'london',
  datastreams: [
    { id: 11, property: 'no2', unitSymbol: 'ug/m3', minValue: -50, maxValue: 2000, thresholds: [] },
    { id: 12, property: 'pm10', unitSymbol: 'ug/m3', minValue: -50, maxValue: 5000, thresholds: [] },
  ],
};
const single: SensorTarget = { ...my1, sensorId: 'one', datastreams: [my1.datastreams[0]] };
const NOW = Date.parse('2015-01-01T00:30:00Z');
const opts = { nowMs: NOW, maxFutureSkewMs: 300_000 };

describe('parsePayload', () => {
  it('accepts one reading or an array of them', () => {
    expect(parsePayload('{"time":"2015-01-01T00:00:00Z","value":53.0298}')).toEqual({
      ok: true,
      readings: [{ time: '2015-01-01T00:00:00Z', value: 53.0298 }],
    });
    const two = parsePayload(Buffer.from('[{"value":1},{"value":2}]'));
    expect(two.ok && two.readings).toHaveLength(2);
  });

  it('rejects text that is not JSON as bad-json, and bare NaN/inf from firmware as not-a-number', () => {
    expect(parsePayload('{"time": 2015, value: 3}')).toMatchObject({ ok: false, reason: 'bad-json' });
    expect(parsePayload('not json at all')).toMatchObject({ ok: false, reason: 'bad-json' });
    expect(parsePayload('{"time":"2015-01-01T00:00:00Z","value":nan}')).toMatchObject({
      ok: false,
      reason: 'not-a-number',
    });
    expect(parsePayload('{"value": -Infinity}')).toMatchObject({ ok: false, reason: 'not-a-number' });
  });

  it('rejects empty arrays, too many readings and oversized payloads', () => {
    expect(parsePayload('[]')).toMatchObject({ ok: false, reason: 'bad-payload' });
    expect(parsePayload(JSON.stringify(Array.from({ length: 1001 }, () => ({}))))).toMatchObject({
      ok: false,
      reason: 'too-many-readings',
    });
    expect(parsePayload('x'.repeat(300_000))).toMatchObject({ ok: false, reason: 'bad-payload' });
  });
});

describe('parseInstant', () => {
  it('reads ISO 8601 with Z or an offset, and epoch milliseconds', () => {
    expect(parseInstant('2015-01-01T00:00:00Z')).toBe(Date.UTC(2015, 0, 1));
    expect(parseInstant('2015-07-01T13:00:00+01:00')).toBe(Date.UTC(2015, 6, 1, 12));
    expect(parseInstant('2015-07-01T12:00:00.250Z')).toBe(Date.UTC(2015, 6, 1, 12, 0, 0, 250));
    expect(parseInstant(Date.UTC(2015, 0, 1))).toBe(Date.UTC(2015, 0, 1));
  });

  it('refuses local times without a zone, impossible dates and epoch seconds', () => {
    expect(parseInstant('2015-01-01T00:00:00')).toMatch(/with Z or an offset/);
    expect(parseInstant('2015-02-30T00:00:00Z')).toMatch(/not a calendar date/);
    expect(parseInstant(1_420_070_400)).toMatch(/epoch seconds/);
    expect(parseInstant(undefined)).toMatch(/missing/);
  });
});

describe('checkReading', () => {
  const reading = { time: '2015-01-01T00:00:00Z', value: 53.0298, property: 'no2', unit: 'µg/m3' };

  it('accepts a real reading and picks the datastream by property', () => {
    expect(checkReading(reading, my1, opts)).toEqual({
      ok: true,
      datastream: my1.datastreams[0],
      observation: {
        datastreamId: 11,
        phenomenonTimeMs: Date.UTC(2015, 0, 1),
        value: 53.0298,
        quality: null,
      },
    });
    const pm10 = checkReading({ ...reading, property: 'pm10', value: 39.3, quality: 'good' }, my1, opts);
    expect(pm10.ok && pm10.observation).toMatchObject({ datastreamId: 12, quality: 'good' });
  });

  it('uses the only datastream when no property is named, and asks for one when there are several', () => {
    const { property: _p, ...bare } = reading;
    expect(checkReading(bare, single, opts)).toMatchObject({ ok: true, observation: { datastreamId: 11 } });
    expect(checkReading(bare, my1, opts)).toMatchObject({ ok: false, reason: 'bad-payload' });
    expect(checkReading({ ...reading, property: 'o3' }, my1, opts)).toMatchObject({
      ok: false,
      reason: 'unknown-property',
    });
  });

  it.each([
    ['wrong-unit', { unit: 'ppb' }],
    ['wrong-unit', { unit: 7 }],
    ['not-a-number', { value: 'NaN' }],
    ['not-a-number', { value: null }],
    ['not-a-number', { value: '53.0' }],
    ['bad-payload', { value: undefined }],
    ['out-of-range', { value: 2000.5 }],
    ['out-of-range', { value: -51 }],
    ['bad-time', { time: '01/01/2015 00:00' }],
    ['future-time', { time: '2015-01-01T00:35:01Z' }],
    ['bad-quality', { quality: 'excellent' }],
  ])('rejects %s: %j', (reason, change) => {
    const r = { ...reading, ...change };
    if ('value' in change && change.value === undefined) delete (r as Partial<typeof r>).value;
    expect(checkReading(r, my1, opts)).toMatchObject({ ok: false, reason });
  });

  it('allows the configured clock skew into the future, and any past time (history replays)', () => {
    expect(checkReading({ ...reading, time: '2015-01-01T00:35:00Z' }, my1, opts).ok).toBe(true);
    expect(checkReading({ ...reading, time: '2009-01-01T00:00:00Z' }, my1, opts).ok).toBe(true);
  });

  it('rejects non-object readings without throwing', () => {
    for (const raw of [null, 5, 'x', [1]]) expect(checkReading(raw, my1, opts).ok).toBe(false);
  });
});

describe('validateSensorDefinition', () => {
  const def: SensorDefinition = {
    id: 'MY1',
    area: 'london',
    name: 'London Marylebone Road',
    description: '',
    location: { lon: -0.154611, lat: 51.52253, accuracyM: 10, method: 'AURN site metadata' },
    owner: 'Defra',
    licence: 'OGL-UK-3.0',
    datastreams: [{ property: 'no2', unit: 'µg/m³', thresholds: [{ level: 'warning', above: 200 }] }],
  };

  it('fills the unit and range from the property, normalising the unit to its UCUM code', () => {
    const v = validateSensorDefinition(def);
    expect(v.datastreams[0]).toMatchObject({ unit: 'ug/m3', minValue: -50, maxValue: 2000 });
    expect(v.datastreams[0].thresholds).toEqual([{ level: 'warning', above: 200 }]);
  });

  it.each([
    ['invalid-sensor-id', { id: 'my sensor' }],
    ['invalid-sensor-id', { id: 'stream' }],
    ['invalid-area', { area: 'London' }],
    ['invalid-location', { location: { ...def.location, lat: 91 } }],
    ['invalid-location', { location: { ...def.location, accuracyM: -1 } }],
    ['missing-field', { owner: ' ' }],
    ['missing-field', { datastreams: [] }],
    ['unknown-observed-property', { datastreams: [{ property: 'radiation' }] }],
    ['wrong-unit', { datastreams: [{ property: 'no2', unit: 'Cel' }] }],
    ['invalid-range', { datastreams: [{ property: 'no2', maxValue: 1e6 }] }],
    ['duplicate-datastream', { datastreams: [{ property: 'no2' }, { property: 'no2' }] }],
    ['invalid-threshold', { datastreams: [{ property: 'no2', thresholds: [{ level: 'warning' }] }] }],
    ['invalid-threshold', { datastreams: [{ property: 'no2', thresholds: [{ level: 'info', above: 1 }] }] }],
    [
      'invalid-threshold',
      { datastreams: [{ property: 'no2', thresholds: [{ level: 'warning', above: 1, below: 2 }] }] },
    ],
  ])('throws a DataError %s for %j', (type, change) => {
    const bad = { ...def, ...change } as SensorDefinition;
    try {
      validateSensorDefinition(bad, 'sites.csv');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect(e).toMatchObject({ type, file: 'sites.csv' });
    }
  });
});

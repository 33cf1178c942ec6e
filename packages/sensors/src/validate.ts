import { DataError } from '@placetwin/geo';
import {
  type DatastreamRule,
  type Observation,
  QUALITIES,
  type Quality,
  type RejectReason,
  type SensorDefinition,
  type SensorTarget,
  type Threshold,
} from './model';
import { isUnitOf, observedProperty } from './properties';

export interface ReadingCheckOptions {
  /** The receiver's clock (epoch ms). */
  nowMs: number;
  /** How far ahead of `nowMs` a reading may be stamped (device clocks drift). */
  maxFutureSkewMs: number;
}

export const READING_CHECK_DEFAULTS = {
  /** Five minutes: NTP-less devices drift by seconds a day; more than this is a wrong clock, not drift. */
  maxFutureSkewMs: 5 * 60_000,
} as const;

/** Limits on one message: a device may send one reading or an array of up to this many. */
export const MAX_READINGS_PER_MESSAGE = 1000;
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export type Rejection = { ok: false; reason: RejectReason; detail: string };
export type ReadingCheck = { ok: true; observation: Observation; datastream: DatastreamRule } | Rejection;

const reject = (reason: RejectReason, detail: string): Rejection => ({ ok: false, reason, detail });

/** Device firmware often prints non-finite floats bare (`nan`, `-inf`), which is not JSON. */
const BARE_NON_FINITE = /:\s*[-+]?(nan|inf(inity)?)\b/i;

/**
 * Parses a message body (`{time, value, quality?, unit?, property?}` or an array of them). Never throws:
 * a body that is not JSON, is too big, or holds too many readings comes back as a rejection.
 */
export function parsePayload(body: Uint8Array | string): { ok: true; readings: unknown[] } | Rejection {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size > MAX_PAYLOAD_BYTES)
    return reject('bad-payload', `payload of ${size} B exceeds ${MAX_PAYLOAD_BYTES} B`);
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    if (BARE_NON_FINITE.test(text))
      return reject('not-a-number', 'value is NaN or infinite (bare, not JSON)');
    return reject('bad-json', `payload is not JSON: ${(e as Error).message}`);
  }
  const readings = Array.isArray(parsed) ? parsed : [parsed];
  if (readings.length === 0) return reject('bad-payload', 'payload is an empty array');
  if (readings.length > MAX_READINGS_PER_MESSAGE) {
    return reject(
      'too-many-readings',
      `${readings.length} readings in one message (at most ${MAX_READINGS_PER_MESSAGE})`,
    );
  }
  return { ok: true, readings };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
/** Epoch-millisecond stamps below this (1973-03-03) are almost surely epoch seconds sent by mistake. */
const MIN_EPOCH_MS = 1e11;

/** An instant from an ISO 8601 string with a zone designator, or epoch ms; a reason string when not. */
export function parseInstant(time: unknown): number | string {
  if (typeof time === 'number') {
    if (!Number.isFinite(time)) return 'time is not a finite number';
    if (time < MIN_EPOCH_MS)
      return `time ${time} looks like epoch seconds: send epoch milliseconds or ISO 8601`;
    return Math.floor(time);
  }
  if (typeof time !== 'string') return 'time is missing (ISO 8601 with Z or an offset, or epoch ms)';
  if (!ISO_INSTANT.test(time)) {
    return `time "${time.slice(0, 40)}" is not an ISO 8601 instant with Z or an offset`;
  }
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return `time "${time}" is not a valid date`;
  // Date.parse rolls 2015-02-30 over to 2 March: compare the calendar date it was given with what it read.
  const [y, m, d] = time.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return `time "${time}" is not a calendar date`;
  return ms;
}

function pickDatastream(sensor: SensorTarget, property: unknown): DatastreamRule | Rejection {
  if (property === undefined || property === null) {
    if (sensor.datastreams.length === 1) return sensor.datastreams[0];
    const keys = sensor.datastreams.map((d) => d.property).join(', ');
    return reject('bad-payload', `sensor ${sensor.sensorId} observes several properties (${keys}): name one`);
  }
  if (typeof property !== 'string') return reject('bad-payload', 'property must be a string');
  const ds = sensor.datastreams.find((d) => d.property === property);
  return ds ?? reject('unknown-property', `sensor ${sensor.sensorId} does not observe "${property}"`);
}

/**
 * Checks one reading against its sensor's registration: which datastream (by `property`, or the only one),
 * unit (if given, it must be the datastream's), value (a finite number within the valid range), time (an
 * instant not further ahead than the allowed clock skew) and quality. Never throws.
 */
export function checkReading(raw: unknown, sensor: SensorTarget, options: ReadingCheckOptions): ReadingCheck {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject('bad-payload', 'a reading must be a JSON object {time, value, quality?}');
  }
  const r = raw as Record<string, unknown>;
  const ds = pickDatastream(sensor, r.property);
  if ('ok' in ds) return ds;
  if (r.unit !== undefined && r.unit !== null) {
    const p = observedProperty(ds.property);
    if (typeof r.unit !== 'string' || !isUnitOf(p, r.unit)) {
      return reject('wrong-unit', `unit "${String(r.unit)}" is not ${ds.property}'s unit ${p.unit.symbol}`);
    }
  }
  if (!('value' in r)) return reject('bad-payload', 'value is missing');
  const value = r.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return reject('not-a-number', `value ${JSON.stringify(value)} is not a finite number`);
  }
  if (value < ds.minValue || value > ds.maxValue) {
    return reject(
      'out-of-range',
      `value ${value} is outside ${ds.property}'s range [${ds.minValue}, ${ds.maxValue}]`,
    );
  }
  const t = parseInstant(r.time);
  if (typeof t === 'string') return reject('bad-time', t);
  if (t > options.nowMs + options.maxFutureSkewMs) {
    const aheadS = Math.round((t - options.nowMs) / 1000);
    return reject(
      'future-time',
      `time is ${aheadS} s in the future (allowed ${options.maxFutureSkewMs / 1000} s)`,
    );
  }
  let quality: Quality | null = null;
  if (r.quality !== undefined && r.quality !== null) {
    if (!QUALITIES.includes(r.quality as Quality)) {
      return reject('bad-quality', `quality must be one of ${QUALITIES.join(', ')}`);
    }
    quality = r.quality as Quality;
  }
  return {
    ok: true,
    datastream: ds,
    observation: { datastreamId: ds.id, phenomenonTimeMs: t, value, quality },
  };
}

/** Sensor ids appear in MQTT topics and URL paths; these would collide with fixed API paths. */
const RESERVED_IDS = new Set(['stream', 'latest', 'alerts', 'import', 'ingest']);
export const SENSOR_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';
export const AREA_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
const SENSOR_ID_RE = new RegExp(SENSOR_ID_PATTERN);
const AREA_RE = new RegExp(AREA_PATTERN);

/** Throws a DataError unless every threshold has a level and at least one finite bound. */
export function validateThresholds(thresholds: unknown, where: { file?: string; featureId?: string } = {}) {
  if (!Array.isArray(thresholds))
    throw new DataError('invalid-threshold', 'thresholds must be a list', where);
  return thresholds.map((t: Partial<Threshold>, i): Threshold => {
    const bad = (why: string) => new DataError('invalid-threshold', `threshold ${i + 1}: ${why}`, where);
    if (typeof t !== 'object' || t === null) throw bad('must be an object {level, above?, below?}');
    if (t.level !== 'warning' && t.level !== 'critical') throw bad('level must be "warning" or "critical"');
    const finite = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
    if (!finite(t.above) || !finite(t.below)) throw bad('above and below must be finite numbers');
    if (t.above === undefined && t.below === undefined) throw bad('give above, below or both');
    if (t.above !== undefined && t.below !== undefined && t.below >= t.above) {
      throw bad('below must be less than above (a band breached outside [below, above])');
    }
    return {
      level: t.level,
      ...(t.above !== undefined && { above: t.above }),
      ...(t.below !== undefined && { below: t.below }),
    };
  });
}

/**
 * Checks a registration and fills its defaults (units and ranges from the observed property). Throws a DataError
 * naming the file and sensor for: a malformed id or area, coordinates off the globe, a negative accuracy, an
 * unknown property, a unit that is not the property's, a range outside the property's, or bad thresholds.
 */
export function validateSensorDefinition(def: SensorDefinition, file?: string): SensorDefinition {
  const where = { file, featureId: def.id ? String(def.id) : undefined };
  const bad = (type: string, why: string) => new DataError(type, why, where);
  if (typeof def.id !== 'string' || !SENSOR_ID_RE.test(def.id)) {
    throw bad('invalid-sensor-id', `sensor id "${def.id}" must match ${SENSOR_ID_PATTERN}`);
  }
  if (RESERVED_IDS.has(def.id)) throw bad('invalid-sensor-id', `sensor id "${def.id}" is reserved`);
  if (typeof def.area !== 'string' || !AREA_RE.test(def.area)) {
    throw bad('invalid-area', `area "${def.area}" must be a slug matching ${AREA_PATTERN}`);
  }
  for (const [field, v] of [
    ['name', def.name],
    ['owner', def.owner],
    ['licence', def.licence],
  ] as const) {
    if (typeof v !== 'string' || v.trim() === '') throw bad('missing-field', `${field} is required`);
  }
  const { lon, lat, accuracyM, method } = def.location ?? ({} as SensorDefinition['location']);
  if (
    !(Number.isFinite(lon) && lon >= -180 && lon <= 180 && Number.isFinite(lat) && lat >= -90 && lat <= 90)
  ) {
    throw bad('invalid-location', `location ${lon}, ${lat} is not a WGS84 longitude, latitude`);
  }
  if (!(Number.isFinite(accuracyM) && accuracyM >= 0)) {
    throw bad('invalid-location', 'location accuracy (metres) is required and must be ≥ 0');
  }
  if (!Array.isArray(def.datastreams) || def.datastreams.length === 0) {
    throw bad('missing-field', 'a sensor must observe at least one property');
  }
  const seen = new Set<string>();
  const datastreams = def.datastreams.map((d) => {
    const p = observedProperty(d.property, where);
    if (seen.has(p.key)) throw bad('duplicate-datastream', `property ${p.key} is listed twice`);
    seen.add(p.key);
    if (d.unit !== undefined && d.unit !== '' && !isUnitOf(p, d.unit)) {
      throw bad(
        'wrong-unit',
        `unit "${d.unit}" is not a unit of ${p.key} (${p.unit.symbol}, ${p.unit.name})`,
      );
    }
    const minValue = d.minValue ?? p.validRange[0];
    const maxValue = d.maxValue ?? p.validRange[1];
    if (!(minValue >= p.validRange[0] && maxValue <= p.validRange[1] && minValue < maxValue)) {
      throw bad(
        'invalid-range',
        `range [${minValue}, ${maxValue}] of ${p.key} must lie within [${p.validRange.join(', ')}]`,
      );
    }
    return {
      ...d,
      unit: p.unit.symbol,
      minValue,
      maxValue,
      thresholds: validateThresholds(d.thresholds ?? [], where),
    };
  });
  return {
    ...def,
    name: def.name.trim(),
    description: def.description ?? '',
    location: { lon, lat, accuracyM, method: method?.trim() || 'not stated' },
    datastreams,
  };
}

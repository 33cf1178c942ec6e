/**
 * The sensor layer's state, as pure functions: the server's sensors (GeoJSON points with datastreams and latest
 * values) as map points, each coloured by its value against its thresholds; live readings and replayed values
 * folded in; the legend; where the sensors are; sparkline geometry.
 */

export type AlertLevel = 'warning' | 'critical';

export interface Threshold {
  level: AlertLevel;
  above?: number;
  below?: number;
}

export interface SensorReading {
  /** ISO instant of the reading. */
  time: string;
  value: number;
}

export interface SensorStream {
  datastreamId: number;
  property: string;
  name: string;
  unit: string;
  thresholds: Threshold[];
  validRange: [number, number];
  latest: SensorReading | null;
  /** The alert open now, from the server's live state. */
  openAlert: AlertLevel | null;
}

export interface SensorPoint {
  sensorId: string;
  name: string;
  area: string;
  lon: number;
  lat: number;
  owner: string;
  licence: string;
  attribution: string | null;
  locationAccuracyM: number;
  streams: SensorStream[];
}

/**
 * How a point is coloured. `low` and `high`: no threshold breached, below or at/above half of the nearest
 * upper threshold (so a busy street stands out before it alerts); `normal` for a datastream without an
 * upper threshold; `none` when there is no reading (at this time).
 */
export type SensorClass = 'none' | 'low' | 'high' | 'normal' | 'warning' | 'critical';

export const SENSOR_CLASSES: { cls: SensorClass; label: string; colour: string }[] = [
  { cls: 'low', label: 'Below half the warning level', colour: '#1a9850' },
  { cls: 'high', label: 'Half the warning level or more', colour: '#d9ef8b' },
  { cls: 'normal', label: 'Reading, no upper threshold', colour: '#4575b4' },
  { cls: 'warning', label: 'Warning threshold crossed', colour: '#fc8d59' },
  { cls: 'critical', label: 'Critical threshold crossed', colour: '#d73027' },
  { cls: 'none', label: 'No reading (at this time)', colour: '#9aa3ad' },
];

export const classColour = (cls: SensorClass): string =>
  SENSOR_CLASSES.find((c) => c.cls === cls)?.colour ?? '#9aa3ad';

const SEVERITY: Record<SensorClass, number> = {
  none: 0,
  normal: 1,
  low: 1,
  high: 2,
  warning: 3,
  critical: 4,
};

/** A UCUM unit for people: annotations dropped (`{count}/h` → `/h`). */
export const displayUnit = (unit: string): string => unit.replace(/\{[^}]*\}/g, '');

/** A value with its unit: `2,241/h`, `41.5 ug/m3`. */
export function formatSensorValue(value: number, unit: string): string {
  const u = displayUnit(unit);
  const v = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(value);
  return u.startsWith('/') || u === '' ? `${v}${u}` : `${v} ${u}`;
}

/** The worst threshold a value breaches (the server's rule: strictly above `above` or below `below`). */
export function breached(thresholds: readonly Threshold[], value: number): AlertLevel | null {
  let worst: AlertLevel | null = null;
  for (const t of thresholds) {
    const hit = (t.above !== undefined && value > t.above) || (t.below !== undefined && value < t.below);
    if (hit && worst !== 'critical') worst = t.level;
  }
  return worst;
}

export function classifyValue(thresholds: readonly Threshold[], value: number | null): SensorClass {
  if (value === null || !Number.isFinite(value)) return 'none';
  const level = breached(thresholds, value);
  if (level) return level;
  const uppers = thresholds.flatMap((t) => (t.above === undefined ? [] : [t.above]));
  if (uppers.length === 0) return 'normal';
  return value >= Math.min(...uppers) / 2 ? 'high' : 'low';
}

/** A sensor's class: the worst of its datastreams' (a point shows one colour). */
export function classifySensor(p: SensorPoint): SensorClass {
  let worst: SensorClass = 'none';
  for (const s of p.streams) {
    const c = classifyValue(s.thresholds, s.latest?.value ?? null);
    if (SEVERITY[c] > SEVERITY[worst]) worst = c;
  }
  return worst;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const str = (x: unknown, fallback = ''): string => (typeof x === 'string' ? x : fallback);
const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);

/** `GET /api/sensors` (a GeoJSON FeatureCollection of points) → map points. Throws on another shape. */
export function parseSensorCollection(body: unknown): SensorPoint[] {
  if (!isObject(body) || !Array.isArray(body.features)) throw new Error('not a sensor FeatureCollection');
  return body.features.map((f: unknown): SensorPoint => {
    if (!isObject(f) || !isObject(f.geometry) || !isObject(f.properties)) throw new Error('not a sensor');
    const [lon, lat] = f.geometry.coordinates as number[];
    const p = f.properties;
    const streams = (Array.isArray(p.datastreams) ? p.datastreams : []).map(
      (d: Record<string, unknown>): SensorStream => {
        const unit = isObject(d.unit) ? d.unit : {};
        const latest = isObject(d.latest) ? { time: str(d.latest.time), value: num(d.latest.value) } : null;
        return {
          datastreamId: num(d.datastreamId),
          property: str(d.property),
          name: str(d.name),
          unit: str(unit.symbol),
          thresholds: (Array.isArray(d.thresholds) ? d.thresholds : []) as Threshold[],
          validRange: (Array.isArray(d.validRange) ? d.validRange : [0, 0]) as [number, number],
          latest,
          openAlert: d.openAlert === 'warning' || d.openAlert === 'critical' ? d.openAlert : null,
        };
      },
    );
    return {
      sensorId: str(p.sensorId, String(f.id)),
      name: str(p.name),
      area: str(p.area),
      lon,
      lat,
      owner: str(p.owner),
      licence: str(p.licence),
      attribution: typeof p.attribution === 'string' ? p.attribution : null,
      locationAccuracyM: num(p.locationAccuracyM),
      streams,
    };
  });
}

/** One value of `GET /api/sensors/latest?at=…`. */
export interface ValueAt {
  sensorId: string;
  property: string;
  time: string;
  value: number;
}

export function parseValuesAt(body: unknown): { at: string | null; values: ValueAt[] } {
  if (!isObject(body) || !Array.isArray(body.values)) throw new Error('not a list of values');
  return {
    at: typeof body.at === 'string' ? body.at : null,
    values: body.values.map((v: Record<string, unknown>) => ({
      sensorId: str(v.sensorId),
      property: str(v.property),
      time: str(v.time),
      value: num(v.value),
    })),
  };
}

/** The registry's sensors with the given values as their latest (replay: values at an instant; none → null). */
export function withValuesAt(points: SensorPoint[], values: ValueAt[]): SensorPoint[] {
  const byKey = new Map(values.map((v) => [`${v.sensorId}\u0000${v.property}`, v]));
  return points.map((p) => ({
    ...p,
    streams: p.streams.map((s) => {
      const v = byKey.get(`${p.sensorId}\u0000${s.property}`);
      return { ...s, latest: v ? { time: v.time, value: v.value } : null };
    }),
  }));
}

/** A live reading (`observation` event of the SSE stream). */
export interface LiveObservation {
  sensorId: string;
  property: string;
  time: string;
  value: number;
}

/**
 * Folds a live reading in: it becomes its datastream's latest unless an equal or newer one is already shown
 * (late and duplicate readings change nothing). Returns the same array when nothing changed.
 */
export function applyObservation(points: SensorPoint[], o: LiveObservation): SensorPoint[] {
  const i = points.findIndex((p) => p.sensorId === o.sensorId);
  if (i < 0) return points;
  const p = points[i];
  const j = p.streams.findIndex((s) => s.property === o.property);
  if (j < 0) return points;
  const latest = p.streams[j].latest;
  if (latest && Date.parse(latest.time) >= Date.parse(o.time)) return points;
  const streams = p.streams.slice();
  streams[j] = { ...streams[j], latest: { time: o.time, value: o.value } };
  const next = points.slice();
  next[i] = { ...p, streams };
  return next;
}

/** [west, south, east, north] around the sensors, padded so a lone sensor still frames a street. */
export function sensorsBbox(points: SensorPoint[], padDeg = 0.002): [number, number, number, number] | null {
  if (points.length === 0) return null;
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  return [
    Math.min(...lons) - padDeg,
    Math.min(...lats) - padDeg,
    Math.max(...lons) + padDeg,
    Math.max(...lats) + padDeg,
  ];
}

/** An SVG polyline's points for a sparkline of `values` in a w × h box (gaps skipped); '' when fewer than 2. */
export function sparklinePoints(values: readonly (number | null)[], w: number, h: number): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length < 2) return '';
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const out: string[] = [];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    const x = i * step;
    const y = h - ((v - min) / span) * h;
    out.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  return out.join(' ');
}

/** Chart range choices: how far back from the chart's end. */
export const SERIES_RANGES = [
  { key: '1d', label: 'Day', ms: 86_400_000 },
  { key: '1w', label: 'Week', ms: 7 * 86_400_000 },
  { key: '1m', label: '30 days', ms: 30 * 86_400_000 },
  { key: '1y', label: 'Year', ms: 365 * 86_400_000 },
] as const;
export type SeriesRangeKey = (typeof SERIES_RANGES)[number]['key'];

export type SeriesBucket = 'auto' | 'raw' | 'hour' | 'day';

/** A series from `GET /api/sensors/:id/series`, as chart points: the value, or the mean per bucket. */
export interface SeriesPoints {
  sensorId: string;
  unit: string;
  bucket: 'raw' | 'hour' | 'day';
  points: { x: number; y: number; min?: number; max?: number }[];
}

export function parseSeries(body: unknown): SeriesPoints {
  if (!isObject(body) || !Array.isArray(body.t)) throw new Error('not a series');
  const t = body.t as number[];
  const bucket = body.bucket === 'hour' || body.bucket === 'day' ? body.bucket : 'raw';
  const value = (body.value ?? body.mean) as number[] | undefined;
  const min = body.min as number[] | undefined;
  const max = body.max as number[] | undefined;
  return {
    sensorId: str(body.sensorId),
    unit: str(body.unit),
    bucket,
    points: t.map((x, i) => ({
      x,
      y: value?.[i] ?? Number.NaN,
      ...(min && max ? { min: min[i], max: max[i] } : {}),
    })),
  };
}

/** The end of a sensor's chart: the clock's time when replaying, else just after its latest reading. */
export function seriesEnd(p: SensorPoint | undefined, replayAtMs: number | null): number | null {
  if (replayAtMs !== null) return replayAtMs + 1;
  const times = (p?.streams ?? []).flatMap((s) => (s.latest ? [Date.parse(s.latest.time)] : []));
  return times.length ? Math.max(...times) + 1 : null;
}

import {
  parseSensorCollection,
  parseSeries,
  parseValuesAt,
  type SensorPoint,
  type SeriesBucket,
  type SeriesPoints,
  type ValueAt,
} from '../state/sensors';
import { getJson } from './client';

export const fetchSensors = async (signal: AbortSignal): Promise<SensorPoint[]> =>
  parseSensorCollection(await getJson('/api/sensors', signal));

/** Every datastream's value at an instant: its last reading at or before it (replay on the clock). */
export const fetchValuesAt = async (atMs: number, signal: AbortSignal): Promise<ValueAt[]> =>
  parseValuesAt(
    await getJson(`/api/sensors/latest?at=${encodeURIComponent(new Date(atMs).toISOString())}`, signal),
  ).values;

export async function fetchSeries(
  q: { sensorId: string; property?: string; fromMs: number; toMs: number; bucket: SeriesBucket },
  signal: AbortSignal,
): Promise<SeriesPoints> {
  const params = new URLSearchParams({
    from: new Date(q.fromMs).toISOString(),
    to: new Date(q.toMs).toISOString(),
    bucket: q.bucket,
  });
  if (q.property) params.set('property', q.property);
  return parseSeries(
    await getJson(`/api/sensors/${encodeURIComponent(q.sensorId)}/series?${params}`, signal),
  );
}

export interface SensorAlert {
  id: number;
  sensorId: string;
  property: string;
  level: 'warning' | 'critical';
  value: number;
  time: string;
  cleared: { value: number; time: string } | null;
}

export async function fetchAlerts(signal: AbortSignal): Promise<SensorAlert[]> {
  const body = await getJson('/api/sensors/alerts?limit=50', signal);
  if (!Array.isArray(body)) throw new Error('not a list of alerts');
  return body as SensorAlert[];
}

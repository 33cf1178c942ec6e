import { DataError } from '@placetwin/geo';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';

const { FeedMessage, VehiclePosition } = GtfsRealtimeBindings.transit_realtime;

/** One vehicle from a GTFS-Realtime VehiclePositions message. */
export interface VehicleObservation {
  entityId: string;
  vehicleId: string | null;
  label: string | null;
  tripId: string | null;
  routeId: string | null;
  /** `YYYYMMDD` service date of the trip, when given. */
  startDate: string | null;
  lon: number;
  lat: number;
  bearingDeg: number | null;
  speedMps: number | null;
  /** When the position was measured, epoch ms (the feed header's time when the vehicle has none). */
  timestampMs: number;
  stopId: string | null;
  currentStopSequence: number | null;
  /** INCOMING_AT, STOPPED_AT or IN_TRANSIT_TO. */
  status: string | null;
}

export interface VehiclePositionsMessage {
  gtfsRealtimeVersion: string;
  /** Feed header time, epoch ms. */
  timestampMs: number;
  vehicles: VehicleObservation[];
}

const long = (v: number | { toNumber(): number } | null | undefined): number | null =>
  v === null || v === undefined ? null : typeof v === 'number' ? v : v.toNumber();

const text = (v: string | null | undefined) => (v === null || v === undefined || v === '' ? null : v);

/**
 * Decodes a GTFS-Realtime FeedMessage (protobuf, gtfs-realtime-bindings) and returns its vehicle positions.
 * Entities without a position are skipped (a VehiclePosition may carry only occupancy); other entity kinds
 * (trip updates, alerts) are ignored. Bytes that are not a FeedMessage throw a DataError naming `source`.
 */
export function decodeVehiclePositions(bytes: Uint8Array, source: string): VehiclePositionsMessage {
  let message: InstanceType<typeof FeedMessage>;
  try {
    message = FeedMessage.decode(bytes);
  } catch (e) {
    throw new DataError('invalid-gtfs-rt', `not a GTFS-Realtime FeedMessage: ${(e as Error).message}`, {
      file: source,
    });
  }
  const headerMs = (long(message.header.timestamp) ?? 0) * 1000;
  const vehicles: VehicleObservation[] = [];
  for (const entity of message.entity) {
    const v = entity.vehicle;
    if (!v?.position) continue;
    const { latitude, longitude } = v.position;
    if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180))
      throw new DataError('invalid-gtfs-rt', `position ${latitude}, ${longitude} is not a WGS84 coordinate`, {
        file: source,
        featureId: entity.id,
      });
    const ts = long(v.timestamp);
    vehicles.push({
      entityId: entity.id,
      vehicleId: text(v.vehicle?.id),
      label: text(v.vehicle?.label),
      tripId: text(v.trip?.tripId),
      routeId: text(v.trip?.routeId),
      startDate: text(v.trip?.startDate),
      lon: longitude,
      lat: latitude,
      bearingDeg: v.position.bearing ?? null,
      speedMps: v.position.speed ?? null,
      timestampMs: ts ? ts * 1000 : headerMs,
      stopId: text(v.stopId),
      currentStopSequence: v.currentStopSequence ?? null,
      status:
        v.currentStatus === null || v.currentStatus === undefined
          ? null
          : VehiclePosition.VehicleStopStatus[v.currentStatus],
    });
  }
  return {
    gtfsRealtimeVersion: message.header.gtfsRealtimeVersion,
    timestampMs: headerMs,
    vehicles,
  };
}

const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Where an observed vehicle should be drawn at `tMs`: moved from its observed position along its reported bearing
 * at its reported speed for the time since its own observation, at most `maxAheadS` (never backwards in time).
 * Dead reckoning in a straight line, so between two polls live vehicles move smoothly instead of jumping; without
 * a speed or bearing (or at speed 0, as in the recorded Metro Transit message) the observed position stands.
 */
export function extrapolatePosition(
  v: Pick<VehicleObservation, 'lon' | 'lat' | 'bearingDeg' | 'speedMps' | 'timestampMs'>,
  tMs: number,
  maxAheadS: number,
): { lon: number; lat: number } {
  if (!v.speedMps || v.bearingDeg === null || !(v.speedMps > 0)) return { lon: v.lon, lat: v.lat };
  const dt = Math.min(Math.max((tMs - v.timestampMs) / 1000, 0), maxAheadS);
  const d = v.speedMps * dt;
  const b = (v.bearingDeg * Math.PI) / 180;
  const dLat = ((d * Math.cos(b)) / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLon = ((d * Math.sin(b)) / (EARTH_RADIUS_M * Math.cos((v.lat * Math.PI) / 180))) * (180 / Math.PI);
  return { lon: v.lon + dLon, lat: v.lat + dLat };
}

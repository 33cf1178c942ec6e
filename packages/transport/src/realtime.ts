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

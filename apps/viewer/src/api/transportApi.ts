import { type PointScore, parsePointScore, parseScoreMap, type ScoreMap } from '../state/fifteenMinute';
import {
  type IsochroneResult,
  parseDepartures,
  parseFeeds,
  parseIsochrones,
  parseVehicles,
  type StopDepartures,
  type TransportFeed,
  type VehicleSnapshot,
} from '../state/transport';
import { getJson } from './client';

/** A GeoJSON feature as the transport API writes it (routes: MultiLineString, stops: Point). */
export interface TransportFeature {
  id?: string;
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

const feedPath = (feed: string) => `/api/transport/feeds/${encodeURIComponent(feed)}`;

export const fetchFeeds = async (signal: AbortSignal): Promise<TransportFeed[]> =>
  parseFeeds(await getJson('/api/transport/feeds', signal));

async function features(url: string, signal: AbortSignal): Promise<TransportFeature[]> {
  const body = await getJson(url, signal);
  if (typeof body !== 'object' || body === null || !('features' in body) || !Array.isArray(body.features))
    throw new Error(`${url}: not a GeoJSON FeatureCollection`);
  return body.features as TransportFeature[];
}

export const fetchRoutes = (feed: string, signal: AbortSignal) =>
  features(`${feedPath(feed)}/routes`, signal);
export const fetchStops = (feed: string, signal: AbortSignal) => features(`${feedPath(feed)}/stops`, signal);

export const fetchVehicles = async (
  feed: string,
  tMs: number,
  signal: AbortSignal,
): Promise<VehicleSnapshot> =>
  parseVehicles(await getJson(`${feedPath(feed)}/vehicles?t=${new Date(tMs).toISOString()}`, signal));

export const fetchDepartures = async (
  feed: string,
  stopId: string,
  date: string,
  signal: AbortSignal,
): Promise<StopDepartures> =>
  parseDepartures(
    await getJson(`${feedPath(feed)}/stops/${encodeURIComponent(stopId)}/departures?date=${date}`, signal),
  );

export const fetchIsochrones = async (
  feed: string,
  lon: number,
  lat: number,
  departure: string,
  signal: AbortSignal,
): Promise<IsochroneResult> =>
  parseIsochrones(
    await getJson(
      `${feedPath(feed)}/isochrones?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&departure=${encodeURIComponent(departure)}`,
      signal,
    ),
  );

export const fetchPointScore = async (
  lon: number,
  lat: number,
  time: string,
  signal: AbortSignal,
): Promise<PointScore> =>
  parsePointScore(
    await getJson(
      `/api/transport/fifteen-minute?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&time=${encodeURIComponent(time)}`,
      signal,
    ),
  );

export const fetchScoreMap = async (
  bbox: [number, number, number, number],
  cellM: number,
  time: string,
  signal: AbortSignal,
): Promise<ScoreMap> =>
  parseScoreMap(
    await getJson(
      `/api/transport/fifteen-minute/map?bbox=${bbox.map((x) => x.toFixed(5)).join(',')}&cell=${cellM}&time=${encodeURIComponent(time)}`,
      signal,
    ),
  );

/** The server's GTFS-Realtime poller (PLACETWIN_GTFS_RT_URL): which feed it is for and its latest message time. */
export interface RealtimeStatus {
  configured: boolean;
  feed: string | null;
  messageAt: string | null;
  vehicles: number;
  pollS: number | null;
}

export const fetchRealtime = async (signal: AbortSignal): Promise<RealtimeStatus> => {
  const body = (await getJson('/api/transport/realtime', signal)) as Partial<RealtimeStatus> | null;
  if (typeof body !== 'object' || body === null || typeof body.configured !== 'boolean')
    throw new Error('/api/transport/realtime: not a realtime status');
  return {
    configured: body.configured,
    feed: body.feed ?? null,
    messageAt: body.messageAt ?? null,
    vehicles: body.vehicles ?? 0,
    pollS: body.pollS ?? null,
  };
};

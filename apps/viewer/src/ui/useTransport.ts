/**
 * The transport layer's state: the feeds, the chosen one (its routes and stops), the stop clicked and its
 * departures, and the accessibility query (a point picked on the map, its isochrones). Vehicles are driven by the
 * scene's clock in scene/TransportLayers.tsx; this only keeps how many are on the road for the panel.
 */
import { type Dispatch, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Loadable } from '../api/client';
import {
  fetchDepartures,
  fetchFeeds,
  fetchIsochrones,
  fetchRealtime,
  fetchRoutes,
  fetchStops,
  type RealtimeStatus,
  type TransportFeature,
} from '../api/transportApi';
import type { Action } from '../state/store';
import {
  type IsochroneResult,
  type StopDepartures,
  type TransportFeed,
  timeForFeed,
  zonedDateTime,
} from '../state/transport';
import { densestPoint, homeView, isoInstant, type TransportView, viewOfCircle } from '../state/viewState';
import { type FifteenMinuteTool, useFifteenMinute } from './useFifteenMinute';
import { useRequest } from './useRequest';

/** The grid that finds a feed's busiest part, and how much of it the camera frames (a town centre and around). */
const STOP_CELL_M = 2000;
const FRAME_RADIUS_M = 5000;

export interface TransportTool {
  feeds: Loadable<TransportFeed[]>;
  feed: TransportFeed | null;
  network: Loadable<{ routes: TransportFeature[]; stops: TransportFeature[] }>;
  chooseFeed(name: string | null): void;
  stop: { stopId: string; name: string | null } | null;
  departures: Loadable<StopDepartures>;
  selectStop(stop: { stopId: string; name: string | null } | null): void;
  /** Whether the next click on the map sets the accessibility origin. */
  pickingOrigin: boolean;
  setPickingOrigin(picking: boolean): void;
  isochrones: Loadable<IsochroneResult>;
  requestIsochrones(lon: number, lat: number): void;
  clearIsochrones(): void;
  vehicleCount: number;
  /** Whether those vehicles are live GTFS-Realtime positions. */
  vehiclesLive: boolean;
  setVehicleCount(n: number, live: boolean): void;
  /** The 15-minute city score: a map of the view and single points (works without a feed: walking only). */
  fifteen: FifteenMinuteTool;
  /** The server's GTFS-Realtime feed when one is configured for the chosen feed (else null). */
  realtime: RealtimeStatus | null;
  /** Moves the clock to the latest GTFS-Realtime message, so the live vehicles are drawn. */
  showLive(): void;
}

export function useTransport(
  time: string,
  dispatch: Dispatch<Action>,
  linked: TransportView | undefined,
): TransportTool {
  const [feeds, loadFeeds] = useRequest<TransportFeed[]>();
  const [network, loadNetwork] = useRequest<{ routes: TransportFeature[]; stops: TransportFeature[] }>();
  const [departures, loadDepartures] = useRequest<StopDepartures>();
  const [isochrones, loadIsochrones] = useRequest<IsochroneResult>();
  // The feed and the stop live in the view (the share link carries them).
  const feedName = linked?.feed ?? null;
  const linkedStop = linked?.stop ?? null;
  const [pickingOrigin, setPickingOrigin] = useState(false);
  const [vehicles, setVehicles] = useState({ count: 0, live: false });
  const setVehicleCount = useCallback((count: number, live: boolean) => setVehicles({ count, live }), []);
  const fifteen = useFifteenMinute(time);
  const timeRef = useRef(time);
  timeRef.current = time;
  /** Set when the user chooses a feed: fly to it once its stops are in (a shared link keeps its own camera). */
  const flyOnLoad = useRef(false);

  useEffect(() => loadFeeds(fetchFeeds), [loadFeeds]);
  // Whether the server polls a GTFS-Realtime feed: asked once (cheap), and again on "Show live vehicles".
  const [rtStatus, loadRealtime] = useRequest<RealtimeStatus>();
  useEffect(() => loadRealtime(fetchRealtime), [loadRealtime]);
  const realtimeOf = useCallback(
    (name: string | null) =>
      rtStatus.status === 'loaded' && rtStatus.data.configured && rtStatus.data.feed === name
        ? rtStatus.data
        : null,
    [rtStatus],
  );
  const feed = useMemo(
    () => (feeds.status === 'loaded' ? (feeds.data.find((f) => f.name === feedName) ?? null) : null),
    [feeds, feedName],
  );
  const stop = useMemo(() => {
    if (!linkedStop) return null;
    const f =
      network.status === 'loaded'
        ? network.data.stops.find((x) => String(x.properties.stopId ?? x.id) === linkedStop)
        : undefined;
    return { stopId: linkedStop, name: typeof f?.properties.name === 'string' ? f.properties.name : null };
  }, [linkedStop, network]);

  useEffect(() => {
    if (!feed) {
      loadNetwork(null);
      return;
    }
    const name = feed.name;
    loadNetwork(async (signal) => {
      const [routes, stops] = await Promise.all([fetchRoutes(name, signal), fetchStops(name, signal)]);
      // The sample feeds are far from the sample city (Newport, Minneapolis): go there. A feed's extent can span
      // a country (Newport's includes coaches to London), so frame its busiest part: where its stops are densest.
      const centre = densestPoint(
        stops.flatMap((f) => {
          const [lon, lat] = f.geometry.coordinates as number[];
          return f.geometry.type === 'Point' ? [{ lon, lat }] : [];
        }),
        STOP_CELL_M,
      );
      if (!signal.aborted && flyOnLoad.current && (centre || feed.bbox)) {
        flyOnLoad.current = false;
        dispatch({
          type: 'flyTo',
          camera: centre
            ? viewOfCircle(centre.lon, centre.lat, FRAME_RADIUS_M)
            : homeView(feed.bbox as [number, number, number, number]),
          fly: true,
        });
      }
      return { routes, stops };
    });
  }, [feed, dispatch, loadNetwork]);

  const chooseFeed = useCallback(
    (name: string | null) => {
      loadIsochrones(null);
      setPickingOrigin(false);
      setVehicleCount(0, false);
      const chosen = feeds.status === 'loaded' ? feeds.data.find((f) => f.name === name) : undefined;
      flyOnLoad.current = chosen !== undefined;
      dispatch({ type: 'setTransport', transport: name && chosen ? { feed: name } : null });
      if (!chosen) return;
      // A live GTFS-Realtime feed for it: go to its latest message, so the live vehicles replace the timetable's.
      const live = realtimeOf(chosen.name);
      if (live?.messageAt) {
        dispatch({ type: 'setTime', time: isoInstant(new Date(Date.parse(live.messageAt))) });
        return;
      }
      // On a day the feed runs, so that its vehicles are on the map.
      const t = timeForFeed(chosen, Date.parse(timeRef.current));
      if (t !== Date.parse(timeRef.current)) dispatch({ type: 'setTime', time: isoInstant(new Date(t)) });
    },
    [feeds, dispatch, loadIsochrones, setVehicleCount, realtimeOf],
  );

  const realtime = realtimeOf(feedName);
  const showLive = useCallback(() => {
    loadRealtime(async (signal) => {
      const s = await fetchRealtime(signal);
      if (s.configured && s.feed === feedName && s.messageAt)
        dispatch({ type: 'setTime', time: isoInstant(new Date(Date.parse(s.messageAt))) });
      return s;
    });
  }, [loadRealtime, feedName, dispatch]);

  const selectStop = useCallback(
    (s: { stopId: string; name: string | null } | null) => {
      if (!feedName) return;
      dispatch({ type: 'setTransport', transport: { feed: feedName, ...(s ? { stop: s.stopId } : {}) } });
    },
    [feedName, dispatch],
  );

  // Departures for the scene's day in the feed's time zone: a new day (or stop) asks again.
  const day = feed ? zonedDateTime(Date.parse(time), feed.timeZone).date : null;
  const stopId = stop?.stopId ?? null;
  useEffect(() => {
    if (!feedName || !stopId || !day) {
      loadDepartures(null);
      return;
    }
    loadDepartures((signal) => fetchDepartures(feedName, stopId, day, signal));
  }, [feedName, stopId, day, loadDepartures]);

  const requestIsochrones = useCallback(
    (lon: number, lat: number) => {
      setPickingOrigin(false);
      if (!feedName) return;
      const departure = timeRef.current;
      loadIsochrones((signal) => fetchIsochrones(feedName, lon, lat, departure, signal));
    },
    [feedName, loadIsochrones],
  );
  const clearIsochrones = useCallback(() => loadIsochrones(null), [loadIsochrones]);

  return {
    feeds,
    feed,
    network,
    chooseFeed,
    stop,
    departures,
    selectStop,
    pickingOrigin,
    setPickingOrigin,
    isochrones,
    requestIsochrones,
    clearIsochrones,
    vehicleCount: vehicles.count,
    vehiclesLive: vehicles.live,
    setVehicleCount,
    fifteen,
    realtime,
    showLive,
  };
}

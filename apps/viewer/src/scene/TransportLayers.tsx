/**
 * The transport layer on the globe: routes as lines in their GTFS colours, stops as white points (click one for its
 * departures), vehicles moving on the scene's clock, and isochrone bands on the ground.
 *
 * Vehicles follow Cesium's clock, the twin's one clock: each frame reads the clock's time, takes the two "vehicles
 * at t" snapshots around it (on a grid that widens with the clock's speed, fetched once each and cached) and draws
 * every run between its two positions (state/transport.ts). Snapshots come from the server's pure timetable
 * interpolation, so the picture is the same whether the clock runs, jumps or stands still.
 */
import {
  Cartesian3,
  type CesiumWidget,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  JulianDate,
  Material,
  PerInstanceColorAppearance,
  type PointPrimitive,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
  Rectangle,
  RectangleGeometry,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
} from 'cesium';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCesium } from 'resium';
import { fetchVehicles, type TransportFeature } from '../api/transportApi';
import { type ScoreMap, scoreColour } from '../state/fifteenMinute';
import {
  BAND_COLOURS,
  type IsochroneResult,
  interpolateVehicles,
  routeCss,
  snapshotStepS,
  snapshotWindow,
  type VehiclePosition,
  type VehicleSnapshot,
} from '../state/transport';
import type { PlacetwinTestHooks, TransportTestState } from '../testHooks';
import type { TransportTool } from '../ui/useTransport';
import { groundAt } from './SunHoursLayers';

/** Lines and points float a little above the ellipsoid (the scene's ground) so the globe does not hide them. */
const LINE_HEIGHT_M = 3;
const VEHICLE_HEIGHT_M = 8;
const SNAPSHOT_CACHE = 12;
const BAND_ALPHA = 0.3;
/** The largest band's height above the ellipsoid, and how much higher each nearer band lies. */
const BAND_BASE_HEIGHT_M = 0.5;
const BAND_STEP_M = 0.5;

/** What a picked stop primitive carries. */
interface StopId {
  kind: 'transport-stop';
  stopId: string;
  name: string | null;
}
const isStopId = (x: unknown): x is StopId =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'transport-stop';

function lineStrings(f: TransportFeature): number[][][] {
  const { type, coordinates } = f.geometry;
  if (type === 'LineString') return [coordinates as number[][]];
  if (type === 'MultiLineString') return coordinates as number[][][];
  return [];
}

function useRoutes(
  viewer: CesiumWidget | undefined,
  routes: TransportFeature[],
  colours: Map<string, Color>,
) {
  useEffect(() => {
    if (!viewer || routes.length === 0) return;
    const lines = new PolylineCollection();
    for (const f of routes) {
      const colour = colours.get(String(f.properties.routeId)) ?? Color.LIGHTGRAY;
      for (const line of lineStrings(f)) {
        if (line.length < 2) continue;
        lines.add({
          positions: Cartesian3.fromDegreesArrayHeights(line.flatMap(([x, y]) => [x, y, LINE_HEIGHT_M])),
          width: 3,
          material: Material.fromType('Color', { color: colour }),
        });
      }
    }
    viewer.scene.primitives.add(lines);
    return () => {
      if (!viewer.isDestroyed()) viewer.scene.primitives.remove(lines);
    };
  }, [viewer, routes, colours]);
}

function useStops(viewer: CesiumWidget | undefined, stops: TransportFeature[], selected: string | null) {
  const [points, setPoints] = useState<Map<string, PointPrimitive>>(() => new Map());
  useEffect(() => {
    if (!viewer || stops.length === 0) return;
    const collection = new PointPrimitiveCollection();
    const byId = new Map<string, PointPrimitive>();
    for (const f of stops) {
      if (f.geometry.type !== 'Point') continue;
      const [lon, lat] = f.geometry.coordinates as number[];
      const stopId = String(f.properties.stopId ?? f.id);
      const id: StopId = {
        kind: 'transport-stop',
        stopId,
        name: typeof f.properties.name === 'string' ? f.properties.name : null,
      };
      byId.set(
        stopId,
        collection.add({
          position: Cartesian3.fromDegrees(lon, lat, LINE_HEIGHT_M),
          pixelSize: 7,
          color: Color.WHITE,
          outlineColor: Color.fromCssColorString('#1b2733'),
          outlineWidth: 1.5,
          id,
        }),
      );
    }
    setPoints(byId);
    viewer.scene.primitives.add(collection);
    return () => {
      setPoints(new Map());
      if (!viewer.isDestroyed()) viewer.scene.primitives.remove(collection);
    };
  }, [viewer, stops]);
  // The chosen stop: larger and amber, as a selected building is.
  useEffect(() => {
    const p = selected ? points.get(selected) : undefined;
    if (!p) return;
    p.pixelSize = 13;
    p.color = Color.fromCssColorString('#ffbf47');
    return () => {
      p.pixelSize = 7;
      p.color = Color.WHITE;
    };
  }, [selected, points]);
}

/** Vehicles on the scene's clock; reports the ones drawn (for the panel and the test hook). */
function useVehicles(
  viewer: CesiumWidget | undefined,
  feed: string | null,
  routeColours: Map<string, Color>,
  onCount: (n: number, live: boolean) => void,
  drawn: { current: { tMs: number; vehicles: VehiclePosition[]; live: boolean } },
) {
  useEffect(() => {
    if (!viewer || !feed) return;
    const collection = new PointPrimitiveCollection();
    viewer.scene.primitives.add(collection);
    const points = new Map<string, PointPrimitive>();
    const snapshots = new Map<number, VehicleSnapshot | 'loading' | 'failed'>();
    const abort = new AbortController();
    let lastKey = '';
    let lastCount = -1;
    let lastLive = false;

    const want = (tMs: number) => {
      if (snapshots.has(tMs)) return;
      snapshots.set(tMs, 'loading');
      fetchVehicles(feed, tMs, abort.signal).then(
        (s) => snapshots.set(tMs, s),
        () => !abort.signal.aborted && snapshots.set(tMs, 'failed'),
      );
      // Keep the cache small: drop the snapshots farthest from the one just asked for.
      if (snapshots.size > SNAPSHOT_CACHE) {
        const far = [...snapshots.keys()].sort((a, b) => Math.abs(b - tMs) - Math.abs(a - tMs));
        for (const k of far.slice(0, snapshots.size - SNAPSHOT_CACHE)) snapshots.delete(k);
      }
    };

    const update = () => {
      const clock = viewer.clock;
      const tMs = JulianDate.toDate(clock.currentTime).getTime();
      const stepS = snapshotStepS(clock.shouldAnimate ? clock.multiplier : 60);
      const [t0, t1] = snapshotWindow(tMs, stepS);
      want(t0);
      want(t1);
      if (clock.shouldAnimate) want(t1 + Math.sign(clock.multiplier || 1) * stepS * 1000);
      const a = snapshots.get(t0);
      const b = snapshots.get(t1);
      if (typeof a !== 'object' || typeof b !== 'object') return;
      const key = `${tMs}`;
      if (key === lastKey) return;
      lastKey = key;
      const vehicles = interpolateVehicles(a, b, tMs);
      // Live (GTFS-Realtime) vehicles wear a white ring; scheduled ones a black one.
      const live = a.live === true || b.live === true;
      const seen = new Set<string>();
      for (const v of vehicles) {
        seen.add(v.runId);
        const position = Cartesian3.fromDegrees(v.lon, v.lat, VEHICLE_HEIGHT_M);
        const p = points.get(v.runId);
        if (p) {
          p.position = position;
          p.outlineColor = live ? Color.WHITE : Color.BLACK;
        } else
          points.set(
            v.runId,
            collection.add({
              position,
              pixelSize: 12,
              color: routeColours.get(v.routeId) ?? Color.LIGHTGRAY,
              outlineColor: live ? Color.WHITE : Color.BLACK,
              outlineWidth: live ? 3 : 2,
              disableDepthTestDistance: Number.POSITIVE_INFINITY,
            }),
          );
      }
      for (const [runId, p] of points)
        if (!seen.has(runId)) {
          collection.remove(p);
          points.delete(runId);
        }
      drawn.current = { tMs, vehicles, live };
      if (vehicles.length !== lastCount || live !== lastLive) {
        lastCount = vehicles.length;
        lastLive = live;
        onCount(vehicles.length, live);
      }
    };
    const removeListener = viewer.scene.preRender.addEventListener(update);
    return () => {
      abort.abort();
      removeListener();
      drawn.current = { tMs: Number.NaN, vehicles: [], live: false };
      if (!viewer.isDestroyed()) viewer.scene.primitives.remove(collection);
    };
  }, [viewer, feed, routeColours, onCount, drawn]);
}

export interface TransportLayersProps {
  tool: TransportTool;
  hooks: PlacetwinTestHooks;
}

export function TransportLayers({ tool, hooks }: TransportLayersProps) {
  const { cesiumWidget: viewer } = useCesium();
  const { network, feed, stop, selectStop, pickingOrigin, requestIsochrones, isochrones, setVehicleCount } =
    tool;
  const routes = useMemo(() => (network.status === 'loaded' ? network.data.routes : []), [network]);
  const stops = useMemo(() => (network.status === 'loaded' ? network.data.stops : []), [network]);
  const routeColours = useMemo(
    () =>
      new Map(
        routes.map((r, i) => [
          String(r.properties.routeId),
          Color.fromCssColorString(routeCss(r.properties.color, i)),
        ]),
      ),
    [routes],
  );
  const drawn = useRef<{ tMs: number; vehicles: VehiclePosition[]; live: boolean }>({
    tMs: Number.NaN,
    vehicles: [],
    live: false,
  });

  useRoutes(viewer, routes, routeColours);
  useStops(viewer, stops, stop?.stopId ?? null);
  useVehicles(viewer, feed?.name ?? null, routeColours, setVehicleCount, drawn);

  const { fifteen } = tool;
  const { pickingPoint, requestPoint, setViewBounds } = fifteen;
  // Clicks: the 15-minute score's point or the accessibility origin while picking one, else a stop (buildings are
  // SceneSync's).
  useEffect(() => {
    if (!viewer || (!feed && !pickingPoint)) return;
    const handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
    handler.setInputAction((click: ScreenSpaceEventHandler.PositionedEvent) => {
      if (pickingPoint) {
        const p = groundAt(viewer, click.position.x, click.position.y);
        if (p) requestPoint(p[0], p[1]);
        return;
      }
      if (pickingOrigin) {
        const p = groundAt(viewer, click.position.x, click.position.y);
        if (p) requestIsochrones(p[0], p[1]);
        return;
      }
      const picked: unknown = viewer.scene.pick(click.position);
      const id = typeof picked === 'object' && picked !== null ? (picked as { id?: unknown }).id : undefined;
      if (isStopId(id)) selectStop({ stopId: id.stopId, name: id.name });
    }, ScreenSpaceEventType.LEFT_CLICK);
    if (pickingOrigin || pickingPoint) viewer.scene.canvas.style.cursor = 'crosshair';
    return () => {
      handler.destroy();
      if (!viewer.isDestroyed()) viewer.scene.canvas.style.cursor = '';
    };
  }, [viewer, feed, pickingOrigin, pickingPoint, requestIsochrones, requestPoint, selectStop]);

  // The score map asks for the ground in view.
  useEffect(() => {
    if (!viewer) return;
    setViewBounds(() => {
      if (viewer.isDestroyed()) return null;
      const r = viewer.camera.computeViewRectangle();
      if (!r) return null;
      const deg = (x: number) => (x * 180) / Math.PI;
      return [deg(r.west), deg(r.south), deg(r.east), deg(r.north)];
    });
    return () => setViewBounds(null);
  }, [viewer, setViewBounds]);
  const scoreMap = fifteen.map.status === 'loaded' ? fifteen.map.data : null;
  const scoreCellsDrawn = useScoreMap(viewer, scoreMap);
  const pointScore = fifteen.point.status === 'loaded' ? fifteen.point.data : null;
  usePointMarker(viewer, pointScore ? pointScore.origin : null);

  // The test hook reads what is drawn (see testHooks.ts).
  const stateRef = useRef<TransportTestState>({
    feed: null,
    routes: 0,
    stops: 0,
    vehicles: [],
    vehiclesAtMs: null,
    vehiclesLive: false,
    isochroneBands: [],
    scoreCellsDrawn: 0,
    pointScore: null,
  });
  stateRef.current = {
    feed: feed?.name ?? null,
    routes: routes.length,
    stops: stops.length,
    vehicles: [],
    vehiclesAtMs: null,
    vehiclesLive: false,
    isochroneBands: isochrones.status === 'loaded' ? isochrones.data.bands.map((b) => b.minutes) : [],
    scoreCellsDrawn,
    pointScore: pointScore?.score ?? null,
  };
  useEffect(() => {
    hooks.transport = () => ({
      ...stateRef.current,
      vehicles: drawn.current.vehicles.map((v) => ({ ...v })),
      vehiclesAtMs: Number.isNaN(drawn.current.tMs) ? null : drawn.current.tMs,
      vehiclesLive: drawn.current.live,
    });
    return () => {
      delete hooks.transport;
    };
  }, [hooks]);

  const result = isochrones.status === 'loaded' ? isochrones.data : null;
  useIsochrones(viewer, result);
  return null;
}

/**
 * Isochrone bands on the ground, nearer bands a little higher so they lie on top (they nest: each tints the next).
 * One synchronous primitive: entities (asynchronous ground geometry) did not appear in this CesiumWidget scene, and
 * Resium's <Entity> needs a Viewer's context anyway.
 */
function useIsochrones(viewer: CesiumWidget | undefined, result: IsochroneResult | null) {
  useEffect(() => {
    if (!viewer || !result) return;
    const instances = result.bands.flatMap((band, i) =>
      band.polygons.map(
        (rings) =>
          new GeometryInstance({
            geometry: new PolygonGeometry({
              polygonHierarchy: new PolygonHierarchy(
                Cartesian3.fromDegreesArray(rings[0].flat()),
                rings.slice(1).map((h) => new PolygonHierarchy(Cartesian3.fromDegreesArray(h.flat()))),
              ),
              height: BAND_BASE_HEIGHT_M + (result.bands.length - i) * BAND_STEP_M,
              vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
            }),
            attributes: {
              color: ColorGeometryInstanceAttribute.fromColor(
                Color.fromCssColorString(BAND_COLOURS[i % BAND_COLOURS.length]).withAlpha(BAND_ALPHA),
              ),
            },
          }),
      ),
    );
    const bands = new Primitive({
      geometryInstances: instances,
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
      asynchronous: false,
    });
    const origin = new PointPrimitiveCollection();
    origin.add({
      position: Cartesian3.fromDegrees(result.origin[0], result.origin[1], LINE_HEIGHT_M),
      pixelSize: 12,
      color: Color.fromCssColorString('#ffbf47'),
      outlineColor: Color.BLACK,
      outlineWidth: 2,
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
    });
    viewer.scene.primitives.add(bands);
    viewer.scene.primitives.add(origin);
    return () => {
      if (viewer.isDestroyed()) return;
      viewer.scene.primitives.remove(bands);
      viewer.scene.primitives.remove(origin);
    };
  }, [viewer, result]);
}

/** Below the isochrone bands, so that both can be shown. */
const SCORE_HEIGHT_M = 0.2;
const SCORE_ALPHA = 0.45;
/** Cells with nothing in reach are fainter, so that a county map stays readable around its towns. */
const SCORE_NONE_ALPHA = 0.25;

/**
 * The 15-minute score map on the ground: one rectangle per cell in its score's colour, one synchronous primitive
 * (as the isochrones). Returns how many cells are drawn, once they are (for the test hook).
 */
function useScoreMap(viewer: CesiumWidget | undefined, map: ScoreMap | null): number {
  const [drawn, setDrawn] = useState(0);
  useEffect(() => {
    if (!viewer || !map || map.cells.length === 0) return;
    const total = map.services.length;
    const primitive = new Primitive({
      geometryInstances: map.cells.map(
        (c) =>
          new GeometryInstance({
            geometry: new RectangleGeometry({
              rectangle: Rectangle.fromDegrees(...c.bbox),
              height: SCORE_HEIGHT_M,
              vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
            }),
            attributes: {
              color: ColorGeometryInstanceAttribute.fromColor(
                Color.fromCssColorString(scoreColour(c.reachable, total)).withAlpha(
                  c.reachable === 0 ? SCORE_NONE_ALPHA : SCORE_ALPHA,
                ),
              ),
            },
          }),
      ),
      appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
      asynchronous: false,
    });
    viewer.scene.primitives.add(primitive);
    let live = true;
    const remove = viewer.scene.postRender.addEventListener(() => {
      remove();
      if (live) setDrawn(map.cells.length);
    });
    viewer.scene.requestRender();
    return () => {
      live = false;
      remove();
      setDrawn(0);
      if (!viewer.isDestroyed()) viewer.scene.primitives.remove(primitive);
    };
  }, [viewer, map]);
  return drawn;
}

/** The point whose score is shown. */
function usePointMarker(viewer: CesiumWidget | undefined, at: [number, number] | null) {
  const lon = at?.[0];
  const lat = at?.[1];
  useEffect(() => {
    if (!viewer || lon === undefined || lat === undefined) return;
    const points = new PointPrimitiveCollection();
    points.add({
      position: Cartesian3.fromDegrees(lon, lat, LINE_HEIGHT_M),
      pixelSize: 12,
      color: Color.fromCssColorString('#ffffff'),
      outlineColor: Color.fromCssColorString('#0b0c0c'),
      outlineWidth: 3,
      disableDepthTestDistance: Number.POSITIVE_INFINITY,
    });
    viewer.scene.primitives.add(points);
    return () => {
      if (!viewer.isDestroyed()) viewer.scene.primitives.remove(points);
    };
  }, [viewer, lon, lat]);
}

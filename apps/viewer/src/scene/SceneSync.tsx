/**
 * Keeps the Cesium scene and the view state in step: state → scene (camera requests, clock, shadows) and scene →
 * state (the camera under the user's mouse, the running clock, clicks on buildings). Renders nothing.
 */
import {
  type CesiumWidget,
  type Clock,
  Color,
  JulianDate,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
} from 'cesium';
import { type Dispatch, useEffect, useRef } from 'react';
import { useCesium } from 'resium';
import type { Action, AppState } from '../state/store';
import { isoInstant, sameView, type ViewState } from '../state/viewState';
import { cameraDestination, readCameraView } from './cameraPose';
import type { SceneProbe } from './instrument';
import { pickBuildingId } from './picking';

/** Camera moves settle into the state (and the URL) this long after the last change. */
const CAMERA_SETTLE_MS = 250;
/** A running clock updates the time shown (and the URL) at most this often. */
const CLOCK_REPORT_MS = 1000;
const FLIGHT_SECONDS = 1.5;

export interface SceneSyncProps {
  state: AppState;
  dispatch: Dispatch<Action>;
  probe: SceneProbe;
  /** Whether clicks select buildings (not while a tool such as area drawing owns the clicks). */
  picking?: boolean;
}

/** One-off look of the scene: lit by the sun at the scene time, crisp shadows, antialiased edges. */
function styleScene(viewer: CesiumWidget): void {
  const { scene } = viewer;
  scene.globe.enableLighting = true;
  scene.globe.baseColor = Color.fromCssColorString('#20303f');
  scene.fog.enabled = true;
  scene.postProcessStages.fxaa.enabled = true;
  const shadowMap = scene.shadowMap;
  // Cesium's soft (PCF) shadows stripe flat roofs and walls with shadow acne on this geometry; hard shadows are clean.
  shadowMap.softShadows = false;
  shadowMap.size = 2048;
  shadowMap.darkness = 0.35;
  // The default 5 km reach spreads the shadow map thin over a county; a town is what people look at.
  shadowMap.maximumDistance = 3000;
  scene.screenSpaceCameraController.minimumZoomDistance = 20;
}

export function SceneSync({ state, dispatch, probe, picking = true }: SceneSyncProps) {
  const { cesiumWidget: viewer } = useCesium();
  const stateRef = useRef<ViewState>(state.view);
  stateRef.current = state.view;

  useEffect(() => {
    if (!viewer) return;
    styleScene(viewer);
    return probe.attach(viewer, () => stateRef.current, dispatch);
  }, [viewer, probe, dispatch]);

  // Camera requests (Home, a link, the test hook) → the scene.
  const request = state.cameraRequest;
  useEffect(() => {
    if (!viewer || !request) return;
    const target = cameraDestination(request.view);
    // A jump must also end any flight still under way (Home pressed mid-flight, a link, the test hook): setView
    // alone leaves the flight running, and its next frames would carry the camera away again.
    viewer.camera.cancelFlight();
    if (request.fly) viewer.camera.flyTo({ ...target, duration: request.durationS ?? FLIGHT_SECONDS });
    else viewer.camera.setView(target);
  }, [viewer, request]);

  // The user's camera → the state, once the camera settles.
  useEffect(() => {
    if (!viewer) return;
    const camera = viewer.camera;
    camera.percentageChanged = 0.01;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const report = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const now = readCameraView(camera);
        if (!sameView(now, stateRef.current.camera)) dispatch({ type: 'cameraMoved', camera: now });
      }, CAMERA_SETTLE_MS);
    };
    const removeChanged = camera.changed.addEventListener(report);
    const removeMoveEnd = camera.moveEnd.addEventListener(report);
    return () => {
      clearTimeout(timer);
      removeChanged();
      removeMoveEnd();
    };
  }, [viewer, dispatch]);

  // Clicks on buildings → the selection.
  useEffect(() => {
    if (!viewer || !picking) return;
    const handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
    handler.setInputAction((click: ScreenSpaceEventHandler.PositionedEvent) => {
      dispatch({ type: 'select', id: pickBuildingId(viewer.scene, click.position) });
    }, ScreenSpaceEventType.LEFT_CLICK);
    return () => handler.destroy();
  }, [viewer, dispatch, picking]);

  // The state's time and clock settings → Cesium's clock (unless the time came from that clock).
  const { time } = state.view;
  const { timeFromClock } = state;
  useEffect(() => {
    if (!viewer || timeFromClock) return;
    viewer.clock.currentTime = JulianDate.fromIso8601(time);
    viewer.scene.requestRender();
  }, [viewer, time, timeFromClock]);

  const { shadows } = state.view;
  useEffect(() => {
    if (!viewer) return;
    viewer.scene.shadowMap.enabled = shadows;
  }, [viewer, shadows]);

  const { playing, multiplier } = state.clock;
  useEffect(() => {
    if (!viewer) return;
    viewer.clock.shouldAnimate = playing;
    viewer.clock.multiplier = multiplier;
  }, [viewer, playing, multiplier]);

  // A running clock → the state, now and then.
  useEffect(() => {
    if (!viewer || !playing) return;
    let last = 0;
    const onTick = (clock: Clock) => {
      const now = performance.now();
      if (now - last < CLOCK_REPORT_MS) return;
      last = now;
      dispatch({ type: 'clockTicked', time: isoInstant(JulianDate.toDate(clock.currentTime)) });
    };
    const removeTick = viewer.clock.onTick.addEventListener(onTick);
    return () => {
      removeTick();
      if (viewer.isDestroyed()) return;
      // Pausing keeps the exact time the clock stopped at, not the last one reported.
      dispatch({ type: 'clockTicked', time: isoInstant(JulianDate.toDate(viewer.clock.currentTime)) });
    };
  }, [viewer, playing, dispatch]);

  return null;
}

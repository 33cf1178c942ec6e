/**
 * Builds `window.__placetwin` (see ../testHooks.ts). The object exists from the first line of main.tsx so a test
 * can wait on it; the scene attaches itself when the Cesium viewer exists.
 */
import { Cartesian2, Cartesian3, type CesiumWidget, SceneTransforms } from 'cesium';
import type { Action } from '../state/store';
import { type CameraView, sameView, type ViewState } from '../state/viewState';
import type { FrameStats, PlacetwinTestHooks, SolarTestHooks } from '../testHooks';
import { readCameraView } from './cameraPose';
import { pickBuildingId } from './picking';
import { groundAt } from './SunHoursLayers';

/** Whether one building layer (a tileset, or the GeoJSON data source) has loaded what the view needs. */
export type LayerLoaded = () => boolean;

export interface SceneProbe {
  hooks: PlacetwinTestHooks;
  attach(viewer: CesiumWidget, getState: () => ViewState, dispatch: (a: Action) => void): () => void;
  /** The building layers that should be on screen (visible datasets); called whenever that set changes. */
  expectLayers(names: readonly string[]): void;
  setLayer(name: string, loaded: LayerLoaded | null): void;
  /** The app's sun-panel and sun-hours state, for the sun hooks. */
  provideSolar(solar: SolarTestHooks | null): void;
}

const FRAME_WINDOW = 120;
/**
 * Loaded means loaded for this many frames in a row. Right after a camera jump Cesium renders a frame or two from
 * tiles it already has, with its load queues momentarily empty, before it asks for the new view's tiles.
 */
const STABLE_FRAMES = 4;
const CAMERA_TIMEOUT_MS = 45_000;

export function createSceneProbe(mode: 'tiles' | 'geojson'): SceneProbe {
  let viewer: CesiumWidget | null = null;
  let getState: (() => ViewState) | null = null;
  let dispatch: ((a: Action) => void) | null = null;
  let solar: SolarTestHooks | null = null;
  let expected: readonly string[] | null = null;
  const layers = new Map<string, LayerLoaded>();
  const frameTimes: number[] = [];
  let frames = 0;
  let firstCompleteFrameMs: number | null = null;
  /** Consecutive frames with every expected building layer loaded, and with the globe loaded too. */
  let layersQuiet = { frames: 0, since: 0 };
  let sceneQuiet = { frames: 0, since: 0 };
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const maybeReady = (): void => {
    if (hooks.isReady || viewer === null || expected === null) return;
    hooks.isReady = true;
    resolveReady();
  };

  const need = <T>(x: T | null): T => {
    if (x === null) throw new Error('the Placetwin scene is not ready yet (await __placetwin.ready)');
    return x;
  };

  const layersLoadedNow = (): boolean => expected?.every((name) => layers.get(name)?.() === true) ?? false;
  const tilesetsLoaded = (): boolean => layersQuiet.frames >= STABLE_FRAMES && layersLoadedNow();
  const sceneLoaded = (): boolean =>
    sceneQuiet.frames >= STABLE_FRAMES && layersLoadedNow() && viewer?.scene.globe.tilesLoaded === true;
  const count = (run: { frames: number; since: number }, loaded: boolean, now: number) =>
    loaded ? { frames: run.frames + 1, since: run.frames === 0 ? now : run.since } : { frames: 0, since: 0 };

  /** Resolves after `n` more frames have rendered (and a condition holds, when given). */
  const afterFrames = (n: number, until: () => boolean = () => true): Promise<void> =>
    new Promise((resolve, reject) => {
      const scene = need(viewer).scene;
      let left = n;
      const timer = setTimeout(() => {
        remove();
        reject(new Error('the scene did not reach the requested view in time'));
      }, CAMERA_TIMEOUT_MS);
      const remove = scene.postRender.addEventListener(() => {
        if (!until()) return;
        if (--left > 0) return;
        clearTimeout(timer);
        remove();
        resolve();
      });
      scene.requestRender();
    });

  const hooks: PlacetwinTestHooks = {
    ready,
    isReady: false,
    mode,
    tilesetsLoaded,
    sceneLoaded,
    pickAt: (x, y) => pickBuildingId(need(viewer).scene, new Cartesian2(x, y)),
    worldToScreen: (lon, lat, heightM) => {
      const scene = need(viewer).scene;
      const p = SceneTransforms.worldToWindowCoordinates(scene, Cartesian3.fromDegrees(lon, lat, heightM));
      if (!p) return null;
      const inside =
        p.x >= 0 && p.y >= 0 && p.x < scene.canvas.clientWidth && p.y < scene.canvas.clientHeight;
      return inside ? { x: p.x, y: p.y } : null;
    },
    cameraTo: async (view: CameraView) => {
      need(dispatch)({ type: 'flyTo', camera: view, fly: false });
      const camera = need(viewer).camera;
      await afterFrames(2, () => sameView(readCameraView(camera), view));
    },
    state: () => structuredClone(need(getState)()),
    sun: () => need(solar).sun(),
    area: () => need(solar).area(),
    drawArea: (points) => need(solar).drawArea(points),
    groundAt: (x, y) => groundAt(need(viewer), x, y),
    sunHours: () => need(solar).sunHours(),
    frameStats: (): FrameStats => {
      const n = frameTimes.length;
      const spanMs = n > 1 ? frameTimes[n - 1] - frameTimes[0] : 0;
      let maxFrameMs = 0;
      for (let i = 1; i < n; i++) maxFrameMs = Math.max(maxFrameMs, frameTimes[i] - frameTimes[i - 1]);
      return {
        firstCompleteFrameMs,
        frames,
        fps: spanMs > 0 ? ((n - 1) * 1000) / spanMs : 0,
        meanFrameMs: n > 1 ? spanMs / (n - 1) : 0,
        maxFrameMs,
        windowFrames: n,
      };
    },
  };

  return {
    hooks,
    attach(v, state, act) {
      viewer = v;
      getState = state;
      dispatch = act;
      const removePostRender = v.scene.postRender.addEventListener(() => {
        const now = performance.now();
        frames++;
        frameTimes.push(now);
        if (frameTimes.length > FRAME_WINDOW) frameTimes.shift();
        const layersLoaded = layersLoadedNow();
        layersQuiet = count(layersQuiet, layersLoaded, now);
        sceneQuiet = count(sceneQuiet, layersLoaded && v.scene.globe.tilesLoaded, now);
        // The first complete frame is the first of the run that proved stable.
        if (firstCompleteFrameMs === null && sceneQuiet.frames >= STABLE_FRAMES)
          firstCompleteFrameMs = sceneQuiet.since;
      });
      maybeReady();
      return () => {
        removePostRender();
        viewer = null;
      };
    },
    expectLayers(names) {
      expected = [...names];
      maybeReady();
    },
    provideSolar(s) {
      solar = s;
    },
    setLayer(name, loaded) {
      if (loaded) layers.set(name, loaded);
      else layers.delete(name);
    },
  };
}

/**
 * Compare side by side: a second Cesium view over the left half of the scene, showing the other side (the baseline,
 * or another scenario: its overlay, with the baseline buildings it replaces hidden), while the main view, moved to
 * the right half, shows the open scenario. The cameras are linked: whichever view the user last pressed, scrolled or
 * typed in drives, and every frame it moved in, the other view takes the same pose.
 *
 * The second view uses the main view's imagery providers (the offline globe and OSM basemap), so it fetches
 * nothing the main view does not, and has no ion or Bing base layer.
 */
import {
  Cartesian3,
  Cesium3DTileColorBlendMode,
  Math as CesiumMath,
  type CesiumWidget as CesiumWidgetType,
  Expression,
  ImageryLayer,
  ShadowMode,
} from 'cesium';
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { Cesium3DTileset, CesiumWidget, useCesium } from 'resium';
import type { OverlayAnswer } from '../state/scenario';
import type { ViewState } from '../state/viewState';
import { buildingStyle } from './joinedStyle';

export interface SplitViewStatus {
  /** The left view's tilesets have loaded once and its globe tiles are loaded. */
  leftLoaded: boolean;
  /** Imagery layers (globe, basemap) of the left and the main view: the same when the left copied them all. */
  leftLayers: number;
  mainLayers: number;
  /** Distance between the two cameras (m): ~0 while linked. */
  cameraGapM: number;
  /** Which view drives the other. */
  driver: 'left' | 'right';
}

export interface CompareSplitViewProps {
  main: CesiumWidgetType;
  baselineTilesetUrl: string;
  /** The other scenario's overlay; null: the left side is the baseline. */
  other: OverlayAnswer | null;
  view: ViewState;
  /** Where the split view reports its state (test hooks). */
  status: { current: SplitViewStatus | null };
  /** The names of the two sides, shown at the top of each half. */
  labels: { left: string; right: string };
}

/**
 * The split view, rendered into a host element that is the scene's first child: the scene's own overlays (credits,
 * status, the building panel) come later in the DOM and so stay on top of it.
 */
export function CompareSplitPortal(props: CompareSplitViewProps) {
  const [host] = useState(() => {
    const el = document.createElement('div');
    el.className = 'compare-split-host';
    return el;
  });
  useEffect(() => {
    const scene = props.main.container.parentElement;
    if (!scene) return;
    scene.insertBefore(host, scene.firstChild);
    return () => host.remove();
  }, [props.main, host]);
  return createPortal(
    <>
      <CompareSplitView {...props} />
      <span className="swipe-label left" style={{ right: '50%', zIndex: 1 }}>
        {props.labels.left}
      </span>
      <span className="swipe-label right" style={{ left: '50%', zIndex: 1 }}>
        {props.labels.right}
      </span>
    </>,
    host,
  );
}

export function CompareSplitView(props: CompareSplitViewProps) {
  const [hiddenCredits] = useState(() => document.createElement('div'));
  // The main view moves to the right half while the split is shown.
  useEffect(() => {
    const c = props.main.container as HTMLElement;
    const before = c.style.left;
    c.style.left = '50%';
    return () => {
      c.style.left = before;
    };
  }, [props.main]);
  return (
    <CesiumWidget
      full
      style={{ right: '50%', borderRight: '2px solid #fff' }}
      className="compare-left"
      baseLayer={false}
      creditContainer={hiddenCredits}
      scene3DOnly
      terrainShadows={ShadowMode.RECEIVE_ONLY}
    >
      <LeftContent {...props} />
    </CesiumWidget>
  );
}

function LeftContent({ main, baselineTilesetUrl, other, view, status }: CompareSplitViewProps) {
  const { cesiumWidget: left } = useCesium();
  const [loaded, setLoaded] = useState(0);

  // The same imagery as the main view (globe and basemap), layer by layer.
  useEffect(() => {
    if (!left) return;
    const layers: ImageryLayer[] = [];
    for (let i = 0; i < main.imageryLayers.length; i++) {
      const l = main.imageryLayers.get(i);
      if (!l.ready) continue;
      const copy = new ImageryLayer(l.imageryProvider, { show: l.show });
      left.imageryLayers.add(copy);
      layers.push(copy);
    }
    return () => {
      if (!left.isDestroyed()) for (const l of layers) left.imageryLayers.remove(l, true);
    };
  }, [left, main]);

  useEffect(() => {
    if (!left) return;
    return linkCameras(main, left, status);
  }, [main, left, status]);

  const baselineStyle = useMemo(() => {
    const s = buildingStyle(view.colourBy, null, null);
    if (other) s.show = new Expression(other.show);
    return s;
  }, [view.colourBy, other]);
  const overlayStyle = useMemo(() => buildingStyle(view.colourBy, null, null), [view.colourBy]);
  const expected = other?.tilesetUrl ? 2 : 1;
  useEffect(() => {
    tilesetsLoaded.set(status, loaded >= expected);
  }, [loaded, expected, status]);

  return (
    <>
      <Cesium3DTileset
        url={baselineTilesetUrl}
        style={baselineStyle}
        shadows={ShadowMode.ENABLED}
        colorBlendMode={Cesium3DTileColorBlendMode.REPLACE}
        onInitialTilesLoad={() => setLoaded((n) => n + 1)}
      />
      {other?.tilesetUrl && (
        <Cesium3DTileset
          key={other.tilesetUrl}
          url={other.tilesetUrl}
          style={overlayStyle}
          shadows={ShadowMode.ENABLED}
          colorBlendMode={Cesium3DTileColorBlendMode.REPLACE}
          onInitialTilesLoad={() => setLoaded((n) => n + 1)}
        />
      )}
    </>
  );
}

/** Whether the left view's tilesets have loaded, by status holder (the React side sets it, report() reads it). */
const tilesetsLoaded = new WeakMap<object, boolean>();

/**
 * Links two views' cameras: the one the user last used drives; whenever its pose changes, the other is set to it.
 * Returns the unlink function.
 */
export function linkCameras(
  right: CesiumWidgetType,
  left: CesiumWidgetType,
  status: { current: SplitViewStatus | null },
): () => void {
  let driver: 'left' | 'right' = 'right';
  const last = { position: new Cartesian3(), direction: new Cartesian3(), up: new Cartesian3() };
  const same = (w: CesiumWidgetType) =>
    Cartesian3.equalsEpsilon(w.camera.positionWC, last.position, 0, 1e-3) &&
    Cartesian3.equalsEpsilon(w.camera.directionWC, last.direction, CesiumMath.EPSILON9) &&
    Cartesian3.equalsEpsilon(w.camera.upWC, last.up, CesiumMath.EPSILON9);
  const copy = (from: CesiumWidgetType, to: CesiumWidgetType) => {
    if (from.isDestroyed() || to.isDestroyed()) return;
    to.camera.setView({
      destination: Cartesian3.clone(from.camera.positionWC),
      orientation: { heading: from.camera.heading, pitch: from.camera.pitch, roll: from.camera.roll },
    });
    Cartesian3.clone(from.camera.positionWC, last.position);
    Cartesian3.clone(from.camera.directionWC, last.direction);
    Cartesian3.clone(from.camera.upWC, last.up);
    to.scene.requestRender();
  };
  const report = () => {
    if (left.isDestroyed() || right.isDestroyed()) return;
    status.current = {
      leftLoaded: (tilesetsLoaded.get(status) ?? false) && left.scene.globe.tilesLoaded,
      leftLayers: left.imageryLayers.length,
      mainLayers: right.imageryLayers.length,
      cameraGapM: Cartesian3.distance(left.camera.positionWC, right.camera.positionWC),
      driver,
    };
  };
  const follow = (w: CesiumWidgetType, side: 'left' | 'right') => () => {
    if (driver !== side || same(w)) return report();
    copy(w, side === 'left' ? right : left);
    report();
  };
  const removeRight = right.scene.postRender.addEventListener(follow(right, 'right'));
  const removeLeft = left.scene.postRender.addEventListener(follow(left, 'left'));
  const take = (side: 'left' | 'right') => () => {
    driver = side;
  };
  const events = ['pointerdown', 'wheel', 'keydown', 'touchstart'] as const;
  const handlers = [
    [left.container, take('left')],
    [right.container, take('right')],
  ] as const;
  for (const [el, h] of handlers) for (const e of events) el.addEventListener(e, h, { passive: true });
  copy(right, left);
  report();
  return () => {
    removeRight();
    removeLeft();
    for (const [el, h] of handlers) for (const e of events) el.removeEventListener(e, h);
    status.current = null;
  };
}

/**
 * The sun-hours tool on the globe: clicks on the ground add corners while drawing (double-click closes), the area
 * is outlined on the ground, and a finished analysis is draped on the ground as one image (the server's PNG
 * resampled to longitude/latitude) under the buildings.
 */
import {
  Cartesian3,
  Cartographic,
  Math as CesiumMath,
  type CesiumWidget,
  Color,
  ImageryLayer,
  Rectangle,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  SingleTileImageryProvider,
} from 'cesium';
import { useEffect, useMemo } from 'react';
import { Entity, PointGraphics, PolygonGraphics, PolylineGraphics, useCesium } from 'resium';
import type { LonLat } from '../state/sunHours';
import type { SunHoursTool } from '../ui/useSunHoursTool';

/** The ground point under a canvas pixel (the ellipsoid: the scene's terrain), or null off the globe. */
export function groundAt(viewer: CesiumWidget, x: number, y: number): LonLat | null {
  const p = viewer.camera.pickEllipsoid({ x, y } as never, viewer.scene.globe.ellipsoid);
  if (!p) return null;
  const c = Cartographic.fromCartesian(p);
  return [CesiumMath.toDegrees(c.longitude), CesiumMath.toDegrees(c.latitude)];
}

const OUTLINE = Color.fromCssColorString('#ffbf47');
const FILL = OUTLINE.withAlpha(0.18);
/** How opaque the draped result is: the basemap's streets stay readable under it. */
const OVERLAY_ALPHA = 0.8;

export function SunHoursLayers({ tool }: { tool: SunHoursTool }) {
  const { cesiumWidget: viewer } = useCesium();
  const { mode, points, addPoint, finishDrawing } = tool;

  useEffect(() => {
    if (!viewer || mode !== 'drawing') return;
    const handler = new ScreenSpaceEventHandler(viewer.scene.canvas);
    handler.setInputAction((click: ScreenSpaceEventHandler.PositionedEvent) => {
      const p = groundAt(viewer, click.position.x, click.position.y);
      if (p) addPoint(p);
    }, ScreenSpaceEventType.LEFT_CLICK);
    handler.setInputAction(() => {
      finishDrawing();
    }, ScreenSpaceEventType.LEFT_DOUBLE_CLICK);
    viewer.scene.canvas.style.cursor = 'crosshair';
    return () => {
      handler.destroy();
      if (!viewer.isDestroyed()) viewer.scene.canvas.style.cursor = '';
    };
  }, [viewer, mode, addPoint, finishDrawing]);

  // Cesium refuses an empty coordinate list: no points, no positions.
  const positions = useMemo(
    () => (points.length ? Cartesian3.fromDegreesArray(points.flat()) : []),
    [points],
  );
  const outline = useMemo(
    () => (mode === 'closed' && positions.length > 2 ? [...positions, positions[0]] : positions),
    [mode, positions],
  );

  const done = tool.run.status === 'done' ? tool.run.job : null;
  const overlayUrl = done?.result ? done.links.overlayPng : null;
  const overlayBbox = done?.result ? done.result.bbox.join(',') : null;
  const { overlayShown, setOverlayLoaded } = tool;
  useEffect(() => {
    if (!viewer || !overlayUrl || !overlayBbox || !overlayShown) return;
    const [w, s, e, n] = overlayBbox.split(',').map(Number);
    const layer = ImageryLayer.fromProviderAsync(
      SingleTileImageryProvider.fromUrl(overlayUrl, { rectangle: Rectangle.fromDegrees(w, s, e, n) }),
      { alpha: OVERLAY_ALPHA },
    );
    let live = true;
    const removeReady = layer.readyEvent.addEventListener(() => {
      if (!live) return;
      // Loaded once Cesium has the image and has drawn a frame with it.
      const remove = viewer.scene.postRender.addEventListener(() => {
        remove();
        if (live) setOverlayLoaded(true);
      });
      viewer.scene.requestRender();
    });
    viewer.imageryLayers.add(layer);
    return () => {
      live = false;
      removeReady();
      setOverlayLoaded(false);
      if (!viewer.isDestroyed()) viewer.imageryLayers.remove(layer, true);
    };
  }, [viewer, overlayUrl, overlayBbox, overlayShown, setOverlayLoaded]);

  if (points.length === 0) return null;
  return (
    <>
      <Entity name="Sun-hours area">
        {outline.length > 1 && (
          <PolylineGraphics positions={outline} width={3} material={OUTLINE} clampToGround />
        )}
        {mode === 'closed' && !overlayUrl && positions.length > 2 && (
          <PolygonGraphics hierarchy={positions} material={FILL} />
        )}
      </Entity>
      {mode === 'drawing' &&
        positions.map((p, i) => (
          <Entity key={points[i].join(',')} position={p}>
            <PointGraphics pixelSize={8} color={OUTLINE} outlineColor={Color.BLACK} outlineWidth={1} />
          </Entity>
        ))}
    </>
  );
}

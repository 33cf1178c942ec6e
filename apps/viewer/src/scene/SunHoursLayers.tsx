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
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  ImageryLayer,
  Material,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
  Rectangle,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
  SingleTileImageryProvider,
} from 'cesium';
import { useEffect } from 'react';
import { useCesium } from 'resium';
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

  const done = tool.run.status === 'done' ? tool.run.job : null;
  const overlayUrl = done?.result
    ? tool.side === 'before' && done.links.beforeOverlayPng
      ? done.links.beforeOverlayPng
      : done.links.overlayPng
    : null;
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

  useAreaOutline(viewer, points, mode, overlayUrl === null);
  return null;
}

/** Just above the ground, so the outline is not lost in the ground (the globe is the flat ellipsoid). */
const OUTLINE_HEIGHT_M = 0.5;

/**
 * The area on the globe as primitives (the bare CesiumWidget has no entity display): its outline, a light fill
 * when closed and not yet covered by a result, and the corners while drawing.
 */
function useAreaOutline(
  viewer: CesiumWidget | undefined,
  points: LonLat[],
  mode: SunHoursTool['mode'],
  fill: boolean,
) {
  useEffect(() => {
    if (!viewer || points.length === 0) return;
    const closed = mode === 'closed' && points.length > 2;
    const ring = closed ? [...points, points[0]] : points;
    const added: (PolylineCollection | PointPrimitiveCollection | Primitive)[] = [];
    if (ring.length > 1) {
      const lines = new PolylineCollection();
      lines.add({
        positions: Cartesian3.fromDegreesArrayHeights(ring.flatMap(([x, y]) => [x, y, OUTLINE_HEIGHT_M])),
        width: 3,
        material: Material.fromType('Color', { color: OUTLINE }),
      });
      added.push(lines);
    }
    if (closed && fill)
      added.push(
        new Primitive({
          geometryInstances: new GeometryInstance({
            geometry: new PolygonGeometry({
              polygonHierarchy: new PolygonHierarchy(Cartesian3.fromDegreesArray(points.flat())),
              height: OUTLINE_HEIGHT_M / 2,
              vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
            }),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(FILL) },
          }),
          appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
          asynchronous: false,
        }),
      );
    if (mode === 'drawing') {
      const corners = new PointPrimitiveCollection();
      for (const [x, y] of points)
        corners.add({
          position: Cartesian3.fromDegrees(x, y, OUTLINE_HEIGHT_M),
          pixelSize: 8,
          color: OUTLINE,
          outlineColor: Color.BLACK,
          outlineWidth: 1,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        });
      added.push(corners);
    }
    for (const p of added) viewer.scene.primitives.add(p);
    viewer.scene.requestRender();
    return () => {
      if (viewer.isDestroyed()) return;
      for (const p of added) viewer.scene.primitives.remove(p);
      viewer.scene.requestRender();
    };
  }, [viewer, points, mode, fill]);
}

/**
 * Editing handles drawn as plain primitives (a PointPrimitiveCollection and a PolylineCollection) rather than
 * entities: they are built on the main thread and drawn in the next frame, where an entity waits for the
 * DataSourceDisplay's batches (see PreviewBlock in ScenarioOverlay.tsx). The ground is the ellipsoid (height 0).
 * Points are drawn over everything (no depth test), lines on the ground.
 */
import { Cartesian3, Color, Material, PointPrimitiveCollection, PolylineCollection } from 'cesium';
import { useEffect } from 'react';
import { useCesium } from 'resium';
import type { LonLat } from '../state/sunHours';

export interface HandlePoint {
  at: LonLat;
  pixelSize: number;
  color: Color;
  outlineWidth?: number;
}
export interface HandleLine {
  /** Corners in order; give the first again at the end to close a ring. */
  positions: readonly LonLat[];
  color: Color;
  width: number;
}

/** Raised a little above the ground so a line on flat open ground is not lost in the globe's surface. */
const LIFT_M = 0.3;

export function HandlePrimitives({ points, lines }: { points: HandlePoint[]; lines: HandleLine[] }) {
  const { cesiumWidget: viewer } = useCesium();
  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const pointCollection = new PointPrimitiveCollection();
    for (const p of points)
      pointCollection.add({
        position: Cartesian3.fromDegrees(p.at[0], p.at[1], LIFT_M),
        pixelSize: p.pixelSize,
        color: p.color,
        outlineColor: Color.BLACK,
        outlineWidth: p.outlineWidth ?? 2,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    const lineCollection = new PolylineCollection();
    for (const l of lines)
      if (l.positions.length > 1)
        lineCollection.add({
          positions: Cartesian3.fromDegreesArrayHeights(l.positions.flatMap(([x, y]) => [x, y, LIFT_M])),
          width: l.width,
          material: Material.fromType('Color', { color: l.color }),
        });
    scene.primitives.add(lineCollection);
    scene.primitives.add(pointCollection);
    scene.requestRender();
    return () => {
      if (viewer.isDestroyed()) return;
      scene.primitives.remove(pointCollection);
      scene.primitives.remove(lineCollection);
      scene.requestRender();
    };
  }, [viewer, points, lines]);
  return null;
}

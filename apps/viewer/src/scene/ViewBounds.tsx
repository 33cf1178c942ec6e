import { Math as CesiumMath } from 'cesium';
import { useEffect } from 'react';
import { useCesium } from 'resium';

export type ViewBbox = [number, number, number, number];

/**
 * Hands the app a way to ask what part of the ground the camera shows (west, south, east, north in degrees), for
 * "all buildings in view". Renders nothing.
 */
export function ViewBounds({ onReady }: { onReady: (bounds: (() => ViewBbox | null) | null) => void }) {
  const { cesiumWidget: viewer } = useCesium();
  useEffect(() => {
    if (!viewer) return;
    onReady(() => {
      if (viewer.isDestroyed()) return null;
      const r = viewer.camera.computeViewRectangle();
      if (!r) return null;
      const deg = CesiumMath.toDegrees;
      return [deg(r.west), deg(r.south), deg(r.east), deg(r.north)];
    });
    return () => onReady(null);
  }, [viewer, onReady]);
  return null;
}

/**
 * The height handle of the new building in the massing editor: a point on top of the extruded footprint, at the
 * middle of its corners, that the user drags up or down to set the height in whole storeys (3 m each). While it is
 * dragged the camera does not move. Keyboard users have the form's storeys, height and slider.
 *
 * How a drag becomes metres: the screen positions of the handle's foot (ground) and of its top give the pixels per
 * metre at the building, so the pointer's vertical travel is read in metres at that distance, whatever the zoom.
 */
import {
  Cartesian2,
  Cartesian3,
  Color,
  SceneTransforms,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
} from 'cesium';
import { useEffect, useRef } from 'react';
import { Entity, PointGraphics, useCesium } from 'resium';
import { STOREY_M, storeysFromDrag } from '../state/heightDrag';
import type { LonLat } from '../state/sunHours';

export interface HeightHandleProps {
  /** The footprint's corners. */
  points: readonly LonLat[];
  heightM: number;
  onStoreys(storeys: number): void;
}

/** Grab distance around the handle, CSS pixels. */
const GRAB_PX = 16;

export const handleAnchor = (points: readonly LonLat[]): LonLat => [
  points.reduce((a, p) => a + p[0], 0) / points.length,
  points.reduce((a, p) => a + p[1], 0) / points.length,
];

export function HeightHandle({ points, heightM, onStoreys }: HeightHandleProps) {
  const { cesiumWidget: viewer } = useCesium();
  const [lon, lat] = handleAnchor(points);
  const latest = useRef({ lon, lat, heightM, onStoreys });
  latest.current = { lon, lat, heightM, onStoreys };

  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const handler = new ScreenSpaceEventHandler(scene.canvas);
    let drag: { startY: number; startHeightM: number; pxPerM: number; storeys: number } | null = null;
    const screenAt = (h: number) =>
      SceneTransforms.worldToWindowCoordinates(
        scene,
        Cartesian3.fromDegrees(latest.current.lon, latest.current.lat, h),
      );
    handler.setInputAction((e: ScreenSpaceEventHandler.PositionedEvent) => {
      const top = screenAt(latest.current.heightM);
      const foot = screenAt(0);
      if (!top || !foot || Cartesian2.distance(top, e.position) > GRAB_PX) return;
      const pxPerM = (foot.y - top.y) / latest.current.heightM;
      if (!(pxPerM > 0.05)) return; // looking straight down: up/down on screen is not height
      drag = { startY: e.position.y, startHeightM: latest.current.heightM, pxPerM, storeys: 0 };
      scene.screenSpaceCameraController.enableInputs = false;
      scene.canvas.style.cursor = 'ns-resize';
    }, ScreenSpaceEventType.LEFT_DOWN);
    handler.setInputAction((e: ScreenSpaceEventHandler.MotionEvent) => {
      if (!drag) return;
      const storeys = storeysFromDrag(drag.startHeightM, drag.startY - e.endPosition.y, drag.pxPerM);
      if (storeys !== drag.storeys) {
        drag.storeys = storeys;
        latest.current.onStoreys(storeys);
      }
    }, ScreenSpaceEventType.MOUSE_MOVE);
    handler.setInputAction(() => {
      if (!drag) return;
      drag = null;
      scene.screenSpaceCameraController.enableInputs = true;
      scene.canvas.style.cursor = '';
    }, ScreenSpaceEventType.LEFT_UP);
    return () => {
      handler.destroy();
      if (!viewer.isDestroyed()) scene.screenSpaceCameraController.enableInputs = true;
    };
  }, [viewer]);

  return (
    <Entity
      name={`Height handle: drag up or down (${STOREY_M} m a storey)`}
      position={Cartesian3.fromDegrees(lon, lat, heightM)}
    >
      <PointGraphics
        pixelSize={18}
        color={Color.fromCssColorString('#ffbf47')}
        outlineColor={Color.BLACK}
        outlineWidth={2}
        disableDepthTestDistance={Number.POSITIVE_INFINITY}
      />
    </Entity>
  );
}

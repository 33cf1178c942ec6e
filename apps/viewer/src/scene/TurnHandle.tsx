/**
 * The turn handle of the building being edited or moved: a point north of the footprint, beyond its farthest corner,
 * joined to the footprint's centroid by a line. Dragging it swings the footprint about the centroid (whole degrees;
 * Shift: steps of 15°); the turned outline follows the pointer and the camera holds still. On release the turn is
 * sent as one `modify` with rotationDeg about the centroid. The geometry is state/footprintEdit.ts.
 */
import {
  Cartesian3,
  Color,
  KeyboardEventModifier,
  SceneTransforms,
  ScreenSpaceEventHandler,
  ScreenSpaceEventType,
} from 'cesium';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useCesium } from 'resium';
import {
  footprintCentroid,
  nearestHandle,
  rotatedFootprint,
  turnFromDrag,
  turnHandleAt,
} from '../state/footprintEdit';
import type { FootprintJson } from '../state/scenario';
import type { LonLat } from '../state/sunHours';
import { GRAB_PX, outlineRings } from './FootprintEditor';
import { HandlePrimitives } from './HandlePrimitives';
import { groundAt } from './SunHoursLayers';

const HANDLE = Color.fromCssColorString('#ffbf47');
const TURNING = Color.fromCssColorString('#f499be');

export interface TurnHandleProps {
  footprint: FootprintJson;
  onTurned(deg: number, about: LonLat): void;
  /** The turn in progress (degrees), for the test hooks; null when none. */
  onTurn?(deg: number | null): void;
}

export function TurnHandle({ footprint, onTurned, onTurn }: TurnHandleProps) {
  const { cesiumWidget: viewer } = useCesium();
  const centre = useMemo(() => footprintCentroid(footprint), [footprint]);
  const [deg, setDeg] = useState<number | null>(null);
  const latest = useRef({ footprint, centre, onTurned, onTurn });
  latest.current = { footprint, centre, onTurned, onTurn };

  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const handler = new ScreenSpaceEventHandler(scene.canvas);
    let drag: { from: LonLat; deg: number } | null = null;
    const update = (d: number | null) => {
      setDeg(d);
      latest.current.onTurn?.(d);
    };
    const press = (e: ScreenSpaceEventHandler.PositionedEvent) => {
      const { footprint: f, centre: c } = latest.current;
      const [lon, lat] = turnHandleAt(f, c);
      const at = SceneTransforms.worldToWindowCoordinates(scene, Cartesian3.fromDegrees(lon, lat, 0));
      if (nearestHandle([at], e.position, GRAB_PX) < 0) return;
      const p = groundAt(viewer, e.position.x, e.position.y);
      if (!p) return;
      drag = { from: p, deg: 0 };
      scene.screenSpaceCameraController.enableInputs = false;
      scene.canvas.style.cursor = 'grabbing';
      update(0);
    };
    const move = (step: number) => (e: ScreenSpaceEventHandler.MotionEvent) => {
      if (!drag) return;
      const p = groundAt(viewer, e.endPosition.x, e.endPosition.y);
      if (!p) return;
      const d = turnFromDrag(latest.current.centre, drag.from, p, step);
      if (d !== drag.deg) {
        drag.deg = d;
        update(d);
      }
    };
    const release = () => {
      if (!drag) return;
      const d = drag.deg;
      drag = null;
      update(null);
      scene.screenSpaceCameraController.enableInputs = true;
      scene.canvas.style.cursor = '';
      if (d !== 0) latest.current.onTurned(d, latest.current.centre);
    };
    handler.setInputAction(press, ScreenSpaceEventType.LEFT_DOWN);
    handler.setInputAction(press, ScreenSpaceEventType.LEFT_DOWN, KeyboardEventModifier.SHIFT);
    handler.setInputAction(move(1), ScreenSpaceEventType.MOUSE_MOVE);
    handler.setInputAction(move(15), ScreenSpaceEventType.MOUSE_MOVE, KeyboardEventModifier.SHIFT);
    handler.setInputAction(release, ScreenSpaceEventType.LEFT_UP);
    handler.setInputAction(release, ScreenSpaceEventType.LEFT_UP, KeyboardEventModifier.SHIFT);
    return () => {
      handler.destroy();
      if (!viewer.isDestroyed()) {
        scene.screenSpaceCameraController.enableInputs = true;
        scene.canvas.style.cursor = '';
      }
    };
  }, [viewer]);

  const points = useMemo(
    () => [{ at: turnHandleAt(footprint, centre, deg ?? 0), pixelSize: 16, color: HANDLE }],
    [footprint, centre, deg],
  );
  const lines = useMemo(
    () => [
      { positions: [centre, points[0].at], width: 2, color: HANDLE },
      ...(deg ? outlineRings(rotatedFootprint(footprint, deg, centre)) : []).map((positions) => ({
        positions,
        width: 4,
        color: TURNING,
      })),
    ],
    [footprint, deg, centre, points],
  );
  return <HandlePrimitives points={points} lines={lines} />;
}

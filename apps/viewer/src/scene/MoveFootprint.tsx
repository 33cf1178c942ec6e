/**
 * Moving a building in the massing editor: press on its footprint on the ground, drag, release. While dragging the
 * camera holds still and the moved outline follows the pointer; on release the move is sent as one `modify` change
 * with the translated footprint (undoable like any other). A press outside the footprint is left to the camera.
 */
import { Cartesian3, Color, ScreenSpaceEventHandler, ScreenSpaceEventType } from 'cesium';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Entity, PolylineGraphics, useCesium } from 'resium';
import { type FootprintJson, insideFootprint, movedFootprint } from '../state/scenario';
import type { LonLat } from '../state/sunHours';
import { groundAt } from './SunHoursLayers';

const OUTLINE = Color.fromCssColorString('#ffbf47');

export interface MoveFootprintProps {
  footprint: FootprintJson;
  onMoved(from: LonLat, to: LonLat): void;
  /** The drag in progress (ground points), for the test hooks; null when none. */
  onDrag?(drag: { from: LonLat; to: LonLat } | null): void;
}

export function MoveFootprint({ footprint, onMoved, onDrag }: MoveFootprintProps) {
  const { cesiumWidget: viewer } = useCesium();
  const [drag, setDrag] = useState<{ from: LonLat; to: LonLat } | null>(null);
  const latest = useRef({ footprint, onMoved, onDrag });
  latest.current = { footprint, onMoved, onDrag };

  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const handler = new ScreenSpaceEventHandler(scene.canvas);
    let d: { from: LonLat; to: LonLat } | null = null;
    const update = (next: typeof d) => {
      d = next;
      setDrag(next);
      latest.current.onDrag?.(next);
    };
    handler.setInputAction((e: ScreenSpaceEventHandler.PositionedEvent) => {
      const p = groundAt(viewer, e.position.x, e.position.y);
      if (!p || !insideFootprint(latest.current.footprint, p)) return;
      scene.screenSpaceCameraController.enableInputs = false;
      scene.canvas.style.cursor = 'move';
      update({ from: p, to: p });
    }, ScreenSpaceEventType.LEFT_DOWN);
    handler.setInputAction((e: ScreenSpaceEventHandler.MotionEvent) => {
      if (!d) return;
      const p = groundAt(viewer, e.endPosition.x, e.endPosition.y);
      if (p) update({ from: d.from, to: p });
    }, ScreenSpaceEventType.MOUSE_MOVE);
    handler.setInputAction((e: ScreenSpaceEventHandler.PositionedEvent) => {
      if (!d) return;
      const to = groundAt(viewer, e.position.x, e.position.y) ?? d.to;
      const from = d.from;
      update(null);
      scene.screenSpaceCameraController.enableInputs = true;
      scene.canvas.style.cursor = '';
      latest.current.onMoved(from, to);
    }, ScreenSpaceEventType.LEFT_UP);
    scene.canvas.style.cursor = 'grab';
    return () => {
      handler.destroy();
      if (!viewer.isDestroyed()) {
        scene.screenSpaceCameraController.enableInputs = true;
        scene.canvas.style.cursor = '';
      }
    };
  }, [viewer]);

  const rings = useMemo(() => {
    const f = drag ? movedFootprint(footprint, drag.from, drag.to) : footprint;
    const polygons = f.type === 'Polygon' ? [f.coordinates] : f.coordinates;
    return polygons.map(([outer]) => {
      const closed = outer.length && outer[0] !== outer.at(-1) ? [...outer, outer[0]] : outer;
      return Cartesian3.fromDegreesArray(closed.flat());
    });
  }, [footprint, drag]);

  return (
    <>
      {rings.map((positions, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the polygons of one footprint, in a fixed order
        <Entity key={i} name="Building being moved">
          <PolylineGraphics positions={positions} width={4} material={OUTLINE} clampToGround />
        </Entity>
      ))}
    </>
  );
}

/**
 * Reshaping a building's footprint on the map: a handle at each corner (drag it), a smaller one at the middle of
 * each edge (drag it to add a corner there), Alt-click (or Ctrl-click) on a corner to remove it. While a handle is
 * dragged the camera holds still and the outline follows (red while its edges cross); on release the new footprint
 * is sent as one `modify` change, which the server checks (valid polygon, inside the dataset, no overlap) before
 * keeping it. A press away from the handles is left to the camera. The geometry is state/footprintEdit.ts.
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
  type Handle,
  midpointHandles,
  nearestHandle,
  openRing,
  ringSelfIntersects,
  turnHandleAt,
  type VertexRef,
  vertexHandles,
  withVertexDeleted,
  withVertexInserted,
  withVertexMoved,
} from '../state/footprintEdit';
import type { FootprintJson } from '../state/scenario';
import type { LonLat } from '../state/sunHours';
import { HandlePrimitives } from './HandlePrimitives';
import { groundAt } from './SunHoursLayers';

/** Grab distance around a handle, CSS pixels. */
export const GRAB_PX = 12;

const OUTLINE = Color.fromCssColorString('#ffbf47');
const CROSSED = Color.fromCssColorString('#d4351c');
const CORNER = Color.WHITE;
const MIDPOINT = Color.fromCssColorString('#ffbf47').withAlpha(0.85);

/** A footprint's rings as closed lines. */
export function outlineRings(f: FootprintJson): LonLat[][] {
  const polygons = f.type === 'Polygon' ? [f.coordinates] : f.coordinates;
  return polygons.flatMap((p) =>
    p.map((r) => {
      const c = openRing(r);
      return [...c, c[0]];
    }),
  );
}

export interface FootprintDrag {
  kind: 'corner' | 'new corner';
  ref: VertexRef;
}

export interface FootprintEditorProps {
  footprint: FootprintJson;
  onReshaped(footprint: FootprintJson): void;
  onProblem(text: string): void;
  /** A change is being sent: the dragged outline stays until the answer, then the stored footprint is shown (the
   * new one, or the old one when the server refused it). */
  pending: boolean;
  /** The drag in progress, for the test hooks; null when none. */
  onDrag?(drag: FootprintDrag | null): void;
}

export function FootprintEditor({ footprint, onReshaped, onProblem, pending, onDrag }: FootprintEditorProps) {
  const { cesiumWidget: viewer } = useCesium();
  const [preview, setPreview] = useState<FootprintJson | null>(null);
  const latest = useRef({ footprint, onReshaped, onProblem, onDrag });
  latest.current = { footprint, onReshaped, onProblem, onDrag };

  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const handler = new ScreenSpaceEventHandler(scene.canvas);
    let drag: (FootprintDrag & { start: LonLat; offset: LonLat; shape: FootprintJson | null }) | null = null;
    const screen = (handles: Handle[]) =>
      handles.map(({ at }) =>
        SceneTransforms.worldToWindowCoordinates(scene, Cartesian3.fromDegrees(at[0], at[1], 0)),
      );
    /** The handle under a press: a corner first, then an edge's middle; null near the turn handle or none. */
    const hit = (pos: { x: number; y: number }) => {
      const f = latest.current.footprint;
      const [tx, ty] = turnHandleAt(f, footprintCentroid(f));
      const turn = SceneTransforms.worldToWindowCoordinates(scene, Cartesian3.fromDegrees(tx, ty, 0));
      const corners = vertexHandles(f);
      const c = nearestHandle(screen(corners), pos, GRAB_PX);
      if (c >= 0) return { kind: 'corner' as const, handle: corners[c] };
      if (nearestHandle([turn], pos, GRAB_PX) >= 0) return null;
      const mids = midpointHandles(f);
      const m = nearestHandle(screen(mids), pos, GRAB_PX);
      return m >= 0 ? { kind: 'new corner' as const, handle: mids[m] } : null;
    };
    const reshape = (kind: FootprintDrag['kind'], ref: VertexRef, to: LonLat) =>
      kind === 'corner'
        ? withVertexMoved(latest.current.footprint, ref, to)
        : withVertexInserted(latest.current.footprint, ref, to);

    handler.setInputAction((e: ScreenSpaceEventHandler.PositionedEvent) => {
      const h = hit(e.position);
      const p = h && groundAt(viewer, e.position.x, e.position.y);
      if (!h || !p) return;
      const { polygon, ring, index, at } = h.handle;
      drag = {
        kind: h.kind,
        ref: { polygon, ring, index },
        start: at,
        offset: [at[0] - p[0], at[1] - p[1]],
        shape: null,
      };
      scene.screenSpaceCameraController.enableInputs = false;
      scene.canvas.style.cursor = 'move';
      latest.current.onDrag?.({ kind: drag.kind, ref: drag.ref });
    }, ScreenSpaceEventType.LEFT_DOWN);
    const move = (e: ScreenSpaceEventHandler.MotionEvent) => {
      if (!drag) return;
      const p = groundAt(viewer, e.endPosition.x, e.endPosition.y);
      if (!p) return;
      drag.shape = reshape(drag.kind, drag.ref, [p[0] + drag.offset[0], p[1] + drag.offset[1]]);
      setPreview(drag.shape);
    };
    const release = () => {
      if (!drag) return;
      const d = drag;
      drag = null;
      scene.screenSpaceCameraController.enableInputs = true;
      scene.canvas.style.cursor = '';
      latest.current.onDrag?.(null);
      // A click on an edge's middle without a drag adds the corner there; a corner clicked and not moved: nothing.
      const shape = d.shape ?? (d.kind === 'new corner' ? reshape(d.kind, d.ref, d.start) : null);
      if (shape) latest.current.onReshaped(shape);
      else setPreview(null);
    };
    // Shift held mid-drag (Cesium then reports the moves and the release with that modifier) changes nothing.
    for (const modifier of [undefined, KeyboardEventModifier.SHIFT]) {
      handler.setInputAction(move, ScreenSpaceEventType.MOUSE_MOVE, modifier);
      handler.setInputAction(release, ScreenSpaceEventType.LEFT_UP, modifier);
    }
    const remove = (e: ScreenSpaceEventHandler.PositionedEvent) => {
      const h = hit(e.position);
      if (h?.kind !== 'corner') return;
      const next = withVertexDeleted(latest.current.footprint, h.handle);
      if (typeof next === 'string') latest.current.onProblem(next);
      else latest.current.onReshaped(next);
    };
    handler.setInputAction(remove, ScreenSpaceEventType.LEFT_CLICK, KeyboardEventModifier.ALT);
    handler.setInputAction(remove, ScreenSpaceEventType.LEFT_CLICK, KeyboardEventModifier.CTRL);
    scene.canvas.style.cursor = 'crosshair';
    return () => {
      handler.destroy();
      if (!viewer.isDestroyed()) {
        scene.screenSpaceCameraController.enableInputs = true;
        scene.canvas.style.cursor = '';
      }
    };
  }, [viewer]);

  // The stored footprint (new after a commit or an undo, the same after a refusal) replaces the dragged preview.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the footprint changes or the answer comes
  useEffect(() => {
    if (!pending) setPreview(null);
  }, [footprint, pending]);

  const shown = preview ?? footprint;
  const lines = useMemo(() => {
    const polygons = shown.type === 'Polygon' ? [shown.coordinates] : shown.coordinates;
    const crossed = polygons.some((p) => p.some((r) => ringSelfIntersects(r)));
    return outlineRings(shown).map((positions) => ({
      positions,
      width: 3,
      color: crossed ? CROSSED : OUTLINE,
    }));
  }, [shown]);
  const points = useMemo(
    () => [
      ...midpointHandles(shown).map(({ at }) => ({ at, pixelSize: 8, color: MIDPOINT, outlineWidth: 1 })),
      ...vertexHandles(shown).map(({ at }) => ({ at, pixelSize: 12, color: CORNER })),
    ],
    [shown],
  );
  return <HandlePrimitives points={points} lines={lines} />;
}

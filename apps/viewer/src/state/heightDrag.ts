/** Dragging a new building's height in the scene: screen pixels → storeys (3 m each, as the form counts them). */
export const STOREY_M = 3;
export const MAX_DRAG_STOREYS = 100;

/**
 * The storeys for a drag: the height at the start plus the pointer's travel up the screen (`upPx`, negative
 * for down) read at `pxPerM` pixels a metre, snapped to whole storeys, at least 1 and at most MAX_DRAG_STOREYS.
 */
export function storeysFromDrag(startHeightM: number, upPx: number, pxPerM: number): number {
  const h = startHeightM + upPx / pxPerM;
  return Math.min(MAX_DRAG_STOREYS, Math.max(1, Math.round(h / STOREY_M)));
}

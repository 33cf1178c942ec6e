import { type PointerEvent, useRef } from 'react';
import { clampSplit, dividerAfterKey } from '../state/scenario';

/**
 * The compare swipe's divider over the scene: drag it, or focus it and use the arrow keys (Page Up/Down for big
 * steps, Home/End for the edges). Baseline (or another scenario: `left`) on the left, the scenario on the right.
 */
export function SwipeDivider({
  split,
  onChange,
  left = 'Baseline',
  right = 'Scenario',
}: {
  split: number;
  onChange(x: number): void;
  left?: string;
  right?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const moveTo = (e: PointerEvent) => {
    const box = ref.current?.parentElement?.getBoundingClientRect();
    if (box && box.width > 0) onChange(clampSplit((e.clientX - box.left) / box.width));
  };
  return (
    <>
      <span className="swipe-label left" style={{ right: `${(1 - split) * 100}%` }}>
        {left}
      </span>
      <span className="swipe-label right" style={{ left: `${split * 100}%` }}>
        {right}
      </span>
      {/* biome-ignore lint/a11y/useSemanticElements: a focusable, keyboard-operable window splitter (WAI-ARIA), which an <hr> cannot be */}
      <div
        ref={ref}
        className="swipe-divider"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Compare divider: ${left} left, ${right} right`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(split * 100)}
        tabIndex={0}
        style={{ left: `${split * 100}%` }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          moveTo(e);
        }}
        onPointerMove={(e) => {
          if (e.currentTarget.hasPointerCapture(e.pointerId)) moveTo(e);
        }}
        onKeyDown={(e) => {
          const next = dividerAfterKey(split, e.key);
          if (next !== null) {
            e.preventDefault();
            onChange(next);
          }
        }}
      />
    </>
  );
}

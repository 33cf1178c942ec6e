import { useEffect } from 'react';

/**
 * While `active`, the keyboard finishes (Enter), cancels (Escape) or undoes the last point (Backspace) of a shape
 * being drawn on the map; keys typed into form fields are left alone. Shared by the sun-hours and massing tools.
 */
export function useDrawingKeys(
  active: boolean,
  finish: () => void,
  cancel: () => void,
  removeLastPoint: () => void,
): void {
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select')) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        finish();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        cancel();
      } else if (e.key === 'Backspace') {
        e.preventDefault();
        removeLastPoint();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, finish, cancel, removeLastPoint]);
}

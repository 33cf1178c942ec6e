/**
 * "Turn, ° clockwise": the number field for an exact turn (−360 to 360, whole degrees by the spinner), used by the
 * selected building's form and the massing import. The text is read with parseTurn (state/scenario.ts); the turn
 * handle on the map does the same by dragging.
 */
import { useId } from 'react';

export interface TurnFieldProps {
  value: string;
  onChange(text: string): void;
  /** A sentence under the field saying what turns about what (linked to the field for screen readers). */
  hint?: string;
}

export function TurnField({ value, onChange, hint }: TurnFieldProps) {
  const id = useId();
  return (
    <>
      <label className="row">
        Turn, ° clockwise{' '}
        <input
          type="number"
          min={-360}
          max={360}
          step={1}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
      </label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </>
  );
}

/**
 * A labelled choice of the baseline or one of a dataset's scenarios: the scenario picker of ScenarioPanel and the
 * left side of ScenarioComparePanel (one row, one component).
 */
import type { Scenario } from '../state/scenario';

export interface ScenarioSelectProps {
  /** The visible label before the list. */
  label: string;
  /** An accessible name other than the label (the compare's "Compare with"). */
  ariaLabel?: string;
  /** The chosen scenario's id, or null for the baseline. */
  value: number | null;
  scenarios: readonly Scenario[];
  /** The words for the baseline option. */
  baselineText: string;
  onChange(id: number | null): void;
}

export function ScenarioSelect({
  label,
  ariaLabel,
  value,
  scenarios,
  baselineText,
  onChange,
}: ScenarioSelectProps) {
  return (
    <label className="row">
      {label}{' '}
      <select
        className="grow"
        aria-label={ariaLabel}
        value={value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">{baselineText}</option>
        {scenarios.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
            {s.status === 'published' ? ' (published)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

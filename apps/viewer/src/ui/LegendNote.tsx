import type { BuildingValuesState } from './useBuildingValues';

/** Under the legend of the energy and carbon schemes: what the colours rest on, or that they are on their way. */
export function LegendNote({ state }: { state: BuildingValuesState }) {
  if (state.error)
    return (
      <p className="problem" role="alert">
        Could not load the figures for these colours: {state.error}
      </p>
    );
  if (state.loading && !state.values)
    return (
      <p className="hint" role="status">
        Loading the figures for every building…
      </p>
    );
  if (!state.note) return null;
  return (
    <p className="hint legend-note" data-testid="legend-note">
      {state.note}
      {state.loading ? ' Updating…' : ''}
    </p>
  );
}

import { type Dispatch, useId } from 'react';
import type { Action } from '../state/store';
import { ANALYSIS_PANELS, type ViewState } from '../state/viewState';
import { PANEL_LABELS } from './AnalysisDock';

const HINTS = {
  flexibility: 'One building: shift its heating out of the evening grid peak.',
  portfolio: 'Many buildings: total kW removed, ranked by W/m².',
  carbon: 'The area’s emissions to 2050 under two plans.',
} as const;

/** Side-panel entry to the energy and carbon panels (the colour schemes are under Colours). */
export function EnergyCarbonSection({ view, dispatch }: { view: ViewState; dispatch: Dispatch<Action> }) {
  const id = useId();
  return (
    <section className="panel-section energy-carbon" aria-labelledby={id}>
      <h2 id={id}>Energy and carbon</h2>
      <ul className="panel-buttons">
        {ANALYSIS_PANELS.map((p) => (
          <li key={p}>
            <button
              type="button"
              aria-pressed={view.panel === p}
              onClick={() => dispatch({ type: 'openPanel', panel: view.panel === p ? null : p })}
            >
              {PANEL_LABELS[p]}
            </button>
            <small>{HINTS[p]}</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

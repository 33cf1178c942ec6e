import { type Dispatch, type KeyboardEvent, useId, useRef } from 'react';
import type { Action } from '../state/store';
import { ANALYSIS_PANELS, type AnalysisPanel, type ViewState } from '../state/viewState';
import { CarbonPanel } from './CarbonPanel';
import { FlexibilityPanel } from './FlexibilityPanel';
import { PortfolioPanel } from './PortfolioPanel';
import type { EnergyCarbon } from './useEnergyCarbon';

export const PANEL_LABELS: Record<AnalysisPanel, string> = {
  flexibility: 'Heat-battery flexibility',
  portfolio: 'Portfolio',
  carbon: 'Carbon what-if',
};

/** The analysis panels under the scene, as tabs (arrow keys move between them, as in the WAI-ARIA tabs pattern). */
export function AnalysisDock({
  ec,
  view,
  dispatch,
  scenario = null,
}: {
  ec: EnergyCarbon;
  view: ViewState;
  dispatch: Dispatch<Action>;
  /** The open scenario (the carbon panel shows its development's carbon). */
  scenario?: { id: number; name: string; version: number; dataset: string } | null;
}) {
  const id = useId();
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  const open = view.panel;
  if (!open) return null;
  const move = (e: KeyboardEvent) => {
    const i = ANALYSIS_PANELS.indexOf(open);
    const next =
      e.key === 'ArrowRight'
        ? ANALYSIS_PANELS[(i + 1) % ANALYSIS_PANELS.length]
        : e.key === 'ArrowLeft'
          ? ANALYSIS_PANELS[(i + ANALYSIS_PANELS.length - 1) % ANALYSIS_PANELS.length]
          : null;
    if (!next) return;
    e.preventDefault();
    dispatch({ type: 'openPanel', panel: next });
    tabs.current[next]?.focus();
  };
  return (
    <section className="dock" aria-label="Energy and carbon analysis" data-panel={open}>
      <div className="dock-head">
        <div role="tablist" aria-label="Analysis panels" className="dock-tabs" onKeyDown={move}>
          {ANALYSIS_PANELS.map((p) => (
            <button
              key={p}
              ref={(el) => {
                tabs.current[p] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${p}`}
              aria-selected={open === p}
              aria-controls={`${id}-panel`}
              tabIndex={open === p ? 0 : -1}
              onClick={() => dispatch({ type: 'openPanel', panel: p })}
            >
              {PANEL_LABELS[p]}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="close"
          aria-label="Close the analysis panel"
          onClick={() => dispatch({ type: 'openPanel', panel: null })}
        >
          ×
        </button>
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${open}`} className="dock-panel">
        {open === 'flexibility' && <FlexibilityPanel ec={ec} view={view} dispatch={dispatch} />}
        {open === 'portfolio' && <PortfolioPanel ec={ec} view={view} dispatch={dispatch} />}
        {open === 'carbon' && (
          <CarbonPanel ws={ec.carbon} view={view} dispatch={dispatch} scenario={scenario} />
        )}
      </div>
    </section>
  );
}

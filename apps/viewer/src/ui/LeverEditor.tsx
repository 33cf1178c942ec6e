import { useId, useState } from 'react';
import {
  type AreaTargetsDraft,
  GRID_CHOICES,
  type GridChoice,
  LEVER_YEARS,
  type LeverDraft,
  SHARE_LEVERS,
} from '../state/carbon';
import { formatShare } from '../state/format';
import { BasisTag } from './Figures';
import type { CarbonWorkspace, PlanKey } from './useCarbonWorkspace';

const YEARS = Array.from({ length: LEVER_YEARS.max - LEVER_YEARS.min + 1 }, (_, i) => LEVER_YEARS.min + i);

/** Sliders for the levers of the plan being edited, each a share reached by a year; the assumptions behind them. */
export function LeverEditor({ ws }: { ws: CarbonWorkspace }) {
  const id = useId();
  const p = ws.editing;
  const d = ws.drafts[p];
  const update = (change: (d: LeverDraft) => LeverDraft) => ws.updateDraft(p, change);
  const setShare = (lever: keyof LeverDraft['shares'], change: Partial<{ value: number; year: number }>) =>
    update((x) => ({ ...x, shares: { ...x.shares, [lever]: { ...x.shares[lever], ...change } } }));
  const pct = (label: string, value: number, set: (v: number) => void, max = 1) => (
    <label className="field">
      {label}
      <span className="inline">
        <input
          type="number"
          min={0}
          max={max * 100}
          step={5}
          value={Math.round(value * 100)}
          onChange={(e) => set(Math.min(max, Math.max(0, Number(e.target.value) / 100)))}
        />{' '}
        % <BasisTag basis="assumed" />
      </span>
    </label>
  );

  return (
    <div className="lever-editor">
      <div className="plan-switch" role="radiogroup" aria-label="Plan being edited">
        {(['a', 'b'] as PlanKey[]).map((k) => (
          <label key={k} className={`plan-chip${p === k ? ' on' : ''}`}>
            <input
              type="radio"
              name={`${id}-plan`}
              checked={p === k}
              onChange={() => ws.setEditing(k)}
              className="visually-hidden"
            />
            Plan {k.toUpperCase()}: {ws.drafts[k].title}
          </label>
        ))}
      </div>
      <label className="field">
        Plan {p.toUpperCase()} title
        <input
          type="text"
          value={d.title}
          maxLength={120}
          onChange={(e) => update((x) => ({ ...x, title: e.target.value }))}
        />
      </label>
      {p === 'b' && d.title === 'Example plan' && (
        <p className="hint">An example to start from, not any council’s policy: move the sliders.</p>
      )}
      <p className="hint">
        Each slider sets the share reached by its year, rising in a straight line from 0 in the baseline year.
      </p>
      <ul className="levers">
        {SHARE_LEVERS.map((l) => {
          const s = d.shares[l.id];
          return (
            <li key={l.id} className="lever" data-lever={l.id}>
              <label htmlFor={`${id}-${l.id}`} className="lever-label">
                {l.label}{' '}
                <strong>
                  {formatShare(s.value)} by {s.year}
                </strong>
              </label>
              <div className="lever-inputs">
                <input
                  id={`${id}-${l.id}`}
                  type="range"
                  min={0}
                  max={100}
                  step={5}
                  value={Math.round(s.value * 100)}
                  aria-valuetext={`${formatShare(s.value)} by ${s.year}`}
                  aria-describedby={`${id}-${l.id}-help`}
                  onChange={(e) => setShare(l.id, { value: Number(e.target.value) / 100 })}
                />
                <select
                  aria-label={`${l.label}: year reached`}
                  value={s.year}
                  onChange={(e) => setShare(l.id, { year: Number(e.target.value) })}
                >
                  {YEARS.map((y) => (
                    <option key={y} value={y}>
                      {y}
                    </option>
                  ))}
                </select>
              </div>
              <small id={`${id}-${l.id}-help`}>
                {l.help}
                {l.sector === 'transport' ? ' (acts only when car-km are entered for the area)' : ''}
                {l.sector === 'other' ? ' (acts only on entered other-sector emissions)' : ''}
              </small>
            </li>
          );
        })}
      </ul>
      <details className="lever-assumptions">
        <summary>Lever assumptions</summary>
        {pct('Heat saved per retrofitted home', d.homeHeatSaving, (v) =>
          update((x) => ({ ...x, homeHeatSaving: v })),
        )}
        {pct('Heat saved, other buildings', d.nonDomesticHeatSaving, (v) =>
          update((x) => ({ ...x, nonDomesticHeatSaving: v })),
        )}
        {pct('Electricity saved, other buildings', d.nonDomesticElectricitySaving, (v) =>
          update((x) => ({ ...x, nonDomesticElectricitySaving: v })),
        )}
        <label className="field">
          Heat pump seasonal COP
          <span className="inline">
            <input
              type="number"
              min={1}
              max={8}
              step={0.1}
              value={d.scop}
              onChange={(e) =>
                update((x) => ({ ...x, scop: Math.min(8, Math.max(1, Number(e.target.value) || 1)) }))
              }
            />{' '}
            <BasisTag basis="assumed" />
          </span>
        </label>
        <label className="field">
          Grid electricity path
          <select
            value={d.grid}
            onChange={(e) => {
              const g = (Object.keys(GRID_CHOICES) as GridChoice[]).find((k) => k === e.target.value);
              if (g) update((x) => ({ ...x, grid: g }));
            }}
          >
            {(Object.keys(GRID_CHOICES) as GridChoice[]).map((g) => (
              <option key={g} value={g}>
                {GRID_CHOICES[g]}
              </option>
            ))}
          </select>
        </label>
      </details>
      <div className="row">
        <button
          type="button"
          className="grow"
          onClick={() => ws.save(p)}
          disabled={!ws.dataset || !d.title.trim()}
        >
          {ws.savedAs[p] ? `Saved as ${ws.savedAs[p]}` : `Save plan ${p.toUpperCase()}`}
        </button>
      </div>
      {ws.leverSets.length > 0 && (
        <label className="field">
          Load a saved plan into {p.toUpperCase()}
          <select
            value=""
            onChange={(e) => {
              const r = ws.leverSets.find((x) => x.name === e.target.value);
              if (r) ws.load(p, r);
            }}
          >
            <option value="">Choose…</option>
            {ws.leverSets.map((r) => (
              <option key={r.name} value={r.name}>
                {r.title} ({r.name})
              </option>
            ))}
          </select>
        </label>
      )}
      {ws.message && (
        <p className="hint" role="status">
          {ws.message}
        </p>
      )}
      {ws.targets && <TargetsForm initial={ws.targets} onSave={ws.saveTargets} />}
    </div>
  );
}

/** The area's own reference, date and budget: what the UK target and a budget line need. */
function TargetsForm({
  initial,
  onSave,
}: {
  initial: AreaTargetsDraft;
  onSave: (t: AreaTargetsDraft) => Promise<void>;
}) {
  const [t, setT] = useState(initial);
  const num = (text: string) => (text.trim() === '' ? null : Number(text));
  const budget = t.budget ?? { tco2e: 0, fromYear: 2023, toYear: 2050, source: 'entered in the viewer' };
  return (
    <details className="targets-form">
      <summary>Targets and carbon budget</summary>
      <p className="hint">
        The UK’s targets (78% below 1990 by 2035; net zero 2050) are always shown. The 2035 one needs the
        area’s 1990 emissions.
      </p>
      <label className="field">
        Area emissions in 1990 (tCO2e/yr)
        <input
          type="number"
          min={0}
          step={1000}
          value={t.emissions1990 ?? ''}
          onChange={(e) => setT({ ...t, emissions1990: num(e.target.value) })}
        />
      </label>
      <label className="field">
        Council’s net-zero year for the area
        <input
          type="number"
          min={2024}
          max={2050}
          value={t.councilNetZeroYear ?? ''}
          onChange={(e) => setT({ ...t, councilNetZeroYear: num(e.target.value) })}
        />
      </label>
      <label className="field">
        Carbon budget (tCO2e in total; empty for none)
        <input
          type="number"
          min={0}
          step={10000}
          value={t.budget?.tco2e ?? ''}
          onChange={(e) => {
            const v = num(e.target.value);
            setT({ ...t, budget: v === null ? null : { ...budget, tco2e: v } });
          }}
        />
      </label>
      {t.budget && (
        <div className="row">
          <label className="field">
            from
            <input
              type="number"
              min={2023}
              max={2050}
              value={budget.fromYear}
              onChange={(e) => setT({ ...t, budget: { ...budget, fromYear: Number(e.target.value) } })}
            />
          </label>
          <label className="field">
            to
            <input
              type="number"
              min={2023}
              max={2100}
              value={budget.toYear}
              onChange={(e) => setT({ ...t, budget: { ...budget, toYear: Number(e.target.value) } })}
            />
          </label>
        </div>
      )}
      <button type="button" onClick={() => onSave(t)}>
        Save targets and budget
      </button>
    </details>
  );
}

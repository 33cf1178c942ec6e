import { type Dispatch, useId, useMemo, useState } from 'react';
import type { Portfolio } from '../api/energyTypes';
import { humanise } from '../state/describe';
import { type PortfolioChoice, PUBLIC_USES, portfolioFigures, ukClock } from '../state/energy';
import { formatNumber } from '../state/format';
import type { Action } from '../state/store';
import type { ViewState } from '../state/viewState';
import { ChartCanvas } from './charts/ChartCanvas';
import { portfolioChart } from './charts/energyCharts';
import { FigureList } from './Figures';
import { clockSetter, dayCursor, FlexibilityFields } from './FlexibilityPanel';
import type { EnergyCarbon } from './useEnergyCarbon';

const CHOICES: { value: PortfolioChoice; label: string; hint: string }[] = [
  {
    value: 'public',
    label: 'Public buildings',
    hint: `every ${PUBLIC_USES.map(humanise).join(', ').toLowerCase()} building of the dataset`,
  },
  { value: 'view', label: 'All buildings in view', hint: 'what the camera shows now' },
  { value: 'list', label: 'Chosen buildings', hint: 'select on the map, then add' },
];

const SHOWN_ROWS = 15;

/** Many buildings at once: the summed load before and after the shift, and the buildings ranked by W/m². */
export function PortfolioPanel({
  ec,
  view,
  dispatch,
}: {
  ec: EnergyCarbon;
  view: ViewState;
  dispatch: Dispatch<Action>;
}) {
  const id = useId();
  const p = ec.portfolio;
  const { result } = p;
  return (
    <div className="dock-body">
      <div className="dock-controls">
        <h3>Portfolio of buildings</h3>
        <fieldset className="choices">
          <legend>Which buildings</legend>
          {CHOICES.map((c) => (
            <label key={c.value} className="check">
              <input
                type="radio"
                name={`${id}-choice`}
                value={c.value}
                checked={p.choice === c.value}
                onChange={() => p.setChoice(c.value)}
              />
              <span>
                {c.label}
                <small>{c.hint}</small>
              </span>
            </label>
          ))}
        </fieldset>
        {p.choice === 'list' && (
          <div className="chosen">
            <button
              type="button"
              disabled={!view.selected || p.ids.includes(view.selected)}
              onClick={() => view.selected && p.add(view.selected)}
            >
              Add the selected building
            </button>
            {p.ids.length > 0 && (
              <ul aria-label="Chosen buildings">
                {p.ids.map((b) => (
                  <li key={b}>
                    <code>{b}</code>
                    <button type="button" className="link-button" onClick={() => p.remove(b)}>
                      Remove<span className="visually-hidden"> {b}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {p.ids.length > 1 && (
              <button type="button" className="link-button" onClick={p.clear}>
                Clear the list
              </button>
            )}
          </div>
        )}
        <FlexibilityFields ec={ec} view={view} dispatch={dispatch} withCapacity={false} />
        <button type="button" className="primary" disabled={p.blocked !== null} onClick={p.run}>
          Model the portfolio
        </button>
        {p.blocked && <p className="hint">{p.blocked}</p>}
        {result.error && (
          <p className="problem" role="alert">
            Could not model the portfolio: {result.error}
          </p>
        )}
      </div>
      <div className="dock-charts" aria-busy={result.loading}>
        <p className="status-line" role="status" aria-live="polite">
          {result.loading
            ? 'Modelling the portfolio…'
            : result.data
              ? `${p.describedAs ?? 'Portfolio'} on ${result.data.date}.`
              : 'Choose buildings and model them.'}
        </p>
        {result.data && (
          <div className="figures-grid">
            <FigureList
              label="Portfolio figures"
              items={portfolioFigures(result.data, ec.flexibility.form).map((f) => ({
                ...f,
                basis: f.key === 'buildings' ? undefined : ('modelled' as const),
              }))}
            />
          </div>
        )}
        {result.data && <PortfolioResult r={result.data} view={view} dispatch={dispatch} />}
      </div>
    </div>
  );
}

function PortfolioResult({
  r,
  view,
  dispatch,
}: {
  r: Portfolio;
  view: ViewState;
  dispatch: Dispatch<Action>;
}) {
  const { ms: cursorMs, label: cursorLabel } = dayCursor(view, r.timesMs, r.stepMinutes);
  const config = useMemo(
    () => portfolioChart(r, { ms: cursorMs, label: cursorLabel }),
    [r, cursorMs, cursorLabel],
  );
  const [all, setAll] = useState(false);
  const rows = all ? r.ranked : r.ranked.slice(0, SHOWN_ROWS);
  return (
    <>
      <ChartCanvas
        config={config}
        className="chart-portfolio"
        testId="portfolio-chart"
        label={`Summed electric load of ${r.totals.buildings} buildings on ${r.date}, normal and peak-shift, peak window shaded.`}
        onPickX={clockSetter(dispatch)}
      />
      <details className="chart-table">
        <summary>Chart data as a table</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Normal kW</th>
              <th scope="col">Peak-shift kW</th>
              <th scope="col">Peak window</th>
            </tr>
          </thead>
          <tbody>
            {r.timesMs.map((t, k) => (
              <tr key={t}>
                <th scope="row">{ukClock(t)}</th>
                <td>{formatNumber(r.aggregate.baselineKw[k], 1)}</td>
                <td>{formatNumber(r.aggregate.shiftedKw[k], 1)}</td>
                <td>{r.aggregate.inWindow[k] ? 'yes' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <table className="data-table ranked" aria-label="Buildings ranked by flexibility per m²">
        <caption>Ranked by flexibility per m² of floor (modelled)</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Building</th>
            <th scope="col">Use</th>
            <th scope="col">Floor m²</th>
            <th scope="col">kW removed</th>
            <th scope="col">W/m²</th>
            <th scope="col">kWh shifted</th>
            <th scope="col">Comfort h</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b, i) => (
            <tr key={b.id} aria-current={view.selected === b.id ? 'true' : undefined}>
              <td>{i + 1}</td>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => dispatch({ type: 'select', id: b.id })}
                  title="Select this building"
                >
                  {b.name ?? b.id}
                </button>
              </th>
              <td>{humanise(b.useClass)}</td>
              <td>{formatNumber(b.floorAreaM2)}</td>
              <td>{formatNumber(b.kwRemoved, 1)}</td>
              <td>{formatNumber(b.wPerM2, 1)}</td>
              <td>{formatNumber(b.kwhShifted, 1)}</td>
              <td>{formatNumber(b.comfortHoursViolated, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.ranked.length > SHOWN_ROWS && (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? `Show the first ${SHOWN_ROWS}` : `Show all ${r.ranked.length}`}
        </button>
      )}
      {r.skipped.length > 0 && (
        <details>
          <summary>{r.skipped.length} buildings could not be modelled</summary>
          <ul>
            {r.skipped.map((s) => (
              <li key={s.id}>
                <code>{s.id}</code>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="footnote">{r.credits}</p>
    </>
  );
}

import { type Dispatch, useId, useMemo, useRef, useState } from 'react';
import type { GridHeadroom, Portfolio } from '../api/energyTypes';
import { humanise } from '../state/describe';
import { type PortfolioChoice, PUBLIC_USES, portfolioFigures, ukClock } from '../state/energy';
import { formatNumber } from '../state/format';
import type { Action } from '../state/store';
import type { ViewState } from '../state/viewState';
import { ChartCanvas } from './charts/ChartCanvas';
import { portfolioChart, portfolioWords } from './charts/energyCharts';
import { downloadChartsPng } from './charts/exportPng';
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
  {
    value: 'council',
    label: 'All council-owned',
    hint: 'the council’s asset register if imported, else OpenStreetMap owner/operator naming the council',
  },
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
        <label className="field">
          <span>Grid headroom on</span>
          <select
            value={p.grid ?? ''}
            onChange={(e) => p.setGrid(e.target.value === '' ? null : e.target.value)}
            aria-describedby={`${id}-grid-hint`}
          >
            <option value="">No grid</option>
            {p.grids.map((g) => (
              <option key={g.name} value={g.name}>
                {g.name} ({g.substations} substations, {g.feeders} feeders)
                {g.constructed ? ' — sample, not real' : ''}
              </option>
            ))}
          </select>
          <small id={`${id}-grid-hint`}>
            {p.grids.length === 0
              ? 'No grid imported: npx placetwin import-grid file.geojson'
              : 'Substations and feeders: capacity − peak load of the buildings each serves'}
          </small>
        </label>
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
        {result.data && (
          <PortfolioResult r={result.data} view={view} dispatch={dispatch} describedAs={p.describedAs} />
        )}
      </div>
    </div>
  );
}

function PortfolioResult({
  r,
  view,
  dispatch,
  describedAs,
}: {
  r: Portfolio;
  view: ViewState;
  dispatch: Dispatch<Action>;
  describedAs: string | null;
}) {
  const words = portfolioWords(r, describedAs);
  const canvas = useRef<HTMLCanvasElement | null>(null);
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
        label={words.label}
        onPickX={clockSetter(dispatch)}
        canvasRef={(c) => {
          canvas.current = c;
        }}
      />
      <button
        type="button"
        onClick={() => {
          if (!canvas.current) return;
          downloadChartsPng(
            [canvas.current],
            { title: words.pngTitle, footnote: words.pngFootnote, direction: 'column' },
            `portfolio-${r.mode === 'cooling' ? 'pre-cooling' : 'heat-battery'}-${r.date}.png`,
          );
        }}
      >
        Chart image (PNG)
      </button>
      <details className="chart-table">
        <summary>Chart data as a table</summary>
        <table className="data-table" data-testid="portfolio-chart-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">{words.tableNormal}</th>
              <th scope="col">{words.tableShifted}</th>
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
            <th scope="col">Model</th>
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
              <td data-model={b.model}>
                {b.model === 'measured' && b.calibrationRmseC !== null
                  ? `calibrated (RMSE ${formatNumber(b.calibrationRmseC, 2)} °C)`
                  : 'estimated'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.ranked.length > SHOWN_ROWS && (
        <button type="button" className="link-button" onClick={() => setAll(!all)}>
          {all ? `Show the first ${SHOWN_ROWS}` : `Show all ${r.ranked.length}`}
        </button>
      )}
      {r.councilOwnership && (
        <p className="footnote" data-testid="council-ownership">
          Council-owned ({r.councilOwnership.councilNames.join(', ')}): {r.councilOwnership.buildings.length}{' '}
          buildings —{' '}
          {Object.entries(
            r.councilOwnership.buildings.reduce<Record<string, number>>((m, b) => {
              m[b.basis] = (m[b.basis] ?? 0) + 1;
              return m;
            }, {}),
          )
            .map(([k, v]) => `${v} by ${BASIS_LABEL[k] ?? k}`)
            .join(', ')}
          . {r.councilOwnership.rule}.
        </p>
      )}
      {r.grid && <GridHeadroomTable g={r.grid} />}
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

const BASIS_LABEL: Record<string, string> = {
  register: 'the asset register',
  'osm-owner': 'OSM owner',
  'osm-operator': 'OSM operator',
  'osm-name': 'OSM name',
};

const signed = (kw: number) => `${kw >= 0 ? '+' : '−'}${formatNumber(Math.abs(kw), 1)}`;

/** Each substation's and feeder's peak headroom before and after the shift; a constructed grid says so first. */
function GridHeadroomTable({ g }: { g: GridHeadroom }) {
  return (
    <section className="grid-headroom" aria-label="Grid headroom">
      {(g.constructed || g.label) && (
        <p className="notice" data-testid="grid-label">
          <strong>{g.constructed ? 'Sample grid, not real. ' : ''}</strong>
          {g.label}
        </p>
      )}
      <table className="data-table" aria-label={`Peak headroom on grid ${g.name}`}>
        <caption>
          Peak headroom on {g.name}: capacity − base load − peak of the portfolio’s load it serves (kW,
          modelled)
        </caption>
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col">Capacity kW</th>
            <th scope="col">Buildings</th>
            <th scope="col">Peak kW normal → shifted</th>
            <th scope="col">Headroom kW normal</th>
            <th scope="col">Headroom kW shifted</th>
          </tr>
        </thead>
        <tbody>
          {g.assets.map((a) => (
            <tr key={a.id} className={a.headroomKw.shifted < 0 ? 'over' : undefined}>
              <th scope="row">
                {a.name ?? a.id} <small>({a.kind})</small>
              </th>
              <td>{formatNumber(a.capacityKw, 0)}</td>
              <td>{a.buildings}</td>
              <td>
                {formatNumber(a.peakKw.baseline, 1)} → {formatNumber(a.peakKw.shifted, 1)}
              </td>
              <td>{signed(a.headroomKw.baseline)}</td>
              <td>{signed(a.headroomKw.shifted)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="footnote">
        {g.rule} Radius {formatNumber(g.maxRadiusM / 1000, 1)} km; {g.unassigned} buildings beyond it.
        {g.attribution ? ` ${g.attribution}.` : ''}
      </p>
    </section>
  );
}

import { type Dispatch, useMemo, useRef } from 'react';
import { carbonApi } from '../api/energyApi';
import { CARBON_SECTORS, type CarbonBaseline, type CarbonResult } from '../api/energyTypes';
import { compareResults, SECTOR_LABELS, trajectoryFigures } from '../state/carbon';
import { formatNumber, formatShare, formatSigned, formatTonnes, formatTonnesSigned } from '../state/format';
import type { Action } from '../state/store';
import type { ViewState } from '../state/viewState';
import { ChartCanvas } from './charts/ChartCanvas';
import { baselineChart, trajectoryChart, trajectoryScaleMax } from './charts/carbonCharts';
import { downloadChartsPng } from './charts/exportPng';
import { BasisTag } from './Figures';
import { LeverEditor } from './LeverEditor';
import { ScenarioCarbonSection } from './ScenarioCarbonSection';
import type { CarbonWorkspace, PlanKey } from './useCarbonWorkspace';

const PLANS: PlanKey[] = ['a', 'b'];

/** Carbon what-if for the area: baseline by sector, two lever sets side by side to 2050, targets, exports, map. */
export function CarbonPanel({
  ws,
  view,
  dispatch,
  scenario = null,
}: {
  ws: CarbonWorkspace;
  view: ViewState;
  dispatch: Dispatch<Action>;
  /** The open scenario: its development's carbon is shown under the trajectories. */
  scenario?: { id: number; name: string; version: number; dataset: string } | null;
}) {
  const a = ws.results.a;
  const b = ws.results.b;
  const loading = a.loading || b.loading;
  const error = a.error ?? b.error;
  return (
    <div className="dock-body carbon-panel">
      <div className="dock-controls">
        <h3>Carbon what-if{ws.dataset ? `: ${ws.dataset}` : ''}</h3>
        <LeverEditor ws={ws} />
      </div>
      <div className="dock-charts" aria-busy={loading}>
        <p className="status-line" role="status" aria-live="polite">
          {loading ? 'Projecting to 2050…' : error ? '' : a.data && b.data ? 'Trajectories to 2050.' : ''}
        </p>
        {error && (
          <p className="problem" role="alert">
            Could not project the plans: {error}
          </p>
        )}
        {ws.baseline.data && <BaselineView b={ws.baseline.data} />}
        {a.data && b.data && <Comparison ws={ws} a={a.data} b={b.data} view={view} dispatch={dispatch} />}
        {scenario && scenario.dataset === ws.dataset && (
          <ScenarioCarbonSection scenario={scenario} leverSet={ws.savedAs.a ?? 'baseline'} />
        )}
      </div>
    </div>
  );
}

function BaselineView({ b }: { b: CarbonBaseline }) {
  const config = useMemo(() => baselineChart(b), [b]);
  return (
    <section className="carbon-baseline" aria-label="Baseline by sector">
      <h4>
        Baseline {b.year}: {formatTonnes(b.total.value)} <BasisTag basis={b.total.basis} />
      </h4>
      <ChartCanvas
        config={config}
        className="chart-baseline"
        testId="carbon-baseline-chart"
        label={`Baseline emissions in ${b.year} by sector, ${formatTonnes(b.total.value)} in total; the table below lists each line.`}
      />
      <details className="chart-table">
        <summary>Baseline by sector: activity × factor</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Sector and line</th>
              <th scope="col">Activity</th>
              <th scope="col">Factor</th>
              <th scope="col">Emissions</th>
            </tr>
          </thead>
          {b.sectors.map((s) => (
            <tbody key={s.sector}>
              <tr className="group">
                <th scope="rowgroup" colSpan={3}>
                  {SECTOR_LABELS[s.sector as keyof typeof SECTOR_LABELS] ?? s.sector}
                  <small> · {s.method}</small>
                </th>
                <td>
                  {formatTonnes(s.tco2e.value)} <BasisTag basis={s.tco2e.basis} />
                </td>
              </tr>
              {s.lines.map((l) => (
                <tr key={`${s.sector}-${l.label}`}>
                  <th scope="row">{l.label}</th>
                  <td>
                    {l.activity ? (
                      <>
                        {formatNumber(l.activity.value)} {l.activity.unit}{' '}
                        <BasisTag basis={l.activity.basis} />
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>
                    {l.factor ? (
                      <>
                        {formatNumber(l.factor.value, 4)} {l.factor.unit} <BasisTag basis={l.factor.basis} />
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>
                    {formatTonnes(l.tco2e.value)} <BasisTag basis={l.tco2e.basis} />
                  </td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
        <p className="footnote">
          Factors: {b.factors.source} ({b.factors.licence}). Grid: {b.gridPath}. Building energy:{' '}
          {b.stock.energyMethod}
        </p>
      </details>
    </section>
  );
}

function Comparison({
  ws,
  a,
  b,
  view,
  dispatch,
}: {
  ws: CarbonWorkspace;
  a: CarbonResult;
  b: CarbonResult;
  view: ViewState;
  dispatch: Dispatch<Action>;
}) {
  const results = { a, b };
  const titleA = ws.drafts.a.title;
  const titleB = ws.drafts.b.title;
  const yMax = trajectoryScaleMax([a, b]);
  const configA = useMemo(() => trajectoryChart(a, `A: ${titleA}`, yMax), [a, titleA, yMax]);
  const configB = useMemo(() => trajectoryChart(b, `B: ${titleB}`, yMax), [b, titleB, yMax]);
  const canvases = useRef<Record<PlanKey, HTMLCanvasElement | null>>({ a: null, b: null }).current;
  const comparison = compareResults(a, b);
  const figuresA = trajectoryFigures(a);
  const figuresB = trajectoryFigures(b);
  const end = a.years.at(-1);
  const dataset = ws.dataset ?? '';
  const saved = ws.savedAs;

  return (
    <>
      <div className="side-by-side">
        {PLANS.map((p) => (
          <ChartCanvas
            key={p}
            config={p === 'a' ? configA : configB}
            className="chart-trajectory"
            testId={`carbon-trajectory-${p}`}
            label={`Plan ${p.toUpperCase()} (${ws.drafts[p].title}): emissions by sector each year to ${end}, with the targets as dashed lines; the table below has the values.`}
            canvasRef={(c) => {
              canvases[p] = c;
            }}
          />
        ))}
      </div>
      <table className="data-table comparison" data-testid="carbon-comparison">
        <caption>Plan A against plan B (every figure modelled from assumed building energy)</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">A: {titleA}</th>
            <th scope="col">B: {titleB}</th>
            <th scope="col">B − A</th>
          </tr>
        </thead>
        <tbody>
          {figuresA.map((fa, i) => {
            const fb = figuresB[i];
            const isShare = fa.unit === '%';
            const show = (v: number | null) =>
              v === null ? '–' : isShare ? formatShare(v) : formatTonnes(v, fa.unit.endsWith('/yr'));
            const diff =
              fa.value === null || fb.value === null
                ? '–'
                : isShare
                  ? `${formatSigned((fb.value - fa.value) * 100, 'points', 0)}`
                  : formatTonnesSigned(fb.value - fa.value, fa.unit.endsWith('/yr'));
            return (
              <tr key={fa.label} data-row={fa.label}>
                <th scope="row">
                  {fa.label} {fa.note && <small>({fa.note})</small>}
                </th>
                <td>
                  {show(fa.value)} <BasisTag basis={fa.basis} />
                </td>
                <td>
                  {show(fb.value)} <BasisTag basis={fb.basis} />
                </td>
                <td>{diff}</td>
              </tr>
            );
          })}
          {a.targets.map((ta, i) => {
            const tb = b.targets[i];
            const verdict = (t: typeof ta) =>
              t.met === null
                ? t.note?.includes('1990')
                  ? 'needs the area’s 1990 emissions (enter them under Targets and carbon budget)'
                  : (t.note ?? 'not assessed')
                : `${t.met ? 'met' : 'missed'}: ${formatTonnes(t.projected?.value ?? 0)} against ${formatTonnes(t.allowed?.value ?? 0)}`;
            return (
              <tr key={ta.label}>
                <th scope="row">{ta.label}</th>
                <td className={ta.met === false ? 'missed' : ta.met ? 'met' : ''}>{verdict(ta)}</td>
                <td className={tb?.met === false ? 'missed' : tb?.met ? 'met' : ''}>
                  {tb ? verdict(tb) : '–'}
                </td>
                <td>{ta.gap && tb?.gap ? formatTonnesSigned(tb.gap.value - ta.gap.value) : '–'}</td>
              </tr>
            );
          })}
          {a.budget && b.budget && (
            <tr>
              <th scope="row">
                Budget {formatTonnes(a.budget.budget.value, false)} <BasisTag basis={a.budget.budget.basis} />
              </th>
              <td>
                {a.budget.exceededIn ? `exceeded in ${a.budget.exceededIn}` : 'not exceeded'}, remaining{' '}
                {formatTonnes(a.budget.remaining.value, false)}
              </td>
              <td>
                {b.budget.exceededIn ? `exceeded in ${b.budget.exceededIn}` : 'not exceeded'}, remaining{' '}
                {formatTonnes(b.budget.remaining.value, false)}
              </td>
              <td>{formatTonnesSigned(b.budget.used.value - a.budget.used.value, false)}</td>
            </tr>
          )}
          {!a.budget && (
            <tr>
              <th scope="row">Carbon budget</th>
              <td colSpan={3}>None entered (Targets and carbon budget, on the left).</td>
            </tr>
          )}
        </tbody>
      </table>
      <p className="cumulative" data-testid="carbon-cumulative">
        Over {a.years[0]}–{end}, plan B emits{' '}
        <strong>
          {formatTonnes(Math.abs(comparison.cumulative), false)}{' '}
          {comparison.cumulative <= 0 ? 'less' : 'more'}
        </strong>{' '}
        than plan A <BasisTag basis={b.total.basis} />.
      </p>
      <div className="carbon-exports">
        <h4>Export for a report</h4>
        <button
          type="button"
          onClick={() =>
            downloadChartsPng(
              PLANS.map((p) => canvases[p]).filter((c): c is HTMLCanvasElement => c !== null),
              {
                title: `Carbon trajectories to ${end}: A ${titleA} / B ${titleB}`,
                footnote: `Modelled from assumed building energy (CIBSE TM46, Ofgem TDCV) × DESNZ 2023 factors; grid: ${a.assumptions.find((x) => x.name === 'grid path')?.source ?? 'clean power 2035 (assumed)'}. Placetwin.`,
                direction: 'row',
              },
              `${dataset}-carbon-a-vs-b.png`,
            )
          }
        >
          Chart image (PNG)
        </button>
        {saved.a && saved.b ? (
          <>
            <a href={carbonApi.compareCsvUrl(dataset, saved.a, saved.b)} download>
              Comparison CSV (A vs B)
            </a>
            <a href={carbonApi.trajectoryCsvUrl(dataset, saved.a)} download>
              Plan A CSV
            </a>
            <a href={carbonApi.trajectoryCsvUrl(dataset, saved.b)} download>
              Plan B CSV
            </a>
          </>
        ) : (
          <span className="hint">
            Save both plans to export them as CSV{saved.a ? ' (A is saved)' : saved.b ? ' (B is saved)' : ''}.
          </span>
        )}
      </div>
      <MapControls ws={ws} view={view} dispatch={dispatch} />
      <details className="chart-table">
        <summary>Trajectory data as a table (tCO2e/yr)</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Year</th>
              {PLANS.flatMap((p) =>
                CARBON_SECTORS.map((s) => (
                  <th scope="col" key={`${p}-${s}`}>
                    {p.toUpperCase()} {SECTOR_LABELS[s]}
                  </th>
                )),
              )}
              <th scope="col">A total</th>
              <th scope="col">B total</th>
              <th scope="col">B − A</th>
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((row, k) => (
              <tr key={row.year}>
                <th scope="row">{row.year}</th>
                {PLANS.flatMap((p) =>
                  CARBON_SECTORS.map((s) => (
                    <td key={`${p}-${s}`}>{formatNumber(results[p].sectors[s].values[k] ?? Number.NaN)}</td>
                  )),
                )}
                <td>{formatNumber(row.a ?? Number.NaN)}</td>
                <td>{formatNumber(row.b ?? Number.NaN)}</td>
                <td>
                  {row.difference === null
                    ? '–'
                    : `${row.difference > 0.5 ? '+' : ''}${formatNumber(row.difference)}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <details className="chart-table">
        <summary>Assumptions behind plan B ({b.assumptions.length})</summary>
        <ul className="assumptions">
          {b.assumptions.map((x) => (
            <li key={x.name}>
              {x.name}: {formatNumber(x.value, x.value < 10 ? 2 : 0)} {x.unit} <BasisTag basis={x.basis} />
              {x.source && <small> {x.source}</small>}
            </li>
          ))}
        </ul>
        <p className="footnote">Building energy: {b.stock.energyMethod}</p>
      </details>
    </>
  );
}

/** Colour the buildings by their operational carbon in a year under one of the plans. */
function MapControls({
  ws,
  view,
  dispatch,
}: {
  ws: CarbonWorkspace;
  view: ViewState;
  dispatch: Dispatch<Action>;
}) {
  const onMap = view.colourBy === 'carbon';
  return (
    <div className="map-controls">
      <h4>On the map</h4>
      <div className="row">
        <label className="field">
          Plan
          <select value={ws.mapPlan} onChange={(e) => ws.setMapPlan(e.target.value === 'a' ? 'a' : 'b')}>
            {PLANS.map((p) => (
              <option key={p} value={p}>
                {p.toUpperCase()}: {ws.drafts[p].title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Year {ws.mapYear}
          <input
            type="range"
            min={2023}
            max={2050}
            step={1}
            value={ws.mapYear}
            aria-valuetext={String(ws.mapYear)}
            onChange={(e) => ws.setMapYear(Number(e.target.value))}
          />
        </label>
      </div>
      <button
        type="button"
        aria-pressed={onMap}
        onClick={() => dispatch({ type: 'setColourBy', colourBy: onMap ? 'height' : 'carbon' })}
      >
        {onMap ? 'Buildings coloured by operational carbon' : 'Colour buildings by operational carbon'}
      </button>
    </div>
  );
}

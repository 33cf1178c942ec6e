/**
 * Compare, the panel: with what (the baseline or another scenario of the dataset), how (swipe, or side by side with
 * linked cameras), and the indicators of both sides with the change, and a bar chart of floor area by use.
 */
import type { ChartConfiguration } from 'chart.js';
import { useId, useMemo, useRef } from 'react';
import { signed } from '../state/scenario';
import { type ComparisonAnswer, comparisonRows, floorAreaBars } from '../state/scenarioCompare';
import { ChartCanvas } from './charts/ChartCanvas';
import { CHART_SOFT } from './charts/chartSetup';
import { downloadChartsPng } from './charts/exportPng';
import { ScenarioImpacts } from './ScenarioImpacts';
import { ScenarioSelect } from './ScenarioSelect';
import type { ScenarioTool } from './useScenarioTool';

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** The names of the two sides of a comparison, for the swipe and split labels. */
export function compareLabels(tool: ScenarioTool): { left: string; right: string } {
  const other = tool.against === 'baseline' ? null : tool.scenarios.find((s) => s.id === tool.against);
  return { left: other?.name ?? 'Baseline', right: tool.current?.name ?? 'Scenario' };
}

export function ScenarioComparePanel({ tool }: { tool: ScenarioTool }) {
  const id = useId();
  const current = tool.current;
  if (!current) return null;
  const others = tool.scenarios.filter((s) => s.id !== current.id && s.dataset === current.dataset);
  return (
    <fieldset className="scenario-compare" aria-labelledby={`${id}-legend`}>
      <legend id={`${id}-legend`}>Compare</legend>
      <label className="row">
        <input type="checkbox" checked={tool.compare} onChange={(e) => tool.setCompare(e.target.checked)} />{' '}
        Compare with the baseline or another scenario
      </label>
      {tool.compare && (
        <>
          <p className="hint">Right: “{current.name}”. Left:</p>
          <ScenarioSelect
            label="Left side"
            ariaLabel="Compare with"
            value={tool.against === 'baseline' ? null : tool.against}
            scenarios={others}
            baselineText="Baseline (today)"
            onChange={(v) => tool.setAgainst(v ?? 'baseline')}
          />
          <div className="row compare-layout" role="radiogroup" aria-label="Compare layout">
            <label>
              <input
                type="radio"
                name={`${id}-layout`}
                checked={tool.layout === 'swipe'}
                onChange={() => tool.setLayout('swipe')}
              />{' '}
              Swipe
            </label>{' '}
            <label>
              <input
                type="radio"
                name={`${id}-layout`}
                checked={tool.layout === 'split'}
                onChange={() => tool.setLayout('split')}
              />{' '}
              Side by side (linked cameras)
            </label>
          </div>
          {tool.compareError && <p role="alert">{tool.compareError}</p>}
          {tool.comparison && <ComparisonTable c={tool.comparison} />}
          <ScenarioImpacts
            dataset={current.dataset}
            against={tool.against}
            current={current}
            otherName={others.find((s) => s.id === tool.against)?.name ?? null}
          />
        </>
      )}
    </fieldset>
  );
}

function ComparisonTable({ c }: { c: ComparisonAnswer }) {
  const rows = comparisonRows(c);
  const config = useMemo(() => floorAreaChart(c), [c]);
  const fmt = (x: number | null, unit: string) =>
    x === null ? '–' : unit === '%' ? x.toFixed(1) : whole.format(x);
  const label = `Floor area by use: ${c.a.name} and ${c.b.name}`;
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const exportPng = () => {
    if (!canvas.current) return;
    downloadChartsPng(
      [canvas.current],
      {
        title: label,
        footnote: `Gross floor area (m²) from footprints × storeys over ${c.studyArea.source === 'site' ? 'the red line' : 'the dataset extent'}; Placetwin scenario indicators.`,
        direction: 'column',
      },
      `floor-area-${c.a.name}-vs-${c.b.name}.png`.replace(/[^A-Za-z0-9_.-]+/g, '-'),
    );
  };
  return (
    <>
      <p className="hint">
        Over {c.studyArea.source === 'site' ? 'the red line' : 'the whole dataset'} (
        {whole.format(c.studyArea.areaM2 / 10_000)} ha). Change = right − left.
      </p>
      <div className="table-scroll">
        <table className="indicators comparison" data-testid="scenario-comparison">
          <thead>
            <tr>
              <th scope="col">Indicator</th>
              <th scope="col">{c.a.name}</th>
              <th scope="col">{c.b.name}</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.key.startsWith('gfa-') ? 'sub' : undefined}>
                <th scope="row" className="row-label">
                  {r.label.trim()}
                  {r.unit ? ` (${r.unit})` : ''}
                </th>
                <td>{fmt(r.baseline, r.unit)}</td>
                <td>{fmt(r.scenario, r.unit)}</td>
                <td className={r.delta ? (r.delta > 0 ? 'up' : 'down') : undefined}>
                  {signed(r.delta, r.unit === '%' || r.unit === 'm' ? 1 : 0)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ChartCanvas
        config={config}
        label={label}
        className="compare-chart"
        testId="compare-chart"
        canvasRef={(el) => {
          canvas.current = el;
        }}
      />
      <button type="button" className="export-png" onClick={exportPng}>
        Download chart (PNG)
      </button>
    </>
  );
}

function floorAreaChart(c: ComparisonAnswer): ChartConfiguration {
  const bars = floorAreaBars(c.a.indicators, c.b.indicators);
  return {
    type: 'bar',
    data: {
      labels: bars.labels,
      datasets: [
        { label: c.a.name, data: bars.a, backgroundColor: '#9aa5b1' },
        { label: c.b.name, data: bars.b, backgroundColor: '#0b6e99' },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      scales: {
        x: {
          min: 0,
          title: { display: true, text: 'Floor area, m²', color: CHART_SOFT, font: { size: 11 } },
        },
      },
      plugins: {
        legend: { position: 'top', align: 'start' },
        tooltip: {
          callbacks: { label: (t) => `${t.dataset.label}: ${whole.format(Number(t.parsed.x))} m²` },
        },
      },
    },
  } as ChartConfiguration;
}

import { useEffect, useId, useState } from 'react';
import type { DatasetInfo } from '../api/types';
import type { Scenario } from '../state/scenario';
import {
  areaFromGeoJson,
  nextTwentyFirstOfMarch,
  ringAreaM2,
  type SunHoursComparison,
} from '../state/sunHours';
import { toUkLocal } from '../state/ukTime';
import type { SunHoursTool } from './useSunHoursTool';

export interface SunHoursPanelProps {
  tool: SunHoursTool;
  datasets: DatasetInfo[];
  /** The scenario open in the scenario panel: offered for a before/after comparison. */
  scenario?: Scenario | null;
}

const CELL_SIZES = [0.5, 1, 2, 5];
const STEPS = [5, 10, 15, 30];
const area = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const hours = (h: number) => h.toFixed(1);

/**
 * Sun-hours map of an area: draw it on the ground (or paste GeoJSON, the keyboard way), choose the day (BRE 209's
 * 21 March by default), compute on the server, and read the result: the BRE 209 sentence, a legend for the map
 * draped on the ground, and the files.
 */
export function SunHoursPanel({ tool, datasets, scenario = null }: SunHoursPanelProps) {
  const id = useId();
  const today = toUkLocal(new Date()).date;
  const [date, setDate] = useState(() => nextTwentyFirstOfMarch(today));
  const [cellSizeM, setCellSizeM] = useState(1);
  const [stepMinutes, setStepMinutes] = useState(10);
  const [areaName, setAreaName] = useState('garden');
  const [dataset, setDataset] = useState<string | null>(null);
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [withScenario, setWithScenario] = useState(true);
  // A reopened request (a share link) shows its own settings.
  const request = tool.request;
  useEffect(() => {
    if (!request) return;
    setDate(request.date);
    setCellSizeM(request.cellSizeM);
    setStepMinutes(request.stepMinutes);
    setAreaName(request.areaName);
    setDataset(request.dataset);
  }, [request]);
  const chosen = dataset ?? scenario?.dataset ?? datasets[0]?.name ?? '';
  const comparable = scenario !== null && scenario.dataset === chosen;
  const { mode, points, run } = tool;
  const m2 = mode === 'closed' ? ringAreaM2(points) : 0;
  const result = run.status === 'done' ? run.job?.result : null;
  const links = run.job?.links;

  const takePasted = () => {
    const ring = areaFromGeoJson(pasted);
    if (typeof ring === 'string') setPasteError(ring);
    else {
      setPasteError(null);
      tool.setArea(ring);
    }
  };

  return (
    <section className="panel-section sun-hours" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Sun-hours map</h2>
      <p className="hint">
        Hours of direct sun over an area on one day, and the BRE 209 garden test on 21 March.
      </p>

      <div className="row">
        {mode === 'drawing' ? (
          <>
            <button
              type="button"
              className="grow"
              onClick={() => tool.finishDrawing()}
              disabled={points.length < 3}
            >
              Finish area
            </button>
            <button type="button" onClick={() => tool.cancelDrawing()}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="grow" onClick={() => tool.startDrawing()}>
            {mode === 'closed' ? 'Draw a new area' : 'Draw area on the map'}
          </button>
        )}
      </div>
      {mode === 'drawing' && (
        <p className="hint" role="status">
          Click corners on the ground ({points.length} so far). Double-click or press Enter to finish,
          Backspace to remove the last corner, Escape to cancel.
        </p>
      )}
      {mode === 'closed' && (
        <p className="hint" data-testid="sun-hours-area">
          Area: {area.format(m2)} m², {points.length} corners.
        </p>
      )}
      <details>
        <summary>Or paste GeoJSON</summary>
        <label className="field">
          GeoJSON Polygon (WGS84)
          <textarea rows={4} value={pasted} spellCheck={false} onChange={(e) => setPasted(e.target.value)} />
        </label>
        <button type="button" onClick={takePasted} disabled={!pasted.trim()}>
          Use this area
        </button>
        {pasteError && (
          <p className="error" role="alert">
            {pasteError}
          </p>
        )}
      </details>

      <div className="row">
        <label className="field">
          Day
          <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field">
          Area is a
          <input type="text" value={areaName} maxLength={40} onChange={(e) => setAreaName(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <label className="field">
          Cell
          <select value={cellSizeM} onChange={(e) => setCellSizeM(Number(e.target.value))}>
            {CELL_SIZES.map((c) => (
              <option key={c} value={c}>
                {c} m
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Step
          <select value={stepMinutes} onChange={(e) => setStepMinutes(Number(e.target.value))}>
            {STEPS.map((s) => (
              <option key={s} value={s}>
                {s} min
              </option>
            ))}
          </select>
        </label>
      </div>
      {datasets.length > 1 && (
        <label className="field">
          Buildings from
          <select value={chosen} onChange={(e) => setDataset(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.name} value={d.name}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
      )}
      {comparable && scenario && (
        <label className="check">
          <input type="checkbox" checked={withScenario} onChange={(e) => setWithScenario(e.target.checked)} />
          <span>
            Before and after scenario “{scenario.name}” (version {scenario.version})
          </span>
        </label>
      )}
      <div className="row">
        <button
          type="button"
          className="grow primary"
          disabled={mode !== 'closed' || !chosen || !date || run.status === 'running'}
          onClick={() =>
            tool.compute({
              dataset: chosen,
              date,
              cellSizeM,
              stepMinutes,
              areaName: areaName.trim() || 'area',
              ...(comparable && withScenario && scenario ? { scenario: scenario.id } : {}),
            })
          }
        >
          Compute sun hours
        </button>
        {(mode !== 'idle' || run.status !== 'idle') && (
          <button type="button" onClick={() => tool.clear()}>
            Clear
          </button>
        )}
      </div>

      {run.status === 'running' && (
        <p role="status">
          Computing… <progress max={1} value={run.job?.progress ?? 0} aria-label="Sun-hours progress" />
        </p>
      )}
      {run.status === 'failed' && (
        <p className="error" role="alert">
          {run.error}
        </p>
      )}
      {result && links && (
        <div className="sun-hours-result" data-sun-hours-id={result.id}>
          <p
            className="bre-sentence"
            role="status"
            data-meets={result.bre209 ? String(result.bre209.meetsGuidance) : ''}
          >
            {result.sentence}
          </p>
          {result.comparison && (
            <ComparisonFacts comparison={result.comparison} side={tool.side} onSide={tool.setSide} />
          )}
          <dl className="facts">
            <dt>Open ground assessed{result.comparison ? ' (after)' : ''}</dt>
            <dd>{area.format(result.summary.areaM2)} m²</dd>
            <dt>At least 2 hours{result.comparison ? ' (after)' : ''}</dt>
            <dd>{Math.round(result.summary.shareAtLeast2h * 100)}%</dd>
            <dt>Mean</dt>
            <dd>
              {hours(result.summary.meanHours)} of {hours(result.summary.daylightHours)} h daylight
            </dd>
          </dl>
          <label className="check">
            <input
              type="checkbox"
              checked={tool.overlayShown}
              onChange={(e) => tool.setOverlayShown(e.target.checked)}
            />
            <span>Show on the map</span>
          </label>
          <ul className="legend sun-hours-legend" aria-label="Hours of direct sun">
            {result.legend.map((e) => (
              <li key={e.label} className="legend-item">
                <span className="swatch" style={{ background: e.colour }} />
                {e.label}
              </li>
            ))}
            <li className="legend-item">
              <span className="swatch" style={{ background: '#9e9e9e' }} />
              Under a building
            </li>
          </ul>
          <p className="exports">
            Download:{' '}
            <a href={links.png} download>
              PNG{links.beforePng ? ' after' : ''}
            </a>{' '}
            {links.beforePng && (
              <>
                ·{' '}
                <a href={links.beforePng} download>
                  PNG before
                </a>{' '}
              </>
            )}
            ·{' '}
            <a href={links.geojson} download>
              GeoJSON
            </a>{' '}
            ·{' '}
            <a href={links.csv} download>
              CSV
            </a>
            {result.comparison && ' (hours before and after per cell)'}
          </p>
          <p className="hint">
            {result.cellSizeM} m cells, {result.stepMinutes}-minute steps, {result.buildings} buildings as
            shade casters (heights mostly estimated). Flat ground; no trees.
          </p>
        </div>
      )}
    </section>
  );
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

/** Before/after a scenario: the shares, the ratio against BRE 209's 0.8, and which grid is on the map. */
function ComparisonFacts({
  comparison: c,
  side,
  onSide,
}: {
  comparison: SunHoursComparison;
  side: 'before' | 'after';
  onSide: (side: 'before' | 'after') => void;
}) {
  const id = useId();
  const verdict = c.bre209 ? (c.bre209.meetsGuidance ? 'pass' : 'fail') : 'none';
  return (
    <div className="sun-hours-comparison" data-verdict={verdict} data-ratio={c.ratio ?? ''}>
      <p className={`verdict verdict-${verdict}`}>
        {verdict === 'pass'
          ? 'Passes BRE 209'
          : verdict === 'fail'
            ? 'Fails BRE 209'
            : 'BRE 209 is for 21 March'}
        {c.ratio !== null && ` · ratio ${c.ratio.toFixed(2)} (0.8 needed)`}
      </p>
      <table className="comparison-table">
        <caption>
          Scenario “{c.scenario.name}” (version {c.scenario.version}, {c.scenario.status})
        </caption>
        <thead>
          <tr>
            <th scope="col">At least 2 hours</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Share of the area</th>
            <td>{pct(c.shareBefore)}</td>
            <td>{pct(c.shareAfter)}</td>
          </tr>
        </tbody>
      </table>
      <p className="hint">
        {c.cells.lostTwoHours.toLocaleString('en-GB')} cells fall below 2 hours
        {c.cells.builtOn > 0 && `, ${c.cells.builtOn.toLocaleString('en-GB')} are built on`}.
      </p>
      <fieldset className="segmented" aria-labelledby={`${id}-map`}>
        <legend id={`${id}-map`}>On the map</legend>
        {(['before', 'after'] as const).map((s) => (
          <label key={s} className="check">
            <input
              type="radio"
              name={`${id}-side`}
              value={s}
              checked={side === s}
              onChange={() => onSide(s)}
            />
            <span>{s === 'before' ? 'Before (baseline)' : 'After (scenario)'}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}

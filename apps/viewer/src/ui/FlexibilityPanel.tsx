import { type Dispatch, useId, useMemo, useRef } from 'react';
import { useBuilding } from '../api/client';
import type { Flexibility } from '../api/energyTypes';
import {
  CAPACITY_CHOICES,
  CAPACITY_LABELS,
  type CapacityChoice,
  clockOnDay,
  FIRST_ENERGY_DAY,
  flexibilityFigures,
  LAST_ENERGY_DAY,
  plantWords,
  ukClock,
} from '../state/energy';
import { formatNumber } from '../state/format';
import type { Action } from '../state/store';
import { isoInstant, type ViewState } from '../state/viewState';
import { CalibrationSection } from './CalibrationSection';
import { ChartCanvas } from './charts/ChartCanvas';
import { type DayCursor, flexibilityCharts } from './charts/energyCharts';
import { downloadChartsPng } from './charts/exportPng';
import { BasisTag, FigureList } from './Figures';
import type { EnergyCarbon, FlexibilityForm } from './useEnergyCarbon';

/** The clock as a cursor on a day's charts, when it is on that day. */
export function dayCursor(view: ViewState, timesMs: readonly number[], stepMinutes: number): DayCursor {
  const ms = Date.parse(view.time);
  const start = timesMs[0];
  const end = (timesMs.at(-1) ?? start) + stepMinutes * 60_000;
  return ms >= start && ms <= end ? { ms, label: `clock ${ukClock(ms)}` } : { ms: null, label: '' };
}

/** Clicking a chart moves the twin's clock to that time (5-minute steps, like the time slider). */
export const clockSetter = (dispatch: Dispatch<Action>) => (x: number) =>
  dispatch({ type: 'setTime', time: isoInstant(new Date(Math.round(x / 300_000) * 300_000)) });

/** Day, comfort band, peak window (and the thermal mass for one building): shared by the two energy tabs. */
export function FlexibilityFields({
  ec,
  view,
  dispatch,
  withCapacity,
}: {
  ec: EnergyCarbon;
  view: ViewState;
  dispatch: Dispatch<Action>;
  withCapacity: boolean;
}) {
  const id = useId();
  const { form, setForm, settings, onClock } = ec.flexibility;
  const set = (change: Partial<FlexibilityForm>) => setForm({ ...form, ...change });
  const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
  return (
    <fieldset className="flex-fields">
      <legend className="visually-hidden">Day, comfort band and peak window</legend>
      <label className="field" htmlFor={`${id}-day`}>
        Day (moves the twin’s clock)
      </label>
      <input
        id={`${id}-day`}
        type="date"
        min={FIRST_ENERGY_DAY}
        max={LAST_ENERGY_DAY}
        value={settings.date}
        required
        onChange={(e) => {
          const t = clockOnDay(view.time, e.target.value);
          if (t) dispatch({ type: 'setTime', time: isoInstant(t) });
        }}
      />
      {!onClock && (
        <p className="hint">
          The weather and grid data cover 2023, so the clock’s day is modelled on {settings.date}.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              const t = clockOnDay(view.time, settings.date);
              if (t) dispatch({ type: 'setTime', time: isoInstant(t) });
            }}
          >
            Move the clock there
          </button>
        </p>
      )}
      <div className="row">
        <label className="field">
          Comfort from (°C)
          <input
            type="number"
            inputMode="decimal"
            min={5}
            max={35}
            step={0.5}
            value={Number.isFinite(form.minC) ? form.minC : ''}
            onChange={(e) => set({ minC: numberOf(e.target.value) })}
          />
        </label>
        <label className="field">
          to (°C)
          <input
            type="number"
            inputMode="decimal"
            min={5}
            max={35}
            step={0.5}
            value={Number.isFinite(form.maxC) ? form.maxC : ''}
            onChange={(e) => set({ maxC: numberOf(e.target.value) })}
          />
        </label>
      </div>
      <div className="row">
        <label className="field">
          Peak window from
          <input
            type="time"
            value={form.windowStart}
            onChange={(e) => set({ windowStart: e.target.value })}
          />
        </label>
        <label className="field">
          to
          <input type="time" value={form.windowEnd} onChange={(e) => set({ windowEnd: e.target.value })} />
        </label>
      </div>
      <label className="field">
        Plant
        <select
          value={form.mode ?? 'heating'}
          onChange={(e) => set({ mode: e.target.value === 'cooling' ? 'cooling' : 'heating' })}
        >
          <option value="heating">Heating (heat pump)</option>
          <option value="cooling">Cooling (summer day, pre-cooling)</option>
        </select>
      </label>
      {withCapacity && (
        <label className="field">
          Thermal mass (ISO 13790 class)
          <select
            value={form.capacity}
            onChange={(e) => {
              const c = CAPACITY_CHOICES.find((x) => x === e.target.value);
              if (c) set({ capacity: c satisfies CapacityChoice });
            }}
          >
            {CAPACITY_CHOICES.map((c) => (
              <option key={c} value={c}>
                {CAPACITY_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
      )}
      {ec.flexibility.problems.length > 0 && (
        <ul className="problems" role="alert">
          {ec.flexibility.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** The selected building's normal and peak-shift heating for a day, the grid operator's figures, and the charts. */
export function FlexibilityPanel({
  ec,
  view,
  dispatch,
}: {
  ec: EnergyCarbon;
  view: ViewState;
  dispatch: Dispatch<Action>;
}) {
  const building = useBuilding(view.selected);
  const { result, current, form } = ec.flexibility;
  const name =
    building.status === 'loaded'
      ? (building.data.name ?? `${building.data.use ?? 'Unnamed'} building`)
      : null;
  return (
    <div className="dock-body flex-panel">
      <div className="dock-controls">
        <h3>{view.selected ? (name ?? view.selected) : 'No building selected'}</h3>
        <p className="hint">
          Heat a little earlier, turn the plant down over the grid’s peak, keep the comfort band.
        </p>
        {!view.selected && <p className="hint">Select a building on the map (or in the portfolio table).</p>}
        {result.error && (
          <p className="problem" role="alert">
            Could not model this building: {result.error}
          </p>
        )}
        {result.data && (
          <FigureList
            label="Grid operator’s figures"
            items={flexibilityFigures(result.data, form).map((f) => ({ ...f, basis: 'modelled' as const }))}
          />
        )}
        <h4>Day, comfort and peak window</h4>
        <FlexibilityFields ec={ec} view={view} dispatch={dispatch} withCapacity />
        {view.selected && <CalibrationSection cal={ec.calibration} />}
      </div>
      <div className="dock-charts" aria-busy={result.loading}>
        <p className="status-line" role="status" aria-live="polite">
          {result.loading ? 'Modelling…' : current && result.data ? `Modelled ${result.data.date}.` : ''}
        </p>
        {result.data && <FlexibilityCharts f={result.data} view={view} dispatch={dispatch} title={name} />}
      </div>
    </div>
  );
}

function FlexibilityCharts({
  f,
  view,
  dispatch,
  title,
}: {
  f: Flexibility;
  view: ViewState;
  dispatch: Dispatch<Action>;
  title: string | null;
}) {
  const { ms: cursorMs, label: cursorLabel } = dayCursor(view, f.timesMs, f.stepMinutes);
  const charts = useMemo(
    () => flexibilityCharts(f, { ms: cursorMs, label: cursorLabel }),
    [f, cursorMs, cursorLabel],
  );
  const canvases = useRef<Record<string, HTMLCanvasElement | null>>({}).current;
  const onPick = clockSetter(dispatch);
  const windowSteps = f.inWindow.filter(Boolean).length;
  const words = plantWords(f.mode);
  const measured = f.assumptions.find((a) => a.field === 'thermalModel' && a.basis === 'measured');
  const method = measured
    ? `ISO 13790 5R1C calibrated to measured data (${measured.value})`
    : 'ISO 13790 5R1C, estimated parameters from the footprint, height and defaults';
  return (
    <>
      <ChartCanvas
        config={charts.temperature}
        className="chart-day"
        testId="flex-chart-temperature"
        label={`Indoor temperature on ${f.date}, normal and peak-shift, with the comfort band and outdoor temperature; the table below has the values.`}
        onPickX={onPick}
        canvasRef={(c) => {
          canvases.temperature = c;
        }}
      />
      <ChartCanvas
        config={charts.power}
        className="chart-day"
        testId="flex-chart-power"
        label={`${words.load}, normal and peak-shift, with the ${windowSteps / 2}-hour peak window shaded.`}
        onPickX={onPick}
        canvasRef={(c) => {
          canvases.power = c;
        }}
      />
      <ChartCanvas
        config={charts.intensity}
        className="chart-day chart-short"
        testId="flex-chart-intensity"
        label="GB grid carbon intensity over the day, gCO2 per kWh."
        onPickX={onPick}
        canvasRef={(c) => {
          canvases.intensity = c;
        }}
      />
      <div className="chart-actions">
        <details className="chart-table">
          <summary>Chart data as a table</summary>
          <FlexibilityTable f={f} />
        </details>
        <button
          type="button"
          onClick={() =>
            downloadChartsPng(
              [canvases.temperature, canvases.power, canvases.intensity].filter(
                (c): c is HTMLCanvasElement => c !== null && c !== undefined,
              ),
              {
                title: `${title ?? f.buildingId}: ${f.mode === 'cooling' ? 'pre-cooling' : 'heat battery'} on ${f.date}`,
                footnote: `Modelled (${method}; heat pump COP 3, ${words.plant}). ${f.credits}`,
                direction: 'column',
              },
              `${f.buildingId.replace(':', '-')}-flexibility-${f.date}.png`,
            )
          }
        >
          Chart image (PNG)
        </button>
      </div>
      <p className="footnote" data-testid="flex-method">
        Modelled: {method}
        {measured ? <BasisTag basis="measured" /> : <BasisTag basis="estimated" />}; electric load of the{' '}
        {words.plant} assumes a heat pump with COP 3. {f.credits} {f.notes.join('; ')}.
      </p>
    </>
  );
}

function FlexibilityTable({ f }: { f: Flexibility }) {
  const one = (x: number) => formatNumber(x, 1);
  return (
    <table className="data-table">
      <caption>Half-hourly values, UK time (step start)</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Outdoor °C</th>
          <th scope="col">Comfort °C</th>
          <th scope="col">Indoor normal °C</th>
          <th scope="col">Indoor peak-shift °C</th>
          <th scope="col">{plantWords(f.mode).Plant} load normal kW</th>
          <th scope="col">{plantWords(f.mode).Plant} load peak-shift kW</th>
          <th scope="col">Grid gCO2/kWh</th>
          <th scope="col">Peak window</th>
        </tr>
      </thead>
      <tbody>
        {f.timesMs.map((t, k) => (
          <tr key={t}>
            <th scope="row">{ukClock(t)}</th>
            <td>{one(f.outdoorC[k])}</td>
            <td>{f.occupied[k] ? `${one(f.lowC[k])}–${one(f.highC[k])}` : `≥ ${one(f.lowC[k])}`}</td>
            <td>{one(f.baseline.airC[k])}</td>
            <td>{one(f.shifted.airC[k])}</td>
            <td>{one(f.baseline.electricKw[k])}</td>
            <td>{one(f.shifted.electricKw[k])}</td>
            <td>{formatNumber(f.intensityGPerKwh[k])}</td>
            <td>{f.inWindow[k] ? 'yes' : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

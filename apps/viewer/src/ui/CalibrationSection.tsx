import { useId, useMemo } from 'react';
import { calibrationRows } from '../state/energy';
import { formatNumber } from '../state/format';
import { ChartCanvas } from './charts/ChartCanvas';
import { calibrationChart } from './charts/energyCharts';
import type { CalibrationState } from './useEnergyCarbon';

/** Significant figures for parameters that span orders of magnitude (K/kW, MJ/K, hours). */
const sig = (x: number) =>
  Math.abs(x) >= 100 ? formatNumber(x) : formatNumber(x, Math.abs(x) >= 10 ? 1 : 2);

/**
 * Calibrate the selected building's thermal model to measured data: a CSV of indoor temperature and heating or
 * cooling power (a BMS export, or the Leprince et al. research layout). Shows the fitted parameters against the
 * estimate, the fit's RMSE and the measured vs model temperatures; flexibility then plans with the fitted model.
 */
export function CalibrationSection({ cal }: { cal: CalibrationState }) {
  const id = useId();
  const c = cal.current?.result ?? null;
  const chart = useMemo(() => (c ? calibrationChart(c) : null), [c]);
  const s = cal.stored;
  return (
    <section className="calibration" aria-labelledby={`${id}-h`} data-testid="calibration">
      <h4 id={`${id}-h`}>Calibrate to measured data</h4>
      {s ? (
        <div className="notice" data-testid="calibration-stored" data-id={s.id}>
          <p>
            Calibrated to <strong>{s.sourceFile}</strong> ({formatNumber(s.readings)} readings every{' '}
            {formatNumber(s.stepMinutes)} min) on{' '}
            <time dateTime={new Date(s.createdAtMs).toISOString()}>
              {new Date(s.createdAtMs).toLocaleString('en-GB', {
                dateStyle: 'medium',
                timeStyle: 'short',
                timeZone: 'Europe/London',
              })}
            </time>
            {s.createdBy ? ` by ${s.createdBy}` : ''}: RMSE{' '}
            <strong data-testid="calibration-stored-rmse" data-value={s.rmseC}>
              {formatNumber(s.rmseC, 2)} °C
            </strong>{' '}
            a day ahead (estimated model: {formatNumber(s.priorRmseC, 2)} °C). Flexibility and portfolios plan
            with it.
          </p>
          {cal.canCalibrate && (
            <button type="button" disabled={cal.loading} onClick={cal.reset}>
              Use the estimate instead
            </button>
          )}
        </div>
      ) : (
        <p className="hint" data-testid="calibration-none">
          Not calibrated: flexibility plans with the model estimated from the building’s geometry.
        </p>
      )}
      {cal.canCalibrate ? (
        <>
          <p className="hint">
            A CSV of indoor temperature, outdoor temperature and heating or cooling power from the building
            management system (<code>time,indoor_c,outdoor_c,heating_kw[,ghi_wm2]</code>). The fit is stored
            for the building.
          </p>
          <label className="field" htmlFor={`${id}-file`}>
            Measured record (CSV)
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            data-testid="calibration-file"
            disabled={cal.loading}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) cal.run(file);
              e.target.value = '';
            }}
          />
        </>
      ) : (
        <p className="hint">Planners calibrate a building to its measured data: sign in (Scenario panel).</p>
      )}
      <p className="status-line" role="status" aria-live="polite">
        {cal.loading ? 'Working on the calibration…' : ''}
      </p>
      {cal.error && (
        <p className="problem" role="alert">
          Could not calibrate: {cal.error}
        </p>
      )}
      {c && cal.current && (
        <>
          <p>
            Fit to <strong>{cal.current.fileName}</strong> ({formatNumber(c.steps)} readings every{' '}
            {formatNumber(c.stepMinutes)} min): RMSE{' '}
            <strong data-testid="calibration-rmse" data-value={c.rmseC}>
              {formatNumber(c.rmseC, 2)} °C
            </strong>{' '}
            predicting a day ahead (estimated model: {formatNumber(c.priorRmseC, 2)} °C).
          </p>
          <table className="data-table" data-testid="calibration-parameters">
            <caption>Fitted parameters (R = 1/H)</caption>
            <thead>
              <tr>
                <th scope="col">Parameter</th>
                <th scope="col">Estimated</th>
                <th scope="col">Fitted</th>
                <th scope="col">Unit</th>
              </tr>
            </thead>
            <tbody>
              {calibrationRows(c).map((r) => (
                <tr key={r.key} data-parameter={r.key}>
                  <th scope="row">{r.label}</th>
                  <td>{sig(r.estimated)}</td>
                  <td>{sig(r.fitted)}</td>
                  <td>{r.unit}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {c.scaledToGeometry && (
            <p className="hint">
              The record’s heating column has no power unit, so only the dynamics (τ, the split between paths)
              are measured; the model is scaled to the heat loss estimated from the footprint for planning.
            </p>
          )}
          {chart && (
            <ChartCanvas
              config={chart}
              className="chart-day"
              testId="calibration-chart"
              label={`Measured indoor temperature and the calibrated model's day-ahead prediction over the ${formatNumber(c.steps)} readings; RMSE ${formatNumber(c.rmseC, 2)} °C.`}
            />
          )}
        </>
      )}
      {s && (
        <label className="check">
          <input type="checkbox" checked={cal.use} onChange={(e) => cal.setUse(e.target.checked)} /> Plan this
          view’s flexibility with the calibrated model
        </label>
      )}
    </section>
  );
}

import { useId } from 'react';
import {
  classColour,
  classifySensor,
  formatSensorValue,
  SENSOR_CLASSES,
  sparklinePoints,
} from '../state/sensors';
import { formatChartTime } from './charts/sensorCharts';
import type { SensorTool } from './useSensors';
import './sensors.css';

const valueFmt = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const when = (iso: string) => formatChartTime(Date.parse(iso), 365 * 86_400_000 + 1);
const whenHour = (iso: string) => formatChartTime(Date.parse(iso), 0);
const titleCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The layer list's entry for sensors. */
export function SensorLayerToggle({ tool }: { tool: SensorTool }) {
  return (
    <li>
      <label className="check">
        <input type="checkbox" checked={tool.enabled} onChange={(e) => tool.setEnabled(e.target.checked)} />
        <span>
          Sensors
          <small>Council sensors, live or replayed on the clock</small>
        </span>
      </label>
    </li>
  );
}

function Sparkline({ values, colour }: { values: number[] | undefined; colour: string }) {
  const line = values ? sparklinePoints(values, 80, 20) : '';
  return (
    <svg className="sparkline" width="80" height="20" viewBox="-1 -1 82 22" aria-hidden="true">
      {line && <polyline points={line} fill="none" stroke={colour} strokeWidth="1.5" />}
    </svg>
  );
}

/** The sensor layer's panel: live or replay, where the sensors are, the legend, the sensors and the alerts. */
export function SensorPanel({ tool }: { tool: SensorTool }) {
  const id = useId();
  if (!tool.enabled) return null;
  const { registry, points, mode, alerts } = tool;
  const names = new Map(points.map((p) => [p.sensorId, p.name]));
  const live = mode === 'live';
  return (
    <section className="panel-section sensor-panel" aria-labelledby={`${id}-sensors`}>
      <h2 id={`${id}-sensors`}>Sensors</h2>
      <fieldset className="sensor-mode">
        <legend className="field">Values shown</legend>
        <label className="check">
          <input type="radio" name={`${id}-mode`} checked={live} onChange={() => tool.setMode('live')} />
          <span>Live (latest reading)</span>
        </label>
        <label className="check">
          <input type="radio" name={`${id}-mode`} checked={!live} onChange={() => tool.setMode('replay')} />
          <span>Replay at the clock's time</span>
        </label>
      </fieldset>
      <p
        className={`sensor-status ${live ? 'is-live' : 'is-replay'}`}
        role="status"
        data-testid="sensor-status"
      >
        <strong>{live ? 'Live' : 'Replay'}</strong>{' '}
        {live
          ? tool.stream === 'open'
            ? `· updating as readings arrive (${tool.liveReadings} so far)`
            : tool.stream === 'reconnecting'
              ? '· connection lost, reconnecting…'
              : '· connecting…'
          : tool.replayAtMs === null
            ? '· loading values…'
            : `· values at ${whenHour(new Date(tool.replayAtMs).toISOString())}${tool.replayLoading ? ' (updating…)' : ''}`}
      </p>
      {registry.status === 'loading' && <p className="hint">Loading sensors…</p>}
      {registry.status === 'failed' && <p className="problem">Cannot load the sensors: {registry.message}</p>}
      {registry.status === 'loaded' && registry.data.length === 0 && (
        <p className="hint">No sensors registered yet: see the README's Sensors section.</p>
      )}
      {tool.areas.length > 0 && (
        <div className="row sensor-goto">
          {tool.areas.map((a) => (
            <button key={a.area} type="button" className="grow" onClick={() => tool.goToArea(a.area)}>
              Go to sensors{tool.areas.length > 1 ? `: ${titleCase(a.area)} (${a.count})` : ` (${a.count})`}
            </button>
          ))}
        </div>
      )}
      <ul className="legend" aria-label="Legend: sensor values">
        {SENSOR_CLASSES.map((c) => (
          <li key={c.cls} className="legend-item">
            <span className="swatch round" style={{ background: c.colour }} aria-hidden="true" />
            {c.label}
          </li>
        ))}
      </ul>
      {points.length > 0 && (
        <ul className="sensor-list" aria-label="Sensors">
          {points.map((p) => {
            const s = p.streams[0];
            const colour = classColour(classifySensor(p));
            return (
              <li key={p.sensorId}>
                <button
                  type="button"
                  className={`sensor-item${tool.selected === p.sensorId ? ' is-selected' : ''}`}
                  onClick={() => tool.select(p.sensorId)}
                  aria-pressed={tool.selected === p.sensorId}
                  data-sensor-id={p.sensorId}
                >
                  <span className="swatch round" style={{ background: colour }} aria-hidden="true" />
                  <span className="sensor-name">
                    {p.name}
                    <small>
                      {s?.latest
                        ? `${formatSensorValue(s.latest.value, s.unit)} · ${whenHour(s.latest.time)}`
                        : 'no reading'}
                    </small>
                  </span>
                  <Sparkline values={tool.sparklines.get(p.sensorId)} colour="#1d70b8" />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <h3 className="sensor-subhead">Alerts</h3>
      {alerts.status === 'failed' && <p className="problem">Cannot load the alerts: {alerts.message}</p>}
      {alerts.status === 'loaded' && alerts.data.length === 0 && <p className="hint">No alerts.</p>}
      {alerts.status === 'loaded' && alerts.data.length > 0 && (
        <ul className="sensor-alerts" aria-label="Alerts" data-testid="sensor-alerts">
          {alerts.data.slice(0, 20).map((a) => (
            <li key={a.id} className={`alert-${a.level}${a.cleared ? ' is-cleared' : ''}`}>
              <strong>{titleCase(a.level)}</strong> {names.get(a.sensorId) ?? a.sensorId}:{' '}
              {valueFmt.format(a.value)} at {when(a.time)}
              {a.cleared ? ` · cleared ${when(a.cleared.time)}` : ' · open'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

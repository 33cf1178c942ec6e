import { useId, useMemo } from 'react';
import { SERIES_RANGES, type SeriesBucket } from '../state/sensors';
import { ChartCanvas } from './charts/ChartCanvas';
import { sensorChartConfig } from './charts/sensorCharts';
import type { SensorTool } from './useSensors';

const BUCKETS: { key: SeriesBucket; label: string }[] = [
  { key: 'auto', label: 'Automatic' },
  { key: 'raw', label: 'Raw readings' },
  { key: 'hour', label: 'Hourly' },
  { key: 'day', label: 'Daily' },
];

/** The sensor clicked: its time series (range, aggregation, a second sensor to compare). */
export function SensorChartPanel({ tool, clockMs }: { tool: SensorTool; clockMs: number }) {
  const id = useId();
  const { chart } = tool;
  const registry = tool.registry.status === 'loaded' ? tool.registry.data : [];
  const sensor = registry.find((p) => p.sensorId === chart?.sensorId);
  const other = registry.find((p) => p.sensorId === chart?.compareId);
  const config = useMemo(() => {
    if (!chart || !sensor || chart.series.status !== 'loaded' || !chart.window) return null;
    return sensorChartConfig({
      series: chart.series.data,
      label: sensor.name,
      compare:
        other && chart.compare?.status === 'loaded'
          ? { series: chart.compare.data, label: other.name }
          : null,
      thresholds: sensor.streams[0]?.thresholds ?? [],
      window: chart.window,
      cursorMs: clockMs >= chart.window[0] && clockMs <= chart.window[1] ? clockMs : null,
    });
  }, [chart, sensor, other, clockMs]);
  if (!chart || !sensor) return null;
  const stream = sensor.streams[0];
  const n = chart.series.status === 'loaded' ? chart.series.data.points.length : 0;
  return (
    <section
      className="info-panel sensor-chart-panel"
      aria-labelledby={`${id}-h`}
      data-sensor-id={sensor.sensorId}
    >
      <div className="info-head">
        <h2 id={`${id}-h`}>{sensor.name}</h2>
        <button
          type="button"
          className="close"
          onClick={() => tool.select(null)}
          aria-label="Close sensor chart"
        >
          ×
        </button>
      </div>
      <p className="hint">
        {stream ? `${stream.name} (${stream.unit.replace(/[{}]/g, '')})` : 'No datastream'} · {sensor.owner},{' '}
        {sensor.licence}. Located to within {sensor.locationAccuracyM} m.
      </p>
      <div className="sensor-chart-controls">
        <label className="field">
          Range
          <select value={chart.range} onChange={(e) => tool.setRange(e.target.value as typeof chart.range)}>
            {SERIES_RANGES.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Aggregation
          <select value={chart.bucket} onChange={(e) => tool.setBucket(e.target.value as SeriesBucket)}>
            {BUCKETS.map((b) => (
              <option key={b.key} value={b.key}>
                {b.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Compare with
          <select value={chart.compareId ?? ''} onChange={(e) => tool.setCompare(e.target.value || null)}>
            <option value="">None</option>
            {registry
              .filter((p) => p.sensorId !== sensor.sensorId)
              .map((p) => (
                <option key={p.sensorId} value={p.sensorId}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
      </div>
      {chart.series.status === 'loading' && <p className="hint">Loading the series…</p>}
      {chart.series.status === 'failed' && (
        <p className="problem">Cannot load the series: {chart.series.message}</p>
      )}
      {config && (
        <ChartCanvas
          config={config}
          className="sensor-chart"
          label={`${sensor.name}: ${stream?.property ?? ''} over the chosen range`}
          testId="sensor-chart"
        />
      )}
      {chart.series.status === 'loaded' && (
        <p className="hint" data-testid="sensor-chart-summary">
          {n === 0
            ? 'No readings in this range.'
            : `${n} ${chart.series.data.bucket === 'raw' ? 'readings' : chart.series.data.bucket === 'hour' ? 'hours' : 'days'}${tool.mode === 'replay' ? ', ending at the clock' : ', ending at the latest reading'}.`}
        </p>
      )}
    </section>
  );
}

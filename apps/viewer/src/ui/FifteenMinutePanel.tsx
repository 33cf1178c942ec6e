import { useId } from 'react';
import { SCORE_COLOURS, scoreColour } from '../state/fifteenMinute';
import type { FifteenMinuteTool } from './useFifteenMinute';

/**
 * The 15-minute city score: how many everyday services (food shop, school, GP, pharmacy, park, post office,
 * library or community centre) a point reaches within 15 minutes, leaving at the scene time; as a map of the view
 * and for a point picked on the map.
 */
export function FifteenMinutePanel({ tool }: { tool: FifteenMinuteTool }) {
  const id = useId();
  const { map, point } = tool;
  const total = map.status === 'loaded' ? map.data.services.length : 7;
  return (
    <section className="fifteen-minute" aria-labelledby={`${id}-fifteen`}>
      <h3 id={`${id}-fifteen`}>15-minute city</h3>
      <p className="hint">
        How many of 7 everyday services (food shop, school, GP, pharmacy, park, post office, library or
        community centre; OpenStreetMap) lie within 15 minutes, leaving at the scene time: on foot, and by bus
        where a GTFS feed has stops nearby.
      </p>
      <div className="row">
        <button type="button" className="grow" onClick={tool.requestMap}>
          Score map of this view
        </button>
        {map.status !== 'idle' && (
          <button type="button" onClick={tool.clearMap}>
            Clear
          </button>
        )}
      </div>
      <div className="row">
        <button
          type="button"
          className="grow"
          aria-pressed={tool.pickingPoint}
          onClick={() => tool.setPickingPoint(!tool.pickingPoint)}
        >
          {tool.pickingPoint ? 'Click the map… (cancel)' : 'Score a point on the map'}
        </button>
      </div>
      {map.status === 'loading' && <p className="hint">Scoring the view…</p>}
      {map.status === 'failed' && <p className="hint">{map.message}</p>}
      {map.status === 'loaded' && (
        <>
          <p className="hint">
            Services within {map.data.limitMinutes} minutes, of {total}:
          </p>
          <ul
            className="legend score-legend"
            aria-label="Services within 15 minutes"
            data-testid="score-legend"
          >
            {SCORE_COLOURS.map((_, k) => {
              const n = Math.round((k / (SCORE_COLOURS.length - 1)) * total);
              return (
                <li key={n} className="legend-item">
                  <span className="swatch" style={{ background: scoreColour(n, total) }} aria-hidden="true" />
                  {n}
                </li>
              );
            })}
          </ul>
          <p className="hint" data-testid="score-map-summary">
            {map.data.cells.length} cells of {map.data.cellM} m scored;{' '}
            {map.data.feeds.length
              ? `by bus (${map.data.feeds.join(', ')}) and on foot.`
              : 'on foot only: this view lies outside every imported GTFS feed’s area (no stops within reach), so public transport is not available here.'}
            {map.data.uncoveredCells > 0 &&
              ` ${map.data.uncoveredCells} cells outside the points-of-interest data are left blank.`}{' '}
            Each cell is scored at its centre.
          </p>
        </>
      )}
      {point.status === 'loading' && <p className="hint">Scoring the point…</p>}
      {point.status === 'failed' && <p className="hint">{point.message}</p>}
      {point.status === 'loaded' && (
        <div data-testid="point-score">
          <div className="row">
            <p className="grow">
              {point.data.score === null ? (
                'No points-of-interest data covers this point (the sample services are Rutland’s).'
              ) : (
                <strong>
                  {point.data.reachable} of {point.data.total} services within {point.data.limitMinutes}{' '}
                  minutes
                </strong>
              )}{' '}
              ({point.data.mode === 'walk' ? 'on foot' : `on foot and by bus, ${point.data.feed}`})
            </p>
            <button type="button" aria-label="Close the point score" onClick={tool.clearPoint}>
              ×
            </button>
          </div>
          {point.data.mode === 'walk' && (
            <p className="hint" role="note" data-testid="transit-unavailable">
              Outside every imported GTFS feed’s area (no stop within a {point.data.limitMinutes}-minute
              walk): public transport is not available here, so this score is walking only.
            </p>
          )}
          {point.data.score !== null && (
            <ul className="service-list">
              {point.data.services.map((s) => (
                <li key={s.id}>
                  {s.minutes === null ? '✗' : '✓'} {s.label}
                  {s.minutes !== null && ` · ${Math.round(s.minutes)} min (${s.count})`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p className="hint credit">Services: © OpenStreetMap contributors.</p>
    </section>
  );
}

import { type Dispatch, useId, useMemo } from 'react';
import type { Action } from '../state/store';
import { BAND_COLOURS, type BandCount, rushHourInstant, zonedDateTime } from '../state/transport';
import { isoInstant } from '../state/viewState';
import { FifteenMinutePanel } from './FifteenMinutePanel';
import type { TransportTool } from './useTransport';

export interface TransportPanelProps {
  tool: TransportTool;
  /** The scene time (ISO instant). */
  time: string;
  dispatch: Dispatch<Action>;
}

const count = new Intl.NumberFormat('en-GB');

function buildingsLine(c: BandCount): string {
  const uses = Object.entries(c.buildingsByUse)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([use, n]) => `${count.format(n)} ${use}`)
    .join(', ');
  return `${count.format(c.buildings)} buildings${uses ? ` (${uses})` : ''}`;
}

export function TransportPanel({ tool, time, dispatch }: TransportPanelProps) {
  const id = useId();
  const { feeds, feed, network, departures, isochrones } = tool;
  const local = feed ? zonedDateTime(Date.parse(time), feed.timeZone) : null;
  const nowMs = Date.parse(time);
  const nextIndex =
    departures.status === 'loaded'
      ? departures.data.departures.findIndex((d) => Date.parse(d.departureAt) >= nowMs)
      : -1;
  const counts = isochrones.status === 'loaded' ? isochrones.data.counts : [];
  const noBuildings = counts.length > 0 && counts.every((c) => c.buildings === 0);
  // The keyboard way to a stop: its name (and id, names repeat on both sides of a road) from a list.
  const stopOptions = useMemo(
    () =>
      network.status === 'loaded'
        ? network.data.stops.flatMap((f) => {
            const stopId = String(f.properties.stopId ?? f.id);
            const name = typeof f.properties.name === 'string' ? f.properties.name : null;
            const [lon, lat] = f.geometry.coordinates as number[];
            return [{ stopId, name, lon, lat, label: `${name ?? stopId} (${stopId})` }];
          })
        : [],
    [network],
  );
  const chosenStop = stopOptions.find((o) => o.stopId === tool.stop?.stopId);

  return (
    <section className="panel-section transport-panel" aria-labelledby={`${id}-transport`}>
      <h2 id={`${id}-transport`}>Public transport</h2>
      <label className="field">
        GTFS feed
        <select value={feed?.name ?? ''} onChange={(e) => tool.chooseFeed(e.target.value || null)}>
          <option value="">None shown</option>
          {feeds.status === 'loaded' &&
            feeds.data.map((f) => (
              <option key={f.name} value={f.name}>
                {f.name} ({f.agencies.slice(0, 2).join(', ')}
                {f.agencies.length > 2 ? '…' : ''})
              </option>
            ))}
        </select>
      </label>
      {feeds.status === 'failed' && <p className="hint">Cannot list the feeds: {feeds.message}</p>}
      {feeds.status === 'loaded' && feeds.data.length === 0 && (
        <p className="hint">No GTFS feed yet: import one with `npx placetwin import-gtfs`.</p>
      )}
      {feed && local && (
        <>
          <p className="hint">
            {count.format(feed.routes)} routes, {count.format(feed.trips)} trips, {count.format(feed.stops)}{' '}
            stops; runs {feed.startDate ?? '?'} to {feed.endDate ?? '?'}. Times in {feed.timeZone}: now{' '}
            <strong>
              {local.date} {local.time}
            </strong>
            .
          </p>
          <p className="transport-status" data-testid="transport-status" role="status">
            {network.status === 'loading' && 'Loading routes and stops…'}
            {network.status === 'failed' && `Cannot load the network: ${network.message}`}
            {network.status === 'loaded' &&
              `${count.format(tool.vehicleCount)} vehicles on the road (${
                tool.vehiclesLive ? 'live, GTFS-Realtime' : 'scheduled'
              }), ${count.format(
                network.data.routes.length,
              )} routes, ${count.format(network.data.stops.length)} stops`}
          </p>
          <div className="row">
            <button
              type="button"
              className="grow"
              onClick={() =>
                dispatch({ type: 'setTime', time: isoInstant(new Date(rushHourInstant(feed, nowMs))) })
              }
            >
              Jump to rush hour (08:00)
            </button>
          </div>
          {tool.realtime && (
            <div className="row" data-testid="transport-live">
              <p className="hint grow">
                Live GTFS-Realtime positions for this feed (latest message{' '}
                {tool.realtime.messageAt
                  ? isoInstant(new Date(Date.parse(tool.realtime.messageAt)))
                  : 'not yet in'}
                , {tool.realtime.vehicles} vehicles): they replace the timetable's within two polls of it.
              </p>
              <button type="button" onClick={tool.showLive}>
                Show live vehicles
              </button>
            </div>
          )}
          <label className="field">
            Find a stop
            <input
              list={`${id}-stops`}
              placeholder="Stop name"
              onChange={(e) => {
                const o = stopOptions.find((x) => x.label === e.target.value);
                if (o) tool.selectStop({ stopId: o.stopId, name: o.name });
              }}
            />
            <datalist id={`${id}-stops`}>
              {stopOptions.map((o) => (
                <option key={o.stopId} value={o.label} />
              ))}
            </datalist>
          </label>
          <p className="hint">
            Vehicles move on the twin's clock: Play and the clock speed are under Date and time. Click a stop
            (white point) for its departures.
          </p>
          {tool.stop && (
            <div className="transport-departures" data-testid="transport-departures">
              <div className="row">
                <h3 className="grow">{tool.stop.name ?? tool.stop.stopId}</h3>
                <button type="button" aria-label="Close departures" onClick={() => tool.selectStop(null)}>
                  ×
                </button>
              </div>
              {departures.status === 'loading' && <p className="hint">Loading departures…</p>}
              {departures.status === 'failed' && <p className="hint">{departures.message}</p>}
              {departures.status === 'loaded' && (
                <>
                  <p className="hint">
                    {departures.data.departures.length} departures on {departures.data.date} (stop{' '}
                    {departures.data.stopId})
                  </p>
                  <ol
                    className="departure-list"
                    aria-label={`Departures from ${tool.stop.name ?? tool.stop.stopId}`}
                  >
                    {departures.data.departures.map((d, i) => (
                      <li key={d.runId} className={i === nextIndex ? 'next' : undefined}>
                        <strong>{d.time.slice(0, 5)}</strong> {d.routeShortName ?? d.routeId}
                        {d.headsign ? ` to ${d.headsign}` : ''}
                        {i === nextIndex ? ' · next' : ''}
                      </li>
                    ))}
                  </ol>
                </>
              )}
            </div>
          )}
          <h3>Accessibility</h3>
          <p className="hint">
            Where walking and the timetable take you from a point, leaving at the scene time: 15, 30 and 45
            minutes (straight-line walking × 1.3 at 4.8 km/h between stops).
          </p>
          <div className="row">
            <button
              type="button"
              className="grow"
              aria-pressed={tool.pickingOrigin}
              onClick={() => tool.setPickingOrigin(!tool.pickingOrigin)}
            >
              {tool.pickingOrigin ? 'Click the map… (cancel)' : 'Pick a point on the map'}
            </button>
          </div>
          <div className="row">
            {chosenStop && (
              <button type="button" onClick={() => tool.requestIsochrones(chosenStop.lon, chosenStop.lat)}>
                From the stop
              </button>
            )}
            {isochrones.status !== 'idle' && (
              <button type="button" onClick={tool.clearIsochrones}>
                Clear
              </button>
            )}
          </div>
          {isochrones.status === 'loading' && <p className="hint">Routing…</p>}
          {isochrones.status === 'failed' && <p className="hint">{isochrones.message}</p>}
          {isochrones.status === 'loaded' && (
            <>
              <ul className="legend" aria-label="Reachable within" data-testid="isochrone-legend">
                {isochrones.data.bands.map((b, i) => {
                  const c = counts.find((x) => x.minutes === b.minutes);
                  return (
                    <li key={b.minutes} className="legend-item">
                      <span
                        className="swatch"
                        style={{ background: BAND_COLOURS[i % BAND_COLOURS.length] }}
                        aria-hidden="true"
                      />
                      {b.minutes} min
                      {c && (
                        <small>
                          {' '}
                          · {count.format(c.stops)} stops
                          {noBuildings ? '' : ` · ${buildingsLine(c)}`}
                        </small>
                      )}
                    </li>
                  );
                })}
              </ul>
              <p className="hint">
                Leaving {zonedDateTime(Date.parse(isochrones.data.departure), feed.timeZone).time} from{' '}
                {isochrones.data.origin[1].toFixed(4)}°, {isochrones.data.origin[0].toFixed(4)}°;{' '}
                {isochrones.data.reachedStops} stops reached in time.{' '}
                {noBuildings &&
                  'The twin has no buildings or points of interest in this area (the sample buildings are Rutland’s), so only GTFS stops are counted.'}
              </p>
            </>
          )}
          {feed.attribution && <p className="hint credit">{feed.attribution}</p>}
        </>
      )}
      <FifteenMinutePanel tool={tool.fifteen} />
    </section>
  );
}

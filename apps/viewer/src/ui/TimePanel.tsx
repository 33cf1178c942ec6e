import { type Dispatch, useEffect, useId, useState } from 'react';
import { type Action, type AppState, CLOCK_MULTIPLIERS } from '../state/store';
import type { SunReadout } from '../state/sun';
import { fromUkLocal, toUkLocal, ukZoneLabel } from '../state/ukTime';
import { isoInstant, type ViewState } from '../state/viewState';

export interface TimePanelProps {
  view: ViewState;
  clock: AppState['clock'];
  dispatch: Dispatch<Action>;
  /** The sun at the scene time over the view (null before the camera is placed). */
  sun: SunReadout | null;
}

/** Playing the day runs the clock at an hour per second from sunrise, and stops at sunset. */
const DAY_MULTIPLIER = 3600;

const SPEED_LABELS: Record<(typeof CLOCK_MULTIPLIERS)[number], string> = {
  1: 'Real time',
  60: '1 minute per second',
  600: '10 minutes per second',
  3600: '1 hour per second',
};

const MINUTES_PER_DAY = 24 * 60;

export function TimePanel({ view, clock, dispatch, sun }: TimePanelProps) {
  const id = useId();
  const local = toUkLocal(new Date(view.time));
  const [playingDay, setPlayingDay] = useState(false);
  const sunset = sun?.sunset?.getTime() ?? null;

  // The day being played ends at sunset; pausing (or any other clock change) ends it too.
  useEffect(() => {
    if (!playingDay) return;
    if (!clock.playing) setPlayingDay(false);
    else if (sunset !== null && Date.parse(view.time) >= sunset) {
      dispatch({ type: 'setPlaying', playing: false });
      dispatch({ type: 'setTime', time: isoInstant(new Date(sunset)) });
      setPlayingDay(false);
    }
  }, [playingDay, clock.playing, view.time, sunset, dispatch]);

  const playDay = () => {
    if (!sun?.sunrise) return;
    dispatch({ type: 'setPlaying', playing: false });
    dispatch({ type: 'setTime', time: isoInstant(sun.sunrise) });
    dispatch({ type: 'setMultiplier', multiplier: DAY_MULTIPLIER });
    dispatch({ type: 'setPlaying', playing: true });
    setPlayingDay(true);
  };
  const at = (d: Date | null | undefined) => (d ? toUkLocal(d).time : '–');
  const [h, m] = local.time.split(':').map(Number);
  const minuteOfDay = h * 60 + m;

  const setLocal = (date: string, time: string) => {
    const instant = fromUkLocal(date, time);
    if (instant) dispatch({ type: 'setTime', time: isoInstant(instant) });
  };
  const pad = (n: number) => String(n).padStart(2, '0');

  return (
    <>
      <section className="panel-section" aria-labelledby={`${id}-time`}>
        <h2 id={`${id}-time`}>Date and time</h2>
        <p className="hint">
          UK local time, now <strong>{ukZoneLabel(local)}</strong>. The sun, lighting and shadows follow it.
        </p>
        <div className="row">
          <label className="field">
            Date
            <input
              type="date"
              value={local.date}
              required
              onChange={(e) => setLocal(e.target.value, local.time)}
            />
          </label>
          <label className="field">
            Time
            <input
              type="time"
              value={local.time}
              required
              onChange={(e) => setLocal(local.date, e.target.value)}
            />
          </label>
        </div>
        <label className="field">
          Time of day
          <input
            type="range"
            min={0}
            max={MINUTES_PER_DAY - 5}
            step={5}
            value={minuteOfDay}
            aria-valuetext={`${local.time} ${local.zone}`}
            onChange={(e) => {
              const minutes = Number(e.target.value);
              setLocal(local.date, `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);
            }}
          />
        </label>
        <label className="field">
          Clock speed when playing
          <select
            value={clock.multiplier}
            onChange={(e) => dispatch({ type: 'setMultiplier', multiplier: Number(e.target.value) })}
          >
            {CLOCK_MULTIPLIERS.map((x) => (
              <option key={x} value={x}>
                {SPEED_LABELS[x]}
              </option>
            ))}
          </select>
        </label>
        <div className="row">
          <button
            type="button"
            className="grow"
            aria-pressed={clock.playing}
            onClick={() => dispatch({ type: 'setPlaying', playing: !clock.playing })}
          >
            {clock.playing ? 'Pause' : 'Play'}
          </button>
          <button
            type="button"
            className="grow"
            onClick={() => dispatch({ type: 'setTime', time: isoInstant(new Date()) })}
          >
            Now
          </button>
        </div>
        <div className="row">
          <button
            type="button"
            className="grow"
            aria-pressed={playingDay}
            disabled={!sun?.sunrise}
            onClick={() => (playingDay ? dispatch({ type: 'setPlaying', playing: false }) : playDay())}
          >
            {playingDay ? 'Stop the day' : 'Run the day, sunrise to sunset'}
          </button>
        </div>
      </section>
      <section className="panel-section" aria-labelledby={`${id}-sun`}>
        <h2 id={`${id}-sun`}>Sun</h2>
        {sun ? (
          <p className="sun-readout" data-testid="sun-readout">
            Azimuth <strong>{sun.azimuthDeg.toFixed(1)}°</strong> ({sun.compass}), elevation{' '}
            <strong>{sun.apparentElevationDeg.toFixed(1)}°</strong>
            {sun.apparentElevationDeg <= 0 ? ' (below the horizon)' : ''}
            <br />
            Sunrise {at(sun.sunrise)}, sunset {at(sun.sunset)} ({local.zone})
            <small className="hint">
              {' '}
              · NREL SPA at {sun.lat.toFixed(3)}° N, {Math.abs(sun.lon).toFixed(3)}° {sun.lon < 0 ? 'W' : 'E'}
              ; azimuth clockwise from true north, elevation with refraction
            </small>
          </p>
        ) : (
          <p className="hint">The sun's position shows once the map is placed.</p>
        )}
      </section>
      <section className="panel-section" aria-labelledby={`${id}-shadows`}>
        <h2 id={`${id}-shadows`}>Shadows</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={view.shadows}
            onChange={(e) => dispatch({ type: 'setShadows', shadows: e.target.checked })}
          />
          <span>
            Sun shadows
            <small>Buildings cast shadows for the sun at the date and time above.</small>
          </span>
        </label>
      </section>
    </>
  );
}

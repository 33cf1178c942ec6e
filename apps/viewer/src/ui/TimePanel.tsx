import { type Dispatch, useId } from 'react';
import { type Action, type AppState, CLOCK_MULTIPLIERS } from '../state/store';
import { fromUkLocal, toUkLocal, ukZoneLabel } from '../state/ukTime';
import { isoInstant, type ViewState } from '../state/viewState';

export interface TimePanelProps {
  view: ViewState;
  clock: AppState['clock'];
  dispatch: Dispatch<Action>;
}

const SPEED_LABELS: Record<(typeof CLOCK_MULTIPLIERS)[number], string> = {
  1: 'Real time',
  60: '1 minute per second',
  600: '10 minutes per second',
  3600: '1 hour per second',
};

const MINUTES_PER_DAY = 24 * 60;

export function TimePanel({ view, clock, dispatch }: TimePanelProps) {
  const id = useId();
  const local = toUkLocal(new Date(view.time));
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

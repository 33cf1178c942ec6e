import { describe, expect, it } from 'vitest';
import { breachedThreshold, evaluateAlerts, NO_ALERT } from './alerts';
import type { Threshold } from './model';

// NO2: the UK hourly objective is 200 µg/m³ (Air Quality Standards Regulations 2010); 400 is the alert
// threshold over three hours. Used here as a warning and a critical band.
const warning: Threshold = { level: 'warning', above: 200 };
const critical: Threshold = { level: 'critical', above: 400 };
const frost: Threshold = { level: 'warning', below: -10 };
const thresholds = [warning, critical, frost];
const at = (h: number, value: number) => ({ phenomenonTimeMs: Date.UTC(2015, 0, 1, h), value });

describe('alerts', () => {
  it('picks the most severe breached threshold; equal to the bound is not a breach', () => {
    expect(breachedThreshold(thresholds, 200)).toBeNull();
    expect(breachedThreshold(thresholds, 201)).toBe(warning);
    expect(breachedThreshold(thresholds, 401)).toBe(critical);
    expect(breachedThreshold(thresholds, -11)).toBe(frost);
  });

  it('raises once on crossing, changes level by clearing and raising, clears on return', () => {
    const { state, events } = evaluateAlerts(7, thresholds, NO_ALERT, [
      at(0, 150),
      at(1, 250),
      at(2, 260),
      at(3, 450),
      at(4, 100),
    ]);
    expect(events.map((e) => [e.kind, e.level, e.value])).toEqual([
      ['raised', 'warning', 250],
      ['cleared', 'warning', 450],
      ['raised', 'critical', 450],
      ['cleared', 'critical', 100],
    ]);
    expect(events.every((e) => e.datastreamId === 7)).toBe(true);
    expect(state).toEqual({ level: null, threshold: null, lastTimeMs: Date.UTC(2015, 0, 1, 4) });
  });

  it('evaluates in time order whatever the arrival order, and ignores late readings older than the state', () => {
    const first = evaluateAlerts(1, thresholds, NO_ALERT, [at(2, 100), at(1, 300)]);
    expect(first.events.map((e) => e.kind)).toEqual(['raised', 'cleared']);
    const late = evaluateAlerts(1, thresholds, first.state, [at(0, 999)]);
    expect(late.events).toEqual([]);
    expect(late.state).toEqual(first.state);
  });

  it('carries an open alert across calls', () => {
    const a = evaluateAlerts(1, thresholds, NO_ALERT, [at(0, 300)]);
    expect(a.state.level).toBe('warning');
    const b = evaluateAlerts(1, thresholds, a.state, [at(1, 310)]);
    expect(b.events).toEqual([]);
    const c = evaluateAlerts(1, thresholds, b.state, [at(2, 50)]);
    expect(c.events).toMatchObject([{ kind: 'cleared', level: 'warning', threshold: warning }]);
  });
});

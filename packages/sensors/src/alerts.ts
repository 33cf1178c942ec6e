import type { AlertLevel, Threshold } from './model';

const SEVERITY: Record<AlertLevel, number> = { warning: 1, critical: 2 };

/** Where a datastream stands: its current alert (if any) and the newest reading that was evaluated. */
export interface AlertState {
  level: AlertLevel | null;
  threshold: Threshold | null;
  /** phenomenonTime of the newest reading evaluated; older readings arriving late do not move the state. */
  lastTimeMs: number | null;
}

export const NO_ALERT: AlertState = { level: null, threshold: null, lastTimeMs: null };

/** An alert opening (`raised`) or closing (`cleared`) at a reading. */
export interface AlertEvent {
  kind: 'raised' | 'cleared';
  datastreamId: number;
  level: AlertLevel;
  threshold: Threshold;
  value: number;
  timeMs: number;
}

/** The most severe threshold a value breaches (strictly above `above` or below `below`), or null. */
export function breachedThreshold(thresholds: readonly Threshold[], value: number): Threshold | null {
  let worst: Threshold | null = null;
  for (const t of thresholds) {
    const breached = (t.above !== undefined && value > t.above) || (t.below !== undefined && value < t.below);
    if (breached && (!worst || SEVERITY[t.level] > SEVERITY[worst.level])) worst = t;
  }
  return worst;
}

/**
 * Runs a datastream's new readings (any order) through its thresholds in time order and returns the new state
 * and the alert events: one `raised` when the level goes up from none or changes, one `cleared` when it falls
 * back (a change of level clears the old alert and raises the new one). Readings no newer than the state's
 * last one are late arrivals: they are stored, but the alert state already reflects newer data, so they are
 * skipped here. Pure; the caller persists state and events in the same transaction as the readings.
 */
export function evaluateAlerts(
  datastreamId: number,
  thresholds: readonly Threshold[],
  state: AlertState,
  readings: readonly { phenomenonTimeMs: number; value: number }[],
): { state: AlertState; events: AlertEvent[] } {
  const events: AlertEvent[] = [];
  let { level, threshold, lastTimeMs } = state;
  const ordered = [...readings].sort((a, b) => a.phenomenonTimeMs - b.phenomenonTimeMs);
  for (const r of ordered) {
    if (lastTimeMs !== null && r.phenomenonTimeMs <= lastTimeMs) continue;
    lastTimeMs = r.phenomenonTimeMs;
    const breached = breachedThreshold(thresholds, r.value);
    const newLevel = breached?.level ?? null;
    if (newLevel === level) continue;
    const at = { datastreamId, value: r.value, timeMs: r.phenomenonTimeMs };
    if (level && threshold) events.push({ kind: 'cleared', level, threshold, ...at });
    if (breached) events.push({ kind: 'raised', level: breached.level, threshold: breached, ...at });
    level = newLevel;
    threshold = breached;
  }
  return { state: { level, threshold, lastTimeMs }, events };
}

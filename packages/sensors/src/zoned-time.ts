import { DataError } from '@placetwin/geo';

/**
 * Wall-clock time in an IANA time zone, from the platform's time-zone database (Intl), so that local counts
 * (Leeds footfall hours) and daily chart buckets follow British Summer Time exactly.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Real zones change offset on quarter hours of UTC, so an offset found for a slot holds for all of it. */
const SLOT_MS = 15 * 60_000;

interface Zone {
  format: Intl.DateTimeFormat;
  offsets: Map<number, number>;
}
const zones = new Map<string, Zone>();

function zone(timeZone: string): Zone {
  let z = zones.get(timeZone);
  if (!z) {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new DataError('invalid-time-zone', `unknown time zone "${timeZone}" (use an IANA name)`);
    }
    z = { format, offsets: new Map() };
    zones.set(timeZone, z);
  }
  return z;
}

/** Offset of the zone's wall clock from UTC at an instant, in ms (BST: +3,600,000). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  if (timeZone === 'UTC') return 0;
  const z = zone(timeZone);
  const slot = Math.floor(epochMs / SLOT_MS);
  let off = z.offsets.get(slot);
  if (off === undefined) {
    const at = slot * SLOT_MS;
    const p: Record<string, number> = {};
    for (const part of z.format.formatToParts(at))
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    off = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
    z.offsets.set(slot, off);
  }
  return off;
}

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute?: number;
}

export interface ZonedInstant {
  epochMs: number;
  /**
   * `unique`; `ambiguous` in the repeated hour when clocks go back (epochMs is the first occurrence, `laterMs`
   * the second); `nonexistent` in the hour skipped when clocks go forward (epochMs reads the wall time with the
   * offset before the change, as RFC 5545 and Temporal's `compatible` do).
   */
  kind: 'unique' | 'ambiguous' | 'nonexistent';
  laterMs?: number;
}

/** The instant(s) a wall-clock time denotes in a zone. */
export function wallTimeToInstant(wall: WallTime, timeZone: string): ZonedInstant {
  const w = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute ?? 0);
  const before = zoneOffsetMs(timeZone, w - DAY_MS);
  const after = zoneOffsetMs(timeZone, w + DAY_MS);
  const candidates = [...new Set([w - before, w - after])]
    .filter((t) => t + zoneOffsetMs(timeZone, t) === w)
    .sort((a, b) => a - b);
  if (candidates.length === 0) return { epochMs: w - before, kind: 'nonexistent' };
  if (candidates.length === 2) return { epochMs: candidates[0], kind: 'ambiguous', laterMs: candidates[1] };
  return { epochMs: candidates[0], kind: 'unique' };
}

/** Start of the hour (`hour`) or of the local day (`day`) that contains an instant, in a zone. */
export function zonedBucketStart(epochMs: number, bucket: 'hour' | 'day', timeZone: string): number {
  const off = zoneOffsetMs(timeZone, epochMs);
  const local = epochMs + off;
  if (bucket === 'hour') return Math.floor(local / HOUR_MS) * HOUR_MS - off;
  const d = new Date(Math.floor(local / DAY_MS) * DAY_MS);
  return wallTimeToInstant(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0 },
    timeZone,
  ).epochMs;
}

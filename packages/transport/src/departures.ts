import { BOARD, type DayTrips, type Schedule } from './schedule';
import { addDays, formatGtfsTime, serviceDayStartMs } from './time';

export interface Departure {
  runId: string;
  tripId: string;
  routeId: string;
  routeShortName: string | null;
  headsign: string | null;
  /** Seconds after the day's start (a trip from the day before, still running after midnight, keeps its own date). */
  departureS: number;
  /**
   * GTFS time of day (`HH:MM:SS` after "noon minus 12 h"): the wall clock, except on a clock-change day before the
   * change, where it is an hour off. Use `departureMs` for the instant.
   */
  time: string;
  /** Epoch ms. */
  departureMs: number;
}

/**
 * Departures from a stop during one calendar day (from the day's start to the next day's start), where passengers
 * may board: not the trip's last stop, and not where pickup_type = 1. A trip of the day before that passes after
 * midnight (a GTFS time past 24:00:00) is listed on this day; one of this day that passes after midnight is
 * listed on the next. Sorted by time.
 */
export function departuresAt(schedule: Schedule, day: DayTrips, stopId: string): Departure[] {
  const stop = schedule.stopIndex.get(stopId);
  if (stop === undefined) return [];
  const dayLengthS = (serviceDayStartMs(addDays(day.date, 1), schedule.timeZone) - day.dayStartMs) / 1000;
  const out: Departure[] = [];
  for (const run of day.runs) {
    const t = schedule.trips[run.trip];
    for (let k = 0; k + 1 < t.stops.length; k++) {
      if (t.stops[k] !== stop || (t.flags[k] & BOARD) === 0) continue;
      const s = t.departureS[k] + run.offsetS;
      if (s < 0 || s >= dayLengthS) continue;
      const route = schedule.routes.get(t.routeId);
      out.push({
        runId: run.id,
        tripId: t.tripId,
        routeId: t.routeId,
        routeShortName: route?.route_short_name ?? null,
        headsign: t.headsign,
        departureS: s,
        time: formatGtfsTime(s),
        departureMs: day.dayStartMs + s * 1000,
      });
    }
  }
  return out.sort((a, b) => a.departureS - b.departureS || a.runId.localeCompare(b.runId));
}

/**
 * How well a site is served by a timetable, for the stated bus-share rule of a development's trips (issue 7): the
 * departures per hour from stops within walking reach of the site in the morning peak of a representative weekday.
 * A site is "in the feed's area" when a stop that trips call at lies within `areaRadiusM` of it; otherwise the
 * answer is null and the caller keeps the national mode split.
 */
import { departuresAt } from './departures';
import { haversineM } from './geometry';
import { type Schedule, tripsOnDay } from './schedule';
import { addDays, dayNumber, type ServiceDate } from './time';

export const SITE_ACCESS_DEFAULTS = {
  /** Stops counted for departures: 400 m, about 5 minutes' walk. */
  walkRadiusM: 400,
  /** The feed's area: a served stop within 800 m (about 10 minutes' walk). */
  areaRadiusM: 800,
  /** The peak hour, seconds after the service day's start (08:00–09:00 local). */
  fromS: 8 * 3600,
  toS: 9 * 3600,
} as const;

export interface SiteAccess {
  date: ServiceDate;
  departuresPerHour: number;
  stopsWithin400m: number;
  /** Distance to the nearest served stop, m. */
  nearestStopM: number;
}

/** Stops (indices) that at least one trip calls at. */
function servedStops(schedule: Schedule): Set<number> {
  const used = new Set<number>();
  for (const t of schedule.trips) for (const s of t.stops) used.add(s);
  return used;
}

/**
 * The first Wednesday on or after `from` (within four weeks) on which the feed runs trips: a representative
 * weekday. Null when none runs.
 */
export function representativeWeekday(schedule: Schedule, from: ServiceDate): ServiceDate | null {
  // dayNumber 0 is Thursday 1970-01-01; Wednesday is 6 mod 7.
  let d = addDays(from, (6 - (dayNumber(from) % 7) + 7) % 7);
  for (let k = 0; k < 4; k++, d = addDays(d, 7)) if (tripsOnDay(schedule, d).runs.length > 0) return d;
  return null;
}

/**
 * Buses (distinct runs) per hour in the peak leaving the served stops within `walkRadiusM` of (lon, lat) on `date`, or null when
 * no served stop lies within `areaRadiusM` (the site is outside the feed's area).
 */
export function siteAccess(
  schedule: Schedule,
  date: ServiceDate,
  lon: number,
  lat: number,
  options: Partial<typeof SITE_ACCESS_DEFAULTS> = {},
): SiteAccess | null {
  const o = { ...SITE_ACCESS_DEFAULTS, ...options };
  const served = servedStops(schedule);
  let nearest = Infinity;
  const near: number[] = [];
  for (const s of served) {
    const x = schedule.stopLonLat[2 * s];
    const y = schedule.stopLonLat[2 * s + 1];
    if (!Number.isFinite(x)) continue;
    const d = haversineM(lon, lat, x, y);
    nearest = Math.min(nearest, d);
    if (d <= o.walkRadiusM) near.push(s);
  }
  if (!(nearest <= o.areaRadiusM)) return null;
  const day = tripsOnDay(schedule, date);
  // A bus calling at several of the near stops is one bus: count distinct runs.
  const runs = new Set<string>();
  for (const s of near)
    for (const dep of departuresAt(schedule, day, schedule.stopIds[s]))
      if (dep.departureS >= o.fromS && dep.departureS < o.toS) runs.add(dep.runId);
  const departures = runs.size;
  return {
    date,
    departuresPerHour: (departures * 3600) / (o.toS - o.fromS),
    stopsWithin400m: near.length,
    nearestStopM: nearest,
  };
}

import type { Agency, Calendar, CalendarDates, FeedInfo, Route, Stop, StopTime, Trip } from 'gtfs-types';

/** A GTFS feed's files by name (`stops.txt` → bytes): from a zip (`gtfsFilesFromZip`) or a directory (the CLI). */
export interface GtfsFiles {
  /** Names the feed in every error, e.g. `newport.zip`. */
  source: string;
  files: ReadonlyMap<string, Uint8Array>;
}

/** A stop_times.txt row with its times in seconds after the service day's start (blank times interpolated). */
export interface GtfsStopTime extends StopTime {
  arrivalS: number;
  departureS: number;
  /** False where the feed left the time blank and it was interpolated (GTFS `timepoint` = 0 semantics). */
  timed: boolean;
}

/** One shapes.txt polyline, points ordered by `shape_pt_sequence`. */
export interface GtfsShape {
  shape_id: string;
  /** lon, lat pairs (EPSG:4326). */
  lonLat: Float64Array;
  /** `shape_dist_traveled` per point (feed units), when every point has one. */
  distTraveled: Float64Array | null;
}

/** A frequencies.txt row with its times in seconds. */
export interface GtfsFrequency {
  trip_id: string;
  startS: number;
  endS: number;
  headwayS: number;
  exactTimes: boolean;
}

/** A validated GTFS feed: rows typed after `gtfs-types`, numbers parsed, references checked. */
export interface GtfsFeed {
  source: string;
  /** The feed's time zone (`agency_timezone`, the same for every agency). */
  timeZone: string;
  agencies: Agency[];
  stops: Stop[];
  routes: Route[];
  trips: Trip[];
  /** Grouped by trip (in trips.txt order), each trip ordered by `stop_sequence`. */
  stopTimes: GtfsStopTime[];
  calendar: Calendar[];
  calendarDates: CalendarDates[];
  shapes: GtfsShape[];
  frequencies: GtfsFrequency[];
  feedInfo: FeedInfo | null;
  /** Things a validator would warn about but that do not stop the feed being used. */
  warnings: string[];
}

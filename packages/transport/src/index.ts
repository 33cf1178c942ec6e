export { activeServiceIds, isServiceActive, type ServiceCalendar, serviceCalendar } from './calendar';
export { type Departure, departuresAt } from './departures';
export { GtfsDataError } from './errors';
export type { GtfsFeed, GtfsFiles, GtfsFrequency, GtfsShape, GtfsStopTime } from './feed';
export {
  ESSENTIAL_SERVICES,
  type EssentialService,
  essentialServiceOf,
  essentialServicesOf,
  FIFTEEN_MINUTE_DEFAULTS,
  type FifteenMinuteOptions,
  type FifteenMinuteScore,
  fifteenMinuteScore,
  type ScoreGrid,
  type ServiceIndex,
  type ServicePoints,
  type ServiceReach,
  scoreGrid,
  scoreGridSize,
  serviceIndex,
} from './fifteen-minute';
export { bearingDeg, cumulativeLengthsM, haversineM, pointAlong } from './geometry';
export {
  type BandCount,
  type CountablePoints,
  circlePolygon,
  countPointsInBands,
  ISOCHRONE_DEFAULTS,
  type IsochroneBand,
  type IsochroneOptions,
  isochroneBands,
  isochrones,
  type ReachedPoints,
  reachedPoints,
} from './isochrones';
export {
  isWalkable,
  NETWORK_WALKING_DEFAULTS,
  networkDistances,
  networkWalking,
  type OsmWalkInput,
  WALKABLE_HIGHWAYS,
  type WalkingNetwork,
  walkingNetworkFromOsm,
} from './osm-walk';
export { feedDateRange, GTFS_REQUIRED, parseGtfs } from './parse';
export { gtfsFilesFromZip } from './read';
export {
  decodeVehiclePositions,
  extrapolatePosition,
  type VehicleObservation,
  type VehiclePositionsMessage,
} from './realtime';
export {
  type Arrivals,
  buildTimetable,
  earliestArrivals,
  earliestArrivalsNaive,
  type Origin,
  ROUTER_DEFAULTS,
  type RouterOptions,
  type Timetable,
} from './router';
export {
  ALIGHT,
  BOARD,
  compileSchedule,
  type DayTrips,
  PROJECTION_DEFAULTS,
  projectStopsOntoPath,
  routePaths,
  type Schedule,
  type ScheduledTrip,
  type TripPath,
  type TripRun,
  tripsOnDay,
} from './schedule';
export { representativeWeekday, SITE_ACCESS_DEFAULTS, type SiteAccess, siteAccess } from './site-access';
export {
  addDays,
  assertServiceDate,
  dayNumber,
  formatGtfsTime,
  localDate,
  parseGtfsDate,
  parseGtfsTime,
  parseInstant,
  type ServiceDate,
  serviceDayStartMs,
  serviceTimeOf,
  utcOffsetMs,
  weekdayIndex,
} from './time';
export { runPositionAt, type VehiclePosition, type VehicleSnapshot, vehiclesAt } from './vehicles';
export {
  type Footpaths,
  footpathsFromLists,
  type PointIndex,
  pointIndex,
  straightLineWalking,
  WALKING_DEFAULTS,
  type WalkAccess,
  type WalkingOptions,
  type WalkModel,
  walkSeconds,
} from './walking';

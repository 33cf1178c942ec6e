export { BRE209, type Bre209Input, type Bre209Options, type Bre209Result, bre209Amenity } from './bre209';
export { compareSunHours, type SunHoursComparison } from './compare';
export { defaultDeltaTS } from './delta-t';
export {
  bngGridNorthDeg,
  type MultiPolygonGeometry,
  type MultiPolygonM,
  type Obstacle,
  type PolygonM,
  type RingM,
} from './obstacles';
export type { GridGeometry } from './raster';
export { buildObstacleIndex, isSunlit, isSunlitExhaustive, type ObstacleIndex } from './ray';
export {
  type ShadowFootprints,
  type ShadowOptions,
  type SunDirection,
  shadowFootprints,
} from './shadows';
export {
  type SiteLocation,
  SUN_POSITION_DEFAULTS,
  type SunPosition,
  type SunTimes,
  sunPosition,
  sunTimes,
} from './spa';
export {
  CELL_OPEN,
  CELL_OUTSIDE,
  CELL_UNDER_OBSTACLE,
  SUN_HOURS_DEFAULTS,
  type SunHoursGrid,
  type SunHoursInput,
  type SunHoursSummary,
  sunHoursGrid,
} from './sun-hours';
export type { CalendarDay, Instant } from './time';

import { DataError } from '@placetwin/geo';
import { checkObstacles, type Obstacle, type PolygonM } from './obstacles';
import { type GridGeometry, scanPolygon } from './raster';
import { forEachShadowPiece, shadowDirection } from './shadows';
import { type SiteLocation, sunPosition, sunTimes } from './spa';
import { type CalendarDay, isoDate, solarDayOf } from './time';

export interface SunHoursInput {
  /** The area to assess (outer ring, then holes), in the obstacles' metric CRS. */
  area: PolygonM;
  /** Cell size, metres (default 1). */
  cellM?: number;
  /** The day: `YYYY-MM-DD`, or an instant on it. */
  date: CalendarDay;
  /** Time step, minutes (default 10). */
  stepMinutes?: number;
  location: SiteLocation;
  /** Everything that may shade the area, including buildings outside it. */
  obstacles: readonly Obstacle[];
  /** Azimuth of the frame's +y axis from true north, degrees: 0 for ENU, `bngGridNorthDeg(lon, lat)` for BNG. */
  gridNorthDeg: number;
  /** Name of the data source, for error messages. */
  source?: string;
}

/** What a cell is: outside the area, open ground inside it, or ground covered by an obstacle standing on it. */
export const CELL_OUTSIDE = 0;
export const CELL_OPEN = 1;
export const CELL_UNDER_OBSTACLE = 2;

export interface SunHoursSummary {
  /** Open ground assessed (cells inside the area and not under an obstacle), m². */
  areaM2: number;
  /** Share (0–1) of that ground with at least 2 hours of direct sun. */
  shareAtLeast2h: number;
  meanHours: number;
  /** Sunrise to sunset, hours: what unobstructed ground receives. */
  daylightHours: number;
}

export interface SunHoursGrid extends GridGeometry {
  /** The day assessed, `YYYY-MM-DD`. */
  date: string;
  /** Hours of direct sun per cell; NaN outside the area and under obstacles. */
  hours: Float32Array;
  /** CELL_OUTSIDE, CELL_OPEN or CELL_UNDER_OBSTACLE per cell. */
  cellKind: Uint8Array;
  sunrise: Date | null;
  sunset: Date | null;
  /** Sun positions sampled. */
  steps: number;
  summary: SunHoursSummary;
}

export const SUN_HOURS_DEFAULTS = { cellM: 1, stepMinutes: 10 } as const;

function gridFor(area: PolygonM, cellM: number, fail: (r: string) => never): GridGeometry {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  if (area.length === 0) fail('the area has no rings');
  for (const ring of area) {
    if (!(ring instanceof Float64Array) || ring.length < 6 || ring.length % 2 !== 0)
      fail('an area ring is not a Float64Array of at least 3 x, y pairs');
    for (let k = 0; k < ring.length; k += 2) {
      if (!Number.isFinite(ring[k]) || !Number.isFinite(ring[k + 1]))
        fail('an area ring has a non-finite coordinate');
      minX = Math.min(minX, ring[k]);
      maxX = Math.max(maxX, ring[k]);
      minY = Math.min(minY, ring[k + 1]);
      maxY = Math.max(maxY, ring[k + 1]);
    }
  }
  // Snapping the origin to the cell size keeps grids of neighbouring areas aligned and results reproducible.
  const originX = Math.floor(minX / cellM) * cellM;
  const originY = Math.floor(minY / cellM) * cellM;
  const cols = Math.max(1, Math.ceil((maxX - originX) / cellM));
  const rows = Math.max(1, Math.ceil((maxY - originY) / cellM));
  if (cols * rows > 100_000_000) fail(`the area needs ${cols} × ${rows} cells; use a larger cellM`);
  return { originX, originY, cellM, cols, rows };
}

/** The Sun sampled over the day: one direction per step between sunrise and sunset, with its duration. */
interface SunStep {
  azimuthDeg: number;
  apparentElevationDeg: number;
  /** Whole milliseconds (instants are whole ms), so sums of steps are exact. */
  durationMs: number;
}

function sunSteps(
  input: SunHoursInput,
  stepMinutes: number,
): { steps: SunStep[]; sunrise: Date | null; sunset: Date | null; daylightMs: number } {
  const times = sunTimes(input.date, input.location);
  let startMs: number;
  let endMs: number;
  if (times.sunrise && times.sunset) {
    startMs = times.sunrise.getTime();
    endMs = times.sunset.getTime();
  } else if (times.polar === 'day') {
    startMs = times.transit.getTime() - 43_200_000;
    endMs = startMs + 86_400_000;
  } else return { steps: [], sunrise: null, sunset: null, daylightMs: 0 };
  const stepMs = Math.round(stepMinutes * 60_000);
  const steps: SunStep[] = [];
  // Steps start at sunrise; the last one ends at sunset, so unobstructed ground gets exactly the day length.
  for (let t = startMs; t < endMs; t += stepMs) {
    const end = Math.min(t + stepMs, endMs);
    const p = sunPosition((t + end) / 2, input.location);
    steps.push({
      azimuthDeg: p.azimuthDeg,
      apparentElevationDeg: p.apparentElevationDeg,
      durationMs: end - t,
    });
  }
  return {
    steps,
    sunrise: times.sunrise,
    sunset: times.sunset,
    daylightMs: endMs - startMs,
  };
}

/**
 * Hours of direct sun on the ground, per cell, over one day (flat ground, obstacles as prisms).
 *
 * For each time step every obstacle's ground shadow (its footprint swept along the shadow direction, see
 * `forEachShadowPiece`) is scan-converted onto the grid; a cell is sunlit in a step when its centre is in no
 * shadow. This is the same test as a ray from the cell centre to the Sun against every prism, done per
 * obstacle instead of per cell, so the cost follows the shadowed area rather than cells × obstacles.
 * Steps run from sunrise (upper limb on the horizon) to sunset; the Sun's direction in a step is the one at
 * its midpoint. Deterministic: the same input gives the same bytes.
 */
export function sunHoursGrid(input: SunHoursInput): SunHoursGrid {
  const source = input.source ?? null;
  const fail = (reason: string): never => {
    throw new DataError('invalid-sun-hours-input', reason, { file: source });
  };
  const cellM = input.cellM ?? SUN_HOURS_DEFAULTS.cellM;
  const stepMinutes = input.stepMinutes ?? SUN_HOURS_DEFAULTS.stepMinutes;
  if (!(cellM > 0) || !Number.isFinite(cellM)) fail(`cellM ${cellM} is not a positive number`);
  if (!(stepMinutes > 0) || stepMinutes > 1440) fail(`stepMinutes ${stepMinutes} is not in (0, 1440]`);
  if (!Number.isFinite(input.gridNorthDeg)) fail(`gridNorthDeg ${input.gridNorthDeg} is not a number`);
  const grid = gridFor(input.area, cellM, fail);
  const obstacles = checkObstacles(input.obstacles, source);
  const cellCount = grid.cols * grid.rows;

  const cellKind = new Uint8Array(cellCount);
  scanPolygon(grid, input.area, 0, 0, (i) => {
    cellKind[i] = CELL_OPEN;
  });
  for (const ob of obstacles) {
    if (ob.minHeightM > 0) continue;
    for (const poly of ob.polygons)
      scanPolygon(grid, poly, 0, 0, (i) => {
        if (cellKind[i] === CELL_OPEN) cellKind[i] = CELL_UNDER_OBSTACLE;
      });
  }

  const { steps, sunrise, sunset, daylightMs } = sunSteps(input, stepMinutes);
  // Whole milliseconds in a Float64Array add up exactly: a cell shaded all day gets exactly 0 h.
  const shadedMs = new Float64Array(cellCount);
  // stamp[i] = the step in which cell i was last shaded, so overlapping shadows count once per step.
  const stamp = new Int32Array(cellCount).fill(-1);
  const gx0 = grid.originX;
  const gy0 = grid.originY;
  const gx1 = gx0 + grid.cols * cellM;
  const gy1 = gy0 + grid.rows * cellM;

  steps.forEach((step, s) => {
    const dir = shadowDirection(step, input.gridNorthDeg);
    // At the horizon the shadows are endless; cut them where they leave the grid.
    const dx = dir ? dir.dx : -Math.sin(((step.azimuthDeg - input.gridNorthDeg) * Math.PI) / 180);
    const dy = dir ? dir.dy : -Math.cos(((step.azimuthDeg - input.gridNorthDeg) * Math.PI) / 180);
    const perHeight = dir ? dir.lengthPerHeightM : Number.POSITIVE_INFINITY;
    const shade = (i: number) => {
      if (stamp[i] === s) return;
      stamp[i] = s;
      shadedMs[i] += step.durationMs;
    };
    for (const ob of obstacles) {
      const [bx0, by0, bx1, by1] = ob.bbox;
      // No point of the footprint moved further than this can land on the grid.
      const reach = Math.hypot(
        Math.max(gx1, bx1) - Math.min(gx0, bx0),
        Math.max(gy1, by1) - Math.min(gy0, by0),
      );
      const fromM = ob.minHeightM > 0 ? Math.min(ob.minHeightM * perHeight, reach) : 0;
      const toM = Math.min(ob.heightM * perHeight, reach);
      if (fromM >= reach) continue;
      const sx0 = Math.min(bx0 + dx * fromM, bx0 + dx * toM);
      const sx1 = Math.max(bx1 + dx * fromM, bx1 + dx * toM);
      const sy0 = Math.min(by0 + dy * fromM, by0 + dy * toM);
      const sy1 = Math.max(by1 + dy * fromM, by1 + dy * toM);
      if (sx1 < gx0 || sx0 > gx1 || sy1 < gy0 || sy0 > gy1) continue;
      // A prism standing on the ground covers its own footprint, which is never open ground: skip that piece.
      forEachShadowPiece(ob, dx, dy, fromM, toM, ob.minHeightM > 0, (rings) =>
        scanPolygon(grid, rings, 0, 0, shade),
      );
    }
  });

  const hours = new Float32Array(cellCount);
  let open = 0;
  let atLeast2h = 0;
  let sum = 0;
  for (let i = 0; i < cellCount; i++) {
    if (cellKind[i] !== CELL_OPEN) {
      hours[i] = Number.NaN;
      continue;
    }
    hours[i] = (daylightMs - shadedMs[i]) / 3_600_000;
    open++;
    sum += hours[i];
    // A small tolerance keeps a cell lit for exactly 2 h (12 steps of 10 min) from failing on float rounding.
    if (hours[i] >= 2 - 1e-4) atLeast2h++;
  }
  return {
    ...grid,
    date: isoDate(solarDayOf(input.date, input.location.lonDeg)),
    hours,
    cellKind,
    sunrise,
    sunset,
    steps: steps.length,
    summary: {
      areaM2: open * cellM * cellM,
      shareAtLeast2h: open ? atLeast2h / open : 0,
      meanHours: open ? sum / open : 0,
      daylightHours: daylightMs / 3_600_000,
    },
  };
}

/**
 * The sun over the view, for the readout and the play-the-day control: NREL SPA from @placetwin/solar, computed in
 * the browser (the same code as the server's `/api/solar/position`).
 */
import { sunPosition, sunTimes } from '@placetwin/solar';
import { toUkLocal } from './ukTime';
import type { ViewState } from './viewState';

export interface SunReadout {
  /** Where the sun is computed: under the camera. */
  lon: number;
  lat: number;
  /** Clockwise from true north. */
  azimuthDeg: number;
  elevationDeg: number;
  /** With standard refraction: where the sun is seen, and what the shadows follow. */
  apparentElevationDeg: number;
  /** 16-point compass direction of the sun, e.g. "SSW". */
  compass: string;
  /** Sunrise and sunset on the UK calendar day of the scene time (null in polar day or night). */
  sunrise: Date | null;
  sunset: Date | null;
}

const COMPASS = [
  'N',
  'NNE',
  'NE',
  'ENE',
  'E',
  'ESE',
  'SE',
  'SSE',
  'S',
  'SSW',
  'SW',
  'WSW',
  'W',
  'WNW',
  'NW',
  'NNW',
];

export const compassPoint = (azimuthDeg: number): string =>
  COMPASS[Math.round((((azimuthDeg % 360) + 360) % 360) / 22.5) % 16];

/** The sun at the view's time over its camera (or over `fallback`, before the camera is placed). */
export function sunReadout(
  view: ViewState,
  fallback: { lon: number; lat: number } | null = null,
): SunReadout | null {
  const at = view.camera ?? fallback;
  if (!at) return null;
  const location = { latDeg: at.lat, lonDeg: at.lon };
  const p = sunPosition(view.time, location);
  const times = sunTimes(toUkLocal(new Date(view.time)).date, location);
  return {
    lon: at.lon,
    lat: at.lat,
    azimuthDeg: p.azimuthDeg,
    elevationDeg: p.elevationDeg,
    apparentElevationDeg: p.apparentElevationDeg,
    compass: compassPoint(p.azimuthDeg),
    sunrise: times.sunrise,
    sunset: times.sunset,
  };
}

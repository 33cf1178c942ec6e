/**
 * Test helpers shared by this package's tests (not exported from index.ts): the real sample files, read once.
 */
import { readFileSync } from 'node:fs';
import { sample } from '../../../test/support/paths';
import { carbonIntensityCsvImporter } from './importers/carbon-intensity';
import { stationCsvImporter, type WeatherSeries, weatherOnYear } from './importers/weather';
import type { RegularSeries } from './series';

export const LEEDS_WEATHER = 'energy/weather/leeds-hourly-weather-2019.csv';
export const GB_INTENSITY = 'energy/carbon-intensity/gb-carbon-intensity-2023.csv';

let weather: WeatherSeries | null = null;
let intensity: RegularSeries | null = null;

/** Leeds City Council hourly weather 2019 (real), re-stamped onto 2023 to meet the grid data. */
export function leedsWeather2023(): WeatherSeries {
  weather ??= weatherOnYear(
    stationCsvImporter.parse(readFileSync(sample(LEEDS_WEATHER), 'utf8'), { fileName: LEEDS_WEATHER }),
    2023,
  );
  return weather;
}

/** NESO GB carbon intensity 2023 (real), gaps kept as NaN. */
export function gbIntensity2023(): RegularSeries {
  intensity ??= carbonIntensityCsvImporter.parse(readFileSync(sample(GB_INTENSITY), 'utf8'), {
    fileName: GB_INTENSITY,
    allowGaps: true,
  }).intensity;
  return intensity;
}

/** A deterministic pseudo-random generator (Park–Miller), so tests are repeatable. */
export function lcg(seed: number): () => number {
  let s = seed % 2147483647;
  if (s <= 0) s += 2147483646;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

/** Standard normal deviates from a uniform generator (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
}

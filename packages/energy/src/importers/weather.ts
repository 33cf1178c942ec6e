import { DataError } from '@placetwin/geo';
import type { RegularSeries } from '../series';
import { numberField, type SeriesImporter, splitFields, textLines } from './text';

/** Hourly weather: dry-bulb temperature and global horizontal irradiance, each value held over its hour. */
export interface WeatherSeries {
  temperatureC: RegularSeries;
  ghiWm2: RegularSeries;
  meta: {
    format: string;
    place: string | null;
    latDeg: number | null;
    lonDeg: number | null;
    /** What the importer assumed or filled, in words (shown with any result that uses the weather). */
    notes: string[];
  };
}

const HOUR_MS = 3_600_000;

// ─── EnergyPlus EPW ───────────────────────────────────────────────────────────────────────────────────────

/** EPW data columns (0-based): dry-bulb temperature and global horizontal radiation; their missing markers. */
const EPW = {
  year: 0,
  month: 1,
  day: 2,
  hour: 3,
  dryBulb: 6,
  ghi: 13,
  fields: 35,
  missingTemp: 99.9,
  missingGhi: 9999,
};

/**
 * EnergyPlus Weather (EPW): 8 header lines (LOCATION first, DATA PERIODS last), then one line per hour with
 * year, month, day, hour 1–24 (the hour *ending* at that time, local standard time at the LOCATION's offset),
 * minute, flags and 29 values. Typical-year files mix years between months: every record is put on the first
 * record's year. A missing temperature (99.9) or irradiance (9999) is a DataError (no silent filling).
 */
export const epwImporter: SeriesImporter<WeatherSeries, { fileName: string }> = {
  name: 'epw',
  extensions: ['.epw'],
  detect: (head) => /^\uFEFF?LOCATION,/.test(head),
  parse(text, { fileName }) {
    const lines = textLines(text);
    const file = fileName;
    if (!lines[0]?.startsWith('LOCATION,'))
      throw new DataError('invalid-format', 'not an EPW file: the first line must start with LOCATION,', {
        file,
      });
    const periods = lines.findIndex((l) => l.startsWith('DATA PERIODS,'));
    if (periods < 0) throw new DataError('invalid-format', 'EPW header has no DATA PERIODS line', { file });
    const perHour = Number(splitFields(lines[periods], ',')[2]);
    if (perHour !== 1)
      throw new DataError(
        'unsupported-format',
        `EPW with ${perHour} records per hour: only hourly is supported`,
        {
          file,
        },
      );
    const loc = splitFields(lines[0], ',');
    const tzHours = Number(loc[8]);
    const latDeg = Number(loc[6]);
    const lonDeg = Number(loc[7]);
    if (!Number.isFinite(tzHours))
      throw new DataError('invalid-format', `EPW LOCATION time zone "${loc[8]}" is not a number`, { file });
    const data = lines.slice(periods + 1);
    if (data.length === 0) throw new DataError('empty-series', 'EPW file has no data lines', { file });
    const temp = new Float64Array(data.length);
    const ghi = new Float64Array(data.length);
    let startMs = 0;
    let year = 0;
    data.forEach((line, i) => {
      const lineNo = periods + 2 + i;
      const f = splitFields(line, ',');
      if (f.length < EPW.fields)
        throw new DataError('invalid-format', `line ${lineNo}: ${f.length} fields, an EPW data line has 35`, {
          file,
        });
      const at = (col: number, name: string) =>
        numberField(f[col], { file, line: lineNo, column: name }) as number;
      if (i === 0) year = at(EPW.year, 'year');
      const month = at(EPW.month, 'month');
      const day = at(EPW.day, 'day');
      const hour = at(EPW.hour, 'hour');
      const hourStartMs = Date.UTC(year, month - 1, day, hour - 1) - tzHours * HOUR_MS;
      if (i === 0) startMs = hourStartMs;
      else if (hourStartMs !== startMs + i * HOUR_MS)
        throw new DataError(
          'series-gap',
          `line ${lineNo}: ${month}/${day} hour ${hour} does not follow the previous hour (a gap or a repeat)`,
          { file },
        );
      const t = at(EPW.dryBulb, 'dry-bulb temperature');
      const g = at(EPW.ghi, 'global horizontal radiation');
      if (t >= EPW.missingTemp)
        throw new DataError('missing-values', `line ${lineNo}: dry-bulb temperature is missing (99.9)`, {
          file,
        });
      if (g >= EPW.missingGhi)
        throw new DataError(
          'missing-values',
          `line ${lineNo}: global horizontal radiation is missing (9999)`,
          {
            file,
          },
        );
      temp[i] = t;
      ghi[i] = g;
    });
    return {
      temperatureC: { startMs, stepMs: HOUR_MS, values: temp },
      ghiWm2: { startMs, stepMs: HOUR_MS, values: ghi },
      meta: {
        format: 'EnergyPlus EPW',
        place: [loc[1], loc[3]].filter(Boolean).join(', ') || null,
        latDeg: Number.isFinite(latDeg) ? latDeg : null,
        lonDeg: Number.isFinite(lonDeg) ? lonDeg : null,
        notes: [
          `hour-ending values at UTC${tzHours >= 0 ? '+' : ''}${tzHours}, each held over its hour`,
          `all records put on ${year}`,
        ],
      },
    };
  },
};

// ─── Weather-station CSV (Leeds City Council layout) ──────────────────────────────────────────────────────

const STATION_COLUMNS = { time: 'Time', temperature: 'Temp 2m', ghi: 'Glob Rad W/m2' } as const;

/**
 * Hourly weather-station CSV as Leeds City Council publishes it: `Time` (`dd/mm/yyyy HH:MM`, GMT, hour
 * ending), `Temp 2m` (°C), `Glob Rad W/m2` (global horizontal irradiance). The station leaves irradiance blank
 * at night: a blank is read as 0 W/m² and counted in the notes. A blank temperature, a non-number, or a time that
 * does not follow the previous one by an hour is a DataError.
 */
export const stationCsvImporter: SeriesImporter<WeatherSeries, { fileName: string; place?: string }> = {
  name: 'weather-station-csv',
  extensions: ['.csv'],
  detect: (head) => {
    const first = textLines(head.slice(0, 2000))[0] ?? '';
    return first.startsWith(`${STATION_COLUMNS.time},`) && first.includes(STATION_COLUMNS.temperature);
  },
  parse(text, { fileName, place }) {
    const file = fileName;
    const lines = textLines(text);
    if (lines.length === 0) throw new DataError('empty-series', 'the file is empty', { file });
    const header = splitFields(lines[0], ',').map((h) => h.trim());
    const col = (name: string) => {
      const i = header.indexOf(name);
      if (i < 0)
        throw new DataError('missing-column', `no "${name}" column (header: ${header.join(', ')})`, { file });
      return i;
    };
    const iTime = col(STATION_COLUMNS.time);
    const iTemp = col(STATION_COLUMNS.temperature);
    const iGhi = col(STATION_COLUMNS.ghi);
    const rows = lines.slice(1);
    if (rows.length === 0) throw new DataError('empty-series', 'the file has a header and no rows', { file });
    const temp = new Float64Array(rows.length);
    const ghi = new Float64Array(rows.length);
    let startMs = 0;
    let blankGhi = 0;
    rows.forEach((line, i) => {
      const lineNo = i + 2;
      const f = splitFields(line, ',');
      const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec((f[iTime] ?? '').trim());
      if (!m)
        throw new DataError('invalid-time', `line ${lineNo}: time "${f[iTime]}" is not dd/mm/yyyy HH:MM`, {
          file,
        });
      const endMs = Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]), Number(m[4]), Number(m[5]));
      const hourStart = endMs - HOUR_MS;
      if (i === 0) startMs = hourStart;
      else if (hourStart !== startMs + i * HOUR_MS)
        throw new DataError(
          'series-gap',
          `line ${lineNo}: ${f[iTime]} is not one hour after the previous row`,
          {
            file,
          },
        );
      temp[i] = numberField(f[iTemp], { file, line: lineNo, column: STATION_COLUMNS.temperature }) as number;
      const g = numberField(f[iGhi], { file, line: lineNo, column: STATION_COLUMNS.ghi }, true);
      if (g === null) blankGhi++;
      ghi[i] = g ?? 0;
    });
    return {
      temperatureC: { startMs, stepMs: HOUR_MS, values: temp },
      ghiWm2: { startMs, stepMs: HOUR_MS, values: ghi },
      meta: {
        format: 'weather-station CSV (Leeds City Council layout)',
        place: place ?? null,
        latDeg: null,
        lonDeg: null,
        notes: [
          'times read as GMT, hour ending; each value held over its hour',
          `${blankGhi} blank irradiance values read as 0 W/m² (the station leaves night hours blank)`,
        ],
      },
    };
  },
};

export const weatherImporters = [epwImporter, stationCsvImporter] as const;

/** The weather importer for a file by its first lines; DataError `unsupported-format` naming the formats. */
export function weatherImporterFor(text: string, fileName: string): (typeof weatherImporters)[number] {
  const head = text.slice(0, 4096);
  const found = weatherImporters.find((i) => i.detect(head));
  if (found) return found;
  throw new DataError(
    'unsupported-format',
    `not a weather file Placetwin reads (supported: ${weatherImporters.map((i) => `${i.name} ${i.extensions.join('/')}`).join(', ')})`,
    { file: fileName },
  );
}

/**
 * The weather re-stamped onto another year by day of the year and hour, so that a weather year (or a typical
 * year) can drive a day in the year of the grid data. Across 29 February the days are one apart.
 */
export function weatherOnYear(w: WeatherSeries, year: number): WeatherSeries {
  const from = new Date(w.temperatureC.startMs).getUTCFullYear();
  const shift = Date.UTC(year, 0, 1) - Date.UTC(from, 0, 1);
  const move = (s: RegularSeries): RegularSeries => ({ ...s, startMs: s.startMs + shift });
  return {
    temperatureC: move(w.temperatureC),
    ghiWm2: move(w.ghiWm2),
    meta: {
      ...w.meta,
      notes: [...w.meta.notes, `weather of ${from} used for ${year} (same day of the year)`],
    },
  };
}

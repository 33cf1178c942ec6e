import { DataError } from '@placetwin/geo';
import type { MeasuredRecord } from '../calibration';
import { numberField, type SeriesImporter, splitFields, textLines } from './text';

/**
 * Column names understood in a measured-building CSV, each with the factor to Placetwin's units. The first two
 * layouts are a BMS export (`time,indoor_c,outdoor_c,heating_kw,ghi_wm2`) and the Leprince et al. (2022)
 * research layout (`t;Ps;Ta;yTi;Thm`, Ps in kW/m², Thm a heating signal of undocumented unit).
 */
const COLUMNS = {
  time: ['time', 'timestamp', 't'],
  indoorC: ['indoor_c', 'yti', 'ti'],
  outdoorC: ['outdoor_c', 'ta'],
  heating: [
    ['heating_w', 1],
    ['heating_kw', 1000],
    ['thm', 1],
  ],
  ghiWm2: [
    ['ghi_wm2', 1],
    ['ps', 1000],
  ],
} as const;

export interface ThermalRecordCsv {
  record: MeasuredRecord;
  startMs: number;
  /** `W`, `kW→W`, or `signal` when the heating column's unit is not power (fit heatGain then). */
  heatingUnit: 'W' | 'signal';
  meta: { format: string; notes: string[] };
}

/** A timestamp `YYYY-MM-DD HH:MM[:SS]` with an optional offset; without one it is read as UTC and said so. */
function timestamp(raw: string, file: string, line: number): { ms: number; zoned: boolean } {
  const s = raw.trim().replace(' ', 'T');
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s);
  const ms = Date.parse(zoned ? s : `${s}Z`);
  if (Number.isNaN(ms))
    throw new DataError('invalid-time', `line ${line}: time "${raw}" is not a timestamp`, { file });
  return { ms, zoned };
}

/**
 * Measured indoor/outdoor temperature and heating input at a fixed step (BMS export or research data), `,` or
 * `;` separated, optional leading index column. Gaps (a step that is not the first step), empty or non-numeric
 * values are DataErrors naming the line: calibration needs a complete record.
 */
export const thermalRecordCsvImporter: SeriesImporter<ThermalRecordCsv, { fileName: string }> = {
  name: 'thermal-record-csv',
  extensions: ['.csv'],
  detect: (head) => {
    const first = (textLines(head.slice(0, 2000))[0] ?? '').toLowerCase();
    return /(^|[;,])(yti|indoor_c)([;,]|$)/.test(first);
  },
  parse(text, { fileName }) {
    const file = fileName;
    const lines = textLines(text);
    if (lines.length === 0) throw new DataError('empty-series', 'the file is empty', { file });
    const delimiter = lines[0].includes(';') ? ';' : ',';
    const header = splitFields(lines[0], delimiter).map((h) => h.trim().toLowerCase());
    const find = (names: readonly string[], what: string, required = true) => {
      const i = header.findIndex((h) => names.includes(h));
      if (i < 0 && required)
        throw new DataError('missing-column', `no ${what} column (one of ${names.join(', ')})`, { file });
      return i;
    };
    const scaled = (options: readonly (readonly [string, number])[], what: string, required: boolean) => {
      for (const [name, factor] of options) {
        const i = header.indexOf(name);
        if (i >= 0) return { i, factor, name };
      }
      if (required)
        throw new DataError(
          'missing-column',
          `no ${what} column (one of ${options.map((o) => o[0]).join(', ')})`,
          {
            file,
          },
        );
      return null;
    };
    const iTime = find(COLUMNS.time, 'time');
    const iIn = find(COLUMNS.indoorC, 'indoor temperature');
    const iOut = find(COLUMNS.outdoorC, 'outdoor temperature');
    const heat = scaled(COLUMNS.heating, 'heating', true)!;
    const sun = scaled(COLUMNS.ghiWm2, 'irradiance', false);
    const rows = lines.slice(1);
    if (rows.length < 2) throw new DataError('empty-series', 'the record needs at least two rows', { file });
    const n = rows.length;
    const record: MeasuredRecord = {
      stepS: 0,
      indoorC: new Float64Array(n),
      outdoorC: new Float64Array(n),
      heating: new Float64Array(n),
      ghiWm2: new Float64Array(n),
    };
    let startMs = 0;
    let stepMs = 0;
    let zoned = true;
    rows.forEach((line, k) => {
      const lineNo = k + 2;
      const f = splitFields(line, delimiter);
      const t = timestamp(f[iTime] ?? '', file, lineNo);
      zoned &&= t.zoned;
      if (k === 0) startMs = t.ms;
      else if (k === 1) {
        stepMs = t.ms - startMs;
        if (!(stepMs > 0))
          throw new DataError('invalid-time', `line ${lineNo}: time does not advance`, { file });
      } else if (t.ms !== startMs + k * stepMs)
        throw new DataError(
          'series-gap',
          `line ${lineNo}: time ${f[iTime]} is not ${stepMs / 60_000} min after the previous row (a gap or a repeat)`,
          { file },
        );
      const num = (i: number, column: string) => numberField(f[i], { file, line: lineNo, column }) as number;
      record.indoorC[k] = num(iIn, header[iIn]);
      record.outdoorC[k] = num(iOut, header[iOut]);
      record.heating[k] = num(heat.i, heat.name) * heat.factor;
      record.ghiWm2[k] = sun ? num(sun.i, sun.name) * sun.factor : 0;
    });
    record.stepS = stepMs / 1000;
    const signal = heat.name === 'thm';
    return {
      record,
      startMs,
      heatingUnit: signal ? 'signal' : 'W',
      meta: {
        format: signal ? 'Leprince et al. research CSV (t;Ps;Ta;yTi;Thm)' : 'BMS CSV',
        notes: [
          ...(zoned ? [] : ['timestamps have no time zone: read as UTC']),
          ...(sun ? [] : ['no irradiance column: solar gains taken as 0']),
          ...(signal ? ['heating column Thm has no documented unit: calibrate with heatGain fitted'] : []),
        ],
      },
    };
  },
};

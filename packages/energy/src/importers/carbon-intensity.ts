import { DataError } from '@placetwin/geo';
import { type RegularSeries, seriesGaps } from '../series';
import { numberField, type SeriesImporter, splitFields, textLines } from './text';

export interface CarbonIntensitySeries {
  /** gCO2/kWh per settlement period; NaN where the file has no value (see gaps). */
  intensity: RegularSeries;
  /** Missing periods, [from, to) in epoch ms. */
  gaps: { fromMs: number; toMs: number; steps: number }[];
  meta: { format: string; column: string; notes: string[] };
}

export interface CarbonIntensityOptions {
  fileName: string;
  /** Keep missing periods as NaN (listed in `gaps`) instead of throwing. A horizon that needs one still fails. */
  allowGaps?: boolean;
}

/** An ISO 8601 instant with an explicit offset (`Z` or ±hh:mm); a space may stand for `T`. */
function instant(raw: string, where: { file: string; line: number; column: string }): number {
  const s = raw.trim().replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(s))
    throw new DataError(
      'invalid-time',
      `line ${where.line}: ${where.column} "${raw}" has no time zone (Z or an offset is required)`,
      { file: where.file },
    );
  const ms = Date.parse(s);
  if (Number.isNaN(ms))
    throw new DataError(
      'invalid-time',
      `line ${where.line}: ${where.column} "${raw}" is not an ISO 8601 instant`,
      {
        file: where.file,
      },
    );
  return ms;
}

/**
 * Grid carbon intensity CSV with `from,to,intensity` (gCO2/kWh per period), or the NESO Carbon Intensity API's
 * `from,to,forecast,actual,index` layout, where `actual` is used and an empty or zero `actual` (an API artefact:
 * GB intensity is never zero) falls back to `forecast`, counted in the notes. Periods must share one length.
 * Rows may come in any order; a repeated or off-grid period is a DataError; missing periods are gaps.
 */
export const carbonIntensityCsvImporter: SeriesImporter<CarbonIntensitySeries, CarbonIntensityOptions> = {
  name: 'carbon-intensity-csv',
  extensions: ['.csv'],
  detect: (head) => /^\uFEFF?from,to,/i.test(head.trimStart()),
  parse(text, { fileName, allowGaps = false }) {
    const file = fileName;
    const lines = textLines(text);
    if (lines.length === 0) throw new DataError('empty-series', 'the file is empty', { file });
    const header = splitFields(lines[0], ',').map((h) => h.trim().toLowerCase());
    const iFrom = header.indexOf('from');
    const iTo = header.indexOf('to');
    const iIntensity = header.indexOf('intensity');
    const iActual = header.indexOf('actual');
    const iForecast = header.indexOf('forecast');
    if (iFrom < 0 || iTo < 0 || (iIntensity < 0 && iActual < 0 && iForecast < 0))
      throw new DataError(
        'missing-column',
        `expected columns from,to,intensity (or from,to,forecast,actual); header is ${lines[0]}`,
        { file },
      );
    const rows = lines.slice(1);
    if (rows.length === 0) throw new DataError('empty-series', 'the file has a header and no rows', { file });
    const parsed: { from: number; value: number }[] = [];
    let stepMs = 0;
    let fallbacks = 0;
    rows.forEach((line, i) => {
      const lineNo = i + 2;
      const f = splitFields(line, ',');
      const from = instant(f[iFrom] ?? '', { file, line: lineNo, column: 'from' });
      const to = instant(f[iTo] ?? '', { file, line: lineNo, column: 'to' });
      if (!(to > from))
        throw new DataError('invalid-time', `line ${lineNo}: "to" is not after "from"`, { file });
      if (stepMs === 0) stepMs = to - from;
      else if (to - from !== stepMs)
        throw new DataError(
          'invalid-time',
          `line ${lineNo}: period of ${(to - from) / 60_000} min, the file's first is ${stepMs / 60_000} min`,
          { file },
        );
      let value: number | null;
      if (iIntensity >= 0) value = numberField(f[iIntensity], { file, line: lineNo, column: 'intensity' });
      else {
        value = iActual >= 0 ? numberField(f[iActual], { file, line: lineNo, column: 'actual' }, true) : null;
        if (value === null || value === 0) {
          if (iForecast < 0)
            throw new DataError(
              'missing-values',
              `line ${lineNo}: actual is empty and there is no forecast`,
              { file },
            );
          if (iActual >= 0) fallbacks++;
          value = numberField(f[iForecast], { file, line: lineNo, column: 'forecast' });
        }
      }
      if ((value as number) < 0)
        throw new DataError('invalid-number', `line ${lineNo}: intensity ${value} is negative`, { file });
      parsed.push({ from, value: value as number });
    });
    const startMs = Math.min(...parsed.map((p) => p.from));
    const endMs = Math.max(...parsed.map((p) => p.from)) + stepMs;
    const values = new Float64Array((endMs - startMs) / stepMs).fill(Number.NaN);
    parsed.forEach((p, i) => {
      const k = (p.from - startMs) / stepMs;
      if (!Number.isInteger(k))
        throw new DataError(
          'invalid-time',
          `line ${i + 2}: period does not start on the file's ${stepMs / 60_000}-minute grid`,
          {
            file,
          },
        );
      if (!Number.isNaN(values[k]))
        throw new DataError(
          'duplicate-row',
          `line ${i + 2}: period ${new Date(p.from).toISOString()} appears twice`,
          {
            file,
          },
        );
      values[k] = p.value;
    });
    const intensity = { startMs, stepMs, values };
    const gaps = seriesGaps(intensity);
    if (gaps.length > 0 && !allowGaps) {
      const missing = gaps.reduce((s, g) => s + g.steps, 0);
      throw new DataError(
        'series-gap',
        `${missing} periods missing in ${gaps.length} gap(s), the first from ${new Date(gaps[0].fromMs).toISOString()} to ${new Date(gaps[0].toMs).toISOString()}`,
        { file },
      );
    }
    const column = iIntensity >= 0 ? 'intensity' : iActual >= 0 ? 'actual' : 'forecast';
    return {
      intensity,
      gaps,
      meta: {
        format: iIntensity >= 0 ? 'from,to,intensity CSV' : 'NESO Carbon Intensity API CSV',
        column,
        notes: [
          ...(fallbacks > 0 ? [`${fallbacks} periods with an empty or zero actual took the forecast`] : []),
          ...(gaps.length > 0
            ? [`${gaps.reduce((s, g) => s + g.steps, 0)} periods missing in ${gaps.length} gap(s)`]
            : []),
        ],
      },
    };
  },
};

import { DataError } from '@placetwin/geo';

/**
 * One text format of time series, after loaders.gl's loader objects: callers pick one by `detect` and never
 * branch on format. Parsing is pure (text in, typed series out); reading the file is the caller's job.
 */
export interface SeriesImporter<Result, Options> {
  name: string;
  /** File name endings, lower case, with the dot. */
  extensions: string[];
  /** True when the first lines look like this format. */
  detect(head: string): boolean;
  parse(text: string, options: Options & { fileName: string }): Result;
}

/** Splits text into lines (LF or CRLF), dropping a BOM and trailing empty lines. */
export function textLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/** Splits one delimited line; double-quoted fields may hold the delimiter ("" is a quote). */
export function splitFields(line: string, delimiter: string): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** A number from a field, or a DataError naming the file, line and column. Empty → null when allowed. */
export function numberField(
  raw: string | undefined,
  where: { file: string; line: number; column: string },
  allowEmpty = false,
): number | null {
  const s = (raw ?? '').trim();
  if (s === '') {
    if (allowEmpty) return null;
    throw new DataError('missing-values', `line ${where.line}: ${where.column} is empty`, {
      file: where.file,
    });
  }
  const v = Number(s);
  if (!Number.isFinite(v))
    throw new DataError('invalid-number', `line ${where.line}: ${where.column} "${s}" is not a number`, {
      file: where.file,
    });
  return v;
}

import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { GtfsDataError } from './errors';
import type { GtfsFiles } from './feed';

/** One CSV record with the line it ends on (1 = header). */
export interface CsvRow {
  values: Record<string, string>;
  line: number;
}

/** A GTFS table read with csv-parse: header trimmed, BOM dropped, empty lines skipped. */
export interface CsvTable {
  file: string;
  columns: string[];
  rows: CsvRow[];
}

/** Reads the `.txt` tables of a GTFS zip (fflate). Folders inside the zip are ignored: `feed/stops.txt` → `stops.txt`. */
export function gtfsFilesFromZip(bytes: Uint8Array, source: string): GtfsFiles {
  const fail = (reason: string) =>
    new GtfsDataError('invalid-zip', reason, { source, gtfsFile: '(zip)', line: null });
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw fail('not a zip file');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => f.name.toLowerCase().endsWith('.txt') });
  } catch (e) {
    throw fail(`cannot unzip: ${e instanceof Error ? e.message : String(e)}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(entries)) {
    const base = name.slice(name.lastIndexOf('/') + 1);
    if (base.startsWith('.') || name.includes('__MACOSX/')) continue;
    if (files.has(base)) throw fail(`the zip holds ${base} twice`);
    files.set(base, data);
  }
  return { source, files };
}

const decoder = new TextDecoder('utf-8');

/** Parses one table, or returns null when the feed does not have the file. */
export function readTable(
  input: GtfsFiles,
  file: string,
  requiredColumns: readonly string[],
): CsvTable | null {
  const bytes = input.files.get(file);
  if (!bytes) return null;
  let columns: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(decoder.decode(bytes), {
      bom: true,
      columns: (header: string[]) => {
        columns = header.map((h) => h.trim());
        return columns;
      },
      info: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    throw new GtfsDataError('invalid-csv', err.message ?? String(e), {
      source: input.source,
      gtfsFile: file,
      line: typeof err.lines === 'number' ? err.lines : null,
    });
  }
  for (const c of requiredColumns)
    if (!columns.includes(c))
      throw new GtfsDataError('missing-column', `required column ${c} is missing from the header`, {
        source: input.source,
        gtfsFile: file,
        line: 1,
      });
  return { file, columns, rows: records.map((r) => ({ values: r.record, line: r.info.lines })) };
}

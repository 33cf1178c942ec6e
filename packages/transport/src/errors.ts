import { DataError } from '@placetwin/geo';

/**
 * Bad GTFS input: a DataError (so the CLI prints it and the server answers 4xx) that also carries the file inside
 * the feed and the 1-based line of the offending record (1 is the header; null for a whole-file problem).
 */
export class GtfsDataError extends DataError {
  /** The file inside the feed, e.g. `stop_times.txt`. */
  readonly gtfsFile: string;
  readonly line: number | null;

  constructor(
    type: string,
    reason: string,
    where: { source: string; gtfsFile: string; line?: number | null; featureId?: string | null },
  ) {
    const file = `${where.source}/${where.gtfsFile}`;
    super(type, reason, { file, featureId: where.featureId ?? null });
    this.gtfsFile = where.gtfsFile;
    this.line = where.line ?? null;
    const at = [
      file,
      this.line !== null && `line ${this.line}`,
      where.featureId && `feature ${where.featureId}`,
    ]
      .filter(Boolean)
      .join(', ');
    this.message = `${at}: ${reason}`;
  }
}

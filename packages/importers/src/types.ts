import { DataError, type DatasetMeta, type ImportedFeature } from '@placetwin/geo';

export interface ImportProgress {
  done: number;
  total?: number;
  /** What `done` counts: `bytes` while reading a file, `features` while assembling them. */
  unit: string;
}

export interface ImportReject {
  featureId: string | null;
  reason: string;
}

export interface ImportOptions {
  /** Named in every DataError and used for format detection; need not exist on disk. */
  fileName: string;
  /** The source CRS when the file does not say (GeoJSON), or to override what it says. */
  crs?: string;
  /** Skip bad features (reporting each through onReject) instead of throwing a DataError at the first. */
  skipInvalid?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Every feature left out: invalid ones under skipInvalid, and incomplete ones (see each importer). */
  onReject?: (r: ImportReject) => void;
}

/** One file format, after loaders.gl's loader objects: `importerFor` picks one by `detect`. */
export interface Importer {
  /** Stable short name: `osm-pbf`, `osm-xml`, `geojson`, `cityjson`, `citygml`. */
  name: string;
  /** File name endings, lower case, with the dot: `.osm.pbf`. */
  extensions: string[];
  /**
   * Dataset metadata defaults. From the file name alone, or, when the bytes are given, also from what the
   * file says about itself (OSM replication timestamp, CityJSON `metadata`, CityGML `srsName`).
   */
  meta(fileName: string, bytes?: Uint8Array): Partial<DatasetMeta>;
  /** True when the file looks like this format (magic bytes first, then the extension). */
  detect(head: Uint8Array, fileName: string): boolean;
  /** The file's features, produced lazily. Throws DataError for bad input unless skipInvalid. */
  parse(bytes: Uint8Array, options: ImportOptions): AsyncIterable<ImportedFeature>;
}

/**
 * How an importer reports a bad feature: throw (the default) or skip and tell (skipInvalid).
 * `skip` is for features left out by rule whatever skipInvalid says (e.g. OSM ways cut at an extract's
 * border), which are always reported and never thrown.
 */
export class RejectPolicy {
  constructor(private readonly options: ImportOptions) {}

  /** Throws a DataError, or under skipInvalid reports and returns so the caller can skip the feature. */
  invalid(featureId: string | null, reason: string, type = 'invalid-geometry'): void {
    if (!this.options.skipInvalid)
      throw new DataError(type, reason, { file: this.options.fileName, featureId });
    this.skip(featureId, reason);
  }

  /** Reports a feature left out by rule. */
  skip(featureId: string | null, reason: string): void {
    this.options.onReject?.({ featureId, reason });
  }

  /** A DataError about the whole file (never skippable). */
  fileError(type: string, reason: string, featureId: string | null = null): DataError {
    return new DataError(type, reason, { file: this.options.fileName, featureId });
  }
}

/** Reports progress at most every `every` steps (and always at the end, through `done`). */
export function progressReporter(options: ImportOptions, unit: string, total?: number, every = 1000) {
  let last = -Infinity;
  return {
    tick(done: number): void {
      if (done - last >= every) {
        last = done;
        options.onProgress?.({ done, total, unit });
      }
    },
    done(done: number): void {
      options.onProgress?.({ done, total: total ?? done, unit });
    },
  };
}

/** The lower-cased file name without directories (for extension tests). */
export const baseName = (fileName: string): string => fileName.replace(/^.*[\\/]/, '').toLowerCase();

/** The text of the first bytes, for sniffing (BOM and leading whitespace dropped). */
export function headText(head: Uint8Array, max = 4096): string {
  return new TextDecoder('utf-8', { fatal: false })
    .decode(head.subarray(0, max))
    .replace(/^\uFEFF/, '')
    .trimStart();
}

/**
 * Lets other work run during a long import (a server's requests) without paying a timer per step: after
 * `sliceMs` of work since the last pause, `pause()` waits one macrotask; otherwise it returns at once.
 */
export function eventLoopBreather(sliceMs = 50) {
  let last = performance.now();
  return async (): Promise<void> => {
    if (performance.now() - last < sliceMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}

/**
 * Bad input from outside (a broken file, a bad parameter): the user can fix it.
 * Maps to HTTP 4xx / a CLI message naming file, feature and reason. Anything else is a bug (5xx).
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string | null;
  readonly featureId: string | null;
  readonly reason: string;
  /** Stable problem type, e.g. `invalid-geometry`, `unsupported-crs`, `truncated-file`. */
  readonly type: string;

  constructor(type: string, reason: string, where: { file?: string | null; featureId?: string | null } = {}) {
    const at = [where.file, where.featureId && `feature ${where.featureId}`].filter(Boolean).join(', ');
    super(at ? `${at}: ${reason}` : reason);
    this.type = type;
    this.reason = reason;
    this.file = where.file ?? null;
    this.featureId = where.featureId ?? null;
  }
}

export const isDataError = (e: unknown): e is DataError => e instanceof DataError;

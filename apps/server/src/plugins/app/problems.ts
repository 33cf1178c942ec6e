import { STATUS_CODES } from 'node:http';
import { isDataError } from '@placetwin/geo';

/** Base of every problem `type`: stable identifiers that clients can switch on (RFC 9457). */
export const PROBLEM_BASE = 'https://placetwin.dev/problems/';

/** An RFC 9457 problem details body (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Which input was wrong and why, for validation problems. */
  errors?: { in: string; field: string; reason: string }[];
  /** For `DataError`s: the file, feature and reason it carries. */
  file?: string | null;
  featureId?: string | null;
  reason?: string;
  /** For 5xx: quote it when reporting the fault; the log line carries the same id. */
  requestId?: string;
}

export const problemType = (slug: string): string => `${PROBLEM_BASE}${slug}`;

/** A 4xx the route means to send (unknown id, not ready…), thrown and turned into a problem body. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const notFound = (detail: string): HttpProblem => new HttpProblem(404, 'not-found', detail);

/** The parts of Fastify's errors that matter here, read without trusting their shape. */
interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const statusTitle = (status: number): string => STATUS_CODES[status] ?? 'Error';

/** Stable slugs for the HTTP errors Fastify and its plugins raise themselves. */
const SLUG_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'unavailable',
};

const fieldOf = (issue: ValidationIssue): string => {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const missing = issue.params?.missingProperty ?? issue.params?.requiredProperties;
  if (typeof missing === 'string') return path ? `${path}.${missing}` : missing;
  if (Array.isArray(missing) && missing.length > 0)
    return path ? `${path}.${missing[0]}` : String(missing[0]);
  return path || '(root)';
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Maps any error thrown while handling a request to a problem body and an HTTP status.
 * - schema validation errors → 400 `validation`, listing each field and its reason;
 * - `DataError` (bad input the user can fix) → 422 when it concerns a file's content, else 400, with the
 *   error's own stable type and its file/feature/reason;
 * - `HttpProblem` and Fastify's own 4xx errors → their status;
 * - anything else is a bug → 500 with the request id and nothing of the error's internals.
 */
export function toProblem(error: unknown, ctx: { url: string; requestId: string }): Problem {
  const instance = ctx.url;
  if (error instanceof HttpProblem) {
    return {
      type: problemType(error.slug),
      title: statusTitle(error.status),
      status: error.status,
      detail: error.detail,
      instance,
    };
  }
  if (isDataError(error)) {
    const status = error.file ? 422 : 400;
    return {
      type: problemType(error.type),
      title: status === 422 ? 'Unprocessable data' : 'Bad request',
      status,
      detail: error.message,
      instance,
      file: error.file,
      featureId: error.featureId,
      reason: error.reason,
    };
  }
  if (isRecord(error) && Array.isArray(error.validation)) {
    const where = typeof error.validationContext === 'string' ? error.validationContext : 'request';
    const errors = (error.validation as ValidationIssue[]).map((issue) => ({
      in: where,
      field: fieldOf(issue),
      reason: issue.message ?? 'is invalid',
    }));
    return {
      type: problemType('validation'),
      title: 'Invalid request',
      status: 400,
      detail: errors.map((e) => `${e.in} ${e.field} ${e.reason}`).join('; '),
      instance,
      errors,
    };
  }
  const status = isRecord(error) && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    const message =
      isRecord(error) && typeof error.message === 'string' ? error.message : statusTitle(status);
    return {
      type: problemType(SLUG_BY_STATUS[status] ?? `http-${status}`),
      title: statusTitle(status),
      status,
      detail: message,
      instance,
    };
  }
  return {
    type: problemType('internal'),
    title: statusTitle(500),
    status: 500,
    detail: `An unexpected error occurred. Quote request id ${ctx.requestId} when reporting it.`,
    instance,
    requestId: ctx.requestId,
  };
}

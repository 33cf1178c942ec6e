import type { CommentRecord } from '@placetwin/db';

export const COMMENTS_CSV_COLUMNS = [
  'id',
  'created_at',
  'status',
  'category',
  'name',
  'email',
  'lon',
  'lat',
  'text',
  'moderated_at',
  'moderated_by',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text that a spreadsheet would run
 * as a formula (starting with =, +, -, @, tab or carriage return: OWASP "CSV injection") gets a leading
 * apostrophe, so a resident's comment can never execute on a planner's machine. Numbers are written as they are.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * Comments as CSV for planners: a header row, then one row per comment, CRLF line ends, and a byte order mark so
 * that Excel reads the UTF-8 (names and comments are not all ASCII).
 */
export function commentsCsv(comments: readonly CommentRecord[]): string {
  const rows = comments.map((c) =>
    [
      c.id,
      c.createdAt,
      c.status,
      c.category,
      c.name,
      c.email,
      c.point?.[0] ?? null,
      c.point?.[1] ?? null,
      c.text,
      c.moderatedAt,
      c.moderatedBy,
    ]
      .map(csvField)
      .join(','),
  );
  return `\uFEFF${[COMMENTS_CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

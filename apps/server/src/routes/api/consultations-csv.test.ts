import type { CommentRecord } from '@placetwin/db';
import { describe, expect, it } from 'vitest';
import { COMMENTS_CSV_COLUMNS, commentsCsv, csvField } from './consultations-csv';

const comment = (over: Partial<CommentRecord>): CommentRecord => ({
  id: 1,
  consultationId: 7,
  name: 'Sam Jones',
  email: 'sam@example.org',
  category: 'object',
  text: 'Too tall.',
  point: [-0.7272, 52.6703],
  status: 'approved',
  createdAt: '2026-03-01T10:00:00Z',
  moderatedAt: '2026-03-02T09:00:00Z',
  moderatedBy: 'Pat Planner',
  ...over,
});

/** A small RFC 4180 reader, to check that what was written reads back as the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('commentsCsv', () => {
  it('writes a BOM, a header and one row per comment that read back to the same values', () => {
    const text = 'She said "no", then:\nsee the plan, page 3';
    const csv = commentsCsv([comment({}), comment({ id: 2, name: null, email: null, point: null, text })]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...COMMENTS_CSV_COLUMNS]);
    expect(rows[1]).toEqual([
      '1',
      '2026-03-01T10:00:00Z',
      'approved',
      'object',
      'Sam Jones',
      'sam@example.org',
      '-0.7272',
      '52.6703',
      'Too tall.',
      '2026-03-02T09:00:00Z',
      'Pat Planner',
    ]);
    expect(rows[2][4]).toBe('');
    expect(rows[2][6]).toBe('');
    expect(rows[2][8]).toBe(text);
    expect(rows).toHaveLength(3);
  });

  it('defuses spreadsheet formulas in residents’ text (CSV injection)', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1']) {
      const written = csvField(evil);
      const read = parseCsv(`${written}\r\n`)[0][0];
      expect(read).toBe(`'${evil}`);
    }
    expect(csvField('1 + 1 = 2')).toBe('1 + 1 = 2');
    expect(csvField(-0.72)).toBe('-0.72');
  });
});

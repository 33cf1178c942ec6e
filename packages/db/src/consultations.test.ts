import { describe, expect, it } from 'vitest';
import { COMMENT_LIMITS, checkComment } from './consultations';

const valid = { name: 'Sam Jones', category: 'support', text: 'More homes near the station, please.' };

describe('checkComment', () => {
  it('accepts a named comment and tidies it', () => {
    const r = checkComment({
      ...valid,
      name: '  Sam Jones ',
      email: ' Sam@Example.org ',
      text: 'Line one\r\nline two  ',
    });
    expect(r).toEqual({
      ok: true,
      comment: {
        name: 'Sam Jones',
        email: 'sam@example.org',
        category: 'support',
        text: 'Line one\nline two',
        point: null,
      },
    });
  });

  it('stores no name for an anonymous comment, even when one was typed', () => {
    const r = checkComment({ ...valid, anonymous: 'true', name: 'Sam' });
    expect(r.ok && r.comment.name).toBeNull();
    expect(checkComment({ ...valid, name: '', anonymous: true }).ok).toBe(true);
  });

  it('lists every problem at once, in words for the person', () => {
    const r = checkComment({ name: '', email: 'not-an-email', category: 'maybe', text: '   ' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { field: 'name', message: 'Enter your name, or choose to comment anonymously' },
      { field: 'email', message: 'Enter an email address in the correct format, like name@example.com' },
      {
        field: 'category',
        message: 'Select whether you support the proposal, object to it, or have a question',
      },
      { field: 'text', message: 'Enter your comment' },
    ]);
  });

  it('enforces the length limits exactly', () => {
    const atLimit = 'x'.repeat(COMMENT_LIMITS.textMax);
    expect(checkComment({ ...valid, text: atLimit }).ok).toBe(true);
    const over = checkComment({ ...valid, text: `${atLimit}y` });
    expect(over.ok ? [] : over.errors).toEqual([
      { field: 'text', message: `Comment must be ${COMMENT_LIMITS.textMax} characters or fewer` },
    ]);
    const longName = checkComment({ ...valid, name: 'n'.repeat(COMMENT_LIMITS.nameMax + 1) });
    expect(longName.ok ? [] : longName.errors.map((e) => e.field)).toEqual(['name']);
  });

  it('removes control characters (a NUL would fail in PostgreSQL) but keeps the text around them', () => {
    const r = checkComment({ ...valid, text: 'a\u0000b\u0007c\td' });
    expect(r.ok && r.comment.text).toBe('abc\td');
  });

  it('takes a pinned point from numbers or form strings, and refuses half a point or one off the globe', () => {
    const r = checkComment({ ...valid, lon: '-0.7272', lat: '52.6703' });
    expect(r.ok && r.comment.point).toEqual([-0.7272, 52.6703]);
    expect(checkComment({ ...valid, lon: -0.7272 }).ok).toBe(false);
    expect(checkComment({ ...valid, lon: 200, lat: 52 }).ok).toBe(false);
    expect(checkComment({ ...valid, lon: '', lat: '' }).ok).toBe(true);
  });
});

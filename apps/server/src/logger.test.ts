import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loggerOptions, redactEmailQuery, requestId } from './logger';

const withHeader = (value: string | undefined) =>
  ({ headers: { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('logging', () => {
  it('writes JSON lines when no person is watching a terminal, and never logs credentials', () => {
    const options = loggerOptions('warn', { isTTY: false });
    expect(options.level).toBe('warn');
    expect(options.transport).toBeUndefined();
    expect(options.redact).toEqual(
      expect.arrayContaining(['req.headers.authorization', 'req.headers.cookie']),
    );
  });

  it('takes email addresses out of logged URLs (subject access look-ups)', () => {
    expect(redactEmailQuery('/api/admin/privacy/subject?email=sam%40example.org')).toBe(
      '/api/admin/privacy/subject?email=[redacted]',
    );
    expect(redactEmailQuery('/x?a=1&Email=sam@example.org&b=2')).toBe('/x?a=1&Email=[redacted]&b=2');
    expect(redactEmailQuery('/consult/1/comments')).toBe('/consult/1/comments');
    const req = loggerOptions('info', { isTTY: false }).serializers?.req as (r: object) => { url: string };
    expect(
      req({ method: 'GET', url: '/api/admin/privacy/subject?email=a@b.c', ip: '127.0.0.1' }),
    ).toMatchObject({
      method: 'GET',
      url: '/api/admin/privacy/subject?email=[redacted]',
      remoteAddress: '127.0.0.1',
    });
  });

  it('keeps a proxy-given request id only when it is a plain token', () => {
    expect(requestId(withHeader('edge-1234.abc'))).toBe('edge-1234.abc');
    expect(requestId(withHeader('x'.repeat(65)))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(withHeader('a"b'))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(withHeader(undefined))).not.toBe(requestId(withHeader(undefined)));
  });
});

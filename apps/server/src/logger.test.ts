import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loggerOptions, requestId } from './logger';

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

  it('keeps a proxy-given request id only when it is a plain token', () => {
    expect(requestId(withHeader('edge-1234.abc'))).toBe('edge-1234.abc');
    expect(requestId(withHeader('x'.repeat(65)))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(withHeader('a"b'))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(withHeader(undefined))).not.toBe(requestId(withHeader(undefined)));
  });
});

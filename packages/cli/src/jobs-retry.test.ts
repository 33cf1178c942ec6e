import { ScenarioNotFoundError } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { isBadInput } from './jobs';

// Which failures a job retries: bad input fails once (the same input would fail the same way), anything else —
// node-postgres's own error when the server drops the connection, a worker killed, a shared folder not mounted
// yet — is retried by pg-boss.
describe('isBadInput', () => {
  it('is true for the input’s own errors: format, features, area, dataset, scenario', () => {
    expect(isBadInput(new DataError('unsupported-format', 'cannot import this file'))).toBe(true);
    expect(isBadInput(new DataError('invalid-geometry', 'ring has 2 positions', { featureId: 'a' }))).toBe(
      true,
    );
    expect(isBadInput(new DataError('unknown-area', 'there is no area "x"'))).toBe(true);
    expect(isBadInput(new DataError('unknown-dataset', 'no dataset named "x"'))).toBe(true);
    expect(isBadInput(new ScenarioNotFoundError(7))).toBe(true);
  });

  it('is false for what may pass: a lost connection, a file not there yet, anything not a DataError', () => {
    expect(isBadInput(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isBadInput(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(false);
    expect(isBadInput(new DataError('file-not-readable', 'cannot read file: ENOENT'))).toBe(false);
    expect(isBadInput('a string')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { fromUkLocal, toUkLocal, ukNoonOf, ukOffsetMinutes, ukZoneLabel } from './ukTime';

// 2025 clock changes (UK law: 01:00 UTC on the last Sunday of March and of October).
const BST_STARTS = Date.UTC(2025, 2, 30, 1, 0);
const BST_ENDS = Date.UTC(2025, 9, 26, 1, 0);

describe('UK civil time', () => {
  it('is GMT (UTC+0) in winter and BST (UTC+1) in summer, switching at 01:00 UTC', () => {
    expect(ukOffsetMinutes(new Date(Date.UTC(2025, 0, 15, 12)))).toBe(0);
    expect(ukOffsetMinutes(new Date(Date.UTC(2025, 5, 21, 12)))).toBe(60);
    expect(ukOffsetMinutes(new Date(BST_STARTS - 1000))).toBe(0);
    expect(ukOffsetMinutes(new Date(BST_STARTS))).toBe(60);
    expect(ukOffsetMinutes(new Date(BST_ENDS - 1000))).toBe(60);
    expect(ukOffsetMinutes(new Date(BST_ENDS))).toBe(0);
  });

  it('shows an instant as UK wall-clock date and time with its zone', () => {
    expect(toUkLocal(new Date('2025-06-21T11:00:00Z'))).toEqual({
      date: '2025-06-21',
      time: '12:00',
      offsetMinutes: 60,
      zone: 'BST',
    });
    // In winter UK time is UTC, so late evening stays on the same date.
    expect(toUkLocal(new Date('2025-12-31T23:30:00Z'))).toMatchObject({
      date: '2025-12-31',
      time: '23:30',
      zone: 'GMT',
    });
    // 23:30 UTC on 30 June is 00:30 BST on 1 July: the date rolls over too.
    expect(toUkLocal(new Date('2025-06-30T23:30:00Z'))).toMatchObject({ date: '2025-07-01', time: '00:30' });
  });

  it('reads UK wall-clock date and time back to the instant', () => {
    expect(fromUkLocal('2025-06-21', '12:00')?.toISOString()).toBe('2025-06-21T11:00:00.000Z');
    expect(fromUkLocal('2025-01-15', '12:00')?.toISOString()).toBe('2025-01-15T12:00:00.000Z');
    for (const iso of ['2025-03-29T22:15:00Z', '2025-08-01T05:45:00Z', '2025-11-11T11:11:00Z']) {
      const local = toUkLocal(new Date(iso));
      expect(fromUkLocal(local.date, local.time)?.toISOString()).toBe(new Date(iso).toISOString());
    }
  });

  it('takes the first (BST) of the hour that happens twice when clocks go back', () => {
    expect(fromUkLocal('2025-10-26', '01:30')?.toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });

  it('reads a time in the hour skipped when clocks go forward as GMT, an hour later in BST', () => {
    const t = fromUkLocal('2025-03-30', '01:30');
    expect(t?.toISOString()).toBe('2025-03-30T01:30:00.000Z');
    expect(toUkLocal(t as Date).time).toBe('02:30');
  });

  it('rejects text that is not a real date and time', () => {
    expect(fromUkLocal('2025-02-30', '12:00')).toBeNull();
    expect(fromUkLocal('2025-06-21', '24:00')).toBeNull();
    expect(fromUkLocal('', '12:00')).toBeNull();
    expect(fromUkLocal('21/06/2025', '12:00')).toBeNull();
  });

  it('labels the zone with its offset from UTC', () => {
    expect(ukZoneLabel(toUkLocal(new Date('2025-06-21T11:00:00Z')))).toBe('BST, UTC+01:00');
    expect(ukZoneLabel(toUkLocal(new Date('2025-01-21T11:00:00Z')))).toBe('GMT, UTC+00:00');
  });

  it('finds noon UK time on the UK calendar day of an instant', () => {
    expect(ukNoonOf(new Date('2025-06-21T23:30:00Z')).toISOString()).toBe('2025-06-22T11:00:00.000Z');
    expect(ukNoonOf(new Date('2025-01-05T08:00:00Z')).toISOString()).toBe('2025-01-05T12:00:00.000Z');
  });
});

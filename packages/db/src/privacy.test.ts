import { describe, expect, it } from 'vitest';
import {
  effectiveRetentionDays,
  normaliseSubjectEmail,
  type RetentionCandidate,
  retentionDue,
  retentionDueAt,
} from './privacy';

const DAY = 86_400_000;
const closes = new Date('2026-03-31T23:59:00Z');

const closed = (over: Partial<RetentionCandidate> = {}): RetentionCandidate => ({
  status: 'closed',
  closesAt: closes,
  closedAt: closes,
  retentionDays: null,
  areaRetentionDays: 365,
  ...over,
});

describe('retentionDue', () => {
  it('is due exactly at closing + period, not a millisecond before', () => {
    const c = closed({ retentionDays: 30 });
    // 30 days after 31 March 23:59 is 30 April 23:59 (no clock change in UTC).
    const dueAt = new Date('2026-04-30T23:59:00Z');
    expect(retentionDueAt(c)).toEqual(dueAt);
    expect(retentionDue(c, new Date(dueAt.getTime() - 1))).toBe(false);
    expect(retentionDue(c, dueAt)).toBe(true);
    expect(retentionDue(c, new Date(dueAt.getTime() + 1))).toBe(true);
  });

  it("takes the area's period when the consultation has none, and its own when it has one", () => {
    const wales = closed({ areaRetentionDays: 180 });
    const rutland = closed({ areaRetentionDays: 730 });
    expect(effectiveRetentionDays(wales)).toBe(180);
    expect(retentionDueAt(wales)).toEqual(new Date(closes.getTime() + 180 * DAY));
    expect(retentionDueAt(rutland)).toEqual(new Date(closes.getTime() + 730 * DAY));
    // Same closing date, one year later: due in the 180-day area, not in the 730-day one.
    const aYearOn = new Date(closes.getTime() + 365 * DAY);
    expect(retentionDue(wales, aYearOn)).toBe(true);
    expect(retentionDue(rutland, aYearOn)).toBe(false);
    // The consultation's own period wins over its area's, longer or shorter.
    expect(retentionDueAt(closed({ retentionDays: 10, areaRetentionDays: 730 }))).toEqual(
      new Date(closes.getTime() + 10 * DAY),
    );
    expect(effectiveRetentionDays(closed({ retentionDays: 900, areaRetentionDays: 30 }))).toBe(900);
  });

  it('never starts the clock for a draft, however old', () => {
    const draft = closed({ status: 'draft', closedAt: null, retentionDays: 1 });
    expect(retentionDueAt(draft)).toBeNull();
    expect(retentionDue(draft, new Date(closes.getTime() + 3650 * DAY))).toBe(false);
  });

  it('counts from an early close, and from the closing date of an open consultation left open', () => {
    const early = new Date('2026-03-10T12:00:00Z');
    expect(retentionDueAt(closed({ closedAt: early, retentionDays: 1 }))).toEqual(
      new Date(early.getTime() + DAY),
    );
    // Closed by staff after the closing date: comments stopped at the closing date.
    expect(
      retentionDueAt(closed({ closedAt: new Date(closes.getTime() + 5 * DAY), retentionDays: 1 })),
    ).toEqual(new Date(closes.getTime() + DAY));
    const open = closed({ status: 'open', closedAt: null, retentionDays: 1 });
    expect(retentionDue(open, new Date(closes.getTime() + DAY - 1))).toBe(false);
    expect(retentionDue(open, new Date(closes.getTime() + DAY))).toBe(true);
    // Still open and taking comments (closes in the future): not due.
    expect(retentionDue(open, new Date(closes.getTime() - 1))).toBe(false);
  });
});

describe('normaliseSubjectEmail', () => {
  it('matches however the address was typed, and refuses what cannot be one', () => {
    expect(normaliseSubjectEmail('  Sam.Jones@Example.ORG ')).toBe('sam.jones@example.org');
    for (const bad of ['', 'sam', 'sam@', '@x', 'a b@x.org', 42, `${'a'.repeat(250)}@x.org`]) {
      expect(() => normaliseSubjectEmail(bad)).toThrow(/email must be an email address/);
    }
  });
});

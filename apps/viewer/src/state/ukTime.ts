/**
 * UK civil time (Europe/London: GMT in winter, BST = UTC+1 in summer) for the date/time control. The scene's
 * clock runs on instants (UTC); people set and read times in the local time they live in.
 */

export interface UkLocalTime {
  /** `YYYY-MM-DD`, as an `<input type="date">` wants it. */
  date: string;
  /** `HH:MM`, as an `<input type="time">` wants it. */
  time: string;
  /** Minutes ahead of UTC at that instant: 0 (GMT) or 60 (BST). */
  offsetMinutes: number;
  zone: 'GMT' | 'BST';
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function wallClock(instant: Date): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(londonParts.formatToParts(instant).find((p) => p.type === type)?.value);
  return {
    y: part('year'),
    mo: part('month'),
    d: part('day'),
    h: part('hour'),
    mi: part('minute'),
    s: part('second'),
  };
}

/** Minutes Europe/London is ahead of UTC at an instant (0 or 60). */
export function ukOffsetMinutes(instant: Date): number {
  const w = wallClock(instant);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  const wholeSeconds = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - wholeSeconds) / 60_000);
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function toUkLocal(instant: Date): UkLocalTime {
  const w = wallClock(instant);
  const offsetMinutes = ukOffsetMinutes(instant);
  return {
    date: `${w.y}-${pad(w.mo)}-${pad(w.d)}`,
    time: `${pad(w.h)}:${pad(w.mi)}`,
    offsetMinutes,
    zone: offsetMinutes === 0 ? 'GMT' : 'BST',
  };
}

/**
 * The instant a UK wall-clock date and time denote. Clocks go back at 02:00 BST on the last Sunday of October,
 * so 01:00–01:59 happens twice that night: we take the first (BST) one. They go forward at 01:00 GMT on the last
 * Sunday of March, so 01:00–01:59 never happens: we read such a time as GMT, which lands an hour later in BST,
 * as a clock set by hand would. Returns null for text that is not a date and time.
 */
export function fromUkLocal(date: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, day, h, mi, s] = [d[1], d[2], d[3], t[1], t[2], t[3] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 59) return null;
  const naiveUtcMs = Date.UTC(y, mo - 1, day, h, mi, s);
  if (new Date(naiveUtcMs).getUTCDate() !== day) return null;
  for (const offsetMinutes of [60, 0]) {
    const candidate = new Date(naiveUtcMs - offsetMinutes * 60_000);
    if (ukOffsetMinutes(candidate) === offsetMinutes) return candidate;
  }
  return new Date(naiveUtcMs);
}

/** "BST, UTC+01:00" or "GMT, UTC+00:00": the zone a time is shown in, said in full. */
export function ukZoneLabel(local: Pick<UkLocalTime, 'zone' | 'offsetMinutes'>): string {
  const sign = local.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(local.offsetMinutes);
  return `${local.zone}, UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Noon in the UK on the calendar day (UK) of an instant: the default scene time, when the sun is high. */
export function ukNoonOf(instant: Date): Date {
  return fromUkLocal(toUkLocal(instant).date, '12:00') ?? instant;
}

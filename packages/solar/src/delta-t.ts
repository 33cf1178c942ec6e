/**
 * ΔT = TT − UT1, the difference between the uniform time scale of the ephemeris and the Earth's rotation.
 *
 * Default used by `sunPosition` when no `deltaTS` is given:
 * - 1972 onwards: ΔT = 32.184 s + (TAI − UTC), from the IERS leap-second table (TT = TAI + 32.184 s,
 *   TAI − UTC = the leap seconds so far). This leaves out UT1 − UTC, which IERS keeps within ±0.9 s, so the
 *   default is within 0.9 s of the true ΔT: at most 0.004° of solar hour angle. After the last leap
 *   second (2017-01-01) TAI − UTC stays 37 s until IERS announces another.
 * - Before 1972: the polynomials of Espenak & Meeus (2006), "Polynomial expressions for Delta T",
 *   NASA Five Millennium Canon of Solar Eclipses (NASA/TP-2006-214141), for 1800–1972, and their long-term
 *   parabola −20 + 32·u² (u = (year − 1820)/100) outside that range.
 * Pass `deltaTS` (and `deltaUt1S`) from IERS Bulletin A when a date needs better than that.
 */
/** [first UTC day, TAI − UTC in seconds from that day]. */
const LEAP_SECOND_DATES: readonly (readonly [utcDate: string, taiMinusUtcS: number])[] = [
  ['1972-01-01', 10],
  ['1972-07-01', 11],
  ['1973-01-01', 12],
  ['1974-01-01', 13],
  ['1975-01-01', 14],
  ['1976-01-01', 15],
  ['1977-01-01', 16],
  ['1978-01-01', 17],
  ['1979-01-01', 18],
  ['1980-01-01', 19],
  ['1981-07-01', 20],
  ['1982-07-01', 21],
  ['1983-07-01', 22],
  ['1985-07-01', 23],
  ['1988-01-01', 24],
  ['1990-01-01', 25],
  ['1991-01-01', 26],
  ['1992-07-01', 27],
  ['1993-07-01', 28],
  ['1994-07-01', 29],
  ['1996-01-01', 30],
  ['1997-07-01', 31],
  ['1999-01-01', 32],
  ['2006-01-01', 33],
  ['2009-01-01', 34],
  ['2012-07-01', 35],
  ['2015-07-01', 36],
  ['2017-01-01', 37],
];
const LEAP_SECONDS = LEAP_SECOND_DATES.map(([date, s]) => [Date.parse(`${date}T00:00:00Z`), s] as const);

const TT_MINUS_TAI_S = 32.184;

/** Decimal year as Espenak & Meeus use it: year + (month − 0.5)/12. */
function decimalYear(epochMs: number): number {
  const d = new Date(epochMs);
  return d.getUTCFullYear() + (d.getUTCMonth() + 0.5) / 12;
}

function espenakMeeus(y: number): number {
  if (y >= 1961 && y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y >= 1941 && y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y >= 1920 && y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y >= 1900 && y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y >= 1860 && y < 1900) {
    const t = y - 1860;
    return (
      7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174
    );
  }
  if (y >= 1800 && y < 1860) {
    const t = y - 1800;
    return (
      13.72 -
      0.332447 * t +
      0.0068612 * t ** 2 +
      0.0041116 * t ** 3 -
      0.00037436 * t ** 4 +
      0.0000121272 * t ** 5 -
      0.0000001699 * t ** 6 +
      0.000000000875 * t ** 7
    );
  }
  const u = (y - 1820) / 100;
  return -20 + 32 * u ** 2;
}

/** Default ΔT (TT − UT1) in seconds at an instant; see the module comment for its sources and accuracy. */
export function defaultDeltaTS(epochMs: number): number {
  if (epochMs < LEAP_SECONDS[0][0]) return espenakMeeus(decimalYear(epochMs));
  let taiMinusUtc = LEAP_SECONDS[0][1];
  for (const [fromMs, s] of LEAP_SECONDS) {
    if (epochMs < fromMs) break;
    taiMinusUtc = s;
  }
  return TT_MINUS_TAI_S + taiMinusUtc;
}

/**
 * NREL Solar Position Algorithm (SPA): Reda & Andreas, "Solar Position Algorithm for Solar Radiation
 * Applications", NREL/TP-560-34302 (2003, rev. 2008); Solar Energy 76(5), 577–589 (2004).
 * Implemented step by step from the paper (section 3 and appendix A.2). Uncertainty ±0.0003° for
 * years −2000 to 6000, given the right ΔT.
 */
import { DataError } from '@placetwin/geo';
import { defaultDeltaTS } from './delta-t';
import { B_TERMS, L_TERMS, NUTATION_TERMS, R_TERMS } from './spa-terms';
import { type CalendarDay, type Instant, MS_PER_DAY, solarDayOf, toEpochMs } from './time';

/** Where the Sun is seen from, and the air it is seen through. */
export interface SiteLocation {
  /** Geodetic latitude, degrees, north positive. */
  latDeg: number;
  /** Longitude, degrees, east positive. */
  lonDeg: number;
  /** Height above sea level, metres (default 0). */
  elevationM?: number;
  /** Mean annual local air pressure, hPa (= mbar), for refraction (default 1013.25). */
  pressureHpa?: number;
  /** Mean annual local temperature, °C, for refraction (default 10). */
  temperatureC?: number;
  /** ΔT = TT − UT1 in seconds (default: {@link defaultDeltaTS} of the instant). */
  deltaTS?: number;
  /** UT1 − UTC in seconds, from IERS Bulletin A (default 0; always within ±0.9 s). */
  deltaUt1S?: number;
}

export interface SunPosition {
  /** Topocentric azimuth, degrees clockwise from true north (0–360). */
  azimuthDeg: number;
  /** Topocentric elevation of the Sun's centre without atmospheric refraction, degrees. */
  elevationDeg: number;
  /** Topocentric elevation with refraction at the location's pressure and temperature, degrees. */
  apparentElevationDeg: number;
  /** Topocentric zenith angle, 90° − apparent elevation (the paper's θ), degrees. */
  zenithDeg: number;
}

export interface SunTimes {
  /** When the Sun's upper limb rises (centre at −0.8333° geometric elevation), or null in polar day/night. */
  sunrise: Date | null;
  /** When the Sun crosses the local meridian. */
  transit: Date;
  /** When the upper limb sets, or null in polar day/night. */
  sunset: Date | null;
  /** 'day' if the Sun stays up all day, 'night' if it stays down, null otherwise. */
  polar: 'day' | 'night' | null;
}

export const SUN_POSITION_DEFAULTS = {
  elevationM: 0,
  pressureHpa: 1013.25,
  temperatureC: 10,
  deltaUt1S: 0,
} as const;

/** Geometric altitude of the Sun's centre at sunrise/sunset: refraction 0.5667° + semi-diameter 0.26667°. */
const RISE_SET_ELEVATION_DEG = -0.8333;
/** The paper's limit below which no refraction is applied (the Sun is below the horizon). */
const NO_REFRACTION_BELOW_DEG = -(0.26667 + 0.5667);
const J2000 = 2451545;
const UNIX_EPOCH_JD = 2440587.5;
/** SPA's stated validity: years −2000 to 6000. */
const MIN_MS = Date.UTC(-2000, 0, 1);
const MAX_MS = Date.UTC(6000, 11, 31);

const RAD = Math.PI / 180;
const sin = (deg: number) => Math.sin(deg * RAD);
const cos = (deg: number) => Math.cos(deg * RAD);
const tan = (deg: number) => Math.tan(deg * RAD);
const asinDeg = (x: number) => Math.asin(x) / RAD;
const atan2Deg = (y: number, x: number) => Math.atan2(y, x) / RAD;
const limit360 = (deg: number) => ((deg % 360) + 360) % 360;
const limit180pm = (deg: number) => {
  const d = limit360(deg);
  return d > 180 ? d - 360 : d;
};
const limitZeroToOne = (x: number) => x - Math.floor(x);

function checkLocation(loc: SiteLocation): void {
  const bad = (reason: string): never => {
    throw new DataError('invalid-location', reason);
  };
  if (!Number.isFinite(loc.latDeg) || Math.abs(loc.latDeg) > 90)
    bad(`latitude ${loc.latDeg} is not in −90…90°`);
  if (!Number.isFinite(loc.lonDeg) || Math.abs(loc.lonDeg) > 180)
    bad(`longitude ${loc.lonDeg} is not in −180…180°`);
  const optional: [string, number | undefined][] = [
    ['elevationM', loc.elevationM],
    ['pressureHpa', loc.pressureHpa],
    ['temperatureC', loc.temperatureC],
    ['deltaTS', loc.deltaTS],
    ['deltaUt1S', loc.deltaUt1S],
  ];
  for (const [name, v] of optional)
    if (v !== undefined && !Number.isFinite(v)) bad(`${name} ${v} is not a number`);
  if (loc.pressureHpa !== undefined && loc.pressureHpa < 0) bad(`pressureHpa ${loc.pressureHpa} is negative`);
  if (loc.temperatureC !== undefined && loc.temperatureC <= -273)
    bad(`temperatureC ${loc.temperatureC} is below absolute zero`);
}

/** Σ A·cos(B + C·JME) per power of JME, combined as a polynomial in JME and scaled by 10⁻⁸ (eq. 9–11). */
function earthSeries(terms: typeof L_TERMS, jme: number): number {
  let total = 0;
  for (let i = terms.length - 1; i >= 0; i--) {
    let sum = 0;
    for (const [a, b, c] of terms[i]) sum += a * Math.cos(b + c * jme);
    total = total * jme + sum;
  }
  return total / 1e8;
}

/** Nutation in longitude Δψ and obliquity Δε, degrees (eq. 15–22). */
function nutation(jce: number): { dPsiDeg: number; dEpsDeg: number } {
  const x0 = 297.85036 + 445267.11148 * jce - 0.0019142 * jce ** 2 + jce ** 3 / 189474;
  const x1 = 357.52772 + 35999.05034 * jce - 0.0001603 * jce ** 2 - jce ** 3 / 300000;
  const x2 = 134.96298 + 477198.867398 * jce + 0.0086972 * jce ** 2 + jce ** 3 / 56250;
  const x3 = 93.27191 + 483202.017538 * jce - 0.0036825 * jce ** 2 + jce ** 3 / 327270;
  const x4 = 125.04452 - 1934.136261 * jce + 0.0020708 * jce ** 2 + jce ** 3 / 450000;
  let dPsi = 0;
  let dEps = 0;
  for (const [y0, y1, y2, y3, y4, a, b, c, d] of NUTATION_TERMS) {
    const arg = (x0 * y0 + x1 * y1 + x2 * y2 + x3 * y3 + x4 * y4) * RAD;
    dPsi += (a + b * jce) * Math.sin(arg);
    dEps += (c + d * jce) * Math.cos(arg);
  }
  return { dPsiDeg: dPsi / 36e6, dEpsDeg: dEps / 36e6 };
}

interface Geocentric {
  /** Apparent sidereal time at Greenwich ν, degrees. */
  nuDeg: number;
  /** Geocentric right ascension α and declination δ, degrees. */
  alphaDeg: number;
  deltaDeg: number;
  /** Earth radius vector R, AU. */
  rAu: number;
}

/** Steps 3.1–3.9 of the paper: from Julian (ephemeris) day to the Sun's geocentric α, δ and ν. */
function geocentricSun(jd: number, jde: number): Geocentric {
  const jc = (jd - J2000) / 36525;
  const jce = (jde - J2000) / 36525;
  const jme = jce / 10;

  const lDeg = limit360(earthSeries(L_TERMS, jme) / RAD);
  const bDeg = earthSeries(B_TERMS, jme) / RAD;
  const rAu = earthSeries(R_TERMS, jme);

  const thetaDeg = limit360(lDeg + 180);
  const betaDeg = -bDeg;

  const { dPsiDeg, dEpsDeg } = nutation(jce);
  const u = jme / 10;
  const eps0Arcsec =
    84381.448 +
    u *
      (-4680.93 +
        u *
          (-1.55 +
            u *
              (1999.25 +
                u *
                  (-51.38 +
                    u * (-249.67 + u * (-39.05 + u * (7.12 + u * (27.87 + u * (5.79 + u * 2.45)))))))));
  const epsDeg = eps0Arcsec / 3600 + dEpsDeg;

  const aberrationDeg = -20.4898 / (3600 * rAu);
  const lambdaDeg = thetaDeg + dPsiDeg + aberrationDeg;

  const nu0Deg = limit360(
    280.46061837 + 360.98564736629 * (jd - J2000) + 0.000387933 * jc ** 2 - jc ** 3 / 38710000,
  );
  const nuDeg = nu0Deg + dPsiDeg * cos(epsDeg);

  const alphaDeg = limit360(
    atan2Deg(sin(lambdaDeg) * cos(epsDeg) - tan(betaDeg) * sin(epsDeg), cos(lambdaDeg)),
  );
  const deltaDeg = asinDeg(sin(betaDeg) * cos(epsDeg) + cos(betaDeg) * sin(epsDeg) * sin(lambdaDeg));
  return { nuDeg, alphaDeg, deltaDeg, rAu };
}

/** Atmospheric refraction correction Δe (eq. 42), degrees; none once the Sun is below the horizon. */
function refractionDeg(e0Deg: number, pressureHpa: number, temperatureC: number): number {
  if (e0Deg < NO_REFRACTION_BELOW_DEG) return 0;
  return (
    (pressureHpa / 1010) * (283 / (273 + temperatureC)) * (1.02 / (60 * tan(e0Deg + 10.3 / (e0Deg + 5.11))))
  );
}

const julianDay = (epochMs: number, deltaUt1S: number) =>
  epochMs / MS_PER_DAY + UNIX_EPOCH_JD + deltaUt1S / 86400;

/**
 * Topocentric position of the Sun's centre at an instant (NREL SPA).
 *
 * @example sunPosition('2024-03-21T12:00:00Z', { latDeg: 52.67, lonDeg: -0.73 }).apparentElevationDeg // ≈ 37.4
 */
export function sunPosition(instant: Instant, location: SiteLocation): SunPosition {
  checkLocation(location);
  const epochMs = toEpochMs(instant);
  if (epochMs < MIN_MS || epochMs > MAX_MS)
    throw new DataError(
      'invalid-instant',
      `${new Date(epochMs).toISOString()} is outside SPA's years −2000…6000`,
    );
  const elevationM = location.elevationM ?? SUN_POSITION_DEFAULTS.elevationM;
  const pressureHpa = location.pressureHpa ?? SUN_POSITION_DEFAULTS.pressureHpa;
  const temperatureC = location.temperatureC ?? SUN_POSITION_DEFAULTS.temperatureC;
  const deltaTS = location.deltaTS ?? defaultDeltaTS(epochMs);
  const jd = julianDay(epochMs, location.deltaUt1S ?? SUN_POSITION_DEFAULTS.deltaUt1S);
  const jde = jd + deltaTS / 86400;
  const { nuDeg, alphaDeg, deltaDeg, rAu } = geocentricSun(jd, jde);

  const phi = location.latDeg;
  const hDeg = limit360(nuDeg + location.lonDeg - alphaDeg);

  // Parallax of the Sun for an observer on the ellipsoid at this height (eq. 33–38).
  const xiDeg = 8.794 / (3600 * rAu);
  const uDeg = Math.atan(0.99664719 * tan(phi)) / RAD;
  const x = cos(uDeg) + (elevationM / 6378140) * cos(phi);
  const y = 0.99664719 * sin(uDeg) + (elevationM / 6378140) * sin(phi);
  const denom = cos(deltaDeg) - x * sin(xiDeg) * cos(hDeg);
  const dAlphaDeg = atan2Deg(-x * sin(xiDeg) * sin(hDeg), denom);
  const deltaTopoDeg = atan2Deg((sin(deltaDeg) - y * sin(xiDeg)) * cos(dAlphaDeg), denom);
  const hTopoDeg = hDeg - dAlphaDeg;

  const e0Deg = asinDeg(sin(phi) * sin(deltaTopoDeg) + cos(phi) * cos(deltaTopoDeg) * cos(hTopoDeg));
  const eDeg = e0Deg + refractionDeg(e0Deg, pressureHpa, temperatureC);
  const gammaDeg = atan2Deg(sin(hTopoDeg), cos(hTopoDeg) * sin(phi) - tan(deltaTopoDeg) * cos(phi));
  return {
    azimuthDeg: limit360(gammaDeg + 180),
    elevationDeg: e0Deg,
    apparentElevationDeg: eDeg,
    zenithDeg: 90 - eDeg,
  };
}

/**
 * Sunrise, solar transit and sunset (SPA appendix A.2) on a calendar day, as instants.
 *
 * The day is a `YYYY-MM-DD` date or the local solar day of an instant. The paper limits each event to the
 * UT day (fractions 0…1); here the window is the local mean solar day (0…1 shifted by −longitude/360) so
 * that all three events belong to the same local day at any longitude. In Great Britain the two agree.
 */
export function sunTimes(day: CalendarDay, location: SiteLocation): SunTimes {
  checkLocation(location);
  const { year, month, day: dom } = solarDayOf(day, location.lonDeg);
  const midnightMs = Date.UTC(year, month - 1, dom);
  // Date.UTC maps years 0–99 to 1900–1999; SPA needs the real year.
  const dayStartMs = new Date(midnightMs).setUTCFullYear(year);
  const deltaTS = location.deltaTS ?? defaultDeltaTS(dayStartMs + MS_PER_DAY / 2);
  const jd0 = julianDay(dayStartMs, 0);

  // ν at 0 UT and α, δ at 0 TT of the day before, the day and the day after, all with ΔT = 0.
  const { nuDeg } = geocentricSun(jd0, jd0);
  const [prev, today, next] = [-1, 0, 1].map((k) => geocentricSun(jd0 + k, jd0 + k));
  const sigma = location.lonDeg;
  const phi = location.latDeg;

  const windowStart = -sigma / 360;
  const inWindow = (m: number) => windowStart + limitZeroToOne(m - windowStart);

  const m0 = inWindow((today.alphaDeg - sigma - nuDeg) / 360);
  const cosH0 =
    (sin(RISE_SET_ELEVATION_DEG) - sin(phi) * sin(today.deltaDeg)) / (cos(phi) * cos(today.deltaDeg));
  const polar = cosH0 < -1 ? 'day' : cosH0 > 1 ? 'night' : null;
  const h0Deg = polar ? 0 : Math.acos(cosH0) / RAD;
  const m = [m0, inWindow(m0 - h0Deg / 360), inWindow(m0 + h0Deg / 360)];

  // Interpolated α', δ' and local hour angle H' at each event (eq. A.9–A.13).
  const wrap = (v: number) => (Math.abs(v) >= 2 ? limitZeroToOne(v) : v);
  const aA = wrap(today.alphaDeg - prev.alphaDeg);
  const bA = wrap(next.alphaDeg - today.alphaDeg);
  const aD = wrap(today.deltaDeg - prev.deltaDeg);
  const bD = wrap(next.deltaDeg - today.deltaDeg);
  const events = m.map((mi) => {
    const nuI = nuDeg + 360.985647 * mi;
    const n = mi + deltaTS / 86400;
    const alphaI = today.alphaDeg + (n * (aA + bA + (bA - aA) * n)) / 2;
    const deltaI = today.deltaDeg + (n * (aD + bD + (bD - aD) * n)) / 2;
    const hI = limit180pm(nuI + sigma - alphaI);
    const elevI = asinDeg(sin(phi) * sin(deltaI) + cos(phi) * cos(deltaI) * cos(hI));
    return { hI, deltaI, elevI };
  });

  const transitFrac = m[0] - events[0].hI / 360;
  const riseSet = (i: 1 | 2) =>
    m[i] +
    (events[i].elevI - RISE_SET_ELEVATION_DEG) / (360 * cos(events[i].deltaI) * cos(phi) * sin(events[i].hI));
  const at = (frac: number) => new Date(dayStartMs + frac * MS_PER_DAY);
  return {
    sunrise: polar ? null : at(riseSet(1)),
    transit: at(transitFrac),
    sunset: polar ? null : at(riseSet(2)),
    polar,
  };
}

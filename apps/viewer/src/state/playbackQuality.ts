/**
 * Graceful degradation while presenting a story on a slow laptop: the frame times of the scene decide a quality
 * level, and each level says what the scene gives up (sharpness, shadows, antialiasing, globe lighting, the camera
 * flights between slides). Pure: the scene measures (see scene/PlaybackQuality.tsx), this decides.
 *
 * Hysteresis: a step down needs the median frame over the last 2 s of drawing to be slower than 50 ms (under 20 fps);
 * a step back up needs it faster than 20 ms (over 50 fps) at the reduced level, so that the level does not swing
 * between two settings that sit either side of one threshold. Every change starts a fresh 2 s of evidence.
 */

export interface QualityLevel {
  level: number;
  /** Cesium's `resolutionScale`: 1 draws every CSS pixel, 0.5 a quarter of them. */
  resolutionScale: number;
  /** Sun shadows may be drawn (when the slide asks for them). */
  shadows: boolean;
  /** FXAA antialiasing. */
  fxaa: boolean;
  /** The globe lit by the sun (and the fog with it). */
  lighting: boolean;
  /** Camera flight between slides, seconds; 0 jumps. */
  flightSeconds: number;
}

export const QUALITY_LEVELS: readonly QualityLevel[] = Object.freeze([
  { level: 0, resolutionScale: 1, shadows: true, fxaa: true, lighting: true, flightSeconds: 1.5 },
  { level: 1, resolutionScale: 0.75, shadows: false, fxaa: false, lighting: true, flightSeconds: 0.75 },
  { level: 2, resolutionScale: 0.5, shadows: false, fxaa: false, lighting: false, flightSeconds: 0 },
]);

export const MAX_QUALITY_LEVEL = QUALITY_LEVELS.length - 1;

export interface QualityPolicy {
  /** Median frame slower than this (ms) steps down. */
  slowMs: number;
  /** Median frame faster than this (ms) steps back up. */
  fastMs: number;
  /** Drawing time (sum of frame times, ms) the median is taken over; less than this decides nothing. */
  windowMs: number;
}

export const DEFAULT_QUALITY_POLICY: QualityPolicy = Object.freeze({
  slowMs: 50,
  fastMs: 20,
  windowMs: 2000,
});

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The most recent frame times that add up to at least `windowMs`, or null when they add up to less. */
export function recentWindow(frameMs: readonly number[], windowMs: number): number[] | null {
  let sum = 0;
  for (let i = frameMs.length - 1; i >= 0; i--) {
    sum += frameMs[i];
    if (sum >= windowMs) return frameMs.slice(i);
  }
  return null;
}

/**
 * The next quality level from the frame times measured at the current one (oldest first, ms): one step down when
 * the median of the last `windowMs` of drawing is slower than `slowMs`, one step up when faster than `fastMs`,
 * else (or with less than `windowMs` measured) the same level.
 */
export function nextQualityLevel(
  frameMs: readonly number[],
  level: number,
  policy: QualityPolicy = DEFAULT_QUALITY_POLICY,
): number {
  const current = Math.max(0, Math.min(MAX_QUALITY_LEVEL, Math.round(level)));
  const recent = recentWindow(
    frameMs.filter((t) => Number.isFinite(t) && t >= 0),
    policy.windowMs,
  );
  if (!recent) return current;
  const m = median(recent);
  if (m > policy.slowMs) return Math.min(MAX_QUALITY_LEVEL, current + 1);
  if (m < policy.fastMs) return Math.max(0, current - 1);
  return current;
}

/** The frame time samples worth keeping: enough to cover the window twice over, no more. */
export function trimSamples(frameMs: number[], windowMs: number): number[] {
  let sum = 0;
  for (let i = frameMs.length - 1; i >= 0; i--) {
    sum += frameMs[i];
    if (sum >= 2 * windowMs) return frameMs.slice(i);
  }
  return frameMs;
}

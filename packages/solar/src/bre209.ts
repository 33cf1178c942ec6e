import { DataError } from '@placetwin/geo';
import type { SunHoursGrid } from './sun-hours';

/**
 * BRE Report 209 (3rd edition, 2022), "Site layout planning for daylight and sunlight", section 3.3:
 * a garden or amenity area is adequately sunlit if at least half of it receives at least two hours of
 * sunlight on 21 March. If a development leaves it below that, and the area that receives two hours falls
 * below 0.8 times its former value, the loss of sunlight is likely to be noticeable.
 */
export const BRE209 = { minShare: 0.5, minHours: 2, minRatio: 0.8, date: '03-21' } as const;

/** A sun-hours assessment of the area on 21 March (the result of `sunHoursGrid`). */
export type Bre209Input = Pick<SunHoursGrid, 'date'> & {
  summary: Pick<SunHoursGrid['summary'], 'areaM2' | 'shareAtLeast2h'>;
};

export interface Bre209Options {
  /** What the area is called in the sentence (default "garden"). */
  areaName?: string;
}

export interface Bre209Result {
  /** Share (0–1) of the area with ≥ 2 h of sun: the only assessment, or the one before development. */
  shareBefore: number;
  /** The same after development, or null when only one assessment was given. */
  shareAfter: number | null;
  /** The share that counts (after, or the only one) is at least 50%. */
  meetsTwoHourTest: boolean;
  /** Area with ≥ 2 h after ÷ before; null with one assessment, or when no part had 2 h before. */
  ratio: number | null;
  /** The ratio is at least 0.8 (or there was nothing to lose); null with one assessment. */
  meetsRatioTest: boolean | null;
  /** BRE 209 guidance met: the two-hour test, or failing that (after development) the 0.8 ratio test. */
  meetsGuidance: boolean;
  /** One plain-language sentence for a report or committee. */
  sentence: string;
}

/** Percent for people: never rounds a value that misses a threshold up onto it. */
function percent(share: number, threshold: number): string {
  const whole = Math.round(share * 100);
  if (share < threshold && whole >= threshold * 100) return `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
  return `${whole}%`;
}

function ratioText(ratio: number): string {
  const two = ratio.toFixed(2);
  return ratio < BRE209.minRatio && Number(two) >= BRE209.minRatio
    ? (Math.floor(ratio * 1000) / 1000).toFixed(3)
    : two;
}

function check(a: Bre209Input, which: string): void {
  if (a.date.slice(5) !== BRE209.date)
    throw new DataError(
      'not-21-march',
      `the ${which} assessment is for ${a.date}; BRE 209 gardens are assessed on 21 March`,
    );
  const s = a.summary.shareAtLeast2h;
  if (!(s >= 0 && s <= 1)) throw new DataError('invalid-share', `the ${which} share ${s} is not in 0…1`);
}

/**
 * BRE 209 sunlight test for a garden or open space: one assessment, or a before/after pair for a development.
 *
 * @example bre209Amenity(sunHoursGrid({ area: garden, date: '2024-03-21', ... })).sentence
 *   // "Meets BRE 209 guidance: 64% of the garden receives at least 2 hours of sunlight on 21 March."
 */
export function bre209Amenity(
  before: Bre209Input,
  after?: Bre209Input,
  options: Bre209Options = {},
): Bre209Result {
  const name = options.areaName ?? 'garden';
  check(before, after ? 'before' : 'only');
  const shareBefore = before.summary.shareAtLeast2h;
  const lit = ` of the ${name} receives at least 2 hours of sunlight on 21 March`;
  if (!after) {
    const meets = shareBefore >= BRE209.minShare;
    return {
      shareBefore,
      shareAfter: null,
      meetsTwoHourTest: meets,
      ratio: null,
      meetsRatioTest: null,
      meetsGuidance: meets,
      sentence: meets
        ? `Meets BRE 209 guidance: ${percent(shareBefore, BRE209.minShare)}${lit}.`
        : `Does not meet BRE 209 guidance: only ${percent(shareBefore, BRE209.minShare)}${lit} (at least 50% recommended).`,
    };
  }
  check(after, 'after');
  const shareAfter = after.summary.shareAtLeast2h;
  const litBefore = before.summary.areaM2 * shareBefore;
  const litAfter = after.summary.areaM2 * shareAfter;
  const ratio = litBefore > 0 ? litAfter / litBefore : null;
  const meetsTwoHourTest = shareAfter >= BRE209.minShare;
  const meetsRatioTest = ratio === null ? true : ratio >= BRE209.minRatio;
  const meetsGuidance = meetsTwoHourTest || meetsRatioTest;
  const pAfter = percent(shareAfter, BRE209.minShare);
  const pBefore = percent(shareBefore, BRE209.minShare);
  const r = ratio === null ? '' : ratioText(ratio);
  let sentence: string;
  if (meetsTwoHourTest)
    sentence = `Meets BRE 209 guidance: with the development ${pAfter}${lit} (${pBefore} before).`;
  else if (meetsRatioTest)
    sentence =
      ratio === null
        ? `Meets BRE 209 guidance: ${pAfter}${lit} with the development, and none did before, so no sunlight is lost.`
        : `Meets BRE 209 guidance: with the development ${pAfter}${lit}, below 50%, but the sunlit area is ${r} times its former value (${pBefore} before), so the loss is unlikely to be noticeable.`;
  else
    sentence = `Does not meet BRE 209 guidance: with the development only ${pAfter}${lit}, and the sunlit area falls to ${r} times its former value (${pBefore} before; below 0.8), so the loss of sunlight is likely to be noticeable.`;
  return { shareBefore, shareAfter, meetsTwoHourTest, ratio, meetsRatioTest, meetsGuidance, sentence };
}

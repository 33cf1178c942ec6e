/**
 * Numbers as people read them in a committee paper: grouped thousands, a true minus sign, a unit after a space,
 * and a word saying how the number was obtained. Every figure in the energy and carbon panels goes through here.
 */

import type { Basis } from '@placetwin/carbon';

/** How a number was obtained: read off a meter, computed by a model, or a stated assumption. */
export type { Basis };

export const BASIS_WORDS: Record<Basis, { label: string; meaning: string }> = {
  measured: { label: 'measured', meaning: 'read from meters or records' },
  modelled: { label: 'modelled', meaning: 'computed by the model from its inputs' },
  assumed: { label: 'assumed', meaning: 'rests on a stated assumption (benchmark, default or projection)' },
};

const formatters = new Map<number, Intl.NumberFormat>();
function formatter(digits: number): Intl.NumberFormat {
  let f = formatters.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(digits, f);
  }
  return f;
}

/** `1,234.5`, with U+2212 for negatives, and −0 shown as 0. */
export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  const text = formatter(digits).format(Math.abs(value));
  const zero = Number(text.replaceAll(',', '')) === 0;
  return value < 0 && !zero ? `\u2212${text}` : text;
}

/** `3.3 kW`: a number and its unit (a non-breaking space keeps them on one line). */
export const formatQuantity = (value: number, unit: string, digits = 0): string =>
  `${formatNumber(value, digits)}\u00a0${unit}`;

/** `+10.6 kg`: a difference, always signed. */
export function formatSigned(value: number, unit: string, digits = 0): string {
  const text = formatNumber(value, digits);
  const zero = Number(formatter(digits).format(Math.abs(value)).replaceAll(',', '')) === 0;
  return `${value > 0 && !zero ? '+' : ''}${text}\u00a0${unit}`;
}

/**
 * Digits that keep about three significant figures for a figure of this size (1,234 → 0; 12.3 → 1; 1.23 → 2):
 * the models' inputs are benchmarks, so more would be false precision.
 */
export function sensibleDigits(value: number): number {
  const a = Math.abs(value);
  if (a >= 100 || a === 0) return 0;
  if (a >= 10) return 1;
  return 2;
}

/** tCO2e with a size-appropriate unit: `90.6 ktCO2e/yr` rather than `90,607 tCO2e/yr`. */
export function formatTonnes(tonnes: number, perYear = true): string {
  const suffix = perYear ? '/yr' : '';
  if (Math.abs(tonnes) >= 10_000) return formatQuantity(tonnes / 1000, `ktCO2e${suffix}`, 1);
  return formatQuantity(tonnes, `tCO2e${suffix}`, sensibleDigits(tonnes));
}

/** A signed difference of tCO2e in the same units as formatTonnes: `−48.2 ktCO2e/yr`. */
export function formatTonnesSigned(tonnes: number, perYear = true): string {
  const suffix = perYear ? '/yr' : '';
  if (Math.abs(tonnes) >= 10_000) return formatSigned(tonnes / 1000, `ktCO2e${suffix}`, 1);
  return formatSigned(tonnes, `tCO2e${suffix}`, sensibleDigits(tonnes));
}

/** A share 0–1 as `35%`. */
export const formatShare = (share: number, digits = 0): string => `${formatNumber(share * 100, digits)}%`;

import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  formatQuantity,
  formatShare,
  formatSigned,
  formatTonnes,
  formatTonnesSigned,
  sensibleDigits,
} from './format';

describe('numbers for a committee paper', () => {
  it('groups thousands, uses a true minus sign and never shows −0', () => {
    expect(formatNumber(90607.356)).toBe('90,607');
    expect(formatNumber(-1234.56, 1)).toBe('\u22121,234.6');
    expect(formatNumber(-0.04, 1)).toBe('0.0');
    expect(formatNumber(Number.NaN)).toBe('–');
  });

  it('keeps a number and its unit together, and signs differences', () => {
    expect(formatQuantity(3.27, 'kW', 1)).toBe('3.3\u00a0kW');
    expect(formatSigned(10.64, 'kg', 1)).toBe('+10.6\u00a0kg');
    expect(formatSigned(-10.64, 'kg', 1)).toBe('\u221210.6\u00a0kg');
    expect(formatSigned(0.001, 'kg', 1)).toBe('0.0\u00a0kg');
  });

  it('writes large tonnages in kilotonnes, with about three significant figures', () => {
    expect(formatTonnes(90607)).toBe('90.6\u00a0ktCO2e/yr');
    expect(formatTonnes(2345.6)).toBe('2,346\u00a0tCO2e/yr');
    expect(formatTonnes(3.456, false)).toBe('3.46\u00a0tCO2e');
    expect([sensibleDigits(0), sensibleDigits(5), sensibleDigits(55), sensibleDigits(555)]).toEqual([
      0, 2, 1, 0,
    ]);
    expect(formatShare(0.35)).toBe('35%');
    expect(formatTonnesSigned(-48_232)).toBe('\u221248.2\u00a0ktCO2e/yr');
    expect(formatTonnesSigned(120.4, false)).toBe('+120\u00a0tCO2e');
  });
});

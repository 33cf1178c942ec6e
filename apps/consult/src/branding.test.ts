import { describe, expect, it } from 'vitest';
import { brandCss, contrastRatio, textColourOn } from './branding';

describe('council colours', () => {
  it('measures contrast as WCAG 2.2 does', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    // WebAIM's checker gives 4.54:1 for #767676 on white, the lightest grey that passes AA.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it('picks black or white header text that passes AA on any colour', () => {
    expect(textColourOn('#1d70b8')).toBe('#ffffff');
    expect(textColourOn('#ffdd00')).toBe('#000000');
    // Every grey, and a spread of hues: the better of black and white always reaches 4.5:1.
    for (let v = 0; v < 256; v += 5) {
      for (const hex of [
        `#${v.toString(16).padStart(2, '0').repeat(3)}`,
        `#${v.toString(16).padStart(2, '0')}80ff`,
      ]) {
        expect(contrastRatio(hex, textColourOn(hex)), hex).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('writes only the colours an area set, as custom properties', () => {
    expect(brandCss({})).toBe('');
    const css = brandCss({ primary: '#00703c' });
    expect(css).toContain('--app-brand-primary: #00703c;');
    expect(css).toContain('--app-brand-on-primary: #ffffff;');
    expect(css).not.toContain('secondary');
  });
});

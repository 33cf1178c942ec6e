import { describe, expect, it } from 'vitest';
import type { ReportSunHours } from './solar-store';
import { carbonLine, SUN_HOURS_METHOD, sunHoursLines } from './story-report';

/** A result on BRE 209's day, before and after a scenario; each case changes what it tests. */
const result = (over: Partial<Extract<ReportSunHours, { status: 'done' }>> = {}): ReportSunHours => ({
  status: 'done',
  areaName: 'garden',
  date: '2025-03-21',
  cellSizeM: 1,
  stepMinutes: 10,
  areaM2: 1234.4,
  shareBefore: 0.725,
  shareAfter: 0.3449,
  ratio: 0.4757,
  scenario: { id: 3, name: 'Option A', version: 4 },
  bre209: { meetsGuidance: false, meetsTwoHourTest: false, meetsRatioTest: false },
  sentence: '…',
  ...over,
});

describe('sunHoursLines', () => {
  it('prints the day, the 2-hour threshold, both shares in whole percent, the ratio and the verdict', () => {
    const { heading, lines } = sunHoursLines(result());
    expect(heading).toBe('Sun on the garden (BRE 209)');
    expect(lines[0]).toBe(
      'Day: 21 March 2025. Threshold: at least 2 hours of direct sun. Grid 1 m, every 10 min; 1,234 m² of open ground.',
    );
    // 0.725 → 73% (half up), 0.3449 → 34%.
    expect(lines[1]).toBe(
      'Area with at least 2 hours: 73% before, 34% after (scenario "Option A", version 4).',
    );
    expect(lines[2]).toBe('Sunlit area after ÷ before: 0.48 (BRE 209: at least 0.80).');
    expect(lines[3]).toMatch(/^BRE 209: FAIL\. Less than half .* below 0\.8 times its former value\.$/);
    expect(lines.at(-1)).toBe(SUN_HOURS_METHOD);
  });

  it('says why it passes: half the area still sunlit, or the sunlit area kept at 0.8 or more', () => {
    const twoHours = sunHoursLines(
      result({
        shareAfter: 0.55,
        ratio: 0.76,
        bre209: { meetsGuidance: true, meetsTwoHourTest: true, meetsRatioTest: false },
      }),
    );
    expect(twoHours.lines[3]).toMatch(/^BRE 209: PASS\. At least half of the garden gets 2 hours/);
    const ratio = sunHoursLines(
      result({
        shareBefore: 0.4,
        shareAfter: 0.36,
        ratio: 0.9,
        bre209: { meetsGuidance: true, meetsTwoHourTest: false, meetsRatioTest: true },
      }),
    );
    expect(ratio.lines[2]).toBe('Sunlit area after ÷ before: 0.90 (BRE 209: at least 0.80).');
    expect(ratio.lines[3]).toMatch(
      /^BRE 209: PASS\. Less than half .* at least 0\.8 times its former value\.$/,
    );
  });

  it('without a scenario: one share, no ratio; off 21 March: not assessed', () => {
    const alone = sunHoursLines(
      result({
        scenario: null,
        shareBefore: null,
        ratio: null,
        shareAfter: 0.2,
        bre209: { meetsGuidance: false, meetsTwoHourTest: false, meetsRatioTest: null },
      }),
    );
    expect(alone.lines[1]).toBe('Area with at least 2 hours: 20% (the city as it is; no scenario compared).');
    expect(alone.lines.some((l) => l.includes('÷'))).toBe(false);
    expect(alone.lines[2]).toBe(
      'BRE 209: FAIL. Less than half of the garden gets 2 hours of sun on 21 March.',
    );
    const summer = sunHoursLines(result({ date: '2025-06-21', bre209: null }));
    expect(summer.lines).toContain(
      'BRE 209: not assessed. Its garden test is made for 21 March, not 21 June 2025.',
    );
  });

  it('no ratio when nothing had 2 hours before', () => {
    const { lines } = sunHoursLines(result({ shareBefore: 0, shareAfter: 0, ratio: null }));
    expect(lines[2]).toBe('Sunlit area after ÷ before: no ratio, as no part had 2 hours before.');
  });

  it('a result not ready or failed says so, and nothing else', () => {
    const pending = sunHoursLines({
      status: 'pending',
      areaName: 'yard',
      date: '2025-03-21',
      detail: 'still going',
    });
    expect(pending).toEqual({
      heading: 'Sun on the yard (BRE 209)',
      lines: ['Sun-hours on 21 March 2025 not ready: still going'],
    });
    const failed = sunHoursLines({
      status: 'failed',
      areaName: 'yard',
      date: '2025-03-21',
      detail: 'no scenario 9',
    });
    expect(failed.lines[0]).toContain('could not be computed: no scenario 9');
  });
});

describe('the carbon sentence of a slide', () => {
  const c = {
    completionYear: 2030,
    embodiedT: 1400,
    annualT: 30.4,
    annualYear: 2035,
    cumulativeT: 1900,
    endYear: 2050,
    vehicleKm: 120_000,
    basis: 'assumed',
    sources: [],
  };
  it('gives the buildings in use as heating and electricity when it has both', () => {
    const line = carbonLine({ ...c, heatingT: 21.95, electricityT: 0 });
    expect(line).toBe(
      "Carbon of the development (assumed, complete in 2030): 1,400 tCO2e embodied; +30 tCO2e a year in 2035 from its buildings in use (heating +22 tCO2e, electricity +0 tCO2e) and its homes' car traffic (120,000 vehicle-km a year); +1,900 tCO2e to 2050 in all.",
    );
    expect(carbonLine(c)).not.toContain('heating');
  });
});

/**
 * The Welsh and English catalogues are complete and consistent: the same keys, every message valid ICU in its
 * language, the same placeholders (a Welsh message that dropped `{time}` would hide the closing time), plural
 * messages with the `other` form ICU falls back to, nothing empty, and Welsh that is not the English copied.
 */
import { checkComment } from '@placetwin/db';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { ukDate, ukDateTime, ukTime } from '../format';
import { characterCountTexts, commentErrorText } from '../language';
import { CATALOGUES, LOCALES, type MessageKey, translate } from '.';

const keys = (lang: 'en' | 'cy') => Object.keys(CATALOGUES[lang]).sort();

interface Shape {
  args: Set<string>;
  plurals: string[][];
}

/** The placeholders a message uses and the forms of each plural in it (from intl-messageformat's parse). */
function shape(source: string, locale: string): Shape {
  const out: Shape = { args: new Set(), plurals: [] };
  const walk = (elements: unknown[]) => {
    for (const el of elements as {
      type: number;
      value?: unknown;
      options?: Record<string, { value: unknown[] }>;
    }[]) {
      // 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural (intl-messageformat's TYPE).
      if (el.type >= 1 && el.type <= 6 && typeof el.value === 'string') out.args.add(el.value);
      if (el.options) {
        if (el.type === 6) out.plurals.push(Object.keys(el.options));
        for (const option of Object.values(el.options)) walk(option.value);
      }
    }
  };
  walk(new IntlMessageFormat(source, locale, undefined, { ignoreTag: true }).getAst());
  return out;
}

/** The same message in both languages may only be a pattern of values with no words of its own. */
const SAME_IN_BOTH: MessageKey[] = ['page.title', 'comments.count', 'change.size'];

describe('the Welsh and English catalogues', () => {
  it('have the same keys', () => {
    expect(keys('cy')).toEqual(keys('en'));
    expect(keys('en').length).toBeGreaterThan(150);
  });

  it('have no empty message, and space around a message only where the other language has it too', () => {
    for (const key of keys('en') as MessageKey[]) {
      for (const lang of ['en', 'cy'] as const)
        expect(CATALOGUES[lang][key].trim(), `${lang} ${key}`).not.toBe('');
      const edges = (s: string) => [/^\s/.test(s), /\s$/.test(s)];
      expect(edges(CATALOGUES.cy[key]), key).toEqual(edges(CATALOGUES.en[key]));
    }
  });

  it('use the same placeholders in both languages, and each plural has its `other` form', () => {
    for (const key of keys('en') as MessageKey[]) {
      const en = shape(CATALOGUES.en[key], LOCALES.en);
      const cy = shape(CATALOGUES.cy[key], LOCALES.cy);
      expect([...cy.args].sort(), key).toEqual([...en.args].sort());
      for (const forms of [...en.plurals, ...cy.plurals]) expect(forms, key).toContain('other');
    }
  });

  it('give Welsh of their own, not the English copied (apart from patterns with no words)', () => {
    const same = (keys('en') as MessageKey[]).filter((k) => CATALOGUES.en[k] === CATALOGUES.cy[k]);
    expect(same.sort()).toEqual([...SAME_IN_BOTH].sort());
  });

  it('format every message with values in both languages, each plural form included', () => {
    for (const key of keys('en') as MessageKey[]) {
      const { args } = shape(CATALOGUES.en[key], LOCALES.en);
      for (const lang of ['en', 'cy'] as const) {
        // Numbers that fall in each of Welsh's six plural forms: 0 zero, 1 one, 2 two, 3 few, 6 many, 4 other.
        for (const n of [0, 1, 2, 3, 4, 6, 1234]) {
          const values = Object.fromEntries(
            [...args].map((a) => [a, a === 'n' || a === 'max' ? n : `«${a}»`]),
          );
          const text = translate(lang, key, values);
          expect(text, `${lang} ${key}`).not.toMatch(/\{|\}/);
          for (const a of args)
            if (a !== 'n' && a !== 'max') expect(text, `${lang} ${key}`).toContain(`«${a}»`);
        }
      }
    }
  });
});

describe('numbers, dates and times per language', () => {
  it('name the month and the time of day in Welsh (Node’s ICU has cy), and keep GOV.UK English style', () => {
    // 22:59 UTC on 31 March 2026 is 11:59pm British Summer Time.
    const iso = '2026-03-31T22:59:00Z';
    expect(ukDate(iso, 'en')).toBe('31 March 2026');
    expect(ukDate(iso, 'cy')).toBe('31 Mawrth 2026');
    expect(ukTime(iso, 'cy')).toBe('11:59yh');
    expect(ukDateTime(iso, 'cy')).toBe('11:59yh ar 31 Mawrth 2026');
    expect(ukDateTime('2026-07-01T11:00:00Z', 'cy')).toBe('hanner dydd ar 1 Gorffennaf 2026');
    expect(ukDate('2026-12-25T12:00:00Z', 'cy')).toBe('25 Rhagfyr 2026');
  });

  it('pick Welsh plural forms by the number and group thousands', () => {
    expect(translate('cy', 'comments.published', { n: 0 })).toBe(
      'Nid oes unrhyw sylwadau wedi’u cyhoeddi eto.',
    );
    expect(translate('cy', 'comments.published', { n: 1 })).toBe('Mae 1 sylw wedi’i gyhoeddi.');
    expect(translate('cy', 'comments.published', { n: 1500 })).toBe('Mae 1,500 o sylwadau wedi’u cyhoeddi.');
    expect(translate('en', 'comments.published', { n: 1500 })).toBe('1,500 comments have been published.');
  });

  it('give GOV.UK Frontend’s character count a message for each of Welsh’s six plural forms', () => {
    const cy = characterCountTexts('cy');
    expect(Object.keys(cy.charactersUnderLimitText).sort()).toEqual([
      'few',
      'many',
      'one',
      'other',
      'two',
      'zero',
    ]);
    expect(Object.keys(characterCountTexts('en').charactersUnderLimitText).sort()).toEqual(['one', 'other']);
    for (const text of Object.values(cy.charactersUnderLimitText)) expect(text).toContain('%{count}');
  });
});

describe('comment errors', () => {
  it('say in English exactly what the API says, and in Welsh something else, for every rule', () => {
    const bad = checkComment({ name: 'x'.repeat(101), email: 'not an email', category: 'maybe', text: '' });
    const tooLong = checkComment({
      anonymous: true,
      email: `${'a'.repeat(250)}@example.com`,
      category: 'support',
      text: 'x'.repeat(2001),
    });
    const missing = checkComment({ category: 'support', text: 'Hi' });
    const errors = [bad, tooLong, missing].flatMap((r) => (r.ok ? [] : r.errors));
    expect(new Set(errors.map((e) => e.field))).toEqual(new Set(['name', 'email', 'category', 'text']));
    expect(errors.length).toBeGreaterThanOrEqual(6);
    for (const e of errors) {
      expect(commentErrorText(e, 'en')).toBe(e.message);
      expect(commentErrorText(e, 'cy')).not.toBe(e.message);
    }
  });
});

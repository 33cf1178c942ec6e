/**
 * Message catalogues for the consultation site (English and Welsh) and the formatting of numbers and dates per
 * language. Messages are ICU MessageFormat, formatted by intl-messageformat: Welsh has six plural forms (zero,
 * one, two, few, many, other), which the ICU plural rules in Node and browsers pick; a hand-written catalogue
 * would have to reimplement that.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { cy } from './cy';
import { type Catalogue, en, type MessageKey } from './en';

export type Lang = 'en' | 'cy';
export type { Catalogue, MessageKey };
export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { en, cy };
/** The locale Intl formats with: UK English, and Welsh as written in the UK (Node's full ICU has `cy`). */
export const LOCALES: Readonly<Record<Lang, string>> = { en: 'en-GB', cy: 'cy-GB' };

export type MessageValues = Record<string, string | number>;
export type Translate = (key: MessageKey, values?: MessageValues) => string;

const compiled = new Map<string, IntlMessageFormat>();

/** The message `key` in `lang`, with its values put in (numbers formatted for the language). */
export function translate(lang: Lang, key: MessageKey, values?: MessageValues): string {
  const id = `${lang}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    const source = CATALOGUES[lang][key];
    if (typeof source !== 'string') throw new Error(`no ${lang} message "${key}"`);
    f = new IntlMessageFormat(source, LOCALES[lang], undefined, { ignoreTag: true });
    compiled.set(id, f);
  }
  const out = f.format(values);
  return Array.isArray(out) ? out.join('') : String(out);
}

export const translator =
  (lang: Lang): Translate =>
  (key, values) =>
    translate(lang, key, values);

export const isLang = (v: unknown): v is Lang => v === 'en' || v === 'cy';

/**
 * The words a message has of its own (its literal text, not the values put in), e.g. to check that none of the
 * English shows on a Welsh page.
 */
export function messageLiterals(lang: Lang, key: MessageKey): string[] {
  const out: string[] = [];
  const walk = (elements: unknown[]) => {
    for (const el of elements as {
      type: number;
      value?: unknown;
      options?: Record<string, { value: unknown[] }>;
    }[]) {
      // intl-messageformat's TYPE.literal is 0; plurals and selects hold further elements in their options.
      if (el.type === 0 && typeof el.value === 'string') out.push(el.value);
      if (el.options) for (const o of Object.values(el.options)) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(CATALOGUES[lang][key], LOCALES[lang], undefined, { ignoreTag: true }).getAst());
  return out;
}

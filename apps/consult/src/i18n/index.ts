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

/**
 * Which language a public page is in, and keeping it: the language is in the address (`?lang=cy`), carried by
 * every link and form of the site, so the choice is remembered without a cookie of any kind (and without
 * consent). An area lists its languages in `areas.languages`, the first its default; an address without `lang`,
 * or with one the area does not offer, is in the default. Only areas with both languages show the toggle.
 */
import { COMMENT_LIMITS, type CommentFieldError } from '@placetwin/db';
import { isLang, type Lang, LOCALES, type MessageKey, translate } from './i18n';

/** The language a page is shown in: the one asked for in `?lang=` when the area offers it, else its default. */
export function pageLanguage(query: unknown, languages: readonly Lang[]): Lang {
  const asked = (query as { lang?: unknown } | undefined)?.lang;
  return isLang(asked) && languages.includes(asked) ? asked : (languages[0] ?? 'en');
}

/** A link within the site that keeps the page's language (nothing added for the area's default language). */
export function withLang(href: string, lang: Lang, languages: readonly Lang[]): string {
  if (lang === (languages[0] ?? 'en')) return href;
  const url = new URL(href, 'http://site.invalid');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}${url.hash}`;
}

const NAMES: Record<Lang, string> = { en: 'English', cy: 'Cymraeg' };
const TO: Record<Lang, MessageKey> = { en: 'chrome.toEnglish', cy: 'chrome.toWelsh' };

/**
 * GOV.UK Frontend's language navigation for the page at `url` (each language named in itself, with `lang` and
 * `hreflang`, and the link's purpose, visually hidden, in the language it leads to), or null when the area has one
 * language.
 */
export function languageLinks(url: string, lang: Lang, languages: readonly Lang[]) {
  if (languages.length < 2) return null;
  return {
    ariaLabel: translate(lang, 'chrome.languageNav'),
    items: languages.map((l) => {
      if (l === lang) return { text: NAMES[l], lang: l, current: true };
      const target = new URL(url, 'http://site.invalid');
      target.searchParams.set('lang', l);
      return {
        text: NAMES[l],
        lang: l,
        href: `${target.pathname}${target.search}`,
        languageDescriptionText: translate(l, TO[l]),
      };
    }),
  };
}

/** A number that falls in each plural category of the language (ICU plural rules). */
const pluralSamples = (lang: Lang): Record<string, number> => {
  const rules = new Intl.PluralRules(LOCALES[lang]);
  const out: Record<string, number> = {};
  for (
    let n = 0;
    n <= 1000 && Object.keys(out).length < rules.resolvedOptions().pluralCategories.length;
    n++
  ) {
    const category = rules.select(n);
    if (!(category in out)) out[category] = n;
  }
  return out;
};

/**
 * GOV.UK Frontend's character count messages in the page's language: one per plural category of the language
 * (Welsh has six), with its `%{count}` placeholder.
 */
export function characterCountTexts(lang: Lang) {
  const forms = (key: MessageKey) =>
    Object.fromEntries(
      Object.entries(pluralSamples(lang)).map(([category, n]) => [
        category,
        translate(lang, key, { n, count: '%{count}' }),
      ]),
    );
  return {
    textareaDescriptionText: translate(lang, 'count.description', { count: '%{count}' }),
    charactersUnderLimitText: forms('count.under'),
    charactersAtLimitText: translate(lang, 'count.at'),
    charactersOverLimitText: forms('count.over'),
  };
}

/**
 * A problem with a comment (from `@placetwin/db`'s `checkComment`, which words it in English for the JSON API)
 * in the page's language. Each rule there has a message here; one not known is shown as it came.
 */
export function commentErrorText(e: CommentFieldError, lang: Lang): string {
  const L = COMMENT_LIMITS;
  const m = e.message;
  const key = ((): [MessageKey, Record<string, number>?] | null => {
    switch (e.field) {
      case 'name':
        return m.startsWith('Name must be')
          ? ['error.name.tooLong', { max: L.nameMax }]
          : ['error.name.missing'];
      case 'email':
        return m.startsWith('Email address must be')
          ? ['error.email.tooLong', { max: L.emailMax }]
          : ['error.email.format'];
      case 'category':
        return ['error.category.missing'];
      case 'text':
        return m.startsWith('Comment must be')
          ? ['error.text.tooLong', { max: L.textMax }]
          : ['error.text.missing'];
      case 'point':
        if (m.startsWith('Select a place')) return ['error.point.unknown'];
        if (m.includes('must be in the area')) return ['error.point.outside'];
        return ['error.point.invalid'];
      default:
        return null;
    }
  })();
  return key ? translate(lang, key[0], key[1]) : m;
}

/**
 * Plain English for residents: dates in UK time the GOV.UK way ("31 March 2026", "11:59pm"), numbers with
 * thousands separators, and a consultation's key facts as sentences. Pure functions, so the pages, the text-only
 * version and tests all say the same thing.
 */
import type { ConsultationFacts, FactFigures } from '@placetwin/db';
import type { UseClass } from '@placetwin/importers';
import type { Change } from '@placetwin/scenario';
import { type Lang, LOCALES, type MessageKey, translate } from './i18n';

const UK = 'Europe/London';

/** "31 March 2026" (GOV.UK style guide: no ordinal, no leading zero), in UK time; "31 Mawrth 2026" in Welsh. */
export function ukDate(iso: string, lang: Lang = 'en'): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: UK,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso));
}

/**
 * "11:59pm", "9am", "midday", "midnight" (GOV.UK style guide), in UK time; in Welsh "11:59yh", "9yb", "hanner
 * dydd", "hanner nos".
 */
export function ukTime(iso: string, lang: Lang = 'en'): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: UK,
    hour: 'numeric',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(iso));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  if (minute === 0 && hour === 12) return translate(lang, 'time.midday');
  if (minute === 0 && (hour === 0 || hour === 24)) return translate(lang, 'time.midnight');
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 || hour === 24 ? 'time.am' : 'time.pm';
  return translate(lang, suffix, {
    time: minute === 0 ? `${h12}` : `${h12}:${String(minute).padStart(2, '0')}`,
  });
}

/** "11:59pm on 31 March 2026"; "11:59yh ar 31 Mawrth 2026" */
export const ukDateTime = (iso: string, lang: Lang = 'en'): string =>
  translate(lang, 'time.dateTime', { time: ukTime(iso, lang), date: ukDate(iso, lang) });

const wholes = {
  en: new Intl.NumberFormat(LOCALES.en, { maximumFractionDigits: 0 }),
  cy: new Intl.NumberFormat(LOCALES.cy, { maximumFractionDigits: 0 }),
};
export const formatNumber = (n: number, lang: Lang = 'en'): string => wholes[lang].format(n);

/** "1 building", "3 buildings" */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/** Paragraphs of text someone typed: split on blank lines, single line breaks kept as spaces. */
export const paragraphs = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);

/** One row of the key facts: what, and what it will be (with today's figure where one applies). */
export interface FactRow {
  key: string;
  value: string;
}

const compare = (lang: Lang, after: string, before: string, same: boolean): string =>
  same ? translate(lang, 'fact.noChange', { after }) : translate(lang, 'fact.compared', { after, before });

/** Rounded to a sensible precision for a resident: estimates are not exact. */
const roundEstimate = (n: number): number => (n >= 100 ? Math.round(n / 10) * 10 : Math.round(n));

function figureRows(before: FactFigures, after: FactFigures, lang: Lang): FactRow[] {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  const homesA = roundEstimate(after.homes);
  const homesB = roundEstimate(before.homes);
  const jobsA = roundEstimate(after.jobs);
  const jobsB = roundEstimate(before.jobs);
  const floorA = roundEstimate(after.floorAreaM2);
  const floorB = roundEstimate(before.floorAreaM2);
  const tallA = Math.round(after.maxHeightM);
  const tallB = Math.round(before.maxHeightM);
  return [
    {
      key: t('fact.homes'),
      value: compare(
        lang,
        t('fact.homesValue', { n: homesA }),
        formatNumber(homesB, lang),
        homesA === homesB,
      ),
    },
    {
      key: t('fact.jobs'),
      value: compare(lang, t('fact.jobsValue', { n: jobsA }), formatNumber(jobsB, lang), jobsA === jobsB),
    },
    {
      key: t('fact.floor'),
      value: compare(
        lang,
        t('fact.floorValue', { n: floorA }),
        formatNumber(floorB, lang),
        floorA === floorB,
      ),
    },
    {
      key: t('fact.tallest'),
      value: compare(
        lang,
        t('fact.tallValue', { n: tallA }),
        t('fact.metres', { n: tallB }),
        tallA === tallB,
      ),
    },
  ];
}

/**
 * The key facts of a proposal as rows of plain English (or Welsh). Homes and jobs are estimates from floor area
 * (the scenario package's stated ratios), and say so.
 */
export function factRows(f: ConsultationFacts, lang: Lang = 'en'): FactRow[] {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  const changes: FactRow[] = [
    {
      key: t('fact.newBuildings'),
      value: f.buildingsAdded ? t('fact.newBuildingsValue', { n: f.buildingsAdded }) : t('fact.none'),
    },
    {
      key: t('fact.changed'),
      value: f.buildingsChanged ? t('fact.changedValue', { n: f.buildingsChanged }) : t('fact.none'),
    },
    {
      key: t('fact.demolished'),
      value: f.buildingsDemolished ? t('fact.buildings', { n: f.buildingsDemolished }) : t('fact.none'),
    },
  ];
  const area: FactRow = {
    key: t('fact.area'),
    value:
      f.studyArea === 'site' && f.studyAreaM2 !== null
        ? t('fact.areaSite', { area: formatHectares(f.studyAreaM2, lang) })
        : t('fact.areaWhole'),
  };
  return [...changes, ...figureRows(f.before, f.after, lang), area];
}

/** "0.6 hectares" (one decimal below 10 ha, whole above). */
export function formatHectares(m2: number, lang: Lang = 'en'): string {
  const ha = m2 / 10_000;
  const text =
    ha < 10
      ? new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
          ha,
        )
      : formatNumber(ha, lang);
  return translate(lang, 'unit.hectares', { n: text === '1.0' ? 1 : 2, text });
}

/** Words for a use class, as a resident would say it (null: the use is not known). */
const USE_KEYS: Record<UseClass, MessageKey | null> = {
  residential: 'use.residential',
  commercial: 'use.commercial',
  retail: 'use.retail',
  industrial: 'use.industrial',
  education: 'use.education',
  healthcare: 'use.healthcare',
  religious: 'use.religious',
  civic: 'use.civic',
  agricultural: 'use.agricultural',
  outbuilding: 'use.outbuilding',
  unknown: null,
};
const useWords = (use: UseClass | undefined, lang: Lang) => {
  const key = use ? USE_KEYS[use] : null;
  return key ? translate(lang, key) : null;
};

/** The name people know a building by, else a plain description of it. */
export type BuildingNames = ReadonlyMap<string, string | null>;

export const buildingLabel = (
  id: string,
  names: BuildingNames,
  given?: string | null,
  lang: Lang = 'en',
): string => {
  const name = given ?? names.get(id) ?? null;
  if (name) return name;
  return id.startsWith('new/')
    ? translate(lang, 'building.new', { ref: id.slice(4) })
    : translate(lang, 'building.ref', { ref: id.split(':').slice(1).join(':') });
};

/**
 * Each change of the proposal as a sentence, for the text-only version: what is built, changed or demolished,
 * with heights and storeys as the planner entered them.
 */
export function describeChanges(
  changes: readonly Change[],
  names: BuildingNames,
  lang: Lang = 'en',
): string[] {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  const out: string[] = [];
  for (const c of changes) {
    if (c.op === 'add') {
      const size = [
        c.storeys ? t('change.storeys', { n: c.storeys }) : null,
        c.heightM !== undefined ? t('change.heightTall', { n: c.heightM }) : null,
      ]
        .filter(Boolean)
        .join(', ');
      const use = useWords(c.use, lang);
      const details = `${use ? t('change.forUse', { use }) : ''}${size ? t('change.size', { size }) : ''}`;
      out.push(t('change.add', { label: buildingLabel(c.id, names, c.name, lang), details }));
    } else if (c.op === 'modify') {
      const what = [
        c.storeys !== undefined
          ? t('change.toStoreys', { storeys: t('change.storeys', { n: c.storeys }) })
          : null,
        c.heightM !== undefined ? t('change.toHeight', { n: c.heightM }) : null,
        c.use !== undefined ? t('change.toUse', { use: useWords(c.use, lang) ?? '' }) : null,
        c.footprint !== undefined ? t('change.toFootprint') : null,
      ].filter(Boolean);
      out.push(
        t('change.modify', {
          label: buildingLabel(c.id, names, c.name, lang),
          details: what.length ? ` ${what.join(', ')}` : '',
        }),
      );
    } else if (c.op === 'demolish') {
      out.push(t('change.demolish', { label: buildingLabel(c.id, names, undefined, lang) }));
    }
  }
  return out;
}

export const CATEGORY_LABELS = {
  support: 'Supports the proposal',
  object: 'Objects to the proposal',
  question: 'Asks a question',
} as const;

/** The label of a comment's category in the page's language. */
export const categoryLabel = (category: keyof typeof CATEGORY_LABELS, lang: Lang = 'en'): string =>
  translate(lang, `category.${category}`);

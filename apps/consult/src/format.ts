/**
 * Plain English for residents: dates in UK time the GOV.UK way ("31 March 2026", "11:59pm"), numbers with
 * thousands separators, and a consultation's key facts as sentences. Pure functions, so the pages, the text-only
 * version and tests all say the same thing.
 */
import type { ConsultationFacts, FactFigures } from '@placetwin/db';
import type { UseClass } from '@placetwin/importers';
import type { Change } from '@placetwin/scenario';

const UK = 'Europe/London';

/** "31 March 2026" (GOV.UK style guide: no ordinal, no leading zero), in UK time. */
export function ukDate(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: UK,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso));
}

/** "11:59pm", "9am", "midday", "midnight" (GOV.UK style guide), in UK time. */
export function ukTime(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: UK,
    hour: 'numeric',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(iso));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && (hour === 0 || hour === 24)) return 'midnight';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 || hour === 24 ? 'am' : 'pm';
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** "11:59pm on 31 March 2026" */
export const ukDateTime = (iso: string): string => `${ukTime(iso)} on ${ukDate(iso)}`;

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
export const formatNumber = (n: number): string => whole.format(n);

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

const compare = (after: string, before: string, same: boolean): string =>
  same ? `${after} (no change)` : `${after}, compared with ${before} today`;

/** Rounded to a sensible precision for a resident: estimates are not exact. */
const roundEstimate = (n: number): number => (n >= 100 ? Math.round(n / 10) * 10 : Math.round(n));

function figureRows(before: FactFigures, after: FactFigures): FactRow[] {
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
      key: 'Homes (estimated)',
      value: compare(`about ${plural(homesA, 'home')}`, formatNumber(homesB), homesA === homesB),
    },
    {
      key: 'Jobs (estimated)',
      value: compare(`about ${plural(jobsA, 'job')}`, formatNumber(jobsB), jobsA === jobsB),
    },
    {
      key: 'Floor space',
      value: compare(`${formatNumber(floorA)} square metres`, formatNumber(floorB), floorA === floorB),
    },
    {
      key: 'Tallest building',
      value: compare(`${plural(tallA, 'metre')} tall`, `${formatNumber(tallB)} metres`, tallA === tallB),
    },
  ];
}

/**
 * The key facts of a proposal as rows of plain English. Homes and jobs are estimates from floor area (the
 * scenario package's stated ratios), and say so.
 */
export function factRows(f: ConsultationFacts): FactRow[] {
  const changes: FactRow[] = [
    { key: 'New buildings', value: f.buildingsAdded ? plural(f.buildingsAdded, 'new building') : 'None' },
    {
      key: 'Buildings changed',
      value: f.buildingsChanged
        ? `${plural(f.buildingsChanged, 'building')} made taller, lower or different`
        : 'None',
    },
    {
      key: 'Buildings demolished',
      value: f.buildingsDemolished ? plural(f.buildingsDemolished, 'building') : 'None',
    },
  ];
  const area: FactRow = {
    key: 'Area these figures cover',
    value:
      f.studyArea === 'site' && f.studyAreaM2 !== null
        ? `The site of the proposal (${formatHectares(f.studyAreaM2)})`
        : 'The whole area of the map',
  };
  return [...changes, ...figureRows(f.before, f.after), area];
}

/** "0.6 hectares" (one decimal below 10 ha, whole above). */
export function formatHectares(m2: number): string {
  const ha = m2 / 10_000;
  const text = ha < 10 ? ha.toFixed(1) : formatNumber(ha);
  return `${text} ${text === '1.0' ? 'hectare' : 'hectares'}`;
}

/** Words for a use class, as a resident would say it (null: the use is not known). */
const USE_WORDS: Record<UseClass, string | null> = {
  residential: 'homes',
  commercial: 'offices or businesses',
  retail: 'shops',
  industrial: 'industry',
  education: 'education',
  healthcare: 'health care',
  religious: 'a place of worship',
  civic: 'public services',
  agricultural: 'farming',
  outbuilding: 'a garage or shed',
  unknown: null,
};
const useWords = (use: UseClass | undefined) => (use ? USE_WORDS[use] : null);

/** The name people know a building by, else a plain description of it. */
export type BuildingNames = ReadonlyMap<string, string | null>;

export const buildingLabel = (id: string, names: BuildingNames, given?: string | null): string => {
  const name = given ?? names.get(id) ?? null;
  if (name) return name;
  return id.startsWith('new/')
    ? `New building “${id.slice(4)}”`
    : `Building ${id.split(':').slice(1).join(':')}`;
};

/**
 * Each change of the proposal as a sentence, for the text-only version: what is built, changed or demolished,
 * with heights and storeys as the planner entered them.
 */
export function describeChanges(changes: readonly Change[], names: BuildingNames): string[] {
  const out: string[] = [];
  for (const c of changes) {
    if (c.op === 'add') {
      const size = [
        c.storeys ? plural(c.storeys, 'storey') : null,
        c.heightM !== undefined ? `${formatNumber(c.heightM)} metres tall` : null,
      ]
        .filter(Boolean)
        .join(', ');
      const use = useWords(c.use);
      out.push(
        `${buildingLabel(c.id, names, c.name)} would be built${use ? ` for ${use}` : ''}${size ? ` (${size})` : ''}.`,
      );
    } else if (c.op === 'modify') {
      const what = [
        c.storeys !== undefined ? `to ${plural(c.storeys, 'storey')}` : null,
        c.heightM !== undefined ? `to ${formatNumber(c.heightM)} metres tall` : null,
        c.use !== undefined ? `to be used for ${useWords(c.use)}` : null,
        c.footprint !== undefined ? 'to a new footprint' : null,
      ].filter(Boolean);
      out.push(
        `${buildingLabel(c.id, names, c.name)} would be changed${what.length ? ` ${what.join(', ')}` : ''}.`,
      );
    } else if (c.op === 'demolish') {
      out.push(`${buildingLabel(c.id, names)} would be demolished.`);
    }
  }
  return out;
}

export const CATEGORY_LABELS = {
  support: 'Supports the proposal',
  object: 'Objects to the proposal',
  question: 'Asks a question',
} as const;

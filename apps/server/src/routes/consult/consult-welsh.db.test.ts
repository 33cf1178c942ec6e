/**
 * Welsh and English on the consultation site, through app.inject() on the real Rutland baseline
 * (../shared/data/rutland, © OpenStreetMap contributors, ODbL). Rutland is in England and declares only English;
 * here its area is set to declare both languages (a constructed configuration, as a Welsh council's would be),
 * and a second area declares English only. Every public page is rendered in Welsh and read as a browser would
 * (parse5): English shown outside an element marked lang="en" fails the test, whether it is a catalogue message
 * left untranslated, GOV.UK Frontend's own English default, or English words written into a template.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUES, type MessageKey, messageLiterals } from '@placetwin/consult';
import {
  appendChanges,
  closeConsultation,
  createConsultation,
  createScenario,
  createUser,
  type Db,
  moderateComment,
  openConsultation,
  openTestDb,
  setAreaLanguages,
  setConsultationWelsh,
  setScenarioStatus,
  submitComment,
} from '@placetwin/db';
import { type Change, type FootprintGeoJson, localFrame } from '@placetwin/scenario';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type DefaultTreeAdapterMap, parse } from 'parse5';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rutlandFeatures } from '../../../../../test/support/test-db';
import { buildApp } from '../../app';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

function rectangle(lon: number, lat: number, widthM: number, depthM: number): FootprintGeoJson {
  const f = localFrame(lon, lat);
  const dx = widthM / f.mPerDegLon;
  const dy = depthM / f.mPerDegLat;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dx, lat],
        [lon + dx, lat + dy],
        [lon, lat + dy],
        [lon, lat],
      ],
    ],
  };
}
const SITE = rectangle(-0.7342, 52.6729, 70, 90);
const BLOCK_B = rectangle(-0.73342, 52.67322, 14, 40);
const CHANGES: Change[] = [
  { op: 'demolish', id: 'rutland:w178280261' },
  { op: 'add', id: 'new/block-b', footprint: BLOCK_B, use: 'residential', storeys: 4 },
];
/** 30 June 2030 at 22:59 UTC: 11:59pm British Summer Time. */
const CLOSES = '2030-06-30T22:59:00Z';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const TITLE = 'Homes on Station Approach';
const TITLE_CY = 'Cartrefi ar Ddynesfa’r Orsaf';
const SUMMARY_CY = 'Pedwar llawr o fflatiau ar iard yr adeiladwyr.';
const TITLE_B = 'A new school on Oakham Road';

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
/** Welsh texts given; no Welsh texts; closed; in an English-only area. */
let welshId: number;
let englishOnlyTextsId: number;
let closedId: number;
let englishAreaId: number;
/** Given its Welsh through the staff API. */
let apiId: number;
const PASSWORD = 'correct horse battery';
const HASHING = { logN: 10 };

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandFeatures));
  root = await mkdtemp(join(tmpdir(), 'placetwin-consult-welsh-'));
  const s = await createScenario(db, { dataset: 'rutland', name: 'Station Approach', site: SITE });
  const edited = await appendChanges(db, s.id, 1, CHANGES);
  await setScenarioStatus(db, s.id, edited.scenario.version, 'published');
  const make = async (title: string, extra: { privacyNotice?: string } = {}, scenarioId = s.id) =>
    (
      await openConsultation(
        db,
        (
          await createConsultation(db, {
            title,
            summary: 'Four storeys of flats on the builders’ yard.',
            scenarioId,
            opensAt: new Date(Date.now() - 86_400_000).toISOString(),
            closesAt: CLOSES,
            ...extra,
          })
        ).id,
      )
    ).id;
  await setAreaLanguages(db, 'default', ['en', 'cy']);
  welshId = await make(TITLE);
  await setConsultationWelsh(db, welshId, { titleCy: TITLE_CY, summaryCy: SUMMARY_CY });
  englishOnlyTextsId = await make(TITLE_B, {
    privacyNotice: 'Rutland County Council uses your comment to decide on this proposal.',
  });
  closedId = await make('A closed consultation');
  await setConsultationWelsh(db, closedId, { titleCy: 'Ymgynghoriad wedi cau' });
  await closeConsultation(db, closedId);
  await db.query(`INSERT INTO areas (id, name) VALUES ('english-only', 'An English council')`);
  // A consultation belongs to its scenario's area, and a scenario to its dataset's: the English council gets a
  // (constructed, empty) dataset and a published scenario of its own.
  const englishScenario = (
    await db.query<{ id: number }>(
      `WITH d AS (INSERT INTO datasets (name, title, source, licence, attribution, crs, area_id)
         VALUES ('english-town', 'English town', 'constructed', 'none', 'none', 'EPSG:4326', 'english-only')
         RETURNING id)
       INSERT INTO scenarios (dataset_id, name, status, area_id, published_at)
       SELECT id, 'Proposal', 'published', 'english-only', now() FROM d RETURNING id`,
    )
  ).rows[0].id;
  englishAreaId = await make('In an English-only area', {}, englishScenario);
  apiId = await make('Set through the API');
  await createUser(
    db,
    { email: 'planner@rutland.gov.uk', displayName: 'Pat Planner', role: 'planner', password: PASSWORD },
    HASHING,
  );
  // A comment written in Welsh, published anonymously.
  const sent = await submitComment(db, welshId, {
    anonymous: true,
    category: 'support',
    text: 'Syniad da: mae angen cartrefi yma.',
  });
  await moderateComment(db, sent.id, 'approve', null);

  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    auth: { passwordHashing: HASHING },
    commentRateLimit: { max: 10_000, timeWindowMs: 60_000 },
  });
  // Importing the Rutland extract takes minutes on a busy machine.
}, 900_000);

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

// ---- reading a page as a browser shows it ----

const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
const isElement = (n: Node): n is Element => 'tagName' in n;

/** Attributes whose values people read or hear (and GOV.UK Frontend's translated messages for its scripts). */
const READ_ATTRIBUTES = /^(aria-label|title|alt|placeholder|data-title|data-i18n\..*)$/;

/**
 * Each piece of text a person reads or hears on the page, with the language it is marked as (the nearest
 * `lang`): text nodes (not in script or style), the attributes above, and the map picker's words.
 */
function readable(html: string): { text: string; lang: string }[] {
  const out: { text: string; lang: string }[] = [];
  const walk = (node: Node, lang: string) => {
    if (node.nodeName === '#text') {
      const text = (node as DefaultTreeAdapterMap['textNode']).value.replace(/\s+/g, ' ').trim();
      if (text) out.push({ text, lang });
      return;
    }
    if (!('childNodes' in node)) return;
    let here = lang;
    if (isElement(node)) {
      if (node.tagName === 'script' || node.tagName === 'style') return;
      here = attr(node, 'lang') ?? lang;
      for (const a of node.attrs) {
        if (READ_ATTRIBUTES.test(a.name) && a.value.trim()) out.push({ text: a.value.trim(), lang: here });
        if (a.name === 'data-messages') {
          for (const v of Object.values(JSON.parse(a.value) as Record<string, string>))
            out.push({ text: v, lang: here });
        }
      }
    }
    const children = node.nodeName === 'template' ? [] : node.childNodes;
    for (const child of children) walk(child, here);
  };
  walk(parse(html), '');
  return out;
}

const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

/** Messages that are the same in both languages: patterns with no words (checked in the catalogue test). */
const SAME: MessageKey[] = ['page.title', 'comments.count', 'change.size'];
const EN_FRAGMENTS = (Object.keys(CATALOGUES.en) as MessageKey[])
  .filter((k) => !SAME.includes(k))
  .flatMap((k) =>
    messageLiterals('en', k)
      .map((f) => f.trim())
      .filter((f) => f.length >= 8 && /[a-z]{3}/i.test(f))
      .map((f) => ({ key: k, f })),
  );

/** GOV.UK Frontend's English defaults, which a page must replace with its own words. */
const GOVUK_DEFAULTS = [
  'Skip to main content',
  'There is a problem',
  'You can enter up to',
  'characters remaining',
  'characters too many',
  'GOV.UK',
];
const GOVUK_DEFAULT_WORDS = new Set(['Back', 'Menu', 'Language', 'Error', 'Error:']);
/** Words English cannot do without and Welsh does not use: their presence means English text. */
const ENGLISH_WORDS =
  /\b(the|your|you|and|with|this|will|have|of|to|we|for|not|are|has|been|been|page|comments?)\b/i;

/** The English a Welsh page shows where it should not (outside elements marked lang="en"). */
function englishOnWelshPage(html: string): string[] {
  const problems: string[] = [];
  for (const { text, lang } of readable(html)) {
    if (lang === 'en') continue;
    if (lang !== 'cy') problems.push(`not in Welsh (lang="${lang}"): ${text}`);
    const word = ENGLISH_WORDS.exec(text);
    if (word) problems.push(`English word “${word[0]}”: ${text}`);
    if (GOVUK_DEFAULT_WORDS.has(text)) problems.push(`GOV.UK Frontend default: ${text}`);
    for (const d of GOVUK_DEFAULTS)
      if (text.includes(d)) problems.push(`GOV.UK Frontend default “${d}”: ${text}`);
    for (const { key, f } of EN_FRAGMENTS)
      if (text.includes(f)) problems.push(`untranslated ${key}: ${text}`);
  }
  return problems;
}

const noCookies = (res: LightMyRequestResponse) => expect(res.headers['set-cookie']).toBeUndefined();

const get = async (url: string, status = 200) => {
  const res = await app.inject({ url });
  expect(res.statusCode, url).toBe(status);
  noCookies(res);
  return res.body;
};
const post = (url: string, fields: Record<string, string>) =>
  app.inject({ method: 'POST', url, headers: FORM, payload: new URLSearchParams(fields).toString() });

describe('a Welsh page', () => {
  it('shows no English outside text marked lang="en", on every public page', async () => {
    const pages: Record<string, string> = {
      list: await get('/consult?lang=cy'),
      consultation: await get(`/consult/${welshId}?lang=cy`),
      textOnly: await get(`/consult/${welshId}/text?lang=cy`),
      comments: await get(`/consult/${welshId}/comments?lang=cy`),
      form: await get(`/consult/${welshId}/comment?lang=cy`),
      sent: await get(`/consult/${welshId}/comment/sent?lang=cy`),
      closed: await get(`/consult/${closedId}/comment?lang=cy`),
      fallback: await get(`/consult/${englishOnlyTextsId}?lang=cy`),
      fallbackForm: await get(`/consult/${englishOnlyTextsId}/comment?lang=cy`),
      notFound: await get('/consult/999999?lang=cy', 404),
    };
    const refused = await post(`/consult/${welshId}/comment?lang=cy`, {
      email: 'not an email',
      name: 'x'.repeat(101),
      text: 'x'.repeat(2001),
      place: 'building:nowhere',
    });
    expect(refused.statusCode).toBe(400);
    noCookies(refused);
    pages.formWithErrors = refused.body;
    const bot = await post(`/consult/${welshId}/comment?lang=cy`, { website: 'http://spam.example' });
    expect(bot.statusCode).toBe(400);
    pages.honeypot = bot.body;

    // Every page's findings at once (a test that stops at the first page hides the rest).
    const found = Object.fromEntries(
      Object.entries(pages).map(([name, html]) => [
        name,
        [
          ...(htmlLang(html) === 'cy' ? [] : [`<html lang="${htmlLang(html)}">`]),
          ...englishOnWelshPage(html),
        ],
      ]),
    );
    expect(found).toEqual(Object.fromEntries(Object.keys(pages).map((name) => [name, []])));
    // What the pages say, in Welsh (independently: GOV.UK's Welsh skip link; June is Mehefin; 11:59pm is 11:59yh).
    expect(pages.consultation).toContain('Neidio i’r prif gynnwys');
    expect(pages.consultation).toContain('11:59yh ar 30 Mehefin 2030');
    expect(pages.consultation).toContain(SUMMARY_CY);
    expect(pages.comments).toContain('Syniad da: mae angen cartrefi yma.');
    expect(pages.comments).toContain('Dienw');
    expect(pages.formWithErrors).toContain('Mae problem wedi codi');
    expect(pages.notFound).toContain('Heb ddod o hyd i’r dudalen');
  });

  it('uses the planner’s Welsh title, and shows the English one marked lang="en" when there is none', async () => {
    const welsh = await get(`/consult/${welshId}?lang=cy`);
    expect(welsh).toMatch(new RegExp(`<h1 class="govuk-heading-xl">${TITLE_CY}</h1>`));
    expect(welsh).not.toContain(TITLE);
    const fallback = await get(`/consult/${englishOnlyTextsId}?lang=cy`);
    expect(fallback).toContain(`<h1 class="govuk-heading-xl"><span lang="en">${TITLE_B}</span></h1>`);
    expect(fallback).toContain(
      '<p class="govuk-body" lang="en">Four storeys of flats on the builders’ yard.</p>',
    );
    const form = await get(`/consult/${englishOnlyTextsId}/comment?lang=cy`);
    expect(form).toContain(
      '<p class="govuk-body" lang="en">Rutland County Council uses your comment to decide on this proposal.</p>',
    );
    // On the English page the same title needs no mark.
    const english = await get(`/consult/${englishOnlyTextsId}`);
    expect(english).toContain(`<h1 class="govuk-heading-xl">${TITLE_B}</h1>`);
  });
});

describe('the language toggle', () => {
  const nav = (html: string) => /<nav class="govuk-language-navigation"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';

  it('links each page to itself in the other language, with lang and hreflang, in areas with both', async () => {
    const english = await get(`/consult/${welshId}`);
    expect(htmlLang(english)).toBe('en');
    expect(english).toContain('Skip to main content');
    expect(english).toContain('11:59pm on 30 June 2030');
    const en = nav(english);
    expect(en).toMatch(
      /<span class="govuk-language-navigation__text"\s+aria-current="true" lang="en">English<\/span>/,
    );
    expect(en).toMatch(
      new RegExp(
        `href="/consult/${welshId}\\?lang=cy" rel="alternate" lang="cy" hreflang="cy">Cymraeg<span class="govuk-visually-hidden"> Newid yr iaith i’r Gymraeg</span>`,
      ),
    );
    const cy = nav(await get(`/consult/${welshId}/comments?lang=cy`));
    expect(cy).toContain('aria-label="Iaith"');
    expect(cy).toMatch(/aria-current="true" lang="cy">Cymraeg</);
    expect(cy).toContain(
      `href="/consult/${welshId}/comments?lang=en" rel="alternate" lang="en" hreflang="en">English`,
    );
  });

  it('is remembered by the address: every link and form of a Welsh page stays in Welsh, without a cookie', async () => {
    for (const url of [
      `/consult?lang=cy`,
      `/consult/${welshId}?lang=cy`,
      `/consult/${welshId}/comment?lang=cy`,
    ]) {
      const html = await get(url);
      const targets = [...html.matchAll(/(?:href|action)="(\/consult[^"]*)"/g)]
        .map((m) => m[1].replaceAll('&amp;', '&'))
        .filter((h) => !h.startsWith('/consult/assets/'));
      expect(targets.length, url).toBeGreaterThan(2);
      for (const h of targets)
        expect(new URL(h, 'http://x').searchParams.get('lang'), `${url} → ${h}`).toMatch(/^(cy|en)$/);
      // Only the toggle leads to English.
      expect(targets.filter((h) => h.includes('lang=en')).length, url).toBe(1);
    }
    const sent = await post(`/consult/${welshId}/comment?lang=cy`, {
      category: 'question',
      anonymous: 'yes',
      text: 'Pryd fydd y gwaith yn dechrau?',
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/consult/${welshId}/comment/sent?lang=cy`);
    noCookies(sent);
  });

  it('is absent in an area that declares English only, which serves English whatever is asked', async () => {
    const html = await get(`/consult/${englishAreaId}?lang=cy`);
    expect(htmlLang(html)).toBe('en');
    expect(html).not.toContain('govuk-language-navigation');
    expect(html).toContain('Skip to main content');
    expect(html).not.toContain('lang=cy');
  });
});

describe('the staff API for the Welsh texts', () => {
  it('lets a planner set and remove a consultation’s Welsh title and summary, checked like the English', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'planner@rutland.gov.uk', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const headers = {
      cookie: ([] as string[]).concat(login.headers['set-cookie'] ?? [])[0].split(';')[0],
      'x-csrf-token': login.json().csrfToken as string,
    };
    const patch = (id: number, payload: Record<string, unknown>, h: Record<string, string> = headers) =>
      app.inject({ method: 'PATCH', url: `/api/staff/consultations/${id}/welsh`, headers: h, payload });

    const set = await patch(apiId, { titleCy: 'Wedi’i osod drwy’r API', summaryCy: 'Crynodeb yn Gymraeg.' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toEqual({
      titleCy: 'Wedi’i osod drwy’r API',
      summaryCy: 'Crynodeb yn Gymraeg.',
      privacyNoticeCy: null,
    });
    const welsh = await get(`/consult/${apiId}?lang=cy`);
    expect(welsh).toContain('<h1 class="govuk-heading-xl">Wedi’i osod drwy’r API</h1>');
    expect(welsh).toContain('Crynodeb yn Gymraeg.');

    // Refused, and nothing changed: the public, a blank or too long title, no such consultation.
    expect((await patch(apiId, { titleCy: 'X' }, {})).statusCode).toBe(401);
    for (const bad of [{ titleCy: '   ' }, { titleCy: 'x'.repeat(151) }]) {
      const res = await patch(apiId, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await patch(999_999, { titleCy: 'Dim' })).statusCode).toBe(404);
    expect(await get(`/consult/${apiId}?lang=cy`)).toContain('Wedi’i osod drwy’r API');

    // null removes the Welsh title: the English one is shown, marked as English.
    expect((await patch(apiId, { titleCy: null })).json().titleCy).toBeNull();
    expect(await get(`/consult/${apiId}?lang=cy`)).toContain(
      '<h1 class="govuk-heading-xl"><span lang="en">Set through the API</span></h1>',
    );
  });
});

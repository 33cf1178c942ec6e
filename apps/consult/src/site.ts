/**
 * The public consultation site: server-rendered HTML in the GOV.UK Design System style (govuk-frontend's
 * Nunjucks macros), working without JavaScript, with a strict Content Security Policy and nothing fetched from
 * anywhere but this server. It reads only what `@placetwin/db`'s public queries return: consultations that are
 * open or closed on published scenarios, and approved comments without email addresses.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import {
  ANONYMOUS,
  COMMENT_CATEGORIES,
  COMMENT_LIMITS,
  type CommentFieldError,
  CommentValidationError,
  ConsultationStateError,
  type ConsultationWelsh,
  checkComment,
  consultationFacts,
  type Db,
  DEFAULT_PRIVACY_NOTICE,
  getAreaLanguages,
  getBuilding,
  getConsultationsWelsh,
  getDataset,
  getPublicConsultation,
  getScenario,
  HONEYPOT_FIELD,
  listChanges,
  listPublicComments,
  listPublicConsultations,
  type PublicConsultation,
  type ScenarioRecord,
  submitComment,
} from '@placetwin/db';
import { decodeViewState, encodeViewState, homeView } from '@placetwin/viewer';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { type Branding, brandCssFor, readBranding } from './branding';
import { categoryLabel, describeChanges, factRows, paragraphs, ukDate, ukDateTime } from './format';
import { type Lang, LOCALES, type MessageKey, translate, translator } from './i18n';
import type { StaffJobs } from './jobs';
import { characterCountTexts, commentErrorText, languageLinks, pageLanguage, withLang } from './language';
import { type CommentPlace, commentPlaces, geometryBbox } from './places';
import { type StaffAuth, StaffPageNotFound, staffPages } from './staff';
import { GOVUK_DIST, LEAFLET_DIST, STATIC_DIR, stylesheet } from './styles';

export const SERVICE_NAME = 'Have your say';

export interface ConsultSiteOptions {
  db: Db;
  /** Where the compiled stylesheet is cached (a folder under the server's data directory). */
  cacheDir: string;
  /** Shown in the header, e.g. "Rutland County Council". */
  councilName?: string;
  /** Comments per client address per window through the HTML form (the JSON API has its own allowance). */
  commentRateLimit: { max: number; timeWindowMs: number };
  /** Where the 3D viewer is served (default `/`). */
  viewerPath?: string;
  /** The offline basemap's XYZ tiles for the maps (default `/basemap/{z}/{x}/{y}.png`, served by apps/server). */
  basemapTiles?: string;
  /** Staff sign-in and sessions (from the server); without it there are no staff pages. */
  staffAuth?: StaffAuth;
  /** The job queue for the staff pages' Jobs page (the server's); absent → no Jobs page. */
  staffJobs?: StaffJobs;
  /** Sign-in attempts per minute per address through the staff form (default 10). */
  signInPerMinute?: number;
  /**
   * The area whose languages (`areas.languages`) the list and error pages are served in (default `default`); a
   * consultation's own pages follow its area's.
   */
  areaId?: string;
  /** The area (council) a request shows: lists are of its consultations only (default: every area's). */
  areaOf?: (request: FastifyRequest) => Promise<string>;
}

export const DEFAULT_COUNCIL_NAME = 'Placetwin';

/**
 * Scripts only from this server, plus the one inline line of GOV.UK Frontend's page template that marks
 * JavaScript as available (allowed by its per-response nonce); no inline styles; frames only of this server's
 * viewer; forms post only here.
 */
export function consultCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "frame-ancestors 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

const VIEWS_DIR = join(STATIC_DIR, '..', 'views');

class PageNotFound extends Error {}

/** Form fields as the browser sent them (urlencoded; the last value of a repeated name). */
type FormBody = Record<string, string | undefined>;

export async function consultSite(app: FastifyInstance, options: ConsultSiteOptions): Promise<void> {
  const { db } = options;
  const base = app.prefix || '';
  const home = base || '/';
  const councilName = options.councilName ?? DEFAULT_COUNCIL_NAME;
  const viewerPath = options.viewerPath ?? '/';
  const assets = {
    govuk: `${base}/assets/govuk`,
    app: `${base}/assets/app`,
    leaflet: `${base}/assets/leaflet`,
  };
  const basemapTiles = options.basemapTiles ?? '/basemap/{z}/{x}/{y}.png';
  const styles = stylesheet({ cacheDir: options.cacheDir, govukAssetsUrl: `${assets.govuk}/assets` });
  const cssFile = `consult-${styles.key}.css`;

  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([VIEWS_DIR, GOVUK_DIST]), {
    autoescape: true,
    trimBlocks: true,
    lstripBlocks: true,
  });

  const nonces = new WeakMap<FastifyRequest, string>();
  app.addHook('onRequest', async (request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    nonces.set(request, nonce);
    reply.header('content-security-policy', consultCsp(nonce));
  });

  // Forms post urlencoded; only this site's routes accept it (the JSON API does not).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 32 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  const render = (
    request: FastifyRequest,
    reply: FastifyReply,
    template: string,
    context: Record<string, unknown>,
    status = 200,
  ) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(
        env.render(template, {
          cspNonce: nonces.get(request),
          base: home,
          homeHref: home,
          councilName,
          serviceName: SERVICE_NAME,
          lang: 'en',
          t: translator('en'),
          assets: { ...assets, css: `${base}/assets/css/${cssFile}` },
          ...context,
        }),
      );

  // ---- assets ----

  const revalidate = (reply: FastifyReply) => {
    reply.header('cache-control', 'no-cache');
  };
  await app.register(fastifyStatic, {
    root: join(GOVUK_DIST, 'govuk'),
    prefix: '/assets/govuk/',
    decorateReply: false,
    cacheControl: false,
    setHeaders: revalidate,
    // Only what a browser needs: the script and the images; not the package's Sass and templates.
    allowedPath: (path) => path === '/govuk-frontend.min.js' || /^\/assets\/images\/[\w.-]+$/.test(path),
  });
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/assets/app/',
    decorateReply: false,
    cacheControl: false,
    setHeaders: revalidate,
    allowedPath: (path) => /^\/[\w-]+\.(js|svg)$/.test(path),
  });
  // Leaflet, for the maps (comment pin, staff map): its module, stylesheet and marker images only.
  await app.register(fastifyStatic, {
    root: LEAFLET_DIST,
    prefix: '/assets/leaflet/',
    decorateReply: false,
    cacheControl: false,
    setHeaders: revalidate,
    allowedPath: (path) =>
      path === '/leaflet-src.esm.js' || path === '/leaflet.css' || /^\/images\/[\w-]+\.png$/.test(path),
  });
  app.get<{ Params: { file: string } }>(
    '/assets/css/:file',
    { schema: { hide: true } },
    async (request, reply) => {
      // The name changes whenever what the CSS is made from changes: cache it for ever.
      const immutableCss = (css: string) =>
        reply
          .type('text/css; charset=utf-8')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(css);
      if (request.params.file === cssFile) return immutableCss(await styles.css());
      // A council's colours (branding.ts): its name carries a hash of its CSS.
      const brandCss = await brandCssFor(db, request.params.file);
      if (brandCss === null) throw new PageNotFound();
      return immutableCss(brandCss);
    },
  );

  // ---- pages ----

  /** The area a request shows: the council it asks for (tenancy), else the site's, else `default`. */
  const areaIdOf = async (request: FastifyRequest): Promise<string> =>
    (await options.areaOf?.(request)) ?? options.areaId ?? 'default';
  /** The languages of the list and error pages: the request's area's (English when it has none). */
  const siteLanguages = async (request: FastifyRequest): Promise<Lang[]> =>
    (await getAreaLanguages(db, await areaIdOf(request)))?.languages ?? ['en'];
  const siteArea = async (request: FastifyRequest) => getAreaLanguages(db, await areaIdOf(request));

  /**
   * The council's branding on a page: its name in the header (the install's configured council name for its home
   * area, else the area's own), logo, colours' stylesheet and privacy contact.
   */
  const brandOf = async (areaId: string): Promise<Branding | null> => {
    const b = await readBranding(db, areaId);
    if (b && b.areaId === 'default' && options.councilName) return { ...b, name: options.councilName };
    return b;
  };
  const brandContext = (brand: Branding | null) =>
    brand
      ? {
          brand: {
            logoUrl: brand.logoUrl,
            cssHref: brand.cssFile ? `${base}/assets/css/${brand.cssFile}` : null,
            privacyContact: brand.privacyContact,
          },
        }
      : {};

  /**
   * Everything a public page needs for its language: `lang` (also `<html lang>`), `t` for the templates, the
   * toggle, the home link keeping the language, and the council's name in it.
   */
  const i18n = (
    request: FastifyRequest,
    lang: Lang,
    languages: readonly Lang[],
    brand: Branding | null = null,
  ) => {
    const t = translator(lang);
    const welshName = lang === 'cy' && brand?.nameCy;
    return {
      ...brandContext(brand),
      lang,
      t,
      serviceName: t('service.name'),
      homeHref: withLang(home, lang, languages),
      languageNav: languageLinks(request.url, lang, languages),
      councilName: welshName || brand?.name || councilName,
      // The council's name as configured is English: marked so on a Welsh page without a Welsh name.
      councilNameLang: welshName ? 'cy' : 'en',
      backText: t('chrome.back'),
      errorPrefix: t('chrome.errorPrefix'),
    };
  };

  const links = (id: number, lang: Lang = 'en', languages: readonly Lang[] = ['en']) => {
    const page = `${base}/${id}`;
    const l = (href: string) => withLang(href, lang, languages);
    return {
      pageHref: l(page),
      textOnlyHref: l(`${page}/text`),
      commentsHref: l(`${page}/comments`),
      commentHref: l(`${page}/comment`),
      sentHref: l(`${page}/comment/sent`),
    };
  };

  /** The languages of a consultation's area and its Welsh texts. */
  const welshOf = async (id: number): Promise<ConsultationWelsh | null> =>
    (await getConsultationsWelsh(db, [id])).get(id) ?? null;

  /** A planner's text in the page's language, or the English one marked lang="en" when there is no Welsh. */
  const pick = (lang: Lang, english: string, welsh: string | null | undefined) =>
    lang === 'cy' && welsh ? { text: welsh, lang: 'cy' as const } : { text: english, lang: 'en' as const };

  /** The consultation's dates and texts as the templates show them, in the page's language. */
  const describe = (c: PublicConsultation, lang: Lang = 'en', welsh: ConsultationWelsh | null = null) => {
    const title = pick(lang, c.title, welsh?.titleCy);
    const summary = pick(lang, c.summary, welsh?.summaryCy);
    return {
      ...c,
      title: title.text,
      titleLang: title.lang,
      closesText: ukDateTime(c.closesAt, lang),
      closesDate: ukDate(c.closesAt, lang),
      opensText: ukDateTime(c.opensAt, lang),
      notYetOpen: Date.parse(c.opensAt) > Date.now(),
      deleteDate: ukDate(c.personalDataDeletedAfter, lang),
      summaryParagraphs: paragraphs(summary.text),
      summaryLang: summary.lang,
    };
  };

  /**
   * The privacy notice in the page's language: the default notice from the catalogue, a council's own in Welsh
   * when it gave one, else its English (marked lang="en").
   */
  const privacyNotice = (c: PublicConsultation, lang: Lang, welsh: ConsultationWelsh | null) => {
    if (c.privacyNotice === DEFAULT_PRIVACY_NOTICE) {
      const keys: MessageKey[] = [
        'privacy.default1',
        'privacy.default2',
        'privacy.default3',
        'privacy.default4',
      ];
      return { paragraphs: keys.map((k) => translate(lang, k)), lang };
    }
    const notice = pick(lang, c.privacyNotice, welsh?.privacyNoticeCy);
    return { paragraphs: paragraphs(notice.text), lang: notice.lang };
  };

  const approvedText = (n: number, lang: Lang = 'en') => translate(lang, 'comments.published', { n });

  const consultation = async (id: number) => {
    const c = await getPublicConsultation(db, id);
    if (!c) throw new PageNotFound();
    return c;
  };

  /** A public consultation with its area's languages, the page's language and what the templates share. */
  const localised = async (request: FastifyRequest, id: number) => {
    const c = await consultation(id);
    const welsh = await welshOf(id);
    const languages: Lang[] = welsh?.languages ?? ['en'];
    const lang = pageLanguage(request.query, languages);
    return {
      c,
      welsh,
      lang,
      languages,
      i18n: i18n(request, lang, languages, welsh ? await brandOf(welsh.areaId) : null),
      links: links(c.id, lang, languages),
      described: describe(c, lang, welsh),
    };
  };

  /**
   * A link that opens the viewer over the proposal's site (or its dataset's extent) with the published scenario
   * open and compared with the area as it is today by a before/after swipe.
   */
  const viewerHref = async (c: PublicConsultation, s: ScenarioRecord) => {
    const bbox = (s.site && geometryBbox(s.site)) ?? (await getDataset(db, c.dataset))?.bbox ?? null;
    const view = {
      ...decodeViewState('', new Date()),
      camera: bbox ? homeView(bbox) : null,
      scenario: { id: s.id, compare: 'swipe' as const },
    };
    return `${viewerPath}#${encodeViewState(view)}`;
  };

  const pageContext = async (request: FastifyRequest, id: number) => {
    const l = await localised(request, id);
    const { c, lang } = l;
    const scenario = await getScenario(db, c.scenarioId);
    if (scenario?.status !== 'published') throw new PageNotFound();
    const [facts, dataset] = await Promise.all([
      consultationFacts(db, c.scenarioId),
      getDataset(db, c.dataset),
    ]);
    return {
      l,
      ctx: {
        ...l.i18n,
        c: l.described,
        scenario,
        ...l.links,
        factRows: factRows(facts, lang).map((r) => ({ key: { text: r.key }, value: { text: r.value } })),
        approvedText: approvedText(c.approvedComments, lang),
        attribution: dataset?.attribution ?? null,
        viewerHref: await viewerHref(c, scenario),
      },
    };
  };

  const idParams = {
    type: 'object',
    properties: { id: { type: 'integer', minimum: 1 } },
    required: ['id'],
  } as const;
  type IdRequest = FastifyRequest<{ Params: { id: number } }>;
  const hide = true;

  app.get('/', { schema: { hide } }, async (request, reply) => {
    const area = await siteArea(request);
    const languages: Lang[] = area?.languages ?? ['en'];
    const lang = pageLanguage(request.query, languages);
    const listed = await listPublicConsultations(db, await areaIdOf(request));
    const welsh =
      lang === 'cy'
        ? await getConsultationsWelsh(
            db,
            listed.map((c) => c.id),
          )
        : new Map();
    const all = listed.map((c) => {
      const d = describe(c, lang, welsh.get(c.id) ?? null);
      const first = d.summaryParagraphs[0] ?? '';
      return {
        ...d,
        href: links(c.id, lang, languages).pageHref,
        lead: first.length > 300 ? `${first.slice(0, 297).trimEnd()}…` : first,
      };
    });
    const t = translator(lang);
    return render(request, reply, 'list.njk', {
      ...i18n(request, lang, languages, await brandOf(await areaIdOf(request))),
      pageTitle: t('list.title'),
      open: all.filter((c) => c.status === 'open'),
      closed: all.filter((c) => c.status === 'closed'),
    });
  });

  app.get('/:id', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const { ctx } = await pageContext(request, request.params.id);
    return render(request, reply, 'consultation.njk', { ...ctx, pageTitle: ctx.c.title, textOnly: false });
  });

  app.get('/:id/text', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const { ctx, l } = await pageContext(request, request.params.id);
    const changes = (await listChanges(db, ctx.scenario.id)).map((r) => r.change);
    const baselineIds = [
      ...new Set(changes.filter((ch) => ch.op === 'modify' || ch.op === 'demolish').map((ch) => ch.id)),
    ].filter((bid) => !bid.startsWith('new/'));
    const names = new Map(
      await Promise.all(
        baselineIds.map(async (bid) => [bid, (await getBuilding(db, bid))?.name ?? null] as const),
      ),
    );
    return render(request, reply, 'consultation.njk', {
      ...ctx,
      pageTitle: l.i18n.t('page.textOnlyTitle', { title: ctx.c.title }),
      textOnly: true,
      textOnlyHref: null,
      changeLines: describeChanges(changes, names, l.lang),
      scenarioParagraphs: paragraphs(ctx.scenario.description),
    });
  });

  app.get('/:id/comments', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const l = await localised(request, request.params.id);
    const { c, lang } = l;
    const t = l.i18n.t;
    const comments = await listPublicComments(db, c.id);
    const counts = COMMENT_CATEGORIES.map((cat) => ({
      cat,
      n: comments.filter((m) => m.category === cat).length,
    }))
      .filter((x) => x.n > 0)
      .map((x) =>
        t('comments.count', {
          n: x.n,
          category: categoryLabel(x.cat, lang).toLocaleLowerCase(LOCALES[lang]),
        }),
      );
    return render(request, reply, 'comments.njk', {
      ...l.i18n,
      c: l.described,
      ...l.links,
      pageTitle: t('comments.title', { title: l.described.title }),
      backLink: { href: l.links.pageHref, text: t('chrome.back') },
      approvedText: approvedText(comments.length, lang),
      counts,
      comments: comments.map((m) => ({
        name: m.name === ANONYMOUS ? t('comments.anonymous') : m.name,
        categoryLabel: categoryLabel(m.category, lang),
        dateText: ukDate(m.createdAt, lang),
        paragraphs: paragraphs(m.text),
      })),
    });
  });

  type Localised = Awaited<ReturnType<typeof localised>>;

  const closedPage = (request: FastifyRequest, reply: FastifyReply, l: Localised, status = 200) =>
    render(
      request,
      reply,
      'error.njk',
      {
        ...l.i18n,
        pageTitle: l.i18n.t('closed.title'),
        backLink: { href: l.links.pageHref, text: l.i18n.t('chrome.back') },
        lines: [
          Date.parse(l.c.opensAt) > Date.now() && l.c.status === 'open'
            ? l.i18n.t('dates.opensAt', { time: l.described.opensText })
            : l.i18n.t('closed.closedAt', { time: l.described.closesText }),
        ],
      },
      status,
    );

  /** The places a comment can be pinned to, and what the map picker needs (area, site outline, tiles). */
  const pinning = async (c: PublicConsultation, lang: Lang = 'en') => {
    const [scenario, dataset] = await Promise.all([getScenario(db, c.scenarioId), getDataset(db, c.dataset)]);
    const places = scenario ? await commentPlaces(db, scenario, lang) : [];
    const bbox = dataset?.bbox ?? null;
    const siteBox = scenario?.site ? geometryBbox(scenario.site) : null;
    return {
      places,
      map: bbox
        ? {
            bounds: JSON.stringify(bbox),
            focus: JSON.stringify(siteBox ?? bbox),
            outline: scenario?.site ? JSON.stringify(scenario.site) : '',
            tiles: basemapTiles,
            attribution: dataset?.attribution ?? '',
            messages: JSON.stringify(mapMessages(lang)),
          }
        : null,
    };
  };

  /** The map picker's words (static/map.js puts `{place}`, `{lat}` and `{lon}` in). */
  const mapMessages = (lang: Lang) => {
    const t = translator(lang);
    return {
      help: t('map.help'),
      pinCentre: t('map.pinCentre'),
      pinRemove: t('map.pinRemove'),
      markedPlace: t('map.markedPlace'),
      label: t('map.label'),
      pin: t('map.pin'),
      pinMoved: t('map.pinMoved'),
      noPin: t('map.noPin'),
      pinClicked: t('map.pinClicked'),
      pinCentred: t('map.pinCentred'),
      pinChosen: t('map.pinChosen'),
      pinOn: t('map.pinOn', { place: '{place}' }),
      position: t('map.position', { lat: '{lat}', lon: '{lon}' }),
      zoomIn: t('map.zoomIn'),
      zoomOut: t('map.zoomOut'),
    };
  };

  /** The comment form, empty or as sent back with its errors (GOV.UK error summary and messages). */
  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    l: Localised,
    form: FormBody,
    fieldErrors: CommentFieldError[] = [],
    pin?: Awaited<ReturnType<typeof pinning>>,
  ) => {
    const { c, lang, welsh } = l;
    const t = l.i18n.t;
    const { places, map } = pin ?? (await pinning(c, lang));
    // The error summary links to the field at fault (a pinned point: the place question).
    const anchor = (e: CommentFieldError) => (e.field === 'point' ? '#place' : `#${e.field}`);
    const privacy = privacyNotice(c, lang, welsh);
    return render(
      request,
      reply,
      'comment-form.njk',
      {
        ...l.i18n,
        c: l.described,
        ...l.links,
        pageTitle: t('form.title', { title: l.described.title }),
        backLink: { href: l.links.pageHref, text: t('chrome.back') },
        actionHref: l.links.commentHref,
        form,
        errors: Object.fromEntries(fieldErrors.map((e) => [e.field, commentErrorText(e, lang)])),
        errorList: fieldErrors.map((e) => ({ text: commentErrorText(e, lang), href: anchor(e) })),
        textMax: COMMENT_LIMITS.textMax,
        characterCount: characterCountTexts(lang),
        honeypot: HONEYPOT_FIELD,
        privacyParagraphs: privacy.paragraphs,
        privacyLang: privacy.lang,
        placeItems: [
          { value: '', text: t('form.noPlace') },
          ...places.map((p) => ({
            value: p.value,
            text: p.text,
            selected: form.place === p.value,
            attributes: { 'data-lon': String(p.point[0]), 'data-lat': String(p.point[1]) },
          })),
        ],
        map,
        mapAssets: Boolean(map),
      },
      fieldErrors.length ? 400 : 200,
    );
  };

  /**
   * The point a comment is pinned to: the map's pin (lon, lat) when there is one, else the middle of the place
   * chosen from the list; an unknown place is an error on the place question.
   */
  const pinnedPoint = (form: FormBody, places: CommentPlace[]) => {
    if ((form.lon ?? '') !== '' || (form.lat ?? '') !== '') return { lon: form.lon, lat: form.lat };
    if (!form.place || form.place === 'map') return { lon: undefined, lat: undefined };
    const place = places.find((p) => p.value === form.place);
    if (!place) return { lon: undefined, lat: undefined, unknownPlace: true };
    return { lon: place.point[0], lat: place.point[1] };
  };

  app.get('/:id/comment', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const l = await localised(request, request.params.id);
    if (!l.c.acceptingComments) return closedPage(request, reply, l);
    return formPage(request, reply, l, {});
  });

  app.post(
    '/:id/comment',
    {
      schema: { hide, params: idParams },
      config: {
        rateLimit: { max: options.commentRateLimit.max, timeWindow: options.commentRateLimit.timeWindowMs },
      },
    },
    async (request: FastifyRequest<{ Params: { id: number }; Body: FormBody }>, reply) => {
      const l = await localised(request, request.params.id);
      const { c } = l;
      if (!c.acceptingComments) return closedPage(request, reply, l, 409);
      const form: FormBody = typeof request.body === 'object' && request.body ? request.body : {};
      if (form[HONEYPOT_FIELD]) {
        request.log.info({ consultation: c.id }, 'comment refused: honeypot filled in');
        return render(
          request,
          reply,
          'error.njk',
          {
            ...l.i18n,
            pageTitle: l.i18n.t('bot.title'),
            lines: [l.i18n.t('bot.line')],
          },
          400,
        );
      }
      const pin = await pinning(c, l.lang);
      try {
        const { unknownPlace, ...point } = pinnedPoint(form, pin.places);
        const input = {
          name: form.name,
          anonymous: form.anonymous === 'yes',
          email: form.email,
          category: form.category,
          text: form.text,
          ...point,
        };
        if (unknownPlace) {
          // Every problem at once: the other fields' too.
          const checked = checkComment(input);
          throw new CommentValidationError([
            ...(checked.ok ? [] : checked.errors),
            { field: 'point', message: 'Select a place from the list, or ‘No particular place’' },
          ]);
        }
        await submitComment(db, c.id, input);
      } catch (e) {
        if (e instanceof CommentValidationError) return formPage(request, reply, l, form, e.errors, pin);
        if (e instanceof ConsultationStateError) return closedPage(request, reply, l, 409);
        throw e;
      }
      // Post/redirect/get: reloading the confirmation does not send the comment again.
      return reply.redirect(l.links.sentHref, 303);
    },
  );

  app.get('/:id/comment/sent', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const l = await localised(request, request.params.id);
    return render(request, reply, 'sent.njk', {
      ...l.i18n,
      c: l.described,
      ...l.links,
      pageTitle: l.i18n.t('sent.title'),
    });
  });

  if (options.staffAuth) {
    await staffPages(app, {
      db,
      auth: options.staffAuth,
      base,
      render,
      basemapTiles,
      signInPerMinute: options.signInPerMinute ?? 10,
      jobs: options.staffJobs,
    });
  }

  // ---- errors, as pages ----

  const errorPage = async (request: FastifyRequest, reply: FastifyReply, status: number) => {
    const staff = request.url.startsWith(`${base}/staff`);
    // Staff pages are in English; a public error page in the language asked for, if the site offers it (or
    // the address asked for Welsh: a Welsh reader who mistypes an address gets the answer in Welsh).
    const offered = staff ? (['en'] as Lang[]) : await siteLanguages(request).catch(() => ['en'] as Lang[]);
    const asked = (request.query as { lang?: unknown } | undefined)?.lang;
    const languages: Lang[] = asked === 'cy' && !offered.includes('cy') ? [...offered, 'cy'] : offered;
    const lang = pageLanguage(request.query, languages);
    const t = translator(lang);
    const pages: Record<number, { pageTitle: string; lines: string[] }> = {
      404: {
        pageTitle: t('error.404.title'),
        lines: [t('error.404.typed'), t('error.404.pasted'), t('error.404.withdrawn')],
      },
      429: { pageTitle: t('error.429.title'), lines: [t('error.429.why'), t('error.429.wait')] },
      400: { pageTitle: t('error.400.title'), lines: [t('error.400.line')] },
      500: { pageTitle: t('error.500.title'), lines: [t('error.500.line')] },
    };
    if (status === 429 && staff) {
      pages[429] = { pageTitle: t('error.429signIn.title'), lines: [t('error.429signIn.wait')] };
    }
    const shown = pages[status] ? status : 500;
    const brand = staff ? null : await areaIdOf(request).then(brandOf, () => null);
    const chrome = staff ? { lang, t } : i18n(request, lang, languages, brand);
    return render(request, reply, 'error.njk', { ...chrome, ...pages[shown] }, shown);
  };

  app.setNotFoundHandler((request, reply) => errorPage(request, reply, 404));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof PageNotFound || error instanceof StaffPageNotFound)
      return errorPage(request, reply, 404);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'consultation page failed');
    else request.log.info({ status, detail: (error as Error).message }, 'consultation request rejected');
    return errorPage(request, reply, status === 429 ? 429 : status === 404 ? 404 : status >= 500 ? 500 : 400);
  });
}

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
  COMMENT_CATEGORIES,
  COMMENT_LIMITS,
  type CommentFieldError,
  CommentValidationError,
  ConsultationStateError,
  checkComment,
  consultationFacts,
  type Db,
  getBuilding,
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
import {
  CATEGORY_LABELS,
  describeChanges,
  factRows,
  formatNumber,
  paragraphs,
  plural,
  ukDate,
  ukDateTime,
} from './format';
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
  /** Sign-in attempts per minute per address through the staff form (default 10). */
  signInPerMinute?: number;
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
          councilName,
          serviceName: SERVICE_NAME,
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
      if (request.params.file !== cssFile) throw new PageNotFound();
      // The name changes whenever what the CSS is made from changes: cache it for ever.
      return reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(await styles.css());
    },
  );

  // ---- pages ----

  const links = (id: number) => {
    const page = `${base}/${id}`;
    return {
      pageHref: page,
      textOnlyHref: `${page}/text`,
      commentsHref: `${page}/comments`,
      commentHref: `${page}/comment`,
      sentHref: `${page}/comment/sent`,
    };
  };

  /** The consultation's dates and texts as the templates show them. */
  const describe = (c: PublicConsultation) => ({
    ...c,
    closesText: ukDateTime(c.closesAt),
    closesDate: ukDate(c.closesAt),
    opensText: ukDateTime(c.opensAt),
    notYetOpen: Date.parse(c.opensAt) > Date.now(),
    deleteDate: ukDate(c.personalDataDeletedAfter),
    summaryParagraphs: paragraphs(c.summary),
  });

  const approvedText = (n: number) =>
    n === 0
      ? 'No comments have been published yet.'
      : `${plural(n, 'comment')} ${n === 1 ? 'has' : 'have'} been published.`;

  const consultation = async (id: number) => {
    const c = await getPublicConsultation(db, id);
    if (!c) throw new PageNotFound();
    return c;
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

  const pageContext = async (id: number) => {
    const c = await consultation(id);
    const scenario = await getScenario(db, c.scenarioId);
    if (scenario?.status !== 'published') throw new PageNotFound();
    const [facts, dataset] = await Promise.all([
      consultationFacts(db, c.scenarioId),
      getDataset(db, c.dataset),
    ]);
    return {
      c: describe(c),
      scenario,
      ...links(id),
      factRows: factRows(facts).map((r) => ({ key: { text: r.key }, value: { text: r.value } })),
      approvedText: approvedText(c.approvedComments),
      attribution: dataset?.attribution ?? null,
      viewerHref: await viewerHref(c, scenario),
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
    const all = (await listPublicConsultations(db, await options.areaOf?.(request))).map((c) => ({
      ...describe(c),
      href: `${base}/${c.id}`,
      lead: (() => {
        const first = paragraphs(c.summary)[0] ?? '';
        return first.length > 300 ? `${first.slice(0, 297).trimEnd()}…` : first;
      })(),
    }));
    return render(request, reply, 'list.njk', {
      pageTitle: 'Consultations',
      open: all.filter((c) => c.status === 'open'),
      closed: all.filter((c) => c.status === 'closed'),
    });
  });

  app.get('/:id', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const ctx = await pageContext(request.params.id);
    return render(request, reply, 'consultation.njk', { ...ctx, pageTitle: ctx.c.title, textOnly: false });
  });

  app.get('/:id/text', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const ctx = await pageContext(request.params.id);
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
      pageTitle: `${ctx.c.title} (text-only version)`,
      textOnly: true,
      textOnlyHref: null,
      changeLines: describeChanges(changes, names),
      scenarioParagraphs: paragraphs(ctx.scenario.description),
    });
  });

  app.get('/:id/comments', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const c = await consultation(request.params.id);
    const comments = await listPublicComments(db, c.id);
    const counts = COMMENT_CATEGORIES.map((cat) => ({
      cat,
      n: comments.filter((m) => m.category === cat).length,
    }))
      .filter((x) => x.n > 0)
      .map((x) => `${formatNumber(x.n)}: ${CATEGORY_LABELS[x.cat].toLowerCase()}`);
    return render(request, reply, 'comments.njk', {
      c: describe(c),
      ...links(c.id),
      pageTitle: `Published comments: ${c.title}`,
      backLink: { href: links(c.id).pageHref, text: 'Back' },
      approvedText: approvedText(comments.length),
      counts,
      comments: comments.map((m) => ({
        name: m.name,
        categoryLabel: CATEGORY_LABELS[m.category],
        dateText: ukDate(m.createdAt),
        paragraphs: paragraphs(m.text),
      })),
    });
  });

  const closedPage = (request: FastifyRequest, reply: FastifyReply, c: PublicConsultation, status = 200) =>
    render(
      request,
      reply,
      'error.njk',
      {
        pageTitle: 'This consultation is not taking comments',
        backLink: { href: links(c.id).pageHref, text: 'Back' },
        lines: [
          Date.parse(c.opensAt) > Date.now() && c.status === 'open'
            ? `${c.title} opens for comments at ${ukDateTime(c.opensAt)}.`
            : `${c.title} closed at ${ukDateTime(c.closesAt)}.`,
        ],
      },
      status,
    );

  /** The places a comment can be pinned to, and what the map picker needs (area, site outline, tiles). */
  const pinning = async (c: PublicConsultation) => {
    const [scenario, dataset] = await Promise.all([getScenario(db, c.scenarioId), getDataset(db, c.dataset)]);
    const places = scenario ? await commentPlaces(db, scenario) : [];
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
          }
        : null,
    };
  };

  /** The comment form, empty or as sent back with its errors (GOV.UK error summary and messages). */
  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    c: PublicConsultation,
    form: FormBody,
    fieldErrors: CommentFieldError[] = [],
    pin?: Awaited<ReturnType<typeof pinning>>,
  ) => {
    const { places, map } = pin ?? (await pinning(c));
    // The error summary links to the field at fault (a pinned point: the place question).
    const anchor = (e: CommentFieldError) => (e.field === 'point' ? '#place' : `#${e.field}`);
    return render(
      request,
      reply,
      'comment-form.njk',
      {
        c: describe(c),
        ...links(c.id),
        pageTitle: `Comment on ${c.title}`,
        backLink: { href: links(c.id).pageHref, text: 'Back' },
        actionHref: links(c.id).commentHref,
        form,
        errors: Object.fromEntries(fieldErrors.map((e) => [e.field, e.message])),
        errorList: fieldErrors.map((e) => ({ text: e.message, href: anchor(e) })),
        textMax: COMMENT_LIMITS.textMax,
        honeypot: HONEYPOT_FIELD,
        privacyParagraphs: paragraphs(c.privacyNotice),
        placeItems: [
          { value: '', text: 'No particular place' },
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
    const c = await consultation(request.params.id);
    if (!c.acceptingComments) return closedPage(request, reply, c);
    return formPage(request, reply, c, {});
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
      const c = await consultation(request.params.id);
      if (!c.acceptingComments) return closedPage(request, reply, c, 409);
      const form: FormBody = typeof request.body === 'object' && request.body ? request.body : {};
      if (form[HONEYPOT_FIELD]) {
        request.log.info({ consultation: c.id }, 'comment refused: honeypot filled in');
        return render(
          request,
          reply,
          'error.njk',
          {
            pageTitle: 'Your comment could not be sent',
            lines: ['It looked like it was sent automatically. If you are a person, please try again.'],
          },
          400,
        );
      }
      const pin = await pinning(c);
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
        if (e instanceof CommentValidationError) return formPage(request, reply, c, form, e.errors, pin);
        if (e instanceof ConsultationStateError) return closedPage(request, reply, c, 409);
        throw e;
      }
      // Post/redirect/get: reloading the confirmation does not send the comment again.
      return reply.redirect(links(c.id).sentHref, 303);
    },
  );

  app.get('/:id/comment/sent', { schema: { hide, params: idParams } }, async (request: IdRequest, reply) => {
    const c = await consultation(request.params.id);
    return render(request, reply, 'sent.njk', { c: describe(c), ...links(c.id), pageTitle: 'Comment sent' });
  });

  if (options.staffAuth) {
    await staffPages(app, {
      db,
      auth: options.staffAuth,
      base,
      render,
      basemapTiles,
      signInPerMinute: options.signInPerMinute ?? 10,
    });
  }

  // ---- errors, as pages ----

  const errorPage = (request: FastifyRequest, reply: FastifyReply, status: number) => {
    const pages: Record<number, { pageTitle: string; lines: string[] }> = {
      404: {
        pageTitle: 'Page not found',
        lines: [
          'If you typed the web address, check it is correct.',
          'If you pasted the web address, check you copied the entire address.',
          'The consultation may have been withdrawn.',
        ],
      },
      429: {
        pageTitle: 'You have sent too many comments',
        lines: [
          'To stop automated spam, we limit how many comments can be sent from one connection.',
          'Please wait a few minutes, then try again.',
        ],
      },
      400: { pageTitle: 'There is a problem with your request', lines: ['Go back and try again.'] },
      500: {
        pageTitle: 'Sorry, there is a problem with the service',
        lines: ['Try again later. Your comment, if you were sending one, has not been saved.'],
      },
    };
    if (status === 429 && request.url.startsWith(`${base}/staff`)) {
      pages[429] = {
        pageTitle: 'Too many attempts to sign in',
        lines: ['Please wait a minute, then try again.'],
      };
    }
    const shown = pages[status] ? status : 500;
    return render(request, reply, 'error.njk', pages[shown], shown);
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

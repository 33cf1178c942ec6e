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
import { GOVUK_DIST, STATIC_DIR, stylesheet } from './styles';

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

/** The smallest box around a GeoJSON polygon or multipolygon's coordinates. */
function geometryBbox(g: { coordinates: unknown }): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const walk = (v: unknown) => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      w = Math.min(w, v[0]);
      e = Math.max(e, v[0]);
      s = Math.min(s, v[1]);
      n = Math.max(n, v[1]);
    } else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(g.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

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
  };
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

  /** A link that opens the viewer over the proposal's site (or its dataset's extent). */
  const viewerHref = async (c: PublicConsultation, s: ScenarioRecord) => {
    const bbox = (s.site && geometryBbox(s.site)) ?? (await getDataset(db, c.dataset))?.bbox ?? null;
    const view = { ...decodeViewState('', new Date()), camera: bbox ? homeView(bbox) : null };
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
    const all = (await listPublicConsultations(db)).map((c) => ({
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

  /** The comment form, empty or as sent back with its errors (GOV.UK error summary and messages). */
  const formPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    c: PublicConsultation,
    form: FormBody,
    fieldErrors: CommentFieldError[] = [],
  ) => {
    // The error summary links to the field at fault (a pinned point has no field of its own on the form).
    const anchor = (e: CommentFieldError) => (e.field === 'point' ? '#text' : `#${e.field}`);
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
      },
      fieldErrors.length ? 400 : 200,
    );
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
      const input = {
        name: form.name,
        anonymous: form.anonymous === 'yes',
        email: form.email,
        category: form.category,
        text: form.text,
        lon: form.lon,
        lat: form.lat,
      };
      try {
        await submitComment(db, c.id, input);
      } catch (e) {
        if (e instanceof CommentValidationError) return formPage(request, reply, c, form, e.errors);
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
    const shown = pages[status] ? status : 500;
    return render(request, reply, 'error.njk', pages[shown], shown);
  };

  app.setNotFoundHandler((request, reply) => errorPage(request, reply, 404));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof PageNotFound) return errorPage(request, reply, 404);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'consultation page failed');
    else request.log.info({ status, detail: (error as Error).message }, 'consultation request rejected');
    return errorPage(request, reply, status === 429 ? 429 : status === 404 ? 404 : status >= 500 ? 500 : 400);
  });
}

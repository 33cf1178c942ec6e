/**
 * The council areas this install serves.
 *
 * - `GET /api/areas`: every area's id, name and district (public: which councils the install serves is no
 *   secret, and the public needs the ids for `?council=`).
 * - `GET /api/area`: the request's area (staff: theirs; the public: `?council=`, default `default`) with the
 *   settings the viewer and the consultation site use: camera, boundary, languages, colours, privacy contact.
 * - `PATCH /api/area`: an admin changes their own area's settings (no one changes another area's).
 * - `GET /staff/area`, `POST /staff/area`: the same as a server-rendered form for admins (and a read-only page
 *   for other staff), listing the install's areas.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Lang, type MessageKey, translate } from '@placetwin/consult';
import {
  type Area,
  areaBoundary,
  csrfTokenMatches,
  type Db,
  getArea,
  listAreas,
  parseLanguages,
  updateArea,
} from '@placetwin/db';
import { isDataError } from '@placetwin/geo';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { unauthenticated } from '../../plugins/app/auth';
import { notFound } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

export interface AreaRoutesOptions {
  db: Db;
}

const tags = ['areas'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const CameraSchema = Type.Object({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  height: Type.Number({ exclusiveMinimum: 0, maximum: 1e7 }),
  heading: Type.Number({ minimum: -360, maximum: 360 }),
  pitch: Type.Number({ minimum: -90, maximum: 0 }),
});
const ColoursSchema = Type.Object(
  {
    primary: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
    secondary: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$' })),
  },
  { additionalProperties: false },
);
const LanguageSchema = Type.Union([Type.Literal('en'), Type.Literal('cy')]);

const AreaSummarySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameCy: Nullable(Type.String()),
  lad17cd: Nullable(Type.String()),
});
const AreaSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameCy: Nullable(Type.String()),
  lad17cd: Nullable(Type.String({ description: 'ONS 2017 local authority district code' })),
  camera: Nullable(CameraSchema),
  logoUrl: Nullable(Type.String()),
  colours: ColoursSchema,
  languages: Type.Array(LanguageSchema),
  privacyContact: Nullable(Type.String()),
  retentionDays: Type.Integer(),
  bbox: Nullable(Type.Array(Type.Number(), { minItems: 4, maxItems: 4 })),
  boundary: Nullable(
    Type.Object(
      { type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Any()) },
      { description: 'The ONS district boundary, EPSG:4326' },
    ),
  ),
});
const AreaPatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 150 })),
    nameCy: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 150 }))),
    camera: Type.Optional(Nullable(CameraSchema)),
    logoUrl: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    colours: Type.Optional(ColoursSchema),
    languages: Type.Optional(Type.Array(LanguageSchema, { minItems: 1, maxItems: 2, uniqueItems: true })),
    privacyContact: Type.Optional(Nullable(Type.String({ minLength: 3, maxLength: 500 }))),
    retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

const esc = (s: string | null | undefined) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The staff settings page: the install's areas, and the signed-in member's own area's settings. In Welsh with
 * `?lang=cy` when the member's area declares Welsh (the words from the consultation site's catalogues); messages
 * from the settings checks are in English, marked so.
 */
function settingsPage(o: {
  areas: Area[];
  own: Area;
  canEdit: boolean;
  csrfToken: string;
  lang: Lang;
  message?: string;
  error?: string;
}): string {
  const { own, lang } = o;
  const t = (key: MessageKey, values?: Record<string, string>) => esc(translate(lang, key, values));
  const field = (id: string, label: string, value: string | number | null, hint = '', type = 'text') =>
    `<div class="govuk-form-group"><label class="govuk-label" for="${id}">${label}</label>${
      hint ? `<div id="${id}-hint" class="govuk-hint">${hint}</div>` : ''
    }<input class="govuk-input" id="${id}" name="${id}" type="${type}" value="${esc(String(value ?? ''))}"${
      hint ? ` aria-describedby="${id}-hint"` : ''
    }${o.canEdit ? '' : ' readonly'}></div>`;
  const rows = o.areas
    .map(
      (a) =>
        `<tr class="govuk-table__row"><td class="govuk-table__cell">${esc(a.id)}</td><td class="govuk-table__cell">${esc(
          lang === 'cy' && a.nameCy ? a.nameCy : a.name,
        )}${a.id === own.id ? ` <strong>${t('staffArea.yours')}</strong>` : ''}</td><td class="govuk-table__cell">${esc(
          a.lad17cd ?? '—',
        )}</td><td class="govuk-table__cell">${esc(a.languages.join(', '))}</td></tr>`,
    )
    .join('');
  const name = lang === 'cy' && own.nameCy ? own.nameCy : own.name;
  const other: Lang = lang === 'cy' ? 'en' : 'cy';
  const toggle = own.languages.includes('cy')
    ? `<p class="govuk-body"><a class="govuk-link" href="/staff/area?lang=${other}" hreflang="${other}" lang="${other}">${
        other === 'cy' ? 'Cymraeg' : 'English'
      }</a></p>`
    : '';
  return `<!DOCTYPE html>
<html lang="${lang}" class="govuk-template"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.error ? `${t('chrome.errorPrefix')}: ` : ''}${t('staffArea.title', { name })}</title></head>
<body class="govuk-template__body"><a href="#main" class="govuk-skip-link">${t('chrome.skipLink')}</a>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main">
${toggle}
<h1 class="govuk-heading-l">${t('staffArea.heading', { name })}</h1>
${o.message ? `<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${esc(o.message)}</p></div></div>` : ''}
${o.error ? `<div class="govuk-error-summary" role="alert" tabindex="-1"><h2 class="govuk-error-summary__title">${t('form.errorTitle')}</h2><div class="govuk-error-summary__body"><p lang="en">${esc(o.error)}</p></div></div>` : ''}
<form method="post" action="/staff/area${lang === 'cy' ? '?lang=cy' : ''}" novalidate>
<input type="hidden" name="_csrf" value="${esc(o.csrfToken)}">
${field('name', t('staffArea.name'), own.name)}
${field('nameCy', t('staffArea.nameCy'), own.nameCy, t('staffArea.nameCyHint'))}
${field('languages', t('staffArea.languages'), own.languages.join(','), t('staffArea.languagesHint'))}
${field('privacyContact', t('staffArea.privacyContact'), own.privacyContact, t('staffArea.privacyContactHint'))}
${field('retentionDays', t('staffArea.retention'), own.retentionDays, t('staffArea.retentionHint'), 'number')}
${field('primary', t('staffArea.primary'), own.colours.primary ?? '', t('staffArea.colourHint'))}
${field('secondary', t('staffArea.secondary'), own.colours.secondary ?? '', t('staffArea.colourHint'))}
${o.canEdit ? `<button type="submit" class="govuk-button" data-module="govuk-button">${t('staffArea.save')}</button>` : `<p class="govuk-body">${t('staffArea.readOnly')}</p>`}
</form>
<h2 class="govuk-heading-m">${t('staffArea.areas')}</h2>
<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">${t('staffArea.areas')}</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">${t('staffArea.id')}</th><th scope="col" class="govuk-table__header">${t('staffArea.name')}</th><th scope="col" class="govuk-table__header">${t('staffArea.district')}</th><th scope="col" class="govuk-table__header">${t('staffArea.languages')}</th></tr></thead>
<tbody class="govuk-table__body">${rows}</tbody></table>
<p class="govuk-body">${t('staffArea.operator')} <code lang="en">npx placetwin area add --id &lt;id&gt; --lad17cd &lt;code&gt;</code>.</p>
</main></div></body></html>`;
}

const areaRoutes: FastifyPluginAsyncTypebox<AreaRoutesOptions> = async (app, { db }) => {
  const admins = app.requireRole('admin');
  // The settings form posts urlencoded (as the consultation site's forms do); only this plugin's routes accept it.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 32 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  app.get(
    '/api/areas',
    {
      schema: {
        tags,
        summary: 'The council areas this install serves (use an id as `?council=<id>` on public URLs)',
        response: { 200: Type.Array(AreaSummarySchema) },
      },
    },
    async () => (await listAreas(db)).map(({ id, name, nameCy, lad17cd }) => ({ id, name, nameCy, lad17cd })),
  );

  const current = async (areaId: string) => {
    const a = await getArea(db, areaId);
    if (!a) throw notFound(`no area "${areaId}"`);
    return { ...a, boundary: (await areaBoundary(db, areaId)) as never };
  };

  app.get(
    '/api/area',
    {
      schema: {
        tags,
        summary:
          "This request's area (staff: their own; the public: `?council=`) with its camera and boundary",
        response: { 200: AreaSchema, 404: ProblemSchema },
      },
    },
    async (request) => current(await request.area()),
  );

  app.patch(
    '/api/area',
    {
      preHandler: admins,
      schema: {
        tags,
        summary: "Change your own area's settings (admins of the area)",
        body: AreaPatchSchema,
        response: { 200: AreaSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const areaId = await request.area();
      await updateArea(db, areaId, request.body);
      return current(areaId);
    },
  );

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    user: { areaId: string; role: string; csrfToken: string },
    extra: { saved?: boolean; error?: string } = {},
  ) => {
    const own = (await getArea(db, user.areaId))!;
    // Welsh when asked for and the area declares it (as on the public site); English otherwise.
    const asked = (request.query as { lang?: unknown } | undefined)?.lang;
    const lang: Lang = asked === 'cy' && own.languages.includes('cy') ? 'cy' : 'en';
    return reply
      .code(extra.error ? 400 : 200)
      .type('text/html; charset=utf-8')
      .send(
        settingsPage({
          areas: await listAreas(db),
          own,
          canEdit: user.role === 'admin',
          csrfToken: user.csrfToken,
          lang,
          error: extra.error,
          message: extra.saved ? translate(lang, 'staffArea.saved') : undefined,
        }),
      );
  };

  app.get('/staff/area', { schema: { hide: true } }, async (request, reply) => {
    const user = await request.staff();
    if (!user) return reply.redirect('/consult/staff/sign-in', 303);
    return page(request, reply, user);
  });

  app.post(
    '/staff/area',
    {
      schema: {
        hide: true,
        body: Type.Record(Type.String(), Type.String({ maxLength: 1000 })),
      },
    },
    async (request, reply) => {
      const user = await request.staff();
      if (!user) throw unauthenticated();
      const form = request.body;
      if (user.role !== 'admin' || !csrfTokenMatches(user.csrfToken, form._csrf)) {
        return reply
          .code(403)
          .type('text/html; charset=utf-8')
          .send(
            '<!DOCTYPE html><title>Forbidden</title><p>Forbidden: only an admin of this area, from this page, can change its settings.</p>',
          );
      }
      const opt = (k: string) => (form[k] ?? '').trim();
      try {
        const colours: Record<string, string> = {};
        if (opt('primary')) colours.primary = opt('primary');
        if (opt('secondary')) colours.secondary = opt('secondary');
        const days = opt('retentionDays');
        await updateArea(db, user.areaId, {
          name: opt('name') || undefined,
          nameCy: opt('nameCy') || null,
          languages: parseLanguages(opt('languages') || 'en'),
          privacyContact: opt('privacyContact') || null,
          retentionDays: days === '' ? undefined : /^[0-9]{1,4}$/.test(days) ? Number(days) : Number.NaN,
          colours,
        });
      } catch (e) {
        if (isDataError(e)) return page(request, reply, user, { error: e.message });
        throw e;
      }
      return page(request, reply, user, { saved: true });
    },
  );
};

export default areaRoutes;

/**
 * Tenancy: every request acts in one area (council).
 *
 * - Staff act in their own account's area, always (a `?council=` they send is ignored).
 * - The public names the area with `?council=<id>` (or its ONS district code, `?council=E06000017`) on any URL
 *   (API, consultation site, viewer); without one, the
 *   install's home area `default` (so single-council installs keep their URLs). An unknown area is 404.
 *
 * The guard: for every route, each record the request names (a path parameter such as `/api/scenarios/:id`,
 * `/api/datasets/:name`, `/api/carbon/:dataset/…`, or `dataset`, `feed`, `scenario`, `scenarioId` in the query or
 * body, and `a`/`b` of the scenario comparison) must belong to the request's area; another area's record is
 * "not found": the guard swaps it for a reference no record has, so the route gives its own answer for an id that
 * does not exist (404 for a record in the path; never 403: its existence is not disclosed).
 * The guard runs after the route's own checks (role, CSRF, "drafts are not found by the public"), so a request
 * the route refuses whatever the record (a councillor's write: 403; the public on a staff route: 401) is refused
 * the same way for another area's record as for a missing one. For the public it runs only when the URL names an
 * area: a shared link to one published record (`/consult/7`) needs no `?council=`, and the routes show the
 * public published records only, whichever area they are in.
 * Lists are scoped by the routes themselves, with `await request.area()`.
 */
import { type AreaOwned, type Db, DEFAULT_AREA, isAreaId, LAD17CD, recordArea } from '@placetwin/db';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problems';

declare module 'fastify' {
  interface FastifyRequest {
    /** The area this request acts in: the staff member's, else the public's `?council=` (default `default`). */
    area(): Promise<string>;
  }
}

/** An "unknown record" 404 that the JSON problem handler and the consultation site's HTML pages both show as such. */
class AreaRecordNotFound extends HttpProblem {
  readonly statusCode = 404;
}

const areaOf = new WeakMap<FastifyRequest, Promise<string>>();

/**
 * The public's chosen area, remembered from a page visited with `?council=` (the viewer and the consultation
 * site then ask for that area's lists without repeating it). Functional, not tracking: it holds the area id only.
 */
export const COUNCIL_COOKIE = 'placetwin_council';

/**
 * The `council` query parameter of a URL: the area's id (`area` already means a sensor's neighbourhood), read
 * from the raw URL because route schemas may strip parameters they do not know.
 */
export function areaParam(url: string): string | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  return new URLSearchParams(url.slice(q + 1)).get('council');
}

interface Check {
  kind: AreaOwned;
  value: unknown;
  /** Where the request names it (path, query or body), so another area's record can be made a missing one. */
  at: { source: Record<string, unknown>; key: string };
}

/**
 * A reference no record has: numeric ids are far below 2^53 - 1; names must match patterns a space never does.
 * (Validation has already passed, so the route reads it as it would any unknown id.)
 */
const NO_RECORD = (v: unknown) =>
  typeof v === 'number' || /^[0-9]+$/.test(String(v)) ? Number.MAX_SAFE_INTEGER : ' ';

/** Which path parameter names which record, by the route's URL. */
function paramKind(url: string, param: string): AreaOwned | null {
  if (param === 'dataset' || (param === 'name' && url.startsWith('/api/datasets/:name'))) return 'dataset';
  if (param === 'feed') return 'feed';
  if (param !== 'id') return null;
  if (url.startsWith('/api/scenarios/:id')) return 'scenario';
  if (url.startsWith('/api/stories/:id')) return 'story';
  if (/^\/(api\/(staff\/)?consultations|consult(\/staff)?)\/:id/.test(url)) return 'consultation';
  if (/^\/(api|consult)\/staff\/comments\/:id/.test(url)) return 'comment';
  if (/^\/api\/(energy\/)?buildings\/:id/.test(url)) return 'building';
  if (url.startsWith('/api/sensors/:id')) return 'sensor';
  return null;
}

/** Query and body fields that name a record, whatever the route. */
const FIELD_KINDS: Record<string, AreaOwned> = {
  dataset: 'dataset',
  feed: 'feed',
  scenario: 'scenario',
  scenarioId: 'scenario',
  sensor: 'sensor',
};

/** The records a request names (see the module comment). */
export function namedRecords(request: FastifyRequest): Check[] {
  const url = request.routeOptions.url ?? '';
  const checks: Check[] = [];
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const [param, value] of Object.entries(params)) {
    const kind = paramKind(url, param);
    if (kind) checks.push({ kind, value, at: { source: params, key: param } });
  }
  for (const source of [request.query, request.body]) {
    if (!source || typeof source !== 'object' || Array.isArray(source)) continue;
    const fields = source as Record<string, unknown>;
    for (const [field, value] of Object.entries(fields)) {
      const kind = FIELD_KINDS[field];
      if (kind && (typeof value === 'string' || typeof value === 'number'))
        checks.push({ kind, value, at: { source: fields, key: field } });
    }
  }
  if (url === '/api/scenarios/compare') {
    const q = (request.query ?? {}) as Record<string, unknown>;
    for (const key of ['a', 'b']) {
      const side = q[key];
      if (side !== undefined && side !== 'baseline')
        checks.push({ kind: 'scenario', value: side, at: { source: q, key } });
    }
  }
  return checks;
}

async function areasPlugin(app: FastifyInstance, { db }: { db: Db }) {
  /** The area an id or ONS district code (`?council=leeds` or `?council=E08000035`) names, or null. */
  const knownArea = async (asked: string): Promise<string | null> => {
    if (isAreaId(asked))
      return (await db.query('SELECT 1 FROM areas WHERE id = $1', [asked])).rows.length > 0 ? asked : null;
    if (!LAD17CD.test(asked)) return null;
    return (
      (await db.query<{ id: string }>('SELECT id FROM areas WHERE lad17cd = $1', [asked])).rows[0]?.id ?? null
    );
  };

  app.decorateRequest('area', function (this: FastifyRequest) {
    let a = areaOf.get(this);
    if (!a) {
      a = (async () => {
        const staff = await this.staff();
        if (staff) return staff.areaId;
        const inUrl = areaParam(this.url);
        const remembered = this.cookies?.[COUNCIL_COOKIE];
        const asked = inUrl ?? (remembered && isAreaId(remembered) ? remembered : null);
        if (asked === null || asked === DEFAULT_AREA) return DEFAULT_AREA;
        const known = await knownArea(asked);
        if (known) return known;
        // A remembered area since removed: the first area. One named in the URL: not found.
        if (inUrl === null) return DEFAULT_AREA;
        throw new AreaRecordNotFound(404, 'unknown-area', `no area "${asked.slice(0, 60)}"`);
      })();
      areaOf.set(this, a);
    }
    return a;
  });

  /**
   * Another area's record, wherever the request names it, is replaced by a reference no record has: the route
   * then answers exactly as it does for a missing record (404, or whatever it answers for one: 400 for an
   * unknown dataset in a body, 401 for a device key that fits no sensor…), so nothing tells the two apart.
   */
  const checkNamed = async (request: FastifyRequest) => {
    const checks = namedRecords(request);
    if (checks.length === 0) return;
    const area = await request.area();
    for (const c of checks) {
      const owner = await recordArea(db, c.kind, c.value as string | number);
      if (owner !== null && owner !== area) {
        request.log.info({ kind: c.kind, area }, 'record of another area: answered as not found');
        c.at.source[c.at.key] = NO_RECORD(c.value);
      }
    }
  };
  const guard: preHandlerAsyncHookHandler = async (request) => {
    // A public link to one record (no `?council=`) shows it in its own area: the route still shows the public
    // only what is published. With `?council=`, another area's record is not found.
    if (areaParam(request.url) === null && !(await request.staff())) return;
    await checkNamed(request);
  };

  // A page opened with `?council=<known area>` remembers it for the public's later requests from that page.
  app.addHook('onSend', async (request, reply) => {
    const inUrl = areaParam(request.url);
    if (inUrl === null || request.method !== 'GET' || reply.statusCode >= 400) return;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return;
    const known = isAreaId(inUrl) ? inUrl : LAD17CD.test(inUrl) ? await knownArea(inUrl) : null;
    if (known === null || request.cookies?.[COUNCIL_COOKIE] === known) return;
    reply.setCookie(COUNCIL_COOKIE, known, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      maxAge: 30 * 86_400,
    });
  });

  app.addHook('onRoute', (route: RouteOptions) => {
    const own = route.preHandler === undefined ? [] : [route.preHandler].flat();
    route.preHandler = [...own, guard] as RouteOptions['preHandler'];
  });
}

export default fp(areasPlugin, { name: 'areas', dependencies: ['auth'] });

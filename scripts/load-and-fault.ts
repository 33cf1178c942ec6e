/**
 * Load and fault check of a running Placetwin server: autocannon against the public consultation pages and the
 * tile endpoints (64 connections for 60 s by default), while residents' comments are sent now and then, with the
 * PostgreSQL server stopped and started again in the middle of the run. It reports latency percentiles and the
 * failed requests before, during and after the outage, whether the server answers again without a restart, and
 * whether every comment it accepted (201) is stored.
 *
 *   node --import tsx scripts/load-and-fault.ts --url http://127.0.0.1:8080 [options]
 *
 *   --connections <n>   concurrent connections (default 64)
 *   --duration <s>      seconds of load (default 60)
 *   --fault-at <s>      seconds into the run to stop PostgreSQL (default 20; no fault without --pg-stop)
 *   --fault-for <s>     seconds it stays down (default 10)
 *   --pg-stop <cmd>     shell command that stops it, e.g. "pg_ctlcluster --skip-systemctl-redirect 15 main stop"
 *   --pg-start <cmd>    shell command that starts it again
 *   --json              print one JSON summary line at the end
 *
 * Needs a planner's account in PLACETWIN_EMAIL and PLACETWIN_PASSWORD (to publish a scenario, open a consultation
 * on it and read its comments back). The server's per-address limits must allow one machine's load: start it with
 * PLACETWIN_RATE_LIMIT raised (e.g. 100000000). Comments stay within their own limit (10 per 15 minutes).
 * Exit code 1 when a request fails outside the outage, the server does not recover, or an accepted comment is lost.
 */
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number) => void): void;
  on(event: 'reqError', fn: (error: Error) => void): void;
}
type Autocannon = ((
  opts: object,
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance) & { track?: unknown };
// autocannon ships no type declarations: the two calls used are typed above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '60' },
    'fault-at': { type: 'string', default: '20' },
    'fault-for': { type: 'string', default: '10' },
    'pg-stop': { type: 'string' },
    'pg-start': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
if (!args.url) throw new Error('--url <server> is required');
const base = args.url.replace(/\/$/, '');
const connections = Number(args.connections);
const durationS = Number(args.duration);
const faultAtS = Number(args['fault-at']);
const faultForS = Number(args['fault-for']);
const fault = Boolean(args['pg-stop'] && args['pg-start']);
const log = (...m: unknown[]) => {
  if (!args.json) console.log(...m);
};

let cookie = '';
let csrf = '';
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie, 'x-csrf-token': csrf } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  if (path === '/api/auth/login') cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return (res.status === 204 ? null : await res.json()) as T;
}

// ---- set up: a published scenario with an open consultation on it ----

const email = process.env.PLACETWIN_EMAIL;
const password = process.env.PLACETWIN_PASSWORD;
if (!email || !password) throw new Error('set PLACETWIN_EMAIL and PLACETWIN_PASSWORD to a planner account');
csrf = (await api<{ csrfToken: string }>('POST', '/api/auth/login', { email, password })).csrfToken;
const datasets = await api<{ name: string; tilesetUrl: string | null; bbox: number[] | null }[]>(
  'GET',
  '/api/datasets',
);
const dataset = datasets.find((d) => d.tilesetUrl && d.bbox);
if (!dataset?.tilesetUrl || !dataset.bbox) throw new Error('the server has no tiled dataset');
const scenario = await api<{ id: number; version: number }>('POST', '/api/scenarios', {
  dataset: dataset.name,
  name: `Load test ${new Date().toISOString()}`,
});
await api('POST', `/api/scenarios/${scenario.id}/publish`, { expectedVersion: scenario.version });
const consultation = await api<{ id: number }>('POST', '/api/staff/consultations', {
  title: 'Load test consultation',
  summary: 'Made by scripts/load-and-fault.ts.',
  scenarioId: scenario.id,
  opensAt: new Date(Date.now() - 86_400_000).toISOString(),
  closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
});
await api('POST', `/api/staff/consultations/${consultation.id}/open`);

// The tiles a viewer asks for first: the tileset, its root content and a basemap tile over the dataset's centre.
const tileset = await api<{
  root: { content?: { uri: string }; children?: { content?: { uri: string } }[] };
}>('GET', dataset.tilesetUrl);
const tileDir = dataset.tilesetUrl.slice(0, dataset.tilesetUrl.lastIndexOf('/') + 1);
const contents = [tileset.root.content, ...(tileset.root.children ?? []).map((c) => c.content)]
  .filter((c): c is { uri: string } => Boolean(c?.uri))
  .slice(0, 4)
  .map((c) => `${tileDir}${c.uri}`);
const [w, s, e, n] = dataset.bbox;
const z = 14;
const lat = ((s + n) / 2) * (Math.PI / 180);
const x = Math.floor((((w + e) / 2 + 180) / 360) * 2 ** z);
const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
const c = consultation.id;
const paths = [
  '/consult',
  `/consult/${c}`,
  `/consult/${c}/text`,
  `/consult/${c}/comments`,
  dataset.tilesetUrl,
  ...contents,
  `/basemap/${z}/${x}/${y}.png`,
];
log(
  `Load: ${connections} connections for ${durationS} s over ${paths.length} URLs:\n  ${paths.join('\n  ')}`,
);

// ---- the run ----

const started = Date.now();
const phaseOf = (t: number) => {
  const sec = (t - started) / 1000;
  if (!fault || sec < faultAtS) return 'before';
  return sec < faultAtS + faultForS + 5 ? 'outage' : 'after';
};
const failures = { before: 0, outage: 0, after: 0 };
const answered = { before: 0, outage: 0, after: 0 };

const accepted: number[] = [];
const commentAnswers: { atS: number; status: number | string }[] = [];
const COMMENTS = 9;
const commentTimer = setInterval(
  async () => {
    const atS = Math.round((Date.now() - started) / 1000);
    try {
      const res = await fetch(`${base}/api/consultations/${c}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          anonymous: true,
          category: 'question',
          text: `Load test comment at ${atS} s`,
        }),
      });
      commentAnswers.push({ atS, status: res.status });
      if (res.status === 201) accepted.push(((await res.json()) as { id: number }).id);
    } catch (err) {
      commentAnswers.push({ atS, status: (err as Error).message });
    }
  },
  Math.floor((durationS * 1000) / COMMENTS),
);

let outage: { stoppedAtS: number; startedAtS: number } | null = null;
if (fault) {
  setTimeout(() => {
    log(`${faultAtS} s: stopping PostgreSQL`);
    execSync(args['pg-stop']!, { stdio: 'ignore' });
    const stoppedAtS = (Date.now() - started) / 1000;
    setTimeout(() => {
      log(`${faultAtS + faultForS} s: starting PostgreSQL`);
      execSync(args['pg-start']!, { stdio: 'ignore' });
      outage = { stoppedAtS, startedAtS: (Date.now() - started) / 1000 };
    }, faultForS * 1000);
  }, faultAtS * 1000);
}

const result = await new Promise<AutocannonResult>((resolve, reject) => {
  const instance = autocannon(
    { url: base, connections, duration: durationS, requests: paths.map((path) => ({ method: 'GET', path })) },
    (err, r) => (err ? reject(err) : resolve(r)),
  );
  instance.on('response', (_client, status) => {
    const phase = phaseOf(Date.now());
    answered[phase]++;
    if (status >= 400) failures[phase]++;
  });
  instance.on('reqError', () => {
    failures[phaseOf(Date.now())]++;
  });
});
clearInterval(commentTimer);

// ---- recovery and durability ----

let recoveredAfterMs: number | null = null;
const recoveryStart = Date.now();
while (Date.now() - recoveryStart < 60_000) {
  const ok = await fetch(`${base}/consult/${c}`)
    .then((r) => r.status === 200)
    .catch(() => false);
  if (ok) {
    recoveredAfterMs = Date.now() - recoveryStart;
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}
const stored = new Set(
  (await api<{ id: number }[]>('GET', `/api/staff/consultations/${c}/comments`)).map((x) => x.id),
);
const lost = accepted.filter((id) => !stored.has(id));

const summary = {
  connections,
  durationS,
  requests: result.requests.total,
  requestsPerSecond: result.requests.average,
  latencyMs: {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  },
  non2xx: result.non2xx,
  socketErrors: result.errors,
  timeouts: result.timeouts,
  failedByPhase: failures,
  answeredByPhase: answered,
  outage,
  recoveredAfterMs,
  comments: { sent: commentAnswers, accepted: accepted.length, lost: lost.length },
};
if (args.json) console.log(JSON.stringify(summary));
else console.log(JSON.stringify(summary, null, 2));
const ok = failures.before === 0 && failures.after === 0 && recoveredAfterMs !== null && lost.length === 0;
log(ok ? 'PASS' : 'FAIL');
process.exit(ok ? 0 : 1);

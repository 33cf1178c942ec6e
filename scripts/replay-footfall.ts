/**
 * Replays Leeds City Council's footfall history (../shared/data/leeds-footfall) over MQTT, as the camera sites
 * would have published it, at a chosen speed: the twin's sensor layer then behaves as it would live.
 *
 *   node --import tsx scripts/replay-footfall.ts [options]
 *
 *   --url <mqtt url>        broker (default mqtt://127.0.0.1:1883, or $MQTT_URL)
 *   --speed <n|max>         simulated seconds per real second (default 3600: an hour of counts per second);
 *                           `max` publishes as fast as the broker acknowledges
 *   --from <date>           first instant to replay (ISO 8601, default the file's start, 2009-01-01)
 *   --to <date>             end, exclusive
 *   --sites <a,b>           LocationName values to replay (default all 8)
 *   --limit <n>             stop after n readings
 *   --time original|now     stamp readings with their historical time (default) or the wall clock at publish
 *                           (for a live-looking demo; needs --speed ≤ 3600000 so a site's stamps stay distinct)
 *   --prefix <p>            topic prefix (default placetwin → placetwin/leeds/sensors/<id>/observations)
 *   --register <url>        first register the 8 sites with the server at <url> (needs --admin-token or
 *                           $PLACETWIN_ADMIN_TOKEN)
 *   --json                  print one JSON summary line at the end, nothing else
 *   --preload               read every reading to replay before publishing the first (a load generator whose
 *                           rate the CSV parsing does not limit; used by scripts/bench/sensors.bench.ts)
 *
 * Sites are matched to sensor ids through `sourceName` in packages/sensors/fixtures/leeds-footfall-sites.geojson.
 * Readings are published at QoS 1; the summary counts how many the broker acknowledged.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLeedsFootfall } from '@placetwin/sensors';
import mqtt from 'mqtt';
import { repoRoot, sample } from '../test/support/paths';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
    speed: { type: 'string', default: '3600' },
    from: { type: 'string' },
    to: { type: 'string' },
    sites: { type: 'string' },
    limit: { type: 'string' },
    time: { type: 'string', default: 'original' },
    prefix: { type: 'string', default: 'placetwin' },
    register: { type: 'string' },
    'admin-token': { type: 'string', default: process.env.PLACETWIN_ADMIN_TOKEN },
    json: { type: 'boolean', default: false },
    preload: { type: 'boolean', default: false },
  },
});

const fail = (msg: string): never => {
  console.error(`replay-footfall: ${msg}`);
  process.exit(2);
};
const speed = args.speed === 'max' ? Number.POSITIVE_INFINITY : Number(args.speed);
if (!(speed > 0)) fail(`--speed must be a positive number or max, not ${args.speed}`);
if (args.time !== 'original' && args.time !== 'now') fail('--time must be original or now');
if (args.time === 'now' && speed > 3_600_000) fail('--time now needs --speed ≤ 3600000');
const instant = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? fail(`--${name} ${v} is not a date`) : t;
};
const fromMs = instant('from', args.from) ?? Number.NEGATIVE_INFINITY;
const toMs = instant('to', args.to) ?? Number.POSITIVE_INFINITY;
const limit = args.limit ? Number(args.limit) : Number.POSITIVE_INFINITY;
const sitesWanted = args.sites ? new Set(args.sites.split(',')) : null;
const log = (msg: string) => {
  if (!args.json) console.log(msg);
};

const FIXTURE = join(repoRoot, 'packages/sensors/fixtures/leeds-footfall-sites.geojson');
const fixtureText = readFileSync(FIXTURE, 'utf8');
const fixture = JSON.parse(fixtureText) as {
  features: { id: string; properties: { sourceName: string; area: string } }[];
};
const sensorOf = new Map(fixture.features.map((f) => [f.properties.sourceName, f]));

if (args.register) {
  const res = await fetch(
    new URL('/api/sensors/import?fileName=leeds-footfall-sites.geojson', args.register),
    {
      method: 'POST',
      headers: {
        'content-type': 'application/geo+json',
        authorization: `Bearer ${args['admin-token'] ?? ''}`,
      },
      body: fixtureText,
    },
  );
  if (!res.ok) fail(`registering the sites failed: ${res.status} ${await res.text()}`);
  const r = (await res.json()) as { created: string[]; updated: string[] };
  log(`registered ${r.created.length} new and ${r.updated.length} existing Leeds footfall sites`);
}

/**
 * The file runs day by day, one site at a time within a day: a two-day look-ahead puts the readings in time
 * order across sites.
 */
async function* inTimeOrder() {
  const pending: { site: string; phenomenonTimeMs: number; count: number }[] = [];
  const file = sample('leeds-footfall', 'footfall-hourly-2009-2016.csv.gz');
  for await (const row of readLeedsFootfall(createReadStream(file), { fileName: file })) {
    if (row.phenomenonTimeMs < fromMs || row.phenomenonTimeMs >= toMs) continue;
    if (sitesWanted && !sitesWanted.has(row.site)) continue;
    pending.push(row);
    if (pending.length > 2000) {
      pending.sort((a, b) => a.phenomenonTimeMs - b.phenomenonTimeMs);
      const horizon = pending[pending.length - 1].phenomenonTimeMs - 2 * 86_400_000;
      while (pending.length && pending[0].phenomenonTimeMs < horizon)
        yield pending.shift() as (typeof pending)[0];
    }
  }
  pending.sort((a, b) => a.phenomenonTimeMs - b.phenomenonTimeMs);
  yield* pending;
}

const client = await mqtt.connectAsync(args.url, {
  clientId: `placetwin-replay-${process.pid}`,
  protocolVersion: 5,
});
const MAX_IN_FLIGHT = 1000;
let inFlight = 0;
let published = 0;
let acknowledged = 0;
let failed = 0;
let released: () => void = () => {};
let started = 0;
let firstMs: number | null = null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* source() {
  if (!args.preload) {
    yield* inTimeOrder();
    return;
  }
  const all = [];
  for await (const row of inTimeOrder()) {
    if (all.length >= limit) break;
    all.push(row);
  }
  yield* all;
}

for await (const row of source()) {
  if (published >= limit) break;
  const site = sensorOf.get(row.site);
  if (!site) continue;
  if (firstMs === null) {
    firstMs = row.phenomenonTimeMs;
    started = performance.now();
  }
  if (Number.isFinite(speed)) {
    const due = (row.phenomenonTimeMs - firstMs) / speed - (performance.now() - started);
    if (due > 1) await sleep(due);
  }
  while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (released = r));
  const time = args.time === 'now' ? new Date().toISOString() : new Date(row.phenomenonTimeMs).toISOString();
  const topic = `${args.prefix}/${site.properties.area}/sensors/${site.id}/observations`;
  inFlight++;
  published++;
  client.publish(topic, JSON.stringify({ time, value: row.count, quality: 'good' }), { qos: 1 }, (err) => {
    inFlight--;
    if (err) failed++;
    else acknowledged++;
    released();
  });
  if (published % 10_000 === 0) {
    log(`${published} readings published (${new Date(row.phenomenonTimeMs).toISOString().slice(0, 10)})`);
  }
}
while (inFlight > 0) await new Promise<void>((r) => (released = r));
await client.endAsync();
const seconds = firstMs === null ? 0 : (performance.now() - started) / 1000;
const summary = { published, acknowledged, failed, seconds, perSecond: published / seconds };
if (args.json) console.log(JSON.stringify(summary));
else
  log(
    `done: ${published} published, ${acknowledged} acknowledged by the broker, ${failed} failed, ${seconds.toFixed(1)} s`,
  );

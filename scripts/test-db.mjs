// Runs the DB lane against the embedded PGlite+PostGIS always, and again against the PostgreSQL server
// when DATABASE_URL is set (as CI does), so that both backends run the same SQL.
//
// The two lanes run at the same time (the embedded one is busy in this process's CPU, the server one largely in
// the PostgreSQL server), each line of their output prefixed with its lane; the script fails if either fails.
// PLACETWIN_DB_LANES=serial runs them one after the other instead, with their output as is. Arguments are passed
// on to vitest (e.g. test files, to run just those on both backends).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const { DATABASE_URL, ...embeddedEnv } = process.env;
const lanes = [{ tag: 'pglite', label: 'embedded PGlite + PostGIS', env: embeddedEnv }];
if (DATABASE_URL) lanes.push({ tag: 'pg', label: 'PostgreSQL server (DATABASE_URL)', env: process.env });

const serial = process.env.PLACETWIN_DB_LANES === 'serial' || lanes.length === 1;

/** Runs one lane; resolves to its exit code. With `prefix`, each output line goes out as `[tag] line`. */
function run({ tag, label, env }, prefix) {
  const started = Date.now();
  console.log(`\n=== db tests: ${label} ===`);
  const child = spawn('npx', ['vitest', 'run', '--project', 'db', ...process.argv.slice(2)], {
    env,
    stdio: prefix ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  if (prefix) {
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
        out.write(`[${tag}] ${line}\n`),
      );
    }
  }
  return new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`[${tag}] could not start vitest: ${e.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      const took = Math.round((Date.now() - started) / 1000);
      console.log(
        `=== db tests: ${label}: ${code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${took} s`,
      );
      resolve(code ?? 1);
    });
  });
}

const codes = [];
if (serial) {
  for (const lane of lanes) {
    const code = await run(lane, false);
    codes.push(code);
    if (code !== 0) break;
  }
} else {
  codes.push(...(await Promise.all(lanes.map((lane) => run(lane, true)))));
}
const failed = codes.find((c) => c !== 0);
if (failed !== undefined) process.exit(failed);

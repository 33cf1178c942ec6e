// Runs the DB lane against the embedded PGlite+PostGIS always, and again against the PostgreSQL server
// when DATABASE_URL is set (as CI does), so that both backends run the same SQL.
import { spawnSync } from 'node:child_process';

const run = (label, env) => {
  console.log(`\n=== db tests: ${label} ===`);
  const r = spawnSync('npx', ['vitest', 'run', '--project', 'db'], { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const { DATABASE_URL, ...embeddedEnv } = process.env;
run('embedded PGlite + PostGIS', embeddedEnv);
if (DATABASE_URL) run('PostgreSQL server (DATABASE_URL)', process.env);

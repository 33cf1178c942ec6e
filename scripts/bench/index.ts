/**
 * `npm run bench [name...]`: runs every scripts/bench/*.bench.ts (or those named) and prints figures with
 * ratios to baselines measured in the same run. Not pass/fail.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Bench, printResult } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const f of files) {
  console.log(`\n# ${f.replace('.bench.ts', '')}`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: Bench };
  try {
    for (const r of await mod.default()) printResult(r);
  } catch (e) {
    console.log(`  failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/support/paths.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The cited sample data (`../shared/data` beside the clone), or PLACETWIN_SAMPLE_DATA. */
export const sampleDataDir = process.env.PLACETWIN_SAMPLE_DATA ?? resolve(repoRoot, '../shared/data');

export const sample = (...parts: string[]): string => {
  const p = resolve(sampleDataDir, ...parts);
  if (!existsSync(p)) throw new Error(`sample data file missing: ${p} (set PLACETWIN_SAMPLE_DATA)`);
  return p;
};

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where things live, from the environment; one place so the CLI and the server agree. */
export interface PlacetwinPaths {
  /** PostgreSQL server URL; unset → embedded PGlite + PostGIS under dataDir. */
  databaseUrl: string | undefined;
  /** Embedded database and caches. `PLACETWIN_DATA_DIR`, default `./.placetwin`. */
  dataDir: string;
  /** Built tilesets. `$PLACETWIN_DATA_DIR/tilesets` when that is set, else `./tilesets`. */
  tilesetsDir: string;
  /** The cited sample data. `PLACETWIN_SAMPLE_DATA`, default `../shared/data` beside the repository. */
  sampleDataDir: string;
}

/** The repository root (this file is packages/cli/src/config.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function resolvePaths(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PlacetwinPaths {
  const dataDirEnv = env.PLACETWIN_DATA_DIR?.trim();
  return {
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    dataDir: resolve(cwd, dataDirEnv || '.placetwin'),
    tilesetsDir: dataDirEnv ? resolve(cwd, dataDirEnv, 'tilesets') : resolve(cwd, 'tilesets'),
    sampleDataDir: resolve(cwd, env.PLACETWIN_SAMPLE_DATA?.trim() || join(repoRoot, '../shared/data')),
  };
}

/** The OSTN15 grid (NTv2) inside the sample data, if present. */
export const ostn15GridPath = (sampleDataDir: string): string | null => {
  const p = join(sampleDataDir, 'ostn15/derived/OSTN15_NTv2_OSGBtoETRS.gsb');
  return existsSync(p) ? p : null;
};

/**
 * The site's stylesheet: GOV.UK Frontend compiled from its Sass with Arial instead of GDS Transport (the GOV.UK
 * typeface is licensed only to services on GOV.UK, which a council's site is not) and assets served from this
 * server, followed by the site's own few rules (static/consult.scss). Compiled once in a worker thread, then
 * kept in memory and on disk (keyed by the sources and versions), so restarts are instant.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/** govuk-frontend's dist folder: Nunjucks templates (`govuk/…`), Sass, JavaScript and assets. */
export const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
/** Leaflet's dist folder: its ES module, stylesheet and marker images, served for the maps. */
export const LEAFLET_DIST = join(dirname(require.resolve('leaflet/package.json')), 'dist');
export const GOVUK_VERSION: string = require('govuk-frontend/package.json').version;
/** sass does not export its package.json: find it beside its entry point (part of the stylesheet's cache key). */
const SASS_VERSION: string = JSON.parse(
  readFileSync(join(dirname(require.resolve('sass')), 'package.json'), 'utf8'),
).version;
export const STATIC_DIR = join(here, 'static');

export interface Stylesheet {
  /** Hash of everything the CSS is made from (sources, versions, settings): part of its URL, cached for ever. */
  key: string;
  /** The CSS, compiled on the first call (or read from the cache directory). */
  css(): Promise<string>;
}

const compile = (source: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./styles-worker.mjs', import.meta.url), {
      workerData: { source, loadPaths: [GOVUK_DIST] },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`stylesheet worker exited with code ${code}`));
    });
  });

/** The stylesheet for assets served at `govukAssetsUrl` (no trailing slash), cached in `cacheDir`. */
export function stylesheet(options: { cacheDir: string; govukAssetsUrl: string }): Stylesheet {
  const source =
    `@use "govuk" with ($govuk-font-family: (arial, sans-serif), $govuk-assets-path: "${options.govukAssetsUrl}/");\n` +
    readFileSync(join(STATIC_DIR, 'consult.scss'), 'utf8');
  const key = createHash('sha256')
    .update(`${GOVUK_VERSION}\n${SASS_VERSION}\n${source}`)
    .digest('hex')
    .slice(0, 16);
  const file = join(options.cacheDir, `consult-${key}.css`);
  let pending: Promise<string> | null = null;
  const build = async (): Promise<string> => {
    if (existsSync(file)) return readFile(file, 'utf8');
    const css = await compile(source);
    await mkdir(options.cacheDir, { recursive: true });
    // Written whole, then renamed: two processes compiling at once never leave half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, css);
    await rename(tmp, file);
    return css;
  };
  return {
    key,
    css: () => {
      if (!pending) {
        pending = build();
        pending.catch(() => {
          pending = null;
        });
      }
      return pending;
    },
  };
}

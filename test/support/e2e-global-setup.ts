/**
 * Global setup of the e2e lane: starts Placetwin once on an empty data directory — building the viewer if stale and
 * importing and tiling the sample city, exactly as a first `npm start` does — then stops it cleanly and leaves that
 * directory as a template. Each test file's server then starts on a copy of it (`newDataDir`), so the lane pays for
 * the first-start import once rather than once per file. The first-start path itself is still what the template run
 * exercises: a failure there fails the lane with the server's output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlacetwin, TEMPLATE_ENV } from './placetwin-server';

export default async function setup(): Promise<() => Promise<void>> {
  const template = await mkdtemp(join(tmpdir(), 'placetwin-e2e-template-'));
  const started = Date.now();
  const server = await startPlacetwin({ env: { PLACETWIN_DATA_DIR: template } });
  await server.stop();
  console.log(
    `e2e: sample city imported and tiled once in ${Math.round((Date.now() - started) / 1000)} s (template)`,
  );
  process.env[TEMPLATE_ENV] = template;
  return async () => {
    delete process.env[TEMPLATE_ENV];
    await rm(template, { recursive: true, force: true });
  };
}

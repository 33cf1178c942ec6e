/**
 * `placetwin run <script.ts> --out <dir>`: runs a modeller's scenario script (TypeScript, through tsx), stores the
 * scenario it exports (creating it, or bringing the stored one up to date), builds its overlay tiles and writes
 * indicator reports: `<name>.json` (the same indicators as GET /api/scenarios/:id/indicators, plus one entry
 * per sweep variant) and `<name>.csv` (one row for the baseline, the scenario and each variant).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createScenario,
  type Db,
  evaluateChangeSet,
  findScenario,
  getDataset,
  replaceChanges,
  type ScenarioIndicatorsResult,
  type ScenarioOverlay,
  type ScenarioRecord,
  scenarioIndicators,
  updateScenario,
} from '@placetwin/db';
import { DataError, isDataError } from '@placetwin/geo';
import { USE_CLASSES } from '@placetwin/importers';
import {
  type IndicatorDelta,
  type Indicators,
  isScenarioDraft,
  type ScenarioDraft,
  type StudyArea,
  type SweepValue,
  type Variant,
} from '@placetwin/scenario';
import type { Command } from 'commander';
import { tileScenarioOverlay } from './overlay';

export interface RunScenarioOptions {
  /** Folder for the reports (created). */
  outDir: string;
  /** Where tilesets live; null → no overlay tiles. */
  tilesetsDir: string | null;
}

export interface VariantReport {
  label: Record<string, SweepValue>;
  studyArea: StudyArea | null;
  baseline: Indicators;
  scenario: Indicators;
  delta: IndicatorDelta;
}

export interface ScenarioRunReport {
  script: string;
  scenario: Pick<
    ScenarioRecord,
    'id' | 'dataset' | 'name' | 'description' | 'status' | 'version' | 'changeCount'
  >;
  /** The stored scenario's indicators, exactly as GET /api/scenarios/:id/indicators answers. */
  indicators: ScenarioIndicatorsResult;
  variants: VariantReport[];
  overlay: ScenarioOverlay | null;
  /** Credit for the baseline data, to show wherever the report is used. */
  attribution: string;
}

export interface ScenarioRunResult {
  report: ScenarioRunReport;
  jsonPath: string;
  csvPath: string;
  /** True when the script created the scenario, false when it updated (or left) the stored one. */
  created: boolean;
  /** Changes appended by this run (0 when the stored scenario was already up to date). */
  appended: number;
}

async function loadScript(script: string): Promise<{ draft: ScenarioDraft; variants: Variant[] }> {
  const path = resolve(script);
  if (!existsSync(path)) throw new DataError('file-not-readable', 'no such script', { file: script });
  let mod: { default?: unknown; variants?: unknown };
  try {
    mod = await import(pathToFileURL(path).href);
  } catch (e) {
    if (isDataError(e)) throw new DataError(e.type, e.message, { file: script });
    throw e;
  }
  if (!isScenarioDraft(mod.default)) {
    throw new DataError(
      'invalid-script',
      'the script must `export default createScenario({ dataset, name, ... })` (from @placetwin/scenario)',
      { file: script },
    );
  }
  const variants = mod.variants ?? [];
  if (
    !Array.isArray(variants) ||
    !variants.every((v) => isScenarioDraft(v?.scenario) && typeof v.label === 'object')
  ) {
    throw new DataError(
      'invalid-script',
      '`export const variants` must be the result of scenario.sweep(...)',
      {
        file: script,
      },
    );
  }
  return { draft: mod.default, variants: variants as Variant[] };
}

const slug = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'scenario';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Creates the scenario the draft names, or brings the stored one (same dataset and name) up to date. */
async function storeDraft(
  db: Db,
  draft: ScenarioDraft,
): Promise<{ scenario: ScenarioRecord; created: boolean; appended: number }> {
  let scenario = await findScenario(db, draft.dataset, draft.name);
  const created = !scenario;
  scenario ??= await createScenario(db, {
    dataset: draft.dataset,
    name: draft.name,
    description: draft.description,
    site: draft.site,
  });
  if (!created && scenario.description !== draft.description) {
    scenario = await updateScenario(db, scenario.id, scenario.version, { description: draft.description });
  }
  if (!created) {
    // Compare through the database's own rendering of the site, so an unchanged site is not rewritten.
    const probe = draft.site ? await renderedSite(db, draft) : null;
    if (!sameJson(probe, scenario.site)) {
      scenario = await updateScenario(db, scenario.id, scenario.version, { site: draft.site });
    }
  }
  const edit = await replaceChanges(db, scenario.id, scenario.version, draft.changes);
  return { scenario: edit.scenario, created, appended: edit.seqs.length };
}

async function renderedSite(db: Db, draft: ScenarioDraft): Promise<unknown> {
  const r = await db.query<{ site: unknown }>(
    'SELECT ST_AsGeoJSON(ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326)), 9)::json AS site',
    [JSON.stringify(draft.site)],
  );
  return r.rows[0].site;
}

const CSV_USES = USE_CLASSES.map((u) => `gfa_${u}_m2`);

function csvRows(report: ScenarioRunReport): string {
  const paramKeys = [...new Set(report.variants.flatMap((v) => Object.keys(v.label)))];
  const header = [
    'variant',
    ...paramKeys,
    'buildings',
    'gfa_total_m2',
    ...CSV_USES,
    'homes',
    'jobs',
    'gfa_without_jobs_estimate_m2',
    'max_height_m',
    'footprint_area_m2',
    'site_area_m2',
    'coverage',
    'delta_gfa_total_m2',
    'delta_homes',
    'delta_jobs',
    'delta_max_height_m',
    'delta_coverage',
  ];
  const values = (x: Indicators, d: IndicatorDelta | null) => [
    x.buildings,
    x.gfaM2.total,
    ...USE_CLASSES.map((u) => x.gfaM2.byUse[u]),
    x.homes,
    x.jobs,
    x.gfaWithoutJobsEstimateM2,
    x.maxHeightM,
    x.footprintAreaM2,
    x.siteAreaM2,
    x.coverage,
    d?.gfaM2.total ?? 0,
    d?.homes ?? 0,
    d?.jobs ?? 0,
    d?.maxHeightM ?? 0,
    d?.coverage ?? 0,
  ];
  const blank = paramKeys.map(() => '');
  const i = report.indicators;
  const rows: unknown[][] = [
    ['baseline', ...blank, ...values(i.baseline, null)],
    ['scenario', ...blank, ...values(i.scenario, i.delta)],
    ...report.variants.map((v) => [
      Object.entries(v.label)
        .map(([k, x]) => `${k}=${x}`)
        .join(' '),
      ...paramKeys.map((k) => v.label[k] ?? ''),
      ...values(v.scenario, v.delta),
    ]),
  ];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

/**
 * Runs a scenario script against the database: stores the scenario, tiles its overlay, measures it and its
 * sweep variants (over the stored scenario's site, with the same functions as the API), and writes the reports.
 */
export async function runScenarioScript(
  db: Db,
  script: string,
  options: RunScenarioOptions,
): Promise<ScenarioRunResult> {
  const { draft, variants } = await loadScript(script);
  const ds = await getDataset(db, draft.dataset);
  if (!ds) {
    throw new DataError(
      'unknown-dataset',
      `no dataset named "${draft.dataset}": import it first (npx placetwin import <file> --dataset ${draft.dataset})`,
      { file: script },
    );
  }
  const { scenario, created, appended } = await storeDraft(db, draft);
  const overlay = options.tilesetsDir
    ? await tileScenarioOverlay(db, scenario.id, options.tilesetsDir)
    : null;
  const indicators = await scenarioIndicators(db, scenario.id);
  const variantReports: VariantReport[] = [];
  for (const v of variants) {
    if (v.scenario.dataset !== draft.dataset) {
      throw new DataError('invalid-script', `variant ${JSON.stringify(v.label)} is over another dataset`, {
        file: script,
      });
    }
    try {
      // A variant with the script's site is measured over the stored (database-rendered) site, as the scenario is.
      const site = sameJson(v.scenario.site, draft.site) ? scenario.site : v.scenario.site;
      const x = await evaluateChangeSet(db, draft.dataset, v.scenario.changes, site);
      variantReports.push({ label: v.label, ...x });
    } catch (e) {
      if (isDataError(e)) {
        throw new DataError(e.type, `variant ${JSON.stringify(v.label)}: ${e.message}`, { file: script });
      }
      throw e;
    }
  }
  const report: ScenarioRunReport = {
    script,
    scenario: {
      id: scenario.id,
      dataset: scenario.dataset,
      name: scenario.name,
      description: scenario.description,
      status: scenario.status,
      version: scenario.version,
      changeCount: scenario.changeCount,
    },
    indicators,
    variants: variantReports,
    overlay,
    attribution: ds.attribution,
  };
  await mkdir(options.outDir, { recursive: true });
  const base = join(options.outDir, slug(scenario.name));
  const jsonPath = `${base}.json`;
  const csvPath = `${base}.csv`;
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(csvPath, csvRows(report));
  return { report, jsonPath, csvPath, created, appended };
}

/** Registers `placetwin run` on the program (main.ts), with the program's way of opening the database. */
export function registerRunCommand(
  program: Command,
  ctx: { withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>; tilesetsDir: () => string },
): void {
  program
    .command('run')
    .description(
      'Run a scenario script (TypeScript, using @placetwin/scenario): store the scenario it exports, build its overlay tiles, write JSON and CSV indicator reports',
    )
    .argument('<script>', 'the script, e.g. scenarios/station-quarter.ts')
    .option('-o, --out <dir>', 'folder for the reports', 'out')
    .option('--no-tiles', 'do not build the overlay tileset')
    .action(async (script: string, o: { out: string; tiles: boolean }) => {
      await ctx.withDb(async (db) => {
        const r = await runScenarioScript(db, script, {
          outDir: o.out,
          tilesetsDir: o.tiles ? ctx.tilesetsDir() : null,
        });
        const s = r.report.scenario;
        const d = r.report.indicators.delta;
        console.log(
          `${r.created ? 'Created' : 'Updated'} scenario ${s.id} "${s.name}" (${s.dataset}, ${s.status}, version ${s.version}, ${s.changeCount} changes, ${r.appended} new)`,
        );
        console.log(
          `Against the baseline: ${d.gfaM2.total >= 0 ? '+' : ''}${d.gfaM2.total} m² floor area, ${d.homes >= 0 ? '+' : ''}${d.homes} homes, ${d.jobs >= 0 ? '+' : ''}${d.jobs} jobs; max height ${r.report.indicators.scenario.maxHeightM} m`,
        );
        if (r.report.overlay?.tilesetUrl) console.log(`Overlay tiles: ${r.report.overlay.tilesetUrl}`);
        console.log(`Reports: ${r.jsonPath}, ${r.csvPath} (${r.report.variants.length} variants)`);
      });
    });
}

/**
 * Sun-hours before and after a scenario: the same request run on the dataset as imported (the baseline) and with
 * the scenario's change set applied, and the comparison of the two (the BRE 209 0.8 ratio test on 21 March).
 * Shared by the API (`POST /api/solar/sun-hours` with `scenario`) and the CLI (`placetwin sun-hours --scenario`).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Db, type ScenarioRecord, scenarioOverlayInput } from '@placetwin/db';
import { DataError, transformer } from '@placetwin/geo';
import { apply } from '@placetwin/scenario';
import { compareSunHours, type Obstacle, type SunHoursComparison, type SunHoursGrid } from '@placetwin/solar';
import {
  type ComputeOptions,
  computeSunHours,
  loadSunHoursJob,
  planSunHours,
  SHADE_MARGIN_M,
  type SunHoursJobInput,
  type SunHoursPlan,
  type SunHoursReport,
  type SunHoursRequest,
  sunHoursKey,
  sunHoursReport,
} from './sunHours';
import { sunHoursPng } from './sunHoursOutputs';
import { sunHoursPairCsv, sunHoursPairGeoJson } from './sunHoursPairOutputs';

/** Bumped when the comparison changes, so stored comparisons of the old one are not served. */
const COMPARISON_VERSION = 1;

/** The scenario a comparison was made with, as it stood (its version) when the request came. */
export interface ScenarioRef {
  id: number;
  name: string;
  status: ScenarioRecord['status'];
  version: number;
  dataset: string;
}

export interface ScenarioSunHoursJobs {
  /** Content hash of both inputs and the scenario version: names the comparison. */
  id: string;
  scenario: ScenarioRef;
  /** The dataset as imported. */
  baseline: SunHoursJobInput;
  /** The scenario's change set applied. */
  after: SunHoursJobInput;
  /** The scenario's changes within reach of the area (as shade casters). */
  changed: { added: string[]; modified: string[]; demolished: string[] };
}

/** The comparison of a baseline and a scenario result, as the API and `summary.json` give it. */
export interface SunHoursComparisonReport extends Omit<SunHoursComparison, 'bre209'> {
  /** The comparison's id (not a single grid's). */
  id: string;
  scenario: ScenarioRef;
  /** The two single results (job ids), each with its own files. */
  baselineId: string;
  scenarioResultId: string;
  changed: ScenarioSunHoursJobs['changed'];
  /** BRE 209's pair test on 21 March, else null. */
  bre209: {
    meetsGuidance: boolean;
    meetsTwoHourTest: boolean;
    /** Sunlit area after ÷ before ≥ 0.8 (or nothing was sunlit before). */
    meetsRatioTest: boolean | null;
    minRatio: number;
  } | null;
}

const overlaps = (a: [number, number, number, number], b: [number, number, number, number]) =>
  a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * Loads the baseline and the scenario's shade casters for a checked request. The scenario's buildings replace
 * the baseline ones they modify or demolish; added and modified ones within reach of the area cast shadows.
 * Throws the db's ScenarioNotFoundError (unknown id) or a DataError (another dataset's scenario).
 */
export async function loadScenarioSunHoursJobs(
  db: Db,
  plan: SunHoursPlan,
  scenarioId: number,
): Promise<ScenarioSunHoursJobs> {
  const { scenario, changes, baseline } = await scenarioOverlayInput(db, scenarioId);
  if (scenario.dataset !== plan.dataset)
    throw new DataError(
      'scenario-dataset-mismatch',
      `scenario ${scenario.id} ("${scenario.name}") is over dataset "${scenario.dataset}", not "${plan.dataset}"`,
    );
  const base = await loadSunHoursJob(db, plan);
  const r = apply(baseline, changes);
  const [x0, y0, x1, y1] = plan.bngBox;
  const reach: [number, number, number, number] = [
    x0 - SHADE_MARGIN_M,
    y0 - SHADE_MARGIN_M,
    x1 + SHADE_MARGIN_M,
    y1 + SHADE_MARGIN_M,
  ];
  const toBng = transformer('EPSG:4326', 'EPSG:27700');
  const shown = new Set([...r.added, ...r.modified]);
  const extra: Obstacle[] = [];
  for (const b of r.buildings) {
    if (!shown.has(b.id) || !(b.heightM > b.minHeightM)) continue;
    const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    const footprint = b.footprint.map((poly) =>
      poly.map((ring) => {
        const out = new Float64Array(ring.length);
        for (let k = 0; k < ring.length; k += 2) {
          const [x, y] = toBng(ring[k], ring[k + 1]);
          out[k] = x;
          out[k + 1] = y;
          box[0] = Math.min(box[0], x);
          box[1] = Math.min(box[1], y);
          box[2] = Math.max(box[2], x);
          box[3] = Math.max(box[3], y);
        }
        return out;
      }),
    );
    if (overlaps(box, reach))
      extra.push({ id: b.id, footprint, heightM: b.heightM, minHeightM: b.minHeightM });
  }
  const baseIds = new Set(base.input.obstacles.map((o) => o.id));
  const gone = new Set([...r.modified, ...r.demolished]);
  const obstacles = [...base.input.obstacles.filter((o) => !gone.has(o.id)), ...extra];
  const key = sunHoursKey(plan, obstacles);
  const ref: ScenarioRef = {
    id: scenario.id,
    name: scenario.name,
    status: scenario.status,
    version: scenario.version,
    dataset: scenario.dataset,
  };
  const after: SunHoursJobInput = {
    plan,
    key,
    id: key.slice(0, 32),
    buildings: obstacles.length,
    input: { ...base.input, obstacles, source: `scenario ${scenario.id} v${scenario.version}` },
  };
  const id = createHash('sha256')
    .update(
      JSON.stringify({
        v: COMPARISON_VERSION,
        baseline: base.key,
        after: key,
        scenario: ref,
        areaName: plan.areaName,
      }),
    )
    .digest('hex')
    .slice(0, 32);
  return {
    id,
    scenario: ref,
    baseline: base,
    after,
    changed: {
      added: r.added.filter((b) => extra.some((o) => o.id === b)),
      modified: r.modified.filter((b) => baseIds.has(b) || extra.some((o) => o.id === b)),
      demolished: r.demolished.filter((b) => baseIds.has(b)),
    },
  };
}

/** The comparison of the two computed grids. */
export function sunHoursComparisonReport(
  jobs: Pick<ScenarioSunHoursJobs, 'id' | 'scenario' | 'changed'> & { baselineId: string; afterId: string },
  areaName: string,
  before: SunHoursGrid,
  after: SunHoursGrid,
): SunHoursComparisonReport {
  const { bre209, ...c } = compareSunHours(before, after, { areaName });
  return {
    ...c,
    id: jobs.id,
    scenario: jobs.scenario,
    baselineId: jobs.baselineId,
    scenarioResultId: jobs.afterId,
    changed: jobs.changed,
    bre209: bre209
      ? {
          meetsGuidance: bre209.meetsGuidance,
          meetsTwoHourTest: bre209.meetsTwoHourTest,
          meetsRatioTest: bre209.meetsRatioTest,
          minRatio: 0.8,
        }
      : null,
  };
}

export interface SunHoursScenarioFiles {
  before: SunHoursReport;
  after: SunHoursReport;
  comparison: SunHoursComparisonReport;
  files: {
    summary: string;
    geojson: string;
    csv: string;
    png: string;
    pngWgs84: string;
    pngBefore: string;
    pngBeforeWgs84: string;
  };
}

async function writeWhole(path: string, content: Buffer | string | Iterable<string>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(tmp, content);
  else await pipeline(content as Iterable<string>, createWriteStream(tmp));
  await rename(tmp, path);
}

/**
 * The analysis before and after a scenario to files: `summary.json` (both reports and the comparison),
 * `sun-hours.geojson` and `sun-hours.csv` with the hours before and after per cell, `sun-hours.png` and
 * `sun-hours-wgs84.png` after, `sun-hours-before.png` and `sun-hours-before-wgs84.png` before.
 */
export async function sunHoursScenarioToDir(
  db: Db,
  request: SunHoursRequest,
  scenarioId: number,
  outDir: string,
  options: ComputeOptions = {},
): Promise<SunHoursScenarioFiles> {
  const plan = planSunHours(request);
  const jobs = await loadScenarioSunHoursJobs(db, plan, scenarioId);
  const beforeGrid = await computeSunHours(jobs.baseline.input, options);
  const afterGrid = await computeSunHours(jobs.after.input, options);
  const before = sunHoursReport(jobs.baseline, beforeGrid);
  const after = sunHoursReport(jobs.after, afterGrid);
  const comparison = sunHoursComparisonReport(
    { ...jobs, baselineId: jobs.baseline.id, afterId: jobs.after.id },
    plan.areaName,
    beforeGrid,
    afterGrid,
  );
  const images = await Promise.all([
    sunHoursPng(afterGrid),
    sunHoursPng(afterGrid, 'EPSG:4326'),
    sunHoursPng(beforeGrid),
    sunHoursPng(beforeGrid, 'EPSG:4326'),
  ]);
  await mkdir(outDir, { recursive: true });
  const files = {
    summary: join(outDir, 'summary.json'),
    geojson: join(outDir, 'sun-hours.geojson'),
    csv: join(outDir, 'sun-hours.csv'),
    png: join(outDir, 'sun-hours.png'),
    pngWgs84: join(outDir, 'sun-hours-wgs84.png'),
    pngBefore: join(outDir, 'sun-hours-before.png'),
    pngBeforeWgs84: join(outDir, 'sun-hours-before-wgs84.png'),
  };
  await writeWhole(
    files.geojson,
    sunHoursPairGeoJson(beforeGrid, afterGrid, { comparison, summary: after.summary }),
  );
  await writeWhole(files.csv, sunHoursPairCsv(beforeGrid, afterGrid));
  await writeWhole(files.png, images[0].png);
  await writeWhole(files.pngWgs84, images[1].png);
  await writeWhole(files.pngBefore, images[2].png);
  await writeWhole(files.pngBeforeWgs84, images[3].png);
  await writeWhole(
    files.summary,
    `${JSON.stringify({ comparison, before, after, images: { wgs84Bbox: images[1].bbox } }, null, 2)}\n`,
  );
  return { before, after, comparison, files };
}

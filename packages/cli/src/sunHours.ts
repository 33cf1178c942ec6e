/**
 * Sun-hours analysis from request to result, shared by the API (`POST /api/solar/sun-hours`) and the CLI
 * (`placetwin sun-hours`): check the request, load the buildings that can shade the area, compute the grid in a
 * worker thread with progress, and describe the result (summary, BRE 209 sentence, legend, files).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import { type Db, getDataset } from '@placetwin/db';
import { type BBox, cleanRing, DataError, polygonProblem, signedRingArea, transformer } from '@placetwin/geo';
import {
  BRE209,
  bngGridNorthDeg,
  bre209Amenity,
  type Obstacle,
  type PolygonM,
  type SunHoursGrid,
  type SunHoursInput,
} from '@placetwin/solar';
import { checkInGreatBritain, shadeCasters, wgs84BoxOfBng } from './solarObstacles';
import {
  gridBox,
  type LegendEntry,
  SUN_HOURS_LEGEND,
  sunHoursCsv,
  sunHoursGeoJson,
  sunHoursPng,
} from './sunHoursOutputs';

/** What one request may ask for. Each limit is said in the error that enforces it. */
export const SUN_HOURS_LIMITS = {
  /** Open-ground cells per assessment: 1 km² at 1 m, 4 km² at 2 m (a few seconds on one core). */
  maxCells: 1_000_000,
  /** The area, whatever the cell size. */
  maxAreaKm2: 4,
  /** Cells of the area's bounding box (memory: a long thin diagonal area has a large box). */
  maxGridCells: 4_000_000,
  minCellM: 0.5,
  maxCellM: 10,
  minStepMinutes: 1,
  maxStepMinutes: 60,
  maxVertices: 10_000,
  /** NREL SPA is valid for the years −2000 to 6000; a YYYY-MM-DD date cannot name a year before 1. */
  firstDate: '0001-01-01',
  lastDate: '6000-12-31',
} as const;

/**
 * Buildings this far around the area are shade casters. Further ones shade it only with the sun very low: a 15 m
 * building 300 m away when the sun is below 2.9°, which is minutes after sunrise or before sunset.
 */
export const SHADE_MARGIN_M = 300;

/** Bumped when the computation changes, so cached results of the old one are not served. */
const SUN_HOURS_VERSION = 1;

export interface GeoJsonPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface SunHoursRequest {
  /** The dataset whose buildings cast the shadows. */
  dataset: string;
  /** The area to assess, WGS84 longitude/latitude (RFC 7946): closed rings, outer ring first. */
  area: GeoJsonPolygon;
  /** `YYYY-MM-DD` (default: the next 21 March, BRE 209's date). */
  date?: string;
  /** Cell size, metres (default 1). */
  cellSizeM?: number;
  /** Time step, minutes (default 10). */
  stepMinutes?: number;
  /** What the area is called in the sentence: "garden", "playground" (default "area"). */
  areaName?: string;
}

/** A checked request, with the area in British National Grid metres. */
export interface SunHoursPlan {
  dataset: string;
  date: string;
  cellSizeM: number;
  stepMinutes: number;
  areaName: string;
  /** The area as given (2D positions). */
  area: GeoJsonPolygon;
  /** Outer ring then holes, open rings, BNG metres. */
  areaBng: PolygonM;
  /** Grid (BNG) area of the polygon, m². */
  areaM2: number;
  location: { latDeg: number; lonDeg: number };
  gridNorthDeg: number;
  /** The area's bounding box in BNG metres. */
  bngBox: [number, number, number, number];
}

const bad = (type: string, reason: string): never => {
  throw new DataError(type, reason);
};
const fmt = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** The next 21 March on or after `now` (UTC): BRE 209's day for gardens and open spaces. */
export function defaultSunHoursDate(now: Date = new Date()): string {
  const year = now.getUTCFullYear();
  const thisYear = `${year}-${BRE209.date}`;
  return now.toISOString().slice(0, 10) <= thisYear ? thisYear : `${year + 1}-${BRE209.date}`;
}

function checkDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) bad('invalid-date', `date "${date}" is not YYYY-MM-DD`);
  const [y, mo, d] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    bad('invalid-date', `date "${date}" is not a calendar date`);
  const { firstDate, lastDate } = SUN_HOURS_LIMITS;
  if (date < firstDate || date > lastDate)
    bad(
      'date-out-of-range',
      `date ${date} is outside ${firstDate} to ${lastDate}: the NREL solar position algorithm is valid for the years −2000 to 6000`,
    );
  return date;
}

function checkNumber(
  value: number,
  name: string,
  min: number,
  max: number,
  unit: string,
  integer = false,
): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value)))
    bad(
      `invalid-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      `${name} ${value} is not ${integer ? 'a whole number ' : ''}between ${min} and ${max} ${unit}`,
    );
  return value;
}

/** Checks the area: closed rings of in-range positions in Great Britain, a simple polygon. Open lon/lat rings out. */
function checkArea(area: GeoJsonPolygon): Float64Array[] {
  if (area?.type !== 'Polygon' || !Array.isArray(area.coordinates) || area.coordinates.length === 0)
    bad('invalid-area', 'area must be a GeoJSON Polygon with at least one ring');
  let vertices = 0;
  const rings = area.coordinates.map((ring, r) => {
    const what = r === 0 ? 'the outer ring' : `inner ring ${r}`;
    if (!Array.isArray(ring) || ring.length < 4)
      bad('invalid-area', `area ${what} has ${ring?.length ?? 0} positions; a closed ring needs at least 4`);
    vertices += ring.length;
    const flat = new Float64Array(ring.length * 2);
    ring.forEach((p, i) => {
      const [lon, lat] = Array.isArray(p) ? p : [];
      if (
        typeof lon !== 'number' ||
        typeof lat !== 'number' ||
        !Number.isFinite(lon) ||
        !Number.isFinite(lat)
      )
        bad('invalid-area', `area ${what} position ${i} is not [longitude, latitude]`);
      if (Math.abs(lon) > 180 || Math.abs(lat) > 90)
        bad(
          'invalid-area',
          `area ${what} position ${i} (${lon}, ${lat}) is not a longitude/latitude in degrees`,
        );
      checkInGreatBritain(lon, lat, `area ${what} position ${i}`);
      flat[2 * i] = lon;
      flat[2 * i + 1] = lat;
    });
    const n = flat.length;
    if (flat[0] !== flat[n - 2] || flat[1] !== flat[n - 1])
      bad(
        'unclosed-ring',
        `area ${what} is not closed: its first position (${flat[0]}, ${flat[1]}) differs from its last (${flat[n - 2]}, ${flat[n - 1]}); GeoJSON rings repeat the first position at the end`,
      );
    return cleanRing(flat);
  });
  if (vertices > SUN_HOURS_LIMITS.maxVertices)
    bad('invalid-area', `area has ${vertices} positions; the limit is ${SUN_HOURS_LIMITS.maxVertices}`);
  const problem = polygonProblem(rings);
  if (problem)
    bad(
      /cross|touch|overlap|spike/.test(problem) ? 'self-intersecting-area' : 'invalid-area',
      `area is not a valid polygon: ${problem}`,
    );
  return rings;
}

/** Checks a request (every limit, with the reason in a `DataError`) and puts the area in BNG metres. */
export function planSunHours(request: SunHoursRequest, now: Date = new Date()): SunHoursPlan {
  const limits = SUN_HOURS_LIMITS;
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(request.dataset ?? ''))
    bad('invalid-dataset-name', `dataset "${request.dataset}" is not a dataset name`);
  const date = checkDate(request.date ?? defaultSunHoursDate(now));
  const cellSizeM = checkNumber(
    request.cellSizeM ?? 1,
    'cellSizeM',
    limits.minCellM,
    limits.maxCellM,
    'metres',
  );
  const stepMinutes = checkNumber(
    request.stepMinutes ?? 10,
    'stepMinutes',
    limits.minStepMinutes,
    limits.maxStepMinutes,
    'minutes',
    true,
  );
  const areaName = (request.areaName ?? 'area').trim() || 'area';
  if (!/^[\p{L}\p{N} '’-]{1,40}$/u.test(areaName))
    bad('invalid-area-name', `areaName "${areaName}" must be up to 40 letters, digits, spaces or hyphens`);
  const lonLat = checkArea(request.area);

  const toBng = transformer('EPSG:4326', 'EPSG:27700');
  const areaBng = lonLat.map((ring) => {
    const out = new Float64Array(ring.length);
    for (let k = 0; k < ring.length; k += 2) [out[k], out[k + 1]] = toBng(ring[k], ring[k + 1]);
    return out;
  });
  const areaM2 = areaBng.reduce((a, r, i) => a + (i === 0 ? 1 : -1) * Math.abs(signedRingArea(r)), 0);
  const km2 = areaM2 / 1e6;
  if (km2 > limits.maxAreaKm2)
    bad(
      'area-too-large',
      `the area is ${fmt(km2)} km²; the limit is ${limits.maxAreaKm2} km² whatever the cell size`,
    );
  const cells = areaM2 / cellSizeM ** 2;
  if (cells > limits.maxCells)
    bad(
      'area-too-large',
      `the area is ${fmt(km2)} km², ${fmt(Math.round(cells))} cells of ${cellSizeM} m; the limit is ${fmt(limits.maxCells)} cells (1 km² at 1 m, 4 km² at 2 m): draw a smaller area or use larger cells`,
    );
  const xs = areaBng[0].filter((_, k) => k % 2 === 0);
  const ys = areaBng[0].filter((_, k) => k % 2 === 1);
  const bngBox: [number, number, number, number] = [
    Math.min(...xs),
    Math.min(...ys),
    Math.max(...xs),
    Math.max(...ys),
  ];
  const boxCells =
    Math.ceil((bngBox[2] - bngBox[0]) / cellSizeM) * Math.ceil((bngBox[3] - bngBox[1]) / cellSizeM);
  if (boxCells > limits.maxGridCells)
    bad(
      'area-too-large',
      `the area's bounding box is ${fmt(bngBox[2] - bngBox[0])} × ${fmt(bngBox[3] - bngBox[1])} m, ${fmt(boxCells)} cells of ${cellSizeM} m; the limit is ${fmt(limits.maxGridCells)}: draw a more compact area or use larger cells`,
    );
  const lons = lonLat[0].filter((_, k) => k % 2 === 0);
  const lats = lonLat[0].filter((_, k) => k % 2 === 1);
  const location = {
    lonDeg: (Math.min(...lons) + Math.max(...lons)) / 2,
    latDeg: (Math.min(...lats) + Math.max(...lats)) / 2,
  };
  return {
    dataset: request.dataset,
    date,
    cellSizeM,
    stepMinutes,
    areaName,
    area: { type: 'Polygon', coordinates: request.area.coordinates.map((r) => r.map((p) => [p[0], p[1]])) },
    areaBng,
    areaM2,
    location,
    gridNorthDeg: bngGridNorthDeg(location.lonDeg, location.latDeg),
    bngBox,
  };
}

/** A content hash of everything the answer depends on: the request and every shade caster's geometry. */
export function sunHoursKey(plan: SunHoursPlan, obstacles: readonly Obstacle[]): string {
  const h = createHash('sha256');
  h.update(
    JSON.stringify({
      v: SUN_HOURS_VERSION,
      dataset: plan.dataset,
      date: plan.date,
      cellSizeM: plan.cellSizeM,
      stepMinutes: plan.stepMinutes,
      location: plan.location,
      gridNorthDeg: plan.gridNorthDeg,
      area: plan.areaBng.map((r) => Array.from(r)),
    }),
  );
  for (const o of obstacles) {
    h.update(`|${o.id}|${o.heightM}|${o.minHeightM ?? 0}`);
    for (const poly of o.footprint)
      for (const ring of poly) h.update(new Uint8Array(ring.buffer, ring.byteOffset, ring.byteLength));
  }
  return h.digest('hex');
}

export interface SunHoursJobInput {
  plan: SunHoursPlan;
  input: SunHoursInput;
  /** Content hash of the inputs (see sunHoursKey); its first 32 hex digits name the result. */
  key: string;
  id: string;
  /** Buildings and parts that can shade the area. */
  buildings: number;
}

/** Checks the dataset exists and loads the buildings that can shade the area. */
export async function loadSunHoursJob(db: Db, plan: SunHoursPlan): Promise<SunHoursJobInput> {
  if (!(await getDataset(db, plan.dataset)))
    throw new DataError('unknown-dataset', `no dataset named "${plan.dataset}"`);
  const { obstacles } = await shadeCasters(db, plan.dataset, plan.bngBox, SHADE_MARGIN_M);
  const key = sunHoursKey(plan, obstacles);
  return {
    plan,
    key,
    id: key.slice(0, 32),
    buildings: obstacles.length,
    input: {
      area: plan.areaBng,
      cellM: plan.cellSizeM,
      date: plan.date,
      stepMinutes: plan.stepMinutes,
      location: plan.location,
      obstacles,
      gridNorthDeg: plan.gridNorthDeg,
      source: `dataset ${plan.dataset}`,
    },
  };
}

export interface ComputeOptions {
  /** Strips done, strips in all. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the worker. */
  signal?: AbortSignal;
}

/** Runs `sunHoursInBands` in a worker thread: the caller's event loop stays free, progress comes back. */
export function computeSunHours(input: SunHoursInput, options: ComputeOptions = {}): Promise<SunHoursGrid> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    const worker = new Worker(new URL('./sunHoursWorker.mjs', import.meta.url), { workerData: input });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => reject(options.signal?.reason));
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m) => {
      if (m.kind === 'progress') options.onProgress?.(m.done, m.total);
      else if (m.kind === 'done') finish(() => resolve(m.grid as SunHoursGrid));
      else if (m.kind === 'failed')
        finish(() =>
          reject(
            m.dataError
              ? new DataError(m.dataError.type, m.dataError.reason, m.dataError)
              : new Error(`sun-hours worker failed: ${m.message}`),
          ),
        );
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`sun-hours worker exited with code ${code}`))));
  });
}

export interface SunHoursReport {
  id: string;
  dataset: string;
  date: string;
  cellSizeM: number;
  stepMinutes: number;
  areaName: string;
  area: GeoJsonPolygon;
  /** Where the sun was computed (the area's centre). */
  location: { latDeg: number; lonDeg: number };
  sunrise: string | null;
  sunset: string | null;
  /** Sun positions sampled. */
  steps: number;
  /** The grid in British National Grid metres: cell (col, row) has its centre at origin + (col + ½, row + ½) · cellM. */
  grid: { crs: 'EPSG:27700'; originX: number; originY: number; cellM: number; cols: number; rows: number };
  /** The grid's extent in WGS84 (west, south, east, north). */
  bbox: BBox;
  summary: {
    /** Open ground assessed (inside the area, not under a building), m². */
    areaM2: number;
    /** Share (0–1) of that ground with at least 2 hours of direct sun. */
    shareAtLeast2h: number;
    meanHours: number;
    /** Sunrise to sunset: what open ground with nothing around it receives. */
    daylightHours: number;
    /** Cells assessed. */
    cells: number;
  };
  /** BRE 209's garden test, for 21 March only (null on other dates). */
  bre209: { meetsGuidance: boolean; meetsTwoHourTest: boolean; share: number } | null;
  /** One plain-language sentence: BRE 209's on 21 March, a plain summary on other days. */
  sentence: string;
  legend: readonly LegendEntry[];
  /** Buildings and parts within reach that were tested as shade casters. */
  buildings: number;
  computedIn: 'EPSG:27700';
}

const percent = (share: number) => `${Math.round(share * 100)}%`;
const longDate = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** The summary, BRE 209 sentence and legend of a computed grid. */
export function sunHoursReport(
  job: Pick<SunHoursJobInput, 'plan' | 'id' | 'buildings'>,
  grid: SunHoursGrid,
): SunHoursReport {
  const { plan } = job;
  const is21March = plan.date.slice(5) === BRE209.date;
  const s = grid.summary;
  const bre = is21March ? bre209Amenity(grid, undefined, { areaName: plan.areaName }) : null;
  const sentence =
    bre?.sentence ??
    `On ${longDate(plan.date)}, ${percent(s.shareAtLeast2h)} of the ${plan.areaName} receives at least 2 hours of direct sunlight (on average ${s.meanHours.toFixed(1)} of ${s.daylightHours.toFixed(1)} hours of daylight); BRE 209's garden test is made for 21 March.`;
  return {
    id: job.id,
    dataset: plan.dataset,
    date: plan.date,
    cellSizeM: plan.cellSizeM,
    stepMinutes: plan.stepMinutes,
    areaName: plan.areaName,
    area: plan.area,
    location: plan.location,
    sunrise: grid.sunrise?.toISOString() ?? null,
    sunset: grid.sunset?.toISOString() ?? null,
    steps: grid.steps,
    grid: {
      crs: 'EPSG:27700',
      originX: grid.originX,
      originY: grid.originY,
      cellM: grid.cellM,
      cols: grid.cols,
      rows: grid.rows,
    },
    bbox: wgs84BoxOfBng(gridBox(grid)),
    summary: {
      areaM2: s.areaM2,
      shareAtLeast2h: s.shareAtLeast2h,
      meanHours: s.meanHours,
      daylightHours: s.daylightHours,
      cells: Math.round(s.areaM2 / grid.cellM ** 2),
    },
    bre209: bre
      ? { meetsGuidance: bre.meetsGuidance, meetsTwoHourTest: bre.meetsTwoHourTest, share: bre.shareBefore }
      : null,
    sentence,
    legend: SUN_HOURS_LEGEND,
    buildings: job.buildings,
    computedIn: 'EPSG:27700',
  };
}

/** Reads an area from a GeoJSON file: a Polygon, a Feature with one, or a FeatureCollection of exactly one. */
export async function readAreaFile(file: string): Promise<GeoJsonPolygon> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new DataError('unreadable-area', `cannot read GeoJSON: ${e instanceof Error ? e.message : e}`, {
      file,
    });
  }
  const d = doc as { type?: string; geometry?: unknown; features?: unknown[] };
  const geometry =
    d?.type === 'FeatureCollection' && Array.isArray(d.features) && d.features.length === 1
      ? (d.features[0] as { geometry?: unknown }).geometry
      : d?.type === 'Feature'
        ? d.geometry
        : doc;
  const g = geometry as { type?: string };
  if (g?.type !== 'Polygon')
    throw new DataError(
      'invalid-area',
      'the file must hold one GeoJSON Polygon (a geometry, a Feature, or a FeatureCollection of one feature)',
      { file },
    );
  return geometry as GeoJsonPolygon;
}

export interface SunHoursFiles {
  report: SunHoursReport;
  files: { summary: string; geojson: string; csv: string; png: string; pngWgs84: string };
}

/** Writes a file whole or not at all (to a temporary name, then renamed). */
async function writeWhole(path: string, content: Buffer | string | Iterable<string>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  if (typeof content === 'string' || Buffer.isBuffer(content)) await writeFile(tmp, content);
  else await pipeline(content as Iterable<string>, createWriteStream(tmp));
  await rename(tmp, path);
}

/**
 * The whole analysis to files: `summary.json` (the report), `sun-hours.geojson`, `sun-hours.csv`,
 * `sun-hours.png` (BNG, a pixel per cell) and `sun-hours-wgs84.png` (for draping; its bbox is in the summary).
 * Everything is computed before anything is written.
 */
export async function sunHoursToDir(
  db: Db,
  request: SunHoursRequest,
  outDir: string,
  options: ComputeOptions = {},
): Promise<SunHoursFiles> {
  const plan = planSunHours(request);
  const job = await loadSunHoursJob(db, plan);
  const grid = await computeSunHours(job.input, options);
  const report = sunHoursReport(job, grid);
  const [png, pngWgs84] = await Promise.all([sunHoursPng(grid), sunHoursPng(grid, 'EPSG:4326')]);
  await mkdir(outDir, { recursive: true });
  const files = {
    summary: join(outDir, 'summary.json'),
    geojson: join(outDir, 'sun-hours.geojson'),
    csv: join(outDir, 'sun-hours.csv'),
    png: join(outDir, 'sun-hours.png'),
    pngWgs84: join(outDir, 'sun-hours-wgs84.png'),
  };
  await writeWhole(
    files.geojson,
    sunHoursGeoJson(grid, { summary: report.summary, sentence: report.sentence }),
  );
  await writeWhole(files.csv, sunHoursCsv(grid));
  await writeWhole(files.png, png.png);
  await writeWhole(files.pngWgs84, pngWgs84.png);
  await writeWhole(
    files.summary,
    `${JSON.stringify({ ...report, images: { wgs84Bbox: pngWgs84.bbox } }, null, 2)}\n`,
  );
  return { report, files };
}

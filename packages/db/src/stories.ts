/**
 * Committee stories: a title, a summary and an ordered list of slides, each a saved view of the twin (camera, time,
 * visible layers, a scenario or the baseline, optionally compared side by side) with a short text.
 *
 * Every write names the version it was made on (optimistic concurrency, as scenarios do): a stale one throws
 * `StoryConflictError` with the current version, and nothing is written. What the public may read is decided here,
 * in SQL: published stories whose every slide shows the baseline or a published scenario.
 */
import { DataError } from '@placetwin/geo';
import type { Db } from './db';

export const STORY_STATUSES = ['draft', 'published'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

/** Limits on what staff write (the database enforces the story-level ones too). */
export const STORY_LIMITS = Object.freeze({
  titleMax: 150,
  summaryMax: 5000,
  slidesMax: 50,
  slideTitleMax: 120,
  slideTextMax: 1000,
  layerNameMax: 63,
});

/** A camera pose in geographic terms (WGS84), as the viewer's `CameraView`. */
export interface StoryCamera {
  lon: number;
  lat: number;
  /** Above the WGS84 ellipsoid. */
  heightM: number;
  /** Clockwise from north. */
  headingDeg: number;
  /** 0 looks at the horizon, −90 straight down. */
  pitchDeg: number;
}

export interface StorySlide {
  title: string;
  /** A short text shown as the caption and printed in the report. */
  text: string;
  camera: StoryCamera;
  /** ISO 8601 instant (UTC) of the scene: the sun and shadows follow it. */
  time: string;
  layers: {
    basemap: boolean;
    /** By dataset name; a dataset not listed is shown. */
    buildings: Record<string, boolean>;
  };
  shadows: boolean;
  /** The viewer's colour scheme (`height`, `use`, …). */
  colourBy: string;
  /** The scenario shown, or null for the baseline. */
  scenarioId: number | null;
  /** Baseline and scenario side by side (needs a scenario). */
  compare: boolean;
  /**
   * The sun-hours analysis shown when the slide was saved (the viewer's Sun-hours request), or absent: the report
   * prints its result (share with ≥ 2 h, before and after the slide's scenario, and the BRE 209 verdict).
   */
  sunHours?: StorySunHours;
}

/** A sun-hours request as the viewer's Sun-hours tool (and `POST /api/solar/sun-hours`) defines it. */
export interface StorySunHours {
  dataset: string;
  /** GeoJSON Polygon, WGS84 longitude/latitude, closed rings. */
  area: { type: 'Polygon'; coordinates: number[][][] };
  /** YYYY-MM-DD (BRE 209's day is 21 March). */
  date: string;
  cellSizeM: number;
  stepMinutes: number;
  areaName: string;
  /** Before and after this scenario: it must be the slide's own `scenarioId`. */
  scenario?: number;
}

/** The largest sun-hours area a slide keeps (positions over all rings); the API's own limits apply on top. */
export const STORY_SUN_HOURS_MAX_POSITIONS = 1000;

/** A slide as sent: the switches may be left out (no shadows, colour by height, baseline, no compare). */
export type StorySlideInput = Omit<StorySlide, 'shadows' | 'colourBy' | 'scenarioId' | 'compare'> &
  Partial<Pick<StorySlide, 'shadows' | 'colourBy' | 'scenarioId' | 'compare'>>;

export interface StoryRecord {
  id: number;
  title: string;
  summary: string;
  status: StoryStatus;
  slides: StorySlide[];
  version: number;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export type StorySummary = Omit<StoryRecord, 'slides'> & { slideCount: number };

export interface StoryInput {
  title: string;
  summary?: string;
  slides?: StorySlideInput[];
}

export interface StoryPatch {
  title?: string;
  summary?: string;
  slides?: StorySlideInput[];
  status?: StoryStatus;
}

/** No story with that id (or none the caller may see). Maps to HTTP 404. */
export class StoryNotFoundError extends DataError {
  constructor(readonly storyId: number) {
    super('unknown-story', `no story with id ${storyId}`);
  }
}

/** The write was made on an old version. Maps to HTTP 409 with `currentVersion`. */
export class StoryConflictError extends DataError {
  constructor(
    readonly storyId: number,
    readonly expectedVersion: number,
    readonly currentVersion: number,
  ) {
    super(
      'version-conflict',
      `story ${storyId} is at version ${currentVersion}, not ${expectedVersion}: someone else edited it; reload it and make the edit again on version ${currentVersion}`,
    );
  }
}

/** The story cannot be published as it is (a slide shows a draft scenario). Maps to HTTP 409. */
export class StoryStateError extends DataError {}

const invalid = (detail: string) => new DataError('invalid-story', detail);

function checkText(field: string, v: unknown, min: number, max: number): string {
  const t = typeof v === 'string' ? v.trim() : '';
  if (t.length < min || t.length > max) throw invalid(`${field} must be ${min}–${max} characters`);
  return t;
}

const finiteIn = (v: unknown, lo: number, hi: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;

const isIsoInstant = (v: unknown): v is string =>
  typeof v === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
  !Number.isNaN(Date.parse(v));

const DATASET_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COLOUR_BY = /^[A-Za-z]{1,32}$/;

/**
 * A slide's sun-hours request, checked for its shape (the server also checks it as a sun-hours request: inside
 * Great Britain, a simple polygon, within the cell limits). Its scenario must be the slide's.
 */
export function checkSlideSunHours(v: unknown, at: string, scenarioId: number | null): StorySunHours {
  const where = `${at}.sunHours`;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${where} must be an object`);
  const r = v as Record<string, unknown>;
  const known = new Set(['dataset', 'area', 'date', 'cellSizeM', 'stepMinutes', 'areaName', 'scenario']);
  const extra = Object.keys(r).find((k) => !known.has(k));
  if (extra) throw invalid(`${where}.${extra} is not a sun-hours field`);
  if (typeof r.dataset !== 'string' || !DATASET_NAME.test(r.dataset))
    throw invalid(`${where}.dataset must be a dataset name`);
  if (typeof r.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.date))
    throw invalid(`${where}.date must be a day, YYYY-MM-DD`);
  if (!finiteIn(r.cellSizeM, 0.5, 10)) throw invalid(`${where}.cellSizeM must be 0.5–10 metres`);
  if (!finiteIn(r.stepMinutes, 1, 60) || !Number.isInteger(r.stepMinutes))
    throw invalid(`${where}.stepMinutes must be a whole number of minutes, 1–60`);
  if (typeof r.areaName !== 'string' || !/^[\p{L}\p{N} '’-]{1,40}$/u.test(r.areaName))
    throw invalid(`${where}.areaName must be up to 40 letters, digits, spaces or hyphens`);
  const area = r.area as { type?: unknown; coordinates?: unknown } | null;
  if (
    typeof area !== 'object' ||
    area === null ||
    area.type !== 'Polygon' ||
    !Array.isArray(area.coordinates)
  )
    throw invalid(`${where}.area must be a GeoJSON Polygon`);
  let positions = 0;
  const coordinates = area.coordinates.map((ring: unknown, k: number) => {
    if (!Array.isArray(ring) || ring.length < 4)
      throw invalid(`${where}.area ring ${k} needs at least 4 positions`);
    positions += ring.length;
    return ring.map((p: unknown) => {
      if (!Array.isArray(p) || !finiteIn(p[0], -180, 180) || !finiteIn(p[1], -90, 90))
        throw invalid(`${where}.area ring ${k} has a position that is not [longitude, latitude]`);
      return [p[0], p[1]];
    });
  });
  if (coordinates.length === 0) throw invalid(`${where}.area must have an outer ring`);
  if (positions > STORY_SUN_HOURS_MAX_POSITIONS)
    throw invalid(
      `${where}.area has ${positions} positions; a slide keeps at most ${STORY_SUN_HOURS_MAX_POSITIONS}`,
    );
  if (r.scenario !== undefined && r.scenario !== null && r.scenario !== scenarioId)
    throw invalid(
      `${where}.scenario must be the slide's own scenario (${scenarioId ?? 'none: the slide shows the baseline'})`,
    );
  return {
    dataset: r.dataset,
    area: { type: 'Polygon', coordinates },
    date: r.date,
    cellSizeM: r.cellSizeM,
    stepMinutes: r.stepMinutes,
    areaName: r.areaName,
    ...(typeof r.scenario === 'number' ? { scenario: r.scenario } : {}),
  };
}

/** A slide as stored: checked field by field, with names that say which slide and field is wrong. */
export function checkSlide(s: unknown, index: number): StorySlide {
  const at = `slides[${index}]`;
  if (typeof s !== 'object' || s === null) throw invalid(`${at} must be an object`);
  const slide = s as Partial<StorySlide>;
  const L = STORY_LIMITS;
  const c = slide.camera as Partial<StoryCamera> | undefined;
  if (
    !c ||
    !finiteIn(c.lon, -180, 180) ||
    !finiteIn(c.lat, -90, 90) ||
    !finiteIn(c.heightM, -500, 5e7) ||
    !finiteIn(c.headingDeg, -360, 360) ||
    !finiteIn(c.pitchDeg, -90, 90)
  ) {
    throw invalid(
      `${at}.camera must have lon (−180…180), lat (−90…90), heightM, headingDeg (−360…360) and pitchDeg (−90…90)`,
    );
  }
  if (!isIsoInstant(slide.time))
    throw invalid(`${at}.time must be an ISO 8601 instant, e.g. 2026-06-21T11:00:00Z`);
  const layers = slide.layers;
  if (typeof layers !== 'object' || layers === null || typeof layers.basemap !== 'boolean') {
    throw invalid(`${at}.layers must say whether the basemap is shown`);
  }
  const buildings: Record<string, boolean> = {};
  for (const [name, shown] of Object.entries(layers.buildings ?? {})) {
    if (!DATASET_NAME.test(name) || typeof shown !== 'boolean') {
      throw invalid(`${at}.layers.buildings must map dataset names to true or false`);
    }
    buildings[name] = shown;
  }
  const scenarioId = slide.scenarioId ?? null;
  if (scenarioId !== null && (!Number.isInteger(scenarioId) || scenarioId < 1)) {
    throw invalid(`${at}.scenarioId must be the id of a scenario, or null for the baseline`);
  }
  if (slide.compare && scenarioId === null) throw invalid(`${at}.compare needs a scenario to compare with`);
  const colourBy = slide.colourBy ?? 'height';
  if (!COLOUR_BY.test(colourBy)) throw invalid(`${at}.colourBy must be a colour scheme name`);
  return {
    title: checkText(`${at}.title`, slide.title, 1, L.slideTitleMax),
    text: checkText(`${at}.text`, slide.text ?? '', 0, L.slideTextMax),
    camera: { lon: c.lon, lat: c.lat, heightM: c.heightM, headingDeg: c.headingDeg, pitchDeg: c.pitchDeg },
    time: new Date(Date.parse(slide.time)).toISOString().replace('.000Z', 'Z'),
    layers: { basemap: layers.basemap, buildings },
    shadows: slide.shadows === true,
    colourBy,
    scenarioId,
    compare: slide.compare === true,
    ...(slide.sunHours === undefined || slide.sunHours === null
      ? {}
      : { sunHours: checkSlideSunHours(slide.sunHours, at, scenarioId) }),
  };
}

function checkSlides(slides: unknown): StorySlide[] {
  if (!Array.isArray(slides)) throw invalid('slides must be a list');
  if (slides.length > STORY_LIMITS.slidesMax)
    throw invalid(`a story has at most ${STORY_LIMITS.slidesMax} slides`);
  return slides.map(checkSlide);
}

const ts = (col: string) => `to_char((${col}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const STORY_COLUMNS = `
  st.id, st.title, st.summary, st.status, st.version, st.created_by AS "createdBy",
  ${ts('st.created_at')} AS "createdAt", ${ts('st.updated_at')} AS "updatedAt",
  CASE WHEN st.published_at IS NULL THEN NULL ELSE ${ts('st.published_at')} END AS "publishedAt"`;

/** Slides that show a scenario the public may not see (a draft, or one deleted since). */
const UNPUBLISHED_SCENARIOS = `
  SELECT (e->>'scenarioId')::bigint AS id FROM jsonb_array_elements(st.slides) e
  LEFT JOIN scenarios s ON s.id = (e->>'scenarioId')::bigint AND s.area_id = st.area_id
  WHERE jsonb_typeof(e->'scenarioId') = 'number' AND (s.id IS NULL OR s.status <> 'published')`;
/** The one rule for what the public sees. */
const PUBLIC_WHERE = `st.status = 'published' AND NOT EXISTS (${UNPUBLISHED_SCENARIOS})`;

/** A story, or null. `publicOnly`: null unless the public may read it. */
export async function getStory(
  db: Db,
  id: number,
  { publicOnly = false, areaId }: { publicOnly?: boolean; areaId?: string } = {},
): Promise<StoryRecord | null> {
  const r = await db.query<StoryRecord>(
    `SELECT ${STORY_COLUMNS}, st.slides FROM stories st WHERE st.id = $1 AND ($2::text IS NULL OR st.area_id = $2)
     ${publicOnly ? `AND ${PUBLIC_WHERE}` : ''}`,
    [id, areaId ?? null],
  );
  return r.rows[0] ?? null;
}

/** Stories, most recently changed first: every one for staff, the public's only with `publicOnly`. */
export async function listStories(
  db: Db,
  { publicOnly = false, areaId }: { publicOnly?: boolean; areaId?: string } = {},
): Promise<StorySummary[]> {
  const r = await db.query<StorySummary>(
    `SELECT ${STORY_COLUMNS}, jsonb_array_length(st.slides)::int AS "slideCount" FROM stories st
     WHERE ($1::text IS NULL OR st.area_id = $1) ${publicOnly ? `AND ${PUBLIC_WHERE}` : ''}
     ORDER BY st.updated_at DESC, st.id DESC`,
    [areaId ?? null],
  );
  return r.rows;
}

/** Every slide's scenario exists in the story's area (another area's scenario is "no scenario" to it). */
async function checkScenariosExist(tx: Db, slides: readonly StorySlide[], areaId: string): Promise<void> {
  const ids = [...new Set(slides.flatMap((s) => (s.scenarioId === null ? [] : [s.scenarioId])))];
  if (ids.length === 0) return;
  const found = new Set(
    (
      await tx.query<{ id: number }>(
        'SELECT id FROM scenarios WHERE id = ANY($1::bigint[]) AND area_id = $2',
        [ids, areaId],
      )
    ).rows.map((r) => r.id),
  );
  const index = slides.findIndex((s) => s.scenarioId !== null && !found.has(s.scenarioId));
  if (index >= 0)
    throw invalid(`slides[${index}].scenarioId: no scenario with id ${slides[index].scenarioId}`);
}

/** A new story, in draft. */
export async function createStory(
  db: Db,
  input: StoryInput,
  createdBy: number | null = null,
  areaId = 'default',
): Promise<StoryRecord> {
  const title = checkText('title', input.title, 1, STORY_LIMITS.titleMax);
  const summary = checkText('summary', input.summary ?? '', 0, STORY_LIMITS.summaryMax);
  const slides = checkSlides(input.slides ?? []);
  return db.transaction(async (tx) => {
    await checkScenariosExist(tx, slides, areaId);
    const r = await tx.query<{ id: number }>(
      'INSERT INTO stories (title, summary, slides, created_by, area_id) VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING id',
      [title, summary, JSON.stringify(slides), createdBy, areaId],
    );
    return (await getStory(tx, r.rows[0].id))!;
  });
}

/** Locks the story's row and checks the version the write was made on. */
async function lockAt(tx: Db, id: number, expectedVersion: number): Promise<StoryRecord> {
  const r = await tx.query<{ version: number }>('SELECT version FROM stories WHERE id = $1 FOR UPDATE', [id]);
  if (!r.rows[0]) throw new StoryNotFoundError(id);
  if (r.rows[0].version !== expectedVersion)
    throw new StoryConflictError(id, expectedVersion, r.rows[0].version);
  return (await getStory(tx, id))!;
}

/**
 * Changes a story (any of title, summary, the whole slide list, status) as one write on `expectedVersion`. Publishing
 * needs every slide's scenario published: the public must never be shown a draft through a story.
 */
export async function updateStory(
  db: Db,
  id: number,
  expectedVersion: number,
  patch: StoryPatch,
): Promise<StoryRecord> {
  const title =
    patch.title === undefined ? undefined : checkText('title', patch.title, 1, STORY_LIMITS.titleMax);
  const summary =
    patch.summary === undefined ? undefined : checkText('summary', patch.summary, 0, STORY_LIMITS.summaryMax);
  const slides = patch.slides === undefined ? undefined : checkSlides(patch.slides);
  if (patch.status !== undefined && !STORY_STATUSES.includes(patch.status)) {
    throw invalid(`status must be one of ${STORY_STATUSES.join(', ')}`);
  }
  return db.transaction(async (tx) => {
    const current = await lockAt(tx, id, expectedVersion);
    const next = slides ?? current.slides;
    const area = (await tx.query<{ a: string }>('SELECT area_id AS a FROM stories WHERE id = $1', [id]))
      .rows[0].a;
    if (slides) await checkScenariosExist(tx, slides, area);
    const status = patch.status ?? current.status;
    if (status === 'published') {
      const r = await tx.query<{ id: number }>(
        `SELECT DISTINCT u.id FROM (SELECT $1::jsonb AS slides, $2::text AS area_id) st,
           LATERAL (${UNPUBLISHED_SCENARIOS}) u ORDER BY u.id`,
        [JSON.stringify(next), area],
      );
      if (r.rows.length > 0) {
        throw new StoryStateError(
          'story-not-publishable',
          `publish scenario ${r.rows.map((x) => x.id).join(', ')} first: a published story shows only published scenarios`,
        );
      }
    }
    await tx.query(
      `UPDATE stories SET title = coalesce($2, title), summary = coalesce($3, summary),
         slides = coalesce($4::jsonb, slides), status = $5, version = version + 1, updated_at = now(),
         published_at = CASE WHEN $5 = 'published' THEN coalesce(published_at, now()) ELSE NULL END
       WHERE id = $1`,
      [id, title ?? null, summary ?? null, slides ? JSON.stringify(slides) : null, status],
    );
    return (await getStory(tx, id))!;
  });
}

/** Deletes a story made on `expectedVersion`. */
export async function deleteStory(db: Db, id: number, expectedVersion: number): Promise<void> {
  await db.transaction(async (tx) => {
    await lockAt(tx, id, expectedVersion);
    await tx.query('DELETE FROM stories WHERE id = $1', [id]);
  });
}

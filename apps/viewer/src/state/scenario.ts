/**
 * The scenario editor's pure pieces: the server's scenario JSON checked at the edge (see the API section of
 * packages/scenario/README.md), the changes the editor sends, the words the change list and the problems use, the
 * indicator rows with their deltas, and the show expressions for the compare swipe.
 */
import { type LonLat, polygonOf } from './sunHours';

/** The importers' use classes (packages/importers/src/use.ts), in the order the indicator panel lists them. */
export const USES = [
  'residential',
  'commercial',
  'retail',
  'industrial',
  'education',
  'healthcare',
  'religious',
  'civic',
  'agricultural',
  'outbuilding',
  'unknown',
] as const;
export type Use = (typeof USES)[number];

/** The server's limits (packages/scenario LIMITS): the form checks them first so the user learns sooner. */
export const STOREYS_MAX = 300;
export const HEIGHT_MAX_M = 1000;

export interface ScenarioOverlayInfo {
  changesVersion: number;
  tilesetUrl: string | null;
  hiddenBuildingIds: string[];
  added: string[];
  modified: string[];
  demolished: string[];
}

export interface Scenario {
  id: number;
  dataset: string;
  name: string;
  description: string;
  status: 'draft' | 'published';
  version: number;
  changeCount: number;
  redoCount: number;
  overlay: ScenarioOverlayInfo | null;
}

export type FootprintJson =
  | { type: 'Polygon'; coordinates: LonLat[][] }
  | { type: 'MultiPolygon'; coordinates: LonLat[][][] };

export type Change =
  | {
      op: 'add';
      id: string;
      footprint: FootprintJson;
      use: Use;
      storeys?: number;
      heightM?: number;
      name?: string;
      /** Turned clockwise seen from above, degrees (about rotateAbout, or the footprint's centre). */
      rotationDeg?: number;
      rotateAbout?: LonLat;
    }
  | {
      op: 'modify';
      id: string;
      storeys?: number;
      heightM?: number;
      use?: Use;
      name?: string;
      footprint?: FootprintJson;
      rotationDeg?: number;
      rotateAbout?: LonLat;
    }
  | { op: 'demolish'; id: string }
  | { op: 'set-attribute'; id: string; key: string; value: unknown };

export interface ChangeRecord {
  seq: number;
  state: 'active' | 'undone' | 'discarded';
  change: Change;
}

/** `GET /api/scenarios/:id/overlay`, the parts the scene uses. */
export interface OverlayAnswer {
  version: number;
  baselineTilesetUrl: string;
  tilesetUrl: string | null;
  hiddenBuildingIds: string[];
  show: string;
}

export interface IndicatorFigures {
  buildings: number;
  gfaM2: { total: number; byUse: Record<string, number> };
  homes: number;
  jobs: number;
  maxHeightM: number;
  footprintAreaM2: number;
  coverage: number | null;
}

export interface IndicatorsAnswer {
  version: number;
  studyArea: { source: 'site' | 'dataset-extent'; areaM2: number };
  baseline: IndicatorFigures;
  scenario: IndicatorFigures;
  delta: IndicatorFigures;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const num = (x: unknown, what: string): number => {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`the server's ${what} is not a number`);
  return x;
};
const str = (x: unknown, what: string): string => {
  if (typeof x !== 'string') throw new Error(`the server's ${what} is not text`);
  return x;
};
const strings = (x: unknown, what: string): string[] => {
  if (!Array.isArray(x)) throw new Error(`the server's ${what} is not a list`);
  return x.map((s) => str(s, what));
};

export function parseScenario(body: unknown): Scenario {
  if (!isObj(body)) throw new Error('the server did not answer with a scenario');
  const o = body.overlay;
  return {
    id: num(body.id, 'scenario id'),
    dataset: str(body.dataset, 'scenario dataset'),
    name: str(body.name, 'scenario name'),
    description: typeof body.description === 'string' ? body.description : '',
    status: body.status === 'published' ? 'published' : 'draft',
    version: num(body.version, 'scenario version'),
    changeCount: num(body.changeCount, 'change count'),
    redoCount: num(body.redoCount, 'redo count'),
    overlay: isObj(o)
      ? {
          changesVersion: num(o.changesVersion, 'overlay version'),
          tilesetUrl: typeof o.tilesetUrl === 'string' ? o.tilesetUrl : null,
          hiddenBuildingIds: strings(o.hiddenBuildingIds ?? [], 'hidden ids'),
          added: strings(o.added ?? [], 'added ids'),
          modified: strings(o.modified ?? [], 'modified ids'),
          demolished: strings(o.demolished ?? [], 'demolished ids'),
        }
      : null,
  };
}

export function parseScenarioList(body: unknown): Scenario[] {
  if (!Array.isArray(body)) throw new Error('the server did not answer with a list of scenarios');
  return body.map(parseScenario);
}

export function parseChanges(body: unknown): ChangeRecord[] {
  if (!isObj(body) || !Array.isArray(body.changes)) throw new Error('the server did not answer with changes');
  return body.changes.map((c: unknown) => {
    if (!isObj(c) || !isObj(c.change)) throw new Error('a change from the server is malformed');
    const state = c.state === 'undone' || c.state === 'discarded' ? c.state : 'active';
    return { seq: num(c.seq, 'change seq'), state, change: c.change as unknown as Change };
  });
}

export function parseOverlay(body: unknown): OverlayAnswer {
  if (!isObj(body) || !isObj(body.hideStyle)) throw new Error('the server did not answer with an overlay');
  return {
    version: num(body.version, 'overlay version'),
    baselineTilesetUrl: str(body.baselineTilesetUrl, 'baseline tileset URL'),
    tilesetUrl: typeof body.tilesetUrl === 'string' ? body.tilesetUrl : null,
    hiddenBuildingIds: strings(body.hiddenBuildingIds, 'hidden ids'),
    show: str(body.hideStyle.show, 'show expression'),
  };
}

function parseFigures(x: unknown, what: string): IndicatorFigures {
  if (!isObj(x) || !isObj(x.gfaM2)) throw new Error(`the server's ${what} indicators are malformed`);
  const byUse: Record<string, number> = {};
  for (const [k, v] of Object.entries(isObj(x.gfaM2.byUse) ? x.gfaM2.byUse : {}))
    byUse[k] = num(v, `${k} GFA`);
  return {
    buildings: num(x.buildings, 'building count'),
    gfaM2: { total: num(x.gfaM2.total, 'GFA'), byUse },
    homes: num(x.homes, 'homes'),
    jobs: num(x.jobs, 'jobs'),
    maxHeightM: num(x.maxHeightM, 'maximum height'),
    footprintAreaM2: num(x.footprintAreaM2, 'footprint area'),
    coverage: typeof x.coverage === 'number' ? x.coverage : null,
  };
}

export function parseIndicators(body: unknown): IndicatorsAnswer {
  if (!isObj(body) || !isObj(body.studyArea)) throw new Error('the server did not answer with indicators');
  return {
    version: num(body.version, 'indicators version'),
    studyArea: {
      source: body.studyArea.source === 'site' ? 'site' : 'dataset-extent',
      areaM2: num(body.studyArea.areaM2, 'study area'),
    },
    baseline: parseFigures(body.baseline, 'baseline'),
    scenario: parseFigures(body.scenario, 'scenario'),
    delta: parseFigures(body.delta, 'delta'),
  };
}

/** An id for a new building, `new/<slug>`, that none of `taken` has (the server's rule: letters, digits, `_ - .`). */
export function newBuildingId(name: string, taken: ReadonlySet<string>): string {
  const slug =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 40) || 'building';
  if (!taken.has(`new/${slug}`)) return `new/${slug}`;
  for (let n = 2; ; n++) if (!taken.has(`new/${slug}-${n}`)) return `new/${slug}-${n}`;
}

/** The ids of buildings a change list adds (every state: an undone add's id may come back with redo). */
export function addedIds(changes: readonly ChangeRecord[]): Set<string> {
  return new Set(changes.filter((c) => c.change.op === 'add').map((c) => c.change.id));
}

export interface MassingForm {
  name: string;
  use: Use;
  /** Whole storeys, or null to derive them from the height. */
  storeys: number | null;
  /** Metres to the top, or null for storeys × 3 m. */
  heightM: number | null;
}

/** What is wrong with a massing form, in words that say what to fix, or null. */
export function massingProblem(f: MassingForm, needsOne = true): string | null {
  if (f.storeys !== null && (!Number.isInteger(f.storeys) || f.storeys < 1 || f.storeys > STOREYS_MAX))
    return `Storeys must be a whole number from 1 to ${STOREYS_MAX}.`;
  if (f.heightM !== null && (!Number.isFinite(f.heightM) || f.heightM <= 0 || f.heightM > HEIGHT_MAX_M))
    return `Height must be more than 0 and at most ${HEIGHT_MAX_M} m.`;
  if (f.storeys !== null && f.heightM !== null && f.heightM < f.storeys * 2)
    return `${f.storeys} storeys need at least ${f.storeys * 2} m (2 m a storey): raise the height or reduce the storeys.`;
  if (needsOne && f.storeys === null && f.heightM === null) return 'Give the storeys or the height.';
  return null;
}

/** The `add` change for a drawn footprint (an open ring of lon/lat corners). */
export function addChange(points: readonly LonLat[], f: MassingForm, taken: ReadonlySet<string>): Change {
  const change: Change = {
    op: 'add',
    id: newBuildingId(f.name, taken),
    footprint: polygonOf(points),
    use: f.use,
  };
  if (f.storeys !== null) change.storeys = f.storeys;
  if (f.heightM !== null) change.heightM = f.heightM;
  if (f.name.trim()) change.name = f.name.trim();
  return change;
}

/** The `modify` change for a form over an existing building: only the fields given. */
export function modifyChange(
  id: string,
  f: Partial<MassingForm> & { rotationDeg?: number | null },
): Change | null {
  const change: Change = { op: 'modify', id };
  if (f.storeys != null) change.storeys = f.storeys;
  if (f.heightM != null) change.heightM = f.heightM;
  if (f.use) change.use = f.use;
  if (f.rotationDeg) change.rotationDeg = f.rotationDeg;
  return Object.keys(change).length > 2 ? change : null;
}

/** A turn typed in a form (degrees clockwise, blank for none), or the sentence saying what to type. */
export function parseTurn(text: string): number | null | string {
  if (!text.trim()) return null;
  const deg = Number(text);
  if (!Number.isFinite(deg) || Math.abs(deg) > 360)
    return 'Give the turn in degrees clockwise, from −360 to 360 (e.g. 90 or −15).';
  return deg;
}

/**
 * A footprint dragged on the map from `from` to `to` (ground points under the pointer): every vertex shifted by the
 * same degrees of longitude and latitude. Over a building's few tens of metres that keeps its shape and size to well
 * under a millimetre (metres per degree of longitude change by about 2 parts in 10⁵ over 100 m north).
 */
export function movedFootprint(f: FootprintJson, from: LonLat, to: LonLat): FootprintJson {
  const [dx, dy] = [to[0] - from[0], to[1] - from[1]];
  const ring = (r: LonLat[]): LonLat[] => r.map(([x, y]) => [x + dx, y + dy]);
  return f.type === 'Polygon'
    ? { type: 'Polygon', coordinates: f.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: f.coordinates.map((p) => p.map(ring)) };
}

/** The `modify` change that moves a building: its footprint dragged from `from` to `to`. */
export const moveChange = (id: string, f: FootprintJson, from: LonLat, to: LonLat): Change => ({
  op: 'modify',
  id,
  footprint: movedFootprint(f, from, to),
});

/** Whether a ground point lies inside a footprint (its outer rings; even–odd, for picking a building to drag). */
export function insideFootprint(f: FootprintJson, [x, y]: LonLat): boolean {
  const polygons = f.type === 'Polygon' ? [f.coordinates] : f.coordinates;
  return polygons.some(([outer]) => {
    let inside = false;
    for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
      const [xi, yi] = outer[i];
      const [xj, yj] = outer[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  });
}

/** One line for the change list. */
export function describeChange(c: Change): string {
  switch (c.op) {
    case 'add': {
      const size = [c.storeys != null && `${c.storeys} storeys`, c.heightM != null && `${c.heightM} m`]
        .filter(Boolean)
        .join(', ');
      return `Add ${c.name ? `“${c.name}”` : c.id} (${c.use}${size ? `, ${size}` : ''})`;
    }
    case 'modify': {
      const what = [
        c.storeys != null && `${c.storeys} storeys`,
        c.heightM != null && `${c.heightM} m`,
        c.use && `use ${c.use}`,
        c.name && `name “${c.name}”`,
        c.footprint && 'moved or redrawn',
        c.rotationDeg && `turned ${c.rotationDeg}°`,
      ].filter(Boolean);
      return `Change ${c.id}: ${what.join(', ') || 'footprint'}`;
    }
    case 'demolish':
      return `Demolish ${c.id}`;
    case 'set-attribute':
      return `Set ${c.key} of ${c.id} to ${c.value === null ? 'nothing' : String(c.value)}`;
  }
}

/** A problem+json body from the API, as the editor reads it. */
export interface ApiProblem {
  status: number;
  /** The slug of `type` (`version-conflict`, `invalid-change`, …). */
  kind: string;
  detail: string;
  currentVersion?: number;
  errors?: { field?: string; reason: string }[];
}

export function parseProblem(status: number, body: unknown): ApiProblem {
  const o = isObj(body) ? body : {};
  const type = typeof o.type === 'string' ? o.type : '';
  return {
    status,
    kind: type.slice(type.lastIndexOf('/') + 1) || String(status),
    detail:
      typeof o.detail === 'string' ? o.detail : typeof o.title === 'string' ? o.title : `HTTP ${status}`,
    currentVersion: typeof o.currentVersion === 'number' ? o.currentVersion : undefined,
    errors: Array.isArray(o.errors)
      ? o.errors.filter(isObj).map((e) => ({
          field: typeof e.field === 'string' ? e.field : undefined,
          reason: typeof e.reason === 'string' ? e.reason : String(e.message ?? ''),
        }))
      : undefined,
  };
}

/** The sentence the editor shows for a failed request: plain words, what happened and what to do. */
export function problemMessage(p: ApiProblem): string {
  switch (p.kind) {
    case 'version-conflict':
      return `Someone else changed this scenario while you were editing (it is now at version ${p.currentVersion ?? '?'}). It has been reloaded with their changes: check it, then make your edit again.`;
    case 'invalid-change':
      return `The change was not saved: ${(p.errors ?? []).map((e) => e.reason).join('; ') || p.detail}`;
    case 'scenario-published':
      return 'This scenario is published, so it cannot be edited: unpublish it first.';
    case 'nothing-to-undo':
      return 'There is nothing to undo.';
    case 'nothing-to-redo':
      return 'There is nothing to redo.';
    case 'duplicate-scenario':
      return 'A scenario with that name already exists for this dataset: choose another name.';
    case 'unauthenticated':
      return 'Sign in as a planner to edit scenarios.';
    case 'forbidden':
    case 'csrf-token-invalid':
      return `You cannot edit scenarios: ${p.detail}`;
    default:
      return `The server refused the request (${p.status}): ${p.detail}`;
  }
}

/** The inverse of a hide expression: shows exactly the hidden buildings (null when none are hidden). */
export function onlyHiddenExpression(show: string): string | null {
  return show.trim() === 'true' ? null : `!(${show})`;
}

export interface IndicatorRow {
  key: string;
  label: string;
  unit: string;
  baseline: number | null;
  scenario: number | null;
  delta: number | null;
}

/** The indicator panel's rows: totals, then floor area for each use either side has, then homes, jobs, height and
 * coverage. Coverage is a percentage of the study area. */
export function indicatorRows(a: IndicatorsAnswer): IndicatorRow[] {
  const row = (key: string, label: string, unit: string, pick: (f: IndicatorFigures) => number | null) => ({
    key,
    label,
    unit,
    baseline: pick(a.baseline),
    scenario: pick(a.scenario),
    delta: pick(a.delta),
  });
  const uses = USES.filter(
    (u) => (a.baseline.gfaM2.byUse[u] ?? 0) > 0 || (a.scenario.gfaM2.byUse[u] ?? 0) > 0,
  );
  const pct = (x: number | null) => (x === null ? null : x * 100);
  return [
    row('gfa', 'Floor area (GEA)', 'm²', (f) => f.gfaM2.total),
    ...uses.map((u) => row(`gfa-${u}`, `  ${u}`, 'm²', (f) => f.gfaM2.byUse[u] ?? 0)),
    row('homes', 'Homes (estimate)', '', (f) => f.homes),
    row('jobs', 'Jobs (FTE estimate)', '', (f) => f.jobs),
    row('maxHeight', 'Max height', 'm', (f) => f.maxHeightM),
    row('coverage', 'Footprint coverage', '%', (f) => pct(f.coverage)),
    row('buildings', 'Buildings', '', (f) => f.buildings),
  ];
}

/** A delta with its sign (`+120`, `−3`, `0`), to the given decimals. */
export function signed(x: number | null, decimals = 0): string {
  if (x === null) return '–';
  const r = Number(x.toFixed(decimals));
  const s = Math.abs(r).toLocaleString('en-GB', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return r > 0 ? `+${s}` : r < 0 ? `−${s}` : s;
}

/** The swipe divider's position after a key press (fractions of the width), or null for a key it ignores. */
export function dividerAfterKey(position: number, key: string): number | null {
  const step = { ArrowLeft: -0.02, ArrowRight: 0.02, PageDown: -0.1, PageUp: 0.1 }[key];
  if (step !== undefined) return clampSplit(position + step);
  if (key === 'Home') return 0;
  if (key === 'End') return 1;
  return null;
}

export const clampSplit = (x: number): number => Math.min(1, Math.max(0, Math.round(x * 1000) / 1000));

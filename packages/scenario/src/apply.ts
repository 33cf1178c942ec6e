/**
 * A scenario = baseline buildings + an ordered change set. `apply` replays the changes over the baseline and
 * returns the scenario's buildings and what changed; `validateChanges` runs the same replay and lists every
 * problem instead of stopping at the first.
 */
import type { BBox, HeightSource, MultiPolygon2 } from '@placetwin/geo';
import { LEVEL_HEIGHT_M } from '@placetwin/importers';
import { bboxesIntersect, footprintBBox, intersectionAreaM2, rotateFootprint } from './footprint';
import type { Change, ChangeIssue, ScenarioBuilding } from './types';
import { checkChangeShape, LIMITS, ScenarioValidationError } from './validate';

export interface ApplyOptions {
  /** The dataset's extent (west, south, east, north): every new footprint vertex must lie inside it. */
  extent: BBox | null;
  /** Floor-to-floor height that turns storeys into metres and back (the importers' LEVEL_HEIGHT_M). */
  storeyHeightM: number;
  /** The least height a storey can have: `storeys × this ≤ heightM − minHeightM`. */
  minStoreyHeightM: number;
  /**
   * A changed footprint may not overlap another building by more than this (m²) beyond any overlap it already
   * had: a new block drawn over a building that is not demolished is a mistake (and would count its floor twice).
   */
  maxOverlapM2: number;
}

export const APPLY_DEFAULTS: Readonly<ApplyOptions> = Object.freeze({
  extent: null,
  storeyHeightM: LEVEL_HEIGHT_M,
  minStoreyHeightM: 2.0,
  maxOverlapM2: 1,
});

export interface ApplyResult {
  /** Every building of the scenario: the baseline in its order (changed ones replaced), then added ones. */
  buildings: ScenarioBuilding[];
  /** Buildings the scenario adds (and keeps), sorted. */
  added: string[];
  /** Baseline buildings the scenario changes (massing, use, name or attributes), sorted. */
  modified: string[];
  /** Baseline buildings the scenario removes, sorted. */
  demolished: string[];
}

/** Baseline ids the viewer hides when it draws the scenario's overlay: `modified` and `demolished`. */
export const hiddenBaselineIds = (r: ApplyResult): string[] => [...r.modified, ...r.demolished].sort();

/** The ids a change set refers to, other than those it adds: the baseline buildings it needs. */
export function referencedIds(changes: readonly Change[]): string[] {
  const added = new Set<string>();
  const refs = new Set<string>();
  for (const c of changes) {
    if (c.op === 'add') added.add(c.id);
    else if (!added.has(c.id)) refs.add(c.id);
  }
  return [...refs].sort();
}

const sorted = (ids: Iterable<string>) => [...ids].sort();

interface Replay {
  state: Map<string, ScenarioBuilding>;
  issues: ChangeIssue[];
  baselineIds: Set<string>;
  changed: Set<string>;
}

const fmtM = (v: number) => `${Math.round(v * 100) / 100} m`;

function replay(
  baseline: readonly ScenarioBuilding[],
  changes: readonly unknown[],
  opts: ApplyOptions,
): Replay {
  const state = new Map<string, ScenarioBuilding>();
  for (const b of baseline) state.set(b.id, b);
  const baselineIds = new Set(state.keys());
  const changed = new Set<string>();
  const removedBy = new Map<string, number>();
  const issues: ChangeIssue[] = [];
  const bboxCache = new WeakMap<MultiPolygon2, BBox>();
  const bboxOf = (f: MultiPolygon2) => {
    let b = bboxCache.get(f);
    if (!b) {
      b = footprintBBox(f);
      bboxCache.set(f, b);
    }
    return b;
  };

  changes.forEach((raw, index) => {
    const shape = checkChangeShape(raw, index);
    if (shape.issues.length > 0) {
      issues.push(...shape.issues);
      return;
    }
    const change = raw as Change;
    const before = issues.length;
    const issue = (field: string, reason: string) =>
      issues.push({ change: index, op: change.op, buildingId: change.id, field, reason });

    const prev = state.get(change.id) ?? null;
    if (change.op === 'add') {
      if (prev) {
        issue(
          'id',
          `${change.id} already exists in the scenario: choose another id, or modify that building`,
        );
        return;
      }
    } else if (!prev) {
      const by = removedBy.get(change.id);
      issue(
        'id',
        by !== undefined
          ? `${change.id} was demolished by change ${by + 1}: remove this change or that demolition`
          : `no building ${change.id} in the baseline or the scenario: check the id (baseline ids look like rutland:w123456)`,
      );
      return;
    }

    if (change.op === 'demolish') {
      state.delete(change.id);
      removedBy.set(change.id, index);
      return;
    }
    if (change.op === 'set-attribute') {
      const attributes = { ...prev!.attributes };
      if (change.value === null) delete attributes[change.key];
      else attributes[change.key] = change.value;
      state.set(change.id, { ...prev!, attributes });
      changed.add(change.id);
      return;
    }

    // The footprint the change sets: the one given, or (a rotation alone) the building's own, turned.
    let given = shape.footprint;
    if (change.rotationDeg !== undefined && change.rotationDeg % 360 !== 0) {
      const base = given ?? prev?.footprint;
      if (base) given = rotateFootprint(base, change.rotationDeg, change.rotateAbout);
    }
    const footprint = given ?? prev?.footprint;
    if (!footprint) return; // unreachable: add without a footprint fails the shape check
    if (given && opts.extent) {
      const outside = vertexOutside(given, opts.extent);
      if (outside) {
        const [w, s, e, n] = opts.extent;
        issue(
          'footprint',
          `vertex (${outside[0]}, ${outside[1]}) lies outside the dataset extent (west ${w}, south ${s}, east ${e}, north ${n}): draw the building inside the dataset's area`,
        );
      }
    }
    const heights = deriveHeights(prev, change, opts, issue);
    if (!heights) return;
    if (given && (prev?.kind ?? 'building') === 'building') {
      const box = bboxOf(given);
      for (const other of state.values()) {
        if (
          other.id === change.id ||
          other.kind !== 'building' ||
          !bboxesIntersect(box, bboxOf(other.footprint))
        )
          continue;
        const overlap = intersectionAreaM2(given, other.footprint);
        const had = prev ? intersectionAreaM2(prev.footprint, other.footprint) : 0;
        if (overlap - had > opts.maxOverlapM2) {
          issue(
            'footprint',
            `overlaps ${other.id}${other.name ? ` (${other.name})` : ''} by ${Math.round(overlap)} m²: demolish ${other.id} first, or redraw the footprint`,
          );
        }
      }
    }
    if (issues.length > before) return;

    if (change.op === 'add') {
      state.set(change.id, {
        id: change.id,
        kind: 'building',
        sourceId: change.id,
        parentSourceId: null,
        footprint,
        ...heights,
        use: change.use,
        name: change.name ?? null,
        groundElevationM: null,
        attributes: { ...(change.attributes ?? {}) },
      });
      return;
    }
    // modify: LoD2 surfaces no longer match a changed massing; the footprint is extruded instead.
    const geometric =
      given !== undefined || heights.heightM !== prev!.heightM || heights.minHeightM !== prev!.minHeightM;
    const { surfaces, ...rest } = prev!;
    state.set(change.id, {
      ...rest,
      ...(geometric || !surfaces ? {} : { surfaces }),
      footprint,
      ...heights,
      ...(change.use !== undefined ? { use: change.use } : {}),
      ...(change.name !== undefined ? { name: change.name } : {}),
    });
    changed.add(change.id);
  });
  return { state, issues, baselineIds, changed };
}

function vertexOutside(footprint: MultiPolygon2, [w, s, e, n]: BBox): [number, number] | null {
  for (const polygon of footprint) {
    for (const ring of polygon) {
      for (let i = 0; i < ring.length; i += 2) {
        if (ring[i] < w || ring[i] > e || ring[i + 1] < s || ring[i + 1] > n) return [ring[i], ring[i + 1]];
      }
    }
  }
  return null;
}

interface Heights {
  heightM: number;
  minHeightM: number;
  storeys: number | null;
  heightSource: HeightSource;
  heightMethod: string;
}

/**
 * Heights and storeys after a change (README: "Heights and storeys"). Storeys alone move the top by whole
 * storeys of `storeyHeightM`; a height alone re-derives storeys as ⌊(heightM − minHeightM) / storeyHeightM⌋ ≥ 1.
 */
function deriveHeights(
  prev: ScenarioBuilding | null,
  c: Change & { op: 'add' | 'modify' },
  o: ApplyOptions,
  issue: (field: string, reason: string) => void,
): Heights | null {
  const minHeightM = c.minHeightM ?? prev?.minHeightM ?? 0;
  const sh = o.storeyHeightM;
  let h: Heights;
  if (c.heightM !== undefined && c.storeys !== undefined) {
    h = {
      heightM: c.heightM,
      minHeightM,
      storeys: c.storeys,
      heightSource: 'measured',
      heightMethod: `scenario: ${fmtM(c.heightM)} high with ${c.storeys} storeys, as designed`,
    };
  } else if (c.storeys !== undefined) {
    const fromPrev = prev && prev.storeys !== null && c.minHeightM === undefined;
    const heightM = fromPrev ? prev.heightM + (c.storeys - prev.storeys!) * sh : minHeightM + c.storeys * sh;
    h = {
      heightM,
      minHeightM,
      storeys: c.storeys,
      heightSource: 'levels',
      heightMethod: fromPrev
        ? `scenario: ${prev.storeys} → ${c.storeys} storeys at ${fmtM(sh)} a storey on the previous ${fmtM(prev.heightM)}`
        : `scenario: ${c.storeys} storeys × ${fmtM(sh)}${minHeightM ? ` above ${fmtM(minHeightM)}` : ''}`,
    };
  } else if (c.heightM !== undefined) {
    const storeys = Math.max(1, Math.floor((c.heightM - minHeightM) / sh + 1e-9));
    h = {
      heightM: c.heightM,
      minHeightM,
      storeys,
      heightSource: 'measured',
      heightMethod: `scenario: ${fmtM(c.heightM)} high as designed; ${storeys} storeys at ${fmtM(sh)} a storey`,
    };
  } else if (prev) {
    h = {
      heightM: prev.heightM,
      minHeightM,
      storeys: prev.storeys,
      heightSource: prev.heightSource,
      heightMethod: prev.heightMethod,
    };
    if (c.minHeightM === undefined) return h;
  } else {
    return null; // unreachable: add without storeys or height fails the shape check
  }
  if (h.heightM > LIMITS.maxHeightM) {
    issue(
      'storeys',
      `${h.storeys} storeys make ${fmtM(h.heightM)}, above the ${LIMITS.maxHeightM} m limit: reduce storeys`,
    );
    return null;
  }
  if (!(h.heightM > h.minHeightM)) {
    issue(
      c.heightM !== undefined ? 'heightM' : 'minHeightM',
      `top (${fmtM(h.heightM)}) must be above the bottom, minHeightM (${fmtM(h.minHeightM)}): raise heightM or lower minHeightM`,
    );
    return null;
  }
  if (h.storeys !== null && h.heightM - h.minHeightM < h.storeys * o.minStoreyHeightM - 1e-9) {
    issue(
      'storeys',
      `${h.storeys} storeys need at least ${fmtM(h.storeys * o.minStoreyHeightM)} between minHeightM and heightM (${fmtM(o.minStoreyHeightM)} a storey) but have ${fmtM(h.heightM - h.minHeightM)}: raise heightM or reduce storeys`,
    );
    return null;
  }
  return h;
}

/** Every problem of a change set over a baseline (an empty list when it applies cleanly). */
export function validateChanges(
  baseline: readonly ScenarioBuilding[],
  changes: readonly unknown[],
  options: Partial<ApplyOptions> = {},
): ChangeIssue[] {
  return replay(baseline, changes, { ...APPLY_DEFAULTS, ...options }).issues;
}

/**
 * The scenario's buildings: the changes replayed in order over the baseline. Pure: neither input is modified.
 * Throws ScenarioValidationError (a DataError listing every issue) when any change is invalid.
 */
export function apply(
  baseline: readonly ScenarioBuilding[],
  changes: readonly Change[],
  options: Partial<ApplyOptions> = {},
): ApplyResult {
  const { state, issues, baselineIds, changed } = replay(baseline, changes, {
    ...APPLY_DEFAULTS,
    ...options,
  });
  if (issues.length > 0) throw new ScenarioValidationError(issues);
  return {
    buildings: [...state.values()],
    added: sorted([...state.keys()].filter((id) => !baselineIds.has(id))),
    modified: sorted([...changed].filter((id) => baselineIds.has(id) && state.has(id))),
    demolished: sorted([...baselineIds].filter((id) => !state.has(id))),
  };
}

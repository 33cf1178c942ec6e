/**
 * The modellers' SDK: build a scenario in TypeScript, measure it against a baseline, sweep parameters.
 * `npx placetwin run <script.ts>` stores the scenario a script exports and writes its indicator reports.
 */
import type { UseClass } from '@placetwin/importers';
import { type ApplyOptions, type ApplyResult, apply } from './apply';
import { type EvaluateOptions, evaluateScenario, type ScenarioIndicators } from './evaluate';
import type {
  AttributeValue,
  Change,
  FootprintGeoJson,
  ModifyBuildingChange,
  ScenarioBuilding,
} from './types';
import { checkChangeShape, ScenarioValidationError } from './validate';

/** [longitude, latitude] in degrees (EPSG:4326). */
export type LonLat = readonly [number, number] | readonly number[];

/** A footprint as GeoJSON, as one ring of [lon, lat] positions, or as rings (outer first, then holes). */
export type FootprintInput = FootprintGeoJson | readonly LonLat[] | readonly (readonly LonLat[])[];

export interface NewBuildingInput {
  /** `new/<name>` or `<name>` (prefixed with `new/`); default `new/building-<n>`. */
  id?: string;
  name?: string | null;
  footprint: FootprintInput;
  use: UseClass;
  storeys?: number;
  heightM?: number;
  minHeightM?: number;
  attributes?: Record<string, AttributeValue>;
}

export type ModifyInput = Omit<ModifyBuildingChange, 'op' | 'id' | 'footprint'> & {
  footprint?: FootprintInput;
};

export interface ScenarioSpec {
  /** The baseline dataset, e.g. `rutland`. */
  dataset: string;
  /** Unique within the dataset: `placetwin run` updates the stored scenario of that name. */
  name: string;
  description?: string;
  /** The site (red line boundary) the indicators are measured over; default: the dataset's extent. */
  site?: FootprintInput | null;
}

export type SweepValue = string | number | boolean;

/** One variant of a sweep: the parameter values and the scenario they give. */
export interface Variant {
  label: Record<string, SweepValue>;
  scenario: ScenarioDraft;
}

const isGeoJson = (f: FootprintInput): f is FootprintGeoJson =>
  !Array.isArray(f) && typeof (f as { type?: unknown }).type === 'string';

/** Any FootprintInput as GeoJSON (a ring of positions, or rings, become a Polygon). */
export function toFootprintGeoJson(f: FootprintInput): FootprintGeoJson {
  if (isGeoJson(f)) return f;
  const arr = f as readonly unknown[];
  const rings = Array.isArray(arr[0]) && Array.isArray((arr[0] as unknown[])[0]) ? arr : [arr];
  return {
    type: 'Polygon',
    coordinates: (rings as readonly (readonly LonLat[])[]).map((r) => r.map((p) => [...p])),
  };
}

/** Inclusive integer range: `range(3, 12)` → 3, 4, …, 12. */
export function range(from: number, to: number, step = 1): number[] {
  if (!(step > 0)) throw new RangeError('range step must be positive');
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(Math.round(v * 1e9) / 1e9);
  return out;
}

/**
 * A scenario being written: dataset, name, site and an ordered list of changes. Methods record changes (and
 * return the draft, to chain); each is checked on its own at once (a bad use or footprint throws here, at the
 * line that made it), and against the baseline when applied.
 */
export class ScenarioDraft {
  readonly kind = 'placetwin-scenario-draft' as const;
  readonly dataset: string;
  readonly name: string;
  description: string;
  site: FootprintGeoJson | null;
  readonly #changes: Change[] = [];
  #nextId = 1;

  constructor(spec: ScenarioSpec, changes: readonly Change[] = []) {
    this.dataset = spec.dataset;
    this.name = spec.name;
    this.description = spec.description ?? '';
    this.site = spec.site ? toFootprintGeoJson(spec.site) : null;
    for (const c of changes) this.push(c);
  }

  get changes(): readonly Change[] {
    return this.#changes;
  }

  /** Records any change (checked on its own first). */
  push(change: Change): this {
    const { issues } = checkChangeShape(change, this.#changes.length);
    if (issues.length > 0) throw new ScenarioValidationError(issues);
    this.#changes.push(structuredClone(change));
    return this;
  }

  addBuilding(b: NewBuildingInput): this {
    let id = b.id ?? `new/building-${this.#nextId++}`;
    if (!id.startsWith('new/')) id = `new/${id}`;
    const { footprint, id: _id, ...rest } = b;
    return this.push({ op: 'add', id, footprint: toFootprintGeoJson(footprint), ...rest });
  }

  demolish(...ids: string[]): this {
    for (const id of ids) this.push({ op: 'demolish', id });
    return this;
  }

  setUse(id: string, use: UseClass): this {
    return this.push({ op: 'modify', id, use });
  }

  modify(id: string, fields: ModifyInput): this {
    const { footprint, ...rest } = fields;
    return this.push({
      op: 'modify',
      id,
      ...rest,
      ...(footprint ? { footprint: toFootprintGeoJson(footprint) } : {}),
    });
  }

  setAttribute(id: string, key: string, value: AttributeValue): this {
    return this.push({ op: 'set-attribute', id, key, value });
  }

  /** An independent copy (same dataset, name, site and changes). */
  clone(): ScenarioDraft {
    const copy = new ScenarioDraft(
      { dataset: this.dataset, name: this.name, description: this.description, site: this.site },
      this.#changes,
    );
    copy.#nextId = this.#nextId;
    return copy;
  }

  /** The scenario's buildings over a baseline (see `apply`). */
  apply(baseline: readonly ScenarioBuilding[], options: Partial<ApplyOptions> = {}): ApplyResult {
    return apply(baseline, this.#changes, options);
  }

  /** Baseline and scenario indicators over the site (or the extent), and the delta. */
  indicators(
    baseline: readonly ScenarioBuilding[],
    options: Omit<EvaluateOptions, 'site'> = {},
  ): ScenarioIndicators {
    return evaluateScenario(baseline, this.#changes, { ...options, site: this.site });
  }

  /**
   * One variant per combination of the parameter values (in key order, the last key varying fastest):
   * `fn` receives a copy of this draft and the values, and records the variant's changes on the copy.
   */
  sweep<P extends Record<string, readonly SweepValue[]>>(
    params: P,
    fn: (variant: ScenarioDraft, values: { [K in keyof P]: P[K][number] }) => void,
  ): Variant[] {
    const keys = Object.keys(params);
    let combos: Record<string, SweepValue>[] = [{}];
    for (const k of keys) {
      if (params[k].length === 0) throw new RangeError(`sweep parameter ${k} has no values`);
      combos = combos.flatMap((c) => params[k].map((v) => ({ ...c, [k]: v })));
    }
    return combos.map((label) => {
      const scenario = this.clone();
      fn(scenario, label as { [K in keyof P]: P[K][number] });
      return { label, scenario };
    });
  }
}

/** Starts a scenario draft over a dataset. */
export const createScenario = (spec: ScenarioSpec): ScenarioDraft => new ScenarioDraft(spec);

/** True for a ScenarioDraft, also one made by another copy of this module (a script's own import). */
export const isScenarioDraft = (v: unknown): v is ScenarioDraft =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'placetwin-scenario-draft';

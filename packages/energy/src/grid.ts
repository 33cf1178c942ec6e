/**
 * The electricity grid the buildings hang off: substations (points) and feeders (lines) with a capacity, which
 * buildings each one serves, and its peak headroom before and after a portfolio's peak shift.
 *
 * Capacity: `capacity_kw` (real power), or `capacity_kva` with `power_factor` (0 < pf ≤ 1): kW = kVA × pf.
 * Assignment rule (documented in the README): a building whose attributes name an asset (`grid:feeder`, else
 * `grid:substation`, the asset's id) is served by it; otherwise by the nearest asset (distance from the building's
 * reference point to the substation point or the feeder line) within `maxRadiusM` (default 5 km); otherwise by
 * none (listed as unassigned). A feeder with a `substation` property feeds that substation's load too.
 * Headroom = capacity − base load (`base_load_kw`, the asset's other load the twin does not model, default 0)
 * − the day's peak of the summed electric load of the modelled buildings it serves. Half-hourly loads are summed
 * before taking the peak (diversity is what the schedules give, no extra diversity factor).
 */
import { DataError } from '@placetwin/geo';

export type GridAssetKind = 'substation' | 'feeder';

export interface GridAsset {
  id: string;
  name: string | null;
  kind: GridAssetKind;
  /** Points: one [lon, lat]; feeders: the polyline's vertices. */
  coordinates: [number, number][];
  capacityKw: number;
  /** The capacity as given: kW, or kVA with its power factor. */
  rated: { value: number; unit: 'kW' | 'kVA'; powerFactor: number | null };
  baseLoadKw: number;
  /** A feeder's upstream substation id (its load counts there too). */
  substationId: string | null;
  properties: Record<string, unknown>;
}

export interface GridFile {
  assets: GridAsset[];
  /** `properties.label` of the collection (e.g. "sample grid, not real"), if any. */
  label: string | null;
  constructed: boolean;
  /** `properties.attribution` of the collection (e.g. OSM's for positions taken from it). */
  attribution: string | null;
}

const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : null;

/** Parses and checks a GeoJSON FeatureCollection of substations and feeders (WGS84 lon/lat). */
export function parseGridGeoJson(text: string, fileName: string): GridFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DataError('invalid-json', `not JSON (${(e as Error).message})`, { file: fileName });
  }
  const fc = doc as { type?: unknown; features?: unknown; properties?: Record<string, unknown> };
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    throw new DataError('invalid-geojson', 'expected a GeoJSON FeatureCollection', { file: fileName });
  if (fc.features.length === 0)
    throw new DataError('empty-file', 'the collection has no substations or feeders', { file: fileName });
  const seen = new Set<string>();
  const assets: GridAsset[] = fc.features.map((raw: unknown, i: number) => {
    const f = raw as {
      id?: unknown;
      geometry?: { type?: unknown; coordinates?: unknown };
      properties?: Record<string, unknown> | null;
    };
    const props = f?.properties ?? {};
    const rawId = props.id ?? f?.id;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : null;
    const where = { file: fileName, featureId: id ?? `#${i + 1}` };
    if (!id || id.length > 120)
      throw new DataError('missing-id', 'needs an id (feature id or properties.id)', where);
    if (seen.has(id)) throw new DataError('duplicate-id', `id "${id}" appears twice`, where);
    seen.add(id);
    const g = f.geometry;
    let coordinates: [number, number][];
    const pos = (p: unknown): [number, number] => {
      if (
        !Array.isArray(p) ||
        !Number.isFinite(p[0]) ||
        !Number.isFinite(p[1]) ||
        Math.abs(p[0]) > 180 ||
        Math.abs(p[1]) > 90
      )
        throw new DataError(
          'invalid-coordinate',
          `${JSON.stringify(p)} is not a WGS84 lon/lat position`,
          where,
        );
      return [p[0], p[1]];
    };
    if (g?.type === 'Point') coordinates = [pos(g.coordinates)];
    else if (g?.type === 'LineString' && Array.isArray(g.coordinates) && g.coordinates.length >= 2)
      coordinates = g.coordinates.map(pos);
    else
      throw new DataError(
        'invalid-geometry',
        `geometry must be a Point (substation) or a LineString of 2+ positions (feeder), got ${String(g?.type ?? 'none')}`,
        where,
      );
    const kind: GridAssetKind = g.type === 'Point' ? 'substation' : 'feeder';
    if (props.kind !== undefined && props.kind !== kind)
      throw new DataError(
        'invalid-kind',
        `kind "${String(props.kind)}" does not match a ${g.type} (${kind})`,
        where,
      );
    const kw = num(props.capacity_kw);
    const kva = num(props.capacity_kva);
    const pf = num(props.power_factor);
    let rated: GridAsset['rated'];
    if (kw !== null && kva !== null)
      throw new DataError('ambiguous-capacity', 'give capacity_kw or capacity_kva, not both', where);
    if (kw !== null) {
      if (!(kw > 0))
        throw new DataError('invalid-capacity', `capacity_kw must be > 0 (got ${props.capacity_kw})`, where);
      rated = { value: kw, unit: 'kW', powerFactor: null };
    } else if (kva !== null) {
      if (!(kva > 0))
        throw new DataError(
          'invalid-capacity',
          `capacity_kva must be > 0 (got ${props.capacity_kva})`,
          where,
        );
      if (pf === null || !(pf > 0 && pf <= 1))
        throw new DataError(
          'invalid-power-factor',
          `capacity_kva needs power_factor in (0, 1] (got ${props.power_factor ?? 'none'})`,
          where,
        );
      rated = { value: kva, unit: 'kVA', powerFactor: pf };
    } else
      throw new DataError('missing-capacity', 'needs capacity_kw, or capacity_kva with power_factor', where);
    const base = num(props.base_load_kw) ?? 0;
    if (!(base >= 0))
      throw new DataError('invalid-base-load', `base_load_kw must be ≥ 0 (got ${props.base_load_kw})`, where);
    const sub = props.substation;
    return {
      id,
      name: typeof props.name === 'string' ? props.name : null,
      kind,
      coordinates,
      capacityKw: rated.unit === 'kW' ? rated.value : rated.value * (rated.powerFactor as number),
      rated,
      baseLoadKw: base,
      substationId:
        kind === 'feeder' && (typeof sub === 'string' || typeof sub === 'number') ? String(sub) : null,
      properties: props,
    };
  });
  for (const a of assets)
    if (a.substationId !== null && !assets.some((s) => s.kind === 'substation' && s.id === a.substationId))
      throw new DataError(
        'unknown-substation',
        `feeds substation "${a.substationId}", which is not in the file`,
        {
          file: fileName,
          featureId: a.id,
        },
      );
  const label = typeof fc.properties?.label === 'string' ? fc.properties.label : null;
  const attribution = typeof fc.properties?.attribution === 'string' ? fc.properties.attribution : null;
  return { assets, label, constructed: fc.properties?.constructed === true, attribution };
}

const EARTH_R = 6_371_008.8;

/** Metres between a point and a segment, in a local equirectangular frame (exact enough below ~50 km). */
function pointSegmentM(p: [number, number], a: [number, number], b: [number, number]): number {
  const lat0 = (p[1] * Math.PI) / 180;
  const kx = (Math.PI / 180) * EARTH_R * Math.cos(lat0);
  const ky = (Math.PI / 180) * EARTH_R;
  const ax = (a[0] - p[0]) * kx;
  const ay = (a[1] - p[1]) * ky;
  const bx = (b[0] - p[0]) * kx;
  const by = (b[1] - p[1]) * ky;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Distance (m) from a point to an asset: to the substation, or to the nearest part of the feeder line. */
export function distanceToAssetM(p: [number, number], asset: GridAsset): number {
  const c = asset.coordinates;
  if (c.length === 1) return pointSegmentM(p, c[0], c[0]);
  let d = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < c.length; i++) d = Math.min(d, pointSegmentM(p, c[i], c[i + 1]));
  return d;
}

export const GRID_DEFAULTS = { maxRadiusM: 5000 } as const;

export interface GridBuilding {
  id: string;
  /** Reference point (e.g. the footprint's point on surface), lon/lat. */
  point: [number, number];
  attributes?: Record<string, unknown>;
}

export interface Assignment {
  buildingId: string;
  assetId: string | null;
  rule: 'attribute' | 'nearest' | 'none';
  distanceM: number | null;
}

/** Which asset serves each building (see the file comment for the rule). */
export function assignBuildings(
  buildings: GridBuilding[],
  assets: GridAsset[],
  options: { maxRadiusM?: number } = {},
): Assignment[] {
  const maxR = options.maxRadiusM ?? GRID_DEFAULTS.maxRadiusM;
  const byId = new Map(assets.map((a) => [a.id, a]));
  return buildings.map((b) => {
    for (const key of ['grid:feeder', 'grid:substation']) {
      const v = b.attributes?.[key];
      if ((typeof v === 'string' || typeof v === 'number') && byId.has(String(v))) {
        const a = byId.get(String(v)) as GridAsset;
        return {
          buildingId: b.id,
          assetId: a.id,
          rule: 'attribute',
          distanceM: distanceToAssetM(b.point, a),
        };
      }
    }
    let best: GridAsset | null = null;
    let bestD = Number.POSITIVE_INFINITY;
    for (const a of assets) {
      const d = distanceToAssetM(b.point, a);
      if (d < bestD || (d === bestD && best !== null && a.id < best.id)) {
        best = a;
        bestD = d;
      }
    }
    if (best && bestD <= maxR)
      return { buildingId: b.id, assetId: best.id, rule: 'nearest', distanceM: bestD };
    return { buildingId: b.id, assetId: null, rule: 'none', distanceM: null };
  });
}

export interface AssetHeadroom {
  id: string;
  name: string | null;
  kind: GridAssetKind;
  capacityKw: number;
  baseLoadKw: number;
  /** Buildings whose load counts here (a substation's includes its feeders'). */
  buildings: number;
  peakKw: { baseline: number; shifted: number };
  headroomKw: { baseline: number; shifted: number };
}

/**
 * Peak headroom of every asset before and after a shift: capacity − base load − max over steps of the summed
 * load of the buildings it serves. `loads` maps a building id to its per-step electric load (kW), normal and
 * shifted, on one time axis; buildings missing from `loads` (not modelled) add nothing.
 */
export function gridHeadroom(
  assets: GridAsset[],
  assignments: Assignment[],
  loads: Map<string, { baselineKw: ArrayLike<number>; shiftedKw: ArrayLike<number> }>,
  steps: number,
): AssetHeadroom[] {
  const sums = new Map<string, { base: Float64Array; shifted: Float64Array; n: number }>();
  for (const a of assets)
    sums.set(a.id, { base: new Float64Array(steps), shifted: new Float64Array(steps), n: 0 });
  const byId = new Map(assets.map((a) => [a.id, a]));
  for (const as of assignments) {
    if (as.assetId === null) continue;
    const load = loads.get(as.buildingId);
    if (!load) continue;
    const targets = [as.assetId];
    const up = byId.get(as.assetId)?.substationId;
    if (up) targets.push(up);
    for (const t of targets) {
      const s = sums.get(t);
      if (!s) continue;
      s.n++;
      for (let k = 0; k < steps; k++) {
        s.base[k] += load.baselineKw[k];
        s.shifted[k] += load.shiftedKw[k];
      }
    }
  }
  return assets.map((a) => {
    const s = sums.get(a.id) as { base: Float64Array; shifted: Float64Array; n: number };
    const peak = (x: Float64Array) => x.reduce((m, v) => Math.max(m, v), 0);
    const pb = peak(s.base);
    const ps = peak(s.shifted);
    return {
      id: a.id,
      name: a.name,
      kind: a.kind,
      capacityKw: a.capacityKw,
      baseLoadKw: a.baseLoadKw,
      buildings: s.n,
      peakKw: { baseline: pb, shifted: ps },
      headroomKw: { baseline: a.capacityKw - a.baseLoadKw - pb, shifted: a.capacityKw - a.baseLoadKw - ps },
    };
  });
}

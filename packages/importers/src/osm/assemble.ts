import {
  type BuildingFeature,
  cleanRing,
  type GeoJsonGeometry,
  type MapFeature,
  type MultiPolygon2,
  orientPolygon,
  pointInRing,
  polygonProblem,
  signedRingArea,
} from '@placetwin/geo';
import { deriveHeight } from '../height';
import { type ImportOptions, progressReporter, type RejectPolicy } from '../types';
import { useClass } from '../use';
import type { NodeStore, OsmData, OsmRelation, OsmTags, OsmWay } from './model';

/**
 * OSM elements → Placetwin features.
 *
 * Buildings: closed ways tagged `building` (any value but `no`) and `type=multipolygon` relations tagged
 * `building`; `building:part` ways and relations (without `building`) become parts. Ways and relations
 * whose nodes or member ways are not all in the file are *incomplete*: a regional extract cuts them at its
 * border, so they are always skipped and reported through onReject (never thrown), whatever skipInvalid
 * says. Geometry that is present but broken (an unclosed building way, rings that do not close or that
 * self-intersect) is *invalid*: DataError, or skipped and reported under skipInvalid.
 * Basemap features (land use, water, roads, railways) are best effort: a broken one is skipped and
 * reported, never fatal, and not checked for self-intersection (they are only drawn).
 */

/** Tags kept as building attributes (others, e.g. `source`, `note`, are dropped). */
const KEPT_TAG =
  /^(name(:.+)?|alt_name|old_name|addr:.+|amenity|shop|office|craft|healthcare|tourism|historic|building(:.+)?|roof:.+|height|min_height|ref:GB:uprn|ref:GB:toid|start_date|construction_date|operator|owner|religion|denomination|heritage(:.+)?|listed_status|wikidata|wikipedia|description|ele)$/;

export function keptAttributes(tags: OsmTags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(tags).sort()) if (KEPT_TAG.test(k)) out[k] = tags[k];
  return out;
}

export const isBuildingTagged = (t: OsmTags | null): boolean =>
  t !== null && t.building !== undefined && t.building !== 'no';
export const isPartTagged = (t: OsmTags | null): boolean =>
  t !== null && !isBuildingTagged(t) && t['building:part'] !== undefined && t['building:part'] !== 'no';
const isClosedWay = (w: OsmWay): boolean => w.refs.length >= 4 && w.refs[0] === w.refs[w.refs.length - 1];

interface MapRule {
  key: string;
  layer: MapFeature['layer'];
  shape: 'area' | 'line';
  /** Only these values (default: any value). */
  values?: string[];
  /** Never these values. */
  except?: string[];
}

/** Basemap features, first match wins; `class` is the tag value. Descriptors as data. */
export const MAP_RULES: readonly MapRule[] = [
  { key: 'natural', values: ['water'], layer: 'water', shape: 'area' },
  { key: 'waterway', values: ['riverbank', 'dock'], layer: 'water', shape: 'area' },
  { key: 'landuse', values: ['reservoir', 'basin'], layer: 'water', shape: 'area' },
  { key: 'waterway', values: ['river', 'stream', 'canal', 'drain', 'ditch'], layer: 'water', shape: 'line' },
  { key: 'landuse', layer: 'landuse', shape: 'area' },
  {
    key: 'natural',
    except: ['coastline', 'tree_row', 'cliff', 'ridge', 'arete'],
    layer: 'landuse',
    shape: 'area',
  },
  { key: 'leisure', layer: 'landuse', shape: 'area' },
  { key: 'highway', except: ['proposed', 'abandoned', 'razed', 'platform'], layer: 'road', shape: 'line' },
  { key: 'railway', except: ['proposed', 'abandoned', 'razed', 'platform'], layer: 'rail', shape: 'line' },
];

/** The basemap rule a tagged element matches, given whether it is an area (closed way or multipolygon). */
export function mapRuleFor(tags: OsmTags, isArea: boolean): MapRule | null {
  for (const r of MAP_RULES) {
    const v = tags[r.key];
    if (v === undefined || v === 'no') continue;
    if (r.values && !r.values.includes(v)) continue;
    if (r.except?.includes(v)) continue;
    if (r.shape === 'area' && !isArea) continue;
    return r;
  }
  return null;
}

type NodeLookup = { coords: Float64Array; missing: number };

/** A way's node coordinates [lon, lat, ...] and how many of its nodes the file lacks (their slots NaN). */
function wayCoords(nodes: NodeStore, refs: Float64Array): NodeLookup {
  const coords = new Float64Array(refs.length * 2);
  let missing = 0;
  for (let i = 0; i < refs.length; i++) {
    const k = nodes.indexOf(refs[i]);
    if (k < 0) {
      missing++;
      coords[i * 2] = Number.NaN;
      coords[i * 2 + 1] = Number.NaN;
    } else {
      coords[i * 2] = nodes.lon(k);
      coords[i * 2 + 1] = nodes.lat(k);
    }
  }
  return { coords, missing };
}

/**
 * Joins member ways into closed rings by shared end nodes (ways may be split anywhere and run either
 * way). Returns the rings as node id lists (closed: first id repeated last), or the reason they do not close.
 */
export function joinWaysIntoRings(ways: Float64Array[]): { rings: number[][] } | { error: string } {
  const rings: number[][] = [];
  const open: number[][] = [];
  for (const refs of ways) {
    if (refs.length < 2) continue;
    if (refs.length >= 4 && refs[0] === refs[refs.length - 1]) rings.push(Array.from(refs));
    else open.push(Array.from(refs));
  }
  while (open.length > 0) {
    const current = open.pop()!;
    while (current[0] !== current[current.length - 1]) {
      const last = current[current.length - 1];
      const i = open.findIndex((w) => w[0] === last || w[w.length - 1] === last);
      if (i < 0) return { error: `ring does not close: no member way continues from node n${last}` };
      const next = open.splice(i, 1)[0];
      if (next[0] !== last) next.reverse();
      for (let k = 1; k < next.length; k++) current.push(next[k]);
    }
    if (current.length < 4) return { error: 'ring has fewer than 3 distinct nodes' };
    rings.push(current);
  }
  return { rings };
}

/** Open lon/lat rings cleaned of repeats → validated, oriented polygon; or the reason it is invalid. */
function polygonFrom(rings: Float64Array[]): { polygon: Float64Array[] } | { error: string } {
  const cleaned = rings.map((r) => cleanRing(r));
  const problem = polygonProblem(cleaned);
  return problem ? { error: problem } : { polygon: orientPolygon(cleaned) };
}

const ringCoords = (nodes: NodeStore, ids: number[]): Float64Array =>
  wayCoords(nodes, Float64Array.from(ids)).coords;

/** Groups outer and inner rings into polygons: each inner goes to the smallest outer that contains it. */
function multipolygonFrom(
  outers: Float64Array[],
  inners: Float64Array[],
): { rings: Float64Array[][] } | { error: string } {
  const groups = outers.map((o) => ({ outer: cleanRing(o), holes: [] as Float64Array[] }));
  const areas = groups.map((g) => Math.abs(signedRingArea(g.outer)));
  for (const inner of inners) {
    const h = cleanRing(inner);
    let best = -1;
    for (let i = 0; i < groups.length; i++) {
      const mx = (h[0] + h[2]) / 2;
      const my = (h[1] + h[3]) / 2;
      const inside = pointInRing(h[0], h[1], groups[i].outer) || pointInRing(mx, my, groups[i].outer);
      if (inside && (best < 0 || areas[i] < areas[best])) best = i;
    }
    if (best < 0) return { error: 'an inner ring lies outside every outer ring' };
    groups[best].holes.push(h);
  }
  return { rings: groups.map((g) => [g.outer, ...g.holes]) };
}

/** Counts and ids the assembly saw, for reports and tests. */
export interface OsmAssemblyStats {
  buildingWays: number;
  buildingRelations: number;
  partWays: number;
  partRelations: number;
  mapFeatures: number;
  incomplete: number;
  invalid: number;
}

/**
 * Lazily yields the buildings, parts and basemap features of parsed OSM data. Parts come last, so that
 * a part without a `type=building` relation can be given the building whose footprint holds it.
 */
export function* assembleOsm(
  data: OsmData,
  options: ImportOptions,
  policy: RejectPolicy,
  stats: OsmAssemblyStats,
): Generator<BuildingFeature | MapFeature> {
  const { nodes } = data;
  const progress = progressReporter(options, 'elements', data.ways.size + data.relations.length, 2000);
  let done = 0;

  // Parts named in type=building relations know their building.
  const parentOf = new Map<string, string>();
  for (const rel of data.relations) {
    if (rel.tags?.type !== 'building') continue;
    const outline = rel.members.find((m) => m.role === 'outline');
    const parent = outline ? `${outline.type === 'way' ? 'w' : 'r'}${outline.ref}` : `r${rel.id}`;
    for (const m of rel.members) {
      if (m.role === 'part' && m.type !== 'node')
        parentOf.set(`${m.type === 'way' ? 'w' : 'r'}${m.ref}`, parent);
    }
  }

  const buildingIndex = new FootprintIndex();
  const parts: BuildingFeature[] = [];

  const building = (sourceId: string, tags: OsmTags, footprint: MultiPolygon2, kind: 'building' | 'part') => {
    const h = deriveHeight(tags, 'OSM');
    const f: BuildingFeature = {
      kind,
      sourceId,
      parentSourceId: kind === 'part' ? (parentOf.get(sourceId) ?? null) : null,
      footprint,
      minHeightM: h.minHeightM,
      heightM: h.heightM,
      heightSource: h.heightSource,
      heightMethod: h.heightMethod,
      storeys: h.storeys,
      use: useClass(tags),
      name: tags.name ?? null,
      groundElevationM: null,
      attributes: keptAttributes(tags),
    };
    return f;
  };

  for (const way of data.ways.values()) {
    progress.tick(++done);
    const tags = way.tags;
    if (!tags) continue;
    const id = `w${way.id}`;
    const isBuilding = isBuildingTagged(tags);
    const isPart = isPartTagged(tags);
    if (isBuilding || isPart) {
      const { coords, missing } = wayCoords(nodes, way.refs);
      if (missing > 0) {
        stats.incomplete++;
        policy.skip(
          id,
          `incomplete: ${missing} of ${way.refs.length} nodes are not in the file (cut at the extract's border)`,
        );
        continue;
      }
      if (!isClosedWay(way)) {
        stats.invalid++;
        policy.invalid(
          id,
          `building way is not closed (first node n${way.refs[0]}, last n${way.refs[way.refs.length - 1]})`,
        );
        continue;
      }
      const p = polygonFrom([coords]);
      if ('error' in p) {
        stats.invalid++;
        policy.invalid(id, p.error);
        continue;
      }
      const f = building(id, tags, [p.polygon], isBuilding ? 'building' : 'part');
      if (isBuilding) {
        stats.buildingWays++;
        buildingIndex.add(f);
        yield f;
      } else {
        stats.partWays++;
        parts.push(f);
      }
      continue;
    }
    const rule = mapRuleFor(tags, isClosedWay(way) && tags.area !== 'no');
    if (!rule) continue;
    const m = wayMapFeature(nodes, way, rule, tags, policy);
    if (m) {
      stats.mapFeatures++;
      yield m;
    }
  }

  for (const rel of data.relations) {
    progress.tick(++done);
    const tags = rel.tags;
    if (tags?.type !== 'multipolygon') continue;
    const isBuilding = isBuildingTagged(tags);
    const isPart = isPartTagged(tags);
    const rule = isBuilding || isPart ? null : mapRuleFor(tags, true);
    if (!isBuilding && !isPart && !rule) continue;
    const id = `r${rel.id}`;
    const geom = relationRings(data, rel);
    if ('incomplete' in geom) {
      stats.incomplete++;
      policy.skip(id, geom.incomplete);
      continue;
    }
    if ('error' in geom) {
      if (rule) policy.skip(id, `map feature skipped: ${geom.error}`);
      else {
        stats.invalid++;
        policy.invalid(id, geom.error);
      }
      continue;
    }
    if (rule) {
      stats.mapFeatures++;
      yield {
        kind: 'map',
        sourceId: id,
        layer: rule.layer,
        class: tags[rule.key],
        name: tags.name ?? null,
        geometry: { type: 'MultiPolygon', coordinates: geom.polygons.map(polygonToGeoJson) },
      };
      continue;
    }
    const checked: MultiPolygon2 = [];
    let problem: string | null = null;
    for (const rings of geom.polygons) {
      const p = polygonFrom(rings);
      if ('error' in p) {
        problem = p.error;
        break;
      }
      checked.push(p.polygon);
    }
    if (problem) {
      stats.invalid++;
      policy.invalid(id, problem);
      continue;
    }
    const f = building(id, tags, checked, isBuilding ? 'building' : 'part');
    if (isBuilding) {
      stats.buildingRelations++;
      buildingIndex.add(f);
      yield f;
    } else {
      stats.partRelations++;
      parts.push(f);
    }
  }

  for (const part of parts) {
    if (part.parentSourceId === null) part.parentSourceId = buildingIndex.containing(part.footprint);
    yield part;
  }
  progress.done(done);
}

/** A multipolygon relation's rings, grouped into polygons (open lon/lat rings, outer first). */
function relationRings(
  data: OsmData,
  rel: OsmRelation,
): { polygons: Float64Array[][] } | { incomplete: string } | { error: string } {
  const outerWays: Float64Array[] = [];
  const innerWays: Float64Array[] = [];
  let missingWays = 0;
  let missingNodes = 0;
  for (const m of rel.members) {
    if (m.type !== 'way') continue;
    const w = data.ways.get(m.ref);
    if (!w) {
      missingWays++;
      continue;
    }
    for (const ref of w.refs) if (data.nodes.indexOf(ref) < 0) missingNodes++;
    (m.role === 'inner' ? innerWays : outerWays).push(w.refs);
  }
  if (missingWays || missingNodes) {
    const what = [missingWays && `${missingWays} member ways`, missingNodes && `${missingNodes} nodes`]
      .filter(Boolean)
      .join(' and ');
    return { incomplete: `incomplete: ${what} not in the file (cut at the extract's border)` };
  }
  if (outerWays.length === 0) return { error: 'multipolygon has no outer member ways' };
  const outer = joinWaysIntoRings(outerWays);
  if ('error' in outer) return { error: `outer ${outer.error}` };
  const inner = joinWaysIntoRings(innerWays);
  if ('error' in inner) return { error: `inner ${inner.error}` };
  const grouped = multipolygonFrom(
    outer.rings.map((ids) => ringCoords(data.nodes, ids)),
    inner.rings.map((ids) => ringCoords(data.nodes, ids)),
  );
  if ('error' in grouped) return grouped;
  return { polygons: grouped.rings };
}

/** Closed GeoJSON rings, outer counter-clockwise and holes clockwise (RFC 7946). */
function polygonToGeoJson(rings: Float64Array[]): number[][][] {
  return orientPolygon(rings).map((r) => {
    const out: number[][] = [];
    for (let i = 0; i < r.length; i += 2) out.push([r[i], r[i + 1]]);
    out.push([r[0], r[1]]);
    return out;
  });
}

function wayMapFeature(
  nodes: NodeStore,
  way: OsmWay,
  rule: MapRule,
  tags: OsmTags,
  policy: RejectPolicy,
): MapFeature | null {
  const id = `w${way.id}`;
  const { coords, missing } = wayCoords(nodes, way.refs);
  let geometry: GeoJsonGeometry;
  const areaLike = rule.shape === 'area' || (isClosedWay(way) && tags.area === 'yes');
  if (areaLike) {
    if (missing > 0) {
      policy.skip(
        id,
        `incomplete: ${missing} of ${way.refs.length} nodes are not in the file (cut at the extract's border)`,
      );
      return null;
    }
    const ring = cleanRing(coords);
    if (ring.length < 6) {
      policy.skip(id, 'map feature skipped: area has fewer than 3 distinct nodes');
      return null;
    }
    geometry = { type: 'Polygon', coordinates: polygonToGeoJson([ring]) };
  } else {
    // A line cut at the border keeps the stretches whose nodes are present.
    const runs: number[][][] = [];
    let run: number[][] = [];
    for (let i = 0; i < way.refs.length; i++) {
      const x = coords[i * 2];
      if (Number.isNaN(x)) {
        if (run.length >= 2) runs.push(run);
        run = [];
      } else run.push([x, coords[i * 2 + 1]]);
    }
    if (run.length >= 2) runs.push(run);
    if (runs.length === 0) {
      policy.skip(id, `incomplete: no two consecutive nodes of the line are in the file`);
      return null;
    }
    geometry =
      runs.length === 1
        ? { type: 'LineString', coordinates: runs[0] }
        : { type: 'MultiLineString', coordinates: runs };
  }
  return {
    kind: 'map',
    sourceId: id,
    layer: rule.layer,
    class: tags[rule.key],
    name: tags.name ?? null,
    geometry,
  };
}

/** Building footprints by grid cell, to find the building a part stands in. */
class FootprintIndex {
  private static readonly CELL_DEG = 0.005;
  private readonly cells = new Map<string, { id: string; ring: Float64Array; areaDeg2: number }[]>();

  add(f: BuildingFeature): void {
    for (const polygon of f.footprint) {
      const ring = polygon[0];
      const [w, s, e, n] = bounds(ring);
      const entry = { id: f.sourceId, ring, areaDeg2: Math.abs(signedRingArea(ring)) };
      for (let cx = this.cell(w); cx <= this.cell(e); cx++) {
        for (let cy = this.cell(s); cy <= this.cell(n); cy++) {
          const key = `${cx}:${cy}`;
          const list = this.cells.get(key);
          if (list) list.push(entry);
          else this.cells.set(key, [entry]);
        }
      }
    }
  }

  /** The smallest building whose outer ring holds the footprint's representative point, or null. */
  containing(footprint: MultiPolygon2): string | null {
    const ring = footprint[0]?.[0];
    if (!ring) return null;
    const [x, y] = interiorPoint(ring);
    let best: { id: string; areaDeg2: number } | null = null;
    for (const c of this.cells.get(`${this.cell(x)}:${this.cell(y)}`) ?? []) {
      if (pointInRing(x, y, c.ring) && (!best || c.areaDeg2 < best.areaDeg2)) best = c;
    }
    return best?.id ?? null;
  }

  private cell(v: number): number {
    return Math.floor(v / FootprintIndex.CELL_DEG);
  }
}

function bounds(ring: Float64Array): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (let i = 0; i < ring.length; i += 2) {
    w = Math.min(w, ring[i]);
    e = Math.max(e, ring[i]);
    s = Math.min(s, ring[i + 1]);
    n = Math.max(n, ring[i + 1]);
  }
  return [w, s, e, n];
}

/** A point inside a simple ring: its vertex average if inside, else the midpoint of a chord that is. */
function interiorPoint(ring: Float64Array): [number, number] {
  const n = ring.length / 2;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += ring[i * 2];
    cy += ring[i * 2 + 1];
  }
  cx /= n;
  cy /= n;
  if (pointInRing(cx, cy, ring)) return [cx, cy];
  for (let i = 2; i < n; i++) {
    const x = (ring[0] + ring[2] + ring[i * 2]) / 3;
    const y = (ring[1] + ring[3] + ring[i * 2 + 1]) / 3;
    if (pointInRing(x, y, ring)) return [x, y];
  }
  return [ring[0], ring[1]];
}

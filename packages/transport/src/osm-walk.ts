import FlatQueue from 'flatqueue';
import { haversineM } from './geometry';
import {
  footpathsFromLists,
  pointIndex,
  WALKING_DEFAULTS,
  type WalkAccess,
  type WalkingOptions,
  type WalkModel,
} from './walking';

/** The OSM elements a walking network is built from (as an OSM reader yields them). */
export interface OsmWalkInput {
  nodes: { id: number; lon: number; lat: number }[];
  ways: { id: number; refs: number[]; tags: Record<string, string> }[];
}

/** OSM `highway` values people may walk along (motorways, and roads being built or planned, are left out). */
export const WALKABLE_HIGHWAYS = new Set([
  'trunk',
  'trunk_link',
  'primary',
  'primary_link',
  'secondary',
  'secondary_link',
  'tertiary',
  'tertiary_link',
  'unclassified',
  'residential',
  'living_street',
  'service',
  'pedestrian',
  'footway',
  'path',
  'steps',
  'track',
  'cycleway',
  'bridleway',
  'corridor',
  'road',
]);

const NO_ACCESS = new Set(['no', 'private']);

/** Is an OSM way walkable? Its highway type, then `foot=*` (which overrides `access=*`). Oneway does not apply. */
export function isWalkable(tags: Record<string, string>): boolean {
  if (!WALKABLE_HIGHWAYS.has(tags.highway ?? '')) return false;
  if (tags.area === 'yes') return false;
  if (tags.foot !== undefined) return !NO_ACCESS.has(tags.foot);
  return !NO_ACCESS.has(tags.access ?? '');
}

/** An undirected walking graph in compressed-row form, lengths in metres. */
export interface WalkingNetwork {
  /** OSM node id per graph node. */
  nodeIds: Float64Array;
  /** lon, lat per graph node. */
  lonLat: Float64Array;
  offsets: Int32Array;
  targets: Int32Array;
  lengthsM: Float64Array;
}

/**
 * Builds the walking network of OSM ways: graph nodes are the OSM nodes of walkable ways (ways meet where they
 * share a node id), edges join consecutive nodes of a way in both directions with their haversine length.
 * References to nodes that are not in the input (a way cut at an extract's border) end the way there.
 */
export function walkingNetworkFromOsm(osm: OsmWalkInput): WalkingNetwork {
  const position = new Map(osm.nodes.map((n) => [n.id, n]));
  const graphIndex = new Map<number, number>();
  const nodeIds: number[] = [];
  const lonLat: number[] = [];
  const edges: [number, number, number][] = [];
  const nodeOf = (id: number) => {
    let i = graphIndex.get(id);
    if (i === undefined) {
      const n = position.get(id)!;
      i = nodeIds.push(id) - 1;
      lonLat.push(n.lon, n.lat);
      graphIndex.set(id, i);
    }
    return i;
  };
  for (const way of osm.ways) {
    if (!isWalkable(way.tags)) continue;
    for (let k = 1; k < way.refs.length; k++) {
      const a = position.get(way.refs[k - 1]);
      const b = position.get(way.refs[k]);
      if (!a || !b || a.id === b.id) continue;
      edges.push([nodeOf(a.id), nodeOf(b.id), haversineM(a.lon, a.lat, b.lon, b.lat)]);
    }
  }
  const n = nodeIds.length;
  const degree = new Int32Array(n + 1);
  for (const [a, b] of edges) {
    degree[a + 1]++;
    degree[b + 1]++;
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[i + 1];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]);
  const lengthsM = new Float64Array(offsets[n]);
  for (const [a, b, len] of edges) {
    targets[fill[a]] = b;
    lengthsM[fill[a]++] = len;
    targets[fill[b]] = a;
    lengthsM[fill[b]++] = len;
  }
  return {
    nodeIds: Float64Array.from(nodeIds),
    lonLat: Float64Array.from(lonLat),
    offsets,
    targets,
    lengthsM,
  };
}

/** Shortest walking distances (m) from several start nodes (each with a starting distance), up to `maxM`. */
export function networkDistances(
  net: WalkingNetwork,
  starts: { node: number; distM: number }[],
  maxM: number,
): Float64Array {
  const dist = new Float64Array(net.nodeIds.length).fill(Number.POSITIVE_INFINITY);
  const queue = new FlatQueue<number>();
  for (const s of starts)
    if (s.distM < dist[s.node] && s.distM <= maxM) {
      dist[s.node] = s.distM;
      queue.push(s.node, s.distM);
    }
  while (queue.length > 0) {
    const d = queue.peekValue()!;
    const u = queue.pop()!;
    if (d > dist[u]) continue;
    for (let e = net.offsets[u]; e < net.offsets[u + 1]; e++) {
      const v = net.targets[e];
      const nd = d + net.lengthsM[e];
      if (nd < dist[v] && nd <= maxM) {
        dist[v] = nd;
        queue.push(v, nd);
      }
    }
  }
  return dist;
}

export const NETWORK_WALKING_DEFAULTS = {
  ...WALKING_DEFAULTS,
  /** A point or stop joins the network at its nearest node within this many metres (straight line). */
  snapM: 250,
};

/**
 * Walking along an OSM street network: points and stops join it at their nearest network node (the straight
 * snap distance is walked too), then the shortest path along the network is walked at `speedMps` (no detour
 * factor: the network is the detour). Stops with no node within `snapM` get no walks.
 */
export function networkWalking(
  net: WalkingNetwork,
  stopLonLat: Float64Array,
  options: Partial<typeof NETWORK_WALKING_DEFAULTS> = {},
): WalkModel {
  const o = { ...NETWORK_WALKING_DEFAULTS, ...options };
  const nodes = pointIndex(net.lonLat);
  const snap = (lon: number, lat: number) => {
    let best = -1;
    let bestM = Number.POSITIVE_INFINITY;
    for (const i of nodes.within(lon, lat, o.snapM)) {
      const d = haversineM(lon, lat, net.lonLat[2 * i], net.lonLat[2 * i + 1]);
      if (d < bestM) [best, bestM] = [i, d];
    }
    return best < 0 ? null : { node: best, distM: bestM };
  };
  const stopCount = stopLonLat.length / 2;
  const stopSnaps = Array.from({ length: stopCount }, (_, s) =>
    Number.isFinite(stopLonLat[2 * s]) ? snap(stopLonLat[2 * s], stopLonLat[2 * s + 1]) : null,
  );
  const stopsAtNode = new Map<number, number[]>();
  stopSnaps.forEach((sn, s) => {
    if (!sn) return;
    const list = stopsAtNode.get(sn.node) ?? [];
    list.push(s);
    stopsAtNode.set(sn.node, list);
  });
  /** Walking metres from a start to every stop reached within maxM (network + snaps at both ends). */
  const reach = (start: { node: number; distM: number }, maxM: number) => {
    const dist = networkDistances(net, [start], maxM);
    const out: { stop: number; distM: number }[] = [];
    for (const [node, stops] of stopsAtNode) {
      if (!Number.isFinite(dist[node])) continue;
      for (const s of stops) {
        const d = dist[node] + stopSnaps[s]!.distM;
        if (d <= maxM) out.push({ stop: s, distM: d });
      }
    }
    return out.sort((a, b) => a.stop - b.stop);
  };
  const lists = stopSnaps.map((sn, s) =>
    sn
      ? reach(sn, o.maxTransferM)
          .filter((x) => x.stop !== s)
          .map((x) => ({ stop: x.stop, seconds: Math.max(1, x.distM / o.speedMps) }))
      : [],
  );
  const walkOptions: WalkingOptions = {
    speedMps: o.speedMps,
    detourFactor: o.detourFactor,
    maxTransferM: o.maxTransferM,
  };
  return {
    footpaths: footpathsFromLists(lists),
    options: walkOptions,
    access(lon, lat, maxSeconds): WalkAccess {
      const start = snap(lon, lat);
      if (!start) return { stops: new Int32Array(0), seconds: new Float64Array(0) };
      const found = reach(start, maxSeconds * o.speedMps);
      return {
        stops: Int32Array.from(found, (x) => x.stop),
        seconds: Float64Array.from(found, (x) => x.distM / o.speedMps),
      };
    },
  };
}

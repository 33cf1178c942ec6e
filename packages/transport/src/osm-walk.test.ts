import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_M } from './geometry';
import {
  isWalkable,
  networkDistances,
  networkWalking,
  type OsmWalkInput,
  walkingNetworkFromOsm,
} from './osm-walk';

// A constructed OSM snippet (no real place): the sample OSM extract is Rutland, the GTFS feed Newport, so no real
// street network exists for the feed's area. Nodes sit on a metre grid around 52.67° N, 0.73° W.
const DEG = 180 / Math.PI;
const [LON0, LAT0] = [-0.73, 52.67];
const at = (eastM: number, northM: number) => ({
  lon: LON0 + (eastM / (EARTH_RADIUS_M * Math.cos(LAT0 / DEG))) * DEG,
  lat: LAT0 + (northM / EARTH_RADIUS_M) * DEG,
});
const node = (id: number, eastM: number, northM: number) => ({ id, ...at(eastM, northM) });

const osm: OsmWalkInput = {
  nodes: [
    node(1, 0, 0),
    node(2, 100, 0),
    node(3, 200, 0),
    node(4, 100, 100),
    node(5, 200, 100),
    node(6, 150, 150),
    node(7, 0, 300),
    node(8, 100, 300),
    node(9, 1000, 1000),
    node(10, 1100, 1000),
  ],
  ways: [
    { id: 101, refs: [1, 2, 3], tags: { highway: 'footway' } },
    { id: 102, refs: [2, 4], tags: { highway: 'residential', oneway: 'yes' } }, // oneway binds cars only
    { id: 103, refs: [3, 5], tags: { highway: 'motorway' } }, // no walking
    { id: 104, refs: [4, 5], tags: { highway: 'service', access: 'private' } }, // no walking
    { id: 105, refs: [4, 6, 5], tags: { highway: 'track', access: 'no', foot: 'yes' } }, // foot=yes wins
    { id: 106, refs: [7, 8], tags: { highway: 'footway', foot: 'no' } },
    { id: 107, refs: [9, 10], tags: { highway: 'path' } }, // an island
    { id: 108, refs: [10, 999], tags: { highway: 'path' } }, // cut at the extract's border
    { id: 109, refs: [1, 4], tags: { building: 'yes' } },
  ],
};

describe('walking network from OSM (constructed snippet)', () => {
  const net = walkingNetworkFromOsm(osm);
  const idx = (osmId: number) => Array.from(net.nodeIds).indexOf(osmId);

  it('keeps walkable ways only', () => {
    expect(isWalkable({ highway: 'footway' })).toBe(true);
    expect(isWalkable({ highway: 'motorway' })).toBe(false);
    expect(isWalkable({ highway: 'primary', foot: 'no' })).toBe(false);
    expect(isWalkable({ highway: 'track', access: 'no', foot: 'designated' })).toBe(true);
    expect(isWalkable({ highway: 'service', access: 'private' })).toBe(false);
    expect(isWalkable({ building: 'yes' })).toBe(false);
    expect(Array.from(net.nodeIds).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 9, 10]);
    // Undirected edges 1-2, 2-3, 2-4, 4-6, 6-5, 9-10, each stored both ways.
    expect(net.targets.length).toBe(12);
  });

  it('finds shortest walking distances around the motorway and the private road', () => {
    const d = networkDistances(net, [{ node: idx(1), distM: 0 }], 10_000);
    const diagonal = Math.hypot(50, 50);
    expect(d[idx(3)]).toBeCloseTo(200, 1);
    expect(d[idx(4)]).toBeCloseTo(200, 1); // along the oneway street, against its direction too
    expect(d[idx(5)]).toBeCloseTo(200 + 2 * diagonal, 1); // via the track, not the motorway (300 m)
    expect(d[idx(9)]).toBe(Number.POSITIVE_INFINITY);
    // A distance cap stops the search.
    expect(networkDistances(net, [{ node: idx(1), distM: 0 }], 150)[idx(3)]).toBe(Number.POSITIVE_INFINITY);
  });

  it('gives the router footpaths and access walks along the network', () => {
    // Stops 10 m south of node 1, 5 m east of node 5, and on the island.
    const stops = [at(0, -10), at(205, 100), at(1000, 990)];
    const walk = networkWalking(net, Float64Array.from(stops.flatMap((s) => [s.lon, s.lat])), {
      maxTransferM: 400,
    });
    const f = walk.footpaths;
    const from0 = Array.from(f.targets.subarray(f.offsets[0], f.offsets[1]));
    expect(from0).toEqual([1]);
    const metres = 10 + 200 + 2 * Math.hypot(50, 50) + 5;
    expect(f.seconds[f.offsets[0]]).toBeCloseTo(metres / 1.33, 1);
    expect(f.offsets[3] - f.offsets[2]).toBe(0); // the island stop reaches nobody
    // From a point 20 m north of node 2, 5 minutes of walking (399 m) reach both mainland stops.
    const access = walk.access(at(100, 20).lon, at(100, 20).lat, 300);
    expect(Array.from(access.stops)).toEqual([0, 1]);
    expect(access.seconds[0]).toBeCloseTo((20 + 100 + 10) / 1.33, 1);
  });
});

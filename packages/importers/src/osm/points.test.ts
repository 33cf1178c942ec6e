import { readFileSync } from 'node:fs';
import { DataError } from '@placetwin/geo';
import tinyosmpbf from 'tiny-osmpbf';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../../test/support/paths';
import { osmPointsOfInterest } from './points';

// Real: Rutland's OSM extract. The reference is a second, independent PBF parser (tiny-osmpbf).
const bytes = new Uint8Array(readFileSync(sample('rutland/rutland-2022-11.osm.pbf')));
const keep = (t: Record<string, string>) => t.amenity === 'pharmacy' || t.leisure === 'park';

describe('OSM points of interest', () => {
  const { points } = osmPointsOfInterest(bytes, 'rutland.osm.pbf', keep);
  const elements = tinyosmpbf(bytes).elements ?? [];

  it('reads tagged nodes (dense nodes) with their positions, as another parser does', () => {
    const reference = elements.filter((e) => e.type === 'node' && e.tags && keep(e.tags));
    const nodes = points.filter((p) => p.sourceId.startsWith('node/'));
    expect(reference.length).toBeGreaterThan(0);
    expect(nodes.map((p) => p.sourceId).sort()).toEqual(reference.map((e) => `node/${e.id}`).sort());
    for (const p of nodes) {
      const e = reference.find((x) => `node/${x.id}` === p.sourceId)!;
      expect(p.lon).toBeCloseTo(e.lon!, 7);
      expect(p.lat).toBeCloseTo(e.lat!, 7);
      expect(p.tags).toEqual(e.tags);
    }
  });

  it('puts a tagged area at the mean of its vertices', () => {
    const ways = elements.filter((e) => e.type === 'way' && e.tags && keep(e.tags));
    const areas = points.filter((p) => p.sourceId.startsWith('way/'));
    expect(areas.length).toBe(ways.length);
    const nodes = new Map(elements.filter((e) => e.type === 'node').map((e) => [e.id, e]));
    const w = ways[0];
    const refs = w.nodes!.slice(0, -1).map((id) => nodes.get(id)!);
    const p = areas.find((a) => a.sourceId === `way/${w.id}`)!;
    expect(p.lon).toBeCloseTo(refs.reduce((s, n) => s + n.lon!, 0) / refs.length, 9);
    expect(p.lat).toBeCloseTo(refs.reduce((s, n) => s + n.lat!, 0) / refs.length, 9);
  });

  it('refuses a file that is not OSM PBF', () => {
    expect(() => osmPointsOfInterest(new TextEncoder().encode('<osm/>'), 'x.osm', keep)).toThrow(DataError);
  });
});

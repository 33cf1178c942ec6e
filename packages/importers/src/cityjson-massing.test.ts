import { readFileSync } from 'node:fs';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { cityJsonMassing } from './cityjson-massing';

const DELFT = sample('cityjson/nl-delft-3dbag-2buildings.city.json');
const bytes = new Uint8Array(readFileSync(DELFT));
const doc = JSON.parse(new TextDecoder().decode(bytes));

/** Highest − lowest vertex of a CityObject's children's geometry, read straight from the JSON (metres). */
function rawHeight(id: string): number {
  const zs: number[] = [];
  const walk = (x: unknown): void => {
    if (typeof x === 'number')
      zs.push(doc.vertices[x][2] * doc.transform.scale[2] + doc.transform.translate[2]);
    else if (Array.isArray(x)) x.forEach(walk);
  };
  for (const child of doc.CityObjects[id].children ?? [])
    for (const g of doc.CityObjects[child].geometry ?? []) walk(g.boundaries);
  return Math.max(...zs) - Math.min(...zs);
}

describe('cityJsonMassing (the real 3DBAG Delft file)', () => {
  it('gives one block per Building (not per BuildingPart) with the height of its geometry', async () => {
    const blocks = await cityJsonMassing(bytes, 'delft.city.json');
    const buildings = Object.keys(doc.CityObjects).filter((k) => doc.CityObjects[k].type === 'Building');
    expect(blocks.map((b) => b.name).sort()).toEqual(buildings.sort());
    for (const b of blocks) {
      expect(b.heightM).toBeCloseTo(rawHeight(b.name), 2);
      // WGS84 degrees in Delft.
      const ring = b.footprint[0][0];
      expect(ring[0]).toBeGreaterThan(4.3);
      expect(ring[0]).toBeLessThan(4.4);
      expect(ring[1]).toBeGreaterThan(51.9);
      expect(ring[1]).toBeLessThan(52.1);
    }
  });
  it('names the file for a file that is not CityJSON', async () => {
    const e = await cityJsonMassing(
      new TextEncoder().encode('{"type":"FeatureCollection"}'),
      'a.city.json',
    ).catch((x) => x);
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/^a\.city\.json/);
  });
});

import { describe, expect, it } from 'vitest';
import { footprintAreaM2, footprintBBox } from './footprint';
import {
  blocksCentre,
  massingChanges,
  massingId,
  moveBlocks,
  placeLocalBlocks,
  placeLocalRing,
} from './massing';
import { checkChangeShape } from './validate';

/**
 * Great-circle distance (haversine, mean Earth radius 6 371 008.8 m): an independent check of the local frame.
 * A sphere is not the WGS84 ellipsoid: at 52° N their metres differ by up to about 0.4 %, hence the tolerances.
 */
function haversineM([lon1, lat1]: number[], [lon2, lat2]: number[]): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

const OAKHAM: [number, number] = [-0.7342, 52.6729];
const DELFT: [number, number] = [4.3679, 52.0029];

describe('placing blocks in metres at a site origin', () => {
  it('puts east metres along the parallel and north metres along the meridian (sphere check within 0.5 %)', () => {
    const ring = placeLocalRing(
      [
        [0, 0],
        [100, 0],
        [0, 200],
      ],
      OAKHAM,
    );
    expect([ring[0], ring[1]]).toEqual(OAKHAM);
    expect(ring[3]).toBe(OAKHAM[1]);
    expect(ring[4]).toBe(OAKHAM[0]);
    expect(Math.abs(haversineM(OAKHAM, [ring[2], ring[3]]) - 100)).toBeLessThan(0.5);
    expect(Math.abs(haversineM(OAKHAM, [ring[4], ring[5]]) - 200)).toBeLessThan(1);
  });
  it('keeps a 20 × 12 m block’s area', () => {
    const [b] = placeLocalBlocks(
      [
        {
          name: 'A',
          ring: [
            [0, 0],
            [20, 0],
            [20, 12],
            [0, 12],
          ],
          heightM: 15,
        },
      ],
      OAKHAM,
    );
    expect(footprintAreaM2(b.footprint)).toBeCloseTo(240, 0);
  });
});

describe('moving georeferenced blocks to the site', () => {
  const blocks = placeLocalBlocks(
    [
      {
        name: 'A',
        ring: [
          [0, 0],
          [20, 0],
          [20, 12],
          [0, 12],
        ],
        heightM: 15,
      },
      {
        name: 'B',
        ring: [
          [30, 0],
          [40, 0],
          [40, 10],
          [30, 10],
        ],
        heightM: 9,
      },
    ],
    DELFT,
  );
  const moved = moveBlocks(blocks, OAKHAM);
  it('centres their bounding box on the target', () => {
    const [lon, lat] = blocksCentre(moved);
    expect(lon).toBeCloseTo(OAKHAM[0], 9);
    expect(lat).toBeCloseTo(OAKHAM[1], 9);
  });
  it('keeps areas, heights and the distance between blocks (Delft → Oakham, 0.7° of latitude)', () => {
    for (const [i, b] of moved.entries()) {
      expect(footprintAreaM2(b.footprint) / footprintAreaM2(blocks[i].footprint)).toBeCloseTo(1, 3);
      expect(b.heightM).toBe(blocks[i].heightM);
    }
    const sw = (b: (typeof moved)[number]) => footprintBBox(b.footprint).slice(0, 2);
    expect(Math.abs(haversineM(sw(moved[0]), sw(moved[1])) - 30)).toBeLessThan(0.15);
  });
});

describe('massing as add changes', () => {
  it('makes ids from names, unique against the scenario’s and each other', () => {
    expect(massingId('Block A', new Set())).toBe('new/Block-A');
    expect(massingId('NL.IMBAG.Pand.0503100000028341', new Set())).toBe('new/NL.IMBAG.Pand.0503100000028341');
    expect(massingId('Block A', new Set(['new/Block-A', 'new/Block-A-2']))).toBe('new/Block-A-3');
    expect(massingId('★', new Set())).toBe('new/imported');
  });
  it('gives changes that pass the change checks, with the height and the file named', () => {
    const blocks = placeLocalBlocks(
      [
        {
          name: 'Block A',
          ring: [
            [0, 0],
            [20, 0],
            [20, 12],
            [0, 12],
          ],
          heightM: 15.004,
        },
        {
          name: 'Block A',
          ring: [
            [30, 0],
            [40, 0],
            [40, 10],
            [30, 10],
          ],
          heightM: 9,
        },
      ],
      OAKHAM,
    );
    const changes = massingChanges(blocks, { use: 'commercial', taken: new Set(), fileName: 'scheme.glb' });
    expect(changes.map((c) => c.id)).toEqual(['new/Block-A', 'new/Block-A-2']);
    expect(changes[0]).toMatchObject({
      op: 'add',
      use: 'commercial',
      heightM: 15,
      attributes: { importedFrom: 'scheme.glb' },
    });
    for (const [i, c] of changes.entries()) expect(checkChangeShape(c, i).issues).toEqual([]);
  });
});

/**
 * An architect's massing (blocks with footprints and heights, read by @placetwin/importers from CityJSON or glTF)
 * as `add` changes, placed at the site. Massing files arrive in the architect's own coordinates, so placing is
 * part of importing:
 * - blocks in metres (glTF): the file's origin (0, 0) goes to the site origin, +X east, −Z (here: north) north;
 * - georeferenced blocks (CityJSON) stay where they are, or, given a site origin, are moved (not rotated or
 *   scaled) so the centre of their combined bounding box lands on it.
 * Distances are kept through a local frame (`localFrame`: metres per degree on the WGS84 ellipsoid at the point),
 * which is exact to well under a centimetre over a site of a few hundred metres.
 */
import type { MultiPolygon2 } from '@placetwin/geo';
import type { UseClass } from '@placetwin/importers';
import { footprintBBox, footprintToGeoJson, localFrame } from './footprint';
import type { AddBuildingChange } from './types';

export type LonLat = [number, number];

/** A block in metres: an open counter-clockwise ring [east, north] around the file's origin. */
export interface LocalBlock {
  name: string;
  ring: readonly [number, number][];
  heightM: number;
}

/** A block in longitude/latitude. */
export interface GeoBlock {
  name: string;
  footprint: MultiPolygon2;
  heightM: number;
}

/** A ring in metres around `origin` → longitude/latitude. */
export function placeLocalRing(ring: readonly [number, number][], origin: LonLat): Float64Array {
  const f = localFrame(origin[0], origin[1]);
  const out = new Float64Array(ring.length * 2);
  ring.forEach(([e, n], i) => {
    out[i * 2] = origin[0] + e / f.mPerDegLon;
    out[i * 2 + 1] = origin[1] + n / f.mPerDegLat;
  });
  return out;
}

/** The centre of the bounding box of every footprint. */
export function blocksCentre(blocks: readonly GeoBlock[]): LonLat {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of blocks) {
    const [bw, bs, be, bn] = footprintBBox(b.footprint);
    [w, s, e, n] = [Math.min(w, bw), Math.min(s, bs), Math.max(e, be), Math.max(n, bn)];
  }
  return [(w + e) / 2, (s + n) / 2];
}

/**
 * Moves georeferenced blocks so the centre of their combined bounding box lands on `to`, keeping every distance
 * in metres (east/north offsets from the old centre are laid out again from the new one).
 */
export function moveBlocks(blocks: readonly GeoBlock[], to: LonLat): GeoBlock[] {
  const from = blocksCentre(blocks);
  const a = localFrame(from[0], from[1]);
  const b = localFrame(to[0], to[1]);
  return blocks.map((blk) => ({
    ...blk,
    footprint: blk.footprint.map((poly) =>
      poly.map((ring) => {
        const out = new Float64Array(ring.length);
        for (let i = 0; i < ring.length; i += 2) {
          out[i] = to[0] + ((ring[i] - from[0]) * a.mPerDegLon) / b.mPerDegLon;
          out[i + 1] = to[1] + ((ring[i + 1] - from[1]) * a.mPerDegLat) / b.mPerDegLat;
        }
        return out;
      }),
    ),
  }));
}

/** Blocks in metres placed with the file's origin at `origin`. */
export const placeLocalBlocks = (blocks: readonly LocalBlock[], origin: LonLat): GeoBlock[] =>
  blocks.map((b) => ({ name: b.name, footprint: [[placeLocalRing(b.ring, origin)]], heightM: b.heightM }));

/** `new/<name>` from a block's name: letters, digits, `_`, `-`, `.`, made unique against `taken`. */
export function massingId(name: string, taken: ReadonlySet<string>): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9_.-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .replace(/-+$/, '')
      .slice(0, 90) || 'imported';
  let id = `new/${slug}`;
  for (let k = 2; taken.has(id); k++) id = `new/${slug}-${k}`;
  return id;
}

export interface MassingChangeOptions {
  use: UseClass;
  /** Ids already in the scenario. */
  taken: ReadonlySet<string>;
  /** The file, kept on each building as its `importedFrom` attribute. */
  fileName: string;
  /**
   * Turns the whole model clockwise (seen from above) by this many degrees about `rotateAbout` (its origin):
   * each block's change carries the angle and the point, so `apply` turns the blocks together.
   */
  rotationDeg?: number;
  rotateAbout?: LonLat;
}

/** One `add` change per block: its footprint, its height (m, to the centimetre), the use given, any rotation. */
export function massingChanges(blocks: readonly GeoBlock[], o: MassingChangeOptions): AddBuildingChange[] {
  const ids = new Set(o.taken);
  return blocks.map((b) => {
    const id = massingId(b.name, ids);
    ids.add(id);
    return {
      op: 'add',
      id,
      name: b.name,
      footprint: footprintToGeoJson(b.footprint),
      use: o.use,
      heightM: Math.round(b.heightM * 100) / 100,
      attributes: { importedFrom: o.fileName.slice(0, 200) },
      ...(o.rotationDeg
        ? { rotationDeg: o.rotationDeg, rotateAbout: o.rotateAbout ?? blocksCentre(blocks) }
        : {}),
    };
  });
}

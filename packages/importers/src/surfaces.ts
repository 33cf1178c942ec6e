import {
  cleanRing,
  type MultiPolygon2,
  newellNormal,
  orientPolygon,
  type PointTransform,
  polygonProblem,
  type Surface,
  signedRingArea,
} from '@placetwin/geo';
import { type Geom, union } from 'polyclip-ts';

/**
 * Shared geometry step of the 3D importers (CityJSON, CityGML): planar surfaces in a projected source CRS
 * → footprint, LoD surfaces in lon/lat/z-above-ground, and the height range.
 */

/** One surface as read from a file: rings of [x, y, z, ...] in the source CRS (open or closed). */
export interface SourceSurface {
  rings: Float64Array[];
  /** From the file's semantics; null to infer from the surface's orientation. */
  semantic: Surface['semantic'] | null;
}

export interface SolidGeometry {
  footprint: MultiPolygon2;
  surfaces: Surface[];
  /** Lowest and highest z (source vertical datum). */
  minZ: number;
  maxZ: number;
  /** Where the footprint came from, for heightMethod and attributes. */
  footprintFrom: 'ground surfaces' | 'outline of all surfaces' | 'footprint geometry';
}

/** The z of a ring's unit normal: +1 facing up, -1 facing down, 0 vertical. */
function normalZ(ring: Float64Array): number {
  const [nx, ny, nz] = newellNormal(ring);
  const len = Math.hypot(nx, ny, nz);
  return len === 0 ? 0 : nz / len;
}

/**
 * A semantic for a surface without one, from which way it faces (rings counter-clockwise seen from
 * outside, as CityJSON and CityGML require): up-facing → roof, vertical → wall, down-facing → ground.
 */
export function semanticFromOrientation(outer: Float64Array): Surface['semantic'] {
  const z = normalZ(outer);
  if (z >= 0.1) return 'roof';
  if (z <= -0.9) return 'ground';
  return Math.abs(z) < 0.1 ? 'wall' : 'other';
}

const to2d = (ring: Float64Array, ox: number, oy: number): [number, number][] => {
  const out: [number, number][] = [];
  for (let i = 0; i < ring.length; i += 3) out.push([ring[i] - ox, ring[i + 1] - oy]);
  return out;
};

/** Rings of a 2D polygon (stride 2, relative to the origin) from a surface's rings. */
function flatten(rings: Float64Array[], ox: number, oy: number): Float64Array[] {
  return rings.map((r) => Float64Array.from(to2d(r, ox, oy).flat()));
}

/**
 * Footprint and LoD surfaces of one building (or part).
 * - The footprint is the ground surfaces projected to 2D (their union when there are several); without
 *   ground surfaces, the union of every surface's projection (the outline seen from above). `hint` (e.g.
 *   a CityGML lod0FootPrint) is used when there are no surfaces at all.
 * - Surfaces keep their ring order; z becomes height above the lowest vertex.
 * Returns the reason instead when there is no usable geometry or the footprint is not a valid polygon.
 */
export function solidGeometry(
  input: SourceSurface[],
  toLonLat: PointTransform,
  hint?: Float64Array[][],
): SolidGeometry | { error: string } {
  const surfaces: { rings: Float64Array[]; semantic: Surface['semantic'] }[] = [];
  let minZ = Infinity;
  let maxZ = -Infinity;
  for (const s of input) {
    const cleaned = s.rings.map((r) => cleanRing(r, 3));
    // A surface whose outer ring collapsed to a line or point adds nothing; a collapsed hole neither.
    if (cleaned.length === 0 || cleaned[0].length < 9) continue;
    const rings = cleaned.filter((r) => r.length >= 9);
    for (const r of rings) {
      for (let i = 0; i < r.length; i += 3) {
        const x = r[i];
        const y = r[i + 1];
        const z = r[i + 2];
        if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
          return { error: `surface has a non-finite coordinate (${x}, ${y}, ${z})` };
        }
        if (z < minZ) minZ = z;
        if (z > maxZ) maxZ = z;
      }
    }
    surfaces.push({ rings, semantic: s.semantic ?? semanticFromOrientation(rings[0]) });
  }
  if (surfaces.length === 0 && !hint?.length)
    return { error: 'no surfaces with at least 3 distinct vertices' };

  // Work in coordinates relative to one vertex: small numbers keep the polygon clipping exact.
  const first = surfaces[0]?.rings[0] ?? hint![0][0];
  const ox = first[0];
  const oy = first[1];
  let footprintFrom: SolidGeometry['footprintFrom'] = 'ground surfaces';
  let pieces = surfaces.filter((s) => s.semantic === 'ground').map((s) => flatten(s.rings, ox, oy));
  if (pieces.length === 0 && surfaces.length > 0) {
    footprintFrom = 'outline of all surfaces';
    pieces = surfaces.map((s) => flatten(s.rings, ox, oy));
  }
  if (pieces.length === 0 && hint) {
    footprintFrom = 'footprint geometry';
    pieces = hint.map((rings) => flatten(rings, ox, oy));
    for (const rings of hint) {
      for (const r of rings) {
        for (let i = 2; i < r.length; i += 3) {
          minZ = Math.min(minZ, r[i]);
          maxZ = Math.max(maxZ, r[i]);
        }
      }
    }
  }
  // Walls seen from above have no area; leave them out of the outline.
  pieces = pieces
    .map((rings) => rings.map((r) => cleanRing(r)))
    .filter((rings) => rings[0].length >= 6 && Math.abs(signedRingArea(rings[0])) > 1e-6);
  if (pieces.length === 0) return { error: 'surfaces have no extent seen from above (no footprint)' };

  let planar: Float64Array[][];
  if (pieces.length === 1) {
    planar = [pieces[0]];
  } else {
    const geoms: Geom[] = pieces.map((rings) => orientPolygon(rings).map((r) => closedPairs(r)));
    planar = union(geoms[0], ...geoms.slice(1)).map((poly) =>
      poly.map((ring) => cleanRing(Float64Array.from(ring.flat()))),
    );
  }
  const footprint: MultiPolygon2 = [];
  for (const rings of planar) {
    const problem = polygonProblem(rings);
    if (problem) return { error: `footprint (${footprintFrom}): ${problem}` };
    footprint.push(
      orientPolygon(
        rings.map((r) => {
          const out = new Float64Array(r.length);
          for (let i = 0; i < r.length; i += 2) {
            const [lon, lat] = toLonLat(r[i] + ox, r[i + 1] + oy);
            out[i] = lon;
            out[i + 1] = lat;
          }
          return out;
        }),
      ),
    );
  }

  const ground = Number.isFinite(minZ) ? minZ : 0;
  const lodSurfaces: Surface[] = surfaces.map((s) => ({
    semantic: s.semantic,
    rings: s.rings.map((r) => {
      const out = new Float64Array(r.length);
      for (let i = 0; i < r.length; i += 3) {
        const [lon, lat] = toLonLat(r[i], r[i + 1]);
        out[i] = lon;
        out[i + 1] = lat;
        out[i + 2] = r[i + 2] - ground;
      }
      return out;
    }),
  }));
  return {
    footprint,
    surfaces: lodSurfaces,
    minZ: ground,
    maxZ: Number.isFinite(maxZ) ? maxZ : ground,
    footprintFrom,
  };
}

function closedPairs(ring: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ring.length; i += 2) out.push([ring[i], ring[i + 1]]);
  out.push([ring[0], ring[1]]);
  return out;
}

import {
  appendExtrusion,
  appendPlanarSurface,
  type EnuFrame,
  type MeshBuilder,
  type Ring2,
  type Ring3,
} from '@placetwin/geo';
import type { TileableBuilding, TilesetOptions } from './types';

/** Geographic bounds of a building: degrees, and metres above the ellipsoid (buildings stand at height 0). */
export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
  minHeightM: number;
  maxHeightM: number;
}

export const emptyBounds = (): Bounds => ({
  west: Number.POSITIVE_INFINITY,
  south: Number.POSITIVE_INFINITY,
  east: Number.NEGATIVE_INFINITY,
  north: Number.NEGATIVE_INFINITY,
  minHeightM: Number.POSITIVE_INFINITY,
  maxHeightM: Number.NEGATIVE_INFINITY,
});

export function extendBounds(into: Bounds, b: Bounds): Bounds {
  if (b.west < into.west) into.west = b.west;
  if (b.south < into.south) into.south = b.south;
  if (b.east > into.east) into.east = b.east;
  if (b.north > into.north) into.north = b.north;
  if (b.minHeightM < into.minHeightM) into.minHeightM = b.minHeightM;
  if (b.maxHeightM > into.maxHeightM) into.maxHeightM = b.maxHeightM;
  return into;
}

export function buildingBounds(b: TileableBuilding): Bounds {
  const out = emptyBounds();
  out.minHeightM = b.minHeightM;
  out.maxHeightM = b.heightM;
  const add = (ring: Float64Array, stride: number) => {
    for (let i = 0; i < ring.length; i += stride) {
      const lon = ring[i];
      const lat = ring[i + 1];
      if (lon < out.west) out.west = lon;
      if (lon > out.east) out.east = lon;
      if (lat < out.south) out.south = lat;
      if (lat > out.north) out.north = lat;
      if (stride === 3) {
        if (ring[i + 2] < out.minHeightM) out.minHeightM = ring[i + 2];
        if (ring[i + 2] > out.maxHeightM) out.maxHeightM = ring[i + 2];
      }
    }
  };
  for (const polygon of b.footprint) for (const ring of polygon) add(ring, 2);
  for (const s of b.surfaces ?? []) for (const ring of s.rings) add(ring, 3);
  return out;
}

/** Mean Earth radius (IUGG), for metre ↔ radian conversions at building and city scale. */
export const EARTH_RADIUS_M = 6371008.8;
export const DEG = Math.PI / 180;

/** Horizontal diagonal of geographic bounds, metres (local equirectangular: fine at building and city scale). */
export function diagonalM(b: Bounds): number {
  const midLat = ((b.south + b.north) / 2) * DEG;
  return Math.hypot((b.east - b.west) * DEG * Math.cos(midLat), (b.north - b.south) * DEG) * EARTH_RADIUS_M;
}

/** A building's size for geometric error: the larger of its footprint diagonal and its height. */
export const buildingSizeM = (b: Bounds): number => Math.max(diagonalM(b), b.maxHeightM);

function ring2ToEnu(ring: Ring2, heightM: number, frame: EnuFrame): Float64Array {
  const n = ring.length >> 1;
  const out = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) out.set(frame.toEnu(ring[i * 2], ring[i * 2 + 1], heightM), i * 3);
  return out;
}

function ring3ToEnu(ring: Ring3, frame: EnuFrame): Float64Array {
  const out = new Float64Array(ring.length);
  for (let i = 0; i < ring.length; i += 3) out.set(frame.toEnu(ring[i], ring[i + 1], ring[i + 2]), i);
  return out;
}

/** A building's rings placed in a tile's ENU frame (x east, y north, z up, metres), not yet triangulated. */
export interface PlacedBuilding {
  /** Extrusion: per footprint polygon, matching bottom and top rings. */
  prisms: { bottom: Float64Array[]; top: Float64Array[] }[];
  /** LoD2: per planar surface, its rings. */
  surfaces: Float64Array[][];
  withFloor: boolean;
}

/**
 * Places a building's rings in the tile's ENU frame. Every vertex is placed exactly (lon, lat, height → ECEF →
 * ENU), so a building far from the tile origin still stands plumb on the ellipsoid. LoD2 surfaces replace the
 * extrusion when present; ground surfaces and floors follow the `floors` option.
 */
export function placeBuilding(
  b: TileableBuilding,
  frame: EnuFrame,
  floors: TilesetOptions['floors'],
): PlacedBuilding {
  const withFloor = floors === 'all' || (floors === 'elevated' && b.minHeightM > 0);
  if (b.surfaces && b.surfaces.length > 0) {
    return {
      prisms: [],
      surfaces: b.surfaces
        .filter((s) => s.semantic !== 'ground' || withFloor)
        .map((s) => s.rings.map((r) => ring3ToEnu(r, frame))),
      withFloor,
    };
  }
  return {
    prisms: b.footprint.map((polygon) => ({
      bottom: polygon.map((r) => ring2ToEnu(r, b.minHeightM, frame)),
      top: polygon.map((r) => ring2ToEnu(r, b.heightM, frame)),
    })),
    surfaces: [],
    withFloor,
  };
}

function* ringsOf(p: PlacedBuilding): Generator<Float64Array> {
  for (const prism of p.prisms) yield* [...prism.bottom, ...prism.top];
  for (const surface of p.surfaces) yield* surface;
}

/** Extends an ENU box [minX, minY, minZ, maxX, maxY, maxZ] by a placed building's vertices. */
export function extendEnuBox(box: Float64Array, p: PlacedBuilding): void {
  for (const ring of ringsOf(p)) {
    for (let i = 0; i < ring.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        if (ring[i + k] < box[k]) box[k] = ring[i + k];
        if (ring[i + k] > box[k + 3]) box[k + 3] = ring[i + k];
      }
    }
  }
}

/** A uniform grid: coordinate = origin + q × stepM with q an integer (what 16-bit quantisation can store). */
export interface Grid {
  origin: [number, number, number];
  stepM: number;
}

/**
 * Moves every vertex onto the quantisation grid before triangulation, so that quantising the finished mesh is
 * lossless: a triangle counter-clockwise on the grid stays so (snapping after triangulation flips slivers).
 */
export function snapToGrid(p: PlacedBuilding, grid: Grid): void {
  const { origin, stepM } = grid;
  for (const ring of ringsOf(p)) {
    for (let i = 0; i < ring.length; i += 3) {
      for (let k = 0; k < 3; k++)
        ring[i + k] = origin[k] + Math.round((ring[i + k] - origin[k]) / stepM) * stepM;
    }
  }
}

/** Triangulates a placed building into the tile mesh. */
export function appendPlaced(mesh: MeshBuilder, p: PlacedBuilding): void {
  for (const rings of p.surfaces) appendPlanarSurface(mesh, rings);
  for (const prism of p.prisms) appendExtrusion(mesh, prism.bottom, prism.top, { floor: p.withFloor });
}

import earcut from 'earcut';
import { reverseRing, signedRingArea } from './polygon';

/**
 * Triangulation of building geometry in a local metric frame (x east, y north, z up, metres), e.g. an ENU
 * frame from `enuFrame`. Output triangles are counter-clockwise seen from outside the solid (the glTF
 * front-face convention) and every vertex carries the flat normal of its face, so faces never share
 * vertices (hard edges between wall, roof and floor).
 *
 * Rings are typed arrays with a stride of 2 (x, y) or 3 (x, y, z), not closed (a repeated closing vertex
 * is tolerated and dropped). Degenerate input (collinear rings, zero area, repeated vertices, zero height)
 * yields fewer or no triangles, never NaN and never an exception.
 */

/** Vertices closer than this (metres) are treated as one. */
const SAME_POINT_M = 1e-6;

/** A growing indexed triangle mesh with per-vertex normals (float32, as it goes to the GPU). */
export class MeshBuilder {
  vertexCount = 0;
  indexCount = 0;
  private pos: Float32Array;
  private nrm: Float32Array;
  private idx: Uint32Array;

  constructor(initialVertices = 1024) {
    this.pos = new Float32Array(initialVertices * 3);
    this.nrm = new Float32Array(initialVertices * 3);
    this.idx = new Uint32Array(initialVertices * 3);
  }

  /** Appends a vertex and returns its index. */
  addVertex(x: number, y: number, z: number, nx: number, ny: number, nz: number): number {
    if ((this.vertexCount + 1) * 3 > this.pos.length) {
      this.pos = grow(this.pos, this.pos.length * 2);
      this.nrm = grow(this.nrm, this.nrm.length * 2);
    }
    const o = this.vertexCount * 3;
    this.pos[o] = x;
    this.pos[o + 1] = y;
    this.pos[o + 2] = z;
    this.nrm[o] = nx;
    this.nrm[o + 1] = ny;
    this.nrm[o + 2] = nz;
    return this.vertexCount++;
  }

  /**
   * Adds triangle a, b, c only if it has area and is counter-clockwise seen from the side normal (nx, ny, nz)
   * points to. Quantisation or a self-touching ring can leave slivers wound the wrong way; dropping them
   * leaves a gap narrower than the sliver, whereas keeping them shows a back face. Returns whether it was added.
   */
  addFacingTriangle(a: number, b: number, c: number, nx: number, ny: number, nz: number): boolean {
    const p = this.pos;
    const ax = p[a * 3];
    const ay = p[a * 3 + 1];
    const az = p[a * 3 + 2];
    const ux = p[b * 3] - ax;
    const uy = p[b * 3 + 1] - ay;
    const uz = p[b * 3 + 2] - az;
    const vx = p[c * 3] - ax;
    const vy = p[c * 3 + 1] - ay;
    const vz = p[c * 3 + 2] - az;
    const facing = (uy * vz - uz * vy) * nx + (uz * vx - ux * vz) * ny + (ux * vy - uy * vx) * nz;
    if (!(facing > 0)) return false;
    this.addTriangle(a, b, c);
    return true;
  }

  addTriangle(a: number, b: number, c: number): void {
    if (this.indexCount + 3 > this.idx.length) this.idx = grow(this.idx, this.idx.length * 2);
    this.idx[this.indexCount++] = a;
    this.idx[this.indexCount++] = b;
    this.idx[this.indexCount++] = c;
  }

  get triangleCount(): number {
    return this.indexCount / 3;
  }

  /** x, y, z per vertex (a view: copy it before adding more). */
  positions(): Float32Array {
    return this.pos.subarray(0, this.vertexCount * 3);
  }

  normals(): Float32Array {
    return this.nrm.subarray(0, this.vertexCount * 3);
  }

  indices(): Uint32Array {
    return this.idx.subarray(0, this.indexCount);
  }
}

function grow<T extends Float32Array | Uint32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}

/**
 * A copy of a ring without the closing vertex and without consecutive repeated vertices, within SAME_POINT_M
 * (polygon.ts's cleanRing compares exactly). `keep` receives the kept vertex indices, so that the paired top
 * ring of an extrusion loses the same vertices as its bottom ring.
 */
function dropRepeatedVertices(ring: Float64Array, stride: number, keep?: number[]): Float64Array {
  const n = Math.floor(ring.length / stride);
  const out: number[] = [];
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (last >= 0 && samePoint(ring, last, i, stride)) continue;
    last = i;
    keep?.push(i);
    for (let k = 0; k < stride; k++) out.push(ring[i * stride + k]);
  }
  let m = out.length / stride;
  while (m > 1 && samePoint(out, 0, m - 1, stride)) {
    out.length -= stride;
    keep?.pop();
    m--;
  }
  return new Float64Array(out);
}

function samePoint(a: ArrayLike<number>, i: number, j: number, stride: number): boolean {
  for (let k = 0; k < stride; k++) {
    if (Math.abs(a[i * stride + k] - a[j * stride + k]) > SAME_POINT_M) return false;
  }
  return true;
}

/**
 * Triangulates a polygon (outer ring, then holes) in the xy plane with earcut. Returns vertex indices into
 * the rings as given, concatenated (ring 0's vertices, then ring 1's, ...), three per triangle, each triangle
 * counter-clockwise seen from +z. A simple polygon with n vertices and h holes gives n + 2h − 2 triangles;
 * a self-touching one may give fewer (slivers against the overall winding are dropped).
 */
export function triangulatePolygon(rings: readonly ArrayLike<number>[], stride: 2 | 3 = 2): Uint32Array {
  let total = 0;
  for (const r of rings) total += r.length;
  const flat = new Float64Array(total);
  const holes: number[] = [];
  let o = 0;
  for (let i = 0; i < rings.length; i++) {
    if (i > 0) holes.push(o / stride);
    flat.set(rings[i], o);
    o += rings[i].length;
  }
  if (total < 3 * stride) return new Uint32Array(0);
  const tris = earcut(flat, holes.length ? holes : null, stride);
  // earcut emits one consistent winding; make it counter-clockwise whatever the input orientation was.
  let area2 = 0;
  for (let t = 0; t < tris.length; t += 3) {
    const a = tris[t] * stride;
    const b = tris[t + 1] * stride;
    const c = tris[t + 2] * stride;
    area2 +=
      (flat[b] - flat[a]) * (flat[c + 1] - flat[a + 1]) - (flat[c] - flat[a]) * (flat[b + 1] - flat[a + 1]);
  }
  // Keep the triangles that agree with the overall winding, made counter-clockwise: on self-touching rings
  // earcut can emit a few inverted or zero-area slivers, which are dropped.
  const out: number[] = [];
  for (let t = 0; t < tris.length; t += 3) {
    const a = tris[t] * stride;
    const b = tris[t + 1] * stride;
    const c = tris[t + 2] * stride;
    const tri2 =
      (flat[b] - flat[a]) * (flat[c + 1] - flat[a + 1]) - (flat[c] - flat[a]) * (flat[b + 1] - flat[a + 1]);
    if (area2 >= 0 && tri2 > 0) out.push(tris[t], tris[t + 1], tris[t + 2]);
    else if (area2 < 0 && tri2 < 0) out.push(tris[t], tris[t + 2], tris[t + 1]);
  }
  return Uint32Array.from(out);
}

/**
 * Newell's normal of a 3D ring (stride 3): follows the right-hand rule over the vertex order, length twice
 * the ring's area. Robust for slightly non-planar rings.
 */
export function newellNormal(ring: ArrayLike<number>): [number, number, number] {
  const n = ring.length / 3;
  if (n < 3) return [0, 0, 0];
  // Relative to the first vertex, so large coordinates do not cost precision.
  const x0 = ring[0];
  const y0 = ring[1];
  const z0 = ring[2];
  let nx = 0;
  let ny = 0;
  let nz = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i * 3] - x0;
    const yi = ring[i * 3 + 1] - y0;
    const zi = ring[i * 3 + 2] - z0;
    const xj = ring[j * 3] - x0;
    const yj = ring[j * 3 + 1] - y0;
    const zj = ring[j * 3 + 2] - z0;
    nx += (yj - yi) * (zj + zi);
    ny += (zj - zi) * (xj + xi);
    nz += (xj - xi) * (yj + yi);
  }
  return [nx, ny, nz];
}

export interface ExtrusionOptions {
  /** Emit the roof (top cap, facing up). Default true. */
  roof?: boolean;
  /** Emit the floor (bottom cap, facing down). Default true. */
  floor?: boolean;
  /** Emit the walls. Default true. */
  walls?: boolean;
}

/**
 * Appends a prism between matching bottom and top rings (outer ring first, then holes; stride 3, local metres):
 * roof and floor triangulated with earcut, walls as one quad per edge of every ring (outer and holes) with an
 * outward flat normal. Bottom and top ring i must have the same vertex count; they need not be exactly
 * vertical above each other (so callers can place both in an exact ENU frame where "up" tilts with distance).
 * Ring orientation is normalised here (outer counter-clockwise, holes clockwise seen from above), so input
 * winding does not matter. Returns the number of triangles added.
 */
export function appendExtrusion(
  mesh: MeshBuilder,
  bottom: readonly Float64Array[],
  top: readonly Float64Array[],
  options: ExtrusionOptions = {},
): number {
  const before = mesh.triangleCount;
  const bottoms: Float64Array[] = [];
  const tops: Float64Array[] = [];
  for (let r = 0; r < bottom.length; r++) {
    const keep: number[] = [];
    let b = dropRepeatedVertices(bottom[r], 3, keep);
    let t = pick(top[r], keep);
    if (b.length < 9) {
      if (r === 0) return 0;
      continue;
    }
    const area = signedRingArea(b, 3);
    if ((r === 0 && area < 0) || (r > 0 && area > 0)) {
      b = reverseRing(b, 3);
      t = reverseRing(t, 3);
    }
    bottoms.push(b);
    tops.push(t);
  }
  const tris = options.roof === false && options.floor === false ? null : triangulatePolygon(bottoms, 3);
  if (tris && tris.length > 0) {
    if (options.roof !== false) appendCap(mesh, tops, tris, false);
    if (options.floor !== false) appendCap(mesh, bottoms, tris, true);
  }
  if (options.walls !== false) {
    for (let r = 0; r < bottoms.length; r++) appendWalls(mesh, bottoms[r], tops[r]);
  }
  return mesh.triangleCount - before;
}

function pick(ring: Float64Array, keep: number[]): Float64Array {
  const out = new Float64Array(keep.length * 3);
  for (let i = 0; i < keep.length; i++) {
    out[i * 3] = ring[keep[i] * 3];
    out[i * 3 + 1] = ring[keep[i] * 3 + 1];
    out[i * 3 + 2] = ring[keep[i] * 3 + 2];
  }
  return out;
}

function appendCap(mesh: MeshBuilder, rings: Float64Array[], tris: Uint32Array, down: boolean): void {
  let [nx, ny, nz] = newellNormal(rings[0]);
  const len = Math.hypot(nx, ny, nz);
  if (!(len > 0)) return;
  const s = down ? -1 / len : 1 / len;
  nx *= s;
  ny *= s;
  nz *= s;
  const base = mesh.vertexCount;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i += 3) mesh.addVertex(ring[i], ring[i + 1], ring[i + 2], nx, ny, nz);
  }
  for (let t = 0; t < tris.length; t += 3) {
    if (down) mesh.addFacingTriangle(base + tris[t], base + tris[t + 2], base + tris[t + 1], nx, ny, nz);
    else mesh.addFacingTriangle(base + tris[t], base + tris[t + 1], base + tris[t + 2], nx, ny, nz);
  }
}

/**
 * One quad per edge a→b. With the outer ring counter-clockwise and holes clockwise (seen from above), the
 * solid is on the left of every edge, so the outward normal is (b − a) × up and the quad
 * a_bottom, b_bottom, b_top, a_top is counter-clockwise seen from outside.
 */
function appendWalls(mesh: MeshBuilder, bottom: Float64Array, top: Float64Array): void {
  const n = bottom.length / 3;
  for (let i = 0; i < n; i++) {
    const a = i * 3;
    const b = ((i + 1) % n) * 3;
    const ex = bottom[b] - bottom[a];
    const ey = bottom[b + 1] - bottom[a + 1];
    const ez = bottom[b + 2] - bottom[a + 2];
    // Wall normal from the quad's diagonal plane (edge × up-edge), exact for tilted "up" too.
    const ux = top[a] - bottom[a];
    const uy = top[a + 1] - bottom[a + 1];
    const uz = top[a + 2] - bottom[a + 2];
    let nx = ey * uz - ez * uy;
    let ny = ez * ux - ex * uz;
    let nz = ex * uy - ey * ux;
    const len = Math.hypot(nx, ny, nz);
    if (!(len > SAME_POINT_M * SAME_POINT_M)) continue;
    nx /= len;
    ny /= len;
    nz /= len;
    const v0 = mesh.addVertex(bottom[a], bottom[a + 1], bottom[a + 2], nx, ny, nz);
    const v1 = mesh.addVertex(bottom[b], bottom[b + 1], bottom[b + 2], nx, ny, nz);
    const v2 = mesh.addVertex(top[b], top[b + 1], top[b + 2], nx, ny, nz);
    const v3 = mesh.addVertex(top[a], top[a + 1], top[a + 2], nx, ny, nz);
    mesh.addFacingTriangle(v0, v1, v2, nx, ny, nz);
    mesh.addFacingTriangle(v0, v2, v3, nx, ny, nz);
  }
}

/**
 * Appends an extruded 2D footprint (outer ring then holes, stride 2, local metres) from `bottomZ` to `topZ`:
 * the flat-plane case of `appendExtrusion`.
 */
export function appendExtrudedFootprint(
  mesh: MeshBuilder,
  rings: readonly Float64Array[],
  bottomZ: number,
  topZ: number,
  options: ExtrusionOptions = {},
): number {
  const lift = (ring: Float64Array, z: number) => {
    const n = ring.length >> 1;
    const out = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      out[i * 3] = ring[i * 2];
      out[i * 3 + 1] = ring[i * 2 + 1];
      out[i * 3 + 2] = z;
    }
    return out;
  };
  return appendExtrusion(
    mesh,
    rings.map((r) => lift(r, bottomZ)),
    rings.map((r) => lift(r, topZ)),
    options,
  );
}

/**
 * Appends one planar surface of an LoD2 model (outer ring then holes, stride 3, local metres): projected onto
 * its best-fit plane (Newell), triangulated with earcut keeping the holes, with the plane's normal. The
 * outer ring's orientation decides which side is the front (CityGML/CityJSON: counter-clockwise seen from
 * outside), so the normal points outward for well-formed models. Returns the number of triangles added.
 */
export function appendPlanarSurface(mesh: MeshBuilder, rings: readonly Float64Array[]): number {
  const clean: Float64Array[] = [];
  for (let r = 0; r < rings.length; r++) {
    const c = dropRepeatedVertices(rings[r], 3);
    if (c.length >= 9) clean.push(c);
    else if (r === 0) return 0;
  }
  if (clean.length === 0) return 0;
  const [nx0, ny0, nz0] = newellNormal(clean[0]);
  const len = Math.hypot(nx0, ny0, nz0);
  if (!(len > SAME_POINT_M * SAME_POINT_M)) return 0;
  const nx = nx0 / len;
  const ny = ny0 / len;
  const nz = nz0 / len;
  // In-plane basis u, v with u × v = n, so a ring counter-clockwise seen from the front stays so in (u, v).
  const ax = Math.abs(nx);
  const ay = Math.abs(ny);
  const az = Math.abs(nz);
  const [kx, ky, kz] = ax <= ay && ax <= az ? [1, 0, 0] : ay <= az ? [0, 1, 0] : [0, 0, 1];
  let ux = ny * kz - nz * ky;
  let uy = nz * kx - nx * kz;
  let uz = nx * ky - ny * kx;
  const ul = Math.hypot(ux, uy, uz);
  ux /= ul;
  uy /= ul;
  uz /= ul;
  const vx = ny * uz - nz * uy;
  const vy = nz * ux - nx * uz;
  const vz = nx * uy - ny * ux;
  const planar = clean.map((ring) => {
    const n = ring.length / 3;
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const x = ring[i * 3];
      const y = ring[i * 3 + 1];
      const z = ring[i * 3 + 2];
      out[i * 2] = x * ux + y * uy + z * uz;
      out[i * 2 + 1] = x * vx + y * vy + z * vz;
    }
    return out;
  });
  // triangulatePolygon returns counter-clockwise triangles in (u, v), i.e. front faces along n.
  const tris = triangulatePolygon(planar, 2);
  if (tris.length === 0) return 0;
  const base = mesh.vertexCount;
  for (const ring of clean) {
    for (let i = 0; i < ring.length; i += 3) mesh.addVertex(ring[i], ring[i + 1], ring[i + 2], nx, ny, nz);
  }
  const before = mesh.triangleCount;
  for (let t = 0; t < tris.length; t += 3) {
    mesh.addFacingTriangle(base + tris[t], base + tris[t + 1], base + tris[t + 2], nx, ny, nz);
  }
  return mesh.triangleCount - before;
}

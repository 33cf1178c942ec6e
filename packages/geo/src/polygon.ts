/**
 * Pure polygon helpers over flat typed-array rings (see types.ts): orientation, clean-up and validity.
 *
 * Rings here are open (first vertex not repeated) unless a function says otherwise. `stride` is 2 for
 * [x, y, ...] and 3 for [x, y, z, ...]; validity and orientation look at x and y only.
 * Predicates use plain floating point: exact enough for surveyed coordinates (degrees to 1e-7, metres to
 * 1e-3), not for adversarial near-degenerate input.
 */

/** The shoelace area (x·y units), positive when the ring runs counter-clockwise. */
export function signedRingArea(ring: Float64Array, stride = 2): number {
  const n = ring.length / stride;
  if (n < 3) return 0;
  // Relative to the first vertex, so that large projected coordinates do not lose precision.
  const x0 = ring[0];
  const y0 = ring[1];
  let twice = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    twice +=
      (ring[i * stride] - x0) * (ring[j * stride + 1] - y0) -
      (ring[j * stride] - x0) * (ring[i * stride + 1] - y0);
  }
  return twice / 2;
}

/** True when the last vertex repeats the first (all `stride` components equal). */
export function isRingClosed(ring: ArrayLike<number>, stride = 2): boolean {
  const n = ring.length;
  if (n < 2 * stride) return false;
  for (let k = 0; k < stride; k++) if (ring[k] !== ring[n - stride + k]) return false;
  return true;
}

/**
 * Drops a repeated closing vertex and consecutive duplicate vertices (all components equal, so a vertical
 * edge of a 3D ring, same x/y at two heights, is kept). Returns a new open ring.
 */
export function cleanRing(ring: ArrayLike<number>, stride = 2): Float64Array {
  const n = ring.length / stride;
  const out = new Float64Array(ring.length);
  let m = 0;
  const sameAsLast = (i: number): boolean => {
    if (m === 0) return false;
    for (let k = 0; k < stride; k++) if (out[(m - 1) * stride + k] !== ring[i * stride + k]) return false;
    return true;
  };
  for (let i = 0; i < n; i++) {
    if (sameAsLast(i)) continue;
    for (let k = 0; k < stride; k++) out[m * stride + k] = ring[i * stride + k];
    m++;
  }
  // Wrap-around: the last kept vertex equal to the first is the closing vertex of a closed ring.
  while (m > 1) {
    let same = true;
    for (let k = 0; k < stride; k++) if (out[(m - 1) * stride + k] !== out[k]) same = false;
    if (!same) break;
    m--;
  }
  return out.slice(0, m * stride);
}

/** The ring running the other way round (a new array). */
export function reverseRing(ring: Float64Array, stride = 2): Float64Array {
  const n = ring.length / stride;
  const out = new Float64Array(ring.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < stride; k++) out[(n - 1 - i) * stride + k] = ring[i * stride + k];
  }
  return out;
}

/** The ring turned counter-clockwise (`ccw` true) or clockwise; the same array when already so. */
export function orientRing(ring: Float64Array, ccw: boolean, stride = 2): Float64Array {
  const area = signedRingArea(ring, stride);
  return area > 0 === ccw || area === 0 ? ring : reverseRing(ring, stride);
}

/**
 * Orients a polygon the way types.ts wants it: outer ring counter-clockwise, holes clockwise.
 * Returns new rings where a ring had to turn.
 */
export function orientPolygon(rings: Float64Array[], stride = 2): Float64Array[] {
  return rings.map((r, i) => orientRing(r, i === 0, stride));
}

/** Even-odd point in ring test (boundary points may go either way). */
export function pointInRing(x: number, y: number, ring: Float64Array, stride = 2): boolean {
  const n = ring.length / stride;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[i * stride];
    const yi = ring[i * stride + 1];
    const xj = ring[j * stride];
    const yj = ring[j * stride + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Where a polygon's rings meet themselves or each other: the two segments and the ring of each. */
export interface RingContact {
  ringA: number;
  segmentA: number;
  ringB: number;
  segmentB: number;
  /** A point of the contact (x, y). */
  at: [number, number];
  kind: 'crossing' | 'touch' | 'overlap';
}

/** Sign of the turn a→b→c: 1 left, -1 right, 0 collinear. */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const d = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

const onSegment = (ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean =>
  Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);

/**
 * How segments ab and cd meet: null (apart), `crossing` (interiors cross at one point), `touch` (they share
 * exactly one point that is an end of at least one), or `overlap` (collinear, sharing a stretch).
 */
export function segmentContact(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
): { kind: 'crossing' | 'touch' | 'overlap'; at: [number, number] } | null {
  const o1 = orient(ax, ay, bx, by, cx, cy);
  const o2 = orient(ax, ay, bx, by, dx, dy);
  const o3 = orient(cx, cy, dx, dy, ax, ay);
  const o4 = orient(cx, cy, dx, dy, bx, by);
  if (o1 === 0 && o2 === 0) {
    // Collinear: project on the longer axis and compare the intervals.
    const useX = Math.abs(bx - ax) + Math.abs(dx - cx) >= Math.abs(by - ay) + Math.abs(dy - cy);
    const [a0, a1] = useX ? [Math.min(ax, bx), Math.max(ax, bx)] : [Math.min(ay, by), Math.max(ay, by)];
    const [c0, c1] = useX ? [Math.min(cx, dx), Math.max(cx, dx)] : [Math.min(cy, dy), Math.max(cy, dy)];
    const lo = Math.max(a0, c0);
    const hi = Math.min(a1, c1);
    if (lo > hi) return null;
    const at: [number, number] = onSegment(ax, ay, bx, by, cx, cy) ? [cx, cy] : [ax, ay];
    return { kind: lo < hi ? 'overlap' : 'touch', at };
  }
  if (o1 !== o2 && o3 !== o4) {
    if (o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) {
      const t =
        ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / ((bx - ax) * (dy - cy) - (by - ay) * (dx - cx));
      return { kind: 'crossing', at: [ax + t * (bx - ax), ay + t * (by - ay)] };
    }
    if (o1 === 0) return { kind: 'touch', at: [cx, cy] };
    if (o2 === 0) return { kind: 'touch', at: [dx, dy] };
    if (o3 === 0) return { kind: 'touch', at: [ax, ay] };
    return { kind: 'touch', at: [bx, by] };
  }
  return null;
}

/**
 * Finds where a polygon's rings (open, stride 2 or 3) are not simple, or null when they are:
 * - within one ring, any contact between two non-adjacent edges (a crossing, a vertex touching another
 *   edge, a repeated vertex) and any adjacent pair that doubles back on itself (a zero-width spike);
 * - between two rings, a crossing or a shared stretch of boundary (a single touching point is allowed,
 *   as in OGC Simple Features).
 * Edges are swept in x order, so rings with thousands of vertices stay fast (n log n plus the pairs whose
 * x ranges overlap).
 */
export function findRingContact(rings: Float64Array[], stride = 2): RingContact | null {
  interface Edge {
    ring: number;
    seg: number;
    n: number;
    ax: number;
    ay: number;
    bx: number;
    by: number;
    minX: number;
    maxX: number;
  }
  const edges: Edge[] = [];
  rings.forEach((r, ring) => {
    const n = r.length / stride;
    for (let seg = 0; seg < n; seg++) {
      const j = (seg + 1) % n;
      const ax = r[seg * stride];
      const ay = r[seg * stride + 1];
      const bx = r[j * stride];
      const by = r[j * stride + 1];
      edges.push({ ring, seg, n, ax, ay, bx, by, minX: Math.min(ax, bx), maxX: Math.max(ax, bx) });
    }
  });
  edges.sort((p, q) => p.minX - q.minX);
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i];
    for (let k = i + 1; k < edges.length && edges[k].minX <= e.maxX; k++) {
      const f = edges[k];
      if (Math.max(e.ay, e.by) < Math.min(f.ay, f.by) || Math.max(f.ay, f.by) < Math.min(e.ay, e.by))
        continue;
      const c = segmentContact(e.ax, e.ay, e.bx, e.by, f.ax, f.ay, f.bx, f.by);
      if (!c) continue;
      const contact: RingContact = {
        ringA: e.ring,
        segmentA: e.seg,
        ringB: f.ring,
        segmentB: f.seg,
        at: c.at,
        kind: c.kind,
      };
      if (e.ring !== f.ring) {
        if (c.kind !== 'touch') return contact;
        continue;
      }
      const adjacent = (e.seg + 1) % e.n === f.seg || (f.seg + 1) % f.n === e.seg;
      // Adjacent edges share their common vertex by construction; only a doubling back is a fault.
      // (A triangle's three edges are all adjacent to each other, so this also covers n = 3.)
      if (adjacent && c.kind !== 'overlap') continue;
      return contact;
    }
  }
  return null;
}

/** Why a polygon (open rings, outer first) is not valid, in plain words, or null when it is. */
export function polygonProblem(rings: Float64Array[], stride = 2): string | null {
  if (rings.length === 0) return 'polygon has no rings';
  for (let i = 0; i < rings.length; i++) {
    const r = rings[i];
    const what = i === 0 ? 'outer ring' : `inner ring ${i}`;
    for (let k = 0; k < r.length; k++) {
      if (!Number.isFinite(r[k])) return `${what} has a non-finite coordinate`;
    }
    if (r.length / stride < 3) return `${what} has fewer than 3 distinct vertices`;
  }
  const c = findRingContact(rings, stride);
  if (!c) {
    // A simple ring of zero area cannot exist, but guard the arithmetic all the same.
    for (let i = 0; i < rings.length; i++) {
      if (signedRingArea(rings[i], stride) === 0)
        return `${i === 0 ? 'outer ring' : `inner ring ${i}`} has zero area`;
    }
    // With no crossings a hole is wholly inside or wholly outside the outer ring: test one point of it
    // (the midpoint of its first edge as well, in case the first vertex touches the outer ring).
    const outer = rings[0];
    for (let i = 1; i < rings.length; i++) {
      const h = rings[i];
      const mx = (h[0] + h[stride]) / 2;
      const my = (h[1] + h[stride + 1]) / 2;
      if (!pointInRing(h[0], h[1], outer, stride) && !pointInRing(mx, my, outer, stride)) {
        return `inner ring ${i} lies outside the outer ring`;
      }
    }
    return null;
  }
  const at = `near (${c.at[0]}, ${c.at[1]})`;
  if (c.ringA === c.ringB) {
    const what = c.ringA === 0 ? 'outer ring' : `inner ring ${c.ringA}`;
    return `${what} self-intersects (${c.kind} of edges ${Math.min(c.segmentA, c.segmentB)} and ${Math.max(c.segmentA, c.segmentB)} ${at})`;
  }
  return `rings ${Math.min(c.ringA, c.ringB)} and ${Math.max(c.ringA, c.ringB)} intersect (${c.kind} ${at})`;
}

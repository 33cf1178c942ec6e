/** Finding a building by UPRN: the request, its answer and the camera framing, apart from React for testing. */
import { type CameraView, viewOfCircle } from '../state/viewState';

/** A UPRN as the API takes it: 1 to 12 digits, no leading zero (spaces typed around it are ignored). */
export const UPRN_INPUT = /^[1-9]\d{0,11}$/;

export interface UprnMatch {
  id: string;
  name: string | null;
  /** The framing that shows the building's footprint. */
  camera: CameraView;
}

type Position = [number, number];

/** Every [lon, lat] of a GeoJSON Polygon or MultiPolygon. */
function positions(geometry: unknown): Position[] {
  const out: Position[] = [];
  const walk = (v: unknown) => {
    if (!Array.isArray(v)) return;
    if (v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number') out.push([v[0], v[1]]);
    else for (const x of v) walk(x);
  };
  if (typeof geometry === 'object' && geometry !== null)
    walk((geometry as { coordinates?: unknown }).coordinates);
  return out;
}

const M_PER_DEG = (Math.PI / 180) * 6_371_008.8;

/**
 * The buildings of a `GET /api/buildings?uprn=` answer, each with a camera framing its footprint (the circle
 * around its bounding box, at least the viewer's closest framing).
 */
export function parseUprnAnswer(body: unknown): UprnMatch[] {
  const features = (body as { features?: unknown })?.features;
  if (!Array.isArray(features)) return [];
  const out: UprnMatch[] = [];
  for (const f of features as { id?: unknown; properties?: { name?: unknown }; geometry?: unknown }[]) {
    const ps = positions(f.geometry);
    if (typeof f.id !== 'string' || ps.length === 0) continue;
    const lons = ps.map((p) => p[0]);
    const lats = ps.map((p) => p[1]);
    const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const lat = (s + n) / 2;
    const radiusM = Math.hypot(
      ((e - w) / 2) * M_PER_DEG * Math.cos((lat * Math.PI) / 180),
      ((n - s) / 2) * M_PER_DEG,
    );
    const name = typeof f.properties?.name === 'string' ? f.properties.name : null;
    out.push({ id: f.id, name, camera: viewOfCircle((w + e) / 2, lat, radiusM * 3) });
  }
  return out;
}

export type UprnSearchResult =
  | { kind: 'found'; matches: UprnMatch[] }
  | { kind: 'invalid' | 'not-found' | 'failed'; message: string };

/** Asks the server for the buildings a UPRN is linked to; the message says what went wrong in plain words. */
export async function findUprn(input: string, signal?: AbortSignal): Promise<UprnSearchResult> {
  const uprn = input.replace(/\s+/g, '');
  if (!UPRN_INPUT.test(uprn))
    return { kind: 'invalid', message: 'A UPRN is a number of up to 12 digits, e.g. 100032045137.' };
  try {
    const res = await fetch(`/api/buildings?uprn=${uprn}`, {
      signal,
      headers: { accept: 'application/json' },
    });
    if (res.status === 404) return { kind: 'not-found', message: `No building is linked to UPRN ${uprn}.` };
    if (!res.ok) return { kind: 'failed', message: `The search failed (${res.status}).` };
    const matches = parseUprnAnswer(await res.json());
    if (matches.length === 0) return { kind: 'not-found', message: `No building is linked to UPRN ${uprn}.` };
    return { kind: 'found', matches };
  } catch (e) {
    return { kind: 'failed', message: `The search failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

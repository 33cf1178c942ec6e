/**
 * The council area the viewer shows (`GET /api/area`): the staff member's own, or the public's `?council=` (an
 * area id or its ONS district code, e.g. `?council=E08000035`), else the install's home area. Its default camera is
 * where the viewer opens and its boundary is drawn on the ground.
 */
import type { CameraView } from '../state/viewState';
import { type Loadable, useJson } from './client';
import { ApiShapeError } from './types';

export interface AreaInfo {
  id: string;
  name: string;
  /** Where the viewer opens when the link names no camera; null: the area has none (no district). */
  camera: CameraView | null;
  /** The district's outline: each polygon ring as [lon, lat] pairs (EPSG:4326); empty without a boundary. */
  rings: [number, number][][];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const isPosition = (p: unknown): p is [number, number] =>
  Array.isArray(p) && p.length >= 2 && finite(p[0]) && finite(p[1]);

function parseRings(boundary: unknown): [number, number][][] {
  if (!isObject(boundary)) return [];
  const polygons =
    boundary.type === 'MultiPolygon'
      ? boundary.coordinates
      : boundary.type === 'Polygon'
        ? [boundary.coordinates]
        : [];
  if (!Array.isArray(polygons)) throw new ApiShapeError('area', 'the boundary has no coordinates');
  return polygons.flatMap((polygon: unknown) =>
    (Array.isArray(polygon) ? polygon : []).map((ring: unknown) => {
      if (!Array.isArray(ring) || !ring.every(isPosition))
        throw new ApiShapeError('area', 'a boundary ring is not a list of [lon, lat]');
      return ring.map((p) => [p[0], p[1]] as [number, number]);
    }),
  );
}

export function parseArea(body: unknown): AreaInfo {
  if (!isObject(body) || typeof body.id !== 'string') throw new ApiShapeError('area', 'expected an area');
  const c = body.camera;
  const camera =
    isObject(c) && finite(c.lon) && finite(c.lat) && finite(c.height)
      ? {
          lon: c.lon,
          lat: c.lat,
          heightM: c.height,
          headingDeg: finite(c.heading) ? c.heading : 0,
          pitchDeg: finite(c.pitch) ? c.pitch : -45,
        }
      : null;
  return {
    id: body.id,
    name: typeof body.name === 'string' ? body.name : body.id,
    camera,
    rings: parseRings(body.boundary),
  };
}

/** `/api/area`, naming the page's `?council=` so the answer does not depend on a cookie. */
export function areaUrl(search: string): string {
  const council = new URLSearchParams(search).get('council');
  return council ? `/api/area?council=${encodeURIComponent(council)}` : '/api/area';
}

export const useArea = (): Loadable<AreaInfo> => useJson(areaUrl(window.location.search), parseArea);

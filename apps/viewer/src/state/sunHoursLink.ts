/**
 * The sun-hours request in a share link, so that a link reopens the result (the server answers a repeated request
 * from its cache at once). One fragment parameter beside the view's (see viewState.ts):
 *
 *   sun=<dataset>~<date>~<cellSizeM>~<stepMinutes>~<scenario id or ->~<area name>~<lon,lat,lon,lat,…>
 *
 * The area is the open outer ring, 6 decimals (about 0.1 m). An area with too many corners for a link is left out
 * (null): the link still opens the view.
 */
import { distinctVertices, type LonLat, type SunHoursRequestBody } from './sunHours';

export const SUN_HOURS_PARAM = 'sun';
/** Longest `sun` value put in a link (browsers and chat tools cut long URLs). */
export const MAX_SUN_PARAM_CHARS = 4000;

const CELLS = new Set([0.5, 1, 2, 5, 10]);

/** The `sun=` value for a request, or null when its area is too detailed for a link. */
export function encodeSunHoursParam(body: SunHoursRequestBody): string | null {
  const ring = body.area.coordinates[0].slice(0, -1);
  const value = [
    body.dataset,
    body.date,
    String(body.cellSizeM),
    String(body.stepMinutes),
    body.scenario === undefined ? '-' : String(body.scenario),
    body.areaName,
    ring.map(([lon, lat]) => `${lon.toFixed(6)},${lat.toFixed(6)}`).join(','),
  ].join('~');
  return value.length <= MAX_SUN_PARAM_CHARS ? value : null;
}

/** `&sun=…` to append to a fragment, or '' for none. */
export function sunHoursFragment(body: SunHoursRequestBody | null): string {
  const value = body ? encodeSunHoursParam(body) : null;
  if (!value) return '';
  const p = new URLSearchParams({ [SUN_HOURS_PARAM]: value });
  return `&${p.toString().replaceAll('%2C', ',').replaceAll('%7E', '~')}`;
}

/**
 * The request a fragment carries, or null when it has none or it does not make sense (forgiving, like the view:
 * a bad value never stops the viewer; the server checks the rest and says what is wrong).
 */
export function decodeSunHoursParam(fragment: string): SunHoursRequestBody | null {
  const value = new URLSearchParams(fragment.replace(/^#/, '')).get(SUN_HOURS_PARAM);
  if (!value) return null;
  const parts = value.split('~');
  if (parts.length !== 7) return null;
  const [dataset, date, cell, step, scenario, areaName, coords] = parts;
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(dataset) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const cellSizeM = Number(cell);
  const stepMinutes = Number(step);
  if (!CELLS.has(cellSizeM) || !Number.isInteger(stepMinutes) || stepMinutes < 1 || stepMinutes > 60)
    return null;
  if (scenario !== '-' && !/^[1-9]\d{0,9}$/.test(scenario)) return null;
  if (!/^[\p{L}\p{N} '’-]{1,40}$/u.test(areaName)) return null;
  const n = coords.split(',').map(Number);
  if (n.length < 6 || n.length % 2 !== 0 || n.some((x) => !Number.isFinite(x))) return null;
  const points: LonLat[] = [];
  for (let i = 0; i < n.length; i += 2) {
    if (Math.abs(n[i]) > 180 || Math.abs(n[i + 1]) > 90) return null;
    points.push([n[i], n[i + 1]]);
  }
  const ring = distinctVertices(points);
  if (ring.length < 3) return null;
  return {
    dataset,
    date,
    cellSizeM,
    stepMinutes,
    areaName,
    area: { type: 'Polygon', coordinates: [[...ring, ring[0]]] },
    ...(scenario === '-' ? {} : { scenario: Number(scenario) }),
  };
}

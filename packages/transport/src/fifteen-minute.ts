import { EARTH_RADIUS_M, haversineM } from './geometry';
import type { ReachedPoints } from './isochrones';
import { type PointIndex, pointIndex, WALKING_DEFAULTS, type WalkingOptions, walkSeconds } from './walking';

/**
 * An everyday service a "15-minute city" puts within reach, and the OpenStreetMap tags that mark it (any one
 * matches). Descriptors as data: the API, the viewer's legend and the README read this list.
 */
export interface EssentialService {
  id: string;
  label: string;
  /** OSM tag key → values that make a feature this service. */
  osm: Record<string, readonly string[]>;
}

/**
 * The services scored, chosen from the daily needs that the 15-minute city (Moreno, Allam, Chabaud, Gall &
 * Pratlong, "Introducing the '15-Minute City'", Smart Cities 4(1), 93–111, 2021: living, working, commerce,
 * healthcare, education, entertainment) and the TCPA's "The 20-Minute Neighbourhood" guide (Town and Country
 * Planning Association, 2021: local shops, schools, health services, green space, community facilities) name.
 * The list and the tags are this project's choice; work and homes are left out (they are counted by the
 * isochrones from the twin's buildings).
 */
export const ESSENTIAL_SERVICES: readonly EssentialService[] = [
  {
    id: 'food',
    label: 'Food shop',
    osm: { shop: ['supermarket', 'convenience', 'greengrocer', 'butcher', 'bakery', 'deli', 'farm'] },
  },
  { id: 'school', label: 'School', osm: { amenity: ['school'] } },
  {
    id: 'gp',
    label: 'GP or health centre',
    osm: { amenity: ['doctors', 'clinic'], healthcare: ['doctor', 'clinic', 'centre'] },
  },
  {
    id: 'pharmacy',
    label: 'Pharmacy',
    osm: { amenity: ['pharmacy'], healthcare: ['pharmacy'], shop: ['chemist'] },
  },
  {
    id: 'park',
    label: 'Park or green space',
    osm: {
      leisure: ['park', 'playground', 'recreation_ground', 'common'],
      landuse: ['village_green', 'recreation_ground'],
    },
  },
  { id: 'post-office', label: 'Post office', osm: { amenity: ['post_office'] } },
  {
    id: 'community',
    label: 'Library or community centre',
    osm: { amenity: ['library', 'community_centre', 'social_centre'] },
  },
];

/**
 * The essential services an OSM feature provides, by its tags, in ESSENTIAL_SERVICES order: a village shop that is
 * also the post office (`shop=convenience` + `amenity=post_office`) provides both.
 */
export function essentialServicesOf(
  tags: Record<string, string>,
  services: readonly EssentialService[] = ESSENTIAL_SERVICES,
): string[] {
  return services
    .filter((s) =>
      Object.entries(s.osm).some(([key, values]) => tags[key] !== undefined && values.includes(tags[key])),
    )
    .map((s) => s.id);
}

/** The first essential service an OSM feature provides, or null. */
export const essentialServiceOf = (
  tags: Record<string, string>,
  services: readonly EssentialService[] = ESSENTIAL_SERVICES,
): string | null => essentialServicesOf(tags, services)[0] ?? null;

/** Service locations: positions (stride 2) and the service id of each. */
export interface ServicePoints {
  lonLat: Float64Array;
  services: readonly string[];
}

/** Service points with their spatial index, built once and queried for every origin. */
export interface ServiceIndex {
  points: ServicePoints;
  index: PointIndex;
}

export const serviceIndex = (points: ServicePoints): ServiceIndex => ({
  points,
  index: pointIndex(points.lonLat),
});

export const FIFTEEN_MINUTE_DEFAULTS = {
  /** The time budget, minutes, door to door (walking, waiting and riding). */
  limitMin: 15,
};

export type FifteenMinuteOptions = typeof FIFTEEN_MINUTE_DEFAULTS & {
  services: readonly EssentialService[];
};

export interface ServiceReach {
  id: string;
  label: string;
  /** Minutes to the nearest (in time) one, when one is within the limit; else null. */
  minutes: number | null;
  /** How many of this service lie within the limit. */
  count: number;
}

/** The score of one origin: the share of essential services with at least one within the limit. */
export interface FifteenMinuteScore {
  /** reachable ÷ total, 0…1. */
  score: number;
  reachable: number;
  total: number;
  services: ServiceReach[];
}

/**
 * The 15-minute city score of one origin: the share of ESSENTIAL_SERVICES categories with at least one place
 * reachable within `limitMin` minutes, walking and (when `reached` holds stops reached by public transport)
 * riding. From each reached point (the origin at the departure, stops at their earliest arrival) one walks on
 * in a straight line × detour factor, as the isochrones do, so a place counts exactly when it lies in the
 * isochrone band of the same limit. Walking only: `reached` holds just the origin.
 */
export function fifteenMinuteScore(
  reached: ReachedPoints,
  departureS: number,
  services: ServiceIndex,
  walking: WalkingOptions = WALKING_DEFAULTS,
  options: Partial<FifteenMinuteOptions> = {},
): FifteenMinuteScore {
  const limitMin = options.limitMin ?? FIFTEEN_MINUTE_DEFAULTS.limitMin;
  const categories = options.services ?? ESSENTIAL_SERVICES;
  const limitS = departureS + limitMin * 60;
  const { lonLat, services: ids } = services.points;
  const best = new Map<number, number>();
  for (let i = 0; i < reached.arrivalS.length; i++) {
    const left = limitS - reached.arrivalS[i];
    if (!(left > 0)) continue;
    const lon = reached.lonLat[2 * i];
    const lat = reached.lonLat[2 * i + 1];
    for (const j of services.index.within(lon, lat, (left * walking.speedMps) / walking.detourFactor)) {
      const t =
        reached.arrivalS[i] + walkSeconds(haversineM(lon, lat, lonLat[2 * j], lonLat[2 * j + 1]), walking);
      const b = best.get(j);
      if (b === undefined || t < b) best.set(j, t);
    }
  }
  const byService = new Map(categories.map((s) => [s.id, { earliest: Number.POSITIVE_INFINITY, count: 0 }]));
  for (const [j, t] of best) {
    if (t > limitS) continue;
    const s = byService.get(ids[j]);
    if (!s) continue;
    s.count++;
    s.earliest = Math.min(s.earliest, t);
  }
  const out = categories.map((s) => {
    const r = byService.get(s.id)!;
    return {
      id: s.id,
      label: s.label,
      minutes: Number.isFinite(r.earliest) ? Math.round(((r.earliest - departureS) / 60) * 10) / 10 : null,
      count: r.count,
    };
  });
  const reachable = out.filter((s) => s.count > 0).length;
  return {
    score: categories.length ? reachable / categories.length : 0,
    reachable,
    total: categories.length,
    services: out,
  };
}

/** Square cells over a bbox, for a score map. */
export interface ScoreGrid {
  /** Cell centres, stride 2. */
  centres: Float64Array;
  /** Each cell's corners: west, south, east, north. */
  cells: [number, number, number, number][];
  cellM: number;
}

const DEG = 180 / Math.PI;

/**
 * Cells of about `cellM` × `cellM` metres covering a bbox (west, south, east, north), in a local equirectangular
 * frame at the bbox's middle latitude (a few per mille off square across a county).
 */
export function scoreGrid(bbox: readonly [number, number, number, number], cellM: number): ScoreGrid {
  const [w, s, e, n] = bbox;
  const dLat = (cellM / EARTH_RADIUS_M) * DEG;
  const dLon = dLat / Math.cos((s + n) / 2 / DEG);
  const cols = Math.max(1, Math.ceil((e - w) / dLon));
  const rows = Math.max(1, Math.ceil((n - s) / dLat));
  const centres = new Float64Array(cols * rows * 2);
  const cells: [number, number, number, number][] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = w + c * dLon;
      const y = s + r * dLat;
      const k = cells.length;
      centres[2 * k] = x + dLon / 2;
      centres[2 * k + 1] = y + dLat / 2;
      cells.push([x, y, x + dLon, y + dLat]);
    }
  return { centres, cells, cellM };
}

/** How many cells a grid over the bbox would have (to refuse a request before building it). */
export function scoreGridSize(bbox: readonly [number, number, number, number], cellM: number): number {
  const [w, s, e, n] = bbox;
  const dLat = (cellM / EARTH_RADIUS_M) * DEG;
  const dLon = dLat / Math.cos((s + n) / 2 / DEG);
  return Math.max(1, Math.ceil((e - w) / dLon)) * Math.max(1, Math.ceil((n - s) / dLat));
}

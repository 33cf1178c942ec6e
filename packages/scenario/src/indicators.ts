/**
 * Indicators of a set of buildings: gross floor area by use, homes and jobs from floor area with the stated
 * ratios (ratios.ts), maximum height, footprint area and coverage of a site. Pure and deterministic: the same
 * buildings in any order give the same figures.
 */
import type { MultiPolygon2 } from '@placetwin/geo';
import { LEVEL_HEIGHT_M, TYPE_DEFAULTS, USE_CLASSES, type UseClass } from '@placetwin/importers';
import { bboxesIntersect, footprintAreaM2, footprintBBox, intersectionAreaM2 } from './footprint';
import { INDICATOR_RATIOS, type IndicatorRatios } from './ratios';
import type { ScenarioBuilding } from './types';

export interface IndicatorOptions {
  /**
   * The study area (a site's red line). A building counts when more than half of its footprint lies inside;
   * coverage is the share of the site under footprints. Null: every building counts and coverage is null.
   */
  site: MultiPolygon2 | null;
  ratios: IndicatorRatios;
  /** Floor-to-floor height for buildings whose storeys are not known (see `storeysForFloorArea`). */
  storeyHeightM: number;
}

export const INDICATOR_DEFAULTS: Readonly<IndicatorOptions> = Object.freeze({
  site: null,
  ratios: INDICATOR_RATIOS,
  storeyHeightM: LEVEL_HEIGHT_M,
});

export interface Indicators {
  /** Buildings counted (building parts are not counted: their floors belong to their building). */
  buildings: number;
  /** Gross external floor area, footprint × storeys, m². */
  gfaM2: { total: number; byUse: Record<UseClass, number> };
  /** Homes: residential floor area ÷ dwelling size (ratios), or a building's `homes` attribute. */
  homes: number;
  /** Full-time-equivalent jobs from floor area by use (ratios), or a building's `jobs` attribute. */
  jobs: number;
  /** Floor area of workplaces without an employment density (education, healthcare, civic…), m². */
  gfaWithoutJobsEstimateM2: number;
  /** Highest top above ground among the buildings counted (parts included), m; 0 when none. */
  maxHeightM: number;
  /** Sum of the footprint areas of the buildings counted, m². */
  footprintAreaM2: number;
  siteAreaM2: number | null;
  /** Share (0–1) of the site under building footprints; null without a site. */
  coverage: number | null;
}

export type IndicatorDelta = Omit<Indicators, 'siteAreaM2'>;

/** Uses that hold no jobs (homes, garages and sheds): never counted as workplaces without an estimate. */
const NOT_WORKPLACES: readonly UseClass[] = ['residential', 'outbuilding'];

/**
 * Storeys to count floor area with: the building's storeys when known; else, for a height from a type
 * default, the storeys that default assumed (one for single-volume types such as sheds, halls, supermarkets);
 * else ⌊(heightM − minHeightM) / storeyHeightM⌋, at least 1.
 */
export function storeysForFloorArea(b: ScenarioBuilding, storeyHeightM: number = LEVEL_HEIGHT_M): number {
  if (b.storeys !== null && b.storeys > 0) return b.storeys;
  const tag = typeof b.attributes?.building === 'string' ? b.attributes.building.toLowerCase() : null;
  if (b.heightSource === 'type-default' && tag && tag !== 'yes' && Object.hasOwn(TYPE_DEFAULTS, tag)) {
    return TYPE_DEFAULTS[tag].storeys ?? 1;
  }
  return Math.max(1, Math.floor((b.heightM - b.minHeightM) / storeyHeightM + 1e-9));
}

const round = (v: number, places: number) => {
  const k = 10 ** places;
  const r = Math.round(v * k) / k;
  return r === 0 ? 0 : r; // no -0 in JSON
};

const override = (b: ScenarioBuilding, key: 'homes' | 'jobs'): number | null => {
  const v = b.attributes?.[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
};

function isBox(site: MultiPolygon2): boolean {
  if (site.length !== 1 || site[0].length !== 1 || site[0][0].length !== 8) return false;
  const [w, s, e, n] = footprintBBox(site);
  const r = site[0][0];
  for (let i = 0; i < 8; i += 2) {
    if ((r[i] !== w && r[i] !== e) || (r[i + 1] !== s && r[i + 1] !== n)) return false;
  }
  return true;
}

/** Indicators of a set of buildings (a baseline, or a scenario's `apply(...).buildings`). */
export function indicators(
  buildings: readonly ScenarioBuilding[],
  options: Partial<IndicatorOptions> = {},
): Indicators {
  const o: IndicatorOptions = { ...INDICATOR_DEFAULTS, ...options };
  const r = o.ratios;
  const site = o.site;
  const siteBox = site ? footprintBBox(site) : null;
  const siteIsBox = site ? isBox(site) : false;
  const siteAreaM2 = site ? footprintAreaM2(site) : null;

  const byUse = Object.fromEntries(USE_CLASSES.map((u) => [u, 0])) as Record<UseClass, number>;
  let count = 0;
  let homes = 0;
  let jobs = 0;
  let withoutJobs = 0;
  let maxHeightM = 0;
  let footprintSum = 0;
  let covered = 0;

  const ordered = [...buildings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const b of ordered) {
    const area = footprintAreaM2(b.footprint);
    let inside = area;
    if (site && siteBox) {
      const box = footprintBBox(b.footprint);
      if (!bboxesIntersect(box, siteBox)) continue;
      const within =
        box[0] >= siteBox[0] && box[1] >= siteBox[1] && box[2] <= siteBox[2] && box[3] <= siteBox[3];
      if (!(within && siteIsBox)) inside = intersectionAreaM2(b.footprint, site);
    }
    if (b.kind === 'building') covered += inside;
    if (!(inside * 2 > area)) continue;
    maxHeightM = Math.max(maxHeightM, b.heightM);
    if (b.kind !== 'building') continue;
    count++;
    footprintSum += area;
    const use: UseClass = (USE_CLASSES as readonly string[]).includes(b.use ?? '')
      ? (b.use as UseClass)
      : 'unknown';
    const gea = area * storeysForFloorArea(b, o.storeyHeightM);
    byUse[use] += gea;
    const gia = gea * r.giaPerGea.value;

    const homesGiven = override(b, 'homes');
    if (homesGiven !== null) homes += homesGiven;
    else if (use === 'residential') homes += (gia * r.residentialNetToGross.value) / r.dwellingGiaM2.value;

    const jobsGiven = override(b, 'jobs');
    const density = r.jobDensity[use];
    if (jobsGiven !== null) jobs += jobsGiven;
    else if (density)
      jobs += (density.basis === 'NIA' ? gia * r.commercialNiaPerGia.value : gia) / density.value;
    else if (!NOT_WORKPLACES.includes(use)) withoutJobs += gea;
  }

  const total = Object.values(byUse).reduce((s, v) => s + v, 0);
  return {
    buildings: count,
    gfaM2: {
      total: round(total, 1),
      byUse: Object.fromEntries(Object.entries(byUse).map(([k, v]) => [k, round(v, 1)])) as Record<
        UseClass,
        number
      >,
    },
    homes: Math.round(homes),
    jobs: Math.round(jobs),
    gfaWithoutJobsEstimateM2: round(withoutJobs, 1),
    maxHeightM: round(maxHeightM, 2),
    footprintAreaM2: round(footprintSum, 1),
    siteAreaM2: siteAreaM2 === null ? null : round(siteAreaM2, 1),
    coverage: siteAreaM2 ? round(covered / siteAreaM2, 4) : null,
  };
}

/** b − a, field by field (coverage null when either is null). */
export function indicatorDelta(a: Indicators, b: Indicators): IndicatorDelta {
  return {
    buildings: b.buildings - a.buildings,
    gfaM2: {
      total: round(b.gfaM2.total - a.gfaM2.total, 1),
      byUse: Object.fromEntries(
        USE_CLASSES.map((u) => [u, round((b.gfaM2.byUse[u] ?? 0) - (a.gfaM2.byUse[u] ?? 0), 1)]),
      ) as Record<UseClass, number>,
    },
    homes: b.homes - a.homes,
    jobs: b.jobs - a.jobs,
    gfaWithoutJobsEstimateM2: round(b.gfaWithoutJobsEstimateM2 - a.gfaWithoutJobsEstimateM2, 1),
    maxHeightM: round(b.maxHeightM - a.maxHeightM, 2),
    footprintAreaM2: round(b.footprintAreaM2 - a.footprintAreaM2, 1),
    coverage: a.coverage === null || b.coverage === null ? null : round(b.coverage - a.coverage, 4),
  };
}

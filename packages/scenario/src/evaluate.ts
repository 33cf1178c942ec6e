import type { BBox, MultiPolygon2 } from '@placetwin/geo';
import { type ApplyOptions, apply } from './apply';
import { bboxFootprint, footprintAreaM2, footprintFromGeoJson, footprintToGeoJson } from './footprint';
import {
  type IndicatorDelta,
  type IndicatorOptions,
  type Indicators,
  indicatorDelta,
  indicators,
} from './indicators';
import type { Change, FootprintGeoJson, ScenarioBuilding } from './types';
import { ScenarioValidationError } from './validate';

/** Where indicators are measured: the scenario's site, or (without one) the whole dataset's extent. */
export interface StudyArea {
  source: 'site' | 'dataset-extent';
  footprint: FootprintGeoJson;
  areaM2: number;
}

/** A scenario's indicators next to the baseline's over the same study area, and the change. */
export interface ScenarioIndicators {
  studyArea: StudyArea | null;
  baseline: Indicators;
  scenario: Indicators;
  /** scenario − baseline */
  delta: IndicatorDelta;
}

/** The study area for a site (GeoJSON, may be null) and a dataset extent; null when neither is given. */
export function studyArea(site: FootprintGeoJson | null, extent: BBox | null): StudyArea | null {
  let footprint: MultiPolygon2;
  let source: StudyArea['source'];
  if (site) {
    const parsed = footprintFromGeoJson(site);
    if ('problem' in parsed) {
      throw new ScenarioValidationError([
        { change: -1, op: null, buildingId: null, field: 'site', reason: parsed.problem },
      ]);
    }
    footprint = parsed.footprint;
    source = 'site';
  } else if (extent) {
    footprint = bboxFootprint(extent);
    source = 'dataset-extent';
  } else {
    return null;
  }
  return {
    source,
    footprint: footprintToGeoJson(footprint),
    areaM2: Math.round(footprintAreaM2(footprint) * 10) / 10,
  };
}

export interface EvaluateOptions
  extends Partial<Omit<IndicatorOptions, 'site'>>,
    Partial<Omit<ApplyOptions, 'extent'>> {
  /** The site (red line) as GeoJSON; null → the dataset extent. */
  site?: FootprintGeoJson | null;
  /** The dataset's extent: footprints must lie inside it, and it is the study area when there is no site. */
  extent?: BBox | null;
}

/**
 * Applies a change set to a baseline and measures both over the same study area. The baseline may be a
 * subset, as long as it holds every building that touches the study area and every building the changes name.
 */
export function evaluateScenario(
  baseline: readonly ScenarioBuilding[],
  changes: readonly Change[],
  options: EvaluateOptions = {},
): ScenarioIndicators {
  const area = studyArea(options.site ?? null, options.extent ?? null);
  const { site: _s, extent, ...rest } = options;
  const result = apply(baseline, changes, { ...rest, extent: extent ?? null });
  const siteFootprint = area
    ? (footprintFromGeoJson(area.footprint) as { footprint: MultiPolygon2 }).footprint
    : null;
  const measure = (b: readonly ScenarioBuilding[]) => indicators(b, { ...rest, site: siteFootprint });
  const before = measure(baseline);
  const after = measure(result.buildings);
  return { studyArea: area, baseline: before, scenario: after, delta: indicatorDelta(before, after) };
}

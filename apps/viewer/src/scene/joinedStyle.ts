import { type Cesium3DTileFeature, Cesium3DTileStyle, type Color, type StyleExpression } from 'cesium';
import { type BuildingValues, joinedFeature } from '../state/buildingValues';
import { buildingStyleJson, COLOUR_SCHEMES } from '../state/colourSchemes';
import type { ColourBy } from '../state/viewState';

/**
 * The buildings' Cesium3DTileStyle: the scheme's own style, and for a scheme whose figures come from an API table
 * (energy demand, operational carbon) the same conditions evaluated over each feature with its figures joined by
 * id. Cesium documents a custom `color` object with `evaluateColor` for exactly this; no style text is generated
 * per building, so a dataset of any size costs one map lookup per feature.
 */
export function buildingStyle(
  colourBy: ColourBy,
  selectedId: string | null,
  values: BuildingValues | null,
): Cesium3DTileStyle {
  const style = new Cesium3DTileStyle(buildingStyleJson(colourBy, selectedId));
  const joins = COLOUR_SCHEMES[colourBy].joins;
  const conditions = style.color;
  if (!joins || !values || values.kind !== joins || !conditions) return style;
  const joined = {
    evaluateColor: (feature: Cesium3DTileFeature, result?: Color) =>
      conditions.evaluateColor(joinedFeature(feature, values), result),
  };
  style.color = joined as unknown as StyleExpression;
  return style;
}

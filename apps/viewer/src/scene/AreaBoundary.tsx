/**
 * The council area's boundary (its ONS district) as a line on the ground: a GroundPolylinePrimitive, so the line
 * drapes over the globe and the basemap rather than floating at one height or cutting through hills.
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  GroundPolylineGeometry,
  GroundPolylinePrimitive,
  PolylineColorAppearance,
} from 'cesium';
import { useEffect } from 'react';
import { useCesium } from 'resium';
import type { AreaInfo } from '../api/area';
import type { PlacetwinTestHooks } from '../testHooks';

/** Wide enough to read at county scale, in a colour that stands out on both the basemap and Natural Earth. */
const LINE_WIDTH_PX = 4;
const LINE_COLOUR = Color.fromCssColorString('#d53880');

export function AreaBoundary({ area, hooks }: { area: AreaInfo | null; hooks: PlacetwinTestHooks }) {
  const { cesiumWidget: viewer } = useCesium();
  useEffect(() => {
    if (!viewer || !area || area.rings.length === 0) return;
    const rings = area.rings.filter((r) => r.length >= 2);
    const primitive = new GroundPolylinePrimitive({
      geometryInstances: rings.map(
        (ring) =>
          new GeometryInstance({
            geometry: new GroundPolylineGeometry({
              positions: Cartesian3.fromDegreesArray(ring.flat()),
              width: LINE_WIDTH_PX,
            }),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(LINE_COLOUR) },
          }),
      ),
      appearance: new PolylineColorAppearance(),
      // Built on the main thread once the approximate terrain heights are in: one line, built once.
      asynchronous: false,
    });
    let removed = false;
    GroundPolylinePrimitive.initializeTerrainHeights().then(() => {
      if (removed || viewer.isDestroyed()) return;
      viewer.scene.groundPrimitives.add(primitive);
      viewer.scene.requestRender();
    });
    hooks.boundary = () => ({
      areaId: area.id,
      rings: rings.length,
      vertices: rings.reduce((n, r) => n + r.length, 0),
      inScene: !viewer.isDestroyed() && viewer.scene.groundPrimitives.contains(primitive),
      ready: primitive.ready,
      show: primitive.show,
    });
    return () => {
      removed = true;
      hooks.boundary = undefined;
      if (!viewer.isDestroyed()) viewer.scene.groundPrimitives.remove(primitive);
    };
  }, [viewer, area, hooks]);
  return null;
}

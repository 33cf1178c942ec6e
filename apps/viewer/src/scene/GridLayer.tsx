/**
 * The energy layer's grid on the globe: a point per substation and a line per feeder, coloured by the peak
 * headroom left after the portfolio's shift (green: ≥ 10 % of capacity, amber: less, red: overloaded), labelled
 * with the headroom before → after. A constructed grid's label says "sample grid, not real" on the globe too.
 */
import {
  Cartesian2,
  Cartesian3,
  Color,
  HorizontalOrigin,
  LabelCollection,
  LabelStyle,
  Material,
  PointPrimitiveCollection,
  PolylineCollection,
  VerticalOrigin,
} from 'cesium';
import { useEffect } from 'react';
import { useCesium } from 'resium';
import type { GridAssetHeadroom, GridHeadroom } from '../api/energyTypes';

const HEIGHT_M = 12;

export function headroomColour(a: Pick<GridAssetHeadroom, 'capacityKw' | 'headroomKw'>): string {
  const h = a.headroomKw.shifted;
  if (h < 0) return '#d4351c';
  if (h < 0.1 * a.capacityKw) return '#f47738';
  return '#00703c';
}

const kw = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(0)} kW`;

export function GridLayer({ grid }: { grid: GridHeadroom | null }) {
  const { cesiumWidget: viewer } = useCesium();
  useEffect(() => {
    if (!viewer || !grid) return;
    const points = new PointPrimitiveCollection();
    const lines = new PolylineCollection();
    const labels = new LabelCollection();
    for (const a of grid.assets) {
      const colour = Color.fromCssColorString(headroomColour(a));
      const at = (c: [number, number]) => Cartesian3.fromDegrees(c[0], c[1], HEIGHT_M);
      if (a.kind === 'substation')
        points.add({
          position: at(a.coordinates[0]),
          color: colour,
          pixelSize: 16,
          outlineColor: Color.WHITE,
          outlineWidth: 2,
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        });
      else
        lines.add({
          positions: a.coordinates.map(at),
          width: 4,
          material: Material.fromType('Color', { color: colour }),
        });
      const anchor = a.coordinates[a.kind === 'substation' ? 0 : Math.floor(a.coordinates.length / 2)];
      labels.add({
        position: at(anchor),
        text: `${a.name ?? a.id}\n${kw(a.headroomKw.baseline)} → ${kw(a.headroomKw.shifted)}`,
        font: '13px sans-serif',
        fillColor: Color.WHITE,
        outlineColor: Color.BLACK,
        outlineWidth: 3,
        style: LabelStyle.FILL_AND_OUTLINE,
        horizontalOrigin: HorizontalOrigin.LEFT,
        verticalOrigin: VerticalOrigin.BOTTOM,
        pixelOffset: new Cartesian2(10, -6),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    }
    if (grid.constructed && grid.assets.length > 0)
      labels.add({
        position: Cartesian3.fromDegrees(
          grid.assets[0].coordinates[0][0],
          grid.assets[0].coordinates[0][1],
          HEIGHT_M,
        ),
        text: 'Sample grid, not real',
        font: 'bold 14px sans-serif',
        fillColor: Color.YELLOW,
        outlineColor: Color.BLACK,
        outlineWidth: 3,
        style: LabelStyle.FILL_AND_OUTLINE,
        horizontalOrigin: HorizontalOrigin.LEFT,
        verticalOrigin: VerticalOrigin.TOP,
        pixelOffset: new Cartesian2(10, 8),
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      });
    viewer.scene.primitives.add(lines);
    viewer.scene.primitives.add(points);
    viewer.scene.primitives.add(labels);
    viewer.scene.requestRender();
    return () => {
      if (viewer.isDestroyed()) return;
      viewer.scene.primitives.remove(lines);
      viewer.scene.primitives.remove(points);
      viewer.scene.primitives.remove(labels);
    };
  }, [viewer, grid]);
  return null;
}

/**
 * The benchmark's comparison path (`?mode=geojson`): the same buildings drawn the way many web viewers do it,
 * as Cesium GeoJsonDataSource polygons extruded to their height, coloured by the same style as the 3D Tiles.
 * Not part of the normal viewer.
 */
import {
  type Cesium3DTileStyle,
  ColorMaterialProperty,
  ConstantProperty,
  GeoJsonDataSource,
  JulianDate,
  ShadowMode,
} from 'cesium';
import { useEffect, useRef } from 'react';
import { useCesium } from 'resium';
import type { DatasetInfo } from '../api/types';
import { isDatasetVisible, type LayerVisibility } from '../state/viewState';
import type { LayerProblem } from './CityScene';
import { buildingsGeoJsonUrl, toFeatureCollection } from './geojsonFeatures';
import type { SceneProbe } from './instrument';
import { propertyFeature } from './styleFeature';

export interface GeoJsonBuildingsProps {
  datasets: DatasetInfo[];
  layers: LayerVisibility;
  style: Cesium3DTileStyle;
  probe: SceneProbe;
  onLoadingChange: (layer: string, pendingTiles: number) => void;
  onProblem: (problem: LayerProblem) => void;
}

function paint(source: GeoJsonDataSource, style: Cesium3DTileStyle): void {
  const now = JulianDate.now();
  for (const entity of source.entities.values) {
    const colour = style.color?.evaluateColor(propertyFeature(entity.properties?.getValue(now) ?? {}));
    if (entity.polygon && colour) entity.polygon.material = new ColorMaterialProperty(colour);
  }
}

export function GeoJsonBuildings({
  datasets,
  layers,
  style,
  probe,
  onLoadingChange,
  onProblem,
}: GeoJsonBuildingsProps) {
  const { cesiumWidget: viewer } = useCesium();
  const sources = useRef(new Map<string, GeoJsonDataSource>());
  const styleRef = useRef(style);
  styleRef.current = style;
  const layersRef = useRef(layers);
  layersRef.current = layers;

  useEffect(() => {
    if (!viewer) return;
    const abort = new AbortController();
    const loaded = sources.current;
    for (const d of datasets) {
      if (!d.bbox) continue;
      probe.setLayer(d.name, () => {
        const source = loaded.get(d.name);
        return source !== undefined && !source.isLoading && viewer.dataSourceDisplay.ready;
      });
      onLoadingChange(d.name, 1);
      fetch(buildingsGeoJsonUrl(d.name, d.bbox), { signal: abort.signal })
        .then((res) => {
          if (!res.ok) throw new Error(`${res.url}: ${res.status} ${res.statusText}`);
          return res.json();
        })
        .then((body: unknown) => GeoJsonDataSource.load(toFeatureCollection(body), { clampToGround: false }))
        .then(async (source) => {
          if (abort.signal.aborted || viewer.isDestroyed()) return;
          for (const entity of source.entities.values) {
            const polygon = entity.polygon;
            const props = entity.properties?.getValue(JulianDate.now()) ?? {};
            if (!polygon) continue;
            polygon.height = new ConstantProperty(Number(props.minHeightM) || 0);
            polygon.extrudedHeight = new ConstantProperty(Number(props.heightM) || 0);
            polygon.outline = new ConstantProperty(false);
            polygon.shadows = new ConstantProperty(ShadowMode.ENABLED);
          }
          paint(source, styleRef.current);
          source.show = isDatasetVisible(layersRef.current, d.name);
          loaded.set(d.name, source);
          await viewer.dataSources.add(source);
          onLoadingChange(d.name, 0);
        })
        .catch((e: unknown) => {
          if (abort.signal.aborted) return;
          onProblem({
            layer: d.name,
            message: `buildings could not be loaded (${e instanceof Error ? e.message : e})`,
          });
        });
    }
    return () => {
      abort.abort();
      for (const [name, source] of loaded) {
        probe.setLayer(name, null);
        if (!viewer.isDestroyed()) viewer.dataSources.remove(source, true);
      }
      loaded.clear();
    };
  }, [viewer, datasets, probe, onLoadingChange, onProblem]);

  useEffect(() => {
    for (const source of sources.current.values()) paint(source, style);
  }, [style]);

  useEffect(() => {
    for (const [name, source] of sources.current) source.show = isDatasetVisible(layers, name);
  }, [layers]);

  return null;
}

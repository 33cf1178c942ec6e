/**
 * The Cesium scene, fully offline: Natural Earth II from Cesium's own assets as the globe, Placetwin's OSM basemap
 * on top, ellipsoid terrain, and one 3D Tiles tileset per dataset. No ion, no Bing, no geocoder.
 *
 * It is a CesiumWidget (the engine alone) rather than a Viewer: the Viewer's widgets are built on Knockout, whose
 * bindings compile expressions with `new Function`, which the server's Content Security Policy rightly forbids;
 * and every control here is our own React UI anyway.
 */
import {
  buildModuleUrl,
  Credit,
  Expression,
  ImageryLayer,
  Rectangle,
  ShadowMode,
  TileMapServiceImageryProvider,
  UrlTemplateImageryProvider,
} from 'cesium';
import { type Dispatch, type ReactNode, useMemo, useState } from 'react';
import { CesiumWidget, ImageryLayer as ResiumImageryLayer } from 'resium';
import type { DatasetInfo } from '../api/types';
import type { BuildingValues } from '../state/buildingValues';
import type { Action, AppState } from '../state/store';
import { isDatasetVisible } from '../state/viewState';
import { BuildingsTileset } from './BuildingsTileset';
import { GeoJsonBuildings } from './GeoJsonBuildings';
import type { SceneProbe } from './instrument';
import { buildingStyle } from './joinedStyle';
import { SceneSync } from './SceneSync';

export const BASEMAP_CREDIT = '© OpenStreetMap contributors';

/** Basemap tiles are drawn from the imported extract, so there is nothing to fetch far outside the datasets. */
const BASEMAP_MARGIN_DEG = 0.05;

export interface LayerProblem {
  layer: string;
  message: string;
}

export interface CitySceneProps {
  state: AppState;
  dispatch: Dispatch<Action>;
  datasets: DatasetInfo[];
  /** Union of the datasets' extents, when known. */
  extent: [number, number, number, number] | null;
  mode: 'tiles' | 'geojson';
  probe: SceneProbe;
  onLoadingChange: (layer: string, pendingTiles: number) => void;
  onProblem: (problem: LayerProblem) => void;
  /** False while a tool (drawing an area) owns clicks on the scene: they do not select buildings. */
  picking?: boolean;
  /** More scene content (the sun-hours area and result). */
  children?: ReactNode;
  /** Figures joined to the buildings by id for the energy and carbon colour schemes (null: none loaded). */
  buildingValues?: BuildingValues | null;
  /** A Cesium show expression for the baseline buildings (a scenario hides its demolished and changed ones). */
  baselineShow?: string | null;
}

export function CityScene({
  state,
  dispatch,
  datasets,
  extent,
  mode,
  probe,
  onLoadingChange,
  onProblem,
  picking = true,
  children,
  buildingValues = null,
  baselineShow = null,
}: CitySceneProps) {
  const { view } = state;
  // Readonly viewer options: created once, or Resium would rebuild the viewer.
  const [globeImagery] = useState(() =>
    ImageryLayer.fromProviderAsync(
      TileMapServiceImageryProvider.fromUrl(buildModuleUrl('Assets/Textures/NaturalEarthII')),
    ),
  );
  // Cesium's own credit line would show ion's logo; credits are drawn by <Credits> from the same data instead.
  const [hiddenCredits] = useState(() => document.createElement('div'));

  const basemap = useMemo(() => {
    if (!extent) return null;
    const [w, s, e, n] = extent;
    const m = BASEMAP_MARGIN_DEG;
    return new UrlTemplateImageryProvider({
      url: '/basemap/{z}/{x}/{y}.png',
      credit: new Credit(BASEMAP_CREDIT),
      rectangle: Rectangle.fromDegrees(w - m, s - m, e + m, n + m),
      maximumLevel: 19,
    });
  }, [extent]);

  const style = useMemo(() => {
    const s = buildingStyle(view.colourBy, view.selected, buildingValues);
    if (baselineShow) s.show = new Expression(baselineShow);
    return s;
  }, [view.colourBy, view.selected, buildingValues, baselineShow]);

  return (
    <CesiumWidget
      full
      baseLayer={globeImagery}
      creditContainer={hiddenCredits}
      scene3DOnly
      terrainShadows={ShadowMode.RECEIVE_ONLY}
    >
      {basemap && <ResiumImageryLayer imageryProvider={basemap} show={view.layers.basemap} />}
      {mode === 'tiles' &&
        datasets.map((d) =>
          d.tilesetUrl ? (
            <BuildingsTileset
              key={d.name}
              dataset={d.name}
              url={d.tilesetUrl}
              show={isDatasetVisible(view.layers, d.name)}
              style={style}
              probe={probe}
              onLoadingChange={onLoadingChange}
              onProblem={onProblem}
            />
          ) : null,
        )}
      {mode === 'geojson' && (
        <GeoJsonBuildings
          datasets={datasets}
          layers={view.layers}
          style={style}
          probe={probe}
          onLoadingChange={onLoadingChange}
          onProblem={onProblem}
        />
      )}
      <SceneSync state={state} dispatch={dispatch} probe={probe} picking={picking} />
      {children}
    </CesiumWidget>
  );
}

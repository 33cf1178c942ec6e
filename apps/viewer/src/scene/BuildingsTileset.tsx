import {
  Cesium3DTileColorBlendMode,
  type Cesium3DTileStyle,
  type Cesium3DTileset as CesiumTileset,
  ShadowMode,
} from 'cesium';
import { useEffect, useRef } from 'react';
import { Cesium3DTileset, type CesiumComponentRef } from 'resium';
import type { LayerProblem } from './CityScene';
import type { SceneProbe } from './instrument';

export interface BuildingsTilesetProps {
  dataset: string;
  url: string;
  show: boolean;
  style: Cesium3DTileStyle;
  probe: SceneProbe;
  onLoadingChange: (layer: string, pendingTiles: number) => void;
  onProblem: (problem: LayerProblem) => void;
}

/** One dataset's buildings as 3D Tiles, casting and receiving sun shadows. */
export function BuildingsTileset({
  dataset,
  url,
  show,
  style,
  probe,
  onLoadingChange,
  onProblem,
}: BuildingsTilesetProps) {
  const ref = useRef<CesiumComponentRef<CesiumTileset>>(null);
  const initialTilesLoaded = useRef(false);

  useEffect(() => {
    probe.setLayer(dataset, () => {
      const tileset = ref.current?.cesiumElement;
      if (!tileset || tileset.isDestroyed()) return false;
      return initialTilesLoaded.current && tileset.tilesLoaded && rootContentReady(tileset);
    });
    return () => probe.setLayer(dataset, null);
  }, [dataset, probe]);

  return (
    <Cesium3DTileset
      ref={ref}
      url={url}
      show={show}
      style={style}
      shadows={ShadowMode.ENABLED}
      // The style's colour is the building's colour (as in the legend), not a tint over the tiler's grey material.
      colorBlendMode={Cesium3DTileColorBlendMode.REPLACE}
      onLoadProgress={(pending, processing) => onLoadingChange(dataset, pending + processing)}
      onInitialTilesLoad={() => {
        initialTilesLoaded.current = true;
      }}
      onAllTilesLoad={() => onLoadingChange(dataset, 0)}
      onTileFailed={(error: unknown) =>
        onProblem({ layer: dataset, message: `a building tile failed to load (${describeTileError(error)})` })
      }
      onError={(error: unknown) =>
        onProblem({
          layer: dataset,
          message: `the tileset could not be loaded (${describeTileError(error)})`,
        })
      }
    />
  );
}

/**
 * Whether the root tile's content is loaded. Cesium documents `Cesium3DTile#contentReady` but marks it @private,
 * so it is missing from the typings; it is the one direct way to ask, and it is true for a content-less root.
 */
function rootContentReady(tileset: CesiumTileset): boolean {
  const root: unknown = tileset.root;
  return typeof root === 'object' && root !== null && 'contentReady' in root && root.contentReady === true;
}

function describeTileError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const url = 'url' in error && typeof error.url === 'string' ? error.url : '';
    const message = 'message' in error && typeof error.message === 'string' ? error.message : '';
    return [url, message].filter(Boolean).join(': ') || 'unknown error';
  }
  return String(error);
}

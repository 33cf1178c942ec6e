import type { BuildingFeature, PointTransform } from '@placetwin/geo';
import { deriveHeight } from './height';
import { type SourceSurface, solidGeometry } from './surfaces';
import { useFromProperty } from './use';

/** The geometry chosen for one object of a 3D model. */
export interface ObjectGeometry {
  surfaces: SourceSurface[];
  /** LoD as the file writes it (`2.2`, `2`, `3`). */
  lod: string;
  /** A 2D/3D footprint given as such (CityGML lod0FootPrint), used when there are no surfaces. */
  footprintHint?: Float64Array[][];
}

export interface SolidBuildingInput {
  kind: 'building' | 'part';
  sourceId: string;
  parentSourceId: string | null;
  /** The object's own geometry, or its parts' geometries when it has none (fromParts). */
  geometry: ObjectGeometry | ObjectGeometry[];
  fromParts: boolean;
  format: 'CityJSON' | 'CityGML';
  attributes: BuildingFeature['attributes'];
  name: string | null;
  storeys: number | null;
  /** A height the file states (CityGML measuredHeight), used only when the geometry is flat. */
  statedHeightM: number | null;
  toLonLat: PointTransform;
}

const m = (x: number) => `${Math.round(x * 100) / 100} m`;

/**
 * A BuildingFeature from a 3D object: footprint and surfaces from its geometry, height = highest minus
 * lowest vertex (`measured`), ground elevation = lowest vertex in the file's vertical datum.
 */
export function buildingFromSolid(input: SolidBuildingInput): BuildingFeature | { error: string } {
  const geometries = Array.isArray(input.geometry) ? input.geometry : [input.geometry];
  const surfaces = geometries.flatMap((g) => g.surfaces);
  const hint = geometries.flatMap((g) => g.footprintHint ?? []);
  const lod = geometries
    .map((g) => g.lod)
    .reduce((a, b) => (Number.parseFloat(b) > Number.parseFloat(a) ? b : a));
  const solid = solidGeometry(surfaces, input.toLonLat, hint.length ? hint : undefined);
  if ('error' in solid) return solid;

  const fromParts = input.fromParts
    ? ` of its ${geometries.length} part${geometries.length > 1 ? 's' : ''}`
    : '';
  let heightM = solid.maxZ - solid.minZ;
  let heightSource: BuildingFeature['heightSource'] = 'measured';
  let heightMethod = `${input.format} LoD${lod} geometry${fromParts}: highest − lowest vertex = ${m(heightM)}`;
  if (heightM < 0.01) {
    // Flat geometry (a 2D footprint): fall back to what the file states, as for OSM tags.
    const h = deriveHeight(
      { height: input.statedHeightM ?? undefined, 'building:levels': input.storeys ?? undefined },
      `${input.format} (flat LoD${lod} geometry)`,
    );
    heightM = h.heightM;
    heightSource = h.heightSource;
    heightMethod = h.heightMethod.replace(' height=', ' measuredHeight=');
  }
  const fn = input.attributes.function ?? input.attributes.usage;
  return {
    kind: input.kind,
    sourceId: input.sourceId,
    parentSourceId: input.parentSourceId,
    footprint: solid.footprint,
    minHeightM: 0,
    heightM: Math.round(heightM * 1000) / 1000,
    heightSource,
    heightMethod,
    storeys: input.storeys,
    use: typeof fn === 'string' && /^[a-z_ ]+$/i.test(fn) ? useFromProperty(fn) : null,
    name: input.name,
    groundElevationM: Math.round(solid.minZ * 1000) / 1000,
    attributes: { ...input.attributes, lod, footprintFrom: solid.footprintFrom },
    surfaces: solid.surfaces,
  };
}

import type { BuildingFeature } from '@placetwin/geo';
import type { UseClass } from '@placetwin/importers';

/** A value of a building attribute (as in `BuildingFeature.attributes`). */
export type AttributeValue = string | number | boolean | null;

/**
 * A footprint as GeoJSON geometry (RFC 7946): lon/lat degrees, EPSG:4326. Rings may be closed or open and wound
 * either way; they are cleaned and oriented on apply. JSON-friendly, so changes store and travel as they are.
 */
export type FootprintGeoJson =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

/** Adds a new building. Give `storeys`, `heightM` or both (see README: how heights and storeys follow each other). */
export interface AddBuildingChange {
  op: 'add';
  /** `new/<name>`, name of letters, digits, `_`, `-`, `.` (max 100): never clashes with a baseline `<dataset>:<id>`. */
  id: string;
  footprint: FootprintGeoJson;
  use: UseClass;
  storeys?: number;
  /** Top above ground, metres. */
  heightM?: number;
  /** Bottom of the mass above ground (an elevated block over a street), metres; default 0. */
  minHeightM?: number;
  name?: string | null;
  attributes?: Record<string, AttributeValue>;
  /**
   * Turns the footprint clockwise seen from above (as a compass bearing turns) by this many degrees (−360 to 360)
   * about `rotateAbout`, or the centre of its bounding box. In a modify, the footprint turned is the one given,
   * or else the building's current one.
   */
  rotationDeg?: number;
  /** The point [lon, lat] a rotation turns about (an imported model's origin, so its blocks turn together). */
  rotateAbout?: [number, number];
}

/** Changes the massing or use of a building (baseline or added). At least one field besides `op` and `id`. */
export interface ModifyBuildingChange {
  op: 'modify';
  id: string;
  heightM?: number;
  storeys?: number;
  minHeightM?: number;
  use?: UseClass;
  footprint?: FootprintGeoJson;
  name?: string | null;
  /**
   * Turns the footprint clockwise seen from above (as a compass bearing turns) by this many degrees (−360 to 360)
   * about `rotateAbout`, or the centre of its bounding box. In a modify, the footprint turned is the one given,
   * or else the building's current one.
   */
  rotationDeg?: number;
  /** The point [lon, lat] a rotation turns about (an imported model's origin, so its blocks turn together). */
  rotateAbout?: [number, number];
}

/** Removes a building (baseline or added). */
export interface DemolishChange {
  op: 'demolish';
  id: string;
}

/** Sets one attribute. `homes` and `jobs` (whole numbers ≥ 0) override the floor-area estimates of indicators. */
export interface SetAttributeChange {
  op: 'set-attribute';
  id: string;
  key: string;
  value: AttributeValue;
}

export type Change = AddBuildingChange | ModifyBuildingChange | DemolishChange | SetAttributeChange;
export type ChangeOp = Change['op'];

/** A building with its id: baseline buildings are `<dataset>:<sourceId>`, added ones `new/<name>`. */
export interface ScenarioBuilding extends BuildingFeature {
  id: string;
}

/** One thing wrong with a change, and what to do about it. */
export interface ChangeIssue {
  /** Index of the change in the list given. */
  change: number;
  op: string | null;
  buildingId: string | null;
  /** The field at fault, e.g. `footprint`, `storeys`, `id`. */
  field: string;
  /** What is wrong and how to fix it, in plain words. */
  reason: string;
}

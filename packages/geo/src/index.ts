export {
  assertSupportedCrs,
  bngTransformMethod,
  fromBng,
  normaliseCrs,
  type PointTransform,
  registerOstn15Grid,
  toBng,
  transformCoords,
  transformer,
} from './crs';
export { type EnuFrame, ecefToGeodetic, enuFrame, geodeticToEcef, WGS84_A, WGS84_F } from './ecef';
export { DataError, isDataError } from './errors';
export {
  cleanRing,
  findRingContact,
  isRingClosed,
  orientPolygon,
  orientRing,
  pointInRing,
  polygonProblem,
  type RingContact,
  reverseRing,
  segmentContact,
  signedRingArea,
} from './polygon';
export {
  appendExtrudedFootprint,
  appendExtrusion,
  appendPlanarSurface,
  type ExtrusionOptions,
  MeshBuilder,
  newellNormal,
  triangulatePolygon,
} from './triangulate';
export type {
  BBox,
  BuildingFeature,
  DatasetMeta,
  GeoJsonGeometry,
  HeightSource,
  ImportedFeature,
  MapFeature,
  MultiPolygon2,
  Polygon2,
  Ring2,
  Ring3,
  Surface,
} from './types';
export { decodePolygonalWkb, encodeMultiPolygonWkb, multiPolygonToGeoJson } from './wkb';

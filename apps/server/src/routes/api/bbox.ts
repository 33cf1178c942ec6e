import { type BBox, DataError } from '@placetwin/geo';

/** Largest box one buildings query may cover: a county (Rutland's whole extent is about 900 km²). */
export const MAX_BBOX_AREA_KM2 = 2500;

const KM_PER_DEG_LAT = 111.32;

/** Area of a lon/lat box on the sphere, km² (good to a fraction of a percent at this size). */
export const bboxAreaKm2 = ([w, s, e, n]: BBox): number => {
  const rad = Math.PI / 180;
  return (KM_PER_DEG_LAT ** 2 * ((e - w) * (Math.sin(n * rad) - Math.sin(s * rad)))) / rad;
};

/**
 * Parses a `bbox=west,south,east,north` query parameter (degrees, EPSG:4326), as in OGC API Features.
 * Bad input is a `DataError` saying exactly what is wrong, so the caller gets a useful 400.
 */
export function parseBboxParam(text: string, maxAreaKm2 = MAX_BBOX_AREA_KM2): BBox {
  const parts = text.split(',');
  if (parts.length !== 4) {
    throw new DataError(
      'invalid-bbox',
      `bbox must be four numbers west,south,east,north; got ${parts.length}`,
    );
  }
  const values = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new DataError(
      'invalid-bbox',
      `bbox ${['west', 'south', 'east', 'north'][bad]} "${parts[bad]}" is not a finite number`,
    );
  }
  const [w, s, e, n] = values;
  const problems = [
    (w < -180 || e > 180) && 'longitudes must be within -180..180',
    (s < -90 || n > 90) && 'latitudes must be within -90..90',
    w >= e && 'west must be less than east',
    s >= n && 'south must be less than north',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new DataError('invalid-bbox', `bbox ${text}: ${problems.join('; ')}`);
  const bbox: BBox = [w, s, e, n];
  const area = bboxAreaKm2(bbox);
  if (area > maxAreaKm2) {
    throw new DataError(
      'bbox-too-large',
      `bbox covers ${Math.round(area)} km²; the limit is ${maxAreaKm2} km²: ask for a smaller area`,
    );
  }
  return bbox;
}

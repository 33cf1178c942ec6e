import { assertSupportedCrs, DataError, transformer } from '@placetwin/geo';

/**
 * CRS names as files write them, beyond what geo's normaliseCrs reads: compound names (horizontal + height),
 * whose horizontal part is what we transform, and German AdV names common in CityGML.
 *   urn:ogc:def:crs,crs:EPSG::27700,crs:EPSG::5701     (OS / UK CityGML: BNG + ODN heights)
 *   https://www.opengis.net/def/crs-compound?1=…/EPSG/0/28992&2=…/EPSG/0/5709
 *   EPSG:27700+5701
 *   urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH
 * Returns `EPSG:nnnn` of a CRS that geo can transform, or throws DataError `unsupported-crs`.
 */
export function horizontalCrs(
  name: string,
  where: { file?: string | null; featureId?: string | null } = {},
): string {
  const s = name.trim();
  let horizontal = s;
  const compoundUrn = /^urn:ogc:def:crs,crs:([^,]+)/i.exec(s);
  const compoundUrl = /crs-compound\?1=([^&]+)/i.exec(s);
  const plus = /^(EPSG:\d+)\+\d+$/i.exec(s);
  const adv = /^urn:adv:crs:ETRS89_UTM(\d\d)/i.exec(s);
  if (compoundUrn) horizontal = `urn:ogc:def:crs:${compoundUrn[1]}`;
  else if (compoundUrl) horizontal = decodeURIComponent(compoundUrl[1]);
  else if (plus) horizontal = plus[1];
  else if (adv) horizontal = `EPSG:258${adv[1]}`;
  try {
    return assertSupportedCrs(horizontal);
  } catch (e) {
    if (e instanceof DataError) {
      throw new DataError('unsupported-crs', `unsupported coordinate reference system "${name}"`, where);
    }
    throw e;
  }
}

/** Where coordinates of a CRS can lie (native units), from the EPSG areas of use rounded outwards. */
const NATIVE_BOUNDS: Record<string, { x: [number, number]; y: [number, number]; what: string }> = {
  'EPSG:4326': { x: [-180, 180], y: [-90, 90], what: 'longitude -180…180, latitude -90…90' },
  'EPSG:27700': {
    x: [-110_000, 700_000],
    y: [-20_000, 1_250_000],
    what: 'British National Grid easting -110…700 km, northing -20…1,250 km',
  },
  'EPSG:28992': { x: [-10_000, 310_000], y: [280_000, 640_000], what: 'RD New x -10…310 km, y 280…640 km' },
};

/**
 * A function checking one source coordinate: null when it is plausible for the CRS, else the reason.
 * Known CRSs are checked against their extent; every CRS must transform to finite WGS84 degrees.
 */
export function coordinateCheck(crs: string): (x: number, y: number) => string | null {
  const bounds = NATIVE_BOUNDS[crs];
  const utm = /^EPSG:(326|327|258)\d\d$/.test(crs);
  const toWgs84 = transformer(crs, 'EPSG:4326');
  return (x, y) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return `coordinate (${x}, ${y}) is not a finite number`;
    if (bounds && (x < bounds.x[0] || x > bounds.x[1] || y < bounds.y[0] || y > bounds.y[1])) {
      const hint =
        crs === 'EPSG:4326' && Math.abs(x) > 1000
          ? ' (projected metres? give the CRS, e.g. --crs EPSG:27700)'
          : '';
      return `coordinate (${x}, ${y}) is out of range for ${crs} (${bounds.what})${hint}`;
    }
    if (utm && (x < 0 || x > 1_000_000 || y < 0 || y > 10_000_000)) {
      return `coordinate (${x}, ${y}) is out of range for ${crs} (UTM easting 0…1,000 km, northing 0…10,000 km)`;
    }
    const [lon, lat] = toWgs84(x, y);
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      return `coordinate (${x}, ${y}) in ${crs} does not transform to a valid longitude/latitude`;
    }
    return null;
  };
}

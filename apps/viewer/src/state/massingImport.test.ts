import { checkChangeShape } from '@placetwin/scenario';
import { describe, expect, it } from 'vitest';
import { massingFileKind, massingFromGeoJson, parseOrigin } from './massingImport';

const square = (lon: number, lat: number, d = 0.0002) => [
  [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ],
];
const feature = (properties: Record<string, unknown>, coordinates = square(-0.7334, 52.6732)) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates },
});
const file = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('massing file import', () => {
  it('turns each footprint into an add change the server’s own shape check accepts', () => {
    const r = massingFromGeoJson(
      file(
        feature({ name: 'Block A', storeys: 4, use: 'residential' }),
        feature({ name: 'Block B', height: '13.5 m', use: 'Retail' }, square(-0.733, 52.6732)),
        {
          type: 'Feature',
          properties: { name: 'Twins', 'building:levels': '3' },
          geometry: { type: 'MultiPolygon', coordinates: [square(-0.732, 52.673), square(-0.7316, 52.673)] },
        },
      ),
      new Set(['new/block-a']),
    );
    if ('problems' in r) throw new Error(r.problems.join('\n'));
    expect(r.changes.map((c) => c.id)).toEqual([
      'new/block-a-2',
      'new/block-b',
      'new/twins-part-1',
      'new/twins-part-2',
    ]);
    expect(r.changes[0]).toMatchObject({ op: 'add', use: 'residential', storeys: 4, name: 'Block A' });
    expect(r.changes[1]).toMatchObject({ use: 'retail', heightM: 13.5 });
    expect(r.changes[2]).toMatchObject({ use: 'residential', storeys: 3 });
    for (const [i, c] of r.changes.entries()) expect(checkChangeShape(c, i).issues).toEqual([]);
    expect(r.summary[1]).toBe('Block B: retail, 13.5 m');
  });

  it('names every feature at fault and what to fix, and then imports nothing', () => {
    const r = massingFromGeoJson(
      file(
        feature({ name: 'Ok', storeys: 2 }),
        feature({ name: 'No size' }),
        feature({ storeys: 2, use: 'castle' }),
        feature({ name: 'Metres', storeys: 2 }, square(485000, 308000, 20)),
        feature({ name: 'Too many', storeys: 2.5 }),
        { type: 'Feature', properties: { storeys: 1 }, geometry: { type: 'LineString', coordinates: [] } },
      ),
      new Set(),
    );
    expect('problems' in r).toBe(true);
    const problems = 'problems' in r ? r.problems : [];
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/Feature 2 \(“No size”\) has neither storeys nor height/);
    expect(problems[1]).toMatch(/Feature 3: use “castle” is not one of residential/);
    expect(problems[2]).toMatch(/Feature 4 \(“Metres”\).*WGS84/);
    expect(problems[3]).toMatch(/Feature 5 .*whole number/);
    expect(problems[4]).toMatch(/Feature 6 is a LineString, not a Polygon/);
  });

  it('refuses what is not a GeoJSON massing file, saying why', () => {
    const one = (text: string) => {
      const r = massingFromGeoJson(text, new Set());
      return 'problems' in r ? r.problems[0] : 'imported';
    };
    expect(one('not json')).toMatch(/not JSON/);
    expect(one('{"type":"CityJSON","version":"2.0"}')).toMatch(/CityJSON .* GeoJSON/);
    expect(one('{"type":"FeatureCollection","features":[]}')).toMatch(/No footprints/);
    expect(
      one(
        JSON.stringify({
          type: 'FeatureCollection',
          crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } },
          features: [feature({ storeys: 2 })],
        }),
      ),
    ).toMatch(/EPSG::27700.*EPSG:4326/);
  });
});

describe('CityJSON and glTF massing files (sent to the server)', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('tells the paths apart by content first, then by name', () => {
    expect(massingFileKind('scheme.bin', bytes('glTF\u0002\u0000\u0000\u0000'))).toBe('glb');
    expect(massingFileKind('scheme.glb', bytes(''))).toBe('glb');
    expect(massingFileKind('scheme.json', bytes('{"type": "CityJSON", "version": "2.0"}'))).toBe('cityjson');
    expect(massingFileKind('scheme.json', bytes('{"type":"FeatureCollection"}'))).toBe('geojson');
  });
  it('reads a site origin as longitude, latitude, blank as the server’s default', () => {
    expect(parseOrigin(' -0.7348, 52.6734 ')).toEqual([-0.7348, 52.6734]);
    expect(parseOrigin('')).toBeNull();
    expect(parseOrigin('52.6734')).toMatch(/longitude, latitude/);
    expect(parseOrigin('486500, 310500')).toMatch(/not a longitude/);
  });
});

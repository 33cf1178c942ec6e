import { describe, expect, it } from 'vitest';
import { areaUrl, parseArea } from './area';

describe('the council area the viewer opens over', () => {
  it("reads /api/area's camera and MultiPolygon boundary into a camera view and rings", () => {
    const ring = [
      [-0.8, 52.6],
      [-0.5, 52.6],
      [-0.5, 52.75],
      [-0.8, 52.6],
    ];
    const a = parseArea({
      id: 'default',
      name: 'Rutland',
      camera: { lon: -0.65, lat: 52.66, height: 9000, heading: 0, pitch: -45 },
      boundary: { type: 'MultiPolygon', coordinates: [[ring], [ring, ring]] },
    });
    expect(a.camera).toEqual({ lon: -0.65, lat: 52.66, heightM: 9000, headingDeg: 0, pitchDeg: -45 });
    expect(a.rings).toHaveLength(3);
    expect(a.rings[0][1]).toEqual([-0.5, 52.6]);
  });

  it('has no camera and no rings for an area without a district, and refuses a broken boundary', () => {
    expect(parseArea({ id: 'default', name: 'Default area', camera: null, boundary: null })).toMatchObject({
      camera: null,
      rings: [],
    });
    expect(() => parseArea({ id: 'x', boundary: { type: 'Polygon', coordinates: [[['a', 1]]] } })).toThrow(
      /boundary ring/,
    );
  });

  it("passes the page's ?council= on to /api/area", () => {
    expect(areaUrl('?council=E08000035&mode=tiles')).toBe('/api/area?council=E08000035');
    expect(areaUrl('')).toBe('/api/area');
  });
});

import { describe, expect, it } from 'vitest';
import { buildingsGeoJsonUrl, footprintAnchor, toFeatureCollection } from './geojsonFeatures';

// Constructed bodies: the two shapes a building list can take (the server's exact one is pinned by the e2e test).
const square = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [-0.73, 52.67],
      [-0.729, 52.67],
      [-0.729, 52.671],
      [-0.73, 52.671],
      [-0.73, 52.67],
    ],
  ],
};

describe('building list → GeoJSON', () => {
  it('keeps a FeatureCollection, putting the id in the properties', () => {
    const fc = toFeatureCollection({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'rutland:w1', geometry: square, properties: { heightM: 7 } },
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [0, 0] },
          properties: { id: 'rutland:n2' },
        },
      ],
    });
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].properties).toEqual({ heightM: 7, id: 'rutland:w1' });
  });

  it('turns building records with footprints into features', () => {
    const fc = toFeatureCollection({
      buildings: [{ id: 'rutland:w1', heightM: 7, footprint: square }, { id: 'rutland:w2' }],
    });
    expect(fc.features).toEqual([
      { type: 'Feature', id: 'rutland:w1', geometry: square, properties: { id: 'rutland:w1', heightM: 7 } },
    ]);
    expect(toFeatureCollection('nonsense').features).toEqual([]);
  });

  it('asks for a whole dataset by its extent, or a sample of it', () => {
    expect(buildingsGeoJsonUrl('rutland', [-0.82, 52.52, -0.43, 52.76])).toBe(
      '/api/buildings?bbox=-0.82,52.52,-0.43,52.76&dataset=rutland&limit=100000',
    );
    expect(buildingsGeoJsonUrl('rutland', [-0.82, 52.52, -0.43, 52.76], 500)).toMatch(/&limit=500$/);
  });

  it('stands a footprint in for a point', () => {
    expect(footprintAnchor(square)?.lon).toBeCloseTo(-0.7296, 9);
    expect(footprintAnchor({ type: 'MultiPolygon', coordinates: [square.coordinates] })?.lat).toBeCloseTo(
      52.6704,
      9,
    );
    expect(footprintAnchor({ type: 'Point', coordinates: [0, 0] })).toBeNull();
  });
});

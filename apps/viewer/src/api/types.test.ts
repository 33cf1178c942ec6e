import { describe, expect, it } from 'vitest';
import { ApiShapeError, parseBuilding, parseDatasets } from './types';

// Bodies as apps/server answers them for Rutland (shapes copied from a running server; the e2e test covers the
// real thing end to end). Constructed here so the parsing rules can be checked without a server.
const rutland = {
  id: 1,
  name: 'rutland',
  title: 'Rutland (OpenStreetMap, November 2022)',
  buildingCount: 4556,
  attribution: '© OpenStreetMap contributors',
  licence: 'ODbL-1.0',
  source: 'OpenStreetMap',
  vintage: '2022-07-20',
  bbox: [-0.8148818, 52.5292347, -0.4487628, 52.7529404],
  tilesetUrl: '/tilesets/rutland/tileset.json',
};
const tesco = {
  id: 'rutland:w73537676',
  sourceId: 'w73537676',
  kind: 'building',
  name: 'Tesco',
  use: 'retail',
  heightM: 6,
  minHeightM: 0,
  heightSource: 'type-default',
  heightMethod: 'default for building=yes, no height or levels tagged',
  storeys: null,
  footprintAreaM2: 3168.2,
  groundElevationM: null,
  attributes: { building: 'yes', shop: 'supermarket', 'addr:postcode': 'LE15 6BQ', levels: { odd: true } },
  footprint: { type: 'Polygon', coordinates: [] },
  dataset: {
    name: 'rutland',
    title: 'Rutland',
    source: 'OpenStreetMap',
    licence: 'ODbL-1.0',
    attribution: '© OpenStreetMap contributors',
    vintage: '2022-07-20',
  },
};

describe('server answers', () => {
  it('reads the dataset list', () => {
    const [d] = parseDatasets([rutland]);
    expect(d).toMatchObject({
      name: 'rutland',
      buildingCount: 4556,
      tilesetUrl: '/tilesets/rutland/tileset.json',
    });
    expect(d.bbox).toEqual(rutland.bbox);
  });

  it('keeps a dataset without a usable extent or tileset, saying so with null', () => {
    const [d] = parseDatasets([{ ...rutland, bbox: [1, 2, 0, 3], tilesetUrl: null, vintage: '' }]);
    expect(d).toMatchObject({ bbox: null, tilesetUrl: null, vintage: null });
  });

  it('rejects a list it cannot use', () => {
    expect(() => parseDatasets({ nope: true })).toThrow(ApiShapeError);
    expect(() => parseDatasets([{ title: 'no name' }])).toThrow(/dataset 0 has no name/);
  });

  it('reads a building, keeping every attribute as text or a plain value', () => {
    const b = parseBuilding(tesco);
    expect(b).toMatchObject({
      id: 'rutland:w73537676',
      heightM: 6,
      heightSource: 'type-default',
      storeys: null,
    });
    expect(b.attributes).toEqual({
      building: 'yes',
      shop: 'supermarket',
      'addr:postcode': 'LE15 6BQ',
      levels: '{"odd":true}',
    });
    expect(b.dataset.attribution).toBe('© OpenStreetMap contributors');
  });

  it('rejects a building with no height rather than showing a made-up one', () => {
    expect(() => parseBuilding({ ...tesco, heightM: null })).toThrow(/has no height/);
  });
});

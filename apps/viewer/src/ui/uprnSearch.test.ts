import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBuilding } from '../api/types';
import { findUprn, parseUprnAnswer } from './uprnSearch';

// A ~20 m × 11 m footprint at Oakham station (shape of an API answer, coordinates rounded).
const STATION = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      id: 'rutland:w178280140',
      properties: { name: 'Oakham Station' },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [-0.7343, 52.6721],
              [-0.734, 52.6721],
              [-0.734, 52.6722],
              [-0.7343, 52.6722],
              [-0.7343, 52.6721],
            ],
          ],
        ],
      },
    },
  ],
};

afterEach(() => vi.unstubAllGlobals());

describe('UPRN search', () => {
  it('frames the footprint of each building found, from the south, centred on it', () => {
    const [m] = parseUprnAnswer(STATION);
    expect(m.id).toBe('rutland:w178280140');
    expect(m.name).toBe('Oakham Station');
    expect(m.camera.lon).toBeCloseTo(-0.73415, 6);
    expect(m.camera.lat).toBeLessThan(52.67215); // looking north at it
    expect(m.camera.heightM).toBeGreaterThan(100);
    expect(parseUprnAnswer({ features: 'nope' })).toEqual([]);
  });

  it('refuses a malformed UPRN without asking the server', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    for (const bad of ['abc', '0123', '1234567890123', ''])
      expect((await findUprn(bad)).kind).toBe('invalid');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('asks /api/buildings?uprn= (spaces removed) and tells a 404 from a failure', async () => {
    const fetch = vi
      .fn()
      .mockResolvedValueOnce(new Response(JSON.stringify(STATION), { status: 200 }))
      .mockResolvedValueOnce(new Response('{}', { status: 404 }))
      .mockResolvedValueOnce(new Response('{}', { status: 500 }));
    vi.stubGlobal('fetch', fetch);
    const found = await findUprn(' 9000 0000 0002 ');
    expect(fetch.mock.calls[0][0]).toBe('/api/buildings?uprn=900000000002');
    expect(found.kind === 'found' && found.matches.map((x) => x.id)).toEqual(['rutland:w178280140']);
    expect(await findUprn('1')).toEqual({ kind: 'not-found', message: 'No building is linked to UPRN 1.' });
    expect((await findUprn('2')).kind).toBe('failed');
  });

  it("reads a building's UPRNs from its details (none when the server gives none)", () => {
    const base = { id: 'rutland:w1', heightM: 5, attributes: {}, dataset: {} };
    expect(parseBuilding({ ...base, uprns: [{ uprn: '1', source: 'osm-tag' }] }).uprns).toEqual([
      { uprn: '1', source: 'osm-tag' },
    ]);
    expect(parseBuilding(base).uprns).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { councilOwnership } from './ownership';

const RCC = ['Rutland County Council'];

describe('councilOwnership', () => {
  it.each([
    // Tags as they are on real Rutland OSM buildings (Rutland County Library, Oakham Castle, Catmose offices).
    [{ operator: 'Rutland County Council', amenity: 'library' }, true, 'osm-operator'],
    [{ operator: 'rutland  county council', historic: 'castle' }, true, 'osm-operator'],
    [{ name: 'Rutland County Council', amenity: 'public_building' }, true, 'osm-name'],
    [{ operator: 'Uppingham School' }, false, 'osm-operator'],
    [{ name: 'Rutland County Library' }, false, null],
    [{}, false, null],
    // owner beats operator: a council-run building on a lease from someone else is not council-owned.
    [{ owner: 'Oakham School', operator: 'Rutland County Council' }, false, 'osm-owner'],
    [{ owner: 'The Rutland County Council' }, true, 'osm-owner'],
    [{ owner: 'Rutland County Council;Oakham Town Council' }, true, 'osm-owner'],
    // The register is the authority, either way.
    [{ council_owned: 'yes', operator: 'Tesco' }, true, 'register'],
    [{ council_owned: 'no', operator: 'Rutland County Council' }, false, 'register'],
  ])('%j → %s (%s)', (attrs, owned, basis) => {
    expect(councilOwnership(attrs, RCC)).toEqual({ councilOwned: owned, basis });
  });

  it('matches only the council named, not any council', () => {
    expect(councilOwnership({ operator: 'Ketton Parish Council' }, RCC).councilOwned).toBe(false);
    expect(
      councilOwnership({ operator: 'Ketton Parish Council' }, ['Ketton Parish Council']).councilOwned,
    ).toBe(true);
    expect(councilOwnership({ operator: 'Leeds City Council' }, [])).toEqual({
      councilOwned: false,
      basis: 'osm-operator',
    });
  });
});

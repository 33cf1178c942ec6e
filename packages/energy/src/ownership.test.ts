import { describe, expect, it } from 'vitest';
import { councilOwnership, parseCouncilAssetRegister } from './ownership';

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

describe('parseCouncilAssetRegister', () => {
  it('reads ids and UPRNs, with council_owned defaulting to yes, ignoring other columns', () => {
    const rows = parseCouncilAssetRegister(
      'asset_name,building_id,uprn,council_owned\n"Library, Oakham",rutland:w101326490,,yes\nDepot,,100030567890,\nOld school,rutland:w1,,no\n',
      'register.csv',
    );
    expect(rows).toEqual([
      { line: 2, buildingId: 'rutland:w101326490', owned: true },
      { line: 3, uprn: 100030567890, owned: true },
      { line: 4, buildingId: 'rutland:w1', owned: false },
    ]);
  });

  it.each([
    ['name\nx\n', /register\.csv: the header needs a building_id or a uprn/],
    [
      'building_id,council_owned\nrutland:w1,maybe\n',
      /register\.csv, feature line 2: council_owned must be yes or no/,
    ],
    ['uprn\n12ab\n', /register\.csv, feature line 2: "12ab" is not a UPRN/],
    ['building_id\n', /needs a header and at least one row/],
    ['building_id,uprn\na,1,extra\n', /register\.csv: /],
  ])('rejects %j naming the file and line', (text, message) => {
    expect(() => parseCouncilAssetRegister(text, 'register.csv')).toThrow(message);
  });
});

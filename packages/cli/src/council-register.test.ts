import { describe, expect, it } from 'vitest';
import { parseCouncilAssetRegister } from './council-register';

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

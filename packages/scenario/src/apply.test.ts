import { readFile } from 'node:fs/promises';
import { type BBox, DataError } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { apply, hiddenBaselineIds, referencedIds, validateChanges } from './apply';
import { extentOf, OAKHAM_STATION, rectangle, rutlandBaseline } from './test-support';
import type { Change, ScenarioBuilding } from './types';
import { ScenarioValidationError } from './validate';

// Real baseline: every Rutland building from the OSM extract. Travis Perkins (w178280261) and its neighbours on
// Station Approach, Oakham, are the site of the sample scenario.
const TRAVIS_PERKINS = 'rutland:w178280261';
const YARD_SHED = 'rutland:w178280260';
const STATION = 'rutland:w178280140';

let baseline: ScenarioBuilding[];
let extent: BBox;
let byId: Map<string, ScenarioBuilding>;
beforeAll(async () => {
  baseline = await rutlandBaseline();
  extent = extentOf(baseline);
  byId = new Map(baseline.map((b) => [b.id, b]));
});

/** A block 20 × 40 m on the Travis Perkins yard (east of the station). */
const onYard = () => rectangle(-0.73342, 52.67322, 14, 40);
/** Open ground north-west of the station, clear of buildings. */
const openGround = () => rectangle(OAKHAM_STATION.lon - 0.0008, OAKHAM_STATION.lat + 0.0012, 12, 12);

describe('apply', () => {
  it('demolishes, adds and modifies without touching the baseline', async () => {
    const snapshot = JSON.stringify(baseline.slice(0, 50));
    const changes: Change[] = [
      { op: 'demolish', id: TRAVIS_PERKINS },
      { op: 'add', id: 'new/block-b', footprint: onYard(), use: 'residential', storeys: 4 },
      { op: 'modify', id: STATION, use: 'commercial' },
    ];
    const r = apply(baseline, changes, { extent });
    expect(r.buildings).toHaveLength(baseline.length); // one out, one in
    expect(r.demolished).toEqual([TRAVIS_PERKINS]);
    expect(r.added).toEqual(['new/block-b']);
    expect(r.modified).toEqual([STATION]);
    expect(hiddenBaselineIds(r)).toEqual([STATION, TRAVIS_PERKINS].sort());
    expect(r.buildings.find((b) => b.id === TRAVIS_PERKINS)).toBeUndefined();
    expect(r.buildings.find((b) => b.id === STATION)?.use).toBe('commercial');
    expect(byId.get(STATION)?.use).toBe('civic');
    expect(JSON.stringify(baseline.slice(0, 50))).toBe(snapshot);
    expect(r.buildings.at(-1)?.id).toBe('new/block-b');
  });

  it('derives the height of a new building from its storeys (3.0 m a storey), and storeys from a height', () => {
    const r = apply(
      baseline,
      [
        { op: 'add', id: 'new/a', footprint: openGround(), use: 'residential', storeys: 4 },
        { op: 'demolish', id: TRAVIS_PERKINS },
        { op: 'add', id: 'new/b', footprint: onYard(), use: 'commercial', heightM: 14.5 },
      ],
      { extent },
    );
    const a = r.buildings.find((b) => b.id === 'new/a')!;
    const b = r.buildings.find((x) => x.id === 'new/b')!;
    expect([a.heightM, a.storeys, a.heightSource, a.minHeightM]).toEqual([12, 4, 'levels', 0]);
    expect([b.heightM, b.storeys, b.heightSource]).toEqual([14.5, 4, 'measured']);
    expect(a.heightMethod).toMatch(/4 storeys × 3 m/);
    expect(a).toMatchObject({
      kind: 'building',
      sourceId: 'new/a',
      parentSourceId: null,
      groundElevationM: null,
    });
  });

  it('moves the top of a building with known storeys by whole storeys, and re-derives storeys from a height', () => {
    const known = baseline.find((b) => b.storeys === 2 && b.heightSource === 'levels')!;
    const r = apply(baseline, [{ op: 'modify', id: known.id, storeys: 5 }], { extent });
    const after = r.buildings.find((b) => b.id === known.id)!;
    expect(after.heightM).toBeCloseTo(known.heightM + 3 * 3.0, 9);
    expect(after.storeys).toBe(5);
    const tall = apply(baseline, [{ op: 'modify', id: STATION, heightM: 13 }], { extent });
    expect(tall.buildings.find((b) => b.id === STATION)?.storeys).toBe(4); // ⌊13 / 3⌋
  });

  it('sets and clears attributes (a modification of the baseline building)', () => {
    const r = apply(
      baseline,
      [
        { op: 'set-attribute', id: TRAVIS_PERKINS, key: 'homes', value: 12 },
        { op: 'set-attribute', id: TRAVIS_PERKINS, key: 'name', value: null },
      ],
      { extent },
    );
    const b = r.buildings.find((x) => x.id === TRAVIS_PERKINS)!;
    expect(b.attributes.homes).toBe(12);
    expect('name' in b.attributes).toBe(false);
    expect(byId.get(TRAVIS_PERKINS)?.attributes.name).toBe('Travis Perkins');
    expect(r.modified).toEqual([TRAVIS_PERKINS]);
  });

  it('replays in order: a building added then changed is added; added then demolished is gone', () => {
    const r = apply(
      baseline,
      [
        { op: 'add', id: 'new/a', footprint: openGround(), use: 'residential', storeys: 2 },
        { op: 'modify', id: 'new/a', storeys: 3 },
        { op: 'demolish', id: TRAVIS_PERKINS },
        { op: 'add', id: 'new/b', footprint: onYard(), use: 'retail', storeys: 1 },
        { op: 'demolish', id: 'new/b' },
      ],
      { extent },
    );
    expect(r.added).toEqual(['new/a']);
    expect(r.modified).toEqual([]);
    expect(r.buildings.find((b) => b.id === 'new/a')?.storeys).toBe(3);
    expect(r.buildings.find((b) => b.id === 'new/b')).toBeUndefined();
  });

  it('lists the baseline buildings a change set needs', () => {
    expect(
      referencedIds([
        { op: 'add', id: 'new/a', footprint: openGround(), use: 'residential', storeys: 2 },
        { op: 'modify', id: 'new/a', storeys: 3 },
        { op: 'demolish', id: YARD_SHED },
        { op: 'set-attribute', id: STATION, key: 'jobs', value: 4 },
      ]),
    ).toEqual([STATION, YARD_SHED]);
  });

  it('drops LoD2 surfaces when the massing changes, keeps them when only the use does (real Delft 3DBAG)', async () => {
    const file = 'nl-delft-3dbag-2buildings.city.json';
    const bytes = new Uint8Array(await readFile(sample('cityjson', file)));
    const delft: ScenarioBuilding[] = [];
    for await (const f of importerFor(bytes, file).parse(bytes, { fileName: file })) {
      if (f.kind !== 'map') delft.push({ ...f, id: `delft:${f.sourceId}` });
    }
    const part = delft.find((b) => b.surfaces?.length)!;
    const taller = apply(delft, [{ op: 'modify', id: part.id, heightM: part.heightM + 3 }]);
    expect(taller.buildings.find((b) => b.id === part.id)?.surfaces).toBeUndefined();
    const reused = apply(delft, [{ op: 'modify', id: part.id, use: 'commercial' }]);
    expect(reused.buildings.find((b) => b.id === part.id)?.surfaces).toBe(part.surfaces);
  });
});

describe('validation: every problem, and what to fix', () => {
  const issuesOf = (changes: unknown[]) => validateChanges(baseline, changes, { extent });

  it('accepts a valid change set', () => {
    expect(
      issuesOf([
        { op: 'demolish', id: TRAVIS_PERKINS },
        { op: 'add', id: 'new/b', footprint: onYard(), use: 'residential', storeys: 4 },
      ]),
    ).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown op', { op: 'move', id: STATION }, 'op', /one of add, modify, demolish, set-attribute/],
    [
      'an unknown field',
      { op: 'modify', id: STATION, storey: 3 },
      'storey',
      /not a field of "modify": use id, heightM/,
    ],
    ['a modify that changes nothing', { op: 'modify', id: STATION }, '(change)', /changes nothing/],
    [
      'an unknown use',
      { op: 'modify', id: STATION, use: 'flats' },
      'use',
      /"flats" is not a known use: choose one of residential/,
    ],
    ['storeys 0', { op: 'modify', id: STATION, storeys: 0 }, 'storeys', /whole number from 1 to 300/],
    ['storeys 2.5', { op: 'modify', id: STATION, storeys: 2.5 }, 'storeys', /whole number/],
    ['a height over 1000 m', { op: 'modify', id: STATION, heightM: 1200 }, 'heightM', /from 0 to 1000/],
    ['a negative height', { op: 'modify', id: STATION, heightM: -3 }, 'heightM', /from 0 to 1000/],
    [
      'too many storeys for the height',
      { op: 'modify', id: STATION, heightM: 9, storeys: 6 },
      'storeys',
      /6 storeys need at least 12 m .* but have 9 m: raise heightM or reduce storeys/,
    ],
    [
      'a bottom above the top',
      { op: 'modify', id: STATION, minHeightM: 8 },
      'minHeightM',
      /must be above the bottom.*raise heightM or lower minHeightM/,
    ],
    [
      '300 storeys (900 m) on a 6 m building',
      { op: 'modify', id: STATION, storeys: 300, minHeightM: 150 },
      'storeys',
      /above the 1000 m limit/,
    ],
    [
      'an unknown building',
      { op: 'demolish', id: 'rutland:w1' },
      'id',
      /no building rutland:w1 .*check the id/,
    ],
    [
      'an add without a footprint',
      { op: 'add', id: 'new/x', use: 'retail', storeys: 1 },
      'footprint',
      /is required: give the outline/,
    ],
    [
      'an add without storeys or height',
      { op: 'add', id: 'new/x', use: 'retail', footprint: openGround() },
      'storeys',
      /or heightM is required/,
    ],
    [
      'a new id not in new/…',
      { op: 'add', id: 'rutland:block', use: 'retail', storeys: 1, footprint: openGround() },
      'id',
      /must be new\/<name>/,
    ],
    [
      'a negative homes override',
      { op: 'set-attribute', id: STATION, key: 'homes', value: -2 },
      'value',
      /whole number ≥ 0/,
    ],
    [
      'a bad attribute name',
      { op: 'set-attribute', id: STATION, key: '1st', value: 'x' },
      'key',
      /not a valid attribute name/,
    ],
    [
      'a self-intersecting footprint',
      {
        op: 'modify',
        id: STATION,
        footprint: {
          type: 'Polygon',
          coordinates: [
            [
              [-0.734, 52.672],
              [-0.733, 52.673],
              [-0.733, 52.672],
              [-0.734, 52.673],
            ],
          ],
        },
      },
      'footprint',
      /self-intersects/,
    ],
  ])('refuses %s', (_name, change, field, reason) => {
    const issues = issuesOf([change]);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ change: 0, field });
    expect(issues[0].reason).toMatch(reason);
  });

  it('refuses a footprint outside the dataset extent, naming the vertex and the extent', () => {
    const far = rectangle(-1.55, 53.8, 10, 10); // Leeds
    const [issue] = issuesOf([{ op: 'add', id: 'new/x', footprint: far, use: 'retail', storeys: 1 }]);
    expect(issue.field).toBe('footprint');
    expect(issue.reason).toMatch(/lies outside the dataset extent \(west -0\.81.*draw the building inside/);
  });

  it('refuses a new building drawn over one that is not demolished, naming it', () => {
    const [issue] = issuesOf([
      { op: 'add', id: 'new/b', footprint: onYard(), use: 'residential', storeys: 4 },
    ]);
    expect(issue.reason).toMatch(
      /overlaps rutland:w178280261 \(Travis Perkins\) by \d+ m²: demolish rutland:w178280261 first/,
    );
  });

  it('says which change demolished a building that a later change names', () => {
    const issues = issuesOf([
      { op: 'demolish', id: TRAVIS_PERKINS },
      { op: 'modify', id: TRAVIS_PERKINS, storeys: 2 },
    ]);
    expect(issues).toEqual([
      expect.objectContaining({
        change: 1,
        field: 'id',
        reason: expect.stringMatching(/demolished by change 1/),
      }),
    ]);
  });

  it('refuses adding an id twice', () => {
    const add = { op: 'add', id: 'new/a', footprint: openGround(), use: 'residential', storeys: 2 };
    expect(issuesOf([add, add])[0]).toMatchObject({
      change: 1,
      field: 'id',
      reason: expect.stringMatching(/already exists/),
    });
  });

  it('lists every problem of every change, and apply throws them as one DataError', () => {
    const changes = [
      { op: 'modify', id: STATION, storeys: 0, use: 'castle' },
      { op: 'demolish', id: YARD_SHED },
      { op: 'demolish', id: 'rutland:nope' },
    ];
    const issues = issuesOf(changes);
    expect(issues.map((i) => [i.change, i.field])).toEqual([
      [0, 'use'],
      [0, 'storeys'],
      [2, 'id'],
    ]);
    let thrown: unknown;
    try {
      apply(baseline, changes as Change[], { extent });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ScenarioValidationError);
    expect(thrown).toBeInstanceOf(DataError);
    expect((thrown as ScenarioValidationError).type).toBe('invalid-change');
    expect((thrown as ScenarioValidationError).issues).toEqual(issues);
    expect((thrown as Error).message).toMatch(
      /^change 1 \(modify rutland:w178280140\): use "castle".*\(and 2 more problems\)$/,
    );
  });
});

import { apply, checkChangeShape, footprintCentre, localFrame, validateChanges } from '@placetwin/scenario';
import { describe, expect, it } from 'vitest';
import {
  addChange,
  addedIds,
  type ChangeRecord,
  clampSplit,
  describeChange,
  dividerAfterKey,
  type IndicatorsAnswer,
  indicatorRows,
  insideFootprint,
  massingProblem,
  modifyChange,
  moveChange,
  movedFootprint,
  newBuildingId,
  onlyHiddenExpression,
  parseIndicators,
  parseProblem,
  parseScenario,
  parseTurn,
  problemMessage,
  signed,
} from './scenario';
import type { LonLat } from './sunHours';

// The yard by Oakham station (block-b of scenarios/station-quarter.ts, real coordinates), as clicked: clockwise,
// with the double-click's repeated last corner.
const clicked: LonLat[] = [
  [-0.73341, 52.67324],
  [-0.73341, 52.67362],
  [-0.73321, 52.67362],
  [-0.73321, 52.67324],
  [-0.73321, 52.67324],
];

describe('newBuildingId', () => {
  it('slugs the name into the server’s id alphabet and avoids taken ids', () => {
    expect(newBuildingId('Block A (north)', new Set())).toBe('new/block-a-north');
    expect(newBuildingId('Block A', new Set(['new/block-a']))).toBe('new/block-a-2');
    expect(newBuildingId('Block A', new Set(['new/block-a', 'new/block-a-2']))).toBe('new/block-a-3');
    expect(newBuildingId('  ', new Set())).toBe('new/building');
    expect(newBuildingId('Café', new Set())).toBe('new/cafe');
  });
});

describe('addChange', () => {
  const form = { name: 'Block B', use: 'residential' as const, storeys: 4, heightM: null };

  it('builds a change the scenario package accepts, closed and counter-clockwise', () => {
    const change = addChange(clicked, form, new Set());
    expect(change).toMatchObject({
      op: 'add',
      id: 'new/block-b',
      use: 'residential',
      storeys: 4,
      name: 'Block B',
    });
    expect('heightM' in change).toBe(false);
    if (change.op !== 'add' || change.footprint.type !== 'Polygon')
      throw new Error('not an add of a Polygon');
    const ring = change.footprint.coordinates[0];
    expect(ring).toHaveLength(5); // 4 distinct corners + the closing one
    expect(ring[0]).toEqual(ring[4]);
    let twice = 0;
    for (let i = 0; i + 1 < ring.length; i++)
      twice += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    expect(twice).toBeGreaterThan(0); // counter-clockwise (RFC 7946)
    expect(checkChangeShape(change, 0).issues).toEqual([]);
    // Against an empty baseline inside a box around Oakham: a valid footprint, storeys and use.
    expect(validateChanges([], [change], { extent: [-0.75, 52.66, -0.72, 52.68] })).toEqual([]);
  });

  it('sends the height when given and the scenario derives storeys from it', () => {
    const change = addChange(clicked, { ...form, storeys: null, heightM: 14 }, new Set(['new/block-b']));
    expect(change).toMatchObject({ id: 'new/block-b-2', heightM: 14 });
    expect('storeys' in change).toBe(false);
    expect(validateChanges([], [change], { extent: [-0.75, 52.66, -0.72, 52.68] })).toEqual([]);
  });

  it('collects the ids a change list adds, in every state', () => {
    const a = addChange(clicked, form, new Set());
    const list: ChangeRecord[] = [
      { seq: 1, state: 'undone', change: a },
      { seq: 2, state: 'active', change: { op: 'demolish', id: 'rutland:w1' } },
    ];
    expect([...addedIds(list)]).toEqual(['new/block-b']);
  });
});

describe('massingProblem and modifyChange', () => {
  const base = { name: '', use: 'retail' as const };
  it('accepts a sensible form and names what to fix otherwise', () => {
    expect(massingProblem({ ...base, storeys: 4, heightM: null })).toBeNull();
    expect(massingProblem({ ...base, storeys: 0, heightM: null })).toMatch(/whole number from 1 to 300/);
    expect(massingProblem({ ...base, storeys: 2.5, heightM: null })).toMatch(/whole number/);
    expect(massingProblem({ ...base, storeys: null, heightM: 1200 })).toMatch(/at most 1000 m/);
    expect(massingProblem({ ...base, storeys: 6, heightM: 9 })).toMatch(
      /at least 12 m .* reduce the storeys/,
    );
    expect(massingProblem({ ...base, storeys: null, heightM: null })).toMatch(/storeys or the height/);
    expect(massingProblem({ ...base, storeys: null, heightM: null }, false)).toBeNull();
  });

  it('modifies only the fields given, and nothing when none is', () => {
    expect(modifyChange('rutland:w1', { storeys: 5 })).toEqual({
      op: 'modify',
      id: 'rutland:w1',
      storeys: 5,
    });
    expect(modifyChange('rutland:w1', { use: 'retail', heightM: null })).toEqual({
      op: 'modify',
      id: 'rutland:w1',
      use: 'retail',
    });
    expect(modifyChange('rutland:w1', { storeys: null, heightM: null })).toBeNull();
    const c = modifyChange('rutland:w1', { heightM: 12.5 });
    expect(c && checkChangeShape(c, 0).issues).toEqual([]);
  });

  it('describes each change in a line', () => {
    expect(
      describeChange(addChange(clicked, { ...base, name: 'Shop', storeys: 1, heightM: null }, new Set())),
    ).toBe('Add “Shop” (retail, 1 storeys)');
    expect(describeChange({ op: 'demolish', id: 'rutland:w9' })).toBe('Demolish rutland:w9');
    expect(describeChange({ op: 'modify', id: 'rutland:w9', storeys: 3, use: 'civic' })).toBe(
      'Change rutland:w9: 3 storeys, use civic',
    );
  });
});

describe('moving and turning a building', () => {
  const add = addChange(clicked, { name: 'Yard', use: 'retail', storeys: 3, heightM: null }, new Set());
  const footprint = add.op === 'add' ? add.footprint : null;
  if (!footprint) throw new Error('not an add');

  it('moves a footprint by the drag between two ground points, as a modify the package applies', () => {
    // Dragged 20 m east and 10 m north at 52.673° N (about 67.6 km a degree of longitude, 111.3 km of latitude).
    const f = localFrame(-0.7333, 52.6734);
    const from: LonLat = [-0.7333, 52.6734];
    const to: LonLat = [from[0] + 20 / f.mPerDegLon, from[1] + 10 / f.mPerDegLat];
    const moved = movedFootprint(footprint, from, to);
    expect(moved.coordinates[0]).toHaveLength(footprint.coordinates[0].length);
    const change = moveChange(add.id, footprint, from, to);
    expect(checkChangeShape(change, 0).issues).toEqual([]);
    const r = apply([], [add as never, change as never]);
    const [b] = r.buildings;
    const before = apply([], [add as never]).buildings[0];
    const [x0, y0] = footprintCentre(before.footprint);
    const [x1, y1] = footprintCentre(b.footprint);
    expect((x1 - x0) * f.mPerDegLon).toBeCloseTo(20, 2);
    expect((y1 - y0) * f.mPerDegLat).toBeCloseTo(10, 2);
    expect(b.heightM).toBe(before.heightM);
    expect(describeChange(change)).toBe(`Change ${add.id}: moved or redrawn`);
  });

  it('knows a ground point inside the footprint from one outside it', () => {
    expect(insideFootprint(footprint, [-0.73331, 52.67343])).toBe(true);
    expect(insideFootprint(footprint, [-0.73351, 52.67343])).toBe(false);
    expect(insideFootprint(footprint, [-0.73331, 52.6737])).toBe(false);
  });

  it('reads a turn in degrees, and sends it as rotationDeg', () => {
    expect(parseTurn('')).toBeNull();
    expect(parseTurn('-15')).toBe(-15);
    expect(parseTurn('400')).toMatch(/−360 to 360/);
    expect(parseTurn('east')).toMatch(/degrees clockwise/);
    const c = modifyChange('rutland:w1', { rotationDeg: 90 });
    expect(c).toEqual({ op: 'modify', id: 'rutland:w1', rotationDeg: 90 });
    expect(c && checkChangeShape(c, 0).issues).toEqual([]);
    expect(modifyChange('rutland:w1', { rotationDeg: null })).toBeNull();
    expect(describeChange(c!)).toBe('Change rutland:w1: turned 90°');
  });
});

describe('problems', () => {
  it('reads a 409 version conflict and tells the user plainly that it reloaded', () => {
    const p = parseProblem(409, {
      type: 'https://placetwin.dev/problems/version-conflict',
      title: 'Conflict',
      status: 409,
      detail: 'scenario 3 is at version 5, not 4',
      currentVersion: 5,
    });
    expect(p).toMatchObject({ status: 409, kind: 'version-conflict', currentVersion: 5 });
    expect(problemMessage(p)).toMatch(
      /Someone else changed this scenario .* version 5\). It has been reloaded/,
    );
  });

  it('lists every invalid-change reason', () => {
    const p = parseProblem(400, {
      type: 'https://placetwin.dev/problems/invalid-change',
      detail: 'invalid',
      errors: [
        { in: 'body', field: 'changes[0].footprint', reason: 'overlaps rutland:w1 by 30 m²: redraw it' },
        { in: 'body', field: 'changes[0].storeys', reason: 'too many' },
      ],
    });
    expect(problemMessage(p)).toBe(
      'The change was not saved: overlaps rutland:w1 by 30 m²: redraw it; too many',
    );
  });

  it('falls back to the status for a body that is not a problem', () => {
    const p = parseProblem(502, null);
    expect(p.kind).toBe('502');
    expect(problemMessage(p)).toBe('The server refused the request (502): HTTP 502');
  });
});

describe('server answers', () => {
  it('reads a scenario with its overlay', () => {
    const s = parseScenario({
      id: 12,
      dataset: 'rutland',
      name: 'Option B',
      description: '',
      status: 'draft',
      version: 7,
      changesVersion: 7,
      changeCount: 5,
      redoCount: 1,
      overlay: {
        changesVersion: 7,
        tilesetUrl: '/tilesets/rutland/scenarios/12/3fa4.json',
        hiddenBuildingIds: ['rutland:w178280261'],
        added: ['new/block-b'],
        modified: [],
        demolished: ['rutland:w178280261'],
      },
    });
    expect(s.overlay?.tilesetUrl).toBe('/tilesets/rutland/scenarios/12/3fa4.json');
    expect(s.overlay?.hiddenBuildingIds).toEqual(['rutland:w178280261']);
    expect(() => parseScenario({ id: 'x' })).toThrow(/scenario id is not a number/);
  });
});

describe('indicatorRows and signed', () => {
  const figures = (gfa: number, res: number, homes: number, coverage: number | null) => ({
    buildings: 3,
    gfaM2: { total: gfa, byUse: { residential: res, commercial: gfa - res, retail: 0 } },
    homes,
    jobs: 10,
    gfaWithoutJobsEstimateM2: 0,
    maxHeightM: 12,
    footprintAreaM2: 500,
    siteAreaM2: 10_000,
    coverage,
  });
  const answer: IndicatorsAnswer = parseIndicators({
    version: 3,
    studyArea: { source: 'site', footprint: {}, areaM2: 10_000 },
    baseline: figures(1000, 0, 0, 0.05),
    scenario: figures(3000, 2000, 27, 0.08),
    delta: figures(2000, 2000, 27, 0.03),
  });

  it('lists totals, the uses either side has, and coverage as a percentage', () => {
    const rows = indicatorRows(answer);
    expect(rows.map((r) => r.key)).toEqual([
      'gfa',
      'gfa-residential',
      'gfa-commercial',
      'homes',
      'jobs',
      'maxHeight',
      'coverage',
      'buildings',
    ]);
    const coverage = rows.find((r) => r.key === 'coverage');
    expect(coverage?.scenario).toBeCloseTo(8, 10);
    expect(coverage?.delta).toBeCloseTo(3, 10);
    expect(rows.find((r) => r.key === 'homes')).toMatchObject({ baseline: 0, scenario: 27, delta: 27 });
  });

  it('signs deltas', () => {
    expect(signed(1234.4)).toBe('+1,234');
    expect(signed(-3.04, 1)).toBe('−3.0');
    expect(signed(0.0001, 1)).toBe('0.0');
    expect(signed(null)).toBe('–');
  });
});

describe('compare swipe', () => {
  it('inverts the hide expression, and shows nothing extra when nothing is hidden', () => {
    const hide = `\${id} !== 'rutland:w1'`; // the server's hideStyle.show for one hidden building
    expect(onlyHiddenExpression(hide)).toBe(`!(${hide})`);
    expect(onlyHiddenExpression('true')).toBeNull();
  });

  it('moves the divider with the keys and keeps it on screen', () => {
    expect(dividerAfterKey(0.5, 'ArrowLeft')).toBeCloseTo(0.48, 10);
    expect(dividerAfterKey(0.5, 'PageUp')).toBeCloseTo(0.6, 10);
    expect(dividerAfterKey(0.99, 'ArrowRight')).toBe(1);
    expect(dividerAfterKey(0.3, 'Home')).toBe(0);
    expect(dividerAfterKey(0.3, 'End')).toBe(1);
    expect(dividerAfterKey(0.3, 'a')).toBeNull();
    expect(clampSplit(-0.2)).toBe(0);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from './apply';
import { diff } from './diff';
import { extentOf, rectangle, rutlandBaseline } from './test-support';
import type { Change, ScenarioBuilding } from './types';

let baseline: ScenarioBuilding[];
beforeAll(async () => {
  baseline = await rutlandBaseline();
});

describe('diff (real Rutland baseline)', () => {
  it('finds what a change set did, field by field', () => {
    const changes: Change[] = [
      { op: 'demolish', id: 'rutland:w178280261' },
      {
        op: 'add',
        id: 'new/b',
        footprint: rectangle(-0.73342, 52.67322, 14, 40),
        use: 'residential',
        storeys: 4,
      },
      { op: 'modify', id: 'rutland:w178280140', storeys: 3 },
      { op: 'set-attribute', id: 'rutland:w178280259', key: 'homes', value: 18 },
      { op: 'modify', id: 'rutland:w178280136', use: 'retail', name: 'Grainstore' },
    ];
    const after = apply(baseline, changes, { extent: extentOf(baseline) }).buildings;
    expect(diff(baseline, after)).toEqual({
      added: ['new/b'],
      removed: ['rutland:w178280261'],
      changed: [
        { id: 'rutland:w178280136', fields: ['use', 'name'] },
        { id: 'rutland:w178280140', fields: ['heightM', 'storeys'] },
        { id: 'rutland:w178280259', fields: ['attributes'] },
      ],
    });
  });

  it('is empty between a set and itself, and mirrored when the sides swap', () => {
    expect(diff(baseline, baseline)).toEqual({ added: [], removed: [], changed: [] });
    const after = apply(baseline, [
      { op: 'demolish', id: 'rutland:w178280261' },
      { op: 'modify', id: 'rutland:w178280140', heightM: 9 },
    ]).buildings;
    const there = diff(baseline, after);
    const back = diff(after, baseline);
    expect(back.added).toEqual(there.removed);
    expect(back.removed).toEqual(there.added);
    expect(back.changed).toEqual(there.changed);
  });

  it('compares footprints by coordinates, not by identity', () => {
    const b = baseline[0];
    const copy = { ...b, footprint: b.footprint.map((p) => p.map((r) => r.slice())) };
    expect(diff([b], [copy]).changed).toEqual([]);
    const moved = {
      ...b,
      footprint: b.footprint.map((p) => p.map((r) => r.map((v, i) => (i === 0 ? v + 1e-6 : v)))),
    };
    expect(diff([b], [moved]).changed).toEqual([{ id: b.id, fields: ['footprint'] }]);
  });
});

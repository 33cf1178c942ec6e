import { Expression } from 'cesium';
import { describe, expect, it } from 'vitest';
import { propertyFeature } from '../scene/styleFeature';
import {
  compareUrl,
  comparisonRows,
  floorAreaBars,
  parseComparison,
  swipeExpressions,
} from './scenarioCompare';
import { decodeScenarioLink, encodeScenarioLink, sameScenarioLink } from './scenarioLink';
import { decodeViewState, encodeViewState } from './viewState';

const figures = (total: number, byUse: Record<string, number>, homes: number) => ({
  buildings: 3,
  gfaM2: { total, byUse },
  homes,
  jobs: 5,
  maxHeightM: 12,
  footprintAreaM2: 400,
  coverage: 0.1,
});

// The shape of GET /api/scenarios/compare?a=2&b=3 (ComparisonSchema): two scenarios, b − a.
const answer = {
  dataset: 'rutland',
  studyArea: { source: 'site', areaM2: 6300 },
  a: {
    scenarioId: 2,
    name: 'Option A',
    status: 'draft',
    version: 4,
    indicators: figures(1000, { residential: 600, retail: 400 }, 8),
  },
  b: {
    scenarioId: 3,
    name: 'Option B',
    status: 'draft',
    version: 2,
    indicators: figures(1800, { residential: 1500, commercial: 300 }, 20),
  },
  delta: figures(800, { residential: 900, retail: -400, commercial: 300 }, 12),
  diff: { added: ['new/b'], removed: ['new/a'], changed: [] },
  ratios: [],
};

describe('compare two scenarios', () => {
  it('reads the comparison and lists both sides with b − a', () => {
    const c = parseComparison(answer);
    expect(c.a.name).toBe('Option A');
    expect(c.b.scenarioId).toBe(3);
    const rows = comparisonRows(c);
    const homes = rows.find((r) => r.key === 'homes');
    expect(homes).toMatchObject({ baseline: 8, scenario: 20, delta: 12 });
    // Floor area by use: every use either side has, in the panel's order.
    expect(rows.filter((r) => r.key.startsWith('gfa-')).map((r) => r.key)).toEqual([
      'gfa-residential',
      'gfa-commercial',
      'gfa-retail',
    ]);
    expect(() => parseComparison({ a: {}, b: {} })).toThrow(/indicators|comparison/);
    expect(compareUrl('baseline', 3)).toBe('/api/scenarios/compare?a=baseline&b=3');
    expect(compareUrl(2, 3)).toBe('/api/scenarios/compare?a=2&b=3');
  });

  it('gives the bar chart both sides’ floor area by use', () => {
    const c = parseComparison(answer);
    expect(floorAreaBars(c.a.indicators, c.b.indicators)).toEqual({
      labels: ['residential', 'commercial', 'retail'],
      a: [600, 0, 400],
      b: [1500, 300, 0],
    });
  });

  it('splits the baseline between the two sides of a swipe so each side shows exactly its scenario', () => {
    // Scenario A (left) demolishes w1 and w2; scenario B (right) changes w2 and w3. The server's hideStyle.show form.
    const hideStyleExpression = (ids: string[]) => ids.map((id) => `\${id} !== '${id}'`).join(' && ');
    const showA = hideStyleExpression(['rutland:w1', 'rutland:w2']);
    const showB = hideStyleExpression(['rutland:w2', 'rutland:w3']);
    const e = swipeExpressions(showA, showB);
    const shown = (expr: string | null) =>
      ['rutland:w1', 'rutland:w2', 'rutland:w3', 'rutland:w4'].filter(
        (id) => expr !== null && new Expression(expr).evaluate(propertyFeature({ id })) === true,
      );
    expect(shown(e.both)).toEqual(['rutland:w4']);
    // Left = both + leftOnly: A's view of the baseline (all but w1, w2).
    expect([...shown(e.both), ...shown(e.leftOnly)].sort()).toEqual(['rutland:w3', 'rutland:w4']);
    // Right = both + rightOnly: B's view (all but w2, w3).
    expect([...shown(e.both), ...shown(e.rightOnly)].sort()).toEqual(['rutland:w1', 'rutland:w4']);
    // A scenario that hides nothing needs no copy on its side.
    expect(swipeExpressions('true', showB)).toEqual({
      both: showB,
      leftOnly: `!(${showB})`,
      rightOnly: null,
    });
  });
});

describe('scenario in the share link', () => {
  it('round-trips the open scenario and compare through the URL fragment', () => {
    const t = new Date('2025-06-21T11:00:00Z');
    const view = { ...decodeViewState('', t), scenario: { id: 3, compare: 'split' as const, against: 2 } };
    const fragment = encodeViewState(view);
    expect(fragment).toContain('scn=3&cmp=split&vs=2');
    expect(decodeViewState(fragment, t).scenario).toEqual({ id: 3, compare: 'split', against: 2 });
    const swipe = encodeViewState({ ...view, scenario: { id: 3, compare: 'swipe' } });
    expect(decodeViewState(swipe, t).scenario).toEqual({ id: 3, compare: 'swipe' });
    expect(decodeViewState(encodeViewState({ ...view, scenario: undefined }), t).scenario).toBeUndefined();
  });

  it('is forgiving: a bad id drops the scenario, a bad compare drops the compare', () => {
    const p = (s: string) => decodeScenarioLink(new URLSearchParams(s));
    expect(p('scn=abc')).toBeUndefined();
    expect(p('scn=0')).toBeUndefined();
    expect(p('scn=4&cmp=sideways&vs=2')).toEqual({ id: 4 });
    expect(p('scn=4&cmp=swipe&vs=4')).toEqual({ id: 4, compare: 'swipe' });
    expect(encodeScenarioLink({ id: 4, against: 2 })).toEqual([['scn', '4']]);
    expect(sameScenarioLink({ id: 1, compare: 'swipe' }, { id: 1, compare: 'swipe' })).toBe(true);
    expect(sameScenarioLink({ id: 1 }, undefined)).toBe(false);
  });

  it('keeps a selected new building of a scenario in the link', () => {
    const t = new Date('2025-06-21T11:00:00Z');
    const view = { ...decodeViewState('', t), selected: 'new/block-b' };
    expect(decodeViewState(encodeViewState(view), t).selected).toBe('new/block-b');
    expect(decodeViewState('sel=new/../x y', t).selected).toBeNull();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { footprintAreaM2, footprintFromGeoJson } from './footprint';
import { createScenario, range, ScenarioDraft, toFootprintGeoJson } from './sdk';
import { extentOf, rectangle, rutlandBaseline } from './test-support';
import type { ScenarioBuilding } from './types';
import { ScenarioValidationError } from './validate';

let baseline: ScenarioBuilding[];
beforeAll(async () => {
  baseline = await rutlandBaseline();
});

const yard = rectangle(-0.73342, 52.67322, 14, 40);
const site = rectangle(-0.7342, 52.6729, 70, 90);

describe('the modellers SDK', () => {
  it('records changes in order and chains', () => {
    const s = createScenario({ dataset: 'rutland', name: 'test', site })
      .demolish('rutland:w178280261', 'rutland:w178280260')
      .addBuilding({ id: 'block-b', footprint: yard, use: 'residential', storeys: 4 })
      .addBuilding({ footprint: rectangle(-0.7338, 52.6731, 12, 12), use: 'commercial', heightM: 9 })
      .setUse('rutland:w178280259', 'residential')
      .modify('new/block-b', { storeys: 5 })
      .setAttribute('new/block-b', 'homes', 20);
    expect(s.changes.map((c) => `${c.op} ${c.id}`)).toEqual([
      'demolish rutland:w178280261',
      'demolish rutland:w178280260',
      'add new/block-b',
      'add new/building-1',
      'modify rutland:w178280259',
      'modify new/block-b',
      'set-attribute new/block-b',
    ]);
    expect(s.site).toEqual(site);
  });

  it('refuses a bad change at the line that makes it', () => {
    const s = createScenario({ dataset: 'rutland', name: 'test' });
    expect(() => s.setUse('rutland:w1', 'flats' as never)).toThrow(ScenarioValidationError);
    expect(() => s.modify('rutland:w1', { storeys: 0 })).toThrow(
      /storeys must be a whole number from 1 to 300/,
    );
    expect(s.changes).toEqual([]);
  });

  it('accepts footprints as a ring, as rings, or as GeoJSON', () => {
    const ring = [
      [-0.734, 52.672],
      [-0.7339, 52.672],
      [-0.7339, 52.6721],
    ];
    expect(toFootprintGeoJson(ring)).toEqual({ type: 'Polygon', coordinates: [ring] });
    expect(toFootprintGeoJson([ring])).toEqual({ type: 'Polygon', coordinates: [ring] });
    expect(toFootprintGeoJson(yard)).toBe(yard);
  });

  it('clones independently', () => {
    const a = createScenario({ dataset: 'rutland', name: 'a' }).demolish('rutland:w178280261');
    const b = a.clone().demolish('rutland:w178280260');
    expect(a.changes).toHaveLength(1);
    expect(b.changes).toHaveLength(2);
    expect(b).toBeInstanceOf(ScenarioDraft);
  });

  it('measures a scenario against the baseline over its site', () => {
    const s = createScenario({ dataset: 'rutland', name: 'test', site })
      .demolish('rutland:w178280261')
      .addBuilding({ id: 'block-b', footprint: yard, use: 'residential', storeys: 4 });
    const x = s.indicators(baseline, { extent: extentOf(baseline) });
    expect(x.studyArea?.source).toBe('site');
    expect(x.delta.homes).toBe(Math.round((14 * 40 * 4 * 0.95 * 0.85) / 70));
    expect(s.apply(baseline).added).toEqual(['new/block-b']);
  });

  it('sweeps storeys 3..12 into one variant each, homes growing with storeys by the stated ratios', () => {
    const base = createScenario({ dataset: 'rutland', name: 'test', site })
      .demolish('rutland:w178280261')
      .addBuilding({ id: 'block-b', footprint: yard, use: 'residential', storeys: 3 });
    const variants = base.sweep({ storeys: range(3, 12) }, (v, { storeys }) =>
      v.modify('new/block-b', { storeys }),
    );
    expect(variants.map((v) => v.label)).toEqual(range(3, 12).map((storeys) => ({ storeys })));
    expect(base.changes).toHaveLength(2);
    const area = footprintAreaM2((footprintFromGeoJson(yard) as { footprint: Float64Array[][] }).footprint);
    for (const v of variants) {
      const x = v.scenario.indicators(baseline);
      const storeys = v.label.storeys as number;
      expect(x.scenario.maxHeightM).toBeGreaterThanOrEqual(storeys * 3);
      expect(x.delta.homes).toBe(Math.round((area * storeys * 0.95 * 0.85) / 70));
    }
  });

  it('sweeps the product of several parameters, the last varying fastest', () => {
    const v = createScenario({ dataset: 'rutland', name: 'x' }).sweep(
      { storeys: [3, 4], use: ['residential', 'commercial'] },
      () => {},
    );
    expect(v.map((x) => x.label)).toEqual([
      { storeys: 3, use: 'residential' },
      { storeys: 3, use: 'commercial' },
      { storeys: 4, use: 'residential' },
      { storeys: 4, use: 'commercial' },
    ]);
  });

  it('range is inclusive', () => {
    expect(range(3, 12)).toHaveLength(10);
    expect(range(1, 2, 0.5)).toEqual([1, 1.5, 2]);
  });
});

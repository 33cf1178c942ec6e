/**
 * The sample modeller's script (scenarios/station-quarter.ts) against the real Rutland baseline: every change
 * applies (footprints valid, inside the dataset, not over a retained building), the new blocks lie inside the
 * site, and the sweep gives one variant per storey count. The database run is in
 * apps/server/src/routes/api/scenarios.db.test.ts.
 */
import {
  footprintAreaM2,
  footprintFromGeoJson,
  intersectionAreaM2,
  validateChanges,
} from '@placetwin/scenario';
import { beforeAll, describe, expect, it } from 'vitest';
import { extentOf, rutlandBaseline } from '../packages/scenario/src/test-support';
import scenario, { variants } from '../scenarios/station-quarter';

const parse = (g: unknown) => {
  const f = footprintFromGeoJson(g);
  if (!('footprint' in f)) throw new Error(f.problem);
  return f.footprint;
};

describe('scenarios/station-quarter.ts (illustrative)', () => {
  let baseline: Awaited<ReturnType<typeof rutlandBaseline>>;
  beforeAll(async () => {
    baseline = await rutlandBaseline();
  });

  it('applies cleanly to the real Rutland baseline', () => {
    expect(scenario.dataset).toBe('rutland');
    expect(validateChanges(baseline, scenario.changes, { extent: extentOf(baseline) })).toEqual([]);
    const r = scenario.apply(baseline, { extent: extentOf(baseline) });
    expect(r.added).toEqual(['new/block-a', 'new/block-b', 'new/block-c', 'new/cafe']);
    expect(r.demolished).toEqual(['rutland:w178280261', 'rutland:w178280264']);
    expect(r.modified).toEqual(['rutland:w178280263']);
  });

  it('puts every new block inside the site', () => {
    const site = parse(scenario.site);
    for (const c of scenario.changes) {
      if (c.op !== 'add') continue;
      const f = parse(c.footprint);
      expect(intersectionAreaM2(f, site) / footprintAreaM2(f)).toBeCloseTo(1, 6);
    }
  });

  it('sweeps Block A from 3 to 12 storeys, one variant each, homes rising with storeys', () => {
    expect(variants.map((v) => v.label.blockAStoreys)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const homes = variants.map(
      (v) => v.scenario.indicators(baseline, { extent: extentOf(baseline) }).scenario.homes,
    );
    for (let i = 1; i < homes.length; i++) expect(homes[i]).toBeGreaterThan(homes[i - 1]);
    const twelve = variants.at(-1)!.scenario.indicators(baseline).scenario;
    expect(twelve.maxHeightM).toBe(36);
  });
});

import type { BBox } from '@placetwin/geo';
import { USE_CLASSES } from '@placetwin/importers';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from './apply';
import { evaluateScenario } from './evaluate';
import { footprintAreaM2, footprintFromGeoJson } from './footprint';
import { indicatorDelta, indicators, storeysForFloorArea } from './indicators';
import { INDICATOR_RATIOS, ratioList } from './ratios';
import { extentOf, OAKHAM_STATION, rectangle, rutlandBaseline } from './test-support';
import type { FootprintGeoJson, ScenarioBuilding } from './types';

const parse = (g: FootprintGeoJson) => {
  const f = footprintFromGeoJson(g);
  if (!('footprint' in f)) throw new Error(f.problem);
  return f.footprint;
};

/** A constructed building (for the analytic checks; the real data has no building of a chosen size). */
const block = (
  id: string,
  footprint: FootprintGeoJson,
  over: Partial<ScenarioBuilding> = {},
): ScenarioBuilding => ({
  id,
  kind: 'building',
  sourceId: id,
  parentSourceId: null,
  footprint: parse(footprint),
  minHeightM: 0,
  heightM: 12,
  heightSource: 'levels',
  heightMethod: 'test',
  storeys: 4,
  use: 'residential',
  name: null,
  groundElevationM: null,
  attributes: {},
  ...over,
});

const { lon, lat } = OAKHAM_STATION;
const r = INDICATOR_RATIOS;

describe('indicators, checked by hand', () => {
  it('a 20 × 30 m, 4-storey residential block: 2,400 m² GEA and 2,400 × 0.95 × 0.85 / 70 = 27.7 → 28 homes', () => {
    const x = indicators([block('a', rectangle(lon, lat, 20, 30))]);
    expect(x.gfaM2.total).toBeCloseTo(2400, 0);
    expect(x.gfaM2.byUse.residential).toBe(x.gfaM2.total);
    expect(x.homes).toBe(Math.round((2400 * 0.95 * 0.85) / 70));
    expect(x.homes).toBe(28);
    expect(x.jobs).toBe(0);
    expect(x.maxHeightM).toBe(12);
    expect(x.footprintAreaM2).toBeCloseTo(600, 1);
    expect(x.coverage).toBeNull();
  });

  it.each([
    ['commercial (office, 12 m² NIA)', 'commercial', (2400 * 0.95 * 0.8) / 12],
    ['retail (17.5 m² NIA)', 'retail', (2400 * 0.95 * 0.8) / 17.5],
    ['industrial (36 m² GIA)', 'industrial', (2400 * 0.95) / 36],
  ] as const)('jobs of the same block as %s', (_name, use, expected) => {
    const x = indicators([block('a', rectangle(lon, lat, 20, 30), { use })]);
    expect(x.jobs).toBe(Math.round(expected));
    expect(x.homes).toBe(0);
    expect(x.gfaWithoutJobsEstimateM2).toBe(0);
  });

  it('counts workplaces without a density (education) apart, and never garages as workplaces', () => {
    const x = indicators([
      block('school', rectangle(lon, lat, 20, 30), { use: 'education', storeys: 2 }),
      block('garage', rectangle(lon + 0.001, lat, 5, 6), { use: 'outbuilding', storeys: 1 }),
    ]);
    expect(x.jobs).toBe(0);
    expect(x.gfaWithoutJobsEstimateM2).toBeCloseTo(1200, 0);
    expect(x.gfaM2.byUse.outbuilding).toBeCloseTo(30, 1);
  });

  it('uses a homes or jobs attribute instead of the estimate', () => {
    const x = indicators([block('a', rectangle(lon, lat, 20, 30), { attributes: { homes: 24, jobs: 3 } })]);
    expect([x.homes, x.jobs]).toEqual([24, 3]);
  });

  it('counts a building in a site when most of its footprint is inside, and coverage over the site', () => {
    // Site 100 × 100 m; block A 20 × 30 m wholly inside; block B 20 × 10 m with 12 of its 20 m inside (60%);
    // block C the same with 8 m inside (40%).
    const site = parse(rectangle(lon, lat, 100, 100));
    const mPerDegLon = 67_700; // ≈ at 52.67° N; only used to place blocks, areas come from the package
    const a = block('a', rectangle(lon + 10 / mPerDegLon, lat + 10 / 111_250, 20, 30));
    const b = block('b', rectangle(lon + 88 / mPerDegLon, lat + 50 / 111_250, 20, 10), {
      heightM: 30,
      storeys: 9,
    });
    const c = block('c', rectangle(lon - 12 / mPerDegLon, lat + 50 / 111_250, 20, 10), {
      heightM: 40,
      storeys: 12,
    });
    const x = indicators([a, b, c], { site });
    expect(x.buildings).toBe(2);
    expect(x.maxHeightM).toBe(30); // C (40 m) is mostly outside
    expect(x.siteAreaM2).toBeCloseTo(10_000, 0);
    expect(x.footprintAreaM2).toBeCloseTo(600 + 200, 0);
    // covered: 600 + 120 + 80 m² (the parts inside, C's included) of 10,000 m²; the 1 m placement error of the
    // approximate metres-per-degree moves it by at most 20 m² (0.002).
    expect(Math.abs((x.coverage ?? 0) - 0.08)).toBeLessThan(0.002);
    expect(x.gfaM2.total).toBeCloseTo(600 * 4 + 200 * 9, -1);
  });

  it('is the same for the buildings in any order (real Rutland)', async () => {
    const rutland = await rutlandBaseline();
    const site = parse(rectangle(lon - 0.004, lat - 0.003, 600, 600));
    const shuffled = [...rutland].reverse();
    expect(indicators(shuffled, { site })).toEqual(indicators(rutland, { site }));
  });
});

describe('storeys for floor area', () => {
  const base = block('x', rectangle(lon, lat, 10, 10), { storeys: null, heightSource: 'type-default' });
  it.each([
    ['known storeys', { storeys: 3 }, 3],
    ['a type default with storeys (house, 7 m)', { heightM: 7, attributes: { building: 'house' } }, 2],
    [
      'a single-volume type default (supermarket, 7 m)',
      { heightM: 7, attributes: { building: 'supermarket' } },
      1,
    ],
    ['building=yes (6 m, mostly houses)', { heightM: 6, attributes: { building: 'yes' } }, 2],
    ['a measured height without storeys (13 m)', { heightM: 13, heightSource: 'measured' as const }, 4],
    ['a low measured height (2.5 m)', { heightM: 2.5, heightSource: 'measured' as const }, 1],
  ])('%s', (_name, over, expected) => {
    expect(storeysForFloorArea({ ...base, ...over })).toBe(expected);
  });
});

describe('indicators of the real Rutland baseline and a scenario', () => {
  let rutland: ScenarioBuilding[];
  let extent: BBox;
  beforeAll(async () => {
    rutland = await rutlandBaseline();
    extent = extentOf(rutland);
  });

  it('adds up: floor area by use sums to the total; every use class is listed', () => {
    const x = indicators(rutland);
    expect(Object.keys(x.gfaM2.byUse).sort()).toEqual([...USE_CLASSES].sort());
    const sum = Object.values(x.gfaM2.byUse).reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - x.gfaM2.total)).toBeLessThan(0.1 * USE_CLASSES.length);
    expect(x.buildings).toBe(rutland.length);
    expect(x.homes).toBeGreaterThan(1000);
    expect(x.maxHeightM).toBe(Math.max(...rutland.map((b) => b.heightM)));
  });

  it('the delta of demolishing one building is minus its footprint × storeys', () => {
    const target = rutland.find((b) => b.id === 'rutland:w178280261')!; // Travis Perkins, 6 m, building=yes
    const result = evaluateScenario(rutland, [{ op: 'demolish', id: target.id }], { extent });
    const lost = footprintAreaM2(target.footprint) * storeysForFloorArea(target);
    expect(result.delta.gfaM2.total).toBeCloseTo(-lost, 0);
    expect(result.delta.gfaM2.byUse.retail).toBeCloseTo(-lost, 0);
    expect(result.delta.buildings).toBe(-1);
    expect(result.delta.jobs).toBe(result.scenario.jobs - result.baseline.jobs);
    expect(result.studyArea?.source).toBe('dataset-extent');
  });

  it('measures over the site when there is one, for both sides', () => {
    const site = rectangle(-0.7342, 52.6729, 70, 90);
    const changes = [
      { op: 'demolish' as const, id: 'rutland:w178280261' },
      {
        op: 'add' as const,
        id: 'new/b',
        footprint: rectangle(-0.73342, 52.67322, 14, 40),
        use: 'residential' as const,
        storeys: 4,
      },
    ];
    const result = evaluateScenario(rutland, changes, { site, extent });
    const siteFootprint = parse(site);
    expect(result.studyArea?.source).toBe('site');
    expect(result.baseline).toEqual(indicators(rutland, { site: parse(result.studyArea!.footprint) }));
    expect(result.scenario).toEqual(
      indicators(apply(rutland, changes, { extent }).buildings, { site: parse(result.studyArea!.footprint) }),
    );
    expect(result.studyArea?.areaM2).toBeCloseTo(footprintAreaM2(siteFootprint), 0);
    expect(result.delta.homes).toBe(Math.round((14 * 40 * 4 * 0.95 * 0.85) / 70));
    expect(result.delta).toEqual(indicatorDelta(result.baseline, result.scenario));
  });
});

describe('ratios', () => {
  it('each has a value, a unit and a source, and says whether it is cited or assumed', () => {
    const list = ratioList();
    expect(list.length).toBe(7);
    for (const x of list) {
      expect(x.value).toBeGreaterThan(0);
      expect(x.unit).not.toBe('');
      expect(x.source.length).toBeGreaterThan(30);
      expect(['cited', 'assumption']).toContain(x.kind);
    }
    expect(new Set(list.map((x) => x.id)).size).toBe(list.length);
    expect(r.jobDensity.commercial?.source).toMatch(/Employment Density Guide, 3rd edition/);
    expect(r.dwellingGiaM2.source).toMatch(/nationally described space standard/);
  });
});

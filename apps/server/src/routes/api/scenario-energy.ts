/**
 * `GET /api/scenarios/:id/energy`: the annual heat and electricity demand of the study area's buildings, the
 * baseline's and the scenario's, and the change. The same study area and the same "more than half of the
 * footprint inside" rule as the indicators; each building's demand as `/api/energy/buildings/:id` works it out
 * (@placetwin/energy: a cited benchmark kWh/m²·yr for its use × floor area), so a new building's figure agrees
 * with the energy layer's once it is built.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { baselineBuildings, type Db, getDataset, scenarioOverlayInput } from '@placetwin/db';
import { annualDemand, describeBuilding, footprintMetrics } from '@placetwin/energy';
import { DataError, type MultiPolygon2 } from '@placetwin/geo';
import {
  apply,
  footprintAreaM2,
  footprintFromGeoJson,
  intersectionAreaM2,
  referencedIds,
  type ScenarioBuilding,
  studyArea,
} from '@placetwin/scenario';
import Type from 'typebox';
import { scenarioAccess } from '../../plugins/app/scenario-access';
import { ProblemSchema } from '../schemas';
import { scenarioErrorHandler } from './scenarios';

export interface ScenarioEnergyRoutesOptions {
  db: Db;
}

export interface DemandTotals {
  /** Buildings counted (parts are counted with their building). */
  buildings: number;
  floorAreaM2: number;
  heatMwh: number;
  electricityMwh: number;
}

/** Does more than half of the footprint lie inside the site (the indicators' rule)? Null site: everything. */
const counted = (b: ScenarioBuilding, site: MultiPolygon2 | null): boolean =>
  b.kind === 'building' &&
  (!site || intersectionAreaM2(b.footprint, site) * 2 > footprintAreaM2(b.footprint));

/**
 * Annual demand (MWh/yr) of the buildings inside `site`, summed. Buildings the model cannot describe (no
 * height…) are listed in `skipped` rather than guessed.
 */
export function demandTotals(
  buildings: readonly ScenarioBuilding[],
  site: MultiPolygon2 | null,
): DemandTotals & { skipped: { id: string; reason: string }[] } {
  const t = { buildings: 0, floorAreaM2: 0, heatMwh: 0, electricityMwh: 0 };
  const skipped: { id: string; reason: string }[] = [];
  for (const b of buildings) {
    if (!counted(b, site)) continue;
    try {
      const d = describeBuilding({
        id: b.id,
        name: b.name,
        use: b.use,
        attributes: b.attributes,
        footprintAreaM2: footprintAreaM2(b.footprint),
        perimeterM: footprintMetrics(b.footprint).perimeterM,
        heightM: b.heightM,
        minHeightM: b.minHeightM,
        storeys: b.storeys,
      });
      const a = annualDemand(d);
      t.buildings++;
      t.floorAreaM2 += a.floorAreaM2;
      t.heatMwh += a.heat.mwh;
      t.electricityMwh += a.electricity.mwh;
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      skipped.push({ id: b.id, reason: e.message });
    }
  }
  return { ...t, skipped };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const rounded = (t: DemandTotals): DemandTotals => ({
  buildings: t.buildings,
  floorAreaM2: Math.round(t.floorAreaM2),
  heatMwh: round1(t.heatMwh),
  electricityMwh: round1(t.electricityMwh),
});

const Totals = Type.Object({
  buildings: Type.Integer(),
  floorAreaM2: Type.Number({
    description: 'Floor area the benchmarks are applied to (footprint × storeys), m²',
  }),
  heatMwh: Type.Number({ description: 'Delivered heat (fossil-thermal), MWh/yr, estimated' }),
  electricityMwh: Type.Number({ description: 'Electricity, MWh/yr, estimated' }),
});

const EnergyImpactSchema = Type.Object(
  {
    scenarioId: Type.Integer(),
    name: Type.String(),
    version: Type.Integer(),
    studyArea: Type.Union([
      Type.Object({ source: Type.String(), areaM2: Type.Number() }, { additionalProperties: true }),
      Type.Null(),
    ]),
    baseline: Totals,
    scenario: Totals,
    delta: Totals,
    basis: Type.Literal('estimated'),
    method: Type.String(),
    skipped: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
  },
  { title: 'ScenarioEnergyImpact' },
);

/** The energy demand of a scenario's study area before and after (the route's answer). */
export async function scenarioEnergyImpact(db: Db, id: number) {
  const { scenario, changes } = await scenarioOverlayInput(db, id);
  const ds = await getDataset(db, scenario.dataset);
  const area = studyArea(scenario.site, ds?.bbox ?? null);
  const baseline = await baselineBuildings(db, scenario.dataset, {
    ids: referencedIds(changes),
    within: area?.source === 'site' ? area.footprint : 'all',
  });
  const parsed = area ? footprintFromGeoJson(area.footprint) : null;
  const site = parsed && 'footprint' in parsed ? parsed.footprint : null;
  const before = demandTotals(baseline, site);
  const after = demandTotals(apply(baseline, changes).buildings, site);
  const b = rounded(before);
  const a = rounded(after);
  return {
    scenarioId: scenario.id,
    name: scenario.name,
    version: scenario.version,
    studyArea: area ? { source: area.source, areaM2: area.areaM2 } : null,
    baseline: b,
    scenario: a,
    delta: {
      buildings: a.buildings - b.buildings,
      floorAreaM2: a.floorAreaM2 - b.floorAreaM2,
      heatMwh: round1(after.heatMwh - before.heatMwh),
      electricityMwh: round1(after.electricityMwh - before.electricityMwh),
    },
    basis: 'estimated' as const,
    method:
      'Estimated: CIBSE TM46:2008 typical benchmarks by use (Ofgem TDCV 2023 ÷ 94 m² for homes), kWh/m²·yr × floor area (footprint × storeys), summed over the buildings with more than half their footprint in the study area (@placetwin/energy, as /api/energy/buildings/:id).',
    skipped: [...new Map([...before.skipped, ...after.skipped].map((s) => [s.id, s])).values()],
  };
}

const scenarioEnergyRoutes: FastifyPluginAsyncTypebox<ScenarioEnergyRoutesOptions> = async (app, { db }) => {
  const access = scenarioAccess(db);
  app.setErrorHandler(scenarioErrorHandler);

  app.get(
    '/api/scenarios/:id/energy',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags: ['energy', 'scenarios'],
        summary:
          'Annual heat and electricity demand of the study area, baseline and scenario, and the change',
        description:
          'Over the scenario’s site (or the dataset extent), buildings with more than half their footprint inside; each as `/api/energy/buildings/:id` estimates it (benchmark × floor area).',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: EnergyImpactSchema, 404: ProblemSchema },
      },
    },
    async (request) => scenarioEnergyImpact(db, request.params.id),
  );
};

export default scenarioEnergyRoutes;

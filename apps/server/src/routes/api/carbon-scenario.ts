/**
 * The carbon of a scenario's development (issue "carbon what-if"): embodied carbon of its new floor area (RIBA 2030
 * Climate Challenge benchmarks by use, overridable), the operational emissions of that floor area from its
 * completion year under a lever set, the car traffic of its new homes (national travel averages, or the site's own
 * figure), and the change to the area's trajectory. Reads follow the scenario's: drafts are staff-only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  assumedBuildingEnergy,
  type BuildingAnnualEnergy,
  developmentImpact,
  developmentTravel,
  type EmbodiedLevel,
  type NewBuilding,
  type SiteTransitAccess,
  TRAVEL_MODES,
  type TravelMode,
} from '@placetwin/carbon';
import { type Db, evaluateChangeSet, listGtfsFeeds, loadGtfsFeed, scenarioOverlayInput } from '@placetwin/db';
import { BENCHMARKS, benchmarkCategory, USE_PROFILES } from '@placetwin/energy';
import { apply, footprintAreaM2, type ScenarioBuilding, storeysForFloorArea } from '@placetwin/scenario';
import { compileSchedule, representativeWeekday, type Schedule, siteAccess } from '@placetwin/transport';
import { LRUCache } from 'lru-cache';
import Type from 'typebox';
import { scenarioAccess } from '../../plugins/app/scenario-access';
import { ProblemSchema } from '../schemas';
import { areaStock, inputsOf, leversNamed, NO_LEVERS, seriesJson } from './carbon';
import { LeverSetNameSchema, QuantitySchema, SeriesSchema } from './carbon-schemas';
import { scenarioErrorHandler } from './scenarios';

export interface CarbonScenarioRoutesOptions {
  db: Db;
}

/** Completion year when none is asked for. */
export const DEFAULT_COMPLETION_YEAR = 2030;

const floorAreaM2 = (b: ScenarioBuilding): number => footprintAreaM2(b.footprint) * storeysForFloorArea(b);

/**
 * The floor area a scenario adds, as buildings for the embodied-carbon model: each added building whole, and the
 * growth of each modified one (a change of use counts its whole floor area as new: it is refitted). Demolitions
 * and shrinking are not credited (their embodied carbon is already spent; their operational saving is left out).
 */
export function newFloorArea(
  baseline: readonly ScenarioBuilding[],
  result: ReturnType<typeof apply>,
  completionYear: number,
): NewBuilding[] {
  const before = new Map(baseline.map((b) => [b.id, b]));
  const after = new Map(result.buildings.map((b) => [b.id, b]));
  const out: NewBuilding[] = [];
  for (const id of result.added) {
    const b = after.get(id);
    if (b) out.push({ id, use: b.use ?? 'unknown', giaM2: floorAreaM2(b), completionYear });
  }
  for (const id of result.modified) {
    const a = before.get(id);
    const b = after.get(id);
    if (!a || !b) continue;
    const grown = b.use !== a.use ? floorAreaM2(b) : floorAreaM2(b) - floorAreaM2(a);
    if (grown > 0) out.push({ id, use: b.use ?? 'unknown', giaM2: grown, completionYear });
  }
  return out;
}

/**
 * The new floor area's annual energy from the energy layer's benchmarks by use (`@placetwin/energy`: CIBSE TM46:2008,
 * Ofgem TDCV 2023 for homes), the same kWh/m² as the scenario's energy rows: the benchmark's heat (TM46
 * "fossil-thermal") as natural gas burnt in a boiler, its electricity as grid electricity. A use the energy layer
 * does not know falls back to the carbon package's own per-m² assumption; an unheated use has none.
 */
export function developmentEnergy(buildings: readonly NewBuilding[]): BuildingAnnualEnergy[] {
  const out: BuildingAnnualEnergy[] = [];
  for (const b of buildings) {
    const profile = USE_PROFILES[b.use];
    if (!profile) {
      out.push(
        ...assumedBuildingEnergy(
          [{ id: b.id, use: b.use, footprintAreaM2: b.giaM2, storeys: 1, floorAreaM2: b.giaM2 }],
          { unknownUse: 'by-footprint', minHeatedFootprintM2: 0 },
        ).energy,
      );
      continue;
    }
    if (!profile.benchmark) continue;
    const c = benchmarkCategory(profile.benchmark);
    const heat = c.heatKwhPerM2 * b.giaM2;
    out.push({
      id: b.id,
      sector: b.use === 'residential' ? 'domestic' : 'non-domestic',
      kwhByFuel: { 'natural-gas': heat, electricity: c.electricityKwhPerM2 * b.giaM2 },
      heatKwhByFuel: { 'natural-gas': heat },
      basis: 'assumed',
      method: `${c.name}: ${c.heatKwhPerM2} kWh/m² heat (natural gas) + ${c.electricityKwhPerM2} kWh/m² electricity × ${Math.round(b.giaM2)} m². ${BENCHMARKS.sources[c.source]?.citation ?? c.source}`,
      floorAreaM2: b.giaM2,
    });
  }
  return out;
}

/** The area's carbon building stock by dataset, loaded once however many scenarios ask (e.g. one report). */
export interface AreaStockCache {
  stock(dataset: string): ReturnType<typeof areaStock>;
  /** How many times the stock was read from the database. */
  readonly loads: number;
}

export function areaStockCache(db: Db): AreaStockCache {
  const byDataset = new Map<string, ReturnType<typeof areaStock>>();
  let loads = 0;
  return {
    stock(dataset) {
      let s = byDataset.get(dataset);
      if (!s) {
        loads++;
        s = areaStock(db, dataset);
        byDataset.set(dataset, s);
        s.catch(() => byDataset.delete(dataset));
      }
      return s;
    },
    get loads() {
      return loads;
    },
  };
}

/** The mean of the new buildings' footprint vertices (outer rings): where the development's trips start and end. */
export function siteCentre(
  result: ReturnType<typeof apply>,
  ids: readonly string[],
): { lon: number; lat: number } | null {
  const byId = new Map(result.buildings.map((b) => [b.id, b]));
  let x = 0;
  let y = 0;
  let n = 0;
  for (const id of ids) {
    const b = byId.get(id);
    if (!b) continue;
    for (const poly of b.footprint) {
      const ring = poly[0];
      for (let i = 0; i + 1 < ring.length; i += 2) {
        x += ring[i];
        y += ring[i + 1];
        n++;
      }
    }
  }
  return n > 0 ? { lon: x / n, lat: y / n } : null;
}

/** Compiled timetables by feed id (a re-import gets a new id), for the bus-share rule. */
const schedules = new LRUCache<number, Promise<Schedule | null>>({ max: 2 });

/**
 * The site's peak-hour bus service in the first imported feed whose area holds it (a served stop within 800 m),
 * on the feed's first Wednesday; null when the site lies outside every feed (the national split stands).
 */
export async function siteTransitAccess(
  db: Db,
  site: { lon: number; lat: number },
): Promise<SiteTransitAccess | null> {
  const MARGIN = 0.02; // degrees, more than 800 m: a feed whose stops' box misses the site by more is skipped
  for (const f of await listGtfsFeeds(db)) {
    const b = f.bbox;
    if (!b || !f.startDate) continue;
    if (
      site.lon < b[0] - MARGIN ||
      site.lon > b[2] + MARGIN ||
      site.lat < b[1] - MARGIN ||
      site.lat > b[3] + MARGIN
    )
      continue;
    let entry = schedules.get(f.id);
    if (!entry) {
      entry = loadGtfsFeed(db, f.name).then((feed) => (feed ? compileSchedule(feed) : null));
      schedules.set(f.id, entry);
      entry.catch(() => schedules.delete(f.id));
    }
    const schedule = await entry;
    if (!schedule) continue;
    const date = representativeWeekday(schedule, f.startDate);
    if (!date) continue;
    const a = siteAccess(schedule, date, site.lon, site.lat);
    if (a)
      return {
        feed: f.name,
        date,
        departuresPerHour: a.departuresPerHour,
        stopsWithin400m: a.stopsWithin400m,
      };
  }
  return null;
}

export interface ScenarioCarbonOptions {
  /** A saved lever set of the scenario's dataset; `baseline`: no levers (the grid path alone changes). */
  leverSet?: string;
  completionYear?: number;
  embodiedLevel?: EmbodiedLevel;
  /** The site's own car vehicle-km per home per year (else the national averages). */
  carVehicleKmPerHome?: number;
  /** Where the area's stock comes from when several scenarios are measured together (else read here). */
  stocks?: AreaStockCache;
}

/** The carbon of a scenario's development (the route's answer; also printed in committee reports). */
export async function scenarioCarbonImpact(db: Db, id: number, options: ScenarioCarbonOptions = {}) {
  const leverName = options.leverSet ?? NO_LEVERS;
  const completionYear = options.completionYear ?? DEFAULT_COMPLETION_YEAR;
  const embodiedLevel = options.embodiedLevel ?? 'business-as-usual';
  const carVehicleKmPerHome = options.carVehicleKmPerHome;
  const { scenario, changes, baseline } = await scenarioOverlayInput(db, id);
  const dataset = scenario.dataset;
  const levers = await leversNamed(db, dataset, leverName);
  const inputs = await inputsOf(db, dataset);
  const { stock } = await (options.stocks ? options.stocks.stock(dataset) : areaStock(db, dataset));
  const result = apply(baseline, changes);
  const buildings = newFloorArea(baseline, result, completionYear);
  // Homes and jobs as the indicators count them (same study area, same rule), from the scenario already read.
  const delta = (await evaluateChangeSet(db, dataset, changes, scenario.site)).delta;
  const homes = Math.max(0, delta.homes);
  const jobs = Math.max(0, delta.jobs);
  const site = siteCentre(
    result,
    buildings.map((b) => b.id),
  );
  const access = site && homes + jobs > 0 ? await siteTransitAccess(db, site) : null;
  const travel = developmentTravel({ homes, jobs, access, carVehicleKmPerHome });
  const d = developmentImpact(
    { startYear: inputs.startYear, stock, transport: inputs.transport, other: inputs.other },
    levers,
    {
      name: scenario.name,
      buildings,
      energy: developmentEnergy(buildings),
      carVehicleKm: travel.carVehicleKm,
    },
    { level: embodiedLevel as EmbodiedLevel },
  );
  return {
    scenarioId: scenario.id,
    dataset,
    name: scenario.name,
    leverSet: leverName,
    completionYear,
    years: d.without.years,
    newFloorAreaM2: buildings.reduce((a, b) => a + b.giaM2, 0),
    homes,
    jobs,
    buildings: d.embodied.buildings.map((b) => ({
      id: b.id,
      use: b.use,
      gia: b.gia,
      intensity: b.intensity,
      embodied: b.embodied,
    })),
    embodied: d.embodied.total,
    carTrips: travel.carTrips,
    carVehicleKm: travel.carVehicleKm,
    travel: {
      site,
      residents: travel.residents,
      access: travel.access,
      origins: travel.origins,
      modes: travel.modes,
      notes: travel.notes,
    },
    embodiedByYear: seriesJson(d.embodiedByYear),
    operationalChange: seriesJson(d.operationalChange),
    operationalHeating: seriesJson(d.operationalHeating),
    operationalElectricity: seriesJson(d.operationalElectricity),
    heatingSupply: d.heatingSupply.description,
    transportChange: seriesJson(d.transportChange),
    without: seriesJson(d.without.total),
    with: seriesJson({
      ...d.with.total,
      values: d.with.total.values.map((v, i) => v + d.transportChange.values[i] + d.embodiedByYear.values[i]),
    }),
    cumulativeChange: d.cumulativeChange,
    notes: [
      'Floor area: added buildings whole; modified buildings their growth (a change of use: all of it). Demolitions are not credited.',
      'Operational energy of the new floor area is assumed per m² by use (CIBSE TM46:2008; Ofgem TDCV 2023 for homes, as the energy rows): its heat from the heating fuel (DESNZ 2023 factor) or, where the lever set installs heat pumps, their electricity; the rest as grid electricity on the grid path.',
      'Trips of new homes (all purposes) and new jobs (commuting; visitors and deliveries are not counted).',
      '"with" adds the development’s operational, transport and embodied emissions (embodied in its completion year).',
    ],
  };
}

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Query = Type.Object(
  {
    levers: Type.String({ ...LeverSetNameSchema, default: NO_LEVERS }),
    completionYear: Type.Integer({ minimum: 2000, maximum: 2100, default: DEFAULT_COMPLETION_YEAR }),
    embodiedLevel: Type.Union(
      [Type.Literal('business-as-usual'), Type.Literal('2025'), Type.Literal('2030')],
      { default: 'business-as-usual' },
    ),
    carVehicleKmPerHome: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 100_000,
        description: "The site's own figure (transport assessment)",
      }),
    ),
  },
  { additionalProperties: false },
);

const ModeTravelSchema = Type.Object({
  mode: Type.Union(TRAVEL_MODES.map((m) => Type.Literal(m)) as [ReturnType<typeof Type.Literal<TravelMode>>]),
  trips: Type.Number({ description: 'trips/yr' }),
  personKm: Type.Number({ description: 'person-km/yr' }),
  vehicleKm: Type.Number({ description: 'vehicle-km/yr added to the roads (car drivers only)' }),
});
const TravelSchema = Type.Object(
  {
    site: Type.Union([Type.Object({ lon: Type.Number(), lat: Type.Number() }), Type.Null()]),
    residents: Type.Number(),
    access: Type.Union([
      Type.Object({
        feed: Type.String(),
        date: Type.String(),
        departuresPerHour: Type.Number(),
        stopsWithin400m: Type.Integer(),
        busFactor: Type.Number(),
      }),
      Type.Null(),
    ]),
    origins: Type.Array(
      Type.Object({
        origin: Type.Union([Type.Literal('homes'), Type.Literal('jobs')]),
        units: Type.Number(),
        per: Type.Union([Type.Literal('resident'), Type.Literal('job')]),
        modes: Type.Array(ModeTravelSchema),
        source: Type.String(),
      }),
    ),
    modes: Type.Array(ModeTravelSchema),
    notes: Type.Array(Type.String()),
  },
  { title: 'DevelopmentTravel' },
);

const ImpactSchema = Type.Object(
  {
    scenarioId: Type.Integer(),
    dataset: Type.String(),
    name: Type.String(),
    leverSet: Type.String(),
    completionYear: Type.Integer(),
    years: Type.Array(Type.Integer()),
    newFloorAreaM2: Type.Number(),
    homes: Type.Number(),
    jobs: Type.Number({ description: 'new jobs (indicators: floor area by use ÷ the stated job densities)' }),
    buildings: Type.Array(
      Type.Object({
        id: Type.String(),
        use: Type.String(),
        gia: QuantitySchema,
        intensity: QuantitySchema,
        embodied: QuantitySchema,
      }),
    ),
    embodied: QuantitySchema,
    carTrips: QuantitySchema,
    carVehicleKm: QuantitySchema,
    travel: TravelSchema,
    embodiedByYear: SeriesSchema,
    operationalChange: SeriesSchema,
    operationalHeating: {
      ...SeriesSchema,
      description:
        'Of operationalChange: heating (fuel × its DESNZ 2023 factor, plus heat-pump electricity × the grid factor), tCO2e/yr',
    },
    operationalElectricity: {
      ...SeriesSchema,
      description:
        'Of operationalChange: the rest of the grid electricity × the grid factor of the year, tCO2e/yr',
    },
    heatingSupply: Type.String({ description: 'How the new floor area is heated under the lever set' }),
    transportChange: SeriesSchema,
    without: SeriesSchema,
    with: SeriesSchema,
    cumulativeChange: QuantitySchema,
    notes: Type.Array(Type.String()),
  },
  { title: 'ScenarioCarbonImpact' },
);

const carbonScenarioRoutes: FastifyPluginAsyncTypebox<CarbonScenarioRoutesOptions> = async (app, { db }) => {
  const access = scenarioAccess(db);
  app.setErrorHandler(scenarioErrorHandler);

  app.get(
    '/api/scenarios/:id/carbon',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags: ['carbon', 'scenarios'],
        summary: "The carbon of a scenario's development and its change to the area trajectory",
        description:
          'Embodied carbon of the new floor area (RIBA 2030 Climate Challenge by use), its operational emissions from `completionYear` under the lever set (`baseline`: no levers, only the grid path) split into heating (`operationalHeating`: the benchmark heat by use burnt as natural gas at the DESNZ 2023 factor, or heat-pump electricity where the lever set installs heat pumps) and electricity (`operationalElectricity`), and the trips of its new homes and jobs by mode (DfT National Travel Survey 2023, ONS Census 2021 and 2011; the bus share adjusted by the site’s peak-hour buses where it lies in an imported GTFS feed) with the car-driver vehicle-km in the transport change (`carVehicleKmPerHome` replaces the homes’ figure). Every number carries its unit and basis.',
        params: Params,
        querystring: Query,
        response: { 200: ImpactSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { levers, completionYear, embodiedLevel, carVehicleKmPerHome } = request.query;
      return scenarioCarbonImpact(db, request.params.id, {
        leverSet: levers,
        completionYear,
        embodiedLevel: embodiedLevel as EmbodiedLevel,
        carVehicleKmPerHome,
      });
    },
  );
};

export default carbonScenarioRoutes;

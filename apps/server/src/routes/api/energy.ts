/**
 * Energy layer and heat-battery flexibility on the twin's buildings: annual demand per building, a building's
 * normal vs peak-shift schedule for a day, and a portfolio's. Weather and grid carbon intensity are the cited
 * sample series (PLACETWIN_SAMPLE_DATA, see packages/cli config): Leeds City Council hourly weather 2019, used for
 * 2023 by day of the year, and NESO's GB half-hourly intensity 2023. All maths is in @placetwin/energy.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { resolvePaths } from '@placetwin/cli';
import {
  currentCalibrations,
  type Db,
  type EnergyStockRow,
  energyStockBuildings,
  getBuilding,
  getCalibration,
  getDataset,
  ownershipCandidates,
  type StoredCalibration,
} from '@placetwin/db';
import {
  annualDemand,
  buildingFlexibility,
  CAPACITY_CLASSES,
  carbonIntensityCsvImporter,
  councilOwnership,
  type DayConditions,
  dayConditions,
  describeBuilding,
  type EnergyBuilding,
  type FlexibilityOptions,
  footprintMetrics,
  heatTransferCoefficient,
  portfolioFlexibility,
  type RegularSeries,
  stationCsvImporter,
  thermalModel,
  timeConstantS,
  type WeatherSeries,
  weatherOnYear,
} from '@placetwin/energy';
import { DataError, type GeoJsonGeometry, type MultiPolygon2 } from '@placetwin/geo';
import Type, { type Static } from 'typebox';
import { HttpProblem, notFound } from '../../plugins/app/problems';
import { DatasetNameSchema, ProblemSchema } from '../schemas';
import { parseBboxParam } from './bbox';
import { MeasuredModelSchema } from './energy-calibration';
import { GridHeadroomSchema, GridNameSchema, portfolioGridHeadroom } from './energy-grid';

export interface EnergyRoutesOptions {
  db: Db;
  /** Where the weather and intensity files are; default PLACETWIN_SAMPLE_DATA or ../shared/data. */
  sampleDataDir?: string;
  /** The council's names for the council-owned selection (default: the sample city's, Rutland County Council). */
  councilNames?: string[];
}

/** Whose buildings "All council-owned" picks when no council name is configured: the sample city's council. */
export const SAMPLE_COUNCIL_NAMES = ['Rutland County Council'];

export const ENERGY_DATA = {
  weather: 'energy/weather/leeds-hourly-weather-2019.csv',
  intensity: 'energy/carbon-intensity/gb-carbon-intensity-2023.csv',
  year: 2023,
  credits:
    'Weather: Leeds City Council, Leeds meteorological data (OGL v3.0), 2019 used for 2023. Carbon intensity: ' +
    'National Energy System Operator (NESO) Carbon Intensity API, CC BY 4.0.',
} as const;

/** The most buildings one portfolio request may hold (about 2 s of work). */
export const MAX_PORTFOLIO_BUILDINGS = 2000;

const BuildingIdSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}:.+$',
  maxLength: 300,
  description: '`<dataset>:<sourceId>`, e.g. `rutland:w101326490`',
});
const TimeOfDay = Type.String({
  pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$',
  description: 'HH:MM, UK civil time',
});
const FlexibilityFields = {
  date: Type.String({
    format: 'date',
    description: `A day of ${ENERGY_DATA.year} (YYYY-MM-DD), from 4 January`,
  }),
  comfort: Type.Optional(
    Type.Object(
      { minC: Type.Number({ minimum: 5, maximum: 35 }), maxC: Type.Number({ minimum: 5, maximum: 35 }) },
      { description: 'Comfort band when occupied (default: the use class’s)' },
    ),
  ),
  window: Type.Optional(
    Type.Object(
      { start: TimeOfDay, end: TimeOfDay },
      { description: 'Peak window to avoid, default 16:00–19:00' },
    ),
  ),
  cop: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 10, description: 'Heat pump COP, default 3' }),
  ),
  windowWeight: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 1e6,
      description:
        'kWh of extra heat accepted outside the window per kWh removed from it, minus 1 (default 10)',
    }),
  ),
  carbonWeight: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  mode: Type.Optional(
    Type.Union([Type.Literal('heating'), Type.Literal('cooling')], {
      description:
        'heating (default) or cooling: a summer day, the same plant reversed as a chiller/heat pump with `cop`, pre-cooling within the band',
    }),
  ),
  estimate: Type.Optional(
    Type.Boolean({
      description:
        'Plan with the estimated model even where a building has a stored calibration (GET /api/energy/buildings/:id/calibration); default false',
    }),
  ),
};
const OverrideFields = {
  capacityClass: Type.Optional(
    Type.Union(
      Object.keys(CAPACITY_CLASSES).map((c) => Type.Literal(c)),
      { description: 'ISO 13790 thermal capacity class (default from use and age)' },
    ),
  ),
  calibration: Type.Optional(
    Type.Object(
      {
        model: MeasuredModelSchema,
        rmseC: Type.Number({ minimum: 0 }),
        source: Type.String({ minLength: 1, maxLength: 200 }),
        scaledToGeometry: Type.Boolean(),
      },
      {
        description:
          'A model calibrated to measured data (the `model`, `rmseC` and `scaledToGeometry` of POST /api/energy/calibration, `source` the file): planned with instead of the estimate, and the assumptions say "measured"',
      },
    ),
  ),
};

const Series = Type.Array(Type.Number());
const ScheduleSchema = Type.Object({
  airC: Series,
  electricKw: Series,
  heatKw: Series,
  comfortHoursViolated: Type.Number(),
  energyKwh: Type.Number(),
  carbonKg: Type.Number(),
});
const FiguresSchema = Type.Object({
  kwRemoved: Type.Number({ description: 'Mean electric load removed over the window (kW)' }),
  windowPeakKw: Type.Object({ baseline: Type.Number(), shifted: Type.Number() }),
  durationH: Type.Number({ description: 'Hours of the window with load at least halved' }),
  kwhShifted: Type.Number(),
  preheatKwh: Type.Number(),
  reboundKwh: Type.Number(),
  reboundPeakKw: Type.Number(),
  extraKwh: Type.Number(),
  carbonDifferenceKg: Type.Number({ description: 'Shifted − normal, with the half-hourly intensity' }),
});
const AssumptionSchema = Type.Object({
  field: Type.String(),
  value: Type.Union([Type.String(), Type.Number()]),
  basis: Type.String(),
  note: Type.String(),
});
const DemandFigureSchema = Type.Object({
  kwhPerM2: Type.Number(),
  mwh: Type.Number(),
  status: Type.Union([Type.Literal('estimated'), Type.Literal('measured'), Type.Literal('not-modelled')]),
  method: Type.String(),
});
const BuildingEnergySchema = Type.Object(
  {
    buildingId: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    useClass: Type.String(),
    floorAreaM2: Type.Number(),
    benchmark: Type.Union([
      Type.Object({ id: Type.String(), name: Type.String(), citation: Type.String(), year: Type.Integer() }),
      Type.Null(),
    ]),
    heat: DemandFigureSchema,
    electricity: DemandFigureSchema,
    thermalModel: Type.Object({
      method: Type.String(),
      capacityClass: Type.String(),
      ageBand: Type.String(),
      heatTransferCoefficientWPerK: Type.Number(),
      timeConstantH: Type.Number(),
      heatingMaxKw: Type.Number(),
    }),
    assumptions: Type.Array(AssumptionSchema),
  },
  { title: 'BuildingEnergy' },
);
const FlexibilityResponse = Type.Object(
  {
    buildingId: Type.String(),
    date: Type.String(),
    stepMinutes: Type.Integer(),
    mode: Type.Union([Type.Literal('heating'), Type.Literal('cooling')], {
      description:
        'What the plant does on this run: heating, or cooling (heat and load are then heat removed)',
    }),
    times: Type.Array(Type.String({ description: 'Start of each step, UTC' })),
    outdoorC: Series,
    intensityGPerKwh: Series,
    lowC: Series,
    highC: Series,
    inWindow: Type.Array(Type.Boolean()),
    occupied: Type.Array(Type.Boolean()),
    baseline: ScheduleSchema,
    shifted: ScheduleSchema,
    figures: FiguresSchema,
    floorAreaM2: Type.Number(),
    assumptions: Type.Array(AssumptionSchema),
    calibration: Type.Union(
      [
        Type.Object({
          id: Type.Union([Type.Integer(), Type.Null()], {
            description: 'The stored calibration planned with (null: the one given in the request)',
          }),
          source: Type.String(),
          rmseC: Type.Number(),
        }),
        Type.Null(),
      ],
      { description: 'The measured model planned with, or null for the estimate' },
    ),
    credits: Type.String(),
    notes: Type.Array(Type.String()),
  },
  { title: 'Flexibility' },
);
const PortfolioResponse = Type.Object(
  {
    date: Type.String(),
    stepMinutes: Type.Integer(),
    mode: Type.Union([Type.Literal('heating'), Type.Literal('cooling')], {
      description: 'heating, or cooling (loads are then the chillers’ and heat is heat removed)',
    }),
    times: Type.Array(Type.String()),
    aggregate: Type.Object({ baselineKw: Series, shiftedKw: Series, inWindow: Type.Array(Type.Boolean()) }),
    totals: Type.Object({
      buildings: Type.Integer(),
      kwRemoved: Type.Number(),
      windowPeakKw: Type.Object({ baseline: Type.Number(), shifted: Type.Number() }),
      kwhShifted: Type.Number(),
      reboundKwh: Type.Number(),
      extraKwh: Type.Number(),
      carbonDifferenceKg: Type.Number(),
      comfortHoursViolated: Type.Number(),
      floorAreaM2: Type.Number(),
    }),
    ranked: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.Union([Type.String(), Type.Null()]),
        useClass: Type.String(),
        floorAreaM2: Type.Number(),
        kwRemoved: Type.Number(),
        wPerM2: Type.Number(),
        kwhShifted: Type.Number(),
        durationH: Type.Number(),
        reboundKwh: Type.Number(),
        carbonDifferenceKg: Type.Number(),
        comfortHoursViolated: Type.Number(),
        model: Type.Union([Type.Literal('measured'), Type.Literal('estimated')], {
          description: 'measured: planned with the building’s stored calibration; estimated: from geometry',
        }),
        calibrationRmseC: Type.Union([Type.Number(), Type.Null()], {
          description: 'The stored calibration’s day-ahead RMSE (°C), null when estimated',
        }),
      }),
    ),
    skipped: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
    credits: Type.String(),
    councilOwnership: Type.Optional(
      Type.Object({
        councilNames: Type.Array(Type.String()),
        rule: Type.String(),
        buildings: Type.Array(Type.Object({ id: Type.String(), basis: Type.String() })),
      }),
    ),
    grid: Type.Optional(GridHeadroomSchema),
  },
  { title: 'Portfolio' },
);
const PortfolioBody = Type.Object({
  ...FlexibilityFields,
  buildingIds: Type.Optional(
    Type.Array(BuildingIdSchema, { minItems: 1, maxItems: MAX_PORTFOLIO_BUILDINGS }),
  ),
  dataset: Type.Optional(DatasetNameSchema),
  filter: Type.Optional(
    Type.Object({
      use: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
      bbox: Type.Optional(Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()])),
      councilOwned: Type.Optional(
        Type.Boolean({
          description:
            'Only council-owned buildings: asset register (council_owned) first, else OSM owner, operator or name naming the council',
        }),
      ),
      councilNames: Type.Optional(
        Type.Array(Type.String({ minLength: 2, maxLength: 150 }), { minItems: 1, maxItems: 10 }),
      ),
    }),
  ),
  grid: Type.Optional(GridNameSchema),
  maxRadiusM: Type.Optional(
    Type.Number({
      minimum: 1,
      maximum: 50_000,
      description: 'Nearest-asset radius for grid assignment (default 5000 m)',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: MAX_PORTFOLIO_BUILDINGS, default: 500 }),
});

const DemandStatus = Type.Union([
  Type.Literal('estimated'),
  Type.Literal('measured'),
  Type.Literal('not-modelled'),
]);
const DemandTableResponse = Type.Object(
  {
    dataset: Type.String(),
    count: Type.Integer({ description: 'Buildings with figures (the length of every array below)' }),
    truncated: Type.Boolean({ description: 'True when `limit` cut the list short' }),
    ids: Type.Array(Type.String()),
    useClass: Type.Array(Type.String()),
    floorAreaM2: Series,
    heatKwhPerM2: Series,
    heatMwh: Series,
    heatStatus: Type.Array(DemandStatus),
    electricityKwhPerM2: Series,
    electricityMwh: Series,
    electricityStatus: Type.Array(DemandStatus),
    benchmark: Type.Array(Type.Union([Type.String(), Type.Null()]), {
      description: 'Benchmark category id (null: unheated use, not modelled)',
    }),
    benchmarks: Type.Record(
      Type.String(),
      Type.Object({ name: Type.String(), citation: Type.String(), year: Type.Integer() }),
    ),
    skipped: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })),
    method: Type.String(),
  },
  { title: 'DemandTable' },
);

/** Figures are benchmarks × floor areas: three decimals are more than they are worth, and keep the table small. */
const round3 = (x: number) => Math.round(x * 1000) / 1000;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function flexibilityOptions(b: Static<Type.TObject<typeof FlexibilityFields>>): Partial<FlexibilityOptions> {
  const o: Partial<FlexibilityOptions> = {};
  if (b.comfort) o.comfort = b.comfort;
  if (b.window) o.window = { startMinute: minutes(b.window.start), endMinute: minutes(b.window.end) };
  if (b.cop !== undefined) o.cop = b.cop;
  if (b.windowWeight !== undefined) o.windowWeight = b.windowWeight;
  if (b.carbonWeight !== undefined) o.carbonWeight = b.carbonWeight;
  if (b.mode !== undefined) o.mode = b.mode;
  return o;
}

/** GeoJSON (Multi)Polygon → typed rings for the footprint's perimeter. */
function footprintOf(g: GeoJsonGeometry): MultiPolygon2 {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.map((poly) =>
    poly.map((ring) => {
      const open = ring.length > 1 && ring[0][0] === ring.at(-1)?.[0] && ring[0][1] === ring.at(-1)?.[1];
      return Float64Array.from((open ? ring.slice(0, -1) : ring).flatMap((p) => [p[0], p[1]]));
    }),
  );
}

interface BuildingRow {
  id: string;
  name: string | null;
  use: string | null;
  heightM: number;
  minHeightM: number;
  storeys: number | null;
  footprintAreaM2: number;
  attributes?: Record<string, unknown>;
}

/** A stored calibration as the model overrides a flexibility run plans with. */
const calibratedOverride = (c: StoredCalibration) => ({
  model: c.model,
  rmseC: c.rmseC,
  source: c.sourceFile,
  scaledToGeometry: c.scaledToGeometry,
});

function energyBuilding(row: BuildingRow, footprint: GeoJsonGeometry): EnergyBuilding {
  return {
    id: row.id,
    name: row.name,
    use: row.use,
    attributes: row.attributes ?? {},
    footprintAreaM2: row.footprintAreaM2,
    perimeterM: footprintMetrics(footprintOf(footprint)).perimeterM,
    heightM: row.heightM,
    minHeightM: row.minHeightM,
    storeys: row.storeys,
  };
}

const energyRoutes: FastifyPluginAsyncTypebox<EnergyRoutesOptions> = async (app, opts) => {
  const { db } = opts;
  const councilNames = opts.councilNames ?? SAMPLE_COUNCIL_NAMES;
  const dataDir = opts.sampleDataDir ?? resolvePaths().sampleDataDir;
  let series: Promise<{ weather: WeatherSeries; intensity: RegularSeries }> | null = null;
  const loadSeries = () => {
    series ??= (async () => {
      const read = (f: string) =>
        readFile(join(dataDir, f), 'utf8').catch(() => {
          throw new HttpProblem(
            503,
            'energy-data-missing',
            `no ${f} under ${dataDir}: set PLACETWIN_SAMPLE_DATA`,
          );
        });
      const [w, ci] = await Promise.all([read(ENERGY_DATA.weather), read(ENERGY_DATA.intensity)]);
      return {
        weather: weatherOnYear(
          stationCsvImporter.parse(w, { fileName: ENERGY_DATA.weather }),
          ENERGY_DATA.year,
        ),
        intensity: carbonIntensityCsvImporter.parse(ci, { fileName: ENERGY_DATA.intensity, allowGaps: true })
          .intensity,
      };
    })();
    series.catch(() => {
      series = null;
    });
    return series;
  };
  const conditions = async (date: string): Promise<DayConditions> => {
    const { weather, intensity } = await loadSeries();
    return dayConditions(date, weather, intensity, {
      weatherFile: ENERGY_DATA.weather,
      intensityFile: ENERGY_DATA.intensity,
    });
  };
  const loadBuilding = async (id: string): Promise<EnergyBuilding> => {
    const row = await getBuilding(db, id);
    if (!row) throw notFound(`no building with id "${id}"`);
    return energyBuilding(row, row.footprint);
  };
  const times = (day: DayConditions) =>
    Array.from({ length: day.daySteps }, (_, k) =>
      new Date(day.dayStartMs + k * day.stepS * 1000).toISOString(),
    );

  app.get(
    '/api/energy/buildings/:id',
    {
      schema: {
        tags: ['energy'],
        summary: 'Annual heat and electricity demand of a building, with its thermal model and assumptions',
        description:
          'Benchmarks (CIBSE TM46:2008; Ofgem TDCV 2023 for homes) × floor area (footprint × storeys); every figure says whether it is estimated or measured and how.',
        params: Type.Object({ id: BuildingIdSchema }),
        response: { 200: BuildingEnergySchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const building = await loadBuilding(request.params.id);
      const d = describeBuilding(building);
      const p = thermalModel(d);
      const demand = annualDemand(d);
      return {
        buildingId: building.id,
        name: building.name ?? null,
        useClass: d.useClass,
        floorAreaM2: d.floorAreaM2,
        benchmark: demand.benchmark,
        heat: demand.heat,
        electricity: demand.electricity,
        thermalModel: {
          method: 'ISO 13790:2008 5R1C, parameters from geometry and defaults (estimated)',
          capacityClass: d.capacityClass,
          ageBand: d.ageBand,
          heatTransferCoefficientWPerK: heatTransferCoefficient(p),
          timeConstantH: timeConstantS(p) / 3600,
          heatingMaxKw: p.heatingMaxW / 1000,
        },
        assumptions: d.assumptions,
      };
    },
  );

  app.get(
    '/api/energy/datasets/:dataset/demand',
    {
      schema: {
        tags: ['energy'],
        summary: 'Annual heat and electricity demand of every building of a dataset, for colouring a map',
        description:
          'The figures of `GET /api/energy/buildings/:id` for many buildings at once, as parallel arrays (one entry per building, in id order). Parts are left out (their floor area is their building’s). Buildings the model cannot describe (no footprint area, no height) are listed in `skipped` with the reason.',
        params: Type.Object({ dataset: DatasetNameSchema }),
        querystring: Type.Object({
          bbox: Type.Optional(
            Type.String({ description: 'west,south,east,north (degrees): only buildings in this box' }),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 100_000 }),
        }),
        response: { 200: DemandTableResponse, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { dataset } = request.params;
      if (!(await getDataset(db, dataset))) throw notFound(`no dataset "${dataset}"`);
      const { bbox, limit } = request.query;
      const rows = await energyStockBuildings(db, dataset, {
        bbox: bbox === undefined ? undefined : parseBboxParam(bbox),
        limit: limit + 1,
      });
      const table = {
        ids: [] as string[],
        useClass: [] as string[],
        floorAreaM2: [] as number[],
        heatKwhPerM2: [] as number[],
        heatMwh: [] as number[],
        heatStatus: [] as ('estimated' | 'measured' | 'not-modelled')[],
        electricityKwhPerM2: [] as number[],
        electricityMwh: [] as number[],
        electricityStatus: [] as ('estimated' | 'measured' | 'not-modelled')[],
        benchmark: [] as (string | null)[],
      };
      const benchmarks: Record<string, { name: string; citation: string; year: number }> = {};
      const skipped: { id: string; reason: string }[] = [];
      for (const row of rows.slice(0, limit)) {
        let demand: ReturnType<typeof annualDemand>;
        let useClass: string;
        try {
          const d = describeBuilding(energyBuilding(row, row.footprint));
          demand = annualDemand(d);
          useClass = d.useClass;
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          skipped.push({ id: row.id, reason: e.message });
          continue;
        }
        table.ids.push(row.id);
        table.useClass.push(useClass);
        table.floorAreaM2.push(round3(demand.floorAreaM2));
        table.heatKwhPerM2.push(round3(demand.heat.kwhPerM2));
        table.heatMwh.push(round3(demand.heat.mwh));
        table.heatStatus.push(demand.heat.status);
        table.electricityKwhPerM2.push(round3(demand.electricity.kwhPerM2));
        table.electricityMwh.push(round3(demand.electricity.mwh));
        table.electricityStatus.push(demand.electricity.status);
        table.benchmark.push(demand.benchmark?.id ?? null);
        if (demand.benchmark) {
          const { id, ...rest } = demand.benchmark;
          benchmarks[id] = rest;
        }
      }
      return {
        dataset,
        count: table.ids.length,
        truncated: rows.length > limit,
        ...table,
        benchmarks,
        skipped,
        method:
          'Estimated: benchmark kWh/m²·yr for the use class (CIBSE TM46:2008 typical values; Ofgem TDCV 2023 ÷ 94 m² for homes) × floor area (footprint × storeys). Measured figures replace estimates when metered data is attached.',
      };
    },
  );

  app.post(
    '/api/energy/flexibility',
    {
      schema: {
        tags: ['energy'],
        summary:
          'Normal vs peak-shift heating schedule of a building for a day: temperatures, power, figures',
        body: Type.Object({ buildingId: BuildingIdSchema, ...FlexibilityFields, ...OverrideFields }),
        response: { 200: FlexibilityResponse, 400: ProblemSchema, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => {
      const body = request.body;
      const building = await loadBuilding(body.buildingId);
      const day = await conditions(body.date);
      // A calibration in the request, else the building's stored one (in the caller's area), unless the
      // request asks for the estimate.
      const stored =
        body.calibration || body.estimate
          ? null
          : await getCalibration(db, await request.area(), building.id);
      const calibrated = body.calibration ?? (stored ? calibratedOverride(stored) : undefined);
      const overrides = {
        ...(body.capacityClass ? { capacityClass: body.capacityClass as keyof typeof CAPACITY_CLASSES } : {}),
        ...(calibrated ? { calibrated } : {}),
      };
      const f = buildingFlexibility(building, day, flexibilityOptions(body), overrides);
      const r = f.result;
      const sched = (s: typeof r.baseline) => ({
        airC: Array.from(s.airC),
        electricKw: Array.from(s.electricKw),
        heatKw: Array.from(s.heatKw),
        comfortHoursViolated: s.comfortHoursViolated,
        energyKwh: s.energyKwh,
        carbonKg: s.carbonKg,
      });
      return {
        buildingId: building.id,
        date: body.date,
        stepMinutes: day.stepS / 60,
        mode: body.mode ?? 'heating',
        times: times(day),
        outdoorC: Array.from(day.outdoorC.subarray(day.warmUpSteps)),
        intensityGPerKwh: Array.from(day.intensityGPerKwh),
        lowC: Array.from(r.lowC),
        highC: Array.from(r.highC),
        inWindow: Array.from(r.inWindow, Boolean),
        occupied: Array.from(r.occupied, Boolean),
        baseline: sched(r.baseline),
        shifted: sched(r.shifted),
        figures: {
          kwRemoved: r.kwRemoved,
          windowPeakKw: r.windowPeakKw,
          durationH: r.durationH,
          kwhShifted: r.kwhShifted,
          preheatKwh: r.preheatKwh,
          reboundKwh: r.reboundKwh,
          reboundPeakKw: r.reboundPeakKw,
          extraKwh: r.extraKwh,
          carbonDifferenceKg: r.carbonDifferenceKg,
        },
        floorAreaM2: f.description.floorAreaM2,
        assumptions: f.description.assumptions,
        calibration: calibrated
          ? { id: stored?.id ?? null, source: calibrated.source, rmseC: calibrated.rmseC }
          : null,
        credits: ENERGY_DATA.credits,
        notes: day.notes,
      };
    },
  );

  app.post(
    '/api/energy/portfolio',
    {
      schema: {
        tags: ['energy'],
        summary: 'Heat-battery flexibility of many buildings for a day: aggregate load and a ranked table',
        description: `Give \`buildingIds\`, or \`dataset\` with an optional \`filter\` (use classes, bbox); at most ${MAX_PORTFOLIO_BUILDINGS} buildings.`,
        body: PortfolioBody,
        response: { 200: PortfolioResponse, 400: ProblemSchema, 404: ProblemSchema, 503: ProblemSchema },
      },
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
    },
    async (request) => {
      const body = request.body;
      let buildings: EnergyBuilding[];
      let owned: { id: string; basis: string }[] | null = null;
      let ownershipNames: string[] = [];
      if (body.buildingIds) {
        buildings = await Promise.all(body.buildingIds.map(loadBuilding));
      } else if (body.dataset) {
        const ds = await getDataset(db, body.dataset);
        if (!ds) throw notFound(`no dataset "${body.dataset}"`);
        if (!ds.bbox)
          throw new HttpProblem(400, 'empty-dataset', `dataset "${body.dataset}" has no buildings`);
        let ids: string[] | undefined;
        if (body.filter?.councilOwned) {
          const names = body.filter.councilNames ?? councilNames;
          owned = [];
          for (const c of await ownershipCandidates(db, body.dataset)) {
            const o = councilOwnership(c.attributes, names);
            if (o.councilOwned) owned.push({ id: c.id, basis: o.basis as string });
          }
          ids = owned.map((o) => o.id);
          ownershipNames = names;
        }
        // The same records (tags included) as one building's route reads, so a building's figures agree.
        const rows: EnergyStockRow[] = await energyStockBuildings(db, body.dataset, {
          bbox: body.filter?.bbox as [number, number, number, number] | undefined,
          uses: body.filter?.use,
          limit: body.limit,
          ids,
        });
        buildings = rows.map((row) => energyBuilding(row, row.footprint));
      } else
        throw new HttpProblem(400, 'bad-request', 'give buildingIds, or a dataset (with an optional filter)');
      const day = await conditions(body.date);
      // Each building's stored calibration in the caller's area, unless the request asks for the estimate.
      const calibrations = body.estimate
        ? new Map<string, StoredCalibration>()
        : await currentCalibrations(
            db,
            await request.area(),
            buildings.map((b) => b.id),
          );
      const p = portfolioFlexibility(
        buildings.map((building) => {
          const c = calibrations.get(building.id);
          return c ? { building, overrides: { calibrated: calibratedOverride(c) } } : { building };
        }),
        day,
        flexibilityOptions(body),
      );
      return {
        date: body.date,
        stepMinutes: day.stepS / 60,
        mode: body.mode ?? 'heating',
        times: times(day),
        aggregate: {
          baselineKw: Array.from(p.aggregate.baselineKw),
          shiftedKw: Array.from(p.aggregate.shiftedKw),
          inWindow: Array.from(p.aggregate.inWindow, Boolean),
        },
        totals: { buildings: p.buildings.length, ...p.totals },
        ranked: p.buildings.map((row) => {
          const c = calibrations.get(row.id);
          return {
            ...row,
            model: c ? ('measured' as const) : ('estimated' as const),
            calibrationRmseC: c?.rmseC ?? null,
          };
        }),
        skipped: p.skipped,
        credits: ENERGY_DATA.credits,
        ...(owned
          ? {
              councilOwnership: {
                councilNames: ownershipNames,
                rule: 'council_owned from the asset register decides; else OSM owner, else operator, names the council; else the building is named as the council',
                buildings: owned.filter((o) => buildings.some((b) => b.id === o.id)),
              },
            }
          : {}),
        ...(body.grid
          ? {
              grid: await portfolioGridHeadroom(
                db,
                await request.area(),
                body.grid,
                p.loads,
                buildings,
                day.daySteps,
                body.maxRadiusM,
              ),
            }
          : {}),
      };
    },
  );
};

export default energyRoutes;

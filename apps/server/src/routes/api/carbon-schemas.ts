/**
 * TypeBox schemas of the carbon API: the JSON forms of @placetwin/carbon's inputs (lever sets, area inputs) and
 * results (inventory, trajectory, targets, budget). Series travel as arrays of numbers.
 */
import Type from 'typebox';

const YEAR = { minimum: 1990, maximum: 2100 };

export const BasisSchema = Type.Union(
  [Type.Literal('measured'), Type.Literal('modelled'), Type.Literal('assumed')],
  {
    description: 'How the number was obtained',
  },
);

const Share = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

export const YearPathSchema = Type.Array(
  Type.Object(
    { year: Type.Integer(YEAR), value: Share('Share 0–1 reached in that year') },
    { additionalProperties: false },
  ),
  {
    maxItems: 111,
    description:
      'Value by year, linear between points, flat after the last; ramps from the start value in the first year',
  },
);

export const GridPathSchema = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    source: Type.String({ maxLength: 2000 }),
    basis: BasisSchema,
    points: Type.Array(
      Type.Object(
        { year: Type.Integer(YEAR), kgCO2ePerKwh: Type.Number({ minimum: 0, maximum: 2 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 111 },
    ),
  },
  { additionalProperties: false, description: 'Grid generation factor by year, kgCO2e/kWh' },
);

export const LeverSetSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    domesticRetrofit: Type.Optional(
      Type.Object(
        { share: YearPathSchema, heatSaving: Share('Share of heating energy saved per retrofitted home') },
        { additionalProperties: false },
      ),
    ),
    nonDomesticRetrofit: Type.Optional(
      Type.Object(
        {
          share: YearPathSchema,
          heatSaving: Share('Heating saved'),
          electricitySaving: Share('Other electricity saved'),
        },
        { additionalProperties: false },
      ),
    ),
    heatPumps: Type.Optional(
      Type.Object(
        {
          domestic: Type.Optional(YearPathSchema),
          nonDomestic: Type.Optional(YearPathSchema),
          scop: Type.Number({ minimum: 1, maximum: 8, description: 'Seasonal COP, e.g. 2.8' }),
        },
        { additionalProperties: false },
      ),
    ),
    rooftopSolar: Type.Optional(
      Type.Object(
        {
          domestic: Type.Optional(YearPathSchema),
          nonDomestic: Type.Optional(YearPathSchema),
          selfConsumption: Type.Optional(Share('Share of generation used in the building (default 0.5)')),
          usableRoofShare: Type.Optional(Share('Share of roof plan area with panels (default 0.4)')),
          kwpPerM2: Type.Optional(
            Type.Number({ minimum: 0, maximum: 0.3, description: 'kWp per m² of panel (default 0.2)' }),
          ),
          yieldKwhPerKwp: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1500, description: 'kWh/kWp/yr (default 850)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    evShare: Type.Optional(Type.Object({ share: YearPathSchema }, { additionalProperties: false })),
    modalShift: Type.Optional(
      Type.Object(
        {
          share: YearPathSchema,
          toPublicTransport: Type.Optional(
            Share('Share of moved trips that go by public transport (default 0.5)'),
          ),
          carOccupancy: Type.Optional(
            Type.Number({ minimum: 1, maximum: 8, description: 'People per car (default 1.6)' }),
          ),
          publicTransportKey: Type.Optional(Type.String({ maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
    ),
    otherSectors: Type.Optional(Type.Object({ reduction: YearPathSchema }, { additionalProperties: false })),
    grid: Type.Optional(GridPathSchema),
  },
  { additionalProperties: false, title: 'LeverSet', description: 'Formulas: packages/carbon/README.md' },
);

const EnteredEmissionSchema = Type.Object(
  {
    label: Type.String({ maxLength: 200 }),
    tco2e: Type.Number({ minimum: 0, description: 'tCO2e/yr' }),
    basis: BasisSchema,
    source: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);

const TargetSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('reduction'),
      label: Type.String({ maxLength: 200 }),
      year: Type.Integer(YEAR),
      reduction: Share('Cut on the reference year, 0–1'),
      referenceYear: Type.Integer(YEAR),
      referenceTco2e: Type.Optional(Type.Number({ minimum: 0 })),
      source: Type.String({ maxLength: 2000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('absolute'),
      label: Type.String({ maxLength: 200 }),
      year: Type.Integer(YEAR),
      tco2e: Type.Number({ minimum: 0 }),
      source: Type.String({ maxLength: 2000 }),
    },
    { additionalProperties: false },
  ),
]);

export const AreaInputsSchema = Type.Object(
  {
    startYear: Type.Integer({ ...YEAR, description: 'Baseline year (2023: the DESNZ factors year)' }),
    transport: Type.Optional(
      Type.Object(
        {
          carVehicleKm: Type.Optional(
            Type.Object(
              {
                value: Type.Number({ minimum: 0 }),
                basis: BasisSchema,
                source: Type.String({ maxLength: 2000 }),
              },
              { additionalProperties: false },
            ),
          ),
          evShare: Type.Optional(Share('Share of car-km by battery electric cars in the start year')),
          carFactorKey: Type.Optional(Type.String({ maxLength: 100 })),
          publicTransport: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  key: Type.String({ maxLength: 100 }),
                  passengerKm: Type.Number({ minimum: 0 }),
                  basis: BasisSchema,
                  source: Type.String({ maxLength: 2000 }),
                },
                { additionalProperties: false },
              ),
              { maxItems: 50 },
            ),
          ),
          entered: Type.Optional(Type.Array(EnteredEmissionSchema, { maxItems: 50 })),
        },
        { additionalProperties: false },
      ),
    ),
    other: Type.Optional(Type.Array(EnteredEmissionSchema, { maxItems: 50 })),
    targets: Type.Optional(Type.Array(TargetSchema, { maxItems: 20 })),
    budget: Type.Optional(
      Type.Object(
        {
          tco2e: Type.Number({ minimum: 0 }),
          fromYear: Type.Integer(YEAR),
          toYear: Type.Integer(YEAR),
          source: Type.String({ maxLength: 2000 }),
          emittedBeforeStartTco2e: Type.Optional(Type.Number({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, title: 'CarbonAreaInputs' },
);

export const LeverSetNameSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  description: 'Lever set slug',
});

export const LeverSetRecordSchema = Type.Object(
  {
    dataset: Type.String(),
    name: Type.String(),
    title: Type.String(),
    levers: LeverSetSchema,
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  { title: 'LeverSetRecord' },
);

export const QuantitySchema = Type.Object({
  value: Type.Number(),
  unit: Type.String(),
  basis: BasisSchema,
  source: Type.Optional(Type.String()),
});

export const SeriesSchema = Type.Object({
  unit: Type.String(),
  basis: BasisSchema,
  values: Type.Array(Type.Union([Type.Number(), Type.Null()]), { description: 'One per year of `years`' }),
});

export const TrajectorySchema = Type.Object(
  {
    name: Type.String(),
    years: Type.Array(Type.Integer()),
    sectors: Type.Object({
      domestic: SeriesSchema,
      'non-domestic': SeriesSchema,
      transport: SeriesSchema,
      other: SeriesSchema,
    }),
    total: SeriesSchema,
    gridFactor: SeriesSchema,
    memo: Type.Object({
      electricityDemandKwh: SeriesSchema,
      heatPumpKwh: SeriesSchema,
      solarSelfUseKwh: SeriesSchema,
      solarExportKwh: SeriesSchema,
    }),
    assumptions: Type.Array(Type.Intersect([QuantitySchema, Type.Object({ name: Type.String() })])),
  },
  { title: 'CarbonTrajectory' },
);

const NullableQuantity = Type.Union([QuantitySchema, Type.Null()]);

export const CarbonResultSchema = Type.Object(
  {
    dataset: Type.String(),
    leverSet: Type.String(),
    inputsHash: Type.String({ description: 'sha256 of everything the result depends on' }),
    trajectory: TrajectorySchema,
    targets: Type.Array(
      Type.Object({
        label: Type.String(),
        year: Type.Integer(),
        source: Type.String(),
        allowed: NullableQuantity,
        projected: NullableQuantity,
        gap: NullableQuantity,
        met: Type.Union([Type.Boolean(), Type.Null()]),
        line: Type.Union([SeriesSchema, Type.Null()]),
        note: Type.Optional(Type.String()),
      }),
    ),
    budget: Type.Union([
      Type.Object({
        budget: QuantitySchema,
        cumulative: SeriesSchema,
        used: QuantitySchema,
        remaining: QuantitySchema,
        exceededIn: Type.Union([Type.Integer(), Type.Null()]),
        coversWholeBudget: Type.Boolean(),
      }),
      Type.Null(),
    ]),
    stock: Type.Object({
      buildings: Type.Integer({ description: 'Buildings of the dataset read (parts excluded)' }),
      withEnergy: Type.Integer(),
      counts: Type.Record(Type.String(), Type.Integer(), { description: 'Buildings by treatment' }),
      energyMethod: Type.String(),
    }),
  },
  { title: 'CarbonResult' },
);

const InventoryLineSchema = Type.Object({
  label: Type.String(),
  activity: NullableQuantity,
  factor: NullableQuantity,
  tco2e: QuantitySchema,
});

export const BaselineSchema = Type.Object(
  {
    dataset: Type.String(),
    year: Type.Integer(),
    sectors: Type.Array(
      Type.Object({
        sector: Type.String(),
        tco2e: QuantitySchema,
        method: Type.String(),
        lines: Type.Array(InventoryLineSchema),
      }),
    ),
    total: QuantitySchema,
    biogenicOutsideScopes: QuantitySchema,
    factors: Type.Object({ source: Type.String(), licence: Type.String(), attribution: Type.String() }),
    gridPath: Type.String(),
    stock: Type.Object({
      buildings: Type.Integer(),
      withEnergy: Type.Integer(),
      counts: Type.Record(Type.String(), Type.Integer()),
      energyMethod: Type.String(),
    }),
  },
  { title: 'CarbonBaseline' },
);

export const ComparisonSchema = Type.Object(
  {
    a: Type.String(),
    b: Type.String(),
    years: Type.Array(Type.Integer()),
    difference: Type.Object({
      domestic: SeriesSchema,
      'non-domestic': SeriesSchema,
      transport: SeriesSchema,
      other: SeriesSchema,
      total: SeriesSchema,
    }),
    cumulativeDifference: QuantitySchema,
  },
  { title: 'CarbonComparison', description: 'b − a (negative: b emits less)' },
);

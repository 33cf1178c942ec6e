/**
 * Calibration of a building's 5R1C model to a measured record (indoor temperature, outdoor temperature,
 * irradiance and heating input, as CSV: a BMS export or the Leprince et al. research layout; see
 * @placetwin/energy thermalRecordCsvImporter). The building's own estimated model is the prior; the fit is
 * day-ahead least squares (Levenberg–Marquardt, several starts), as in packages/energy/README.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type Db,
  deleteCalibrations,
  getBuilding,
  getCalibration,
  recordArea,
  type StoredCalibration,
  saveCalibration,
} from '@placetwin/db';
import {
  calibrateToRecord,
  describeBuilding,
  footprintMetrics,
  heatTransferCoefficient,
  measuredModel,
  RECORD_CALIBRATED_PARAMETERS,
  thermalModel,
  thermalRecordCsvImporter,
  timeConstantS,
} from '@placetwin/energy';
import type { GeoJsonGeometry, MultiPolygon2 } from '@placetwin/geo';
import Type, { type Static } from 'typebox';
import { HttpProblem, notFound } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

/**
 * The model a flexibility run plans with (POST /api/energy/flexibility `calibration.model`). A fit may drive a
 * conductance to zero (blg_1 leaves no ventilation path: the log-parameter underflows), which the network allows.
 */
export const MeasuredModelSchema = Type.Object(
  {
    hVeWPerK: Type.Number({ minimum: 0 }),
    hTrWWPerK: Type.Number({ minimum: 0 }),
    hTrIsWPerK: Type.Number({ exclusiveMinimum: 0 }),
    hTrMsWPerK: Type.Number({ exclusiveMinimum: 0 }),
    hTrEmWPerK: Type.Number({ minimum: 0 }),
    cmJPerK: Type.Number({ exclusiveMinimum: 0 }),
    solarApertureM2: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

const ParameterSchema = Type.Object({
  name: Type.String(),
  prior: Type.Number(),
  fitted: Type.Number(),
  unit: Type.String(),
});

/** A building's stored calibration (GET /api/energy/buildings/:id/calibration). */
export const StoredCalibrationSchema = Type.Object(
  {
    id: Type.Integer(),
    buildingId: Type.String(),
    rmseC: Type.Number({ description: 'Day-ahead RMSE of the fitted model (°C)' }),
    priorRmseC: Type.Number({ description: 'The same for the estimated model (°C)' }),
    model: MeasuredModelSchema,
    parameters: Type.Array(ParameterSchema),
    scaledToGeometry: Type.Boolean(),
    sourceFile: Type.String({ description: 'The measured record’s file name' }),
    readings: Type.Integer(),
    stepMinutes: Type.Number(),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.Union([Type.String(), Type.Null()], {
      description: 'Who ran it (staff of the area only; null for the public or an erased account)',
    }),
  },
  { title: 'StoredCalibration' },
);

const UNITS: Record<string, string> = {
  hVeWPerK: 'W/K',
  hTrMsWPerK: 'W/K',
  hTrEmWPerK: 'W/K',
  cmJPerK: 'J/K',
  solarApertureM2: 'm²',
};

function footprintOf(g: GeoJsonGeometry): MultiPolygon2 {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.map((poly) => poly.map((ring) => Float64Array.from(ring.flatMap((p) => [p[0], p[1]]))));
}

const calibrationRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  // Storing a calibration changes what every flexibility run of the building plans with: a planner's job, as
  // importing a grid network is.
  const planners = app.requireRole('planner', 'admin');
  const stored = async (
    c: StoredCalibration,
    isStaff: boolean,
  ): Promise<Static<typeof StoredCalibrationSchema>> => ({
    id: c.id,
    buildingId: c.buildingId,
    rmseC: c.rmseC,
    priorRmseC: c.priorRmseC,
    model: c.model,
    parameters: c.parameters,
    scaledToGeometry: c.scaledToGeometry,
    sourceFile: c.sourceFile,
    readings: c.readings,
    stepMinutes: c.stepMinutes,
    createdAt: c.createdAt,
    createdBy: isStaff ? c.createdBy : null,
  });
  const CalibrationParams = Type.Object({
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}:.+$', maxLength: 300 }),
  });

  app.get(
    '/api/energy/buildings/:id/calibration',
    {
      schema: {
        tags: ['energy'],
        summary: 'A building’s stored calibration (what its flexibility plans with), 404 when it has none',
        params: CalibrationParams,
        response: { 200: StoredCalibrationSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      const c = await getCalibration(db, await request.area(), id);
      if (!c) throw notFound(`building "${id}" has no stored calibration`);
      return stored(c, (await request.staff()) !== null);
    },
  );

  app.delete(
    '/api/energy/buildings/:id/calibration',
    {
      preHandler: planners,
      schema: {
        tags: ['energy'],
        summary: 'Forget a building’s calibration: its flexibility goes back to the estimated model',
        params: CalibrationParams,
        response: { 204: Type.Null(), 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await deleteCalibrations(db, await request.area(), id)))
        throw notFound(`building "${id}" has no stored calibration`);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/energy/calibration',
    {
      preHandler: planners,
      bodyLimit: 8 * 1024 * 1024,
      // Planners only, and a fit is seconds of CPU: 30 a minute stops a runaway client, not a planner.
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['energy'],
        summary:
          'Fit a building’s thermal model to a measured indoor temperature record (CSV): parameters and RMSE °C',
        body: Type.Object({
          buildingId: Type.String({ minLength: 3, maxLength: 300 }),
          csv: Type.String({
            minLength: 1,
            maxLength: 6_000_000,
            description: 'The measured record as CSV text',
          }),
          fileName: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: {
          200: Type.Object(
            {
              id: Type.Integer({
                description: 'The stored calibration (GET /api/energy/buildings/:id/calibration)',
              }),
              createdAt: Type.String({ format: 'date-time' }),
              buildingId: Type.String(),
              steps: Type.Integer(),
              stepMinutes: Type.Number(),
              startMs: Type.Number(),
              heatingUnit: Type.String(),
              rmseC: Type.Number({ description: 'Day-ahead RMSE of the fitted model (°C)' }),
              priorRmseC: Type.Number({
                description: 'The same for the estimated (uncalibrated) model (°C)',
              }),
              simulationRmseC: Type.Number(),
              oneStepRmseC: Type.Number(),
              htcWPerK: Type.Number(),
              timeConstantH: Type.Number(),
              priorHtcWPerK: Type.Number({ description: 'The estimated model’s heat transfer coefficient' }),
              priorTimeConstantH: Type.Number(),
              heatGain: Type.Number(),
              converged: Type.Boolean(),
              parameters: Type.Array(
                Type.Object({
                  name: Type.String(),
                  prior: Type.Number(),
                  fitted: Type.Number(),
                  unit: Type.String(),
                }),
              ),
              measuredC: Type.Array(Type.Number()),
              modelC: Type.Array(Type.Number()),
              notes: Type.Array(Type.String()),
              model: MeasuredModelSchema,
              scaledToGeometry: Type.Boolean({
                description:
                  'True when the heating column has no power unit: the fitted model is scaled to the geometry’s heat loss',
              }),
            },
            { title: 'Calibration' },
          ),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { buildingId, csv } = request.body;
      const fileName = request.body.fileName ?? 'record.csv';
      // The caller's area's buildings only: another area's is not found, like a missing one.
      const area = await request.area();
      const row =
        (await recordArea(db, 'building', buildingId)) === area ? await getBuilding(db, buildingId) : null;
      if (!row) throw notFound(`no building with id "${buildingId}"`);
      const prior = thermalModel(
        describeBuilding({
          id: row.id,
          name: row.name,
          use: row.use,
          attributes: row.attributes ?? {},
          footprintAreaM2: row.footprintAreaM2,
          perimeterM: footprintMetrics(footprintOf(row.footprint)).perimeterM,
          heightM: row.heightM,
          minHeightM: row.minHeightM,
          storeys: row.storeys,
        }),
      );
      const parsed = thermalRecordCsvImporter.parse(csv, { fileName });
      const { record } = parsed;
      const r = calibrateToRecord(prior, record, parsed.heatingUnit);
      const measured = measuredModel(prior, r, parsed.heatingUnit);
      const parameters = RECORD_CALIBRATED_PARAMETERS.map((name) => ({
        name,
        prior: prior[name],
        fitted: r.params[name],
        unit: UNITS[name],
      }));
      const staff = await request.staff();
      const saved = await saveCalibration(db, area, {
        buildingId,
        model: measured.model,
        parameters,
        rmseC: r.rmseC,
        priorRmseC: r.priorRmseC,
        scaledToGeometry: measured.scaledToGeometry,
        sourceFile: fileName,
        readings: record.indoorC.length,
        stepMinutes: record.stepS / 60,
        createdBy: staff?.id ?? null,
      });
      // The building was checked above; it can only be gone if deleted meanwhile.
      if (!saved) throw new HttpProblem(404, 'not-found', `no building with id "${buildingId}"`);
      return {
        id: saved.id,
        createdAt: saved.createdAt,
        buildingId,
        steps: record.indoorC.length,
        stepMinutes: record.stepS / 60,
        startMs: parsed.startMs,
        heatingUnit: parsed.heatingUnit,
        rmseC: r.rmseC,
        priorRmseC: r.priorRmseC,
        simulationRmseC: r.simulationRmseC,
        oneStepRmseC: r.oneStepRmseC,
        htcWPerK: r.htcWPerK,
        timeConstantH: r.timeConstantH,
        priorHtcWPerK: heatTransferCoefficient(prior),
        priorTimeConstantH: timeConstantS(prior) / 3600,
        heatGain: r.heatGain,
        converged: r.converged,
        parameters,
        measuredC: Array.from(record.indoorC),
        modelC: Array.from(r.simulatedC),
        notes: parsed.meta.notes,
        model: measured.model,
        scaledToGeometry: measured.scaledToGeometry,
      };
    },
  );
};

export default calibrationRoutes;

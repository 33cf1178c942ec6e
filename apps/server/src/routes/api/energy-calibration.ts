/**
 * Calibration of a building's 5R1C model to a measured record (indoor temperature, outdoor temperature,
 * irradiance and heating input, as CSV: a BMS export or the Leprince et al. research layout; see
 * @placetwin/energy thermalRecordCsvImporter). The building's own estimated model is the prior; the fit is
 * day-ahead least squares (Levenberg–Marquardt, several starts), as in packages/energy/README.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Db, getBuilding } from '@placetwin/db';
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
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
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

function footprintOf(g: GeoJsonGeometry): MultiPolygon2 {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.map((poly) => poly.map((ring) => Float64Array.from(ring.flatMap((p) => [p[0], p[1]]))));
}

const calibrationRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  app.post(
    '/api/energy/calibration',
    {
      bodyLimit: 8 * 1024 * 1024,
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
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
          404: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { buildingId, csv } = request.body;
      const fileName = request.body.fileName ?? 'record.csv';
      const row = await getBuilding(db, buildingId);
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
      const units: Record<string, string> = {
        hVeWPerK: 'W/K',
        hTrMsWPerK: 'W/K',
        hTrEmWPerK: 'W/K',
        cmJPerK: 'J/K',
        solarApertureM2: 'm²',
      };
      return {
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
        parameters: RECORD_CALIBRATED_PARAMETERS.map((name) => ({
          name,
          prior: prior[name],
          fitted: r.params[name],
          unit: units[name],
        })),
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

/**
 * Calibration of a building's 5R1C model to a measured record (indoor temperature, outdoor temperature,
 * irradiance and heating input, as CSV: a BMS export or the Leprince et al. research layout; see
 * @placetwin/energy thermalRecordCsvImporter). The building's own estimated model is the prior; the fit is
 * day-ahead least squares (Levenberg–Marquardt, several starts), as in packages/energy/README.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Db, getBuilding } from '@placetwin/db';
import {
  type CalibratedParameter,
  calibrate,
  describeBuilding,
  footprintMetrics,
  thermalModel,
  thermalRecordCsvImporter,
} from '@placetwin/energy';
import type { GeoJsonGeometry, MultiPolygon2 } from '@placetwin/geo';
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';

const PARAMS = [
  'hVeWPerK',
  'hTrMsWPerK',
  'hTrEmWPerK',
  'cmJPerK',
  'solarApertureM2',
] as CalibratedParameter[];

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
      const day = Math.round(86_400 / record.stepS);
      // A heating signal of unknown unit: fit its gain (W per unit) too, from several starts.
      const signal = parsed.heatingUnit === 'signal';
      const r = calibrate(prior, record, {
        fit: signal ? [...PARAMS, 'heatGain'] : PARAMS,
        heatGain: signal ? 100 : 1,
        skipSteps: Math.min(day, Math.floor(record.indoorC.length / 4)),
        horizonSteps: day,
        maxIterations: 40,
        starts: signal ? [{}, { heatGain: 0.1 }, { heatGain: 10 }, { cmJPerK: 10 }] : [{}, { cmJPerK: 10 }],
      });
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
        heatGain: r.heatGain,
        converged: r.converged,
        parameters: PARAMS.map((name) => ({
          name,
          prior: prior[name as keyof typeof prior] as number,
          fitted: r.params[name as keyof typeof r.params] as number,
          unit: units[name],
        })),
        measuredC: Array.from(record.indoorC),
        modelC: Array.from(r.simulatedC),
        notes: parsed.meta.notes,
      };
    },
  );
};

export default calibrationRoutes;

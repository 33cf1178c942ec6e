import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Db, getDataset, type UprnIndicatorRow, uprnIndicators } from '@placetwin/db';
import Type from 'typebox';
import { notFound } from '../../plugins/app/problems';
import { DatasetNameSchema, ProblemSchema } from '../schemas';

export interface UprnRoutesOptions {
  db: Db;
}

export const UPRN_CSV_HEADER =
  'uprn,building_id,link_source,use,height_m,height_source,storeys,footprint_area_m2,floor_area_m2,floor_area_basis';

const cell = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One line per UPRN link: the UPRN, its building and the building's basic indicators (areas to 0.1 m²). */
export const uprnIndicatorsCsv = (rows: UprnIndicatorRow[]): string =>
  `${UPRN_CSV_HEADER}\n${rows
    .map((r) =>
      [
        r.uprn,
        r.buildingId,
        r.source,
        r.use,
        Math.round(r.heightM * 100) / 100,
        r.heightSource,
        r.storeys,
        Math.round(r.footprintAreaM2 * 10) / 10,
        Math.round(r.floorAreaM2 * 10) / 10,
        r.floorAreaBasis,
      ]
        .map(cell)
        .join(','),
    )
    .map((l) => `${l}\n`)
    .join('')}`;

const uprnRoutes: FastifyPluginAsyncTypebox<UprnRoutesOptions> = async (app, { db }) => {
  app.get(
    '/api/datasets/:name/uprns.csv',
    {
      schema: {
        tags: ['buildings'],
        summary: "Every UPRN linked to the dataset's buildings, with the building's indicators, as CSV",
        description: `Columns: ${UPRN_CSV_HEADER}. Floor area is footprint × storeys (storeys from the height at 3 m a storey when not known: floor_area_basis = height).`,
        params: Type.Object({ name: DatasetNameSchema }),
        response: { 200: Type.String({ description: 'text/csv' }), 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      if (!(await getDataset(db, name))) throw notFound(`no dataset "${name}"`);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}-uprns.csv"`)
        .send(uprnIndicatorsCsv(await uprnIndicators(db, name)));
    },
  );
};

export default uprnRoutes;

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type DatasetSummary, type Db, getDataset, listDatasets } from '@placetwin/db';
import Type, { type Static } from 'typebox';
import { notFound } from '../../plugins/app/problems';
import { DatasetNameSchema, DatasetSchema, ProblemSchema } from '../schemas';

export interface DatasetRoutesOptions {
  db: Db;
  tilesetsDir: string;
}

const CreditSchema = Type.Object({
  text: Type.String({ description: 'Show verbatim, e.g. "© OpenStreetMap contributors"' }),
  licence: Type.String(),
  datasets: Type.Array(Type.String(), { description: 'Datasets this credit covers' }),
});

const datasetRoutes: FastifyPluginAsyncTypebox<DatasetRoutesOptions> = async (app, { db, tilesetsDir }) => {
  /**
   * A tileset is offered only when this server can serve it: the database may say a dataset was tiled into
   * another tilesets folder (another machine, another PLACETWIN_DATA_DIR).
   */
  const toApi = (d: DatasetSummary): Static<typeof DatasetSchema> => ({
    id: d.id,
    name: d.name,
    title: d.title,
    buildingCount: d.buildingCount,
    attribution: d.attribution,
    licence: d.licence,
    source: d.source,
    vintage: d.vintage,
    bbox: d.bbox,
    tilesetUrl: d.tilesetUrl && existsSync(join(tilesetsDir, d.name, 'tileset.json')) ? d.tilesetUrl : null,
  });

  app.get(
    '/api/datasets',
    {
      schema: {
        tags: ['datasets'],
        summary: 'Every loaded dataset with its extent, building count, credits and 3D Tiles URL',
        response: { 200: Type.Array(DatasetSchema) },
      },
    },
    async (request) => (await listDatasets(db, await request.area())).map(toApi),
  );

  app.get(
    '/api/datasets/:name',
    {
      schema: {
        tags: ['datasets'],
        summary: 'One dataset',
        params: Type.Object({ name: DatasetNameSchema }),
        response: { 200: DatasetSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const d = await getDataset(db, request.params.name);
      if (!d) throw notFound(`no dataset named "${request.params.name}"`);
      return toApi(d);
    },
  );

  app.get(
    '/api/attribution',
    {
      schema: {
        tags: ['datasets'],
        summary:
          'The credits to show wherever the data is shown (map, reports), one per distinct attribution',
        response: { 200: Type.Object({ credits: Type.Array(CreditSchema) }) },
      },
    },
    async (request) => {
      const byText = new Map<string, Static<typeof CreditSchema>>();
      for (const d of await listDatasets(db, await request.area())) {
        const text = d.attribution.trim();
        if (!text) continue;
        const credit = byText.get(text) ?? { text, licence: d.licence, datasets: [] };
        credit.datasets.push(d.name);
        byText.set(text, credit);
      }
      return { credits: [...byText.values()] };
    },
  );
};

export default datasetRoutes;

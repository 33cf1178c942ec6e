/**
 * `POST /api/imports`: a planner or admin uploads a file (the request body, as it is, with `?fileName=`), which
 * is imported into a dataset of their own area as a job on the queue (`placetwin-import-api`), worked by the API
 * server itself: the file is kept in its data folder, which `placetwin worker` processes elsewhere may not see.
 * The format is detected as `placetwin import` does (the file's leading bytes and its name): an empty file or an
 * unknown format is refused (400) before anything is queued. Staff follow the job in `GET /api/jobs`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  datasetNameFromFile,
  enqueueImport,
  failOnceOnBadInput,
  type ImportJob,
  QUEUES,
  runImportJob,
  tileStoreConfig,
} from '@placetwin/cli';
import type { Db } from '@placetwin/db';
import { importerFor } from '@placetwin/importers';
import Type from 'typebox';
import { HttpProblem } from '../../plugins/app/problems';
import type { ServerQueue } from '../../server-queue';
import { ProblemSchema } from '../schemas';

export interface ImportRoutesOptions {
  db: Db;
  queue: ServerQueue;
  /** Uploads are kept under `<dataDir>/uploads` until imported. */
  dataDir: string;
  /** Where tilesets are built (an imported dataset is tiled with `placetwin tile`). */
  tilesetsDir: string;
  /** The largest upload, bytes (PLACETWIN_UPLOAD_MAX_MB; default 200 MB). */
  maxBytes?: number;
}

export const DEFAULT_UPLOAD_MAX_BYTES = 200 * 2 ** 20;

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$/;
const DATASET = '^[a-z0-9][a-z0-9-]{0,62}$';

const importRoutes: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (app, options) => {
  const { db, queue } = options;
  const maxBytes = options.maxBytes ?? uploadLimit();
  const uploads = join(options.dataDir, 'uploads');
  const operators = app.requireRole('admin', 'planner');

  // In this plugin only: every body is the file's bytes, whatever its type says (GeoJSON is not parsed here).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) =>
    done(null, body),
  );

  queue.onStart(async (boss) => {
    const ctx = {
      db,
      boss,
      tiles: tileStoreConfig(options.tilesetsDir),
      schema: queue.schema,
      log: (m: string) => app.log.info(m),
    };
    await boss.work<ImportJob>(
      QUEUES.importApi,
      { batchSize: 1, pollingIntervalSeconds: 0.5 },
      failOnceOnBadInput(ctx, QUEUES.importApi, async (job) => {
        const out = await runImportJob(ctx, job.id, job.data, QUEUES.importApi);
        // Imported: the upload is no longer needed (a failed one stays, for Retry).
        await rm(job.data.file, { force: true });
        return out;
      }),
    );
  });
  app.addHook('onClose', async () => queue.stop());

  app.post(
    '/api/imports',
    {
      preHandler: operators,
      schema: {
        tags: ['jobs'],
        summary: 'Import a file into a dataset of the caller’s area, as a job (planners, admins)',
        description: `The request body is the file itself (any content type; up to ${Math.round(maxBytes / 2 ** 20)} MB), its name in \`fileName\`. The format is detected as \`placetwin import\` does: OSM PBF or XML, CityJSON, CityGML, GeoJSON. Answers 202 with the job (follow it in GET /api/jobs); an empty file or an unknown format is 400 and nothing is queued. A file whose features are invalid fails its job once (not retried), naming the feature.`,
        querystring: Type.Object({
          fileName: Type.String({
            pattern: FILE_NAME.source,
            description: 'The file’s name, with its extension (e.g. oakham.geojson)',
          }),
          dataset: Type.Optional(
            Type.String({ pattern: DATASET, description: 'Dataset name (default: from the file name)' }),
          ),
          skipInvalid: Type.Optional(
            Type.Boolean({ description: 'skip invalid features instead of failing the import' }),
          ),
        }),
        response: {
          202: Type.Object({
            id: Type.String({ description: 'The job’s id' }),
            dataset: Type.String(),
            format: Type.String(),
            bytes: Type.Integer(),
            links: Type.Object({ jobs: Type.String() }),
          }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          413: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as Buffer | undefined;
      const { fileName } = request.query;
      if (!body || body.byteLength === 0)
        throw new HttpProblem(400, 'empty-file', `${fileName} is empty: there is nothing to import`);
      let format: string;
      try {
        format = importerFor(body, fileName).name;
      } catch (e) {
        throw new HttpProblem(400, 'unsupported-format', `${fileName}: ${(e as Error).message}`);
      }
      const dataset = request.query.dataset ?? datasetNameFromFile(fileName);
      // The areas plugin makes another area's dataset a name no record has (a space): names are install-wide.
      if (request.query.dataset !== undefined && !new RegExp(DATASET).test(dataset))
        throw new HttpProblem(
          400,
          'dataset-name-taken',
          'that dataset name is taken (by another council area): give ?dataset= another name',
        );
      if (!new RegExp(DATASET).test(dataset))
        throw new HttpProblem(
          400,
          'invalid-dataset-name',
          `"${dataset}" (from the file name) is not a dataset name: give ?dataset= (lower-case letters, digits, hyphens)`,
        );
      const boss = await queue.start();
      await mkdir(uploads, { recursive: true });
      const file = join(uploads, `${randomUUID()}-${fileName.replace(/ /g, '_')}`);
      await writeFile(file, body);
      try {
        const id = await enqueueImport(
          db,
          boss,
          {
            file,
            dataset,
            areaId: await request.area(),
            skipInvalid: request.query.skipInvalid ?? false,
            meta: { source: fileName },
          },
          QUEUES.importApi,
        );
        return reply
          .code(202)
          .send({ id, dataset, format, bytes: body.byteLength, links: { jobs: '/api/jobs' } });
      } catch (e) {
        await rm(file, { force: true });
        throw e;
      }
    },
  );
};

/** PLACETWIN_UPLOAD_MAX_MB, or the default. */
function uploadLimit(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.PLACETWIN_UPLOAD_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.round(mb * 2 ** 20) : DEFAULT_UPLOAD_MAX_BYTES;
}

export default importRoutes;

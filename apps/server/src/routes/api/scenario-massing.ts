/**
 * `POST /api/scenarios/:id/massing`: an architect's massing file (CityJSON, or glTF binary) as the body, its
 * buildings added to the scenario as `add` changes in one transaction. The file is read by @placetwin/importers
 * (the same CityJSON importer as dataset imports; glTF through glTF-Transform), placed at the site
 * (@placetwin/scenario massing.ts says how), and appended with the same checks as `POST …/changes`. A bad file
 * is a 4xx problem naming the file, the feature and the reason, and nothing is written.
 */
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ensureScenarioOverlay } from '@placetwin/cli';
import { appendChanges, type Db, getScenario, listChanges, ScenarioNotFoundError } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { cityJsonMassing, glbMassing, USE_CLASSES, type UseClass } from '@placetwin/importers';
import {
  type ChangeIssue,
  type GeoBlock,
  massingChanges,
  moveBlocks,
  placeLocalBlocks,
  ScenarioValidationError,
} from '@placetwin/scenario';
import Type from 'typebox';
import { HttpProblem } from '../../plugins/app/problems';
import { ProblemSchema } from '../schemas';
import { ConflictProblemSchema, EditResultSchema, ScenarioIdParams } from './scenario-schemas';
import { scenarioErrorHandler } from './scenarios';

export interface ScenarioMassingRoutesOptions {
  db: Db;
  tilesetsDir: string;
}

/** The largest massing file taken (an architect's blocks, not a detailed model). */
export const MAX_MASSING_BYTES = 20 * 1024 * 1024;

export type MassingFormat = 'cityjson' | 'glb';

/** CityJSON or GLB, from the magic bytes first, then the name. */
export function massingFormat(bytes: Uint8Array, fileName: string): MassingFormat | null {
  const head = new TextDecoder().decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (head.startsWith('glTF')) return 'glb';
  if (/^\s*\{/.test(head) && /"type"\s*:\s*"CityJSON"/.test(head)) return 'cityjson';
  if (/\.glb$/i.test(fileName)) return 'glb';
  if (/\.city\.jsonl?$/i.test(fileName)) return 'cityjson';
  return null;
}

const MassingQuery = Type.Object({
  expectedVersion: Type.Integer({ minimum: 1, description: 'The scenario version the import is made on' }),
  fileName: Type.String({ minLength: 1, maxLength: 200, description: 'The file’s name, for messages' }),
  use: Type.Unsafe<UseClass>({
    type: 'string',
    enum: [...USE_CLASSES],
    default: 'residential',
    description: 'Use class of every imported building',
  }),
  originLon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  originLat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  rotationDeg: Type.Optional(
    Type.Number({
      minimum: -360,
      maximum: 360,
      description:
        'Turns the whole model clockwise seen from above by this many degrees about its origin (glTF: the file’s (0, 0, 0) at the site; CityJSON: the centre of its buildings)',
    }),
  ),
});

const MassingResult = Type.Object(
  {
    ...EditResultSchema.properties,
    format: Type.Union([Type.Literal('cityjson'), Type.Literal('glb')]),
    placement: Type.String({ description: 'How the file was placed at the site' }),
    buildings: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), heightM: Type.Number() })),
  },
  { title: 'MassingImport' },
);

const scenarioMassingRoutes: FastifyPluginAsyncTypebox<ScenarioMassingRoutesOptions> = async (
  plugin,
  { db, tilesetsDir },
) => {
  const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
  const planners = app.requireRole('planner', 'admin');
  app.setErrorHandler(scenarioErrorHandler);
  // The body is the file itself, whatever it says it is.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_MASSING_BYTES }, (_r, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/scenarios/:id/massing',
    {
      preHandler: planners,
      bodyLimit: MAX_MASSING_BYTES,
      schema: {
        tags: ['scenarios'],
        summary: 'Import a massing file (CityJSON or glTF binary) as added buildings, in one transaction',
        description:
          'The body is the file (any content type). CityJSON: each Building’s footprint and height (highest − lowest vertex), read by the CityJSON importer; it stays where its CRS puts it, or with `originLon`/`originLat` is moved (not rotated) so the centre of its bounding box is there. GLB: glTF has no georeference, so its origin (0,0,0) is placed at `originLon`/`originLat` (default: the centre of the scenario’s site), +X east, −Z north, Y up, metres; each top-level node is a building, its footprint the convex hull of its vertices on the ground and its height highest − lowest vertex. Any problem (file, feature, reason) rejects the whole file.',
        params: ScenarioIdParams,
        querystring: MassingQuery,
        response: {
          200: MassingResult,
          400: ProblemSchema,
          404: ProblemSchema,
          409: ConflictProblemSchema,
          413: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { fileName, expectedVersion, use, originLon, originLat, rotationDeg } = request.query;
      const bytes = new Uint8Array(request.body as Buffer);
      const scenario = await getScenario(db, id);
      if (!scenario) throw new ScenarioNotFoundError(id);
      if ((originLon === undefined) !== (originLat === undefined))
        throw new HttpProblem(400, 'bad-request', 'give both originLon and originLat, or neither');
      let origin: [number, number] | null = originLon !== undefined ? [originLon, originLat!] : null;
      const format = massingFormat(bytes, fileName);
      if (!format)
        throw new DataError(
          'unsupported-format',
          'is neither CityJSON (a JSON object with "type": "CityJSON") nor glTF binary (.glb)',
          { file: fileName },
        );
      let blocks: GeoBlock[];
      let placement: string;
      if (format === 'cityjson') {
        blocks = await cityJsonMassing(bytes, fileName);
        if (origin) {
          blocks = moveBlocks(blocks, origin);
          placement = `moved (not rotated) so the centre of its buildings is at ${origin[0]}, ${origin[1]}`;
        } else placement = 'where its coordinate reference system puts it';
      } else {
        const site = scenario.site;
        if (!origin && site) {
          const ring = (site.type === 'Polygon' ? site.coordinates[0] : site.coordinates[0][0]) ?? [];
          const xs = ring.map((p) => p[0]);
          const ys = ring.map((p) => p[1]);
          origin = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
        }
        if (!origin)
          throw new DataError(
            'missing-georeference',
            'glTF has no georeference: give the site origin (originLon, originLat) for the file’s (0, 0, 0), or draw the scenario’s site first',
            { file: fileName },
          );
        blocks = placeLocalBlocks(await glbMassing(bytes, fileName), origin);
        placement = `the file’s origin (0, 0, 0) at ${origin[0].toFixed(6)}, ${origin[1].toFixed(6)}; +X east, −Z north`;
      }
      const taken = new Set((await listChanges(db, id, { history: true })).map((c) => c.change.id));
      // glTF turns about the file's origin; CityJSON about the centre of its buildings (massingChanges' default).
      const changes = massingChanges(blocks, {
        use,
        taken,
        fileName,
        ...(rotationDeg
          ? { rotationDeg, ...(format === 'glb' && origin ? { rotateAbout: origin } : {}) }
          : {}),
      });
      if (rotationDeg) placement += `; turned ${rotationDeg}° clockwise`;
      let r: Awaited<ReturnType<typeof appendChanges>>;
      try {
        r = await appendChanges(db, id, expectedVersion, changes);
      } catch (e) {
        // Say which building of the file each problem is about (its CityJSON id or glTF node name).
        if (e instanceof ScenarioValidationError) {
          throw new ScenarioValidationError(
            e.issues.map(
              (i): ChangeIssue => ({
                ...i,
                reason: `${i.reason} (${fileName}, feature ${blocks[i.change]?.name ?? '?'})`,
              }),
            ),
          );
        }
        throw e;
      }
      try {
        await ensureScenarioOverlay(db, id, tilesetsDir);
      } catch (e) {
        request.log.error({ err: e, scenario: id }, 'overlay tiling failed');
      }
      const now = await getScenario(db, id);
      return {
        scenario: now!,
        seqs: r.seqs,
        format,
        placement,
        buildings: changes.map((c) => ({ id: c.id, name: c.name ?? c.id, heightM: c.heightM ?? 0 })),
      };
    },
  );
};

export default scenarioMassingRoutes;

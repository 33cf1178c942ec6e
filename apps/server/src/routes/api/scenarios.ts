/**
 * `/api/scenarios`: scenarios (baseline + ordered change set) with optimistic concurrency, history, undo/redo,
 * publishing, overlay tiles and indicators. Every edit sends the `expectedVersion` it was made on; a stale one is
 * a 409 problem with `currentVersion`. Every answer carries the scenario's `status`: public callers (the
 * consultation site) must only ever be shown `published` ones (`?status=published`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ensureScenarioOverlay, removeScenarioOverlay } from '@placetwin/cli';
import {
  appendChanges,
  compareScenarios,
  createScenario,
  type Db,
  deleteScenario,
  getBuilding,
  getDataset,
  getScenario,
  listChanges,
  listScenarios,
  redoChange,
  ScenarioConflictError,
  ScenarioNotFoundError,
  type ScenarioRecord,
  ScenarioStateError,
  scenarioIndicators,
  scenarioOverlayInput,
  setScenarioStatus,
  undoChange,
  updateScenario,
} from '@placetwin/db';
import {
  apply,
  type Change,
  checkChangeShape,
  footprintAreaM2,
  footprintToGeoJson,
  ScenarioValidationError,
} from '@placetwin/scenario';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { sendProblem } from '../../plugins/app/problem-handler';
import { notFound, type Problem, toProblem } from '../../plugins/app/problems';
import { scenarioAccess } from '../../plugins/app/scenario-access';
import { BuildingSchema, DatasetNameSchema, ProblemSchema } from '../schemas';
import {
  AppendChangesBody,
  ChangesResponseSchema,
  CompareQuery,
  ComparisonSchema,
  ConflictProblemSchema,
  EditResultSchema,
  NewScenarioBody,
  OverlayResponseSchema,
  ScenarioBuildingsSchema,
  ScenarioIdParams,
  ScenarioIndicatorsSchema,
  ScenarioSchema,
  StatusSchema,
  UpdateScenarioBody,
  VersionBody,
  VersionQuery,
} from './scenario-schemas';

export interface ScenarioRoutesOptions {
  db: Db;
  /** Where overlay tilesets are written (`<dataset>/scenarios/<id>/`) and served from (/tilesets/). */
  tilesetsDir: string;
}

const tags = ['scenarios'];
const editErrors = { 400: ProblemSchema, 404: ProblemSchema, 409: ConflictProblemSchema };

/** A Cesium 3D Tiles style `show` expression hiding these feature ids (`${id}` is the tiles' id property). */
export function hideStyleExpression(ids: readonly string[]): string {
  if (ids.length === 0) return 'true';
  const quote = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  return ids.map((id) => `\${id} !== ${quote(id)}`).join(' && ');
}

/** The scenario errors as problem bodies: 404 unknown, 409 stale version or state, 400 invalid changes. */
export function scenarioProblem(error: unknown, request: FastifyRequest): Problem | null {
  const ctx = { url: request.url, requestId: String(request.id) };
  if (error instanceof ScenarioNotFoundError)
    return { ...toProblem(error, ctx), status: 404, title: 'Not Found' };
  if (error instanceof ScenarioConflictError) {
    return {
      ...toProblem(error, ctx),
      status: 409,
      title: 'Conflict',
      currentVersion: error.currentVersion,
    } as Problem;
  }
  if (error instanceof ScenarioStateError)
    return { ...toProblem(error, ctx), status: 409, title: 'Conflict' };
  if (error instanceof ScenarioValidationError) {
    return {
      ...toProblem(error, ctx),
      errors: error.issues.map((i) => ({
        in: 'body',
        field: i.change >= 0 ? `changes[${i.change}].${i.field}` : i.field,
        reason: i.reason,
      })),
    };
  }
  return null;
}

/**
 * The error handler of every scenario route plugin (scenarios, massing, energy, carbon): scenario errors answered
 * as their problems; anything else rethrown to the app's problem handler.
 */
export async function scenarioErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const problem = scenarioProblem(error, request);
  if (!problem) throw error;
  request.log.info({ problem: problem.type, detail: problem.detail }, 'request rejected');
  return sendProblem(reply, problem);
}

const scenarioRoutes: FastifyPluginAsyncTypebox<ScenarioRoutesOptions> = async (app, { db, tilesetsDir }) => {
  // Writes: planners and admins (with the session's CSRF token). Reads: the public sees published scenarios only.
  const planners = app.requireRole('planner', 'admin');
  const access = scenarioAccess(db);
  // Scoped to these routes; anything else is rethrown to the app's problem handler.
  app.setErrorHandler(scenarioErrorHandler);

  const found = async (id: number): Promise<ScenarioRecord> => {
    const s = await getScenario(db, id);
    if (!s) throw new ScenarioNotFoundError(id);
    return s;
  };

  /** After an edit of the change set: re-tile the overlay (a failure leaves it stale; GET …/overlay retries). */
  const afterEdit = async (request: FastifyRequest, r: { scenario: ScenarioRecord; seqs: number[] }) => {
    try {
      await ensureScenarioOverlay(db, r.scenario.id, tilesetsDir);
    } catch (e) {
      request.log.error({ err: e, scenario: r.scenario.id }, 'overlay tiling failed');
    }
    return { scenario: await found(r.scenario.id), seqs: r.seqs };
  };

  app.get(
    '/api/scenarios',
    {
      preHandler: access.publicListsPublished,
      schema: {
        tags,
        summary: 'Scenarios, most recently edited first; filter by dataset and status',
        description: 'Public callers must ask for `status=published` only: drafts are for planners.',
        querystring: Type.Object({
          dataset: Type.Optional(DatasetNameSchema),
          status: Type.Optional(StatusSchema),
        }),
        response: { 200: Type.Array(ScenarioSchema) },
      },
    },
    async (request) => listScenarios(db, { ...request.query, areaId: await request.area() }),
  );

  app.post(
    '/api/scenarios',
    {
      preHandler: planners,
      schema: {
        tags,
        summary: 'Create a draft scenario over a dataset (version 1, no changes)',
        body: NewScenarioBody,
        response: { 201: ScenarioSchema, 400: ProblemSchema, 409: ConflictProblemSchema },
      },
    },
    async (request, reply) => {
      const s = await createScenario(db, { ...request.body, areaId: await request.area() });
      return reply.code(201).send(s);
    },
  );

  app.get(
    '/api/scenarios/compare',
    {
      preHandler: access.publicComparesPublished,
      schema: {
        tags,
        summary: 'Indicators of two scenarios, or the baseline and a scenario, side by side, with b − a',
        description:
          'Both are measured over one study area: a’s site, else b’s, else the dataset extent. `diff` lists the buildings that differ.',
        querystring: CompareQuery,
        response: { 200: ComparisonSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const side = (v: string) => (v === 'baseline' ? 'baseline' : Number(v));
      return compareScenarios(db, side(request.query.a), side(request.query.b));
    },
  );

  app.get(
    '/api/scenarios/:id',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags,
        summary: 'One scenario',
        params: ScenarioIdParams,
        response: { 200: ScenarioSchema, 404: ProblemSchema },
      },
    },
    async (request) => found(request.params.id),
  );

  app.patch(
    '/api/scenarios/:id',
    {
      preHandler: planners,
      schema: {
        tags,
        summary: 'Rename, describe, or set the site (red line) of a scenario',
        params: ScenarioIdParams,
        body: UpdateScenarioBody,
        response: { 200: ScenarioSchema, ...editErrors },
      },
    },
    async (request) => {
      const { expectedVersion, ...update } = request.body;
      return updateScenario(db, request.params.id, expectedVersion, update);
    },
  );

  app.delete(
    '/api/scenarios/:id',
    {
      preHandler: planners,
      schema: {
        tags,
        summary: 'Delete a scenario, its history and its overlay tiles',
        params: ScenarioIdParams,
        querystring: VersionQuery,
        response: {
          204: Type.Null({ description: 'Deleted' }),
          404: ProblemSchema,
          409: ConflictProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const s = await deleteScenario(db, request.params.id, request.query.expectedVersion);
      await removeScenarioOverlay(tilesetsDir, s.dataset, s.id);
      return reply.code(204).send(null);
    },
  );

  for (const [path, status, summary] of [
    ['publish', 'published', 'Publish a draft: from now on the consultation site may show it'],
    ['unpublish', 'draft', 'Take a published scenario back to draft (to edit it)'],
  ] as const) {
    app.post(
      `/api/scenarios/:id/${path}`,
      {
        preHandler: planners,
        schema: {
          tags,
          summary,
          params: ScenarioIdParams,
          body: VersionBody,
          response: { 200: ScenarioSchema, ...editErrors },
        },
      },
      async (request) => setScenarioStatus(db, request.params.id, request.body.expectedVersion, status),
    );
  }

  app.get(
    '/api/scenarios/:id/changes',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags,
        summary: 'The change set in order; with history=true also undone and discarded changes',
        params: ScenarioIdParams,
        querystring: Type.Object({ history: Type.Boolean({ default: false }) }),
        response: { 200: ChangesResponseSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const s = await found(request.params.id);
      const changes = await listChanges(db, s.id, { history: request.query.history });
      return { scenarioId: s.id, status: s.status, version: s.version, changes };
    },
  );

  app.post(
    '/api/scenarios/:id/changes',
    {
      preHandler: planners,
      schema: {
        tags,
        summary: 'Append changes (one transaction; one undo step each) and re-tile the overlay',
        description:
          'Each change is checked against the baseline and the changes before it: footprints valid and inside the dataset, not over a retained building, heights 0–1000 m, storeys 1–300 and at least 2 m each, a known use. Any invalid change rejects the whole request (400, `errors` lists each change and field with what to fix).',
        params: ScenarioIdParams,
        body: AppendChangesBody,
        response: { 200: EditResultSchema, ...editErrors },
      },
      attachValidation: true,
    },
    async (request) => {
      if (request.validationError) {
        // The schema's errors for a union of change kinds are vague; our own checks name the field and the fix.
        const body = request.body as { changes?: unknown } | undefined;
        const onlyChanges = request.validationError.validation.every(
          (v: { instancePath?: string }) => v.instancePath?.startsWith('/changes/') ?? false,
        );
        if (onlyChanges && Array.isArray(body?.changes)) {
          const issues = body.changes.flatMap((c, i) => checkChangeShape(c, i).issues);
          if (issues.length > 0) throw new ScenarioValidationError(issues);
        }
        throw request.validationError;
      }
      const r = await appendChanges(
        db,
        request.params.id,
        request.body.expectedVersion,
        request.body.changes as Change[],
      );
      return afterEdit(request, r);
    },
  );

  for (const [path, edit, summary] of [
    ['undo', undoChange, 'Undo the last change (kept in the history; redo brings it back)'],
    ['redo', redoChange, 'Redo the change undone most recently'],
  ] as const) {
    app.post(
      `/api/scenarios/:id/${path}`,
      {
        preHandler: planners,
        schema: {
          tags,
          summary,
          params: ScenarioIdParams,
          body: VersionBody,
          response: { 200: EditResultSchema, ...editErrors },
        },
      },
      async (request) => afterEdit(request, await edit(db, request.params.id, request.body.expectedVersion)),
    );
  }

  app.get(
    '/api/scenarios/:id/overlay',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags,
        summary:
          'How to draw the scenario: the baseline tileset, the overlay tileset, and the baseline ids to hide',
        description:
          'Load baselineTilesetUrl with hideStyle.show as its style’s `show`, and tilesetUrl (if not null) on top. The overlay is rebuilt here if the change set moved on since it was built.',
        params: ScenarioIdParams,
        response: { 200: OverlayResponseSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const overlay = await ensureScenarioOverlay(db, request.params.id, tilesetsDir);
      const s = await found(request.params.id);
      const ds = await getDataset(db, s.dataset);
      const baselineTilesetUrl =
        ds?.tilesetUrl && existsSync(join(tilesetsDir, s.dataset, 'tileset.json')) ? ds.tilesetUrl : null;
      return {
        scenarioId: s.id,
        dataset: s.dataset,
        status: s.status,
        version: s.version,
        baselineTilesetUrl,
        ...overlay,
        hideStyle: { show: hideStyleExpression(overlay.hiddenBuildingIds) },
      };
    },
  );

  app.get(
    '/api/scenarios/:id/buildings',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags,
        summary: 'The added and modified buildings as they stand in the scenario (GeoJSON), for editing',
        params: ScenarioIdParams,
        response: { 200: ScenarioBuildingsSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { scenario, changes, baseline } = await scenarioOverlayInput(db, request.params.id);
      const r = apply(baseline, changes);
      const added = new Set(r.added);
      const shown = new Set([...r.added, ...r.modified]);
      return {
        type: 'FeatureCollection' as const,
        scenarioId: scenario.id,
        status: scenario.status,
        version: scenario.version,
        features: r.buildings
          .filter((b) => shown.has(b.id))
          .map((b) => ({
            type: 'Feature' as const,
            id: b.id,
            geometry: footprintToGeoJson(b.footprint),
            properties: {
              id: b.id,
              change: added.has(b.id) ? ('added' as const) : ('modified' as const),
              name: b.name,
              use: b.use,
              heightM: b.heightM,
              minHeightM: b.minHeightM,
              storeys: b.storeys,
              heightSource: b.heightSource,
              heightMethod: b.heightMethod,
              footprintAreaM2: Math.round(footprintAreaM2(b.footprint) * 10) / 10,
              attributes: b.attributes,
            },
          })),
      };
    },
  );

  app.get(
    '/api/scenarios/:id/buildings/:buildingId',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags,
        summary:
          'One building as it stands in the scenario (added, changed, or the baseline’s own), for its details',
        description:
          'The same shape as `/api/buildings/{id}`, so a building panel can show an added `new/…` building or a changed one. `dataset` names the scenario as the source. A demolished building is 404.',
        params: Type.Object({
          id: ScenarioIdParams.properties.id,
          buildingId: Type.String({
            minLength: 1,
            maxLength: 300,
            description: '`<dataset>:<sourceId>` or `new/<name>`',
          }),
        }),
        response: { 200: BuildingSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { id, buildingId } = request.params;
      const { scenario, changes, baseline } = await scenarioOverlayInput(db, id);
      const r = apply(baseline, changes);
      if (r.demolished.includes(buildingId))
        throw notFound(`building "${buildingId}" is demolished in scenario ${id} ("${scenario.name}")`);
      const changed = new Set([...r.added, ...r.modified]);
      if (!changed.has(buildingId)) {
        const kept = await getBuilding(db, buildingId);
        if (!kept || kept.dataset.name !== scenario.dataset)
          throw notFound(`no building "${buildingId}" in scenario ${id} ("${scenario.name}")`);
        return kept;
      }
      const b = r.buildings.find((x) => x.id === buildingId)!;
      const ds = await getDataset(db, scenario.dataset);
      const added = r.added.includes(buildingId);
      return {
        id: b.id,
        sourceId: b.sourceId,
        kind: b.kind,
        parentSourceId: b.parentSourceId,
        name: b.name,
        use: b.use,
        heightM: b.heightM,
        minHeightM: b.minHeightM,
        heightSource: b.heightSource,
        heightMethod: b.heightMethod,
        storeys: b.storeys,
        footprintAreaM2: Math.round(footprintAreaM2(b.footprint) * 10) / 10,
        groundElevationM: b.groundElevationM,
        attributes: b.attributes,
        footprint: footprintToGeoJson(b.footprint),
        dataset: {
          name: scenario.dataset,
          title: `${added ? 'Added' : 'Changed'} in scenario “${scenario.name}” (${scenario.status}, version ${scenario.version}) over ${ds?.title ?? scenario.dataset}`,
          source: added
            ? `Scenario ${scenario.id}: a proposed building, not surveyed`
            : `${ds?.source ?? scenario.dataset}, changed by scenario ${scenario.id}`,
          licence: ds?.licence ?? '',
          attribution: ds?.attribution ?? '',
          vintage: ds?.vintage ?? null,
        },
      };
    },
  );

  app.get(
    '/api/scenarios/:id/indicators',
    {
      preHandler: access.publicReadsPublished,
      schema: {
        tags,
        summary:
          'Indicators of the scenario and the baseline over its site (or the dataset extent), and the delta',
        description:
          'Gross floor area by use, homes and jobs from floor area with the stated ratios (listed with their sources in `ratios`), maximum height, footprint area and coverage.',
        params: ScenarioIdParams,
        response: { 200: ScenarioIndicatorsSchema, 404: ProblemSchema },
      },
    },
    async (request) => scenarioIndicators(db, request.params.id),
  );
};

export default scenarioRoutes;

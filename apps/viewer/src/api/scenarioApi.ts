/**
 * The scenario API (`/api/scenarios`, see packages/scenario/README.md) and staff sign-in (`/api/auth`), checked at
 * the edge. Writes send the session's CSRF token in `x-csrf-token`; a refused request throws `ScenarioApiError`
 * with the problem+json body read.
 */

import {
  type ApiProblem,
  type Change,
  type ChangeRecord,
  type IndicatorsAnswer,
  type OverlayAnswer,
  parseChanges,
  parseIndicators,
  parseOverlay,
  parseProblem,
  parseScenario,
  parseScenarioList,
  problemMessage,
  type Scenario,
} from '../state/scenario';
import {
  type CompareAgainst,
  type ComparisonAnswer,
  compareUrl,
  parseComparison,
} from '../state/scenarioCompare';

export class ScenarioApiError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problemMessage(problem));
  }
}

export interface StaffSession {
  user: { email: string; displayName: string; role: string };
  csrfToken: string;
}

/** One JSON request to the API; a refusal throws `ScenarioApiError` (the stories API uses it too). */
export async function call(
  method: string,
  url: string,
  { body, csrf, signal }: { body?: unknown; csrf?: string | null; signal?: AbortSignal } = {},
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: 'same-origin',
  });
  if (res.status === 204) return null;
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    // A body that is not JSON: the status says it all.
  }
  if (!res.ok) throw new ScenarioApiError(parseProblem(res.status, json));
  return json;
}

const base = '/api/scenarios';

export const scenarioApi = {
  list: async (dataset: string, signal?: AbortSignal): Promise<Scenario[]> =>
    parseScenarioList(await call('GET', `${base}?dataset=${encodeURIComponent(dataset)}`, { signal })),
  get: async (id: number): Promise<Scenario> => parseScenario(await call('GET', `${base}/${id}`)),
  create: async (dataset: string, name: string, csrf: string | null): Promise<Scenario> =>
    parseScenario(await call('POST', base, { body: { dataset, name }, csrf })),
  changes: async (id: number): Promise<ChangeRecord[]> =>
    parseChanges(await call('GET', `${base}/${id}/changes?history=true`)),
  overlay: async (id: number): Promise<OverlayAnswer> =>
    parseOverlay(await call('GET', `${base}/${id}/overlay`)),
  compare: async (against: CompareAgainst, id: number, signal?: AbortSignal): Promise<ComparisonAnswer> =>
    parseComparison(await call('GET', compareUrl(against, id), { signal })),
  indicators: async (id: number): Promise<IndicatorsAnswer> =>
    parseIndicators(await call('GET', `${base}/${id}/indicators`)),
  append: async (id: number, expectedVersion: number, changes: Change[], csrf: string | null) =>
    editAnswer(await call('POST', `${base}/${id}/changes`, { body: { expectedVersion, changes }, csrf })),
  undo: async (id: number, expectedVersion: number, csrf: string | null) =>
    editAnswer(await call('POST', `${base}/${id}/undo`, { body: { expectedVersion }, csrf })),
  redo: async (id: number, expectedVersion: number, csrf: string | null) =>
    editAnswer(await call('POST', `${base}/${id}/redo`, { body: { expectedVersion }, csrf })),
};

/** Where an imported massing goes: `origin` [lon, lat] for the file's origin (glTF) or its centre (CityJSON). */
export interface MassingUpload {
  use: string;
  origin: [number, number] | null;
  /** Turns the whole model clockwise seen from above, degrees (null or 0: as in the file). */
  rotationDeg?: number | null;
}

/**
 * Sends an architect's massing file (CityJSON or glTF binary) to `POST /api/scenarios/:id/massing`: the server
 * reads it, places it and appends its buildings in one transaction, or refuses it whole (the problem names the
 * file, the feature and the reason).
 */
export async function importMassingFile(
  id: number,
  expectedVersion: number,
  file: File,
  o: MassingUpload,
  csrf: string | null,
): Promise<Scenario> {
  const q = new URLSearchParams({
    expectedVersion: String(expectedVersion),
    fileName: file.name,
    use: o.use,
  });
  if (o.origin) {
    q.set('originLon', String(o.origin[0]));
    q.set('originLat', String(o.origin[1]));
  }
  if (o.rotationDeg) q.set('rotationDeg', String(o.rotationDeg));
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/octet-stream',
  };
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(`${base}/${id}/massing?${q}`, {
    method: 'POST',
    headers,
    body: file,
    credentials: 'same-origin',
  });
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    // Not JSON: the status says it all.
  }
  if (!res.ok) throw new ScenarioApiError(parseProblem(res.status, json));
  return editAnswer(json);
}

function editAnswer(body: unknown): Scenario {
  if (typeof body !== 'object' || body === null || !('scenario' in body))
    throw new Error('the server did not answer the edit with the scenario');
  return parseScenario(body.scenario);
}

function parseSession(body: unknown): StaffSession {
  const b = body as { user?: StaffSession['user']; csrfToken?: unknown };
  if (!b?.user || typeof b.csrfToken !== 'string')
    throw new Error('the server did not answer with a session');
  return { user: b.user, csrfToken: b.csrfToken };
}

export const authApi = {
  /** The signed-in staff member, or null for the public (401), or when the server has no sign-in at all (404). */
  me: async (signal?: AbortSignal): Promise<StaffSession | null> => {
    try {
      return parseSession(await call('GET', '/api/auth/me', { signal }));
    } catch (e) {
      if (e instanceof ScenarioApiError && (e.problem.status === 401 || e.problem.status === 404))
        return null;
      throw e;
    }
  },
  login: async (email: string, password: string): Promise<StaffSession> =>
    parseSession(await call('POST', '/api/auth/login', { body: { email, password } })),
  logout: async (csrf: string | null): Promise<void> => {
    await call('POST', '/api/auth/logout', { csrf });
  },
};

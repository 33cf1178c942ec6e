/**
 * Requests to the energy and carbon APIs. Each returns the parsed, checked answer (see energyTypes.ts) or throws an
 * Error carrying the server's problem detail, which the panels show as it is.
 */
import { parseScenarioCarbon } from '../state/scenarioCarbon';
import type { AreaInputs } from './energyTypes';
import {
  parseAreaInputs,
  parseBuildingCarbon,
  parseBuildingEnergy,
  parseCalibration,
  parseCarbonBaseline,
  parseCarbonResult,
  parseDemandTable,
  parseFlexibility,
  parseGridNetworks,
  parseLeverSets,
  parsePortfolio,
  parseStoredCalibration,
  type StoredCalibration,
} from './energyTypes';

async function requestJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(url, {
    ...init,
    headers: {
      accept: 'application/json',
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const body: unknown = await res.json();
      if (typeof body === 'object' && body !== null && 'detail' in body && typeof body.detail === 'string')
        detail = body.detail;
    } catch {
      // A body that is not JSON adds nothing to the status line.
    }
    throw new Error(`${res.status} ${detail}`);
  }
  return res.status === 204 ? null : res.json();
}

const post = (url: string, body: unknown, signal?: AbortSignal) =>
  requestJson(url, { method: 'POST', body: JSON.stringify(body), signal });
const put = (url: string, body: unknown) => requestJson(url, { method: 'PUT', body: JSON.stringify(body) });
const ds = (dataset: string) => encodeURIComponent(dataset);

export const energyApi = {
  demand: async (dataset: string, signal?: AbortSignal) =>
    parseDemandTable(await requestJson(`/api/energy/datasets/${ds(dataset)}/demand`, { signal })),
  building: async (id: string, signal?: AbortSignal) =>
    parseBuildingEnergy(await requestJson(`/api/energy/buildings/${encodeURIComponent(id)}`, { signal })),
  flexibility: async (body: unknown, signal?: AbortSignal) =>
    parseFlexibility(await post('/api/energy/flexibility', body, signal)),
  portfolio: async (body: unknown, signal?: AbortSignal) =>
    parsePortfolio(await post('/api/energy/portfolio', body, signal)),
  /** Fits and stores the building's calibration (planners and admins: the session's CSRF token). */
  calibration: async (
    body: { buildingId: string; csv: string; fileName: string },
    csrf: string | null,
    signal?: AbortSignal,
  ) =>
    parseCalibration(
      await requestJson('/api/energy/calibration', {
        method: 'POST',
        body: JSON.stringify(body),
        signal,
        ...(csrf ? { headers: { 'x-csrf-token': csrf } } : {}),
      }),
    ),
  /** The building's stored calibration, or null when it has none (404). */
  storedCalibration: async (id: string, signal?: AbortSignal): Promise<StoredCalibration | null> => {
    const res = await fetch(`/api/energy/buildings/${encodeURIComponent(id)}/calibration`, {
      headers: { accept: 'application/json' },
      signal,
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    return parseStoredCalibration(await res.json());
  },
  /** Forgets the building's calibration: its flexibility goes back to the estimate. */
  deleteCalibration: (id: string, csrf: string | null) =>
    requestJson(`/api/energy/buildings/${encodeURIComponent(id)}/calibration`, {
      method: 'DELETE',
      ...(csrf ? { headers: { 'x-csrf-token': csrf } } : {}),
    }),
  grids: async (signal?: AbortSignal) =>
    parseGridNetworks(await requestJson('/api/energy/grids', { signal })),
};

export const carbonApi = {
  baseline: async (dataset: string, signal?: AbortSignal) =>
    parseCarbonBaseline(await requestJson(`/api/carbon/${ds(dataset)}/baseline`, { signal })),
  /** The trajectory of an unsaved lever set (the editor's), with targets and budget. */
  trajectory: async (dataset: string, levers: unknown, signal?: AbortSignal) =>
    parseCarbonResult(await post(`/api/carbon/${ds(dataset)}/trajectory`, { levers }, signal)),
  buildings: async (dataset: string, body: { levers?: unknown; year?: number }, signal?: AbortSignal) =>
    parseBuildingCarbon(await post(`/api/carbon/${ds(dataset)}/buildings`, body, signal)),
  leverSets: async (dataset: string, signal?: AbortSignal) =>
    parseLeverSets(await requestJson(`/api/carbon/${ds(dataset)}/lever-sets`, { signal })),
  saveLeverSet: (dataset: string, name: string, title: string, levers: unknown) =>
    put(`/api/carbon/${ds(dataset)}/lever-sets/${encodeURIComponent(name)}`, { title, levers }),
  area: async (dataset: string, signal?: AbortSignal) =>
    parseAreaInputs(await requestJson(`/api/carbon/${ds(dataset)}/area`, { signal })),
  saveArea: async (dataset: string, inputs: AreaInputs) =>
    parseAreaInputs(await put(`/api/carbon/${ds(dataset)}/area`, inputs)),
  /** The carbon of a scenario's development under a saved lever set (`baseline`: the grid path only). */
  scenario: async (id: number, leverSet: string, signal?: AbortSignal) =>
    parseScenarioCarbon(
      await requestJson(`/api/scenarios/${id}/carbon?levers=${encodeURIComponent(leverSet)}`, { signal }),
    ),
  /** Links (not requests): CSV downloads of saved lever sets. */
  trajectoryCsvUrl: (dataset: string, name: string) =>
    `/api/carbon/${ds(dataset)}/lever-sets/${encodeURIComponent(name)}/trajectory?format=csv`,
  compareCsvUrl: (dataset: string, a: string, b: string) =>
    `/api/carbon/${ds(dataset)}/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}&format=csv`,
};

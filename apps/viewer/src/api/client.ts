import { useEffect, useState } from 'react';
import { type BuildingDetails, type DatasetInfo, parseBuilding, parseDatasets } from './types';

/** A request's progress as components render it. */
export type Loadable<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'loaded'; data: T }
  | { status: 'failed'; message: string };

export async function getJson(url: string, signal: AbortSignal): Promise<unknown> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const body: unknown = await res.json();
      if (typeof body === 'object' && body !== null && 'detail' in body && typeof body.detail === 'string') {
        detail = body.detail;
      }
    } catch {
      // A body that is not JSON adds nothing to the status line.
    }
    throw new Error(`${url}: ${res.status} ${detail}`);
  }
  return res.json();
}

export function useJson<T>(url: string | null, parse: (body: unknown) => T): Loadable<T> {
  const [state, setState] = useState<Loadable<T>>({ status: 'idle' });
  useEffect(() => {
    if (url === null) {
      setState({ status: 'idle' });
      return;
    }
    const abort = new AbortController();
    setState({ status: 'loading' });
    getJson(url, abort.signal)
      .then((body) => setState({ status: 'loaded', data: parse(body) }))
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
      });
    return () => abort.abort();
  }, [url, parse]);
  return state;
}

export const useDatasets = (): Loadable<DatasetInfo[]> => useJson('/api/datasets', parseDatasets);

/** One building; with a scenario open, as it stands in the scenario (its added `new/…` buildings too). */
export const useBuilding = (id: string | null, scenarioId: number | null = null): Loadable<BuildingDetails> =>
  useJson(id === null ? null : buildingUrl(id, scenarioId), parseBuilding);

export const buildingUrl = (id: string, scenarioId: number | null = null): string =>
  scenarioId === null
    ? `/api/buildings/${encodeURIComponent(id)}`
    : `/api/scenarios/${scenarioId}/buildings/${encodeURIComponent(id)}`;

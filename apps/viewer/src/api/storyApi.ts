/**
 * The stories API (`/api/stories`): read, create, edit (every edit names the version it was made on), delete, and
 * the committee report with the slides' rendered images. Refusals throw `ScenarioApiError` with the problem read.
 */
import { parseStory, parseStoryList, type Story, type StorySlide, type StorySummary } from '../state/story';
import { call } from './scenarioApi';

const base = '/api/stories';

export interface StoryEdit {
  title?: string;
  summary?: string;
  slides?: StorySlide[];
  status?: 'draft' | 'published';
}

export const storyApi = {
  list: async (signal?: AbortSignal): Promise<StorySummary[]> =>
    parseStoryList(await call('GET', base, { signal })),
  get: async (id: number): Promise<Story> => parseStory(await call('GET', `${base}/${id}`)),
  create: async (title: string, csrf: string | null): Promise<Story> =>
    parseStory(await call('POST', base, { body: { title }, csrf })),
  update: async (id: number, expectedVersion: number, edit: StoryEdit, csrf: string | null): Promise<Story> =>
    parseStory(await call('PATCH', `${base}/${id}`, { body: { expectedVersion, ...edit }, csrf })),
  remove: async (id: number, expectedVersion: number, csrf: string | null): Promise<void> => {
    await call('DELETE', `${base}/${id}?expectedVersion=${expectedVersion}`, { csrf });
  },
  /** The report PDF, with one rendered image (a JPEG or PNG data URL, or null) per slide. */
  report: async (id: number, images: (string | null)[], csrf: string | null): Promise<Blob> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/pdf' };
    if (csrf) headers['x-csrf-token'] = csrf;
    const res = await fetch(`${base}/${id}/report.pdf`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ images }),
      credentials: 'same-origin',
    });
    if (!res.ok) {
      let detail = res.statusText;
      try {
        const body: unknown = await res.json();
        if (typeof body === 'object' && body && 'detail' in body) detail = String(body.detail);
      } catch {
        // Not JSON: the status says it.
      }
      throw new Error(`The report could not be made (${res.status}): ${detail}`);
    }
    return res.blob();
  },
};

/**
 * Committee stories in the viewer, as pure functions: a slide is the serialisable view (camera, time, layers,
 * colours, shadows) plus the scenario on show and a caption, so capturing one is reading the state and playing one
 * is dispatching the store's own actions (flyTo, setTime, setBasemap…). See /api/stories on the server.
 */
import type { ApiProblem } from './scenario';
import type { Action } from './store';
import type { SunHoursRequestBody } from './sunHours';
import { type CameraView, COLOUR_BY_VALUES, type ColourBy, type ViewState } from './viewState';

export interface StorySlide {
  title: string;
  text: string;
  camera: CameraView;
  time: string;
  layers: { basemap: boolean; buildings: Record<string, boolean> };
  shadows: boolean;
  colourBy: string;
  scenarioId: number | null;
  compare: boolean;
  /** The sun-hours analysis on show when the slide was added: the report prints its result (BRE 209). */
  sunHours?: SunHoursRequestBody;
}

export interface Story {
  id: number;
  title: string;
  summary: string;
  status: 'draft' | 'published';
  version: number;
  slides: StorySlide[];
}

export interface StorySummary {
  id: number;
  title: string;
  status: 'draft' | 'published';
  version: number;
  slideCount: number;
}

/** What the scenario editor shows when a slide is captured. */
export interface ScenarioOnShow {
  id: number | null;
  compare: boolean;
}

/**
 * The sun-hours request a slide keeps: the one on show, unless it compares another scenario than the slide shows
 * (the report compares before and after the slide's own scenario).
 */
export function slideSunHours(
  request: SunHoursRequestBody | null,
  scenario: ScenarioOnShow,
): SunHoursRequestBody | null {
  if (!request) return null;
  if (request.scenario !== undefined && request.scenario !== scenario.id) return null;
  return request;
}

/** A new slide from what is on screen now (with the sun-hours analysis on show, if any: see `slideSunHours`). */
export function slideFromView(
  view: ViewState,
  scenario: ScenarioOnShow,
  title: string,
  sunHours: SunHoursRequestBody | null = null,
): StorySlide {
  if (!view.camera) throw new Error('the camera is not placed yet');
  const sun = slideSunHours(sunHours, scenario);
  return {
    ...(sun ? { sunHours: sun } : {}),
    title,
    text: '',
    camera: { ...view.camera },
    time: view.time,
    layers: { basemap: view.layers.basemap, buildings: { ...view.layers.buildings } },
    shadows: view.shadows,
    colourBy: view.colourBy,
    scenarioId: scenario.id,
    compare: scenario.id !== null && scenario.compare,
  };
}

/**
 * The store actions that put a slide on screen: the camera (a smooth flight, or a jump), then time, shadows,
 * colours and every known dataset's visibility (a dataset the slide does not list is shown, as in a link).
 */
export function slideActions(
  slide: StorySlide,
  datasets: readonly string[],
  fly: boolean,
  flightSeconds?: number,
): Action[] {
  const colourBy = COLOUR_BY_VALUES.find((c) => c === slide.colourBy) ?? ('height' satisfies ColourBy);
  const names = new Set([...datasets, ...Object.keys(slide.layers.buildings)]);
  // A flight of 0 s is a jump (the reduced quality of a slow machine, see playbackQuality.ts).
  const flight = fly && flightSeconds !== 0;
  return [
    {
      type: 'flyTo',
      camera: { ...slide.camera },
      fly: flight,
      ...(flight && flightSeconds !== undefined ? { durationS: flightSeconds } : {}),
    },
    { type: 'setTime', time: slide.time },
    { type: 'setShadows', shadows: slide.shadows },
    { type: 'setColourBy', colourBy },
    { type: 'setBasemap', visible: slide.layers.basemap },
    ...[...names].sort().map(
      (dataset): Action => ({
        type: 'setDatasetVisible',
        dataset,
        visible: slide.layers.buildings[dataset] ?? true,
      }),
    ),
  ];
}

/** The slides with one moved from `from` to `to` (indices clamped); the same list when nothing moves. */
export function moveSlide<T>(slides: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(slides.length - 1, to));
  if (from < 0 || from >= slides.length || from === target) return [...slides];
  const next = [...slides];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved);
  return next;
}

/**
 * The next slide index for a presentation key (→, Space, Page Down and a clicker's keys forward; ←, Page Up back;
 * Home, End), `exit` for Esc, or null for a key the presentation leaves alone (Enter stays with the focused button).
 */
export function presentationStep(key: string, index: number, count: number): number | 'exit' | null {
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
    case ' ':
      return Math.min(index + 1, count - 1);
    case 'ArrowLeft':
    case 'PageUp':
    case 'Backspace':
      return Math.max(index - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'Escape':
      return 'exit';
    default:
      return null;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A story as the server sent it, checked at the edge. */
export function parseStory(body: unknown): Story {
  if (!isObj(body) || typeof body.id !== 'number' || !Array.isArray(body.slides)) {
    throw new Error('the server did not answer with a story');
  }
  return {
    id: body.id,
    title: String(body.title ?? ''),
    summary: String(body.summary ?? ''),
    status: body.status === 'published' ? 'published' : 'draft',
    version: Number(body.version),
    slides: body.slides as StorySlide[],
  };
}

export function parseStoryList(body: unknown): StorySummary[] {
  if (!Array.isArray(body)) throw new Error('the server did not answer with a list of stories');
  return body.filter(isObj).map((s) => ({
    id: Number(s.id),
    title: String(s.title ?? ''),
    status: s.status === 'published' ? 'published' : 'draft',
    version: Number(s.version),
    slideCount: Number(s.slideCount ?? 0),
  }));
}

/** The sentence the story panel shows for a refused request. */
export function storyProblemMessage(p: ApiProblem): string {
  switch (p.kind) {
    case 'version-conflict':
      return `Someone else changed this story while you were editing (it is now at version ${p.currentVersion ?? '?'}). It has been reloaded with their changes: make your edit again.`;
    case 'story-not-publishable':
      return `The story cannot be published yet: ${p.detail}`;
    case 'unauthenticated':
      return 'Sign in as a planner (in the Scenarios panel) to edit stories.';
    case 'forbidden':
    case 'csrf-token-invalid':
      return `You cannot edit stories: ${p.detail}`;
    default:
      return `The server refused the request (${p.status}): ${p.detail}`;
  }
}

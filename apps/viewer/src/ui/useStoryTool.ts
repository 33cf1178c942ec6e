/**
 * The story editor and player: the open story with its slides being edited (saved as one versioned write), playing
 * a slide (the store's flyTo/time/layer actions and the scenario editor's open/compare), presentation mode
 * (full screen, or the whole window when the browser refuses; → / Space next, ← previous, Esc leaves) and the
 * committee report (each slide rendered in turn, then laid out by the server).
 */
import { type Dispatch, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ScenarioApiError, type StaffSession } from '../api/scenarioApi';
import { storyApi } from '../api/storyApi';
import type { CaptureScene } from '../scene/SceneCapture';
import { QUALITY_LEVELS } from '../state/playbackQuality';
import type { Action } from '../state/store';
import {
  moveSlide as moved,
  presentationStep,
  type Story,
  type StorySlide,
  type StorySummary,
  slideActions,
  slideFromView,
  slideSunHours,
  storyProblemMessage,
} from '../state/story';
import type { ViewState } from '../state/viewState';
import type { PlacetwinTestHooks } from '../testHooks';
import type { ScenarioTool } from './useScenarioTool';
import type { SunHoursTool } from './useSunHoursTool';

export interface StoryMessage {
  kind: 'error' | 'info';
  text: string;
}

export interface StoryTool {
  stories: StorySummary[];
  story: Story | null;
  /** The slides as edited (saved with `save`). */
  slides: StorySlide[];
  title: string;
  summary: string;
  dirty: boolean;
  busy: boolean;
  message: StoryMessage | null;
  /** The slide on screen while presenting, or null when not presenting. */
  presenting: number | null;
  /** Presentation fills the screen (Fullscreen API) rather than the window. */
  fullscreen: boolean;
  /** Slides rendered so far while making the report, or null. */
  exporting: { done: number; total: number } | null;
  /** While presenting: the quality level (0 full; see playbackQuality.ts) and whether the user restored it. */
  quality: { level: number; pinned: boolean; medianMs: number | null };
  /** The scene's measurement decided a level (ignored once the user has restored full quality). */
  setQualityLevel(level: number, medianMs: number | null): void;
  /** Full quality again, and no automatic change for the rest of the presentation. */
  restoreQuality(): void;
  open(id: number | null): void;
  create(title: string): void;
  setTitle(title: string): void;
  setSummary(summary: string): void;
  addSlide(): void;
  editSlide(index: number, patch: Partial<Pick<StorySlide, 'title' | 'text'>>): void;
  moveSlide(from: number, to: number): void;
  deleteSlide(index: number): void;
  showSlide(index: number): void;
  save(): void;
  setPublished(published: boolean): void;
  present(from?: number): void;
  /** While presenting: another slide. */
  goTo(index: number): void;
  stopPresenting(): void;
  exportReport(): void;
  dismissMessage(): void;
}

export interface StoryToolOptions {
  session: StaffSession | null | undefined;
  view: ViewState;
  dispatch: Dispatch<Action>;
  datasets: readonly string[];
  scenario: ScenarioTool;
  capture: CaptureScene | null;
  hooks: PlacetwinTestHooks;
  /** The start view is settled (a `?story=…&present=1` link starts presenting only then). */
  ready: boolean;
  /** The sun-hours tool: a slide keeps the analysis on show, and playing the slide shows it again. */
  sunHours?: SunHoursTool;
}

const errorText = (e: unknown) =>
  e instanceof ScenarioApiError ? storyProblemMessage(e.problem) : e instanceof Error ? e.message : String(e);

const FULL_QUALITY: StoryTool['quality'] = { level: 0, pinned: false, medianMs: null };

/** How long the report waits for a slide's buildings and scenario to load before taking its picture anyway. */
const LOAD_WAIT_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function useStoryTool(options: StoryToolOptions): StoryTool {
  const { session, dispatch, hooks, ready } = options;
  const [stories, setStories] = useState<StorySummary[]>([]);
  const [story, setStory] = useState<Story | null>(null);
  const [slides, setSlides] = useState<StorySlide[]>([]);
  const [title, setTitle] = useState('');
  const [summary, setSummary] = useState('');
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<StoryMessage | null>(null);
  const [presenting, setPresenting] = useState<number | null>(null);
  const [fullscreen, setFullscreen] = useState(false);
  const [exporting, setExporting] = useState<StoryTool['exporting']>(null);
  const [quality, setQuality] = useState<StoryTool['quality']>(FULL_QUALITY);
  const qualityRef = useRef(quality);
  qualityRef.current = quality;

  const refs = useRef({ options, story, slides, title, summary, presenting });
  /** The sun-hours analysis on the map was put there by a slide. */
  const sunFromSlide = useRef(false);
  refs.current = { options, story, slides, title, summary, presenting };

  const refresh = useCallback(async () => {
    try {
      setStories(await storyApi.list());
    } catch (e) {
      setMessage({ kind: 'error', text: `Cannot read the stories: ${errorText(e)}` });
    }
  }, []);
  useEffect(() => {
    if (session !== undefined) void refresh();
  }, [session, refresh]);

  const load = useCallback((s: Story | null) => {
    setStory(s);
    setSlides(s?.slides ?? []);
    setTitle(s?.title ?? '');
    setSummary(s?.summary ?? '');
    setDirty(false);
  }, []);

  const run = useCallback(
    (what: () => Promise<Story | null>, done?: string) => {
      setBusy(true);
      setMessage(null);
      what()
        .then((s) => {
          load(s);
          if (done) setMessage({ kind: 'info', text: done });
          void refresh();
        })
        .catch(async (e) => {
          const id = refs.current.story?.id;
          // Someone else saved first: show what is there now; the edit is to be made again.
          if (e instanceof ScenarioApiError && e.problem.kind === 'version-conflict' && id !== undefined) {
            await storyApi.get(id).then(load, () => {});
          }
          setMessage({ kind: 'error', text: errorText(e) });
        })
        .finally(() => setBusy(false));
    },
    [load, refresh],
  );

  const csrf = useCallback(() => refs.current.options.session?.csrfToken ?? null, []);

  const open = useCallback(
    (id: number | null) => (id === null ? load(null) : run(() => storyApi.get(id))),
    [load, run],
  );
  const create = useCallback(
    (t: string) => run(() => storyApi.create(t, csrf()), 'Story created.'),
    [run, csrf],
  );
  const setTitleEdited = useCallback((t: string) => {
    setTitle(t);
    setDirty(true);
  }, []);
  const setSummaryEdited = useCallback((t: string) => {
    setSummary(t);
    setDirty(true);
  }, []);

  const addSlide = useCallback(() => {
    const { view, scenario, sunHours } = refs.current.options;
    const n = refs.current.slides.length + 1;
    try {
      const onShow = { id: scenario.current?.id ?? null, compare: scenario.compare };
      // The sun-hours analysis counts as shown when its result is on the map.
      const sun = sunHours?.run.status === 'done' && sunHours.overlayShown ? sunHours.request : null;
      const slide = slideFromView(view, onShow, `Slide ${n}`, sun);
      setSlides((list) => [...list, slide]);
      setDirty(true);
      if (sun && !slideSunHours(sun, onShow)) {
        setMessage({
          kind: 'info',
          text: `Slide added without its sun-hours analysis: it compares scenario ${sun.scenario}, and the slide shows ${onShow.id === null ? 'the baseline' : `scenario ${onShow.id}`}.`,
        });
      }
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  }, []);
  const editSlide = useCallback((index: number, patch: Partial<Pick<StorySlide, 'title' | 'text'>>) => {
    setSlides((list) => list.map((s, i) => (i === index ? { ...s, ...patch } : s)));
    setDirty(true);
  }, []);
  const moveSlide = useCallback((from: number, to: number) => {
    setSlides((list) => moved(list, from, to));
    setDirty(true);
  }, []);
  const deleteSlide = useCallback((index: number) => {
    setSlides((list) => list.filter((_, i) => i !== index));
    setDirty(true);
  }, []);

  /** Puts a slide on screen: the camera flies (or jumps), then time, layers and the scenario follow. */
  const apply = useCallback(
    (slide: StorySlide, fly: boolean) => {
      const { datasets, scenario } = refs.current.options;
      // While presenting on a slow machine, flights are shortened or become jumps.
      const flight =
        refs.current.presenting !== null
          ? QUALITY_LEVELS[qualityRef.current.level]?.flightSeconds
          : undefined;
      for (const a of slideActions(slide, datasets, fly, flight)) dispatch(a);
      if ((scenario.current?.id ?? null) !== slide.scenarioId) scenario.open(slide.scenarioId);
      scenario.setCompare(slide.scenarioId !== null && slide.compare);
      // The slide's sun-hours analysis (the server answers a computed one from its cache); a slide without one
      // takes away an analysis another slide put on the map (and, while presenting, any analysis).
      const sun = refs.current.options.sunHours;
      if (sun && slide.sunHours) {
        if (JSON.stringify(sun.request) !== JSON.stringify(slide.sunHours)) sun.restore(slide.sunHours);
        sunFromSlide.current = true;
      } else if (
        sun &&
        (sunFromSlide.current || refs.current.presenting !== null) &&
        (sun.request !== null || sun.run.status !== 'idle')
      ) {
        sun.clear();
        sunFromSlide.current = false;
      }
    },
    [dispatch],
  );
  const showSlide = useCallback(
    (index: number) => {
      const slide = refs.current.slides[index];
      if (slide) apply(slide, true);
    },
    [apply],
  );

  const save = useCallback(() => {
    const s = refs.current.story;
    if (!s) return;
    const { title: t, summary: sm, slides: list } = refs.current;
    run(() => storyApi.update(s.id, s.version, { title: t, summary: sm, slides: list }, csrf()), 'Saved.');
  }, [run, csrf]);
  const setPublished = useCallback(
    (published: boolean) => {
      const s = refs.current.story;
      if (!s) return;
      run(
        () => storyApi.update(s.id, s.version, { status: published ? 'published' : 'draft' }, csrf()),
        published ? 'Published: the public can now read this story.' : 'Back to draft: staff only.',
      );
    },
    [run, csrf],
  );

  // ---- presentation ----

  const startPresenting = useCallback(
    (list: StorySlide[], from: number) => {
      if (list.length === 0) return;
      const index = Math.max(0, Math.min(from, list.length - 1));
      // Called from the click or key that asked for it, so the browser allows full screen; if it still refuses
      // (or there is no user gesture, as with a link), the presentation fills the window instead.
      document.documentElement
        .requestFullscreen?.()
        .then(() => setFullscreen(true))
        .catch(() => setFullscreen(false));
      setQuality(FULL_QUALITY);
      qualityRef.current = FULL_QUALITY;
      setPresenting(index);
      refs.current.presenting = index;
      apply(list[index], true);
    },
    [apply],
  );
  const setQualityLevel = useCallback((level: number, medianMs: number | null) => {
    setQuality((q) =>
      q.pinned || (q.level === level && q.medianMs === medianMs) ? q : { level, pinned: false, medianMs },
    );
  }, []);
  const restoreQuality = useCallback(() => setQuality({ level: 0, pinned: true, medianMs: null }), []);
  const present = useCallback((from = 0) => startPresenting(refs.current.slides, from), [startPresenting]);
  const stopPresenting = useCallback(() => {
    setPresenting(null);
    setQuality(FULL_QUALITY);
    setFullscreen(false);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  }, []);

  const goTo = useCallback(
    (index: number) => {
      const slide = refs.current.slides[index];
      if (refs.current.presenting === null || !slide || index === refs.current.presenting) return;
      setPresenting(index);
      apply(slide, true);
    },
    [apply],
  );

  useEffect(() => {
    if (presenting === null) return;
    const onKey = (e: KeyboardEvent) => {
      const current = refs.current.presenting;
      if (current === null || e.altKey || e.ctrlKey || e.metaKey) return;
      const step = presentationStep(e.key, current, refs.current.slides.length);
      if (step === null) return;
      e.preventDefault();
      e.stopPropagation();
      if (step === 'exit') stopPresenting();
      else goTo(step);
    };
    // Esc in full screen is taken by the browser (it leaves full screen): leaving it leaves the presentation.
    const onFullscreen = () => {
      if (!document.fullscreenElement) stopPresenting();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true });
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, [presenting, goTo, stopPresenting]);

  // `?story=<id>&present=1`: open the story and present it once the viewer has placed its start view.
  const linkHandled = useRef(false);
  useEffect(() => {
    if (!ready || linkHandled.current) return;
    linkHandled.current = true;
    const params = new URLSearchParams(window.location.search);
    const id = Number(params.get('story'));
    if (!Number.isInteger(id) || id < 1) return;
    storyApi
      .get(id)
      .then((s) => {
        load(s);
        if (params.get('present') === '1') startPresenting(s.slides, 0);
      })
      .catch((e) => setMessage({ kind: 'error', text: `Cannot open story ${id}: ${errorText(e)}` }));
  }, [ready, load, startPresenting]);

  // ---- the committee report ----

  const exportReport = useCallback(() => {
    const s = refs.current.story;
    const capture = refs.current.options.capture;
    if (!s || !capture) return;
    const list = s.slides;
    const before = refs.current.options.view;
    const scenarioBefore = refs.current.options.scenario.current?.id ?? null;
    setBusy(true);
    setMessage(null);
    (async () => {
      const images: string[] = [];
      for (const [i, slide] of list.entries()) {
        setExporting({ done: i, total: list.length });
        apply(slide, false);
        const start = performance.now();
        // Wait for this slide's buildings, globe and scenario overlay, then take its picture. Right after a jump the
        // load queues are briefly empty (nothing asked for yet), so a few frames must pass before "loaded" means it.
        const firstFrame = hooks.frameStats().frames;
        while (hooks.frameStats().frames < firstFrame + 8 && performance.now() - start < LOAD_WAIT_MS) {
          await sleep(100);
        }
        while (performance.now() - start < LOAD_WAIT_MS) {
          const sc = hooks.scenario?.();
          const scenarioDrawn = slide.scenarioId === null || (sc?.id === slide.scenarioId && sc.overlayDrawn);
          const sun = refs.current.options.sunHours;
          const sunDrawn =
            !slide.sunHours || !sun || sun.overlayLoaded || sun.run.status === 'failed' || !sun.overlayShown;
          if (hooks.sceneLoaded() && scenarioDrawn && sunDrawn) break;
          await sleep(200);
        }
        images.push(await capture());
      }
      setExporting({ done: list.length, total: list.length });
      const pdf = await storyApi.report(s.id, images, csrf());
      const url = URL.createObjectURL(pdf);
      const a = document.createElement('a');
      a.href = url;
      a.download = `story-${s.id}-report.pdf`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setMessage({ kind: 'info', text: `Report ready: ${list.length} slides (saved as ${a.download}).` });
    })()
      .catch((e) => setMessage({ kind: 'error', text: errorText(e) }))
      .finally(() => {
        dispatch({ type: 'replaceView', view: before });
        const { scenario } = refs.current.options;
        if ((scenario.current?.id ?? null) !== scenarioBefore) scenario.open(scenarioBefore);
        setExporting(null);
        setBusy(false);
      });
  }, [apply, dispatch, hooks, csrf]);

  const dismissMessage = useCallback(() => setMessage(null), []);

  // The test hook: what the panel and the presentation show.
  const stateRef = useRef({ story, slides, presenting, fullscreen, dirty, message, exporting, quality });
  stateRef.current = { story, slides, presenting, fullscreen, dirty, message, exporting, quality };
  useEffect(() => {
    hooks.story = () => {
      const t = stateRef.current;
      return {
        id: t.story?.id ?? null,
        version: t.story?.version ?? null,
        status: t.story?.status ?? null,
        slideTitles: t.slides.map((s) => s.title),
        dirty: t.dirty,
        presenting: t.presenting,
        fullscreen: t.fullscreen && document.fullscreenElement !== null,
        exporting: t.exporting,
        message: t.message?.text ?? null,
        quality: { ...t.quality },
        slideSunHours: t.slides.map((s) =>
          s.sunHours
            ? { areaName: s.sunHours.areaName, date: s.sunHours.date, scenario: s.sunHours.scenario ?? null }
            : null,
        ),
      };
    };
    return () => {
      delete hooks.story;
    };
  }, [hooks]);

  return useMemo(
    () => ({
      stories,
      story,
      slides,
      title,
      summary,
      dirty,
      busy,
      message,
      presenting,
      fullscreen,
      exporting,
      quality,
      setQualityLevel,
      restoreQuality,
      open,
      create,
      setTitle: setTitleEdited,
      setSummary: setSummaryEdited,
      addSlide,
      editSlide,
      moveSlide,
      deleteSlide,
      showSlide,
      save,
      setPublished,
      present,
      goTo,
      stopPresenting,
      exportReport,
      dismissMessage,
    }),
    [
      stories,
      story,
      slides,
      title,
      summary,
      dirty,
      busy,
      message,
      presenting,
      fullscreen,
      exporting,
      quality,
      setQualityLevel,
      restoreQuality,
      open,
      create,
      setTitleEdited,
      setSummaryEdited,
      addSlide,
      editSlide,
      moveSlide,
      deleteSlide,
      showSlide,
      save,
      setPublished,
      present,
      goTo,
      stopPresenting,
      exportReport,
      dismissMessage,
    ],
  );
}

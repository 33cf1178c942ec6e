/**
 * The sun-hours tool's state: the area being drawn (or pasted), the analysis request and its result, and whether
 * the result is draped on the map. Keyboard while drawing: Enter closes the area, Escape cancels, Backspace
 * removes the last corner.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { requestSunHours } from '../api/sunHours';
import {
  distinctVertices,
  type LonLat,
  polygonOf,
  type SunHoursJob,
  type SunHoursRequestBody,
} from '../state/sunHours';
import { useDrawingKeys } from './useDrawingKeys';

export type DrawMode = 'idle' | 'drawing' | 'closed';

export interface SunHoursRun {
  status: 'idle' | 'running' | 'done' | 'failed';
  job: SunHoursJob | null;
  error: string | null;
}

export interface SunHoursTool {
  mode: DrawMode;
  /** Corners so far (drawing) or of the closed area, as an open ring. */
  points: LonLat[];
  run: SunHoursRun;
  overlayShown: boolean;
  overlayLoaded: boolean;
  /** With a scenario: which grid is draped, the baseline's or the scenario's. */
  side: 'before' | 'after';
  /** The request of the result on show (or being computed), for the share link; null when none. */
  request: SunHoursRequestBody | null;
  startDrawing(): void;
  addPoint(p: LonLat): void;
  removeLastPoint(): void;
  /** Closes the area (needs 3 distinct corners); false when there are too few. */
  finishDrawing(): boolean;
  cancelDrawing(): void;
  /** Sets a closed area (pasted GeoJSON, or the test hook). */
  setArea(points: LonLat[]): void;
  clear(): void;
  compute(options: Omit<SunHoursRequestBody, 'area'>): void;
  /** Reopens a request (from a share link): its area, closed, and its result. */
  restore(body: SunHoursRequestBody): void;
  setOverlayShown(shown: boolean): void;
  setOverlayLoaded(loaded: boolean): void;
  setSide(side: 'before' | 'after'): void;
}

export function useSunHoursTool(): SunHoursTool {
  const [mode, setMode] = useState<DrawMode>('idle');
  const [points, setPoints] = useState<LonLat[]>([]);
  const [run, setRun] = useState<SunHoursRun>({ status: 'idle', job: null, error: null });
  const [overlayShown, setOverlayShown] = useState(true);
  const [overlayLoaded, setOverlayLoaded] = useState(false);
  const [side, setSide] = useState<'before' | 'after'>('after');
  const [request, setRequest] = useState<SunHoursRequestBody | null>(null);
  const abort = useRef<AbortController | null>(null);
  const pointsRef = useRef(points);
  pointsRef.current = points;

  const stopRun = useCallback(() => {
    abort.current?.abort();
    abort.current = null;
  }, []);

  const startDrawing = useCallback(() => {
    setPoints([]);
    setMode('drawing');
  }, []);
  const addPoint = useCallback((p: LonLat) => setPoints((list) => [...list, p]), []);
  const removeLastPoint = useCallback(() => setPoints((list) => list.slice(0, -1)), []);
  const finishDrawing = useCallback(() => {
    const ring = distinctVertices(pointsRef.current);
    if (ring.length < 3) return false;
    setPoints(ring);
    setMode('closed');
    return true;
  }, []);
  const cancelDrawing = useCallback(() => {
    setPoints([]);
    setMode('idle');
  }, []);
  const setArea = useCallback((ring: LonLat[]) => {
    setPoints(distinctVertices(ring));
    setMode('closed');
  }, []);
  const clear = useCallback(() => {
    stopRun();
    setPoints([]);
    setMode('idle');
    setRun({ status: 'idle', job: null, error: null });
    setRequest(null);
    setSide('after');
    setOverlayLoaded(false);
  }, [stopRun]);

  const start = useCallback(
    (body: SunHoursRequestBody) => {
      stopRun();
      const controller = new AbortController();
      abort.current = controller;
      setOverlayLoaded(false);
      setSide('after');
      setRequest(body);
      setRun({ status: 'running', job: null, error: null });
      requestSunHours(
        body,
        (job) => {
          if (!controller.signal.aborted) setRun({ status: 'running', job, error: null });
        },
        controller.signal,
      )
        .then((job) => {
          if (!controller.signal.aborted) setRun({ status: 'done', job, error: null });
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted)
            setRun({ status: 'failed', job: null, error: e instanceof Error ? e.message : String(e) });
        });
    },
    [stopRun],
  );
  const compute = useCallback(
    (options: Omit<SunHoursRequestBody, 'area'>) => start({ ...options, area: polygonOf(pointsRef.current) }),
    [start],
  );
  const restore = useCallback(
    (body: SunHoursRequestBody) => {
      const ring = distinctVertices(body.area.coordinates[0]);
      pointsRef.current = ring;
      setPoints(ring);
      setMode('closed');
      start(body);
    },
    [start],
  );

  useEffect(() => stopRun, [stopRun]);

  useDrawingKeys(mode === 'drawing', finishDrawing, cancelDrawing, removeLastPoint);

  return useMemo(
    () => ({
      mode,
      points,
      run,
      overlayShown,
      overlayLoaded,
      side,
      request,
      startDrawing,
      addPoint,
      removeLastPoint,
      finishDrawing,
      cancelDrawing,
      setArea,
      clear,
      compute,
      restore,
      setOverlayShown,
      setOverlayLoaded,
      setSide,
    }),
    [
      mode,
      points,
      run,
      overlayShown,
      overlayLoaded,
      side,
      request,
      startDrawing,
      addPoint,
      removeLastPoint,
      finishDrawing,
      cancelDrawing,
      setArea,
      clear,
      compute,
      restore,
    ],
  );
}

/** For the test hooks: the before/after comparison on show, and which side is draped. */
export function sunHoursComparisonState(t: SunHoursTool): {
  scenarioId: number;
  ratio: number | null;
  meetsGuidance: boolean | null;
  shareBefore: number;
  shareAfter: number;
  side: 'before' | 'after';
  overlayUrl: string | null;
} | null {
  const job = t.run.status === 'done' ? t.run.job : null;
  const c = job?.result?.comparison;
  if (!job || !c) return null;
  return {
    scenarioId: c.scenario.id,
    ratio: c.ratio,
    meetsGuidance: c.bre209?.meetsGuidance ?? null,
    shareBefore: c.shareBefore,
    shareAfter: c.shareAfter,
    side: t.side,
    overlayUrl: t.side === 'before' ? (job.links.beforeOverlayPng ?? null) : job.links.overlayPng,
  };
}

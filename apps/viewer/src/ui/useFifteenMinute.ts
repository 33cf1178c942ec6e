/**
 * The 15-minute city tool: a score map of the ground in view and the score of a point picked on the map, both for
 * a departure at the scene time. The map's cells are drawn by scene/TransportLayers.tsx.
 */
import { useCallback, useRef, useState } from 'react';
import type { Loadable } from '../api/client';
import { fetchPointScore, fetchScoreMap } from '../api/transportApi';
import { cellSizeFor, type PointScore, type ScoreMap } from '../state/fifteenMinute';
import { useRequest } from './useRequest';

type Bbox = [number, number, number, number];

export interface FifteenMinuteTool {
  map: Loadable<ScoreMap>;
  /** Scores the ground the camera shows (the scene sets how to ask for it). */
  requestMap(): void;
  clearMap(): void;
  point: Loadable<PointScore>;
  pickingPoint: boolean;
  setPickingPoint(picking: boolean): void;
  requestPoint(lon: number, lat: number): void;
  clearPoint(): void;
  /** Set by the scene: the ground in view (west, south, east, north), or null when the camera shows sky. */
  setViewBounds(bounds: (() => Bbox | null) | null): void;
}

export function useFifteenMinute(time: string): FifteenMinuteTool {
  const [map, loadMap] = useRequest<ScoreMap>();
  const [point, loadPoint] = useRequest<PointScore>();
  const [pickingPoint, setPickingPoint] = useState(false);
  const bounds = useRef<(() => Bbox | null) | null>(null);
  const timeRef = useRef(time);
  timeRef.current = time;

  const requestMap = useCallback(() => {
    const bbox = bounds.current?.() ?? null;
    const departure = timeRef.current;
    loadMap(async (signal) => {
      if (!bbox) throw new Error('The camera shows no ground: look down at the map first.');
      const cell = cellSizeFor(bbox);
      if (cell === null)
        throw new Error('The view is too large for a score map: zoom in to a town or district.');
      return fetchScoreMap(bbox, cell, departure, signal);
    });
  }, [loadMap]);

  const requestPoint = useCallback(
    (lon: number, lat: number) => {
      setPickingPoint(false);
      const departure = timeRef.current;
      loadPoint((signal) => fetchPointScore(lon, lat, departure, signal));
    },
    [loadPoint],
  );

  return {
    map,
    requestMap,
    clearMap: useCallback(() => loadMap(null), [loadMap]),
    point,
    pickingPoint,
    setPickingPoint,
    requestPoint,
    clearPoint: useCallback(() => loadPoint(null), [loadPoint]),
    setViewBounds: useCallback((b: (() => Bbox | null) | null) => {
      bounds.current = b;
    }, []),
  };
}

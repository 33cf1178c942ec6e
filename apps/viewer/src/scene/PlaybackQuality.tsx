/**
 * While a story is presented: measures the scene's frame times and applies the quality level they call for
 * (playbackQuality.ts decides; this measures and sets Cesium's resolutionScale, shadows, FXAA, lighting and fog).
 * Renders nothing.
 *
 * A frame time is the time between two frames drawn on consecutive ticks of the render loop (Cesium raises
 * `preUpdate` on every tick and `postRender` only when it draws), so a scene that stands still between slides
 * adds no idle gap as a "slow frame".
 */
import { useEffect, useRef } from 'react';
import { useCesium } from 'resium';
import {
  DEFAULT_QUALITY_POLICY,
  median,
  nextQualityLevel,
  QUALITY_LEVELS,
  recentWindow,
  trimSamples,
} from '../state/playbackQuality';

export interface PlaybackQualityProps {
  /** A story is being presented. */
  active: boolean;
  level: number;
  /** The user restored full quality: measure nothing, change nothing. */
  pinned: boolean;
  onLevel(level: number, medianMs: number | null): void;
  /** Sun shadows as the view asks for them (restored with full quality). */
  shadows: boolean;
}

export function PlaybackQuality({ active, level, pinned, onLevel, shadows }: PlaybackQualityProps) {
  const { cesiumWidget: viewer } = useCesium();
  const levelRef = useRef(level);
  levelRef.current = level;
  const onLevelRef = useRef(onLevel);
  onLevelRef.current = onLevel;

  // Measure while presenting (unless pinned); a change of level starts a fresh window of evidence.
  useEffect(() => {
    if (!viewer || !active || pinned) return;
    const scene = viewer.scene;
    let samples: number[] = [];
    let ticks = 0;
    let last: number | null = null;
    let measuredAt = levelRef.current;
    const removeTick = scene.preUpdate.addEventListener(() => {
      ticks++;
    });
    const removeRender = scene.postRender.addEventListener(() => {
      const now = performance.now();
      if (last !== null && ticks === 1) samples.push(now - last);
      last = now;
      ticks = 0;
      if (levelRef.current !== measuredAt) {
        samples = [];
        measuredAt = levelRef.current;
        return;
      }
      samples = trimSamples(samples, DEFAULT_QUALITY_POLICY.windowMs);
      const recent = recentWindow(samples, DEFAULT_QUALITY_POLICY.windowMs);
      if (!recent) return;
      const next = nextQualityLevel(samples, measuredAt);
      if (next !== measuredAt) {
        onLevelRef.current(next, median(recent));
        samples = [];
        measuredAt = next;
      }
    });
    return () => {
      removeTick();
      removeRender();
    };
  }, [viewer, active, pinned]);

  // The level → the scene. Shadows are forced off on every frame while reduced (a slide may turn them on).
  useEffect(() => {
    if (!viewer) return;
    const scene = viewer.scene;
    const q = QUALITY_LEVELS[active ? level : 0] ?? QUALITY_LEVELS[0];
    scene.postProcessStages.fxaa.enabled = q.fxaa;
    scene.globe.enableLighting = q.lighting;
    scene.fog.enabled = q.lighting;
    viewer.resolutionScale = q.resolutionScale;
    if (q.shadows) {
      scene.shadowMap.enabled = shadows;
      scene.requestRender();
      return;
    }
    scene.shadowMap.enabled = false;
    const remove = scene.preRender.addEventListener(() => {
      scene.shadowMap.enabled = false;
    });
    scene.requestRender();
    return remove;
  }, [viewer, active, level, shadows]);

  return null;
}

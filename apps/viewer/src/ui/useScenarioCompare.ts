/**
 * Compare, the state: what the open scenario is compared with (the baseline or another scenario of its dataset),
 * how (a swipe in one view, or two views side by side with linked cameras), the other scenario's overlay, and the
 * server's comparison (indicators of both sides and b − a). Part of the scenario tool (useScenarioTool).
 */
import { useEffect, useMemo, useState } from 'react';
import { scenarioApi } from '../api/scenarioApi';
import type { OverlayAnswer, Scenario } from '../state/scenario';
import {
  type CompareAgainst,
  type CompareLayout,
  type ComparisonAnswer,
  swipeExpressions,
} from '../state/scenarioCompare';

export interface ScenarioCompareState {
  against: CompareAgainst;
  layout: CompareLayout;
  /** The overlay of the scenario compared with (null for the baseline, or while loading). */
  otherOverlay: OverlayAnswer | null;
  comparison: ComparisonAnswer | null;
  compareError: string | null;
  /** The show expression of the main baseline tileset (the buildings the scene hides on both sides). */
  baselineShow: string | null;
  setAgainst(a: CompareAgainst): void;
  setLayout(l: CompareLayout): void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function useScenarioCompare(
  current: Scenario | null,
  compare: boolean,
  overlay: OverlayAnswer | null,
): ScenarioCompareState {
  const [against, setAgainst] = useState<CompareAgainst>('baseline');
  const [layout, setLayout] = useState<CompareLayout>('swipe');
  const [otherOverlay, setOtherOverlay] = useState<OverlayAnswer | null>(null);
  const [comparison, setComparison] = useState<ComparisonAnswer | null>(null);
  const [compareError, setCompareError] = useState<string | null>(null);
  const id = current?.id ?? null;
  const version = current?.version ?? null;
  // Comparing a scenario with itself means nothing: fall back to the baseline.
  const side: CompareAgainst = against === id ? 'baseline' : against;

  useEffect(() => {
    setComparison(null);
    setCompareError(null);
    if (!compare || id === null || version === null) return;
    const abort = new AbortController();
    scenarioApi
      .compare(side, id, abort.signal)
      .then(setComparison)
      .catch((e) => {
        if (!abort.signal.aborted) setCompareError(`Cannot compare: ${errorText(e)}`);
      });
    return () => abort.abort();
  }, [compare, id, version, side]);

  useEffect(() => {
    setOtherOverlay(null);
    if (!compare || side === 'baseline') return;
    let live = true;
    scenarioApi
      .overlay(side)
      .then((o) => {
        if (live) setOtherOverlay(o);
      })
      .catch((e) => {
        if (live) setCompareError(`Cannot draw the other scenario: ${errorText(e)}`);
      });
    return () => {
      live = false;
    };
  }, [compare, side]);

  const baselineShow = useMemo(() => {
    const own = overlay?.show ?? null;
    if (!compare || layout !== 'swipe' || !otherOverlay || !own) return own;
    return swipeExpressions(otherOverlay.show, own).both;
  }, [compare, layout, otherOverlay, overlay]);

  return {
    against: side,
    layout,
    otherOverlay: side === 'baseline' ? null : otherOverlay,
    comparison,
    compareError,
    baselineShow,
    setAgainst,
    setLayout,
  };
}

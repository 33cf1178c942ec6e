import { useCallback, useEffect, useMemo, useState } from 'react';
import { carbonApi } from '../api/energyApi';
import type { AreaInputs, CarbonBaseline, CarbonResult, LeverSetRecord } from '../api/energyTypes';
import {
  type AreaTargetsDraft,
  draftOf,
  emptyDraft,
  examplePlan,
  type LeverDraft,
  leverSetOf,
  slugOf,
  targetsDraftOf,
  withTargets,
} from '../state/carbon';
import { type RequestState, useDebouncedRequest } from './useDebouncedRequest';

export type PlanKey = 'a' | 'b';

export interface CarbonWorkspace {
  dataset: string | null;
  drafts: Record<PlanKey, LeverDraft>;
  editing: PlanKey;
  setEditing: (p: PlanKey) => void;
  updateDraft: (p: PlanKey, change: (d: LeverDraft) => LeverDraft) => void;
  results: Record<PlanKey, RequestState<CarbonResult>>;
  baseline: RequestState<CarbonBaseline>;
  /** The saved name of each plan while it is unchanged since saving or loading (CSV links need saved plans). */
  savedAs: Record<PlanKey, string | null>;
  save: (p: PlanKey) => Promise<void>;
  load: (p: PlanKey, record: LeverSetRecord) => void;
  leverSets: LeverSetRecord[];
  /** A sentence about the last save or load (including a path simplified on loading), or a problem. */
  message: string | null;
  area: AreaInputs | null;
  targets: AreaTargetsDraft | null;
  saveTargets: (t: AreaTargetsDraft) => Promise<void>;
  mapPlan: PlanKey;
  setMapPlan: (p: PlanKey) => void;
  mapYear: number;
  setMapYear: (y: number) => void;
}

/**
 * The Carbon panel's working state: two lever sets (A and B) being edited and compared, their trajectories
 * (requested again as the levers settle), the baseline, saved lever sets, and the area's targets and budget.
 * Requests run only while the panel is open.
 */
export function useCarbonWorkspace(dataset: string | null, active: boolean): CarbonWorkspace {
  const [drafts, setDrafts] = useState<Record<PlanKey, LeverDraft>>(() => ({
    a: emptyDraft('No levers (grid path only)'),
    b: examplePlan(),
  }));
  const [editing, setEditing] = useState<PlanKey>('b');
  const [savedAs, setSavedAs] = useState<Record<PlanKey, string | null>>({ a: null, b: null });
  const [message, setMessage] = useState<string | null>(null);
  const [leverSets, setLeverSets] = useState<LeverSetRecord[]>([]);
  const [area, setArea] = useState<AreaInputs | null>(null);
  const [areaVersion, setAreaVersion] = useState(0);
  const [mapPlan, setMapPlan] = useState<PlanKey>('b');
  const [mapYear, setMapYear] = useState(2030);

  const updateDraft = useCallback((p: PlanKey, change: (d: LeverDraft) => LeverDraft) => {
    setDrafts((d) => ({ ...d, [p]: change(d[p]) }));
    setSavedAs((s) => ({ ...s, [p]: null }));
  }, []);

  const leversA = useMemo(() => leverSetOf(drafts.a), [drafts.a]);
  const leversB = useMemo(() => leverSetOf(drafts.b), [drafts.b]);
  const keyOf = (levers: unknown) =>
    active && dataset ? JSON.stringify({ dataset, levers, areaVersion }) : null;
  const a = useDebouncedRequest(keyOf(leversA), (signal) =>
    carbonApi.trajectory(dataset ?? '', leversA, signal),
  );
  const b = useDebouncedRequest(keyOf(leversB), (signal) =>
    carbonApi.trajectory(dataset ?? '', leversB, signal),
  );
  const baseline = useDebouncedRequest(
    active && dataset ? JSON.stringify({ dataset, areaVersion }) : null,
    (signal) => carbonApi.baseline(dataset ?? '', signal),
    0,
  );

  useEffect(() => {
    if (!active || !dataset) return;
    const abort = new AbortController();
    carbonApi.leverSets(dataset, abort.signal).then(setLeverSets, () => {});
    carbonApi.area(dataset, abort.signal).then(setArea, () => {});
    return () => abort.abort();
  }, [active, dataset]);

  const save = useCallback(
    async (p: PlanKey) => {
      if (!dataset) return;
      const draft = drafts[p];
      const name = slugOf(draft.title);
      try {
        await carbonApi.saveLeverSet(dataset, name, draft.title, leverSetOf(draft));
        setSavedAs((s) => ({ ...s, [p]: name }));
        setMessage(`Saved “${draft.title}” as ${name}.`);
        setLeverSets(await carbonApi.leverSets(dataset));
      } catch (e) {
        setMessage(`Could not save “${draft.title}”: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    [dataset, drafts],
  );

  const load = useCallback((p: PlanKey, record: LeverSetRecord) => {
    const { draft, simplified } = draftOf(record.levers, record.title);
    setDrafts((d) => ({ ...d, [p]: draft }));
    setSavedAs((s) => ({ ...s, [p]: simplified ? null : record.name }));
    setMessage(
      simplified
        ? `Loaded “${record.title}”: some levers had several points by year and show their last one; save to keep the simplified plan.`
        : `Loaded “${record.title}”.`,
    );
  }, []);

  const saveTargets = useCallback(
    async (t: AreaTargetsDraft) => {
      if (!dataset || !area) return;
      try {
        setArea(await carbonApi.saveArea(dataset, withTargets(area, t)));
        setAreaVersion((v) => v + 1);
        setMessage('Saved the targets and budget for the area.');
      } catch (e) {
        setMessage(`Could not save the targets: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    [dataset, area],
  );

  return {
    dataset,
    drafts,
    editing,
    setEditing,
    updateDraft,
    results: { a, b },
    baseline,
    savedAs,
    save,
    load,
    leverSets,
    message,
    area,
    targets: area ? targetsDraftOf(area) : null,
    saveTargets,
    mapPlan,
    setMapPlan,
    mapYear,
    setMapYear,
  };
}

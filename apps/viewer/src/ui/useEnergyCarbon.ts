import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { energyApi } from '../api/energyApi';
import type { Calibration, Flexibility, GridNetwork, Portfolio, StoredCalibration } from '../api/energyTypes';
import type { StaffSession } from '../api/scenarioApi';
import type { DatasetInfo } from '../api/types';
import type { ViewBbox } from '../scene/ViewBounds';
import { leverSetOf } from '../state/carbon';
import {
  FLEXIBILITY_DEFAULTS,
  type FlexibilitySettings,
  flexibilityDay,
  flexibilityProblems,
  flexibilityRequest,
  type PortfolioChoice,
  portfolioRequest,
} from '../state/energy';
import type { ViewState } from '../state/viewState';
import { type BuildingValuesState, useBuildingValues } from './useBuildingValues';
import { type CarbonWorkspace, useCarbonWorkspace } from './useCarbonWorkspace';
import { type RequestState, useDebouncedRequest } from './useDebouncedRequest';

export type FlexibilityForm = Omit<FlexibilitySettings, 'date'>;

export interface PortfolioState {
  choice: PortfolioChoice;
  setChoice: (c: PortfolioChoice) => void;
  /** Hand-picked buildings (the "list" choice). */
  ids: string[];
  add: (id: string) => void;
  remove: (id: string) => void;
  clear: () => void;
  run: () => void;
  /** Why `run` cannot send anything now, or null. */
  blocked: string | null;
  result: RequestState<Portfolio>;
  /** Grid networks to report headroom on (loaded when the panel opens) and the one chosen (null: none). */
  grids: GridNetwork[];
  grid: string | null;
  setGrid: (name: string | null) => void;
  /** What the shown result was asked for, in words. */
  describedAs: string | null;
}

/** A measured record fitted to one building's model, and whether its flexibility runs plan with it. */
export interface CalibrationState {
  /** The selected building's fit, if one was run this session (with the measured vs model series). */
  current: { result: Calibration; fileName: string } | null;
  /** The selected building's stored calibration (what its flexibility and the portfolio plan with), or null. */
  stored: StoredCalibration | null;
  /** Whether the session may calibrate and reset (planners and admins). */
  canCalibrate: boolean;
  loading: boolean;
  error: string | null;
  /** Reads the file, fits the selected building's model to it and stores the fit. */
  run: (file: File) => void;
  /** Forgets the stored calibration: flexibility goes back to the estimate. */
  reset: () => void;
  /** Plan flexibility with the calibrated model (default once there is one). */
  use: boolean;
  setUse: (use: boolean) => void;
}

export interface EnergyCarbon {
  /** The dataset the portfolio and carbon panels work on (the first one with buildings). */
  dataset: string | null;
  buildingValues: BuildingValuesState;
  flexibility: {
    form: FlexibilityForm;
    setForm: (f: FlexibilityForm) => void;
    settings: FlexibilitySettings;
    /** Whether the twin's clock is on the modelled day. */
    onClock: boolean;
    problems: string[];
    result: RequestState<Flexibility>;
    /** True when the result shown answers the current building and settings. */
    current: boolean;
  };
  calibration: CalibrationState;
  portfolio: PortfolioState;
  carbon: CarbonWorkspace;
  /** Set by the scene: the ground the camera shows. */
  setViewBounds: (bounds: (() => ViewBbox | null) | null) => void;
}

const PORTFOLIO_LIMIT = 500;

/**
 * Everything the energy and carbon panels and layers share, owned at the app's level so that closing a panel keeps
 * its results and the map colouring can follow the Carbon panel's plan.
 */
export function useEnergyCarbon(
  view: ViewState,
  datasets: readonly DatasetInfo[],
  session: StaffSession | null | undefined = null,
): EnergyCarbon {
  const dataset = datasets.find((d) => d.buildingCount > 0)?.name ?? null;

  // Flexibility of the selected building, on the day the clock is on (or its date in the data year).
  const [form, setForm] = useState<FlexibilityForm>(FLEXIBILITY_DEFAULTS);
  const day = flexibilityDay(view.time);
  const settings: FlexibilitySettings = { ...form, date: day.date };
  const problems = flexibilityProblems(settings);

  // Fits run this session, by building (their measured vs model series); the server stores each fit.
  const [calibrations, setCalibrations] = useState<Record<string, { result: Calibration; fileName: string }>>(
    {},
  );
  const [calibrating, setCalibrating] = useState<{ loading: boolean; error: string | null }>({
    loading: false,
    error: null,
  });
  const [useCalibration, setUseCalibration] = useState(true);
  const currentCalibration = view.selected ? (calibrations[view.selected] ?? null) : null;
  // The selected building's stored calibration, read when the flexibility panel shows it (and after a change).
  const [stored, setStored] = useState<{ id: string; value: StoredCalibration | null } | null>(null);
  const [storedVersion, setStoredVersion] = useState(0);
  const flexOpen = view.panel === 'flexibility';
  useEffect(() => {
    const id = view.selected;
    if (!id || !flexOpen || storedVersion < 0) return;
    const ac = new AbortController();
    energyApi
      .storedCalibration(id, ac.signal)
      .then((value) => setStored({ id, value }))
      .catch(() => {
        if (!ac.signal.aborted) setStored({ id, value: null });
      });
    return () => ac.abort();
  }, [view.selected, flexOpen, storedVersion]);
  const storedCalibration = stored && stored.id === view.selected ? stored.value : null;
  const csrf = session?.csrfToken ?? null;
  const canCalibrate = session?.user.role === 'planner' || session?.user.role === 'admin';
  const runCalibration = (file: File) => {
    const buildingId = view.selected;
    if (!buildingId) return;
    setCalibrating({ loading: true, error: null });
    file
      .text()
      .then((csv) => energyApi.calibration({ buildingId, csv, fileName: file.name }, csrf))
      .then((result) => {
        setCalibrations((all) => ({ ...all, [buildingId]: { result, fileName: file.name } }));
        setUseCalibration(true);
        setCalibrating({ loading: false, error: null });
        setStoredVersion((v) => v + 1);
      })
      .catch((e: unknown) =>
        setCalibrating({ loading: false, error: e instanceof Error ? e.message : String(e) }),
      );
  };
  const resetCalibration = () => {
    const buildingId = view.selected;
    if (!buildingId) return;
    setCalibrating({ loading: true, error: null });
    energyApi
      .deleteCalibration(buildingId, csrf)
      .then(() => {
        setCalibrations(({ [buildingId]: _gone, ...rest }) => rest);
        setStored({ id: buildingId, value: null });
        setCalibrating({ loading: false, error: null });
      })
      .catch((e: unknown) =>
        setCalibrating({ loading: false, error: e instanceof Error ? e.message : String(e) }),
      );
  };
  // The server plans with the stored calibration; the key names it, so a new or removed one asks again.
  const flexBody =
    flexOpen && view.selected && problems.length === 0
      ? {
          ...flexibilityRequest(view.selected, settings),
          ...(storedCalibration && !useCalibration ? { estimate: true } : {}),
        }
      : null;
  const storedKey = storedCalibration?.id ?? null;
  const flexKey = flexBody ? JSON.stringify({ ...flexBody, storedKey }) : null;
  const flexResult = useDebouncedRequest(flexKey, (signal) => energyApi.flexibility(flexBody, signal));

  // Portfolio: sent on request (hundreds of buildings take a second or two).
  const [choice, setChoice] = useState<PortfolioChoice>('public');
  const [ids, setIds] = useState<string[]>([]);
  const [portfolioKey, setPortfolioKey] = useState<string | null>(null);
  const [describedAs, setDescribedAs] = useState<string | null>(null);
  const [grids, setGrids] = useState<GridNetwork[]>([]);
  const [grid, setGrid] = useState<string | null>(null);
  useEffect(() => {
    if (view.panel !== 'portfolio') return;
    const ac = new AbortController();
    energyApi
      .grids(ac.signal)
      .then((g) => {
        setGrids(g);
        // A network is reported by default once one exists (its label says whether it is a sample).
        setGrid((cur) => cur ?? g[0]?.name ?? null);
      })
      .catch(() => setGrids([]));
    return () => ac.abort();
  }, [view.panel]);
  const viewBounds = useRef<(() => ViewBbox | null) | null>(null);
  const setViewBounds = useCallback((b: (() => ViewBbox | null) | null) => {
    viewBounds.current = b;
  }, []);
  const portfolioBodyFor = (bbox: ViewBbox | null) =>
    portfolioRequest(choice, settings, { dataset, viewBbox: bbox, ids, grid }, PORTFOLIO_LIMIT);
  const blocked =
    problems.length > 0
      ? problems[0]
      : choice === 'list' && ids.length === 0
        ? 'Add buildings to the list first: select one on the map, then “Add the selected building”.'
        : !dataset
          ? 'No dataset has buildings yet.'
          : null;
  const portfolioResult = useDebouncedRequest(
    portfolioKey,
    (signal) => energyApi.portfolio(JSON.parse(portfolioKey ?? 'null'), signal),
    0,
  );
  const run = () => {
    const body = portfolioBodyFor(choice === 'view' ? (viewBounds.current?.() ?? null) : null);
    if (!body) return;
    setPortfolioKey(JSON.stringify(body));
    setDescribedAs(
      choice === 'public'
        ? `Public buildings (schools, civic, health care) of ${dataset}, up to ${PORTFOLIO_LIMIT},`
        : choice === 'view'
          ? `Buildings in view, up to ${PORTFOLIO_LIMIT},`
          : choice === 'council'
            ? `Council-owned buildings of ${dataset},`
            : `${ids.length} chosen building${ids.length === 1 ? '' : 's'},`,
    );
  };

  const carbon = useCarbonWorkspace(dataset, view.panel === 'carbon');
  const mapDraft = carbon.drafts[carbon.mapPlan];
  const carbonMap = useMemo(
    () => ({ levers: leverSetOf(mapDraft), planTitle: mapDraft.title, year: carbon.mapYear }),
    [mapDraft, carbon.mapYear],
  );
  const buildingValues = useBuildingValues(view.colourBy, datasets, carbonMap);

  return {
    dataset,
    buildingValues,
    flexibility: {
      form,
      setForm,
      settings,
      onClock: day.onClock,
      problems,
      result: flexResult,
      current: flexResult.dataKey === flexKey && !flexResult.loading,
    },
    calibration: {
      current: currentCalibration,
      stored: storedCalibration,
      canCalibrate,
      loading: calibrating.loading,
      error: calibrating.error,
      run: runCalibration,
      reset: resetCalibration,
      use: useCalibration,
      setUse: setUseCalibration,
    },
    portfolio: {
      choice,
      setChoice,
      ids,
      add: (id) => setIds((l) => (l.includes(id) ? l : [...l, id])),
      remove: (id) => setIds((l) => l.filter((x) => x !== id)),
      clear: () => setIds([]),
      run,
      blocked,
      result: portfolioResult,
      describedAs,
      grids,
      grid,
      setGrid,
    },
    carbon,
    setViewBounds,
  };
}

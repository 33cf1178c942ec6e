/**
 * The scenario editor's state: the staff session, the chosen scenario with its changes, overlay and indicators,
 * the footprint being drawn, and the compare swipe. Every edit sends `expectedVersion`; a 409 reloads the scenario
 * and says so in plain words. Keyboard while drawing: Enter finishes, Escape cancels, Backspace removes the last
 * corner.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { buildingUrl } from '../api/client';
import {
  authApi,
  importMassingFile,
  type MassingUpload,
  ScenarioApiError,
  type StaffSession,
  scenarioApi,
} from '../api/scenarioApi';
import { reshapeChange, rotatedFootprint, turnChange } from '../state/footprintEdit';
import {
  addChange,
  addedIds,
  type Change,
  type ChangeRecord,
  type FootprintJson,
  type IndicatorsAnswer,
  type MassingForm,
  moveChange,
  type OverlayAnswer,
  type Scenario,
} from '../state/scenario';
import { distinctVertices, type LonLat } from '../state/sunHours';
import { useDrawingKeys } from './useDrawingKeys';
import { type ScenarioCompareState, useScenarioCompare } from './useScenarioCompare';

export type FootprintMode = 'idle' | 'drawing' | 'closed';

/** A building being moved by dragging its footprint on the map. */
export interface MovingBuilding {
  id: string;
  /** Its footprint as it stands in the scenario. */
  footprint: FootprintJson;
}

export interface ScenarioMessage {
  kind: 'error' | 'info';
  text: string;
}

export interface ScenarioTool extends ScenarioCompareState {
  /** undefined while asking the server who is signed in; null: the public. */
  session: StaffSession | null | undefined;
  dataset: string | null;
  scenarios: Scenario[];
  current: Scenario | null;
  changes: ChangeRecord[];
  overlay: OverlayAnswer | null;
  indicators: IndicatorsAnswer | null;
  busy: boolean;
  message: ScenarioMessage | null;
  mode: FootprintMode;
  points: LonLat[];
  compare: boolean;
  /** The swipe divider, as a fraction of the scene's width from the left. */
  split: number;
  /** The overlay tileset of the current version is loaded and drawn. */
  overlayDrawn: boolean;
  /** The height (m) the drawn footprint is previewed at, as the form sets it (null: flat outline). */
  previewHeightM: number | null;
  setPreviewHeight(h: number | null): void;
  /** Storeys set by dragging the height handle in the scene (the new-building form follows it). */
  draggedStoreys: number | null;
  setDraggedStoreys(n: number | null): void;
  /** The building whose footprint is being dragged on the map (null: none). */
  moving: MovingBuilding | null;
  /** Reads the building's footprint in the scenario and waits for a drag on the map (Escape cancels). */
  startMoving(id: string): void;
  cancelMoving(): void;
  /** Sends the move (a `modify` with the dragged footprint), one undoable change. */
  finishMoving(from: LonLat, to: LonLat): void;
  /** The building whose corners are being dragged on the map (null: none); any building, baseline or added. */
  editing: MovingBuilding | null;
  /** Reads the building's footprint in the scenario and shows its corner handles (Escape stops). */
  startEditing(id: string): void;
  cancelEditing(): void;
  /** Sends a reshaped footprint of the building being edited: one undoable `modify`. */
  commitFootprint(footprint: FootprintJson): void;
  /** Sends a turn dragged on the map (degrees clockwise about a ground point) of the building being edited or
   * moved: one undoable `modify` with rotationDeg. */
  commitTurn(deg: number, about: LonLat): void;
  /** Shows a problem found before anything is sent (e.g. a corner that cannot be removed). */
  showProblem(text: string): void;
  setDataset(name: string): void;
  open(id: number | null): void;
  create(name: string): void;
  login(email: string, password: string): void;
  logout(): void;
  startDrawing(): void;
  addPoint(p: LonLat): void;
  removeLastPoint(): void;
  finishDrawing(): boolean;
  cancelDrawing(): void;
  setFootprint(points: LonLat[]): void;
  addBuilding(form: MassingForm): void;
  edit(changes: Change[]): void;
  /** Sends a CityJSON or glTF massing file to the server, which adds its buildings (all or none). */
  importMassing(file: File, o: MassingUpload): void;
  undo(): void;
  redo(): void;
  setCompare(on: boolean): void;
  setSplit(x: number): void;
  setOverlayDrawn(drawn: boolean): void;
  dismissMessage(): void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A building's footprint as it stands in a scenario (baseline or added), from the buildings endpoint. */
async function footprintOf(id: string, scenarioId: number, signal?: AbortSignal): Promise<FootprintJson> {
  const res = await fetch(buildingUrl(id, scenarioId), {
    headers: { accept: 'application/json' },
    credentials: 'same-origin',
    signal,
  });
  if (!res.ok) throw new Error(`the server answered ${res.status} for ${id}`);
  const body = (await res.json()) as { footprint?: FootprintJson };
  if (!body.footprint) throw new Error(`${id} has no footprint`);
  return body.footprint;
}

export function useScenarioTool(datasets: readonly string[]): ScenarioTool {
  const [session, setSession] = useState<StaffSession | null | undefined>(undefined);
  const [chosenDataset, setChosenDataset] = useState<string | null>(null);
  const [scenarios, setScenarios] = useState<Scenario[]>([]);
  const [current, setCurrent] = useState<Scenario | null>(null);
  const [changes, setChanges] = useState<ChangeRecord[]>([]);
  const [overlay, setOverlay] = useState<OverlayAnswer | null>(null);
  const [indicators, setIndicators] = useState<IndicatorsAnswer | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<ScenarioMessage | null>(null);
  const [mode, setMode] = useState<FootprintMode>('idle');
  const [points, setPoints] = useState<LonLat[]>([]);
  const [compare, setCompare] = useState(false);
  const [split, setSplit] = useState(0.5);
  const [overlayDrawn, setOverlayDrawn] = useState(false);
  const [previewHeightM, setPreviewHeight] = useState<number | null>(null);
  const [draggedStoreys, setDraggedStoreys] = useState<number | null>(null);
  const [moving, setMoving] = useState<MovingBuilding | null>(null);
  const [editing, setEditing] = useState<MovingBuilding | null>(null);
  const dataset = chosenDataset ?? datasets[0] ?? null;

  const refs = useRef({ current, session, changes, points });
  refs.current = { current, session, changes, points };

  useEffect(() => {
    const abort = new AbortController();
    authApi
      .me(abort.signal)
      .then(setSession)
      .catch(() => {
        if (!abort.signal.aborted) setSession(null);
      });
    return () => abort.abort();
  }, []);

  const refreshList = useCallback(async (name: string | null) => {
    if (!name) return setScenarios([]);
    try {
      setScenarios(await scenarioApi.list(name));
    } catch (e) {
      setMessage({ kind: 'error', text: `Cannot read the scenarios: ${errorText(e)}` });
    }
  }, []);

  // The list follows the dataset and the session (staff see drafts, the public only published scenarios).
  useEffect(() => {
    if (session !== undefined) void refreshList(dataset);
  }, [dataset, session, refreshList]);

  /** Reads everything the panel and the scene show for a scenario (after opening it and after every edit). */
  const load = useCallback(async (id: number, scenario?: Scenario) => {
    const [s, list, o, ind] = await Promise.all([
      scenario ?? scenarioApi.get(id),
      scenarioApi.changes(id),
      scenarioApi.overlay(id),
      scenarioApi.indicators(id),
    ]);
    setCurrent(s);
    setChanges(list);
    setOverlay((prev) => (prev?.tilesetUrl === o.tilesetUrl && prev.show === o.show ? prev : o));
    setIndicators(ind);
  }, []);

  const open = useCallback(
    (id: number | null) => {
      setMessage(null);
      setMoving(null);
      setEditing(null);
      if (id === null) {
        setCurrent(null);
        setChanges([]);
        setOverlay(null);
        setIndicators(null);
        setCompare(false);
        return;
      }
      setBusy(true);
      load(id)
        .catch((e) => setMessage({ kind: 'error', text: `Cannot open the scenario: ${errorText(e)}` }))
        .finally(() => setBusy(false));
    },
    [load],
  );

  const fail = useCallback(
    async (e: unknown) => {
      const id = refs.current.current?.id;
      if (e instanceof ScenarioApiError) {
        if (e.problem.status === 401) setSession(null);
        // Stale version: reload what is there now, so the next edit is made on it.
        if (e.problem.kind === 'version-conflict' && id !== undefined) {
          try {
            await load(id);
          } catch (reload) {
            setMessage({ kind: 'error', text: `${e.message} (Reloading failed: ${errorText(reload)})` });
            return;
          }
        }
      }
      setMessage({ kind: 'error', text: errorText(e) });
    },
    [load],
  );

  const run = useCallback(
    (what: (s: Scenario, csrf: string | null) => Promise<Scenario>, after?: () => void) => {
      const s = refs.current.current;
      if (!s) return;
      setBusy(true);
      setMessage(null);
      what(s, refs.current.session?.csrfToken ?? null)
        .then(async (next) => {
          after?.();
          await load(next.id, next);
          void refreshList(next.dataset);
        })
        .catch(fail)
        .finally(() => setBusy(false));
    },
    [load, fail, refreshList],
  );

  const edit = useCallback(
    (list: Change[]) => run((s, csrf) => scenarioApi.append(s.id, s.version, list, csrf)),
    [run],
  );
  const importMassing = useCallback(
    (file: File, o: MassingUpload) => run((s, csrf) => importMassingFile(s.id, s.version, file, o, csrf)),
    [run],
  );
  const startMoving = useCallback((id: string) => {
    const s = refs.current.current;
    if (!s) return;
    setMessage(null);
    footprintOf(id, s.id)
      .then((footprint) => {
        setMode('idle');
        setPoints([]);
        setEditing(null);
        setMoving({ id, footprint });
      })
      .catch((e) => setMessage({ kind: 'error', text: `Cannot move ${id}: ${errorText(e)}` }));
  }, []);
  const startEditing = useCallback((id: string) => {
    const s = refs.current.current;
    if (!s) return;
    setMessage(null);
    footprintOf(id, s.id)
      .then((footprint) => {
        setMode('idle');
        setPoints([]);
        setMoving(null);
        setEditing({ id, footprint });
      })
      .catch((e) =>
        setMessage({ kind: 'error', text: `Cannot edit the footprint of ${id}: ${errorText(e)}` }),
      );
  }, []);
  const cancelEditing = useCallback(() => setEditing(null), []);
  const editingRef = useRef(editing);
  editingRef.current = editing;
  const commitFootprint = useCallback(
    (footprint: FootprintJson) => {
      const e = editingRef.current;
      if (!e) return;
      run(
        (s, csrf) => scenarioApi.append(s.id, s.version, [reshapeChange(e.id, footprint)], csrf),
        () => setEditing((now) => (now?.id === e.id ? { id: e.id, footprint } : now)),
      );
    },
    [run],
  );
  const commitTurn = useCallback(
    (deg: number, about: LonLat) => {
      const b = editingRef.current ?? movingRef.current;
      const change = b && turnChange(b.id, deg, about);
      if (!b || !change) return;
      const turned = (now: MovingBuilding | null) =>
        now?.id === b.id ? { id: b.id, footprint: rotatedFootprint(now.footprint, deg, about) } : now;
      run(
        (s, csrf) => scenarioApi.append(s.id, s.version, [change], csrf),
        () => {
          setEditing(turned);
          setMoving(turned);
        },
      );
    },
    [run],
  );
  // After an undo or redo (or anyone's edit) the footprint being edited is read again; gone, the editing stops.
  const editingId = editing?.id ?? null;
  const version = current?.version ?? null;
  useEffect(() => {
    const s = refs.current.current;
    if (editingId === null || !s || version === null) return;
    const abort = new AbortController();
    footprintOf(editingId, s.id, abort.signal)
      .then((footprint) => setEditing((now) => (now?.id === editingId ? { id: editingId, footprint } : now)))
      .catch(() => {
        if (!abort.signal.aborted) setEditing(null);
      });
    return () => abort.abort();
  }, [editingId, version]);
  const cancelMoving = useCallback(() => setMoving(null), []);
  const movingRef = useRef(moving);
  movingRef.current = moving;
  const finishMoving = useCallback(
    (from: LonLat, to: LonLat) => {
      const m = movingRef.current;
      if (!m) return;
      setMoving(null);
      if (from[0] === to[0] && from[1] === to[1]) return;
      run((s, csrf) => scenarioApi.append(s.id, s.version, [moveChange(m.id, m.footprint, from, to)], csrf));
    },
    [run],
  );
  const reshaping = Boolean(moving || editing);
  useEffect(() => {
    if (!reshaping) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setMoving(null);
        setEditing(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reshaping]);

  const undo = useCallback(() => run((s, csrf) => scenarioApi.undo(s.id, s.version, csrf)), [run]);
  const redo = useCallback(() => run((s, csrf) => scenarioApi.redo(s.id, s.version, csrf)), [run]);

  const startDrawing = useCallback(() => {
    setPoints([]);
    setMode('drawing');
  }, []);
  const addPoint = useCallback((p: LonLat) => setPoints((list) => [...list, p]), []);
  const removeLastPoint = useCallback(() => setPoints((list) => list.slice(0, -1)), []);
  const finishDrawing = useCallback(() => {
    const ring = distinctVertices(refs.current.points);
    if (ring.length < 3) return false;
    setPoints(ring);
    setMode('closed');
    return true;
  }, []);
  const cancelDrawing = useCallback(() => {
    setPoints([]);
    setMode('idle');
  }, []);
  const setFootprint = useCallback((ring: LonLat[]) => {
    setPoints(distinctVertices(ring));
    setMode('closed');
  }, []);

  const addBuilding = useCallback(
    (form: MassingForm) => {
      const ring = refs.current.points;
      if (ring.length < 3) return;
      const change = addChange(ring, form, addedIds(refs.current.changes));
      run(
        (s, csrf) => scenarioApi.append(s.id, s.version, [change], csrf),
        () => {
          setPoints([]);
          setMode('idle');
        },
      );
    },
    [run],
  );

  const create = useCallback(
    (name: string) => {
      if (!dataset) return;
      setBusy(true);
      setMessage(null);
      scenarioApi
        .create(dataset, name, refs.current.session?.csrfToken ?? null)
        .then(async (s) => {
          await load(s.id, s);
          await refreshList(dataset);
        })
        .catch(fail)
        .finally(() => setBusy(false));
    },
    [dataset, load, refreshList, fail],
  );

  const login = useCallback((email: string, password: string) => {
    setBusy(true);
    setMessage(null);
    authApi
      .login(email, password)
      .then(setSession)
      .catch((e) =>
        setMessage({
          kind: 'error',
          text:
            e instanceof ScenarioApiError && e.problem.status === 401
              ? 'Wrong email address or password.'
              : `Cannot sign in: ${errorText(e)}`,
        }),
      )
      .finally(() => setBusy(false));
  }, []);
  const logout = useCallback(() => {
    authApi
      .logout(refs.current.session?.csrfToken ?? null)
      .catch(() => {})
      .finally(() => setSession(null));
  }, []);

  useDrawingKeys(mode === 'drawing', finishDrawing, cancelDrawing, removeLastPoint);

  const setDataset = useCallback(
    (name: string) => {
      setChosenDataset(name);
      open(null);
    },
    [open],
  );
  const dismissMessage = useCallback(() => setMessage(null), []);
  const showProblem = useCallback((text: string) => setMessage({ kind: 'error', text }), []);
  const compareState = useScenarioCompare(current, compare, overlay);

  return useMemo(
    () => ({
      ...compareState,
      previewHeightM,
      setPreviewHeight,
      draggedStoreys,
      setDraggedStoreys,
      moving,
      startMoving,
      cancelMoving,
      finishMoving,
      editing,
      startEditing,
      cancelEditing,
      commitFootprint,
      commitTurn,
      session,
      dataset,
      scenarios,
      current,
      changes,
      overlay,
      indicators,
      busy,
      message,
      mode,
      points,
      compare,
      split,
      overlayDrawn,
      setDataset,
      open,
      create,
      login,
      logout,
      startDrawing,
      addPoint,
      removeLastPoint,
      finishDrawing,
      cancelDrawing,
      setFootprint,
      addBuilding,
      edit,
      importMassing,
      undo,
      redo,
      setCompare,
      setSplit,
      setOverlayDrawn,
      dismissMessage,
      showProblem,
    }),
    [
      compareState,
      previewHeightM,
      draggedStoreys,
      moving,
      startMoving,
      cancelMoving,
      finishMoving,
      editing,
      startEditing,
      cancelEditing,
      commitFootprint,
      commitTurn,
      session,
      dataset,
      scenarios,
      current,
      changes,
      overlay,
      indicators,
      busy,
      message,
      mode,
      points,
      compare,
      split,
      overlayDrawn,
      setDataset,
      open,
      create,
      login,
      logout,
      startDrawing,
      addPoint,
      removeLastPoint,
      finishDrawing,
      cancelDrawing,
      setFootprint,
      addBuilding,
      edit,
      importMassing,
      undo,
      redo,
      dismissMessage,
      showProblem,
    ],
  );
}

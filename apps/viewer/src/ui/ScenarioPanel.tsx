import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  describeChange,
  indicatorRows,
  type MassingForm,
  massingProblem,
  modifyChange,
  parseTurn,
  signed,
  USES,
  type Use,
} from '../state/scenario';
import { areaFromGeoJson, ringAreaM2 } from '../state/sunHours';
import { MassingImport } from './MassingImport';
import { ScenarioComparePanel } from './ScenarioComparePanel';
import { ScenarioSelect } from './ScenarioSelect';
import { TurnField } from './TurnField';
import type { ScenarioTool } from './useScenarioTool';

export interface ScenarioPanelProps {
  tool: ScenarioTool;
  datasets: string[];
  /** The building selected in the scene (baseline or overlay), to modify or demolish. */
  selected: string | null;
  onDeselect(): void;
}

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const optionalNumber = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/**
 * Scenarios: choose or create one for a dataset, sign in to edit (planners), draw a new building's footprint and set
 * its storeys, height and use, change or demolish the selected building, undo and redo, read the indicators with
 * their deltas against the baseline, and compare (ScenarioComparePanel) with the baseline or another scenario.
 */
export function ScenarioPanel({ tool, datasets, selected, onDeselect }: ScenarioPanelProps) {
  const id = useId();
  const { session, current, mode, points, busy } = tool;
  const canEdit = Boolean(session) && current?.status === 'draft';
  const [newName, setNewName] = useState('');
  // Closing the building (✕ or Escape) stops reshaping it: its handles go with its panel.
  const { editing, cancelEditing } = tool;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of selection stops the editing
  useEffect(() => {
    if (editing && editing.id !== selected) cancelEditing();
  }, [selected]);

  return (
    <section className="panel-section scenario" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Scenarios</h2>
      <p className="hint">What-if changes to the buildings: new massing, taller or demolished buildings.</p>

      {datasets.length > 1 && (
        <label className="row">
          Dataset{' '}
          <select value={tool.dataset ?? ''} onChange={(e) => tool.setDataset(e.target.value)}>
            {datasets.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
      )}
      <ScenarioSelect
        label="Scenario"
        value={current?.id ?? null}
        scenarios={tool.scenarios}
        baselineText="Baseline (no scenario)"
        onChange={tool.open}
      />

      {session === null && <SignIn tool={tool} />}
      {session && (
        <p className="hint">
          Signed in as {session.user.displayName} ({session.user.role}).{' '}
          <button type="button" className="link" onClick={tool.logout}>
            Sign out
          </button>
        </p>
      )}

      {session && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (newName.trim()) tool.create(newName.trim());
            setNewName('');
          }}
        >
          <input
            className="grow"
            aria-label="New scenario name"
            placeholder="New scenario name"
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
          />
          <button type="submit" disabled={busy || !newName.trim() || !tool.dataset}>
            Create
          </button>
        </form>
      )}

      {tool.message && (
        <div
          className={tool.message.kind === 'error' ? 'scenario-message error' : 'scenario-message'}
          role="alert"
        >
          <p>{tool.message.text}</p>
          <button type="button" className="link" onClick={tool.dismissMessage}>
            Dismiss
          </button>
        </div>
      )}
      {busy && (
        <p className="hint" role="status">
          Working…
        </p>
      )}

      {current && (
        <>
          <p className="hint">
            Version {current.version}, {current.status}
            {current.status === 'published' && ' (unpublish it to edit)'}.
          </p>
          {canEdit && (
            <>
              <h3>New building</h3>
              <div className="row">
                {mode === 'drawing' ? (
                  <>
                    <button
                      type="button"
                      className="grow"
                      onClick={() => tool.finishDrawing()}
                      disabled={points.length < 3}
                    >
                      Finish footprint
                    </button>
                    <button type="button" onClick={tool.cancelDrawing}>
                      Cancel
                    </button>
                  </>
                ) : (
                  <button type="button" className="grow" onClick={tool.startDrawing} disabled={busy}>
                    {mode === 'closed' ? 'Draw another footprint' : 'Draw footprint on the map'}
                  </button>
                )}
              </div>
              {mode === 'drawing' && (
                <p className="hint" role="status">
                  Click the corners on the ground ({points.length} so far). Double-click or press Enter to
                  finish, Backspace to remove the last corner, Escape to cancel.
                </p>
              )}
              {mode !== 'drawing' && <PasteFootprint tool={tool} />}
              {mode !== 'drawing' && <MassingImport tool={tool} />}
              {mode === 'closed' && <NewBuildingForm tool={tool} />}
              {selected && <SelectedBuilding tool={tool} id={selected} onDeselect={onDeselect} />}
              {!selected && (
                <p className="hint">Click a building to change its height or use, or demolish it.</p>
              )}
            </>
          )}
          <ChangeList tool={tool} canEdit={canEdit} />
          <Indicators tool={tool} />
          <ScenarioComparePanel tool={tool} />
        </>
      )}
    </section>
  );
}

function SignIn({ tool }: { tool: ScenarioTool }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    tool.login(email, password);
    setPassword('');
  };
  return (
    <form className="sign-in" onSubmit={submit} aria-label="Staff sign-in">
      <p className="hint">Planners sign in to create and edit scenarios; anyone can view published ones.</p>
      <label className="row">
        Email{' '}
        <input
          className="grow"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
      </label>
      <label className="row">
        Password{' '}
        <input
          className="grow"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      <button type="submit" disabled={tool.busy}>
        Sign in
      </button>
    </form>
  );
}

function PasteFootprint({ tool }: { tool: ScenarioTool }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <details>
      <summary>Or paste a footprint (GeoJSON Polygon)</summary>
      <textarea
        aria-label="Footprint as GeoJSON"
        rows={3}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button
        type="button"
        onClick={() => {
          const ring = areaFromGeoJson(text);
          if (typeof ring === 'string') setError(ring);
          else {
            setError(null);
            tool.setFootprint(ring);
          }
        }}
      >
        Use this footprint
      </button>
      {error && <p role="alert">{error}</p>}
    </details>
  );
}

function UseSelect({ value, onChange, label }: { value: string; onChange(v: string): void; label: string }) {
  return (
    <label className="row">
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {value === '' && <option value="">(unchanged)</option>}
        {USES.map((u) => (
          <option key={u}>{u}</option>
        ))}
      </select>
    </label>
  );
}

function NewBuildingForm({ tool }: { tool: ScenarioTool }) {
  const [name, setName] = useState('');
  const [use, setUse] = useState<Use>('residential');
  const [storeys, setStoreys] = useState('4');
  const [height, setHeight] = useState('');
  const form: MassingForm = { name, use, storeys: optionalNumber(storeys), heightM: optionalNumber(height) };
  const problem = massingProblem(form);
  // The footprint on the map is drawn extruded to the height the form gives (storeys × 3 m without a height).
  const shownHeight = form.heightM ?? (form.storeys !== null ? form.storeys * 3 : null);
  const { setPreviewHeight, draggedStoreys, setDraggedStoreys } = tool;
  // The height handle in the scene sets whole storeys (3 m each): the form follows, so Add building uses them.
  useEffect(() => {
    if (draggedStoreys === null) return;
    setStoreys(String(draggedStoreys));
    setHeight('');
  }, [draggedStoreys]);
  useEffect(() => () => setDraggedStoreys(null), [setDraggedStoreys]);
  useEffect(() => {
    setPreviewHeight(
      shownHeight !== null && Number.isFinite(shownHeight) && shownHeight > 0 ? shownHeight : null,
    );
  }, [shownHeight, setPreviewHeight]);
  useEffect(() => () => setPreviewHeight(null), [setPreviewHeight]);
  return (
    <form
      className="massing"
      aria-label="New building"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) tool.addBuilding(form);
      }}
    >
      <p className="hint">
        Footprint: {whole.format(ringAreaM2(tool.points))} m², {tool.points.length} corners.
      </p>
      <label className="row">
        Name{' '}
        <input
          className="grow"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="Block A"
        />
      </label>
      <UseSelect label="Use" value={use} onChange={(v) => setUse(v as Use)} />
      <label className="row">
        Storeys{' '}
        <input
          type="number"
          min={1}
          max={300}
          step={1}
          value={storeys}
          onChange={(e) => setStoreys(e.target.value)}
        />
      </label>
      <label className="row">
        Height, m (blank: 3 m a storey){' '}
        <input
          type="number"
          min={0}
          max={1000}
          step={0.5}
          value={height}
          onChange={(e) => setHeight(e.target.value)}
        />
      </label>
      <label className="row">
        Drag the height{' '}
        <input
          type="range"
          className="grow"
          aria-label="Height, m (drag)"
          min={2}
          max={120}
          step={0.5}
          value={shownHeight ?? 12}
          onChange={(e) => setHeight(e.target.value)}
        />{' '}
        <output>{shownHeight === null ? '–' : `${shownHeight} m`}</output>
      </label>
      {problem && <p role="alert">{problem}</p>}
      <button type="submit" disabled={Boolean(problem) || tool.busy}>
        Add building
      </button>
    </form>
  );
}

function SelectedBuilding({ tool, id, onDeselect }: { tool: ScenarioTool; id: string; onDeselect(): void }) {
  const [use, setUse] = useState('');
  const [storeys, setStoreys] = useState('');
  const [height, setHeight] = useState('');
  const [turn, setTurn] = useState('');
  const turnValue = parseTurn(turn);
  const form = {
    storeys: optionalNumber(storeys),
    heightM: optionalNumber(height),
    use: (use || undefined) as Use,
  };
  const problem =
    massingProblem({ name: '', ...form, use: form.use ?? 'unknown' }, false) ??
    (typeof turnValue === 'string' ? turnValue : null);
  const change = problem
    ? null
    : modifyChange(id, { ...form, rotationDeg: typeof turnValue === 'number' ? turnValue : null });
  const moving = tool.moving?.id === id;
  const editing = tool.editing?.id === id;
  return (
    <form
      className="massing"
      aria-label="Selected building"
      onSubmit={(e) => {
        e.preventDefault();
        if (change) tool.edit([change]);
      }}
    >
      <h3>Selected: {id}</h3>
      {moving && (
        <p className="hint" role="status">
          Drag the building’s yellow outline on the map to where it should stand, or its round handle to turn
          it; Escape stops.
        </p>
      )}
      {editing && (
        <p className="hint" role="status">
          Drag a white corner on the map to move it, an edge’s middle to add a corner, the round handle to
          turn the building; Alt-click a corner to remove it. Each change is saved on release (Undo takes it
          back); Escape stops.
        </p>
      )}
      <UseSelect label="New use" value={use} onChange={setUse} />
      <label className="row">
        New storeys{' '}
        <input
          type="number"
          min={1}
          max={300}
          step={1}
          value={storeys}
          onChange={(e) => setStoreys(e.target.value)}
        />
      </label>
      <label className="row">
        New height, m{' '}
        <input
          type="number"
          min={0}
          max={1000}
          step={0.5}
          value={height}
          onChange={(e) => setHeight(e.target.value)}
        />
      </label>
      <TurnField value={turn} onChange={setTurn} />
      {problem && <p role="alert">{problem}</p>}
      <div className="row">
        <button type="submit" className="grow" disabled={!change || tool.busy}>
          Apply change
        </button>
        <button
          type="button"
          aria-pressed={moving}
          disabled={tool.busy}
          onClick={() => (moving ? tool.cancelMoving() : tool.startMoving(id))}
        >
          {moving ? 'Stop moving' : 'Move on the map'}
        </button>
        <button
          type="button"
          aria-pressed={editing}
          disabled={tool.busy}
          onClick={() => (editing ? tool.cancelEditing() : tool.startEditing(id))}
        >
          {editing ? 'Stop editing' : 'Edit footprint'}
        </button>
        <button
          type="button"
          disabled={tool.busy}
          onClick={() => {
            tool.edit([{ op: 'demolish', id }]);
            onDeselect();
          }}
        >
          Demolish
        </button>
      </div>
    </form>
  );
}

function ChangeList({ tool, canEdit }: { tool: ScenarioTool; canEdit: boolean }) {
  const active = tool.changes.filter((c) => c.state === 'active');
  const undone = tool.changes.filter((c) => c.state === 'undone');
  return (
    <>
      <h3>Changes</h3>
      {active.length === 0 && <p className="hint">No changes yet: this is the baseline.</p>}
      <ol className="change-list">
        {active.map((c) => (
          <li key={c.seq}>{describeChange(c.change)}</li>
        ))}
        {undone.map((c) => (
          <li key={c.seq} className="undone">
            <s>{describeChange(c.change)}</s> (undone)
          </li>
        ))}
      </ol>
      {canEdit && (
        <div className="row">
          <button
            type="button"
            className="grow"
            onClick={tool.undo}
            disabled={tool.busy || active.length === 0}
          >
            Undo
          </button>
          <button
            type="button"
            className="grow"
            onClick={tool.redo}
            disabled={tool.busy || undone.length === 0}
          >
            Redo
          </button>
        </div>
      )}
    </>
  );
}

function Indicators({ tool }: { tool: ScenarioTool }) {
  const ind = tool.indicators;
  if (!ind) return null;
  const rows = indicatorRows(ind);
  const fmt = (x: number | null, unit: string) =>
    x === null ? '–' : unit === '%' ? x.toFixed(1) : whole.format(x);
  return (
    <>
      <h3>Indicators</h3>
      <p className="hint">
        Over {ind.studyArea.source === 'site' ? 'the red line' : 'the whole dataset'} (
        {whole.format(ind.studyArea.areaM2 / 10_000)} ha). Homes and jobs are floor-area estimates with stated
        ratios.
      </p>
      <table className="indicators">
        <thead>
          <tr>
            <th scope="col">Indicator</th>
            <th scope="col">Baseline</th>
            <th scope="col">Scenario</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.key.startsWith('gfa-') ? 'sub' : undefined}>
              <th scope="row" className="row-label">
                {r.label.trim()}
                {r.unit ? ` (${r.unit})` : ''}
              </th>
              <td>{fmt(r.baseline, r.unit)}</td>
              <td>{fmt(r.scenario, r.unit)}</td>
              <td className={r.delta ? (r.delta > 0 ? 'up' : 'down') : undefined}>
                {signed(r.delta, r.unit === '%' || r.unit === 'm' ? 1 : 0)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

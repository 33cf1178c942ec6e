/**
 * Import a massing file (GeoJSON footprints with storeys/height and use) into the open scenario: each footprint
 * becomes one `add` change, sent together (one request: all or nothing). Problems in the file are listed by
 * feature before anything is sent; the server's own checks (overlaps, extent) come back in the scenario message.
 */
import { useId, useState } from 'react';
import {
  type MassingFileKind,
  massingFileKind,
  massingFromGeoJson,
  type MassingImport as Parsed,
  parseOrigin,
} from '../state/massingImport';
import { addedIds, parseTurn, USES, type Use } from '../state/scenario';
import { TurnField } from './TurnField';
import type { ScenarioTool } from './useScenarioTool';

export function MassingImport({ tool }: { tool: ScenarioTool }) {
  const id = useId();
  const [problems, setProblems] = useState<string[]>([]);
  const [ready, setReady] = useState<(Parsed & { file: string }) | null>(null);
  const [model, setModel] = useState<{ file: File; kind: Exclude<MassingFileKind, 'geojson'> } | null>(null);
  const [origin, setOrigin] = useState('');
  const [use, setUse] = useState<Use>('residential');
  const originValue = parseOrigin(origin);
  const [turn, setTurn] = useState('');
  const turnValue = parseTurn(turn);

  const read = async (file: File | undefined) => {
    setProblems([]);
    setReady(null);
    setModel(null);
    if (!file) return;
    const kind = massingFileKind(file.name, new Uint8Array(await file.slice(0, 4096).arrayBuffer()));
    if (kind !== 'geojson') {
      setModel({ file, kind });
      return;
    }
    const parsed = massingFromGeoJson(await file.text(), addedIds(tool.changes));
    if ('problems' in parsed) setProblems(parsed.problems.map((p) => `${file.name}: ${p}`));
    else setReady({ ...parsed, file: file.name });
  };

  return (
    <details className="massing-import">
      <summary>Or import a massing file (GeoJSON, CityJSON or glTF)</summary>
      <p className="hint">
        GeoJSON: footprints in WGS84 degrees, each with a <code>storeys</code> or <code>height</code> (m)
        property, and optionally <code>name</code> and <code>use</code>. CityJSON (<code>.city.json</code>):
        each Building’s footprint and height. glTF binary (<code>.glb</code>, Y up, metres): each top-level
        node is a building, its footprint the outline (convex hull) of its vertices on the ground, its height
        top − bottom; Draco-compressed glTF is read too.
      </p>
      <label className="row" htmlFor={`${id}-file`}>
        Massing file{' '}
        <input
          id={`${id}-file`}
          type="file"
          accept=".geojson,.json,.city.json,.glb,application/geo+json,application/json,model/gltf-binary"
          onChange={(e) => void read(e.target.files?.[0])}
          disabled={tool.busy}
        />
      </label>
      {problems.length > 0 && (
        <div role="alert" className="import-problems">
          <p>Nothing was imported. Fix these in the file and choose it again:</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {model && (
        <div className="import-ready" data-testid="massing-model">
          <p>
            {model.file.name}: {model.kind === 'glb' ? 'glTF binary' : 'CityJSON'}, read and checked by the
            server; every building is added or none.
          </p>
          <label className="row">
            Site origin (lon, lat){' '}
            <input
              className="grow"
              value={origin}
              onChange={(e) => setOrigin(e.target.value)}
              placeholder={model.kind === 'glb' ? 'centre of the red line' : 'where its CRS puts it'}
              aria-describedby={`${id}-origin-hint`}
            />
          </label>
          <p className="hint" id={`${id}-origin-hint`}>
            {model.kind === 'glb'
              ? 'glTF has no georeference: the file’s origin (0, 0, 0) goes here, +X east, −Z north. Blank: the centre of the scenario’s red line.'
              : 'Blank: the buildings stay where the file’s coordinate system puts them. Given: they are moved (not turned) so their centre is here.'}
          </p>
          {typeof originValue === 'string' && <p role="alert">{originValue}</p>}
          <TurnField
            value={turn}
            onChange={setTurn}
            hint="The whole model turns about its origin (glTF) or its centre (CityJSON), seen from above."
          />
          {typeof turnValue === 'string' && <p role="alert">{turnValue}</p>}
          <label className="row">
            Use{' '}
            <select value={use} onChange={(e) => setUse(e.target.value as Use)}>
              {USES.map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={tool.busy || typeof originValue === 'string' || typeof turnValue === 'string'}
            onClick={() => {
              tool.importMassing(model.file, {
                use,
                origin: typeof originValue === 'string' ? null : originValue,
                rotationDeg: typeof turnValue === 'number' ? turnValue : null,
              });
              setModel(null);
            }}
          >
            Import {model.file.name}
          </button>
        </div>
      )}
      {ready && (
        <div className="import-ready">
          <p>
            {ready.file}: {ready.changes.length} building{ready.changes.length === 1 ? '' : 's'}.
          </p>
          <ul>
            {ready.summary.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          <button
            type="button"
            disabled={tool.busy}
            onClick={() => {
              tool.edit(ready.changes);
              setReady(null);
            }}
          >
            Add {ready.changes.length} building{ready.changes.length === 1 ? '' : 's'} to the scenario
          </button>
        </div>
      )}
    </details>
  );
}

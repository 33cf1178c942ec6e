/**
 * Import a massing file (GeoJSON footprints with storeys/height and use) into the open scenario: each footprint
 * becomes one `add` change, sent together (one request: all or nothing). Problems in the file are listed by
 * feature before anything is sent; the server's own checks (overlaps, extent) come back in the scenario message.
 */
import { useId, useState } from 'react';
import { massingFromGeoJson, type MassingImport as Parsed } from '../state/massingImport';
import { addedIds } from '../state/scenario';
import type { ScenarioTool } from './useScenarioTool';

export function MassingImport({ tool }: { tool: ScenarioTool }) {
  const id = useId();
  const [problems, setProblems] = useState<string[]>([]);
  const [ready, setReady] = useState<(Parsed & { file: string }) | null>(null);

  const read = async (file: File | undefined) => {
    setProblems([]);
    setReady(null);
    if (!file) return;
    const parsed = massingFromGeoJson(await file.text(), addedIds(tool.changes));
    if ('problems' in parsed) setProblems(parsed.problems.map((p) => `${file.name}: ${p}`));
    else setReady({ ...parsed, file: file.name });
  };

  return (
    <details className="massing-import">
      <summary>Or import a massing file (GeoJSON)</summary>
      <p className="hint">
        Footprints in WGS84 degrees, each with a <code>storeys</code> or <code>height</code> (m) property, and
        optionally <code>name</code> and <code>use</code>.
      </p>
      <label className="row" htmlFor={`${id}-file`}>
        Massing file{' '}
        <input
          id={`${id}-file`}
          type="file"
          accept=".geojson,.json,application/geo+json,application/json"
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

import { type FormEvent, useId, useState } from 'react';
import type { Action } from '../state/store';
import { findUprn } from './uprnSearch';

/** A search box in the header: type a UPRN, fly to the building it is linked to and select it. */
export function UprnSearch({ dispatch }: { dispatch: (a: Action) => void }) {
  const inputId = useId();
  const [value, setValue] = useState('');
  const [status, setStatus] = useState<{ text: string; problem: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await findUprn(value);
    setBusy(false);
    if (r.kind !== 'found') {
      setStatus({ text: r.message, problem: true });
      return;
    }
    const [first] = r.matches;
    dispatch({ type: 'flyTo', camera: first.camera, fly: true });
    dispatch({ type: 'select', id: first.id });
    setStatus({
      text: `${first.name ?? first.id}${r.matches.length > 1 ? ` (1 of ${r.matches.length} buildings)` : ''}`,
      problem: false,
    });
  };

  return (
    <form className="uprn-search" aria-label="Find a building by UPRN" onSubmit={submit}>
      <label htmlFor={inputId} className="uprn-label">
        UPRN
      </label>
      <input
        id={inputId}
        className="uprn-input"
        type="search"
        inputMode="numeric"
        autoComplete="off"
        placeholder="e.g. 100032045137"
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        aria-describedby={`${inputId}-status`}
      />
      <button type="submit" disabled={busy || value.trim() === ''}>
        Find
      </button>
      <span
        id={`${inputId}-status`}
        className={status?.problem ? 'uprn-status problem' : 'uprn-status'}
        role="status"
        aria-live="polite"
      >
        {status?.text}
      </span>
    </form>
  );
}

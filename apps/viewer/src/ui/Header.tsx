import { type ReactNode, useEffect, useState } from 'react';
import type { DatasetInfo } from '../api/types';

export interface HeaderProps {
  datasets: DatasetInfo[];
  onHome: () => void;
  canGoHome: boolean;
  /** The link that reopens the current view. */
  shareLink: () => string;
  mode: 'tiles' | 'geojson';
  /** Tools shown before the header's buttons (the UPRN search). */
  children?: ReactNode;
}

const count = new Intl.NumberFormat('en-GB');

export function Header({ datasets, onHome, canGoHome, shareLink, mode, children }: HeaderProps) {
  const [copyState, setCopyState] = useState<
    { kind: 'idle' } | { kind: 'copied' } | { kind: 'manual'; url: string }
  >({ kind: 'idle' });
  useEffect(() => {
    if (copyState.kind !== 'copied') return;
    const timer = setTimeout(() => setCopyState({ kind: 'idle' }), 2500);
    return () => clearTimeout(timer);
  }, [copyState]);

  const copy = async () => {
    const url = shareLink();
    try {
      await navigator.clipboard.writeText(url);
      setCopyState({ kind: 'copied' });
    } catch {
      // No clipboard permission (or an insecure origin): show the link to copy by hand.
      setCopyState({ kind: 'manual', url });
    }
  };

  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1>Placetwin</h1>
      </div>
      <p className="header-datasets">
        {datasets.length === 0
          ? 'No dataset loaded'
          : datasets.map((d) => `${d.title} · ${count.format(d.buildingCount)} buildings`).join('  |  ')}
        {mode === 'geojson' && <span className="pill pill-warn">GeoJSON comparison mode</span>}
      </p>
      {children}
      <div className="header-actions">
        <button type="button" onClick={onHome} disabled={!canGoHome} title="Fly back to the whole dataset">
          Home
        </button>
        <button type="button" onClick={copy} title="Copy a link that opens this exact view">
          Copy link
        </button>
        <span className="copy-status" role="status" aria-live="polite">
          {copyState.kind === 'copied' && 'Link copied'}
        </span>
      </div>
      {copyState.kind === 'manual' && (
        <div className="manual-copy">
          <label>
            Copy this link
            <input
              readOnly
              value={copyState.url}
              onFocus={(e) => e.currentTarget.select()}
              ref={(el) => el?.focus()}
            />
          </label>
          <button type="button" onClick={() => setCopyState({ kind: 'idle' })}>
            Done
          </button>
        </div>
      )}
    </header>
  );
}

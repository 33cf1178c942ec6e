import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useBuilding } from '../api/client';
import type { BuildingDetails } from '../api/types';
import { describeHeight, describeOsmId, formatAreaM2, humanise } from '../state/describe';

export interface InfoPanelProps {
  id: string;
  onClose: () => void;
  /** The open scenario, if any: the building is shown as it stands there (added and changed ones too). */
  scenarioId?: number | null;
  /** More about the building, after its facts (the energy layer's figures). */
  children?: ReactNode;
}

/** The selected building: every attribute, the height and how it was obtained, and where the data came from. */
export function InfoPanel({ id, onClose, scenarioId = null, children }: InfoPanelProps) {
  const building = useBuilding(id, scenarioId);
  const headingId = useId();
  const panelRef = useRef<HTMLElement>(null);
  // Keyboard and screen-reader users land on the panel that just opened, not back at the top of the page.
  useEffect(() => {
    if (building.status === 'loaded') panelRef.current?.focus({ preventScroll: true });
  }, [building.status]);

  return (
    <section
      className="info-panel"
      aria-labelledby={headingId}
      data-building-id={id}
      ref={panelRef}
      tabIndex={-1}
    >
      <div className="info-head">
        <h2 id={headingId}>
          {building.status === 'loaded' ? (building.data.name ?? unnamed(building.data)) : 'Building'}
        </h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close building details">
          ×
        </button>
      </div>
      {building.status === 'loading' && <p className="hint">Loading {id}…</p>}
      {building.status === 'failed' && (
        <p className="problem" role="alert">
          Could not load this building: {building.message}
        </p>
      )}
      {building.status === 'loaded' && <BuildingFacts b={building.data} />}
      {/* The analyses below (energy, …) model surveyed buildings; a scenario's proposed `new/…` one has none. */}
      {building.status === 'loaded' && !id.startsWith('new/') && children}
    </section>
  );
}

const unnamed = (b: BuildingDetails): string => (b.use ? `${humanise(b.use)} building` : 'Unnamed building');

function BuildingFacts({ b }: { b: BuildingDetails }) {
  const height = describeHeight(b);
  const osm = describeOsmId(b.sourceId);
  const attributes = Object.entries(b.attributes).sort(([a], [c]) => a.localeCompare(c));
  return (
    <>
      <dl className="facts">
        <dt>{osm ? 'OSM id' : 'Source id'}</dt>
        <dd className="osm-id">
          {osm ? `${osm.type} ${osm.number}` : b.sourceId} <small>({b.sourceId})</small>
        </dd>
        <dt>Use</dt>
        <dd>{b.use ? humanise(b.use) : 'Not recorded'}</dd>
        <dt>Height</dt>
        <dd>
          {b.heightM.toFixed(1)} m{' '}
          <span className={`badge badge-${height.kind.toLowerCase()}`} data-height-source={b.heightSource}>
            {height.kind}
          </span>
        </dd>
        {b.minHeightM > 0 && (
          <>
            <dt>Starts at</dt>
            <dd>{b.minHeightM.toFixed(1)} m above ground</dd>
          </>
        )}
        <dt>Storeys</dt>
        <dd>{b.storeys ?? 'Not recorded'}</dd>
        <dt>Footprint</dt>
        <dd>{b.footprintAreaM2 === null ? 'Not known' : formatAreaM2(b.footprintAreaM2)}</dd>
        <dt>UPRN{b.uprns.length > 1 ? 's' : ''}</dt>
        <dd className="uprns">
          {b.uprns.length === 0
            ? 'None linked'
            : b.uprns.map((u, i) => (
                <span key={`${u.uprn}-${u.source}`}>
                  {i > 0 && ', '}
                  <span data-uprn={u.uprn}>{u.uprn}</span>{' '}
                  <small>
                    (
                    {u.source === 'osm-tag'
                      ? 'OSM tag'
                      : u.source === 'os-open-uprn'
                        ? 'OS Open UPRN'
                        : u.source}
                    )
                  </small>
                </span>
              ))}
        </dd>
        <dt>Ground level</dt>
        <dd>
          {b.groundElevationM === null ? 'Not known' : `${b.groundElevationM.toFixed(1)} m above sea level`}
        </dd>
      </dl>
      <p className="height-note">
        <strong>How tall?</strong> {height.sentence}
      </p>
      {attributes.length > 0 && (
        <details className="attributes" open={attributes.length <= 8}>
          <summary>All recorded attributes ({attributes.length})</summary>
          <table>
            <tbody>
              {attributes.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{v === null ? '—' : String(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <h3>Where this comes from</h3>
      <dl className="facts provenance">
        <dt>Dataset</dt>
        <dd>
          {b.dataset.title || b.dataset.name}
          {b.dataset.vintage ? ` (${b.dataset.vintage})` : ''}
        </dd>
        {b.dataset.source && (
          <>
            <dt>Source</dt>
            <dd>{b.dataset.source}</dd>
          </>
        )}
        <dt>Licence</dt>
        <dd>{b.dataset.licence || 'Not stated'}</dd>
        <dt>Attribution</dt>
        <dd>{b.dataset.attribution || 'Not stated'}</dd>
        <dt>Building id</dt>
        <dd>
          <code>{b.id}</code>
        </dd>
      </dl>
    </>
  );
}

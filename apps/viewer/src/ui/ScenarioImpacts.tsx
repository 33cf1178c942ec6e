/**
 * Sun, energy and carbon in the compare panel: the baseline, each scenario compared, and the open scenario's change
 * from what it is compared with (the baseline, or the other scenario), with units and sources. Nothing is asked
 * for until the section is opened; each figure shows "computing…" until its answer arrives.
 */
import { useState } from 'react';
import { signed } from '../state/scenario';
import type { CompareAgainst } from '../state/scenarioCompare';
import { type ImpactRow, impactRows, impactsSummary, referenceName } from '../state/scenarioImpacts';
import { useScenarioImpacts } from './useScenarioImpacts';

const fmt1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const show = (x: number | null) => (x === null ? '–' : fmt1.format(x));

function Cell({ side }: { side: ImpactRow['sides'][number] }) {
  if (side.state === 'computing') return <td className="computing">computing…</td>;
  if (side.state === 'failed') return <td className="failed">not available</td>;
  return <td>{show(side.value)}</td>;
}

function ChangeCell({ row }: { row: ImpactRow }) {
  const d = row.change;
  return (
    <td className={d ? (d > 0 ? 'up' : 'down') : undefined} data-change="">
      {row.changeState === 'ready' ? signed(d, 1) : ''}
    </td>
  );
}

export function ScenarioImpacts({
  dataset,
  against,
  current,
  otherName,
}: {
  dataset: string | null;
  against: CompareAgainst;
  current: { id: number; name: string; version: number };
  otherName: string | null;
}) {
  const [open, setOpen] = useState(false);
  const impacts = useScenarioImpacts(open, dataset, against, current, otherName);
  const rows = impactRows(impacts);
  const reference = against === 'baseline' ? null : (otherName ?? `Scenario ${against}`);
  const sources = [...new Set(rows.map((r) => r.source))];
  const errors = impacts.flatMap((s) =>
    [s.sunError, s.energyError, s.carbonError].filter(Boolean).map((e) => `${s.name}: ${e}`),
  );
  return (
    <details
      className="scenario-impacts"
      data-testid="scenario-impacts"
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>{impactsSummary(reference)}</summary>
      {open && (
        <>
          <p className="hint">
            Change = “{current.name}” − {referenceName(reference)}.
          </p>
          <div className="table-scroll">
            <table className="indicators comparison impacts" data-testid="impacts-table">
              <thead>
                <tr>
                  <th scope="col">Indicator</th>
                  <th scope="col">Baseline</th>
                  {impacts.map((s) => (
                    <th scope="col" key={s.name}>
                      {s.name}
                    </th>
                  ))}
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key} data-key={r.key} title={r.source}>
                    <th scope="row" className="row-label">
                      {r.label} ({r.unit})
                    </th>
                    <td>
                      {r.sides.some((s) => s.state === 'computing') && r.baseline === null
                        ? 'computing…'
                        : show(r.baseline)}
                    </td>
                    {r.sides.map((s, i) => (
                      <Cell key={impacts[i]?.name ?? i} side={s} />
                    ))}
                    <ChangeCell row={r} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="hint impact-sources">
            {sources.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
          {errors.length > 0 && (
            <ul className="impact-errors">
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </details>
  );
}

/**
 * Sun, energy and carbon in the compare panel: baseline, each scenario compared, and its change from the
 * baseline, with units and sources. Nothing is asked for until the section is opened; each figure shows
 * "computing…" until its answer arrives.
 */
import { useState } from 'react';
import { signed } from '../state/scenario';
import type { CompareAgainst } from '../state/scenarioCompare';
import { type ImpactRow, impactRows } from '../state/scenarioImpacts';
import { useScenarioImpacts } from './useScenarioImpacts';

const fmt1 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const show = (x: number | null) => (x === null ? '–' : fmt1.format(x));

function Cell({ side }: { side: ImpactRow['sides'][number] }) {
  if (side.state === 'computing') return <td className="computing">computing…</td>;
  if (side.state === 'failed') return <td className="failed">not available</td>;
  return <td>{show(side.value)}</td>;
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
      <summary>Sun, energy and carbon against the baseline</summary>
      {open && (
        <>
          <div className="table-scroll">
            <table className="indicators comparison impacts" data-testid="impacts-table">
              <thead>
                <tr>
                  <th scope="col">Indicator</th>
                  <th scope="col">Baseline</th>
                  {impacts.map((s) => (
                    <FragmentHeads key={s.name} name={s.name} />
                  ))}
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
                      <SideCells key={impacts[i]?.name ?? i} side={s} />
                    ))}
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

function FragmentHeads({ name }: { name: string }) {
  return (
    <>
      <th scope="col">{name}</th>
      <th scope="col">Change</th>
    </>
  );
}

function SideCells({ side }: { side: ImpactRow['sides'][number] }) {
  const d = side.change;
  return (
    <>
      <Cell side={side} />
      <td className={d ? (d > 0 ? 'up' : 'down') : undefined} data-change="">
        {side.state === 'ready' ? signed(d, 1) : ''}
      </td>
    </>
  );
}

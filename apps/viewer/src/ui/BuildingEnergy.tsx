import type { Dispatch } from 'react';
import { energyApi } from '../api/energyApi';
import type { DemandFigure, BuildingEnergy as Energy } from '../api/energyTypes';
import { humanise } from '../state/describe';
import { formatNumber, formatQuantity } from '../state/format';
import type { Action } from '../state/store';
import { BasisTag } from './Figures';
import { useDebouncedRequest } from './useDebouncedRequest';

/** The info panel's energy section: annual demand with its method, the thermal model, every assumption. */
export function BuildingEnergy({
  id,
  dispatch,
  onAddToPortfolio,
  inPortfolio,
}: {
  id: string;
  dispatch: Dispatch<Action>;
  onAddToPortfolio: (id: string) => void;
  inPortfolio: boolean;
}) {
  const energy = useDebouncedRequest(id, (signal) => energyApi.building(id, signal), 0);
  const e = energy.dataKey === id ? energy.data : null;
  return (
    <section className="building-energy" aria-label="Energy">
      <h3>Energy (annual)</h3>
      {energy.loading && <p className="hint">Loading the energy figures…</p>}
      {energy.error && <p className="problem">Energy figures unavailable: {energy.error}</p>}
      {e && <EnergyFacts e={e} />}
      <div className="row">
        <button
          type="button"
          className="grow"
          onClick={() => dispatch({ type: 'openPanel', panel: 'flexibility' })}
        >
          Heat-battery flexibility
        </button>
        <button type="button" disabled={inPortfolio} onClick={() => onAddToPortfolio(id)}>
          {inPortfolio ? 'In the portfolio list' : 'Add to portfolio'}
        </button>
      </div>
    </section>
  );
}

function demandText(f: DemandFigure): string {
  if (f.status === 'not-modelled') return 'Not modelled (unheated use)';
  return `${formatQuantity(f.kwhPerM2, 'kWh/m²', 0)} · ${formatQuantity(f.mwh, 'MWh/yr', 1)}`;
}

function EnergyFacts({ e }: { e: Energy }) {
  const m = e.thermalModel;
  return (
    <>
      <dl className="facts" data-testid="building-energy">
        <dt>Heat</dt>
        <dd data-energy="heat">
          {demandText(e.heat)} <BasisTag basis={e.heat.status} />
        </dd>
        <dt>Electricity</dt>
        <dd data-energy="electricity">
          {demandText(e.electricity)} <BasisTag basis={e.electricity.status} />
        </dd>
        <dt>Floor area</dt>
        <dd>
          {formatQuantity(e.floorAreaM2, 'm²')} <small>(footprint × storeys)</small>
        </dd>
        <dt>Benchmark</dt>
        <dd>
          {e.benchmark ? (
            <>
              {e.benchmark.name}
              <small title={e.benchmark.citation}>
                {' '}
                ({e.benchmark.citation.split(',')[0]}, {e.benchmark.year})
              </small>
            </>
          ) : (
            `none: ${humanise(e.useClass)} is not heated`
          )}
        </dd>
        <dt>Thermal model</dt>
        <dd>
          {humanise(m.capacityClass)} mass, {humanise(m.ageBand)} age band; heat loss{' '}
          {formatQuantity(m.heatTransferCoefficientWPerK / 1000, 'kW/K', 2)}, time constant{' '}
          {formatQuantity(m.timeConstantH, 'h', 0)}, plant {formatQuantity(m.heatingMaxKw, 'kW', 0)}{' '}
          <BasisTag basis="estimated" />
        </dd>
      </dl>
      <p className="height-note">
        <strong>How estimated?</strong> {e.heat.method}. Nothing here is metered: attach measured data to
        replace the estimate.
      </p>
      <details className="attributes">
        <summary>Energy assumptions ({e.assumptions.length})</summary>
        <table>
          <tbody>
            {e.assumptions.map((a) => (
              <tr key={a.field}>
                <th scope="row">{a.field}</th>
                <td>
                  {typeof a.value === 'number' ? formatNumber(a.value, a.value % 1 ? 2 : 0) : a.value}{' '}
                  <small>
                    ({a.basis}) {a.note}
                  </small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

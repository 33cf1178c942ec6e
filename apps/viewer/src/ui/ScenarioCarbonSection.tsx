import type { ChartConfiguration } from 'chart.js';
import { useMemo } from 'react';
import { carbonApi } from '../api/energyApi';
import { formatNumber, formatTonnes, formatTonnesSigned } from '../state/format';
import {
  accessSentence,
  type DevelopmentTravel,
  type ScenarioCarbon,
  scenarioCarbonFigures,
  TRAVEL_MODE_LABELS,
} from '../state/scenarioCarbon';
import { ChartCanvas } from './charts/ChartCanvas';
import { BasisTag } from './Figures';
import { useDebouncedRequest } from './useDebouncedRequest';

/** The development's own emissions each year, stacked: embodied (its completion year), buildings, cars. */
function changeChart(c: ScenarioCarbon): ChartConfiguration {
  const set = (label: string, values: (number | null)[], colour: string) => ({
    label,
    data: values.map((v) => v ?? 0),
    backgroundColor: colour,
    borderColor: colour,
    stack: 'change',
  });
  return {
    type: 'bar',
    data: {
      labels: c.years.map(String),
      datasets: [
        set('Embodied (completion year)', c.embodiedByYear.values, '#912b88'),
        set('Buildings in use', c.operationalChange.values, '#f47738'),
        set('Car traffic of the new homes and jobs', c.transportChange.values, '#1d70b8'),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: 'tCO2e/yr' } },
      },
    },
  };
}

/** Trips a year of the new homes and jobs by mode, their person-km and the car vehicle-km that feed the carbon. */
function TravelTable({ travel }: { travel: DevelopmentTravel }) {
  const of = (origin: 'homes' | 'jobs', i: number) =>
    travel.origins.find((o) => o.origin === origin)?.modes[i]?.trips ?? 0;
  return (
    <>
      <table className="data-table" data-testid="scenario-travel">
        <caption>Trips a year of the development by mode</caption>
        <thead>
          <tr>
            <th scope="col">Mode</th>
            <th scope="col">Homes</th>
            <th scope="col">Jobs</th>
            <th scope="col">Person-km</th>
            <th scope="col">Vehicle-km</th>
          </tr>
        </thead>
        <tbody>
          {travel.modes.map((m, i) => (
            <tr key={m.mode}>
              <th scope="row">{TRAVEL_MODE_LABELS[m.mode]}</th>
              <td>{formatNumber(Math.round(of('homes', i)))}</td>
              <td>{formatNumber(Math.round(of('jobs', i)))}</td>
              <td>{formatNumber(Math.round(m.personKm))}</td>
              <td>{m.mode === 'carDriver' ? formatNumber(Math.round(m.vehicleKm)) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="legend-note" data-testid="scenario-travel-access">
        {accessSentence(travel)} {travel.notes[0]}
      </p>
    </>
  );
}

/**
 * The open scenario's development in the carbon panel: embodied carbon of its new floor area, its homes' car
 * traffic, its buildings' heating and electricity in its completion year, the yearly operational and transport
 * change under plan A's saved lever set (else no levers: only the grid decarbonises),
 * and its emissions year by year (embodied, buildings, cars).
 */
export function ScenarioCarbonSection({
  scenario,
  leverSet,
}: {
  scenario: { id: number; name: string; version: number };
  leverSet: string;
}) {
  const key = `${scenario.id}@${scenario.version}/${leverSet}`;
  const req = useDebouncedRequest(key, (signal) => carbonApi.scenario(scenario.id, leverSet, signal), 300);
  const c = req.data;
  const config = useMemo(() => (c ? changeChart(c) : null), [c]);
  const f = c ? scenarioCarbonFigures(c) : null;
  return (
    <section
      className="scenario-carbon"
      aria-label="Carbon of the scenario's development"
      aria-busy={req.loading}
    >
      <h4>Development: {scenario.name}</h4>
      {req.error && (
        <p className="problem" role="alert">
          Could not work out the development’s carbon: {req.error}
        </p>
      )}
      {c && f && config && (
        <>
          <table className="data-table" data-testid="scenario-carbon">
            <tbody>
              <tr>
                <th scope="row">New floor area</th>
                <td>
                  {formatNumber(c.newFloorAreaM2)} m², {formatNumber(c.homes)} homes
                  {c.jobs !== undefined && `, ${formatNumber(c.jobs)} jobs`}, complete in {c.completionYear}
                </td>
              </tr>
              <tr>
                <th scope="row">Embodied carbon</th>
                <td>
                  {formatTonnes(c.embodied.value, false)} <BasisTag basis={c.embodied.basis} />
                </td>
              </tr>
              <tr>
                <th scope="row">Car traffic of the new homes and jobs</th>
                <td title={c.carVehicleKm.source}>
                  {formatNumber(c.carVehicleKm.value)} vehicle-km/yr <BasisTag basis={c.carVehicleKm.basis} />
                </td>
              </tr>
              {c.operationalHeating && c.operationalElectricity && (
                <tr data-key="in-use">
                  <th scope="row">Its buildings in use in {c.completionYear}</th>
                  <td title={c.heatingSupply}>
                    heating{' '}
                    {formatTonnesSigned(c.operationalHeating.values[c.years.indexOf(c.completionYear)] ?? 0)},
                    electricity{' '}
                    {formatTonnesSigned(
                      c.operationalElectricity.values[c.years.indexOf(c.completionYear)] ?? 0,
                    )}
                  </td>
                </tr>
              )}
              {[2035, 2050].map((y) => {
                const v = f.annualIn(y);
                return v === null ? null : (
                  <tr key={y}>
                    <th scope="row">Change in {y} (buildings and cars)</th>
                    <td>{formatTonnesSigned(v)}</td>
                  </tr>
                );
              })}
              <tr>
                <th scope="row">Change to {c.years[c.years.length - 1]}, all included</th>
                <td>
                  {formatTonnesSigned(c.cumulativeChange.value, false)}{' '}
                  <BasisTag basis={c.cumulativeChange.basis} /> ({Math.round(f.embodiedShare * 100)}%
                  embodied)
                </td>
              </tr>
            </tbody>
          </table>
          {c.travel && <TravelTable travel={c.travel} />}
          <ChartCanvas
            config={config}
            className="chart-scenario-carbon"
            testId="scenario-carbon-chart"
            label={`Emissions of the development ${scenario.name} each year to ${c.years[c.years.length - 1]}: embodied in its completion year, then its buildings and its homes' car traffic; the table above gives the figures.`}
          />
          <p className="legend-note">
            Lever set: {c.leverSet === 'baseline' ? 'none (only the grid decarbonises)' : c.leverSet}.
            Heating: {c.heatingSupply ?? 'the benchmark fuel'}. Car traffic: {c.carVehicleKm.source}.{' '}
            {c.notes.join(' ')}
          </p>
        </>
      )}
    </section>
  );
}

import { type Dispatch, type ReactNode, useId } from 'react';
import type { DatasetInfo } from '../api/types';
import { COLOUR_SCHEMES } from '../state/colourSchemes';
import type { Action } from '../state/store';
import { COLOUR_BY_VALUES, type ColourBy, isDatasetVisible, type ViewState } from '../state/viewState';

export interface LayerPanelProps {
  datasets: DatasetInfo[];
  view: ViewState;
  dispatch: Dispatch<Action>;
  /** Under the legend: what a scheme's figures rest on, or that they are loading (energy and carbon schemes). */
  legendNote?: ReactNode;
  /** More entries for the layer list (the sensor layer's toggle). */
  extraLayers?: ReactNode;
}

const count = new Intl.NumberFormat('en-GB');

export function LayerPanel({ datasets, view, dispatch, legendNote, extraLayers }: LayerPanelProps) {
  const colourId = useId();
  const scheme = COLOUR_SCHEMES[view.colourBy];
  return (
    <>
      <section className="panel-section" aria-labelledby={`${colourId}-layers`}>
        <h2 id={`${colourId}-layers`}>Layers</h2>
        <ul className="layer-list">
          {datasets.map((d) => (
            <li key={d.name}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={isDatasetVisible(view.layers, d.name)}
                  disabled={!d.tilesetUrl}
                  onChange={(e) =>
                    dispatch({ type: 'setDatasetVisible', dataset: d.name, visible: e.target.checked })
                  }
                />
                <span>
                  {d.title} buildings
                  <small>
                    {count.format(d.buildingCount)} buildings
                    {d.tilesetUrl ? '' : ' · not tiled yet'}
                  </small>
                </span>
              </label>
            </li>
          ))}
          <li>
            <label className="check">
              <input
                type="checkbox"
                checked={view.layers.basemap}
                onChange={(e) => dispatch({ type: 'setBasemap', visible: e.target.checked })}
              />
              <span>
                Basemap
                <small>Roads, land use and water from OpenStreetMap</small>
              </span>
            </label>
          </li>
          {extraLayers}
        </ul>
      </section>
      <section className="panel-section" aria-labelledby={`${colourId}-colour`}>
        <h2 id={`${colourId}-colour`}>Colours</h2>
        <label className="field" htmlFor={colourId}>
          Colour buildings by
        </label>
        <select
          id={colourId}
          value={view.colourBy}
          onChange={(e) => {
            const value = COLOUR_BY_VALUES.find((c) => c === e.target.value);
            if (value) dispatch({ type: 'setColourBy', colourBy: value satisfies ColourBy });
          }}
        >
          {COLOUR_BY_VALUES.map((c) => (
            <option key={c} value={c}>
              {COLOUR_SCHEMES[c].label}
            </option>
          ))}
        </select>
        <p className="hint">{scheme.description}</p>
        <ul className="legend" aria-label={`Legend: ${scheme.label}`}>
          {scheme.entries.map((e) => (
            <li key={e.label} className="legend-item">
              <span className="swatch" style={{ background: e.colour }} aria-hidden="true" />
              {e.label}
            </li>
          ))}
        </ul>
        {legendNote}
      </section>
    </>
  );
}

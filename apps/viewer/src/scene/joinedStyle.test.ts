import { Color } from 'cesium';
import { describe, expect, it } from 'vitest';
import type { BuildingCarbon, DemandTable } from '../api/energyTypes';
import { carbonValues, energyStatusCounts, energyValues } from '../state/buildingValues';
import { COLOUR_SCHEMES, SELECTED_COLOUR } from '../state/colourSchemes';
import type { ColourBy } from '../state/viewState';
import { buildingStyle } from './joinedStyle';
import { propertyFeature } from './styleFeature';

/** Two buildings as the energy API lists them: a home at the Ofgem benchmark, and an unheated barn. */
const demand: DemandTable = {
  dataset: 'rutland',
  count: 2,
  truncated: false,
  ids: ['rutland:w1', 'rutland:w2'],
  useClass: ['residential', 'agricultural'],
  floorAreaM2: [94, 300],
  heatKwhPerM2: [122.3, 0],
  heatMwh: [11.5, 0],
  heatStatus: ['estimated', 'not-modelled'],
  electricityKwhPerM2: [28.7, 0],
  electricityMwh: [2.7, 0],
  electricityStatus: ['estimated', 'not-modelled'],
  skipped: [{ id: 'rutland:w9', reason: 'height 0 m is not above its base' }],
  method: '',
};
const carbon: BuildingCarbon = {
  dataset: 'rutland',
  year: 2023,
  unit: 'tCO2e/yr',
  ids: ['rutland:w1'],
  tco2e: [3.1],
  basis: ['assumed'],
  energyMethod: '',
  gridPath: '',
};

/** The colour Cesium's own style engine gives a tile feature with this id (no WebGL needed). */
function colourOf(
  colourBy: ColourBy,
  id: string,
  values = energyValues([demand]),
  selected: string | null = null,
) {
  const style = buildingStyle(colourBy, selected, values);
  const c = style.color?.evaluateColor(propertyFeature({ id, heightM: 7, use: 'residential' }), new Color());
  if (!c) throw new Error('no colour');
  return c.toCssHexString();
}
const entry = (colourBy: ColourBy, label: string) =>
  COLOUR_SCHEMES[colourBy].entries.find((e) => e.label === label)?.colour;

describe('energy and carbon colours joined to the tiles by id', () => {
  it('colours a home by its heat demand per m², and by its heat and electricity MWh', () => {
    expect(colourOf('heatDemand', 'rutland:w1')).toBe(entry('heatDemand', '110–130 kWh/m²'));
    // 11.5 + 2.7 = 14.2 MWh: under 15.
    expect(colourOf('energyDemand', 'rutland:w1')).toBe(entry('energyDemand', 'under 15 MWh'));
  });

  it('keeps unheated buildings and buildings without a figure apart', () => {
    expect(colourOf('heatDemand', 'rutland:w2')).toBe(entry('heatDemand', 'Unheated use (not modelled)'));
    expect(colourOf('heatDemand', 'rutland:w9')).toBe(
      entry('heatDemand', 'No figure (not loaded, or not modelled)'),
    );
    // Before the table arrives every building is "no figure", without an error from a missing value.
    const none = buildingStyle('heatDemand', null, null).color?.evaluateColor(
      propertyFeature({ id: 'rutland:w1' }),
    );
    expect(none?.toCssHexString()).toBe(entry('heatDemand', 'No figure (not loaded, or not modelled)'));
  });

  it('colours operational carbon, with buildings the model gives no energy shown as unheated', () => {
    const values = carbonValues([carbon]);
    expect(colourOf('carbon', 'rutland:w1', values)).toBe(entry('carbon', '2.5–5 tCO2e'));
    expect(colourOf('carbon', 'rutland:w2', values)).toBe(
      entry('carbon', 'Unheated use (no energy modelled)'),
    );
  });

  it('ignores a table of the other kind, and still highlights the selection first', () => {
    expect(colourOf('carbon', 'rutland:w1', energyValues([demand]))).toBe(
      entry('carbon', 'No figure (not loaded, or not modelled)'),
    );
    expect(colourOf('heatDemand', 'rutland:w1', energyValues([demand]), 'rutland:w1')).toBe(SELECTED_COLOUR);
    expect(colourOf('height', 'rutland:w1')).toBe(entry('height', '7–10 m'));
  });

  it('counts estimated, measured, unheated and skipped buildings for the legend', () => {
    expect(energyStatusCounts([demand])).toEqual({ estimated: 1, measured: 0, notModelled: 1, skipped: 1 });
  });
});

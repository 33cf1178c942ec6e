import { USE_CLASSES } from '@placetwin/importers';
import { Cesium3DTileStyle, Color } from 'cesium';
import { describe, expect, it } from 'vitest';
import { propertyFeature } from '../scene/styleFeature';
import { buildingStyleJson, COLOUR_SCHEMES, SELECTED_COLOUR, styleString } from './colourSchemes';
import { COLOUR_BY_VALUES, type ColourBy } from './viewState';

type Props = Record<string, string | number | null>;

/** The colour Cesium's own style engine gives a feature with these properties (the real evaluator, no WebGL). */
function colourOf(colourBy: ColourBy, props: Props, selected: string | null = null): string {
  const style = new Cesium3DTileStyle(buildingStyleJson(colourBy, selected));
  const colour = style.color?.evaluateColor(propertyFeature(props), new Color());
  if (!colour) throw new Error('style has no colour');
  return colour.toCssHexString();
}

const house: Props = { id: 'rutland:w1', heightM: 7.5, use: 'residential', heightSource: 'levels' };

describe('colour schemes', () => {
  it('colours by height band', () => {
    const bands = COLOUR_SCHEMES.height.entries;
    expect(colourOf('height', { ...house, heightM: 3 })).toBe(bands[0].colour);
    expect(colourOf('height', { ...house, heightM: 7.5 })).toBe(bands[2].colour);
    expect(colourOf('height', { ...house, heightM: 12 })).toBe(bands[3].colour);
    expect(colourOf('height', { ...house, heightM: 60 })).toBe(bands[bands.length - 1].colour);
    expect(bands.map((b) => b.label)).toEqual([
      'under 4 m',
      '4–7 m',
      '7–10 m',
      '10–15 m',
      '15–25 m',
      '25 m and taller',
    ]);
  });

  it('colours measured and estimated heights apart', () => {
    expect(colourOf('heightSource', { ...house, heightSource: 'measured' })).toBe('#1b9e77');
    expect(colourOf('heightSource', { ...house, heightSource: 'levels' })).toBe('#d95f02');
    expect(colourOf('heightSource', { ...house, heightSource: 'type-default' })).toBe('#7570b3');
  });

  it('colours by use, with anything unlisted or missing as "other"', () => {
    const entries = COLOUR_SCHEMES.use.entries;
    expect(colourOf('use', house)).toBe(entries.find((e) => e.label === 'Homes')?.colour);
    expect(colourOf('use', { ...house, use: 'spaceport' })).toBe(entries[entries.length - 1].colour);
    expect(colourOf('use', { ...house, use: null })).toBe(entries[entries.length - 1].colour);
  });

  it('gives every use class the importers produce its own colour ("unknown" goes to the catch-all)', () => {
    const other = COLOUR_SCHEMES.use.entries.at(-1)?.colour;
    for (const use of USE_CLASSES) {
      const colour = colourOf('use', { ...house, use });
      if (use === 'unknown') expect(colour).toBe(other);
      else expect(colour, use).not.toBe(other);
    }
    expect(COLOUR_SCHEMES.use.entries).toHaveLength(USE_CLASSES.length);
  });

  it('highlights the selected building over any scheme, and only that one', () => {
    for (const scheme of COLOUR_BY_VALUES) {
      expect(colourOf(scheme, house, 'rutland:w1')).toBe(SELECTED_COLOUR);
      expect(colourOf(scheme, { ...house, id: 'rutland:w2' }, 'rutland:w1')).not.toBe(SELECTED_COLOUR);
    }
  });

  it('quotes ids safely inside style expressions, and highlights nothing for an id it cannot quote', () => {
    expect(styleString('rutland:w1')).toBe("'rutland:w1'");
    const quoted = "x:it's";
    expect(styleString(quoted)).toBe('"x:it\'s"');
    expect(colourOf('none', { ...house, id: quoted }, quoted)).toBe(SELECTED_COLOUR);
    for (const unquotable of ['x:a\\b', `x:'"`]) {
      expect(styleString(unquotable)).toBeNull();
      expect(colourOf('none', { ...house, id: unquotable }, unquotable)).toBe(
        COLOUR_SCHEMES.none.entries[0].colour,
      );
    }
  });

  it('has a legend entry for every colour the style can produce, ending in a catch-all', () => {
    for (const scheme of COLOUR_BY_VALUES) {
      const entries = COLOUR_SCHEMES[scheme].entries;
      expect(entries.at(-1)?.condition).toBe('true');
      expect(new Set(entries.map((e) => e.colour)).size).toBe(entries.length);
    }
  });
});

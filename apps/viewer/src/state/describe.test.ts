import { describe, expect, it } from 'vitest';
import { describeHeight, describeOsmId, formatAreaM2, humanise } from './describe';

describe('plain-language building facts', () => {
  it('says a measured height is measured, and keeps the importer note', () => {
    const d = describeHeight({
      heightM: 21.5,
      heightSource: 'measured',
      heightMethod: 'OSM height=21.5',
      storeys: null,
    });
    expect(d.kind).toBe('Measured');
    expect(d.sentence).toBe(
      'The height of 21.5 m was measured and recorded in the source data (OSM height=21.5).',
    );
  });

  it('says a height from storeys is estimated, and from how many', () => {
    const d = describeHeight({
      heightM: 10,
      heightSource: 'levels',
      heightMethod: 'OSM building:levels=3 × 3.0 m + 1.0 m roof',
      storeys: 3,
    });
    expect(d.kind).toBe('Estimated');
    expect(d.sentence).toContain('estimated from the number of storeys (3)');
    expect(d.sentence).toContain('building:levels=3');
  });

  it('says a type default is a typical height, not a measurement', () => {
    const d = describeHeight({
      heightM: 3,
      heightSource: 'type-default',
      heightMethod: 'default for garage',
      storeys: null,
    });
    expect(d.kind).toBe('Estimated');
    expect(d.sentence).toMatch(/^No height or storeys are recorded, so 3\.0 m is a typical height/);
  });

  it('does not pretend to know how an unrecognised height was obtained', () => {
    expect(describeHeight({ heightM: 5, heightSource: 'lidar?', heightMethod: '', storeys: null }).kind).toBe(
      'Unknown',
    );
  });

  it('reads OSM element ids', () => {
    expect(describeOsmId('w4012345')).toEqual({ type: 'way', number: '4012345' });
    expect(describeOsmId('r77')).toEqual({ type: 'relation', number: '77' });
    expect(describeOsmId('NL.IMBAG.Pand.0503100000000123')).toBeNull();
  });

  it('formats areas and tag values for people', () => {
    expect(formatAreaM2(1234.4)).toBe('1,234 m²');
    expect(humanise('place_of_worship')).toBe('Place of worship');
  });
});

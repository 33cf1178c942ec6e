import { describe, expect, it } from 'vitest';
import { USE_CLASSES, USE_TABLE, useClass, useFromProperty } from './use';

describe('useClass', () => {
  it.each([
    [{ building: 'house' }, 'residential'],
    [{ building: 'semidetached_house' }, 'residential'],
    [{ building: 'church' }, 'religious'],
    [{ building: 'farm_auxiliary' }, 'agricultural'],
    [{ building: 'garage' }, 'outbuilding'],
    [{ building: 'industrial' }, 'industrial'],
    [{ building: 'school' }, 'education'],
    [{ building: 'yes' }, 'unknown'],
    [{}, 'unknown'],
  ])('maps %j to %s', (tags, use) => {
    expect(useClass(tags)).toBe(use);
  });

  it('reads function tags before the building type (a shop in a house is retail)', () => {
    expect(useClass({ building: 'house', shop: 'bakery' })).toBe('retail');
    expect(useClass({ building: 'yes', amenity: 'pub' })).toBe('commercial');
    expect(useClass({ building: 'yes', amenity: 'doctors' })).toBe('healthcare');
    expect(useClass({ building: 'yes', office: 'estate_agent' })).toBe('commercial');
  });

  it('ignores function tags set to no and unknown amenities', () => {
    expect(useClass({ building: 'house', shop: 'no' })).toBe('residential');
    expect(useClass({ building: 'house', amenity: 'bench' })).toBe('residential');
  });
});

describe('useFromProperty', () => {
  it('keeps a use class, maps a building type, and is null when absent', () => {
    expect(useFromProperty('Retail')).toBe('retail');
    expect(useFromProperty('terrace')).toBe('residential');
    expect(useFromProperty('spaceport')).toBe('unknown');
    expect(useFromProperty(undefined)).toBeNull();
  });
});

describe('USE_TABLE', () => {
  it('uses only the declared classes and maps each building value once', () => {
    const seen = new Map<string, string>();
    for (const d of USE_TABLE) {
      expect(USE_CLASSES).toContain(d.use);
      for (const b of d.building ?? []) {
        expect(seen.get(b), `building=${b} in two classes`).toBeUndefined();
        seen.set(b, d.use);
      }
    }
  });
});

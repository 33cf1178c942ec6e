import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  deriveHeight,
  LEVEL_HEIGHT_M,
  parseLengthM,
  parseLevels,
  ROOF_ALLOWANCE_M,
  TYPE_DEFAULTS,
  typeDefault,
} from './height';

describe('parseLengthM', () => {
  it.each([
    ['12', 12],
    ['12 m', 12],
    ['12.5m', 12.5],
    [' 7 metres ', 7],
    [9, 9],
  ])('reads %j as %d m', (value, metres) => {
    expect(parseLengthM(value)).toBe(metres);
  });

  it('converts feet, and feet with inches', () => {
    expect(parseLengthM("40'")).toBeCloseTo(12.192, 6);
    expect(parseLengthM('40 ft')).toBeCloseTo(12.192, 6);
    expect(parseLengthM(`40'6"`)).toBeCloseTo(12.192 + 0.1524, 6);
  });

  it.each(['tall', '12;15', '-3', '0', '', '1200', '12,5'])('rejects %j', (value) => {
    expect(parseLengthM(value)).toBeNull();
  });
});

describe('parseLevels', () => {
  it('reads counts, including 0 and half levels, and rejects lists and words', () => {
    expect(parseLevels('3')).toBe(3);
    expect(parseLevels(0)).toBe(0);
    expect(parseLevels('1.5')).toBe(1.5);
    expect(parseLevels('2;3')).toBeNull();
    expect(parseLevels('two')).toBeNull();
    expect(parseLevels('')).toBeNull();
  });
});

describe('deriveHeight', () => {
  it('uses a tagged height as measured, over levels', () => {
    const h = deriveHeight({ height: '12.5', 'building:levels': '2', building: 'house' });
    expect(h).toMatchObject({ heightM: 12.5, heightSource: 'measured', storeys: 2, minHeightM: 0 });
    expect(h.heightMethod).toBe('OSM height=12.5 m');
  });

  it('says the conversion when the height is in feet', () => {
    expect(deriveHeight({ height: "40'" }).heightMethod).toBe("OSM height=40' (= 12.19 m)");
  });

  it('multiplies levels by the storey height and adds the roof allowance', () => {
    const h = deriveHeight({ 'building:levels': '3' });
    expect(h.heightM).toBe(3 * LEVEL_HEIGHT_M + ROOF_ALLOWANCE_M);
    expect(h).toMatchObject({ heightSource: 'levels', storeys: 3 });
    expect(h.heightMethod).toBe('OSM building:levels=3 × 3.0 m + 1.0 m roof allowance = 10.0 m');
  });

  it('counts roof levels instead of the allowance, and no allowance for a flat roof', () => {
    expect(deriveHeight({ 'building:levels': '2', 'roof:levels': '1' }).heightM).toBe(9);
    expect(deriveHeight({ 'building:levels': '2', 'roof:shape': 'flat' }).heightM).toBe(6);
  });

  it('falls back to the building type default and says so', () => {
    const h = deriveHeight({ building: 'house' });
    expect(h).toMatchObject({ heightM: 7, heightSource: 'type-default', storeys: null });
    expect(h.heightMethod).toBe(
      'default for building=house, no height or levels tagged: 2 storeys × 3.0 m + 1.0 m roof = 7.0 m',
    );
  });

  it('treats unknown building values as yes and names the value', () => {
    const h = deriveHeight({ building: 'large house' });
    expect(h.heightM).toBe(TYPE_DEFAULTS.yes.heightM);
    expect(h.heightMethod).toMatch(/^default for building=large house \(not in the table, as yes\)/);
  });

  it('names an unreadable height and uses the next rule', () => {
    const h = deriveHeight({ height: 'tall', 'building:levels': '2' });
    expect(h.heightSource).toBe('levels');
    expect(h.heightMethod).toMatch(/; height="tall" unreadable$/);
  });

  it('treats building:levels=0 as no levels (e.g. a canopy) but keeps it as storeys', () => {
    const h = deriveHeight({ building: 'roof', 'building:levels': '0' });
    expect(h).toMatchObject({ heightSource: 'type-default', heightM: 4, storeys: 0 });
  });

  it('lifts the bottom by min_height or building:min_level', () => {
    expect(deriveHeight({ height: '12', min_height: '4' })).toMatchObject({ minHeightM: 4, heightM: 12 });
    const byLevel = deriveHeight({ 'building:levels': '5', 'building:min_level': '2' });
    expect(byLevel).toMatchObject({ minHeightM: 6, heightM: 16 });
    expect(byLevel.heightMethod).toMatch(/bottom: building:min_level=2 × 3.0 m = 6.0 m/);
  });

  it('ignores a bottom that is not below the top, and says so', () => {
    const h = deriveHeight({ height: '5', min_height: '8' });
    expect(h.minHeightM).toBe(0);
    expect(h.heightMethod).toMatch(/min_height=8 ignored: not below the top/);
  });

  it('accepts numbers, as GeoJSON properties give them, and labels the source', () => {
    const h = deriveHeight({ height: 9 }, 'GeoJSON');
    expect(h.heightMethod).toBe('GeoJSON height=9 m');
  });
});

describe('TYPE_DEFAULTS', () => {
  it('derives storey-based defaults from the storey height and roof allowance', () => {
    for (const [key, d] of Object.entries(TYPE_DEFAULTS)) {
      if (d.storeys !== null) expect(d.heightM, key).toBe(d.storeys * LEVEL_HEIGHT_M + ROOF_ALLOWANCE_M);
      expect(d.heightM, key).toBeGreaterThan(0);
    }
    expect(typeDefault('no-such-type').key).toBe('yes');
  });

  it('is the table the README documents, value for value', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z_]+)` +\| ([\d.]+) +\| ([\d]+|–) +\|/gm)];
    const documented = Object.fromEntries(rows.map((r) => [r[1], Number(r[2])]));
    expect(documented).toEqual(
      Object.fromEntries(Object.entries(TYPE_DEFAULTS).map(([k, d]) => [k, d.heightM])),
    );
  });
});

import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { bboxAreaKm2, MAX_BBOX_AREA_KM2, parseBboxParam } from './bbox';

const reasonOf = (text: string): string => {
  try {
    parseBboxParam(text);
  } catch (e) {
    if (e instanceof DataError) return `${e.type}: ${e.reason}`;
    throw e;
  }
  return 'accepted';
};

describe('parseBboxParam', () => {
  it('reads west,south,east,north around Oakham', () => {
    expect(parseBboxParam('-0.74,52.66,-0.71,52.68')).toEqual([-0.74, 52.66, -0.71, 52.68]);
    expect(parseBboxParam(' -0.74, 52.66 ,-0.71,52.68')).toEqual([-0.74, 52.66, -0.71, 52.68]);
  });

  it('rejects wrong counts and non-numbers, naming the bad value', () => {
    expect(reasonOf('-0.74,52.66,-0.71')).toMatch(/^invalid-bbox: .*four numbers.*got 3/);
    expect(reasonOf('-0.74,abc,-0.71,52.68')).toMatch(/south "abc" is not a finite number/);
    expect(reasonOf('-0.74,,-0.71,52.68')).toMatch(/south/);
    expect(reasonOf('-0.74,52.66,Infinity,52.68')).toMatch(/east/);
  });

  it('rejects inverted boxes and coordinates outside the globe', () => {
    expect(reasonOf('-0.71,52.66,-0.74,52.68')).toMatch(/west must be less than east/);
    expect(reasonOf('-0.74,52.68,-0.71,52.66')).toMatch(/south must be less than north/);
    expect(reasonOf('-0.74,52.66,-0.71,91')).toMatch(/latitudes must be within -90..90/);
    expect(reasonOf('-181,52.66,-0.71,52.68')).toMatch(/longitudes/);
  });

  it(`refuses areas over ${MAX_BBOX_AREA_KM2} km² but takes all of Rutland`, () => {
    expect(reasonOf('-1.0,52.0,1.0,54.0')).toMatch(/^bbox-too-large: bbox covers \d+ km²/);
    expect(reasonOf('-0.83,52.52,-0.42,52.77')).toBe('accepted');
  });

  it('measures area on the sphere: one degree square at the equator is about 12,392 km²', () => {
    expect(bboxAreaKm2([0, 0, 1, 1])).toBeCloseTo(12392, -1);
    // Converging meridians: the same box at 60° N is about half as big.
    expect(bboxAreaKm2([0, 60, 1, 61]) / bboxAreaKm2([0, 0, 1, 1])).toBeCloseTo(0.4917, 2);
  });
});

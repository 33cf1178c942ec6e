import { describe, expect, it } from 'vitest';
import { polygonOf, type SunHoursRequestBody } from './sunHours';
import { decodeSunHoursParam, MAX_SUN_PARAM_CHARS, sunHoursFragment } from './sunHoursLink';
import { decodeViewState, encodeViewState } from './viewState';

const request: SunHoursRequestBody = {
  dataset: 'rutland',
  area: polygonOf([
    [-0.7268, 52.6693],
    [-0.7256, 52.6693],
    [-0.7256, 52.67],
  ]),
  date: '2025-03-21',
  cellSizeM: 0.5,
  stepMinutes: 15,
  areaName: "children's garden",
};

describe('sun-hours request in the share link', () => {
  it('round-trips beside the view, with and without a scenario', () => {
    for (const body of [request, { ...request, scenario: 42 }]) {
      const view = decodeViewState('t=2025-06-21T11:00:00Z&shadows=1', new Date());
      const fragment = `#${encodeViewState(view)}${sunHoursFragment(body)}`;
      expect(decodeSunHoursParam(fragment)).toEqual(body);
      // The view ignores it: the same view comes back.
      expect(decodeViewState(fragment, new Date())).toEqual(view);
    }
    expect(sunHoursFragment(request)).toContain('sun=rutland~2025-03-21~0.5~15~-~');
  });

  it('leaves out an area too detailed for a link, and ignores a bad or missing parameter', () => {
    const many = Array.from({ length: 400 }, (_, i): [number, number] => [
      -0.72 + 0.001 * Math.cos((i / 400) * 2 * Math.PI),
      52.67 + 0.001 * Math.sin((i / 400) * 2 * Math.PI),
    ]);
    expect(sunHoursFragment({ ...request, area: polygonOf(many) })).toBe('');
    expect(MAX_SUN_PARAM_CHARS).toBeGreaterThan(1000);
    expect(sunHoursFragment(null)).toBe('');
    expect(decodeSunHoursParam('t=2025-06-21T11:00:00Z')).toBeNull();
    const good = sunHoursFragment(request).slice('&sun='.length);
    for (const bad of [
      good.replace('rutland', 'Rut land'),
      good.replace('2025-03-21', '21/03/2025'),
      good.replace('~0.5~', '~0.3~'),
      good.replace('~15~', '~0~'),
      good.replace('~-~', '~x~'),
      good.replace(/,[^,~]*$/, ''),
      good.replace('-0.7268', '-200'),
    ])
      expect(decodeSunHoursParam(`sun=${encodeURIComponent(bad)}`)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { initialAppState, reduce } from './store';
import { moveSlide, presentationStep, slideActions, slideFromView, slideSunHours } from './story';
import { polygonOf, type SunHoursRequestBody } from './sunHours';
import { defaultViewState, type ViewState } from './viewState';

const view = (): ViewState => ({
  ...defaultViewState(new Date('2026-06-21T11:00:00Z')),
  camera: { lon: -0.7275, lat: 52.667, heightM: 420, headingDeg: 10, pitchDeg: -35 },
  shadows: true,
  colourBy: 'use',
  layers: { basemap: false, buildings: { rutland: true, leeds: false } },
});

describe('story slides', () => {
  it('capture the view and the scenario on show, and play back to the same view through the store', () => {
    const slide = slideFromView(view(), { id: 7, compare: true }, 'Option A');
    expect(slide).toMatchObject({ title: 'Option A', text: '', scenarioId: 7, compare: true, shadows: true });
    // Played on a viewer that shows something else, the store's actions restore every captured field.
    let s = initialAppState({
      ...defaultViewState(new Date('2026-01-01T09:00:00Z')),
      camera: { lon: 0, lat: 51, heightM: 9000, headingDeg: 0, pitchDeg: -90 },
      layers: { basemap: true, buildings: { rutland: false } },
    });
    for (const a of slideActions(slide, ['rutland', 'leeds', 'newport'], true)) s = reduce(s, a);
    expect(s.view).toMatchObject({
      camera: view().camera,
      time: '2026-06-21T11:00:00Z',
      shadows: true,
      colourBy: 'use',
      layers: { basemap: false, buildings: { rutland: true, leeds: false, newport: true } },
    });
    expect(s.cameraRequest).toMatchObject({ fly: true, view: view().camera });
  });

  it('compare only with a scenario; an unknown colour scheme plays as height', () => {
    expect(slideFromView(view(), { id: null, compare: true }, 'x').compare).toBe(false);
    const slide = { ...slideFromView(view(), { id: null, compare: false }, 'x'), colourBy: 'ultraviolet' };
    expect(slideActions(slide, [], false)).toContainEqual({ type: 'setColourBy', colourBy: 'height' });
    expect(() => slideFromView({ ...view(), camera: null }, { id: null, compare: false }, 'x')).toThrow(
      /camera/,
    );
  });

  it("keep the sun-hours analysis on show when it compares the slide's own scenario (or none)", () => {
    const request: SunHoursRequestBody = {
      dataset: 'rutland',
      area: polygonOf([
        [-0.7268, 52.6693],
        [-0.7256, 52.6693],
        [-0.7256, 52.67],
      ]),
      date: '2025-03-21',
      cellSizeM: 1,
      stepMinutes: 10,
      areaName: 'garden',
      scenario: 7,
    };
    expect(slideFromView(view(), { id: 7, compare: false }, 'x', request).sunHours).toEqual(request);
    // Another scenario than the slide shows: the report could not compare it, so the slide does not keep it.
    expect(slideFromView(view(), { id: 8, compare: false }, 'x', request).sunHours).toBeUndefined();
    expect(slideSunHours(request, { id: null, compare: false })).toBeNull();
    const baseline = { ...request, scenario: undefined };
    expect(slideSunHours(baseline, { id: 8, compare: false })).toBe(baseline);
    expect(slideFromView(view(), { id: 7, compare: false }, 'x')).not.toHaveProperty('sunHours');
  });

  it('fly for the given time, or jump when it is 0 (a slow machine presenting)', () => {
    const slide = slideFromView(view(), { id: null, compare: false }, 'x');
    const flyTo = (seconds?: number) => slideActions(slide, [], true, seconds)[0];
    expect(flyTo()).toEqual({ type: 'flyTo', camera: view().camera, fly: true });
    expect(flyTo(0.75)).toEqual({ type: 'flyTo', camera: view().camera, fly: true, durationS: 0.75 });
    expect(flyTo(0)).toEqual({ type: 'flyTo', camera: view().camera, fly: false });
    let s = initialAppState(view());
    s = reduce(s, flyTo(0.75));
    expect(s.cameraRequest).toMatchObject({ fly: true, durationS: 0.75 });
  });

  it('reorder', () => {
    expect(moveSlide(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveSlide(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveSlide(['a', 'b', 'c'], 1, 9)).toEqual(['a', 'c', 'b']);
    expect(moveSlide(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });

  it('presentation keys: → and Space forward, ← back, Esc exits, ends clamp', () => {
    expect(presentationStep('ArrowRight', 0, 3)).toBe(1);
    expect(presentationStep(' ', 1, 3)).toBe(2);
    expect(presentationStep(' ', 2, 3)).toBe(2);
    expect(presentationStep('ArrowLeft', 0, 3)).toBe(0);
    expect(presentationStep('ArrowLeft', 2, 3)).toBe(1);
    expect(presentationStep('End', 0, 3)).toBe(2);
    expect(presentationStep('Escape', 1, 3)).toBe('exit');
    expect(presentationStep('a', 1, 3)).toBeNull();
    expect(presentationStep('Enter', 1, 3)).toBeNull();
  });
});

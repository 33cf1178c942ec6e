import { describe, expect, it } from 'vitest';
import { type AppState, initialAppState, reduce } from './store';
import { type CameraView, defaultViewState } from './viewState';

const view = defaultViewState(new Date('2025-06-21T11:00:00Z'));
const pose: CameraView = { lon: -0.72, lat: 52.66, heightM: 500, headingDeg: 0, pitchDeg: -40 };

describe('viewer state transitions', () => {
  it('asks the scene to move only for requested moves, not for moves the user made', () => {
    let s: AppState = initialAppState(view);
    expect(s.cameraRequest).toBeNull();
    s = reduce(s, { type: 'cameraMoved', camera: pose });
    expect(s.view.camera).toEqual(pose);
    expect(s.cameraRequest).toBeNull();
    s = reduce(s, { type: 'flyTo', camera: { ...pose, heightM: 900 }, fly: true });
    expect(s.cameraRequest).toEqual({ view: { ...pose, heightM: 900 }, fly: true, seq: 1 });
    s = reduce(s, { type: 'flyTo', camera: pose, fly: false });
    expect(s.cameraRequest?.seq).toBe(2);
  });

  it('places the camera from a link when the link has one', () => {
    expect(initialAppState({ ...view, camera: pose }).cameraRequest).toEqual({
      view: pose,
      fly: false,
      seq: 1,
    });
  });

  it('marks times from the running clock so they are not pushed back into it', () => {
    let s = initialAppState(view);
    s = reduce(s, { type: 'clockTicked', time: '2025-06-21T11:05:00Z' });
    expect(s.timeFromClock).toBe(true);
    s = reduce(s, { type: 'setTime', time: '2025-06-21T15:00:00Z' });
    expect(s).toMatchObject({ timeFromClock: false, view: { time: '2025-06-21T15:00:00Z' } });
  });

  it('switches layers, colours, shadows and the selection', () => {
    let s = initialAppState(view);
    s = reduce(s, { type: 'setDatasetVisible', dataset: 'rutland', visible: false });
    s = reduce(s, { type: 'setBasemap', visible: false });
    s = reduce(s, { type: 'setColourBy', colourBy: 'use' });
    s = reduce(s, { type: 'setShadows', shadows: true });
    s = reduce(s, { type: 'select', id: 'rutland:w1' });
    expect(s.view).toMatchObject({
      layers: { basemap: false, buildings: { rutland: false } },
      colourBy: 'use',
      shadows: true,
      selected: 'rutland:w1',
    });
  });

  it('opens one analysis panel at a time, and closes it', () => {
    let s = reduce(initialAppState(view), { type: 'openPanel', panel: 'flexibility' });
    expect(s.view.panel).toBe('flexibility');
    s = reduce(s, { type: 'openPanel', panel: 'carbon' });
    expect(s.view.panel).toBe('carbon');
    s = reduce(s, { type: 'openPanel', panel: null });
    expect(s.view).not.toHaveProperty('panel');
    expect(s.view).toEqual(view);
  });

  it('keeps the chosen feed and stop in the view, and drops them with no feed', () => {
    let s = reduce(initialAppState(view), {
      type: 'setTransport',
      transport: { feed: 'newport', stop: 'S1' },
    });
    expect(s.view.transport).toEqual({ feed: 'newport', stop: 'S1' });
    s = reduce(s, { type: 'setTransport', transport: null });
    expect(s.view).not.toHaveProperty('transport');
    expect(s.view).toEqual(view);
  });

  it('replaces the whole view from a link, moving the camera there', () => {
    const s = reduce(initialAppState(view), {
      type: 'replaceView',
      view: { ...view, camera: pose, shadows: true },
    });
    expect(s.view.shadows).toBe(true);
    expect(s.cameraRequest?.view).toEqual(pose);
  });
});

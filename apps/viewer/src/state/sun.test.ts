import { sunPosition } from '@placetwin/solar';
import { describe, expect, it } from 'vitest';
import { compassPoint, sunReadout } from './sun';
import { defaultViewState } from './viewState';

describe('sunReadout', () => {
  it('is the SPA sun over the camera, with the UK day’s sunrise and sunset around the scene time', () => {
    const view = {
      ...defaultViewState(new Date('2025-06-21T11:00:00Z')),
      camera: { lon: -0.7295, lat: 52.6706, heightM: 500, headingDeg: 0, pitchDeg: -45 },
    };
    const r = sunReadout(view);
    const p = sunPosition('2025-06-21T11:00:00Z', { latDeg: 52.6706, lonDeg: -0.7295 });
    expect(r?.azimuthDeg).toBe(p.azimuthDeg);
    expect(r?.apparentElevationDeg).toBe(p.apparentElevationDeg);
    // Midsummer in Rutland: up before 04:00 UTC, down after 20:00 UTC, about 16.8 h of daylight.
    expect(r?.sunrise?.toISOString().slice(0, 13)).toBe('2025-06-21T03');
    expect(r?.sunset?.toISOString().slice(0, 13)).toBe('2025-06-21T20');
    expect(r?.compass).toBe('SSE');
  });

  it('uses the fallback place before the camera is placed, and nothing without one', () => {
    const view = defaultViewState(new Date('2025-03-21T12:10:00Z'));
    expect(sunReadout(view)).toBeNull();
    expect(sunReadout(view, { lon: -0.7295, lat: 52.6706 })?.compass).toBe('S');
  });

  it('names the 16 compass points', () => {
    expect([0, 22.5, 90, 180, 202.5, 348.75, 359].map(compassPoint)).toEqual([
      'N',
      'NNE',
      'E',
      'S',
      'SSW',
      'N',
      'N',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../../test/support/paths';
import {
  type CameraView,
  decodeViewState,
  defaultViewState,
  densestPoint,
  encodeViewState,
  homeView,
  sameView,
  unionBbox,
  type ViewState,
  viewOfCircle,
} from './viewState';

const NOON = new Date('2025-06-21T11:00:00Z');

/** Rutland's extent from the ONS district boundaries (real data), the sample city's council area. */
function rutlandBbox(): [number, number, number, number] {
  const geojson = JSON.parse(
    readFileSync(sample('boundaries/local-authority-districts-2017-uk.geojson'), 'utf8'),
  ) as {
    features: { properties: { lad17nm: string }; geometry: { type: 'Polygon'; coordinates: number[][][] } }[];
  };
  const rutland = geojson.features.find((f) => f.properties.lad17nm === 'Rutland');
  if (!rutland) throw new Error('Rutland missing from the boundaries file');
  const points = rutland.geometry.coordinates.flat();
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

const oakham: CameraView = { lon: -0.7261, lat: 52.6694, heightM: 650, headingDeg: 20, pitchDeg: -35 };

describe('view state in the URL', () => {
  it('round-trips every field through the fragment', () => {
    const view: ViewState = {
      camera: oakham,
      time: '2025-06-21T11:00:00Z',
      shadows: true,
      colourBy: 'heightSource',
      layers: { basemap: false, buildings: { rutland: false, leeds: true } },
      selected: 'rutland:w123456',
    };
    const fragment = encodeViewState(view);
    expect(decodeViewState(`#${fragment}`, NOON)).toEqual({
      ...view,
      layers: { basemap: false, buildings: { rutland: false } },
    });
  });

  it('carries the open analysis panel, and ignores one it does not know', () => {
    const view: ViewState = { ...defaultViewState(NOON), panel: 'carbon' };
    expect(encodeViewState(view)).toContain('panel=carbon');
    expect(decodeViewState(`#${encodeViewState(view)}`, NOON).panel).toBe('carbon');
    expect(decodeViewState('#panel=spreadsheet', NOON)).not.toHaveProperty('panel');
    expect(encodeViewState(defaultViewState(NOON))).not.toContain('panel');
  });

  it('carries the GTFS feed and the open stop, and ignores malformed ones', () => {
    const view: ViewState = {
      ...defaultViewState(NOON),
      transport: { feed: 'newport', stop: '5540AWB33073' },
    };
    expect(encodeViewState(view)).toContain('feed=newport&stop=5540AWB33073');
    expect(decodeViewState(`#${encodeViewState(view)}`, NOON).transport).toEqual(view.transport);
    expect(decodeViewState('#feed=newport', NOON).transport).toEqual({ feed: 'newport' });
    expect(decodeViewState('#feed=Not%20A%20Feed&stop=x', NOON)).not.toHaveProperty('transport');
    expect(decodeViewState('#feed=newport&stop=a%20b', NOON).transport).toEqual({ feed: 'newport' });
    expect(encodeViewState(defaultViewState(NOON))).not.toContain('feed');
  });

  it('writes a short, readable fragment that leaves defaults out', () => {
    expect(encodeViewState({ ...defaultViewState(NOON), camera: oakham })).toBe(
      'cam=-0.726100,52.669400,650.0,20.0,-35.0&t=2025-06-21T11:00:00Z',
    );
    expect(
      encodeViewState({
        ...defaultViewState(NOON),
        layers: { basemap: false, buildings: { b: false, a: false } },
      }),
    ).toBe('t=2025-06-21T11:00:00Z&hide=basemap,buildings:a,buildings:b');
  });

  it('rounds the camera to about 10 cm and a tenth of a degree, which a viewer cannot tell apart', () => {
    const precise = { ...oakham, lon: -0.72612345678, heightM: 650.04321, headingDeg: 20.04 };
    const back = decodeViewState(
      encodeViewState({ ...defaultViewState(NOON), camera: precise }),
      NOON,
    ).camera;
    expect(back?.lon).toBeCloseTo(precise.lon, 6);
    expect(back?.heightM).toBeCloseTo(precise.heightM, 1);
  });

  it('starts from the defaults, with no camera (home), when the fragment is empty', () => {
    expect(decodeViewState('', NOON)).toEqual(defaultViewState(NOON));
  });

  it('ignores values that make no sense instead of failing', () => {
    const v = decodeViewState(
      '#cam=-0.72,91,650,20,-35&t=yesterday&colour=rainbow&shadows=yes&sel=%27);alert(1)//',
      NOON,
    );
    expect(v.camera).toBeNull();
    expect(v.time).toBe('2025-06-21T11:00:00Z');
    expect(v.colourBy).toBe('height');
    expect(v.shadows).toBe(false);
    expect(v.selected).toBeNull();
    expect(decodeViewState('#cam=1,2,3', NOON).camera).toBeNull();
    expect(decodeViewState('#cam=1,2,3,4,-95', NOON).camera).toBeNull();
  });

  it('normalises times with offsets to UTC and headings to 0–360°', () => {
    const v = decodeViewState('#t=2025-06-21T12:00:00%2B01:00&cam=-0.7,52.6,500,-90,-30', NOON);
    expect(v.time).toBe('2025-06-21T11:00:00Z');
    expect(v.camera?.headingDeg).toBe(270);
  });

  it('treats poses within a centimetre and a twentieth of a degree as the same view', () => {
    expect(sameView(oakham, { ...oakham, heightM: oakham.heightM + 0.01 })).toBe(true);
    expect(sameView(oakham, { ...oakham, headingDeg: oakham.headingDeg + 1 })).toBe(false);
    expect(sameView({ ...oakham, headingDeg: 359.99 }, { ...oakham, headingDeg: 0 })).toBe(true);
    expect(sameView(null, null)).toBe(true);
    expect(sameView(oakham, null)).toBe(false);
  });
});

describe('home view', () => {
  it('frames Rutland from the south, looking down at the middle of the county', () => {
    const bbox = rutlandBbox();
    const home = homeView(bbox, { pitchDeg: -45, fovDeg: 60 });
    const centreLat = (bbox[1] + bbox[3]) / 2;
    expect(home.lon).toBeCloseTo((bbox[0] + bbox[2]) / 2, 9);
    expect(home.lat).toBeLessThan(centreLat);
    expect(home.headingDeg).toBe(0);
    expect(home.pitchDeg).toBe(-45);
    // Looking down at 45°, the line of sight meets the ground as far north of the camera as the camera is high.
    const northOfCameraM = ((centreLat - home.lat) * Math.PI * 6_371_008.8) / 180;
    expect(northOfCameraM / home.heightM).toBeCloseTo(1, 6);
    // Rutland is about 27 km × 26 km: its half-diagonal (~19 km) fills half the 60° field of view.
    const rangeM = Math.hypot(northOfCameraM, home.heightM);
    expect(rangeM * Math.tan(Math.PI / 6)).toBeGreaterThan(17_000);
    expect(rangeM * Math.tan(Math.PI / 6)).toBeLessThan(21_000);
  });

  it('keeps a sensible distance from a single small building', () => {
    const home = homeView([-0.7262, 52.6694, -0.7261, 52.6695]);
    expect(home.heightM).toBeGreaterThan(100);
  });

  it('unions extents', () => {
    expect(
      unionBbox([
        [-1, 50, 0, 51],
        [-2, 50.5, -0.5, 52],
      ]),
    ).toEqual([-2, 50, 0, 52]);
    expect(unionBbox([])).toBeNull();
  });
});

describe('where to start', () => {
  it('finds the densest square kilometre of a point cloud', () => {
    // Constructed: a tight cluster of 6 beats a looser spread of 4, and the answer is the cluster's middle.
    const cluster = [0, 1, 2, 3, 4, 5].map((k) => ({
      lon: -0.727 + k * 0.0005,
      lat: 52.67 + (k % 2) * 0.0005,
    }));
    const spread = [0, 1, 2, 3].map((k) => ({ lon: -0.6 + k * 0.02, lat: 52.6 }));
    const p = densestPoint([...spread, ...cluster]);
    expect(p?.lon).toBeCloseTo(-0.72575, 5);
    expect(p?.lat).toBeCloseTo(52.67025, 5);
    expect(densestPoint([])).toBeNull();
  });

  it('frames a circle from the south, further back for a wider circle', () => {
    const near = viewOfCircle(-0.7265, 52.67, 500, { pitchDeg: -40 });
    const far = viewOfCircle(-0.7265, 52.67, 2000, { pitchDeg: -40 });
    expect(near.lon).toBe(-0.7265);
    expect(near.lat).toBeLessThan(52.67);
    expect(near.pitchDeg).toBe(-40);
    expect(far.heightM / near.heightM).toBeCloseTo(4, 9);
  });
});

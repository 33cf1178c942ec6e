/**
 * Sun-hours on real buildings: 1 km² of Oakham town centre (Rutland OSM read by @placetwin/importers, heights
 * as it estimates them, projected to British National Grid with OSTN15), 1 m cells, 21 March, 10-minute steps. The grid (shadow scan conversion) is timed in full; the
 * bucket-index ray march and the naive test of every ray against every building are timed on a random
 * subsample of cells, all time steps, and extrapolated to every cell (that is said in the result).
 */
import { readFileSync } from 'node:fs';
import { type BuildingFeature, registerOstn15Grid, toBng } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import {
  bngGridNorthDeg,
  buildObstacleIndex,
  CELL_OPEN,
  isSunlit,
  isSunlitExhaustive,
  type Obstacle,
  shadowFootprints,
  sunHoursGrid,
  sunPosition,
  sunTimes,
} from '@placetwin/solar';
import { sample } from '../../test/support/paths';
import type { BenchResult } from './harness';

const PBF = sample('rutland', 'rutland-2022-11.osm.pbf');
/** Oakham town centre: the densest 1 km square of Rutland OSM 2022 around Oakham (277 buildings; 50 m search). */
const AREA = { x0: 485800, y0: 308450, x1: 486800, y1: 309450 };
/** Buildings this far outside the square are kept as shade casters (a 12 m building's shadow is 250 m at 2.7°). */
const MARGIN_M = 250;
const OAKHAM = { latDeg: 52.6706, lonDeg: -0.7295 };
const DATE = '2024-03-21';

/** Real building features, read by the project's own OSM importer. */
async function rutlandBuildings(bytes: Uint8Array): Promise<BuildingFeature[]> {
  const fileName = 'rutland-2022-11.osm.pbf';
  const buildings: BuildingFeature[] = [];
  for await (const f of importerFor(bytes, fileName).parse(bytes, { fileName, skipInvalid: true }))
    if (f.kind === 'building' || f.kind === 'part') buildings.push(f);
  return buildings;
}

function toObstacles(buildings: BuildingFeature[]): Obstacle[] {
  const out: Obstacle[] = [];
  for (const b of buildings) {
    const footprint = b.footprint.map((poly) =>
      poly.map((ring) => {
        const m = new Float64Array(ring.length);
        for (let k = 0; k < ring.length; k += 2) [m[k], m[k + 1]] = toBng(ring[k], ring[k + 1]);
        return m;
      }),
    );
    let inside = false;
    for (const ring of footprint.flatMap((p) => p.slice(0, 1)))
      for (let k = 0; k < ring.length && !inside; k += 2)
        inside =
          ring[k] > AREA.x0 - MARGIN_M &&
          ring[k] < AREA.x1 + MARGIN_M &&
          ring[k + 1] > AREA.y0 - MARGIN_M &&
          ring[k + 1] < AREA.y1 + MARGIN_M;
    if (inside && b.heightM > b.minHeightM)
      out.push({ id: b.sourceId, footprint, heightM: b.heightM, minHeightM: b.minHeightM });
  }
  return out;
}

/** Deterministic sample of open cells. */
function sampleCells(kinds: Uint8Array, n: number): number[] {
  const open: number[] = [];
  kinds.forEach((k, i) => {
    if (k === CELL_OPEN) open.push(i);
  });
  let seed = 2024;
  const picked: number[] = [];
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    picked.push(open[seed % open.length]);
  }
  return picked;
}

export default async function solar(): Promise<BenchResult[]> {
  registerOstn15Grid(
    readFileSync(sample('ostn15', 'derived', 'OSTN15_NTv2_OSGBtoETRS.gsb')).buffer as ArrayBuffer,
  );
  const bytes = new Uint8Array(readFileSync(PBF));
  const buildings = await rutlandBuildings(bytes);
  const obstacles = toObstacles(buildings);
  const gridNorthDeg = bngGridNorthDeg(OAKHAM.lonDeg, OAKHAM.latDeg);
  const area = [new Float64Array([AREA.x0, AREA.y0, AREA.x1, AREA.y0, AREA.x1, AREA.y1, AREA.x0, AREA.y1])];
  const input = { area, cellM: 1, date: DATE, stepMinutes: 10, location: OAKHAM, obstacles, gridNorthDeg };

  const t0 = performance.now();
  const grid = sunHoursGrid(input);
  const gridS = (performance.now() - t0) / 1000;
  const openCells = grid.summary.areaM2;
  const inSquare = grid.cellKind.reduce((n, k) => n + (k === 2 ? 1 : 0), 0);

  // The same Sun steps the grid used, for the per-ray methods.
  const times = sunTimes(DATE, OAKHAM);
  const steps: { sun: ReturnType<typeof sunPosition>; ms: number }[] = [];
  const riseMs = times.sunrise?.getTime() ?? 0;
  const setMs = times.sunset?.getTime() ?? 0;
  for (let t = riseMs; t < setMs; t += 600_000) {
    const e = Math.min(t + 600_000, setMs);
    steps.push({ sun: sunPosition((t + e) / 2, OAKHAM), ms: e - t });
  }

  const index = buildObstacleIndex(obstacles, 16);
  const rays = (cells: number[], lit: (x: number, y: number, s: (typeof steps)[number]) => boolean) => {
    const t = performance.now();
    let mismatched = 0;
    for (const i of cells) {
      const x = grid.originX + ((i % grid.cols) + 0.5) * grid.cellM;
      const y = grid.originY + (Math.floor(i / grid.cols) + 0.5) * grid.cellM;
      let ms = 0;
      for (const s of steps) if (lit(x, y, s)) ms += s.ms;
      if (Math.abs(ms / 3_600_000 - grid.hours[i]) > 1e-4) mismatched++;
    }
    return { perCellS: (performance.now() - t) / 1000 / cells.length, mismatched };
  };
  const marchCells = sampleCells(grid.cellKind, 20_000);
  const march = rays(marchCells, (x, y, s) => isSunlit(index, x, y, s.sun, gridNorthDeg));
  const naiveCells = sampleCells(grid.cellKind, 300);
  const naive = rays(naiveCells, (x, y, s) => isSunlitExhaustive(index, x, y, s.sun, gridNorthDeg));
  const naiveS = naive.perCellS * openCells;
  const marchS = march.perCellS * openCells;

  const noon = sunPosition(times.transit, OAKHAM);
  const t1 = performance.now();
  const shadows = shadowFootprints(obstacles, noon, { gridNorthDeg });
  const shadowS = (performance.now() - t1) / 1000;

  const t2 = performance.now();
  const positions = 20_000;
  for (let i = 0; i < positions; i++) sunPosition(Date.UTC(2024, 2, 21) + i * 4_000, OAKHAM);
  const positionsPerS = positions / ((performance.now() - t2) / 1000);

  const scene = `${obstacles.length} real OSM buildings and parts, ${inSquare.toLocaleString('en-GB')} m² of them inside the square`;
  return [
    {
      name: `sun-hours grid, 1 km² of Oakham at 1 m (${grid.cols}×${grid.rows} cells), ${DATE}, 10-min steps (${grid.steps}), ${scene}`,
      value: gridS,
      unit: 's (one thread)',
      baseline: {
        name: `naive ray test of every ray against every building, ${naiveCells.length} sampled cells × ${steps.length} steps extrapolated to ${openCells.toLocaleString('en-GB')} open cells`,
        value: naiveS,
        unit: 's',
      },
      ratio: naiveS / gridS,
      ratioMeaning: 'times faster than naive',
      goal: '≤ 10 s on 2 cores and ≥ 50× naive',
      note: `open ground ${(grid.summary.shareAtLeast2h * 100).toFixed(1)}% with ≥ 2 h, mean ${grid.summary.meanHours.toFixed(2)} h of ${grid.summary.daylightHours.toFixed(2)} h daylight; naive sample disagrees with the grid on ${naive.mismatched}/${naiveCells.length} cells`,
    },
    {
      name: `ray march over a 16 m bucket index, same scene (${marchCells.length.toLocaleString('en-GB')} sampled cells × ${steps.length} steps, extrapolated)`,
      value: marchS,
      unit: 's',
      baseline: { name: 'naive every-ray-every-building (as above)', value: naiveS, unit: 's' },
      ratio: naiveS / marchS,
      ratioMeaning: 'times faster than naive',
      note: `disagrees with the grid on ${march.mismatched}/${marchCells.length} sampled cells`,
    },
    {
      name: `shadowFootprints at solar noon, ${obstacles.length} buildings unioned (polyclip-ts)`,
      value: shadowS,
      unit: 's',
      note: `${shadows.geometry.coordinates.length} shadow polygons`,
    },
    { name: 'sunPosition (NREL SPA)', value: positionsPerS, unit: 'positions/s' },
  ];
}

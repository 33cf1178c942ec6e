/**
 * Tiling throughput and size: buildings → meshopt-compressed glb → 3D Tiles 1.1, on Rutland (real OSM, through
 * the importers) and on 100,000 of Rutland's real footprints replicated on a dense grid (a synthetic layout with
 * real shapes, to reach city scale). Baseline in the same run: the same tiler with `compress: false` (float32
 * positions and normals, no meshopt, no quantisation), so the ratios show what compression costs and saves.
 */
import { readFile } from 'node:fs/promises';
import { importerFor } from '@placetwin/importers';
import { buildTileset, type TileableBuilding, toTileable } from '@placetwin/tiles';
import { sample } from '../../test/support/paths';
import { type BenchResult, timeIt } from './harness';

const RUTLAND = 'rutland/rutland-2022-11.osm.pbf';

async function rutlandBuildings(): Promise<TileableBuilding[]> {
  const bytes = new Uint8Array(await readFile(sample(RUTLAND)));
  const fileName = RUTLAND.split('/').pop()!;
  const out: TileableBuilding[] = [];
  for await (const f of importerFor(bytes, fileName).parse(bytes, { fileName, skipInvalid: true })) {
    if (f.kind !== 'map') out.push(toTileable(f, `rutland:${f.sourceId}`));
  }
  return out;
}

/** `count` copies of the real footprints, each moved so its bbox centre sits on the next cell of a square grid. */
function replicateOnGrid(
  base: readonly TileableBuilding[],
  count: number,
  spacingM: number,
): TileableBuilding[] {
  const side = Math.ceil(Math.sqrt(count));
  const lat0 = 52.6;
  const lon0 = -0.9;
  const degLat = spacingM / 111_250;
  const degLon = degLat / Math.cos((lat0 * Math.PI) / 180);
  return Array.from({ length: count }, (_, i) => {
    const b = base[i % base.length];
    let west = Number.POSITIVE_INFINITY;
    let east = Number.NEGATIVE_INFINITY;
    let south = Number.POSITIVE_INFINITY;
    let north = Number.NEGATIVE_INFINITY;
    for (const polygon of b.footprint) {
      for (const ring of polygon) {
        for (let k = 0; k < ring.length; k += 2) {
          west = Math.min(west, ring[k]);
          east = Math.max(east, ring[k]);
          south = Math.min(south, ring[k + 1]);
          north = Math.max(north, ring[k + 1]);
        }
      }
    }
    const dLon = lon0 + (i % side) * degLon - (west + east) / 2;
    const dLat = lat0 + Math.floor(i / side) * degLat - (south + north) / 2;
    return {
      ...b,
      id: `grid:${i}`,
      footprint: b.footprint.map((polygon) =>
        polygon.map((ring) => ring.map((v, k) => (k % 2 === 0 ? v + dLon : v + dLat))),
      ),
    };
  });
}

async function measure(name: string, buildings: TileableBuilding[], runs: number): Promise<BenchResult[]> {
  const n = buildings.length;
  let bytes = 0;
  let tiles = 0;
  const seconds = await timeIt(async () => {
    const r = await buildTileset(buildings);
    bytes = r.stats.bytes;
    tiles = r.stats.contentTiles;
  }, runs);
  let rawBytes = 0;
  const rawSeconds = await timeIt(async () => {
    rawBytes = (await buildTileset(buildings, { compress: false })).stats.bytes;
  }, runs);
  const baselineName = 'same tiler, compress: false (float32, no meshopt)';
  return [
    {
      name: `tiling throughput, ${name}`,
      value: n / seconds,
      unit: 'buildings/s',
      baseline: { name: baselineName, value: n / rawSeconds, unit: 'buildings/s' },
      ratio: n / seconds / (n / rawSeconds),
      ratioMeaning: 'compressed / uncompressed speed',
      goal: '≥ 20,000 buildings/s',
      note: `${tiles} content tiles, best of ${runs}, one thread`,
    },
    {
      name: `size, ${name}`,
      value: bytes / n,
      unit: 'B/building',
      baseline: { name: baselineName, value: rawBytes / n, unit: 'B/building' },
      ratio: rawBytes / bytes,
      ratioMeaning: 'times smaller than uncompressed',
      goal: '≤ 600 B/building',
      note: `${(bytes / 1e6).toFixed(2)} MB of glb; properties name, use, storeys, heightSource + id, heights`,
    },
  ];
}

export default async function tilesBench(): Promise<BenchResult[]> {
  const rutland = await rutlandBuildings();
  const grid = replicateOnGrid(rutland, 100_000, 30);
  return [
    ...(await measure(`Rutland (${rutland.length.toLocaleString('en-GB')} real OSM buildings)`, rutland, 3)),
    ...(await measure(
      '100,000 real Rutland footprints replicated on a 30 m grid (synthetic layout)',
      grid,
      2,
    )),
  ];
}
